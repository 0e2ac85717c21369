// bench/fhir: map 100,000 generated encounters to FHIR R4 (Encounter + Procedure + DocumentReference
// each) and compare with JSON.stringify of the same output, measured in the same run.
//
//   npm run bench                 (from the repository root; builds first)
//   node fhir.bench.mjs --encounters 20000 --rounds 3
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createFhirContext, toFhirPeerEncounter } from '@peerkit/fhir';
import { generateClinic } from '@peerkit/model';

const { values } = parseArgs({
  options: { encounters: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '3' } },
});
const wanted = Number(values.encounters);
const rounds = Number(values.rounds);

let peers = Math.max(20, Math.ceil(wanted / 40));
let clinic = generateClinic({ seed: 42, peers, weeks: 52 });
let encounters = clinic.records.filter((r) => r.kind === 'encounter');
while (encounters.length < wanted) {
  peers = Math.ceil(peers * 1.3);
  clinic = generateClinic({ seed: 42, peers, weeks: 52 });
  encounters = clinic.records.filter((r) => r.kind === 'encounter');
}
encounters = encounters.slice(0, wanted);
const ctx = createFhirContext(clinic.records);

const time = (fn) => {
  const start = performance.now();
  const out = fn();
  return [performance.now() - start, out];
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const map = () => {
  const out = [];
  for (const e of encounters) out.push(toFhirPeerEncounter(e, ctx));
  return out;
};
const output = map(); // warm-up, and the output the baseline serializes
let resourceCount = 0;
for (const list of output) resourceCount += list?.length ?? 0;
const stringify = () => {
  let bytes = 0;
  for (const list of output) bytes += JSON.stringify(list).length;
  return bytes;
};
stringify();

const mapMs = [];
const baseMs = [];
let bytes = 0;
for (let i = 0; i < rounds; i++) {
  mapMs.push(time(map)[0]);
  const [ms, b] = time(stringify);
  baseMs.push(ms);
  bytes = b;
}
const m = median(mapMs);
const b = median(baseMs);
const rate = (n, ms) => Math.round((n / ms) * 1000).toLocaleString('en-US');
console.log(`bench/fhir: ${encounters.length.toLocaleString('en-US')} encounters -> ${resourceCount.toLocaleString('en-US')} resources (${(bytes / 1e6).toFixed(1)} MB JSON), median of ${rounds} rounds`);
console.log(`  map       toFhirPeerEncounter            ${m.toFixed(0).padStart(6)} ms  ${rate(resourceCount, m).padStart(10)} resources/s`);
console.log(`  baseline  JSON.stringify of the output   ${b.toFixed(0).padStart(6)} ms  ${rate(resourceCount, b).padStart(10)} resources/s`);
console.log(`  ratio map/baseline: ${(m / b).toFixed(2)}x`);
