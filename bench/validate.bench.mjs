// bench/validate: validate 100,000 generated clinic records and compare with plain JSON.parse of the
// same lines, measured in the same run. Target: validation costs at most 4x the JSON.parse baseline.
//
//   npm run bench                 (from the repository root; builds first)
//   node validate.bench.mjs --records 20000 --rounds 3
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { clinicToNdjson, generateClinic, parseClinicExport, parseRecord } from '@peerkit/model';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
    target: { type: 'string', default: '4' },
  },
});
const wanted = Number(values.records);
const rounds = Number(values.rounds);
const target = Number(values.target);

// Enough peers and weeks for the requested number of records; the generator is deterministic.
let peers = Math.max(50, Math.ceil(wanted / 50));
let clinic = generateClinic({ seed: 42, peers, weeks: 52 });
while (clinic.records.length < wanted) {
  peers = Math.ceil(peers * 1.3);
  clinic = generateClinic({ seed: 42, peers, weeks: 52 });
}
const lines = clinicToNdjson({ ...clinic, records: clinic.records.slice(0, wanted), invalid: [] }).trimEnd().split('\n');
const bytes = lines.reduce((sum, line) => sum + line.length + 1, 0);

function time(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let sink = 0;
const baseline = () => {
  for (const line of lines) sink += JSON.parse(line) ? 1 : 0;
};
const validate = () => {
  for (const line of lines) {
    const result = parseRecord(JSON.parse(line));
    if (!result.ok) throw new Error('generated record failed validation');
    sink += 1;
  }
};
const text = lines.join('\n');
const reader = () => {
  sink += parseClinicExport(text).length;
};

// Warm up both paths so the JIT has seen them, then alternate the measured rounds.
baseline();
validate();
const baseMs = [];
const validateMs = [];
const readerMs = [];
for (let i = 0; i < rounds; i++) {
  baseMs.push(time(baseline));
  validateMs.push(time(validate));
  readerMs.push(time(reader));
}
const b = median(baseMs);
const v = median(validateMs);
const r = median(readerMs);
const rate = (ms) => Math.round((lines.length / ms) * 1000).toLocaleString('en-US');
const ratio = v / b;

console.log(`bench/validate: ${lines.length.toLocaleString('en-US')} records, ${(bytes / 1e6).toFixed(1)} MB, median of ${rounds} rounds`);
console.log(`  baseline  JSON.parse                      ${b.toFixed(0).padStart(6)} ms  ${rate(b).padStart(10)} records/s`);
console.log(`  validate  JSON.parse + parseRecord        ${v.toFixed(0).padStart(6)} ms  ${rate(v).padStart(10)} records/s`);
console.log(`  reader    parseClinicExport (whole text)  ${r.toFixed(0).padStart(6)} ms  ${rate(r).padStart(10)} records/s`);
console.log(`  ratio validate/baseline: ${ratio.toFixed(2)}x (target <= ${target}x) ${ratio <= target ? 'OK' : 'ABOVE TARGET'}`);
if (sink < 0) console.log(sink);
