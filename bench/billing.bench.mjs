// bench/billing: bill 100,000 generated encounters (one-on-one encounters and group sessions) under the
// shipped payer packs, with every check, caps across each member's encounters, FHIR Claims and CSV, and
// compare with computing units alone for the same encounters, measured in the same run.
//
//   npm run bench                 (from the repository root; builds first)
//   node billing.bench.mjs --encounters 20000 --rounds 3
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  billEncounters,
  collectBillingRecords,
  PAYER_PACKS,
  toClaimLinesCsv,
  toFhirClaims,
  unitsForMinutes,
} from '@peerkit/billing';
import { generateClinic } from '@peerkit/model';

const { values } = parseArgs({
  options: {
    encounters: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
    target: { type: 'string', default: '150' },
  },
});
const wanted = Number(values.encounters);
const rounds = Number(values.rounds);
const target = Number(values.target);

// Enough peers for the requested number of encounters over a year; the generator is deterministic.
const isService = (r) => r.kind === 'encounter' || r.kind === 'group-session';
let peers = Math.max(50, Math.ceil(wanted / 35));
let clinic = generateClinic({ seed: 42, peers, weeks: 52 });
while (clinic.records.filter(isService).length < wanted) {
  peers = Math.ceil(peers * 1.3);
  clinic = generateClinic({ seed: 42, peers, weeks: 52 });
}
const { encounters: all, ...records } = collectBillingRecords(clinic.records);
const encounters = all.slice(0, wanted);
const context = { ...records, packs: PAYER_PACKS };
const attendances = encounters.reduce((n, e) => n + (e.kind === 'group-session' ? e.attendees.length : 1), 0);

function time(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let sink = 0;
// Baseline: the minutes of every service and their units, nothing else.
const baseline = () => {
  for (const e of encounters) {
    if (e.kind === 'encounter') {
      const minutes = e.durationMinutes ?? (e.end ? (Date.parse(e.end) - Date.parse(e.start)) / 60_000 : 0);
      sink += unitsForMinutes(minutes, 'MIDPOINT');
    } else {
      for (const a of e.attendees) sink += unitsForMinutes(a.minutesPresent ?? 0, 'MIDPOINT');
    }
  }
};
let lastRun;
const bill = () => {
  lastRun = billEncounters(encounters, context);
  sink += lastRun.lines.length;
};
const output = () => {
  sink += toFhirClaims(lastRun, { organizationId: records.organization?.id ?? 'org' }).length;
  sink += toClaimLinesCsv(lastRun).length;
};

// Warm up every path so the JIT has seen them, then alternate the measured rounds.
baseline();
bill();
output();
const baseMs = [];
const billMs = [];
const outMs = [];
for (let i = 0; i < rounds; i++) {
  baseMs.push(time(baseline));
  billMs.push(time(bill));
  outMs.push(time(output));
}
const b = median(baseMs);
const v = median(billMs);
const o = median(outMs);
const rate = (ms) => Math.round((encounters.length / ms) * 1000).toLocaleString('en-US');
const ratio = v / b;
const held = lastRun.lines.filter((l) => l.status === 'held').length;

console.log(
  `bench/billing: ${encounters.length.toLocaleString('en-US')} encounters (${attendances.toLocaleString('en-US')} services incl. group attendees), ` +
    `${PAYER_PACKS.length} packs, ${lastRun.lines.length.toLocaleString('en-US')} lines (${held.toLocaleString('en-US')} held), median of ${rounds} rounds`,
);
console.log(`  baseline  units alone (unitsForMinutes)        ${b.toFixed(1).padStart(8)} ms  ${rate(b).padStart(12)} encounters/s`);
console.log(`  bill      billEncounters (checks, caps)        ${v.toFixed(1).padStart(8)} ms  ${rate(v).padStart(12)} encounters/s`);
console.log(`  output    toFhirClaims + toClaimLinesCsv       ${o.toFixed(1).padStart(8)} ms  ${rate(o).padStart(12)} encounters/s`);
console.log(`  ratio bill/baseline: ${ratio.toFixed(1)}x (target <= ${target}x) ${ratio <= target ? 'OK' : 'ABOVE TARGET'}`);
if (sink < 0) console.log(sink);
