// clinic-csv-sync: a clinic's EHR exports its peer support visits as CSV. This example turns that
// CSV into a PeerKit clinic export with `peerkit import` (run in-process here; the same command works
// from a shell), then sends every record to a FHIR R4 server with @peerkit/sync, printing progress and
// a summary, and reads back what the server holds. The server is PeerKit's embedded one, started on
// 127.0.0.1 on a free port: nothing leaves this machine. All data here is synthetic.
//
//   npm start            (in this folder)   or   node examples/clinic-csv-sync/index.mjs
//
// The same from a shell, against any FHIR R4 server:
//   peerkit import encounters.csv --map mapping.json --out clinic.ndjson
//   peerkit sync clinic.ndjson --server https://fhir.example.org/r4 --auth bearer
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main as peerkit } from '@peerkit/cli';
import { startFhirServer } from '@peerkit/fhir-server';
import { parseRecord } from '@peerkit/model';
import { createFhirTransport, createMemoryOutbox, sync, toSyncEntries } from '@peerkit/sync';

const quiet = process.argv.includes('--quiet');
const log = (...args) => {
  if (!quiet) console.log(...args);
};
const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'peerkit-csv-sync-'));

// ── 1. CSV → clinic export, through the mapping (encounters.csv and mapping.json sit beside this file)
// Two rows of the CSV are wrong on purpose: a contact type the mapping does not translate, and a
// visit that ends before it starts. They are reported by row, column, field and rule, and left out.
let output = '';
const io = { stdout: { write: (s) => (output += s) }, stderr: process.stderr, cwd: here };
const out = join(work, 'clinic.ndjson');
const importCode = await peerkit(['import', 'encounters.csv', '--map', 'mapping.json', '--out', out, '--json'], io);
if (importCode === 2) throw new Error('peerkit import could not read the CSV or the mapping');
const report = JSON.parse(output);
log(`peerkit import: ${report.rows} rows read, ${report.imported} imported, ${report.rejected} rejected → ${report.records} records`, report.byKind);
for (const issue of report.issues) log(`  row ${issue.row}  ${issue.column ?? '-'}  ${issue.field}  ${issue.code} (${issue.severity})  ${issue.message}`);

// The clinic export is NDJSON: one record per line, checked again on the way in.
const records = readFileSync(out, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => parseRecord(JSON.parse(line)))
  .filter((result) => result.ok)
  .map((result) => result.value);

// ── 2. Records → FHIR transaction entries, written conditionally on business identifiers ─────────
const mapped = toSyncEntries(records);
if (!mapped.ok) throw new Error('the export cannot be mapped to FHIR');
const entries = mapped.value;

// ── 3. Start the embedded FHIR server and sync, with progress ─────────────────────────────────────
const server = await startFhirServer({ host: '127.0.0.1', port: 0 });
let summary;
const onServer = {};
try {
  log(`\nembedded FHIR server at ${server.baseUrl}`);
  const transport = createFhirTransport({ baseUrl: server.baseUrl });
  // A memory outbox is enough for an example; a real run uses openFileOutbox(dir) so a crash or an
  // outage loses nothing and `resume: true` finishes the run.
  const outbox = createMemoryOutbox();
  let confirmed = 0;
  summary = await sync({
    transport,
    outbox,
    entries,
    batchSize: 20,
    onEvent: (event) => {
      if (event.type === 'queued') log(`  queued ${event.count}`);
      else if (event.type === 'sent') log(`  sent a Bundle of ${event.entries} (attempt ${event.attempt})`);
      else if (event.type === 'confirmed') log(`  confirmed ${(confirmed += event.count)}/${entries.length} (${event.created} created, ${event.updated} updated)`);
      else log(`  ${event.type}`, event);
    },
  });
  log('\nsync summary:', {
    resources: entries.length,
    confirmed: summary.confirmed,
    retried: summary.retried,
    deadLettered: summary.deadLettered,
    pending: summary.pending,
    requests: summary.requests,
    provenance: summary.provenance.length,
  });

  // ── 4. Read back: what the server now holds, by resource type ────────────────────────────────────
  for (const type of ['Organization', 'Practitioner', 'EpisodeOfCare', 'Coverage', 'Encounter', 'Procedure', 'DocumentReference', 'Provenance']) {
    const reply = await fetch(`${server.baseUrl}/${type}?_summary=count`);
    onServer[type] = (await reply.json()).total;
  }
  log('on the server:', onServer);
  await outbox.close();
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

// ── The smoke test run by `npm test` ──────────────────────────────────────────────────────────────
const problems = [];
if (report.imported !== report.rows - 2 || report.issues.filter((i) => i.severity === 'error').length !== 2) problems.push('the import did not keep exactly the good rows');
if (summary.confirmed !== entries.length || summary.pending !== 0 || summary.deadLettered !== 0) problems.push('not every record was confirmed by the server');
if (onServer.Encounter !== report.imported) problems.push('the server does not hold one Encounter per imported row');
if (problems.length > 0) {
  console.error(`clinic-csv-sync: ${problems.join('; ')}`);
  process.exit(1);
}
log(`\nOK: ${report.imported} visits imported, all ${entries.length} FHIR resources confirmed by the server.`);
