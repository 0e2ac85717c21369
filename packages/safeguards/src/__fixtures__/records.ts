/** Synthetic clinic records for the record-rule tests. No real people. */
import type { Consent, GroupSession, Organization, PeerEncounter, Peer, RecoveryPlan, Referral, Specialist } from '@peerkit/model';

export const org = (): Organization => ({
  kind: 'organization',
  id: 'org-1',
  name: 'Synthetic Recovery Collective',
  identifiers: [],
  identifierSystem: 'https://example.org/synthetic',
  state: 'PA',
  programs: [
    { id: 'prog-mh', name: 'Mental Health Peer Support', type: 'mental-health', part2: false },
    { id: 'prog-sud', name: 'Recovery Coaching', type: 'substance-use', part2: true },
  ],
});

export const specialist = (patch: Partial<Specialist> = {}): Specialist => ({
  kind: 'specialist',
  id: 'spec-1',
  identifiers: [],
  name: { given: ['Casey'], family: 'Synthwood' },
  roleLevel: 'specialist',
  active: true,
  organizationId: 'org-1',
  hired: '2024-01-02',
  certifications: [{ credential: 'cps', issuer: 'Synthetic Board', number: 'CPS-1', issued: '2025-01-01', expires: '2027-01-01' }],
  continuingEducation: [
    { date: '2025-06-01', hours: 12, topic: 'Ethics and boundaries', ethics: true },
    { date: '2026-01-15', hours: 10, topic: 'Trauma-informed support', ethics: false },
  ],
  supervisorId: 'spec-9',
  supervisionLog: [{ date: '2026-03-20', supervisorId: 'spec-9', minutes: 60, format: 'individual' }],
  specializations: [],
  livedExperience: [],
  languages: [],
  caseloadLimit: 2,
  ...patch,
});

export const peer = (id: string, patch: Partial<Peer> = {}): Peer => ({
  kind: 'peer',
  id,
  patient: { reference: `Patient/${id}` },
  enrollments: [{ programId: 'prog-sud', programType: 'substance-use', start: '2025-06-01' }],
  coverage: [],
  primarySpecialistId: 'spec-1',
  ...patch,
});

export const plan = (peerId: string, patch: Partial<RecoveryPlan> = {}): RecoveryPlan => ({
  kind: 'recovery-plan',
  id: `plan-${peerId}`,
  peerId,
  specialistId: 'spec-1',
  status: 'active',
  created: '2025-06-10T10:00:00-05:00',
  period: { start: '2025-06-10' },
  strengths: [],
  goals: [{ id: 'g1', text: 'Keep my apartment', domain: 'home', status: 'active' }],
  steps: [],
  supports: [],
  signatures: [],
  ...patch,
});

export const encounter = (id: string, patch: Partial<PeerEncounter> = {}): PeerEncounter => ({
  kind: 'encounter',
  id,
  peerId: 'peer-1',
  specialistId: 'spec-1',
  programId: 'prog-sud',
  programType: 'substance-use',
  status: 'completed',
  start: '2026-03-30T10:00:00-05:00',
  end: '2026-03-30T10:45:00-05:00',
  modality: 'in-person',
  setting: 'community',
  activities: ['emotional-support'],
  goalIds: [],
  note: { text: 'Met peer at the library. Peer said the week went better.', signedAt: '2026-03-30T12:00:00-05:00', signedBy: 'spec-1' },
  referralIds: [],
  ...patch,
});

export const group = (patch: Partial<GroupSession> = {}): GroupSession => ({
  kind: 'group-session',
  id: 'grp-1',
  programId: 'prog-sud',
  programType: 'substance-use',
  facilitatorIds: ['spec-1'],
  topic: 'coping-skills',
  status: 'completed',
  start: '2026-03-30T17:00:00-05:00',
  end: '2026-03-30T18:00:00-05:00',
  modality: 'in-person',
  setting: 'recovery-center',
  attendees: [
    { peerId: 'peer-1', attendance: 'present', minutesPresent: 60, note: { text: 'Peer shared one strategy that helps them.', signedAt: '2026-03-30T19:00:00-05:00', signedBy: 'spec-1' } },
  ],
  groupNote: { text: 'Members practiced grounding skills.', signedAt: '2026-03-30T19:00:00-05:00', signedBy: 'spec-1' },
  ...patch,
});

export const consent = (patch: Partial<Consent> = {}): Consent => ({
  kind: 'consent',
  id: 'consent-1',
  peerId: 'peer-1',
  consentKind: 'part2-tpo',
  status: 'active',
  discloser: { name: 'Synthetic Recovery Collective', organizationId: 'org-1' },
  recipients: [{ type: 'general-designation', description: 'My treating providers' }],
  purposes: ['treatment', 'payment', 'operations'],
  dataCategories: ['substance-use'],
  period: { start: '2026-01-05' },
  expiration: { event: 'None: until I revoke this consent' },
  rightToRevokeStatement: true,
  redisclosureNotice: true,
  signature: { signer: 'peer', signedAt: '2026-01-05T10:00:00-05:00', method: 'wet' },
  ...patch,
});

export const referral = (patch: Partial<Referral> = {}): Referral => ({
  kind: 'referral',
  id: 'ref-1',
  peerId: 'peer-1',
  specialistId: 'spec-1',
  created: '2026-03-30T11:00:00-05:00',
  target: { type: 'community-resource', category: 'housing', organizationName: 'Synthetic Housing Program' },
  urgency: 'routine',
  status: 'requested',
  consentId: 'consent-1',
  ...patch,
});
