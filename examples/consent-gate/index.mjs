// consent-gate: a peer in a 42 CFR Part 2 program (substance use) has signed a consent that lets
// PeerKit share their peer support progress notes with one named member of their care team, for
// treatment. This example asks the consent engine whether a disclosure may happen, sends only what
// the consent covers (with a preview of what was withheld and why), then the peer revokes the
// consent and the same request is denied. All data here is synthetic.
//
//   npm start            (in this folder)   or   node examples/consent-gate/index.mjs
import { toFhir } from '@peerkit/fhir';
import { parseRecord } from '@peerkit/model';
import { checkPart2Consent, decideConsent, gateDisclosure, parseDisclosureRequest, readConsents } from '@peerkit/safeguards';

const quiet = process.argv.includes('--quiet');
const log = (...args) => {
  if (!quiet) console.log(...args);
};

const NPI = 'http://hl7.org/fhir/sid/us-npi';
const CARE_TEAM_MEMBER = { system: NPI, value: '1902345678' }; // the recipient the consent names
const NOTE_TEXTS = [
  'Peer talked through cravings after a hard week at work and chose two meetings to attend.',
  'Practised the refusal plan for the family gathering; peer will call their sponsor beforehand.',
];
// The clock is an argument everywhere in PeerKit: a fixed "now" keeps the example's output stable.
const NOW = '2026-05-01T12:00:00Z';

// ── 1. The records: a Part 2 program, a peer in it, two notes, and the peer's consent ─────────────
const organization = {
  kind: 'organization',
  id: 'org-1',
  name: 'Harbor Peer Recovery Services',
  identifiers: [{ system: NPI, value: '1234567893' }],
  identifierSystem: 'https://example.org/harbor',
  state: 'PA',
  // part2: true — a federally assisted SUD program: its records carry 42 CFR Part 2 protections.
  programs: [{ id: 'prog-sud', name: 'Recovery Coaching', type: 'substance-use', part2: true }],
};
const specialist = {
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
const peer = {
  kind: 'peer',
  id: 'peer-1',
  patient: { reference: 'Patient/ehr-2001' }, // the host EHR owns the Patient
  enrollments: [{ programId: 'prog-sud', programType: 'substance-use', start: '2026-01-05' }],
};
const encounters = NOTE_TEXTS.map((text, i) => ({
  kind: 'encounter',
  id: `enc-${i + 1}`,
  peerId: 'peer-1',
  specialistId: 'sp-1',
  programId: 'prog-sud',
  programType: 'substance-use',
  status: 'completed',
  start: `2026-03-0${2 + i * 7}T10:00:00-05:00`,
  end: `2026-03-0${2 + i * 7}T10:50:00-05:00`,
  durationMinutes: 45,
  modality: 'in-person',
  setting: 'community',
  activities: ['emotional-support', 'skill-building'],
  note: { text, signedAt: `2026-03-0${2 + i * 7}T12:00:00-05:00`, signedBy: 'sp-1' },
}));
// A 42 CFR §2.31 consent: who may disclose, to whom (a named individual, by NPI), for what purpose,
// which information (SUD information, progress notes only), until when, signed by the peer.
const consent = {
  kind: 'consent',
  id: 'cons-1',
  peerId: 'peer-1',
  consentKind: 'part2-disclosure',
  status: 'active',
  discloser: { name: 'Harbor Peer Recovery Services', organizationId: 'org-1' },
  recipients: [{ type: 'individual', name: 'Casey Example, MD', identifier: CARE_TEAM_MEMBER }],
  purposes: ['treatment'],
  dataCategories: ['substance-use', 'progress-notes'],
  informationDescription: 'Peer support progress notes',
  period: { start: '2026-01-05', end: '2027-01-05' },
  expiration: { date: '2027-01-05' },
  rightToRevokeStatement: true,
  redisclosureNotice: true,
  signature: { signer: 'peer', signedAt: '2026-01-05T10:15:00-05:00', method: 'electronic' },
};

/** Validates the records and maps them to FHIR R4 (labels included: the peer is in a Part 2 program). */
function toResources(inputs) {
  const records = inputs.map((input) => {
    const result = parseRecord(input);
    if (!result.ok) throw new Error(`record ${input.kind} ${input.id} is invalid: ${result.issues.map((i) => i.code).join(', ')}`);
    return result.value;
  });
  const fhir = toFhir(records);
  if (!fhir.ok) throw new Error('mapping failed');
  return fhir.value;
}

// The consent is complete under §2.31(a): each missing element would be an issue naming it.
const completeness = checkPart2Consent(parseRecord(consent).value);
log(`Consent ${consent.id}: §2.31(a) elements ${completeness.issues.filter((i) => i.severity === 'error').length === 0 ? 'all present' : 'missing some'}`);

const resources = toResources([organization, specialist, peer, ...encounters, consent]);
const notes = resources.filter((r) => r.resourceType === 'DocumentReference');
log('Labels on each progress note (DS4P):', notes[0].meta.security.map((c) => c.code).join(', '));

// What the care-team member asks for: the peer's peer-support record, for treatment.
const bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: resources
    .filter((r) => ['Encounter', 'Procedure', 'DocumentReference'].includes(r.resourceType))
    .map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
};

// ── 2. The request: who asks, for which patient, for what purpose ─────────────────────────────────
const request = parseDisclosureRequest({
  patient: { reference: 'Patient/ehr-2001' },
  actor: [CARE_TEAM_MEMBER],
  purposeOfUse: ['TREAT'], // v3-ActReason treatment
  action: 'disclose',
  date: '2026-05-01',
});
if (!request.ok) throw new Error('invalid request');

/** Asks the engine, gates the Bundle, prints decision, explanation and preview; returns both. */
function share(label, consentResources) {
  const consents = readConsents(consentResources);
  if (!consents.ok) throw new Error('unreadable consents');
  // The decision for the request as a whole, with why.
  const decision = decideConsent(consents.value, request.value, { now: NOW });
  // The gate decides entry by entry and returns only what may go.
  const gate = gateDisclosure(bundle, consents.value, request.value, { now: NOW });

  log(`\n── ${label} ──`);
  log(`decision: ${decision.decision}  (basis: ${decision.basis.kind}${decision.basis.consent ? ` ${decision.basis.consent}` : ''})`);
  for (const e of decision.explanation) log(`  ${e.consent}: ${e.role}, ${e.reason} — ${e.message}`);
  for (const o of decision.obligations) log(`  obligation ${o.kind}${o.source ? ` (${o.source})` : ''}`);
  log(`audit: AuditEvent outcome "${decision.audit.outcomeDesc}"`);
  // The preview says what went and what was withheld and why: resource types and counts, no content.
  log('redaction preview:', JSON.stringify(gate.preview, null, 2));
  log(gate.bundle ? `sent: a Bundle of ${gate.bundle.entry.length} entries${gate.preview.noticeAttached ? ' with the §2.32 no-redisclosure notice' : ''}` : 'sent: nothing');
  return { decision, gate };
}

// ── 3. With the active consent: the notes go, attendance and services are withheld ───────────────
const before = share('Consent active', resources.filter((r) => r.resourceType === 'Consent'));

// ── 4. The peer revokes the consent (42 CFR §2.31(a)(6)); the same request is denied ───────────────
const revoked = { ...consent, status: 'revoked', revocation: { date: '2026-04-20T09:00:00-04:00', method: 'wet' } };
const revokedResources = toResources([organization, specialist, peer, revoked]).filter((r) => r.resourceType === 'Consent');
log(`\nConsent ${consent.id} revoked: FHIR Consent.status is now "${revokedResources[0].status}"`);
const after = share('Consent revoked', revokedResources);

// ── The smoke test run by `npm test` ──────────────────────────────────────────────────────────────
const problems = [];
if (before.decision.decision !== 'PERMIT' || before.gate.preview.decision !== 'PERMIT') problems.push('the active consent did not permit');
if (before.gate.preview.disclosed.DocumentReference !== NOTE_TEXTS.length) problems.push('the notes were not disclosed');
if (!['DENY', 'NO_CONSENT'].includes(after.decision.decision) || !['DENY', 'NO_CONSENT'].includes(after.gate.preview.decision)) problems.push('the revoked consent still permits');
if (after.gate.bundle !== undefined) problems.push('something was sent after revocation');
// What is shown or logged about a decision never carries the notes' content.
const shown = JSON.stringify([before.gate.preview, after.gate.preview, before.decision.explanation, after.decision.explanation, before.decision.audit, after.decision.audit]);
const encodedNotes = NOTE_TEXTS.map((t) => Buffer.from(t, 'utf8').toString('base64'));
if ([...NOTE_TEXTS, ...encodedNotes].some((t) => shown.includes(t) || shown.includes(t.slice(0, 20)))) problems.push('a preview, explanation or audit contains note text');
if (problems.length > 0) {
  console.error(`consent-gate: ${problems.join('; ')}`);
  process.exit(1);
}
log('\nOK: PERMIT with the consent, denied after revocation; previews and audits hold no note text.');
