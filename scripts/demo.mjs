// npm run demo — the main job as far as it exists today: generate a synthetic clinic export,
// validate it, print the summary. Later steps (FHIR mapping, safeguards, billing, sync to the
// embedded FHIR server) join this pipeline as their packages land.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '@peerkit/cli';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'out', 'demo');
mkdirSync(outDir, { recursive: true });
const exportFile = join(outDir, 'clinic.ndjson');
const reportFile = join(outDir, 'validation.json');
const shown = relative(process.cwd(), exportFile) || exportFile;
const planted = 6;
const started = performance.now();

const io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
const say = (text) => process.stdout.write(`${text}\n`);

say('PeerKit demo: a synthetic peer support clinic, end to end (so far: generate and validate)\n');
say(`1. Generate a synthetic clinic export (seed 7, 200 peers, 12 weeks, ${planted} broken lines planted on purpose)`);
const generated = await main(['generate', '--seed', '7', '--peers', '200', '--weeks', '12', '--invalid', String(planted), '--out', exportFile], io);
if (generated !== 0) {
  process.stderr.write('demo: generating the clinic export failed\n');
  process.exit(1);
}

say(`\n2. Validate it: peerkit validate ${shown}`);
const validated = await main(['validate', exportFile, '--max-issues', '12'], io);

// Keep a machine-readable report beside the export.
const chunks = [];
const capture = { stdout: { write: (s) => chunks.push(s) }, stderr: { write: () => {} }, cwd: io.cwd };
await main(['validate', exportFile, '--json'], capture);
writeFileSync(reportFile, chunks.join(''));
const report = JSON.parse(chunks.join(''));

say('\nSummary');
say(`  ${report.valid.toLocaleString('en-US')} valid records, ${report.invalid} invalid lines (${planted} were planted, so the validator ${report.invalid === planted ? 'found every one' : 'did NOT find them all'})`);
say(`  outputs in ${relative(process.cwd(), outDir) || outDir}/: clinic.ndjson (the export), validation.json (the full report)`);
say(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
// Exit 1 from validate is expected here (the planted lines); anything else is a failure.
process.exitCode = validated === 1 && report.invalid === planted ? 0 : 1;
