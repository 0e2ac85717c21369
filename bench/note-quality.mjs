// bench/note-quality: how well the boundary and scope rules judge, and how fast the note linter is.
//
// (1) The labelled note corpus (packages/safeguards/test/notes): per-category precision, recall and F1
//     (a note counts for a category when any finding of that category is on it), macro-F1 and the share
//     of clean notes flagged — on the held-apart part, then on the development part the rules were
//     tuned on (labelled as such). Each file is scored twice, side by side: the rules alone
//     (`lintNote(…, { model: false })`) and the rules plus the note model (`model: true`, the default;
//     the model was trained on dev.jsonl). Only aggregate figures are printed, never a note.
// (2) Rules on generated clinics: for each record rule, problems planted by mutation in a copy of a
//     generated clinic (after making every record compliant for that rule) and how many are found, and
//     how many records where nothing was planted are flagged; for each note rule, the generator's
//     planted problems found and the records with nothing planted that it flags.
// (3) Speed: lintNote over ~100-word notes (rules alone, and rules plus the model), against one
//     regular-expression pass over the same notes, in the same run; wall clock and CPU time (the CPU
//     figure is one core whatever else runs).
//
//   npm run bench                 (from the repository root; builds first)
//   node note-quality.mjs --seed 42 --peers 300 --weeks 26 --rounds 3 [--dev-only]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { addDays, generateClinic } from '@peerkit/model';
import { checkClinic, lintNote, RULES } from '@peerkit/safeguards';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '42' },
    peers: { type: 'string', default: '300' },
    weeks: { type: 'string', default: '26' },
    rounds: { type: 'string', default: '5' },
    // While tuning the rules: score dev.jsonl only, never read the held-out files.
    'dev-only': { type: 'boolean', default: false },
  },
});
const devOnly = values['dev-only'];
const seed = Number(values.seed);
const peers = Number(values.peers);
const weeks = Number(values.weeks);
const rounds = Number(values.rounds);

const NOTES = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'safeguards', 'test', 'notes');
const CATEGORIES = ['scope-of-practice', 'dual-relationship', 'self-disclosure', 'crisis-follow-up', 'confidentiality'];
const pct = (x) => `${(100 * x).toFixed(1)}%`;
const f2 = (x) => x.toFixed(2);
const mark = (ok) => (ok ? 'ok' : 'MISSED');

// ---------------------------------------------------------------------------------------------
// 1. The labelled corpus.
// ---------------------------------------------------------------------------------------------
/**
 * The held-apart parts: every `held-out*.jsonl` in the corpus folder (`held-out`, `held-out-2`, … in
 * number order), so a part added later is scored without editing this script. Each is scored
 * separately, then all of them combined. A part scored once and then folded into dev.jsonl for tuning
 * is no longer in the folder.
 */
const heldOutRank = (name) => Number(name.match(/^held-out(?:-(\d+))?$/)?.[1] ?? 1);
const HELD_OUT = existsSync(NOTES)
  ? readdirSync(NOTES)
      .filter((file) => /^held-out(?:-\d+)?\.jsonl$/.test(file))
      .map((file) => file.slice(0, -'.jsonl'.length))
      .sort((a, b) => heldOutRank(a) - heldOutRank(b))
  : [];

function readSplit(name) {
  return readFileSync(join(NOTES, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

function score(notes, model) {
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
  let clean = 0;
  let cleanFlagged = 0;
  for (const note of notes) {
    const findings = lintNote(note.text, { context: note.setting === 'group' ? 'group' : 'one-on-one', model });
    const predicted = new Set(findings.map((f) => f.category));
    if (note.labels.length === 0) {
      clean += 1;
      if (findings.length > 0) cleanFlagged += 1;
    }
    for (const c of CATEGORIES) {
      const gold = note.labels.includes(c);
      if (gold && predicted.has(c)) counts[c].tp += 1;
      else if (predicted.has(c)) counts[c].fp += 1;
      else if (gold) counts[c].fn += 1;
    }
  }
  const rows = CATEGORIES.map((c) => {
    const { tp, fp, fn } = counts[c];
    const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { category: c, precision, recall, f1, tp, fp, fn };
  });
  const macro = rows.reduce((n, r) => n + r.f1, 0) / rows.length;
  return { rows, macro, clean, cleanFlagged, notes: notes.length };
}

/** One file's figures, rules alone and rules + model side by side. */
function printScore(title, notes) {
  const a = score(notes, false);
  const b = score(notes, true);
  const cell = (r) => `${f2(r.precision)} ${f2(r.recall)} ${f2(r.f1)}  ${String(r.tp).padStart(3)} ${String(r.fp).padStart(3)} ${String(r.fn).padStart(3)}`;
  console.log(`  ${title}: ${a.notes} notes, ${a.clean} clean`);
  console.log(`    ${''.padEnd(20)} ${'rules alone'.padEnd(30)} ${'rules + model'}`);
  console.log(`    ${'category'.padEnd(20)} ${'   P    R   F1   tp  fp  fn'.padEnd(30)} ${'   P    R   F1   tp  fp  fn'}`);
  a.rows.forEach((r, k) => console.log(`    ${r.category.padEnd(20)} ${cell(r).padEnd(30)} ${cell(b.rows[k])}`));
  for (const [name, s] of [['rules alone', a], ['rules + model', b]]) {
    const lowest = Math.min(...s.rows.map((r) => r.f1));
    const flagged = s.cleanFlagged / s.clean;
    console.log(`    ${name.padEnd(14)} macro-F1 ${f2(s.macro)} (goal ≥ 0.85: ${mark(s.macro >= 0.85)}); lowest category F1 ${f2(lowest)} (goal ≥ 0.75: ${mark(lowest >= 0.75)}); clean notes flagged ${s.cleanFlagged}/${s.clean} = ${pct(flagged)} (goal ≤ 10%: ${mark(flagged <= 0.1)})`);
  }
}

console.log('bench/note-quality: the note linter on the labelled corpus (packages/safeguards/test/notes)');
if (devOnly) console.log('  (--dev-only: the held-out files are not read)');
else {
  const parts = HELD_OUT;
  if (parts.length === 0) console.log('  no held-out*.jsonl present');
  for (const name of parts) printScore(`${name}.jsonl (never read while tuning; only these aggregates are printed)`, readSplit(name));
  if (parts.length > 1) printScore(`held-out combined (${parts.map((p) => `${p}.jsonl`).join(' + ')})`, parts.flatMap(readSplit));
}
printScore('dev.jsonl (the rules were tuned on this part and the model trained on it)', readSplit('dev'));

// ---------------------------------------------------------------------------------------------
// 2. Rules on generated clinics.
// ---------------------------------------------------------------------------------------------
const clone = (x) => structuredClone(x);
const base = generateClinic({ seed, peers, weeks });
const baseReport = checkClinic(base.records);
const asOf = baseReport.asOf;
const flaggedBy = (records, rule) => new Set(checkClinic(records, { asOf }).findings.filter((f) => f.rule === rule).map((f) => f.recordId));
/** A deterministic sample: every k-th item. */
const sample = (items, n) => {
  const step = Math.max(1, Math.floor(items.length / n));
  return items.filter((_, i) => i % step === 0).slice(0, n);
};
const certified = (r) => r.kind === 'specialist' && r.active && r.roleLevel !== 'trainee';
const isCert = (c) => c.credential !== 'training-completed';
const completed = (r) => r.kind === 'encounter' && r.status === 'completed';
/** `2026-03-30T10:00:00-05:00` with another local time, same date and offset. */
const atTime = (dateTime, hhmm) => `${dateTime.slice(0, 11)}${hhmm}:00${dateTime.slice(19)}`;
const weekdayOf = (date) => new Date(`${date}T12:00:00Z`).getUTCDay();

/**
 * Each record rule: the records it judges, how the harness makes one compliant and how it plants the
 * problem. A rule's "planted" records are the ones the mutation made wrong; the others were made
 * compliant first (or, for documentation.no-active-plan, are the contacts the generator put under a
 * plan in force), so a finding on them is a false alarm.
 */
const RECORD_CASES = [
  {
    rule: 'credential.expired',
    subjects: (rs) => rs.filter(certified),
    repair: (r) => r.certifications.filter(isCert).forEach((c) => (c.expires = addDays(asOf, 400))),
    plant: (r) => r.certifications.filter(isCert).forEach((c) => ((c.issued = addDays(asOf, -500)), (c.expires = addDays(asOf, -90)))),
  },
  {
    rule: 'credential.expiring',
    subjects: (rs) => rs.filter(certified),
    repair: (r) => r.certifications.filter(isCert).forEach((c) => (c.expires = addDays(asOf, 400))),
    plant: (r) => {
      const c = r.certifications.find(isCert);
      if (c) c.expires = addDays(asOf, 30);
    },
  },
  {
    rule: 'credential.ce-short',
    subjects: (rs) => rs.filter(certified),
    repair: (r) => r.continuingEducation.push({ date: addDays(asOf, -30), hours: 40, topic: 'Ethics refresher', ethics: true }),
    plant: (r) => {
      const c = r.certifications.find(isCert);
      if (c) c.issued = addDays(asOf, -1200);
      r.continuingEducation = r.continuingEducation.filter((e) => e.date < addDays(asOf, -800));
    },
  },
  {
    rule: 'supervision.overdue',
    subjects: (rs) => rs.filter((r) => r.kind === 'specialist' && r.active && r.roleLevel !== 'supervisor'),
    repair: (r) => {
      for (let d = 0; d < 120; d += 14) r.supervisionLog.push({ date: addDays(asOf, -d), supervisorId: r.supervisorId ?? 'spec-001', minutes: 60, format: 'individual' });
    },
    plant: (r) => {
      r.supervisionLog = r.supervisionLog.filter((e) => e.date < addDays(asOf, -60));
      r.hired = addDays(asOf, -900);
    },
  },
  {
    rule: 'workload.caseload-over-limit',
    subjects: (rs) => rs.filter((r) => r.kind === 'specialist' && r.active),
    repair: (r) => (r.caseloadLimit = 500),
    plant: (r) => (r.caseloadLimit = 1),
    eligible: (r, rs) => rs.filter((p) => p.kind === 'peer' && p.primarySpecialistId === r.id).length >= 3,
  },
  {
    rule: 'workload.outside-hours',
    subjects: (rs) => rs.filter((r) => (r.kind === 'encounter' || r.kind === 'group-session') && r.status === 'completed' && !(r.kind === 'encounter' && r.crisis?.indicated)),
    repair: (r) => {
      const day = weekdayOf(r.start.slice(0, 10));
      const shift = day === 6 ? -1 : day === 0 ? -2 : 0;
      const date = addDays(r.start.slice(0, 10), shift);
      const minutes = r.end ? (Date.parse(r.end) - Date.parse(r.start)) / 60000 : 0;
      r.start = atTime(`${date}${r.start.slice(10)}`, '10:00');
      if (r.end) r.end = atTime(`${date}${r.end.slice(10)}`, `10:${String(Math.min(59, minutes)).padStart(2, '0')}`);
    },
    plant: (r) => {
      r.start = atTime(r.start, '21:30');
      if (r.end) r.end = atTime(r.end, '21:55');
    },
  },
  {
    rule: 'documentation.note-unsigned-late',
    subjects: (rs) => rs.filter((r) => completed(r) && r.note && r.end),
    repair: (r) => {
      r.note.signedAt = new Date(Date.parse(r.end) + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      r.note.signedBy = r.specialistId;
    },
    plant: (r) => {
      delete r.note.signedAt;
      delete r.note.signedBy;
      delete r.note.cosignedAt;
      delete r.note.cosignedBy;
    },
    eligible: (r) => r.end.slice(0, 10) < addDays(asOf, -4),
  },
  {
    rule: 'confidentiality.part2-consent-incomplete',
    // The rule reports a missing element as an error on a consent in force or revoked (a draft's are warnings).
    subjects: (rs) => rs.filter((r) => r.kind === 'consent' && r.consentKind !== 'hipaa-authorization' && (r.status === 'active' || r.status === 'revoked')),
    repair: (r) => {
      r.rightToRevokeStatement = true;
      r.redisclosureNotice = true;
      r.discloser ??= { name: 'Riverbend', organizationId: 'org-riverbend' };
      if (r.purposes.length === 0) r.purposes = ['treatment'];
      r.expiration ??= { event: 'Discharge from the program' };
    },
    plant: (r) => (r.rightToRevokeStatement = false),
  },
];

function runRecordCase(c) {
  const records = clone(base.records);
  const subjects = c.subjects(records);
  for (const r of subjects) c.repair(r);
  const eligible = subjects.filter((r) => (c.eligible ? c.eligible(r, records) : true));
  const planted = new Set(sample(eligible, Math.max(5, Math.min(40, Math.round(eligible.length * 0.2)))).map((r) => r.id));
  for (const r of subjects) if (planted.has(r.id)) c.plant(r);
  const flagged = flaggedBy(records, c.rule);
  const found = [...planted].filter((id) => flagged.has(id)).length;
  const others = subjects.filter((r) => !planted.has(r.id));
  const falseAlarms = others.filter((r) => flagged.has(r.id)).length;
  return { rule: c.rule, planted: planted.size, found, others: others.length, falseAlarms };
}

/**
 * K peers' active plans are turned back into drafts never agreed (no peer or guardian signature):
 * their contacts after the enrollment grace are planted. Every other completed contact is unplanted,
 * including the few the generator leaves without a plan (a late joiner whose plan is still a draft
 * or ended early); the note says how many of those the unmodified clinic has.
 */
function runNoActivePlan() {
  const records = clone(base.records);
  const plans = new Map(records.filter((r) => r.kind === 'recovery-plan').map((p) => [p.id, p]));
  const peersById = new Map(records.filter((r) => r.kind === 'peer').map((p) => [p.id, p]));
  const graceEnd = (e) => {
    const peer = peersById.get(e.peerId);
    const date = e.start.slice(0, 10);
    const enrollment = peer?.enrollments.filter((x) => x.start <= date && (!x.end || date <= x.end)).sort((a, b) => (a.start < b.start ? 1 : -1))[0];
    return enrollment ? addDays(enrollment.start, 30) : undefined;
  };
  const contacts = records.filter(completed);
  // Plant: some peers whose only plan is active get it back to a draft, unsigned by the peer (never agreed).
  const plansOf = (peerId) => [...plans.values()].filter((p) => p.peerId === peerId);
  const active = [...plans.values()].filter((p) => p.status === 'active' && plansOf(p.peerId).length === 1);
  const draftPlans = new Set(
    sample(active, 30).map((p) => {
      p.status = 'draft';
      p.signatures = p.signatures.filter((s) => s.role !== 'peer' && s.role !== 'guardian');
      return p.id;
    }),
  );
  const planted = contacts.filter((e) => draftPlans.has(e.planId) && (graceEnd(e) ?? '9999') < e.start.slice(0, 10));
  const plantedIds = new Set(planted.map((e) => e.id));
  const flagged = flaggedBy(records, 'documentation.no-active-plan');
  const others = contacts.filter((e) => !plantedIds.has(e.id) && !draftPlans.has(e.planId));
  const falseAlarms = others.filter((e) => flagged.has(e.id)).length;
  const baseFlaggedIds = flaggedBy(base.records, 'documentation.no-active-plan');
  const baseFlagged = baseFlaggedIds.size;
  const windowStart = base.records.filter(completed).map((e) => e.start.slice(0, 10)).sort()[0] ?? '';
  const lateJoiner = (peerId) => base.records.some((r) => r.kind === 'peer' && r.id === peerId && r.enrollments.some((x) => x.start >= windowStart));
  const byLateJoiners = base.records.filter((r) => baseFlaggedIds.has(r.id) && lateJoiner(r.peerId)).length;
  const baseContacts = base.records.filter(completed).length;
  return {
    rule: 'documentation.no-active-plan',
    planted: plantedIds.size,
    found: planted.filter((e) => flagged.has(e.id)).length,
    others: others.length,
    falseAlarms,
    note: `${baseFlagged} of ${baseContacts} contacts (${pct(baseFlagged / baseContacts)}) flagged in the unmodified clinic, ${byLateJoiners} of them of peers who joined during the window (a plan still a draft, or ended early, with none after it)`,
  };
}

/**
 * Referrals out of a Part 2 program that carry the generator's Part 2 consent in force stay
 * unplanted (one that carries a HIPAA authorization is rightly flagged: it is no Part 2 consent);
 * K of them lose it.
 */
function runReferralConsent() {
  const records = clone(base.records);
  const report = checkClinic(records, { asOf });
  const part2Peers = new Set(records.filter((r) => r.kind === 'peer' && r.enrollments.some((e) => e.programType !== 'mental-health')).map((r) => r.id));
  const part2Consents = new Set(records.filter((r) => r.kind === 'consent' && r.consentKind !== 'hipaa-authorization').map((r) => r.id));
  const referrals = records.filter((r) => r.kind === 'referral' && part2Consents.has(r.consentId) && part2Peers.has(r.peerId) && r.target.type !== 'crisis-service' && r.urgency !== 'stat' && r.status !== 'draft');
  const valid = referrals.filter((r) => !report.findings.some((f) => f.recordId === r.id && f.rule === 'confidentiality.referral-without-consent'));
  const planted = new Set(sample(valid, 30).map((r) => (delete r.consentId, r.id)));
  const flagged = flaggedBy(records, 'confidentiality.referral-without-consent');
  const others = referrals.filter((r) => !planted.has(r.id));
  return {
    rule: 'confidentiality.referral-without-consent',
    planted: planted.size,
    found: [...planted].filter((id) => flagged.has(id)).length,
    others: others.length,
    falseAlarms: others.filter((r) => flagged.has(r.id)).length,
  };
}

/** Contacts after a specialist's certification lapsed are planted; everyone else holds a current one. */
function runServiceWhileExpired() {
  const records = clone(base.records);
  const specialists = records.filter(certified);
  for (const s of specialists) for (const c of s.certifications.filter(isCert)) ((c.issued = addDays(asOf, -900)), (c.expires = addDays(asOf, 400)));
  const lapsed = new Set(sample(specialists, 3).map((s) => s.id));
  const lapseOn = addDays(asOf, -40);
  for (const s of specialists) if (lapsed.has(s.id)) for (const c of s.certifications.filter(isCert)) c.expires = lapseOn;
  const contacts = records.filter(completed);
  const planted = contacts.filter((e) => lapsed.has(e.specialistId) && e.start.slice(0, 10) > lapseOn);
  const flagged = flaggedBy(records, 'credential.service-while-expired');
  const others = contacts.filter((e) => !planted.includes(e));
  return { rule: 'credential.service-while-expired', planted: planted.length, found: planted.filter((e) => flagged.has(e.id)).length, others: others.length, falseAlarms: others.filter((e) => flagged.has(e.id)).length };
}

/** Two extra contacts on the day of some contacts are planted: one peer-day over the limit each, found when any of its contacts is flagged. */
function runContactTooFrequent() {
  const records = clone(base.records);
  const contacts = records.filter(completed);
  const days = [];
  for (const e of sample(contacts, 30)) {
    const day = [e.id];
    for (const k of [1, 2]) {
      const extra = { ...clone(e), id: `${e.id}-x${k}`, start: atTime(e.start, `1${k + 4}:00`) };
      if (e.end) extra.end = atTime(e.end, `1${k + 4}:30`);
      records.push(extra);
      day.push(extra.id);
    }
    days.push(day);
  }
  const flagged = flaggedBy(records, 'workload.contact-too-frequent');
  const plantedSet = new Set(days.flat());
  const others = records.filter((r) => completed(r) && !plantedSet.has(r.id));
  return {
    rule: 'workload.contact-too-frequent',
    planted: days.length,
    found: days.filter((day) => day.some((id) => flagged.has(id))).length,
    others: others.length,
    falseAlarms: others.filter((r) => flagged.has(r.id)).length,
  };
}

console.log('');
console.log(`bench/note-quality: record rules on a generated clinic (seed ${seed}, ${peers} peers, ${weeks} weeks, as of ${asOf}); goals: planted found ≥ 95%, unplanted records flagged ≤ 5%`);
console.log(`    ${'rule'.padEnd(42)} ${'planted found'.padStart(16)} ${'unplanted flagged'.padStart(22)}`);
const recordResults = [
  ...RECORD_CASES.map(runRecordCase),
  runServiceWhileExpired(),
  runContactTooFrequent(),
  runNoActivePlan(),
  runReferralConsent(),
];
for (const r of recordResults) {
  const found = r.planted === 0 ? 1 : r.found / r.planted;
  const alarms = r.others === 0 ? 0 : r.falseAlarms / r.others;
  console.log(
    `    ${r.rule.padEnd(42)} ${`${r.found}/${r.planted} ${pct(found)}`.padStart(16)} ${`${r.falseAlarms}/${r.others} ${pct(alarms)}`.padStart(22)}  ${mark(found >= 0.95 && alarms <= 0.05)}${r.note ? `  (${r.note})` : ''}`,
  );
}

// Note rules on the same generated clinic: the generator's planted problems.
const FOUND_BY = {
  diagnosing: (rule) => rule === 'scope.diagnosing',
  'medication-advice': (rule) => rule === 'scope.medication-advice',
  'financial-relationship': (rule) => rule === 'dual.money',
  'dual-relationship': (rule) => rule.startsWith('dual.'),
  'romantic-boundary': (rule) => rule.startsWith('dual.'),
  'excessive-self-disclosure': (rule) => rule === 'self-disclosure.dominating',
  'other-member-named': (rule) => rule === 'confidentiality.group-member-named',
  'crisis-mention': (rule) => rule === 'crisis.no-follow-up',
};
const noteReport = baseReport;
const rulesOn = new Map();
for (const f of noteReport.findings) rulesOn.set(f.recordId, [...(rulesOn.get(f.recordId) ?? []), f.rule]);
const documented = (id) => {
  const r = base.records.find((x) => x.id === id);
  return r?.kind === 'encounter' && r.crisis?.indicated === true && (r.crisis.actions.length > 0 || r.crisis.referralId !== undefined);
};
const byKind = {};
for (const p of base.planted) {
  if (p.kind === 'crisis-mention' && documented(p.recordId)) continue; // documented in the record: not a problem
  const k = (byKind[p.kind] ??= { planted: 0, found: 0 });
  k.planted += 1;
  if ((rulesOn.get(p.recordId) ?? []).some(FOUND_BY[p.kind])) k.found += 1;
}
const withNotes = base.records.filter((r) => (r.kind === 'encounter' && r.note) || (r.kind === 'group-session' && (r.groupNote || r.attendees.some((a) => a.note))));
const plantedIds = new Set(base.planted.map((p) => p.recordId));
const noteRules = RULES.filter((r) => r.appliesTo.includes('note') && r.notes !== undefined).map((r) => r.id);
console.log(`bench/note-quality: note rules on the same clinic (${withNotes.length} records with notes, ${plantedIds.size} with a planted problem)`);
for (const [kind, k] of Object.entries(byKind)) console.log(`    planted ${kind.padEnd(38)} ${`${k.found}/${k.planted} ${pct(k.found / k.planted)}`.padStart(16)}  ${mark(k.found / k.planted >= 0.95)}`);
const unplanted = withNotes.filter((r) => !plantedIds.has(r.id));
let worst = 0;
for (const rule of noteRules) {
  const n = unplanted.filter((r) => (rulesOn.get(r.id) ?? []).includes(rule)).length;
  worst = Math.max(worst, n / unplanted.length);
}
console.log(`    unplanted records flagged by any one note rule: at most ${pct(worst)} of ${unplanted.length} (goal ≤ 5%: ${mark(worst <= 0.05)})`);

// ---------------------------------------------------------------------------------------------
// 3. Speed.
// ---------------------------------------------------------------------------------------------
// The texts only (nothing about them is printed); with --dev-only, dev.jsonl alone.
const corpus = (devOnly ? ['dev'] : ['dev', ...HELD_OUT]).flatMap(readSplit).map((n) => n.text);
const notes = corpus.map((_, i) => {
  let text = corpus[i];
  for (let j = i + 1; text.split(/\s+/).length < 90; j++) text += `\n${corpus[j % corpus.length]}`;
  return text;
});
const words = notes.reduce((n, t) => n + t.split(/\s+/).length, 0) / notes.length;
// The pass a keyword linter makes: every trigger word of the note rules, once over each note.
const SCAN =
  /suicid|self[- ]?harm|overdos|kill (?:myself|himself|herself)|wake up|diagnos|bipolar|adhd|ptsd|medication|dose|meds|pill|lent|loan|borrow|cash|\$\d|gift|attractive|date|dinner|friend request|personal (?:number|cell|phone)|business|hired|rent|stay(?:ed)? (?:at|with)|own (?:story|history)|most of the|[A-Z][a-z]+ [A-Z][a-z]+/gi;
let sink = 0;
const lint = () => {
  for (const t of notes) sink += lintNote(t, { model: false }).length;
};
const lintWithModel = () => {
  for (const t of notes) sink += lintNote(t, { model: true }).length;
};
const scan = () => {
  for (const t of notes) {
    SCAN.lastIndex = 0;
    while (SCAN.exec(t)) sink += 1;
  }
};
const measure = (fn, repeat) => {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < repeat; i++) fn();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - wall) / repeat, cpu: (used.user + used.system) / 1000 / repeat };
};
lint();
lintWithModel();
scan();
const lintRuns = [];
const modelRuns = [];
const scanRuns = [];
for (let i = 0; i < rounds; i++) {
  scanRuns.push(measure(scan, 20));
  lintRuns.push(measure(lint, 1));
  modelRuns.push(measure(lintWithModel, 1));
}
const median = (xs, key) => [...xs].map((x) => x[key]).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (ms) => Math.round((notes.length / ms) * 1000).toLocaleString('en-US');
const lintCpu = median(lintRuns, 'cpu');
const lintWall = median(lintRuns, 'wall');
const modelCpu = median(modelRuns, 'cpu');
const modelWall = median(modelRuns, 'wall');
const scanCpu = median(scanRuns, 'cpu');
const scanWall = median(scanRuns, 'wall');
console.log('');
console.log(`bench/note-quality: speed, ${notes.length} notes of ~${Math.round(words)} words, median of ${rounds} rounds`);
console.log(`    baseline  one regex pass over the notes   ${rate(scanCpu).padStart(10)} notes per CPU-second  (${rate(scanWall)} notes/s wall clock)`);
console.log(`    lintNote  every note rule (model: false) ${rate(lintCpu).padStart(10)} notes per CPU-second  (${rate(lintWall)} notes/s wall clock)`);
console.log(`    lintNote  rules + note model (default) ${rate(modelCpu).padStart(10)} notes per CPU-second  (${rate(modelWall)} notes/s wall clock)  goal ≥ 1,000: ${mark((notes.length / modelCpu) * 1000 >= 1000)}`);
console.log(`    ratio lintNote/baseline: ${(lintCpu / scanCpu).toFixed(0)}x CPU time (${(lintWall / scanWall).toFixed(0)}x wall clock) model off, ${(modelCpu / scanCpu).toFixed(0)}x CPU (${(modelWall / scanWall).toFixed(0)}x wall) with the model`);
if (sink < 0) console.log(sink);
