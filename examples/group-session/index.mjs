// group-session: one peer support group in a 42 CFR Part 2 program becomes what each attendee's
// record needs — their own FHIR Encounter (part of the session) and a copy of the group note in which
// every other member is redacted — then each member's own consent decides whether their copy may go
// to the care coordinator who asked, and the session is billed: one H0038 line per member present,
// with the group modifier HQ, under the `medicaid-generic` payer pack. All data here is synthetic.
//
//   npm start            (in this folder)   or   node examples/group-session/index.mjs
import { billEncounters, collectBillingRecords, getPayerPack } from '@peerkit/billing';
import { toFhir } from '@peerkit/fhir';
import { parseRecord } from '@peerkit/model';
import { createGroupNoteCopy, gateDisclosure, parseDisclosureRequest, readConsents } from '@peerkit/safeguards';

const quiet = process.argv.includes('--quiet');
const log = (...args) => {
  if (!quiet) console.log(...args);
};

const NPI = 'http://hl7.org/fhir/sid/us-npi';
const COORDINATOR = { system: NPI, value: '1811223344' }; // the care coordinator asking for the notes
const OTHER_PROVIDER = { system: NPI, value: '1700998877' };
const NOW = '2026-03-20T12:00:00Z'; // PeerKit takes its clock as an argument: stable output

// ── 1. What the host EHR knows and the clinic export does not: members' names and MRNs ────────────
// PeerKit's records hold ids only; the host passes names and identifiers in so they can be redacted.
const members = {
  'peer-1': { names: ['Avery Sample', 'Avery'], mrn: 'MRN-3001', patient: 'Patient/ehr-3001' },
  'peer-2': { names: ['Riley Example', 'Riley'], mrn: 'MRN-3002', patient: 'Patient/ehr-3002' },
  'peer-3': { names: ['Quinn Placeholder', 'Quinn'], mrn: 'MRN-3003', patient: 'Patient/ehr-3003' },
  'peer-4': { names: ['Sam Fictional', 'Sam'], mrn: 'MRN-3004', patient: 'Patient/ehr-3004' },
};

// ── 2. The clinic export: program, facilitator, members (with Medicaid coverage), the session ─────
const organization = {
  kind: 'organization',
  id: 'org-1',
  name: 'Harbor Peer Recovery Services',
  identifiers: [{ system: NPI, value: '1234567893' }],
  identifierSystem: 'https://example.org/harbor',
  state: 'PA',
  programs: [{ id: 'prog-sud', name: 'Recovery Coaching', type: 'substance-use', part2: true }],
};
const facilitator = {
  kind: 'specialist',
  id: 'sp-1',
  name: { given: ['Jordan'], family: 'Examplar' },
  roleLevel: 'specialist',
  active: true,
  organizationId: 'org-1',
  certifications: [{ credential: 'cprs', issuer: 'Example State Certification Board', state: 'PA', number: 'CPRS-0001', issued: '2025-01-01', expires: '2027-01-01' }],
  supervisorId: 'sp-2',
  caseloadLimit: 20,
};
// The facilitator's supervisor of record (payers ask for one); a supervisor needs none.
const { supervisorId: _none, ...unsupervised } = facilitator;
const supervisor = { ...unsupervised, id: 'sp-2', name: { given: ['Robin'], family: 'Supervisor' }, roleLevel: 'supervisor', certifications: [{ ...facilitator.certifications[0], number: 'CPRS-0002' }] };
const peers = Object.entries(members).map(([id, m], i) => ({
  kind: 'peer',
  id,
  patient: { reference: m.patient, identifier: { system: 'https://example.org/harbor/mrn', value: m.mrn } },
  birthDate: `198${i}-05-0${i + 1}`,
  enrollments: [{ programId: 'prog-sud', programType: 'substance-use', start: '2026-01-05' }],
  coverage: [{ payerId: 'medicaid-generic', memberId: `M-00${i + 1}`, start: '2026-01-01' }],
}));
const note = (text) => ({ text, signedAt: '2026-03-16T19:00:00-04:00', signedBy: 'sp-1' });
const session = {
  kind: 'group-session',
  id: 'gs-1',
  programId: 'prog-sud',
  programType: 'substance-use',
  facilitatorIds: ['sp-1'],
  topic: 'relapse-prevention',
  title: 'Getting through the holidays',
  status: 'completed',
  start: '2026-03-16T17:00:00-04:00',
  end: '2026-03-16T18:30:00-04:00',
  modality: 'in-person',
  setting: 'community',
  groupNote: note('Group worked on relapse-prevention plans for family events. Avery opened with a check-in; Riley Example and Quinn shared what helped last year.'),
  attendees: [
    { peerId: 'peer-1', attendance: 'present', minutesPresent: 90, note: note('Avery named two triggers and wrote a plan. Said Riley\'s story about leaving early helped.') },
    { peerId: 'peer-2', attendance: 'present', minutesPresent: 90, note: note('Riley shared their plan for the holidays and offered Quinn Placeholder a ride to the next meeting.') },
    { peerId: 'peer-3', attendance: 'late', minutesPresent: 60, note: note('Quinn arrived late (after peer-1 had spoken, see MRN-3001) and joined the plan exercise.') },
    { peerId: 'peer-4', attendance: 'absent' },
  ],
};
// Each member's consents: who may receive what (42 CFR §2.31). Avery's names the coordinator;
// Riley's names someone else; Quinn revoked theirs; Sam has none.
const consent = (id, peerId, recipient, extra = {}) => ({
  kind: 'consent',
  id,
  peerId,
  consentKind: 'part2-disclosure',
  status: 'active',
  discloser: { name: 'Harbor Peer Recovery Services', organizationId: 'org-1' },
  recipients: [{ type: 'individual', name: 'Care team member', identifier: recipient }],
  purposes: ['treatment'],
  dataCategories: ['substance-use', 'progress-notes', 'attendance'],
  period: { start: '2026-01-05', end: '2027-01-05' },
  expiration: { date: '2027-01-05' },
  rightToRevokeStatement: true,
  redisclosureNotice: true,
  signature: { signer: 'peer', signedAt: '2026-01-05T10:15:00-05:00', method: 'electronic' },
  ...extra,
});
const consents = [
  consent('cons-1', 'peer-1', COORDINATOR),
  consent('cons-2', 'peer-2', OTHER_PROVIDER),
  consent('cons-3', 'peer-3', COORDINATOR, { status: 'revoked', revocation: { date: '2026-03-01T09:00:00-05:00', method: 'wet' } }),
];

const records = [organization, facilitator, supervisor, ...peers, session, ...consents].map((input) => {
  const result = parseRecord(input);
  if (!result.ok) throw new Error(`${input.kind} ${input.id} is invalid: ${result.issues.map((i) => `${i.code} at ${i.path.join('.')}`).join(', ')}`);
  return result.value;
});
const parsedSession = records.find((r) => r.kind === 'group-session');
const present = parsedSession.attendees.filter((a) => ['present', 'late', 'left-early'].includes(a.attendance));
const absent = parsedSession.attendees.filter((a) => !present.includes(a));

// ── 3. Each present member's copy of the note: the group note + their own, others redacted ────────
const memberNames = Object.fromEntries(Object.entries(members).map(([id, m]) => [id, m.names]));
const memberIdentifiers = Object.fromEntries(Object.entries(members).map(([id, m]) => [id, [m.mrn, m.patient]]));
const copies = new Map();
for (const a of present) {
  const copy = createGroupNoteCopy(parsedSession, a.peerId, { memberNames, memberIdentifiers });
  if (!copy.ok) throw new Error('not an attendee');
  copies.set(a.peerId, copy.value);
}
log(`Group session ${parsedSession.id}: ${present.length} members present, ${absent.length} absent`);
log(`\nCopy filed in ${members['peer-3'].names[0]}'s record (${copies.get('peer-3').redactions} redactions):\n  ${copies.get('peer-3').text.replaceAll('\n', '\n  ')}`);

// The copies are what each member's record holds: map the session with them to FHIR, so each
// attendee's DocumentReference carries their redacted copy and their Encounter only their own data.
const filed = {
  ...parsedSession,
  attendees: parsedSession.attendees.map((a) => (copies.has(a.peerId) ? { ...a, note: { ...a.note, text: copies.get(a.peerId).text } } : a)),
};
const fhir = toFhir(records.map((r) => (r === parsedSession ? filed : r)));
if (!fhir.ok) throw new Error('mapping failed');
const attendeeResources = (peerId) =>
  fhir.value.filter((r) => (r.resourceType === 'Encounter' || r.resourceType === 'DocumentReference') && r.subject?.reference === members[peerId].patient);

// ── 4. Per member: may their record of the session go to the care coordinator? ──────────────────
const fhirConsents = fhir.value.filter((r) => r.resourceType === 'Consent');
const decisions = new Map();
for (const a of present) {
  const patient = members[a.peerId].patient;
  const request = parseDisclosureRequest({ patient: { reference: patient }, actor: [COORDINATOR], purposeOfUse: ['TREAT'], action: 'disclose', date: '2026-03-20' });
  const own = readConsents(fhirConsents.filter((c) => c.patient.reference === patient));
  if (!request.ok || !own.ok) throw new Error('bad request or consents');
  const bundle = { resourceType: 'Bundle', type: 'collection', entry: attendeeResources(a.peerId).map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })) };
  decisions.set(a.peerId, gateDisclosure(bundle, own.value, request.value, { now: NOW }).preview);
}

// ── 5. Billing: one line per member present, group modifier HQ, under medicaid-generic ────────────
const { encounters, ...context } = collectBillingRecords(records);
const run = billEncounters(encounters, { ...context, packs: [getPayerPack('medicaid-generic')] });
const linesOf = (peerId) => run.lines.filter((l) => l.peerId === peerId);

const table = [['member', 'attendance', 'minutes', 'redactions', 'to coordinator', 'sent / withheld', 'claim line']];
for (const a of parsedSession.attendees) {
  const preview = decisions.get(a.peerId);
  const line = linesOf(a.peerId)[0];
  table.push([
    members[a.peerId].names[0],
    a.attendance,
    String(a.minutesPresent ?? 0),
    copies.has(a.peerId) ? String(copies.get(a.peerId).redactions) : '-',
    preview?.decision ?? '-',
    preview ? `${Object.values(preview.disclosed).reduce((s, n) => s + n, 0)} / ${preview.withheld.reduce((s, w) => s + w.count, 0)}` : '-',
    line ? `${line.code}-${line.modifiers.join('-')} × ${line.units} (${line.status})` : 'none',
  ]);
}
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
log('');
for (const row of table) log(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
log(`\nNot delivered (absent members, not billed): ${run.notDelivered}`);

// ── The smoke test run by `npm test` ──────────────────────────────────────────────────────────────
const problems = [];
const identifiersOf = (peerId) => [peerId, members[peerId].mrn, members[peerId].patient, ...members[peerId].names];
const decode = (resources) =>
  JSON.stringify(resources) +
  resources.flatMap((r) => (r.content ?? []).map((c) => (c.attachment?.data ? Buffer.from(c.attachment.data, 'base64').toString('utf8') : ''))).join('\n');
for (const a of present) {
  const others = parsedSession.attendees.filter((o) => o.peerId !== a.peerId).flatMap((o) => identifiersOf(o.peerId));
  // Whole words only: "Sam" must not be found inside "Sample".
  const mentions = (text) => others.filter((x) => new RegExp(`(?<![\\p{L}\\p{N}])${x.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(text));
  const inCopy = mentions(copies.get(a.peerId).text);
  const inFhir = mentions(decode(attendeeResources(a.peerId)));
  if (inCopy.length > 0) problems.push(`${a.peerId}'s copy names or identifies another member`);
  if (inFhir.length > 0) problems.push(`${a.peerId}'s FHIR Encounter or note names or identifies another member`);
  const lines = linesOf(a.peerId);
  if (lines.length !== 1 || !lines[0].modifiers.includes('HQ')) problems.push(`${a.peerId} (present) has no HQ line`);
}
for (const a of absent) if (linesOf(a.peerId).length > 0) problems.push(`${a.peerId} (absent) was billed`);
if (decisions.get('peer-1')?.decision !== 'PERMIT' || decisions.get('peer-2')?.decision === 'PERMIT' || decisions.get('peer-3')?.decision === 'PERMIT') {
  problems.push('a consent decision is not what the members consented to');
}
if (problems.length > 0) {
  console.error(`group-session: ${problems.join('; ')}`);
  process.exit(1);
}
log('\nOK: no copy names another member; one HQ line per member present, none for the absent member.');
