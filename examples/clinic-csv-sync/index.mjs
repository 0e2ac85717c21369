// clinic-csv-sync: a clinic's EHR exports its peer support visits as CSV. This example turns that
// CSV into PeerKit clinic-export records with the CSV import of @peerkit/model (`parseCsvMapping`,
// `importCsv`), then sends every record to a FHIR R4 server with @peerkit/sync, printing progress and
// a summary, and reads back what the server holds. The server is PeerKit's embedded one, started on
// 127.0.0.1 on a free port: nothing leaves this machine. All data here is synthetic.
//
//   npm start            (in this folder)   or   node examples/clinic-csv-sync/index.mjs
//
// The same from a shell, against any FHIR R4 server:
//   peerkit import encounters.csv --map mapping.json --out clinic.ndjson
//   peerkit sync clinic.ndjson --server https://fhir.example.org/r4 --auth bearer
import { createReadStream, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFhirServer } from '@peerkit/fhir-server';
import { importCsv, parseCsvMapping } from '@peerkit/model';
import { createFhirTransport, createMemoryOutbox, sync, toSyncEntries } from '@peerkit/sync';

const quiet = process.argv.includes('--quiet');
const log = (...args) => {
  if (!quiet) console.log(...args);
};
const here = dirname(fileURLToPath(import.meta.url));

// ── 1. CSV → clinic-export records, through the mapping (encounters.csv and mapping.json sit beside this file)
// The mapping says which column feeds which field, how the clinic writes codes, dates and times, and
// its time zone. Any problem with it is one issue naming its JSON path and the rule.
const mapping = parseCsvMapping(JSON.parse(readFileSync(join(here, 'mapping.json'), 'utf8')));
if (!mapping.ok) throw new Error(`mapping.json: ${mapping.issues[0].message}`);

// The CSV is read as the file streams in. Two rows are wrong on purpose: a contact type the mapping
// does not translate, and a visit that ends before it starts. They are reported by row, column, field
// and rule (never by their values) and left out; the good rows are kept.
const imported = await importCsv(createReadStream(join(here, 'encounters.csv')), mapping.value);
if (!imported.ok) throw new Error(`encounters.csv: ${imported.issues[0].message}`); // no header row, a column missing…
const report = imported.value;
log(`import: ${report.rows} rows read, ${report.imported} imported, ${report.rejected} rejected → ${report.records.length} records`, report.byKind);
for (const issue of report.issues) log(`  row ${issue.row}  ${issue.column ?? '-'}  ${issue.field}  ${issue.code} (${issue.severity})  ${issue.message}`);

// `report.records` are checked clinic-export records (the mapping's organization and specialists, a
// peer per client, the encounters); `toClinicExport(report.records)` would write them as NDJSON.
const records = report.records;

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
