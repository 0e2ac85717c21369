/**
 * Synthetic records for billing tests: builders with sensible defaults (a covered adult member, a
 * certified and supervised specialist, an active signed plan) that a test changes one field at a time.
 * Every name and id is made up.
 */
import type { Consent, GroupSession, Organization, Peer, PeerEncounter, RecoveryPlan, Specialist } from '@peerkit/model';
import type { BillingContext } from '../billing-context';
import type { PayerPack } from '../pack-schema';

export const ORG: Organization = {
  kind: 'organization',
  id: 'org-test',
  name: 'Test Peer Center (synthetic)',
  identifiers: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }],
  identifierSystem: 'https://example.org/test/id',
  state: 'NJ',
  programs: [
    { id: 'prog-mh', name: 'Mental health peer support', type: 'mental-health', part2: false },
    { id: 'prog-sud', name: 'Recovery coaching', type: 'substance-use', part2: true },
  ],
};

export function specialist(patch: Partial<Specialist> = {}): Specialist {
  return {
    kind: 'specialist',
    id: 'sp-1',
    identifiers: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1999999984' }],
    name: { given: ['Sam'], family: 'Example' },
    roleLevel: 'specialist',
    active: true,
    organizationId: 'org-test',
    certifications: [
      { credential: 'cps', issuer: 'Example Board', state: 'NJ', number: 'CPS-1', issued: '2020-01-01', expires: '2030-01-01' },
    ],
    continuingEducation: [],
    supervisorId: 'sp-sup',
    supervisionLog: [],
    specializations: [],
    livedExperience: [],
    languages: ['en'],
    caseloadLimit: 20,
    ...patch,
  };
}

export function peer(patch: Partial<Peer> = {}): Peer {
  return {
    kind: 'peer',
    id: 'peer-1',
    patient: { reference: 'Patient/ehr-1' },
    birthDate: '1980-06-15',
    enrollments: [{ programId: 'prog-sud', programType: 'substance-use', start: '2025-01-01' }],
    coverage: [{ payerId: 'medicaid-generic', memberId: 'M000000001', start: '2024-01-01' }],
    ...patch,
  };
}

export function plan(patch: Partial<RecoveryPlan> = {}): RecoveryPlan {
  return {
    kind: 'recovery-plan',
    id: 'plan-1',
    peerId: 'peer-1',
    specialistId: 'sp-1',
    status: 'active',
    created: '2025-01-05T10:00:00-05:00',
    period: { start: '2025-01-05' },
    reviewDue: '2030-01-01',
    strengths: [],
    goals: [{ id: 'g1', text: 'Keep my apartment.', domain: 'home', status: 'active' }],
    steps: [],
    supports: [],
    signatures: [
      { role: 'peer', signedAt: '2025-01-05T10:30:00-05:00', method: 'electronic' },
      { role: 'specialist', signerId: 'sp-1', signedAt: '2025-01-05T10:31:00-05:00', method: 'electronic' },
      { role: 'clinician', signedAt: '2025-01-06T09:00:00-05:00', method: 'electronic' },
    ],
    ...patch,
  };
}

export function consent(patch: Partial<Consent> = {}): Consent {
  return {
    kind: 'consent',
    id: 'consent-1',
    peerId: 'peer-1',
    consentKind: 'hipaa-authorization',
    status: 'active',
    recipients: [{ type: 'organization', name: 'Example Clinic' }],
    purposes: ['treatment'],
    dataCategories: ['progress-notes'],
    period: { start: '2025-01-01' },
    rightToRevokeStatement: true,
    redisclosureNotice: true,
    signature: { signer: 'peer', signedAt: '2025-01-01T09:00:00-05:00', method: 'verbal' },
    ...patch,
  };
}

let sequence = 0;

/** A completed one-on-one encounter of `minutes` minutes starting at `start` (local time, -05:00). */
export function encounter(start: string, minutes: number, patch: Partial<PeerEncounter> = {}): PeerEncounter {
  sequence += 1;
  const startMs = Date.parse(`${start}-05:00`);
  const end = new Date(startMs + minutes * 60_000 - 5 * 3_600_000).toISOString().slice(0, 19);
  return {
    kind: 'encounter',
    id: `enc-${String(sequence).padStart(5, '0')}`,
    peerId: 'peer-1',
    specialistId: 'sp-1',
    programId: 'prog-sud',
    programType: 'substance-use',
    status: 'completed',
    start: `${start}-05:00`,
    end: `${end}-05:00`,
    durationMinutes: minutes,
    modality: 'in-person',
    setting: 'clinic',
    activities: ['emotional-support'],
    goalIds: [],
    referralIds: [],
    note: { text: 'Met and talked through the week.', signedAt: `${end}-05:00`, signedBy: 'sp-1' },
    ...patch,
  };
}

/** A completed group session with `present` members (peer-g1 … peer-gN) present for `minutes`. */
export function groupSession(start: string, minutes: number, present: number, patch: Partial<GroupSession> = {}): GroupSession {
  sequence += 1;
  const startMs = Date.parse(`${start}-05:00`);
  const end = new Date(startMs + minutes * 60_000 - 5 * 3_600_000).toISOString().slice(0, 19);
  return {
    kind: 'group-session',
    id: `grp-${String(sequence).padStart(5, '0')}`,
    programId: 'prog-sud',
    programType: 'substance-use',
    facilitatorIds: ['sp-1'],
    topic: 'coping-skills',
    status: 'completed',
    start: `${start}-05:00`,
    end: `${end}-05:00`,
    modality: 'in-person',
    setting: 'clinic',
    attendees: Array.from({ length: present }, (_, i) => ({
      peerId: `peer-g${i + 1}`,
      attendance: 'present' as const,
      minutesPresent: minutes,
      note: { text: 'Took part in the group.', signedBy: 'sp-1', signedAt: `${end}-05:00` },
    })),
    ...patch,
  };
}

/** Peers peer-g1 … peer-gN, like {@link peer}. */
export function groupPeers(n: number, patch: Partial<Peer> = {}): Peer[] {
  return Array.from({ length: n }, (_, i) => peer({ id: `peer-g${i + 1}`, patient: { reference: `Patient/ehr-g${i + 1}` }, ...patch }));
}

/** A peer supervisor with no supervisor of their own. */
export function supervisor(state = 'NJ'): Specialist {
  const { supervisorId: _none, ...rest } = specialist({ id: 'sp-sup', roleLevel: 'supervisor' });
  return { ...rest, certifications: rest.certifications.map((c) => ({ ...c, state, number: 'CPS-2' })) };
}

/**
 * A context with one pack, the default peer, a specialist certified in the pack's state (NJ for a
 * pack without one), their supervisor, a plan and a consent; the organization is in the same state.
 */
export function context(pack: PayerPack, patch: Partial<BillingContext> = {}): BillingContext {
  const state = pack.state ?? 'NJ';
  const sp = specialist();
  return {
    packs: [pack],
    peers: [peer()],
    specialists: [{ ...sp, certifications: sp.certifications.map((c) => ({ ...c, state })) }, supervisor(state)],
    plans: [plan()],
    consents: [consent()],
    organization: { ...ORG, state },
    ...patch,
  };
}
