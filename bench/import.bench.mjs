// bench/import: `peerkit import` (run in-process) over a CSV export of 50,000 generated encounters —
// @peerkit/model's CSV import (`importCsv`: its CSV reader, the mapping's codes, dates and times in a
// clinic's formats and time zone, the model's validation of every row, peer records) and the NDJSON
// written — compared with csv-parse alone reading the same file (with the options whose rows the
// model's reader reproduces), measured in the same run.
//
//   npm run bench                 (from the repository root; builds first)
//   node import.bench.mjs --rows 20000 --rounds 3
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { main } from '@peerkit/cli';
import { generateClinic } from '@peerkit/model';
import { parse } from 'csv-parse';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '5' },
    target: { type: 'string', default: '6' },
  },
});
const wanted = Number(values.rows);
const rounds = Number(values.rounds);
const target = Number(values.target);

// Generated encounters, written the way a clinic's EHR might: its own codes, US dates, 12-hour times.
let peers = Math.max(50, Math.ceil(wanted / 30));
let clinic = generateClinic({ seed: 7, peers, weeks: 52 });
while (clinic.records.filter((r) => r.kind === 'encounter').length < wanted) {
  peers = Math.ceil(peers * 1.3);
  clinic = generateClinic({ seed: 7, peers, weeks: 52 });
}
const encounters = clinic.records.filter((r) => r.kind === 'encounter').slice(0, wanted);
const organization = clinic.records.find((r) => r.kind === 'organization');
const MODALITY = { 'in-person': 'Face to face', video: 'Video', 'audio-only': 'Phone' };
const STATUS = { completed: 'Kept', 'no-show': 'No Show', cancelled: 'Cancelled' };
const pad = (n) => String(n).padStart(2, '0');
// The generated times carry their own offsets; the CSV writes the local wall time, as EHRs do.
const local = (iso) => {
  const [date, time] = iso.split('T');
  const [y, m, d] = date.split('-');
  const [hh, mm] = time.split(':').map(Number);
  return [`${m}/${d}/${y}`, `${hh % 12 === 0 ? 12 : hh % 12}:${pad(mm)} ${hh < 12 ? 'AM' : 'PM'}`];
};
const quote = (s) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const lines = ['Visit,Client,Staff,Program,Program Type,Date,Start,End,Minutes,How,Where,Services,Status,Reason,Note,Signed'];
for (const e of encounters) {
  const [date, start] = local(e.start);
  const end = e.end ? local(e.end)[1] : '';
  const signed = e.note?.signedAt ? local(e.note.signedAt).join(' ') : '';
  lines.push(
    [e.id, e.peerId, e.specialistId, e.programId, e.programType, date, start, end, String(e.durationMinutes ?? ''), MODALITY[e.modality], e.setting, e.activities.join(';'), STATUS[e.status], e.statusReason ?? '', e.note?.text ?? '', signed]
      .map(quote)
      .join(','),
  );
}
const mapping = {
  format: 'peerkit-csv-mapping/1',
  dateFormat: 'MM/DD/YYYY',
  timeFormat: 'h:mm A',
  dateTimeFormat: 'MM/DD/YYYY h:mm A',
  // Fixed offset: the generator's times are in one offset; an IANA zone would re-date some of them.
  timeZoneOffset: encounters[0].start.slice(-6),
  columns: {
    id: 'Visit',
    peerId: 'Client',
    specialistId: 'Staff',
    programId: 'Program',
    programType: 'Program Type',
    date: 'Date',
    startTime: 'Start',
    endTime: 'End',
    durationMinutes: 'Minutes',
    modality: { column: 'How', values: { 'Face to face': 'in-person', Video: 'video', Phone: 'audio-only' } },
    setting: 'Where',
    activities: 'Services',
    status: { column: 'Status', values: { Kept: 'completed', 'No Show': 'no-show', Cancelled: 'cancelled' } },
    statusReason: 'Reason',
    'note.text': 'Note',
    'note.signedAt': 'Signed',
    'note.signedBy': 'Staff',
  },
  records: [organization],
  peers: { columns: { 'patient.reference': { column: 'Client', template: 'Patient/{value}' } } },
};
const dir = mkdtempSync(join(tmpdir(), 'peerkit-bench-import-'));
const csvFile = join(dir, 'encounters.csv');
writeFileSync(csvFile, `${lines.join('\r\n')}\r\n`);
writeFileSync(join(dir, 'mapping.json'), JSON.stringify(mapping));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let output = '';
const io = { stdout: { write: (s) => (output += s) }, stderr: { write: () => true }, cwd: dir };

// Baseline: csv-parse alone, the same reading rules, every record read and dropped.
async function baseline() {
  let n = 0;
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_records_with_error: true });
  createReadStream(csvFile).pipe(parser);
  for await (const _ of parser) n++;
  return n;
}
async function importRun() {
  output = '';
  const code = await main(['import', 'encounters.csv', '--map', 'mapping.json', '--out', 'clinic.ndjson', '--json'], io);
  if (code === 2) throw new Error('import failed');
  return JSON.parse(output);
}

const report = await importRun(); // warm-up, and the counts
const base = [];
const full = [];
for (let i = 0; i < rounds; i++) {
  let t = performance.now();
  await baseline();
  base.push(performance.now() - t);
  t = performance.now();
  await importRun();
  full.push(performance.now() - t);
}
rmSync(dir, { recursive: true, force: true });

const b = median(base);
const f = median(full);
const ratio = f / b;
const perSecond = (ms) => Math.round((report.rows / ms) * 1000).toLocaleString('en-US');
console.log(`import: ${report.rows.toLocaleString('en-US')} CSV rows (${report.imported.toLocaleString('en-US')} imported, ${report.rejected} rejected), median of ${rounds}`);
console.log(`  csv-parse alone     ${b.toFixed(0).padStart(6)} ms  ${perSecond(b).padStart(10)} rows/s`);
console.log(`  peerkit import      ${f.toFixed(0).padStart(6)} ms  ${perSecond(f).padStart(10)} rows/s`);
console.log(`  ratio ${ratio.toFixed(1)}× the baseline (target ≤ ${target}×)`);
if (report.rejected > 0) console.log(`  note: ${report.rejected} generated rows were rejected (the generator plants problems)`);
if (ratio > target) {
  console.error(`import: ${ratio.toFixed(1)}× is over the ${target}× target`);
  process.exitCode = 1;
}
