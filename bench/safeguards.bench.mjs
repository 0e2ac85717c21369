// bench/safeguards: (1) consent decisions per second for a patient with 20 consents nested 3 levels
// deep, against a plain loop over the same consents (status, patient and every provision visited);
// (2) `checkClinic` over 100,000 generated encounters with notes (plus their specialists, peers,
// plans, consents, groups and referrals), against one regular-expression scan of the same notes.
// Both baselines are measured in the same run.
//
//   npm run bench                 (from the repository root; builds first)
//   node safeguards.bench.mjs --encounters 20000 --decisions 20000 --rounds 3
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateClinic } from '@peerkit/model';
import { checkClinic, decideConsent, parseDisclosureRequest } from '@peerkit/safeguards';

const { values } = parseArgs({
  options: {
    encounters: { type: 'string', default: '100000' },
    decisions: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '5' },
  },
});
const wanted = Number(values.encounters);
const decisions = Number(values.decisions);
const rounds = Number(values.rounds);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const rate = (n, ms) => Math.round((n / ms) * 1000).toLocaleString('en-US');
let sink = 0;

// ---------------------------------------------------------------------------------------------
// 1. Consent decisions: 20 consents, each root → 2 children → 2 grandchildren (3 levels).
// ---------------------------------------------------------------------------------------------
const V3 = 'http://terminology.hl7.org/CodeSystem';
const label = (code) => ({ system: `${V3}/v3-ActCode`, code });
const purpose = (code) => ({ system: `${V3}/v3-ActReason`, code });
const actor = (value) => ({
  role: { coding: [{ system: `${V3}/v3-ParticipationType`, code: 'IRCP' }] },
  reference: { identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value } },
});
const NPIS = ['1000000004', '1000000012', '1000000020', '1000000038', '1000000046'];
const PURPOSES = ['TREAT', 'HPAYMT', 'HOPERAT', 'COC', 'PATRQT'];
const LABELS = ['SUD', 'MH', 'HIV', 'ETH'];
const CLASSES = ['DocumentReference', 'Encounter', 'CarePlan', 'Claim'];

const consents = Array.from({ length: 20 }, (_, i) => ({
  resourceType: 'Consent',
  id: `bench-${i}`,
  status: i % 7 === 6 ? 'inactive' : 'active',
  scope: { coding: [{ system: `${V3}/consentscope`, code: 'patient-privacy' }] },
  category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
  patient: { reference: 'Patient/bench-1' },
  dateTime: '2026-01-10',
  policy: [{ uri: 'https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2' }],
  provision: {
    type: i % 5 === 4 ? 'deny' : 'permit',
    period: { start: '2026-01-10', end: '2027-01-09' },
    purpose: [purpose(PURPOSES[i % 5]), purpose(PURPOSES[(i + 1) % 5])],
    provision: [0, 1].map((j) => ({
      type: i % 5 === 4 ? 'permit' : 'deny',
      securityLabel: [label(LABELS[(i + j) % 4])],
      provision: [0, 1].map((k) => ({
        type: i % 5 === 4 ? 'deny' : 'permit',
        actor: [actor(NPIS[(i + j + k) % 5])],
        class: [{ system: 'http://hl7.org/fhir/resource-types', code: CLASSES[(i + k) % 4] }],
      })),
    })),
  },
}));
const requests = Array.from({ length: 64 }, (_, i) => {
  const r = parseDisclosureRequest({
    patient: { reference: 'Patient/bench-1' },
    actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: NPIS[i % 5] }],
    purposeOfUse: [PURPOSES[i % 5]],
    securityLabel: i % 3 === 0 ? undefined : [label(LABELS[i % 4]), label('42CFRPart2')],
    class: [{ system: 'http://hl7.org/fhir/resource-types', code: CLASSES[i % 4] }],
    date: '2026-05-01',
  });
  if (!r.ok) throw new Error('bench request');
  return r.value;
});

const decide = () => {
  for (let n = 0; n < decisions; n++) sink += decideConsent(consents, requests[n % requests.length], { now: '2026-05-01' }).decision.length;
};
// The baseline a naive implementation starts from: visit every consent and provision once.
const visit = (p) => {
  let count = 1;
  for (const child of p.provision ?? []) count += visit(child);
  return count;
};
const loop = () => {
  for (let n = 0; n < decisions; n++) {
    const request = requests[n % requests.length];
    for (const c of consents) {
      if (c.status !== 'active' || c.patient.reference !== request.patient.reference) continue;
      sink += visit(c.provision);
    }
  }
};

decide();
loop();
const decideMs = [];
const loopMs = [];
for (let i = 0; i < rounds; i++) {
  loopMs.push(time(loop));
  decideMs.push(time(decide));
}
const d = median(decideMs);
const l = median(loopMs);
const outcomes = {};
for (const r of requests) {
  const k = decideConsent(consents, r, { now: '2026-05-01' }).decision;
  outcomes[k] = (outcomes[k] ?? 0) + 1;
}
console.log(`bench/safeguards: consent decisions, 20 consents nested 3 levels, ${decisions.toLocaleString('en-US')} decisions, median of ${rounds} rounds`);
console.log(`  baseline  plain loop over the consents      ${l.toFixed(0).padStart(6)} ms  ${rate(decisions, l).padStart(10)} requests/s`);
console.log(`  decide    decideConsent (+ AuditEvent)      ${d.toFixed(0).padStart(6)} ms  ${rate(decisions, d).padStart(10)} decisions/s`);
console.log(`  ratio decide/baseline: ${(d / l).toFixed(1)}x   (outcomes over the request mix: ${JSON.stringify(outcomes)})`);

// ---------------------------------------------------------------------------------------------
// 2. checkClinic over 100,000 encounters with notes.
// ---------------------------------------------------------------------------------------------
const withNote = (r) => r.kind === 'encounter' && r.note !== undefined;
let peers = Math.max(50, Math.ceil(wanted / 38));
let clinic = generateClinic({ seed: 42, peers, weeks: 52 });
while (clinic.records.filter(withNote).length < wanted) {
  peers = Math.ceil(peers * 1.25);
  clinic = generateClinic({ seed: 42, peers, weeks: 52 });
}
let kept = 0;
const records = clinic.records.filter((r) => {
  if (r.kind !== 'encounter') return true;
  if (!withNote(r) || kept >= wanted) return false;
  kept += 1;
  return true;
});
const notes = [];
for (const r of records) {
  if (r.kind === 'encounter' && r.note) notes.push(r.note.text);
  if (r.kind === 'group-session') {
    if (r.groupNote) notes.push(r.groupNote.text);
    for (const a of r.attendees) if (a.note) notes.push(a.note.text);
  }
}
const chars = notes.reduce((n, t) => n + t.length, 0);
// One scan of every note for the trigger words of the text rules: what a regex linter costs.
const SCAN =
  /suicid|self[- ]?harm|overdos|kill (?:myself|themselves)|hurt(?:ing)? themselves|diagnos|bipolar|adhd|ptsd|schizo|medication|dose|meds|lent|borrow|cash|gift|attractive|date|dinner|friend request|personal number|business|rent a room|own (?:story|history|relapse|recovery)|[A-Z][a-z]+ [A-Z][a-z]+/gi;
const scan = () => {
  for (const t of notes) {
    SCAN.lastIndex = 0;
    while (SCAN.exec(t)) sink += 1;
  }
};
let findings = 0;
const check = () => {
  findings = checkClinic(records).findings.length;
  sink += findings;
};

scan();
check();
const scanMs = [];
const checkMs = [];
for (let i = 0; i < rounds; i++) {
  scanMs.push(time(scan));
  checkMs.push(time(check));
}
const s = median(scanMs);
const c = median(checkMs);
console.log(
  `bench/safeguards: check, ${kept.toLocaleString('en-US')} encounters with notes (${records.length.toLocaleString('en-US')} records, ${notes.length.toLocaleString('en-US')} notes, ${(chars / 1e6).toFixed(1)} M characters), median of ${rounds} rounds`,
);
console.log(`  baseline  one regex scan of the notes        ${s.toFixed(0).padStart(6)} ms  ${rate(kept, s).padStart(10)} encounters/s`);
console.log(`  check     checkClinic (every rule)          ${c.toFixed(0).padStart(6)} ms  ${rate(kept, c).padStart(10)} encounters/s  (${findings.toLocaleString('en-US')} findings)`);
console.log(`  ratio check/baseline: ${(c / s).toFixed(1)}x`);
if (sink < 0) console.log(sink);
