// bench/safeguards: (1) consent decisions per second for a patient with 20 consents nested 3 levels
// deep: the engine compiled once (`compileConsents(...).decide`; 64 request shapes, so after the
// first round every decision comes from its decision cache), the same with the cache off (every
// decision evaluates the consents), `decideConsent` per call (what every caller did before issue
// 15), and a plain loop over the same consents (status, patient and every provision visited); (2) `checkClinic` over 100,000 generated encounters with notes (plus their
// specialists, peers, plans, consents, groups and referrals), against one regular-expression scan of
// the same notes. Baselines are measured in the same run; rates are given per wall-clock second and
// per CPU second of this process (the second is steadier on a shared machine).
//
//   npm run bench                 (from the repository root; builds first)
//   node safeguards.bench.mjs --encounters 20000 --decisions 20000 --rounds 3
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateClinic } from '@peerkit/model';
import { checkClinic, compileConsents, decideConsent, parseDisclosureRequest } from '@peerkit/safeguards';

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
/** Wall-clock and CPU milliseconds of one run of `fn`. */
const timeBoth = (fn) => {
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
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

const options = { now: '2026-05-01' };
const compiled = compileConsents(consents, options);
const uncached = compileConsents(consents, { ...options, decisionCache: 0 });
// The per-call engine is slower by an order of magnitude or more: it runs a fraction of the decisions.
const perCallDecisions = Math.max(200, Math.round(decisions / 20));
const perCall = () => {
  for (let n = 0; n < perCallDecisions; n++) sink += decideConsent(consents, requests[n % requests.length], options).decision.length;
};
const compiledDecide = () => {
  for (let n = 0; n < decisions; n++) sink += compiled.decide(requests[n % requests.length]).decision.length;
};
const uncachedDecide = () => {
  for (let n = 0; n < decisions; n++) sink += uncached.decide(requests[n % requests.length]).decision.length;
};
// The same, reading the explanation and the AuditEvent of every decision (built on first read).
const compiledAudited = () => {
  for (let n = 0; n < decisions; n++) {
    const d = compiled.decide(requests[n % requests.length]);
    sink += d.explanation.length + d.audit.entity.length;
  }
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

perCall();
compiledDecide();
uncachedDecide();
compiledAudited();
loop();
const runs = { loop: [], perCall: [], compiled: [], uncached: [], audited: [] };
for (let i = 0; i < rounds; i++) {
  runs.loop.push(timeBoth(loop));
  runs.perCall.push(timeBoth(perCall));
  runs.compiled.push(timeBoth(compiledDecide));
  runs.uncached.push(timeBoth(uncachedDecide));
  runs.audited.push(timeBoth(compiledAudited));
}
const med = (name, key) => median(runs[name].map((r) => r[key]));
const outcomes = {};
for (const r of requests) {
  const k = compiled.decide(r).decision;
  outcomes[k] = (outcomes[k] ?? 0) + 1;
  if (k !== decideConsent(consents, r, options).decision || k !== uncached.decide(r).decision) throw new Error('compiled, uncached and per-call decisions differ');
}
const line = (label, name, n, unit) =>
  `  ${label.padEnd(44)} ${med(name, 'wall').toFixed(0).padStart(6)} ms  ${rate(n, med(name, 'wall')).padStart(10)} ${unit}/s  ${rate(n, med(name, 'cpu')).padStart(10)} ${unit}/CPU-s`;
const perSecond = (name, n, key) => n / med(name, key);
console.log(`bench/safeguards: consent decisions, 20 consents nested 3 levels, ${decisions.toLocaleString('en-US')} decisions (${perCallDecisions.toLocaleString('en-US')} per call), median of ${rounds} rounds`);
console.log(line('baseline  plain loop over the consents', 'loop', decisions, 'requests'));
console.log(line('per call  decideConsent (compiles every call)', 'perCall', perCallDecisions, 'decisions'));
console.log(line('compiled  compileConsents once, decide', 'compiled', decisions, 'decisions'));
console.log(line('compiled  decision cache off (evaluates each)', 'uncached', decisions, 'decisions'));
console.log(line('compiled  + explanation and AuditEvent read', 'audited', decisions, 'decisions'));
const ratio = (name) =>
  `${(perSecond(name, decisions, 'wall') / perSecond('perCall', perCallDecisions, 'wall')).toFixed(1)}x wall, ${(perSecond(name, decisions, 'cpu') / perSecond('perCall', perCallDecisions, 'cpu')).toFixed(1)}x CPU`;
console.log(`  ratio compiled/per-call: ${ratio('compiled')}; cache off/per-call: ${ratio('uncached')}   (outcomes over the request mix: ${JSON.stringify(outcomes)})`);

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
