/**
 * Synthetic records, one valid example per record kind. Every value is made up (`…-001` ids,
 * `Avery Testperson`, 555-01xx phone numbers). Each function returns a new object, so a test may
 * mutate its copy freely.
 *
 * Every optional field with a default is written out, so a parsed fixture deep-equals its input.
 */
import type { z } from 'zod';
import type { RecordKind } from '../codes';
import type { consentSchema } from '../consent';
import type { peerEncounterSchema } from '../encounter';
import type { groupSessionSchema } from '../group-session';
import type { organizationSchema } from '../organization';
import type { peerSchema } from '../peer';
import type { recoveryPlanSchema } from '../recovery-plan';
import type { referralSchema } from '../referral';
import type { serviceConsentSchema } from '../service-consent';
import type { specialistSchema } from '../specialist';

export type OrganizationInput = z.input<typeof organizationSchema>;
export type SpecialistInput = z.input<typeof specialistSchema>;
export type PeerInput = z.input<typeof peerSchema>;
export type RecoveryPlanInput = z.input<typeof recoveryPlanSchema>;
export type EncounterInput = z.input<typeof peerEncounterSchema>;
export type GroupSessionInput = z.input<typeof groupSessionSchema>;
export type ConsentInput = z.input<typeof consentSchema>;
export type ReferralInput = z.input<typeof referralSchema>;
export type ServiceConsentInput = z.input<typeof serviceConsentSchema>;

/** The agency, with a mental-health program and a 42 CFR Part 2 substance-use program. */
export function organization(): OrganizationInput {
  return {
    kind: 'organization',
    id: 'org-001',
    name: 'Testville Peer Support Agency',
    identifiers: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '0000000001' }],
    identifierSystem: 'https://example.org/testville',
    state: 'PA',
    phone: '555-0100',
    programs: [
      { id: 'prog-mh', name: 'Test Peer Support Program', type: 'mental-health', part2: false, start: '2024-01-01' },
      { id: 'prog-sud', name: 'Test Recovery Coaching Program', type: 'substance-use', part2: true },
    ],
  };
}

/** A certified specialist supervised by `sp-002` (see {@link supervisor}). */
export function specialist(): SpecialistInput {
  return {
    kind: 'specialist',
    id: 'sp-001',
    identifiers: [{ system: 'https://example.org/testville/staff', value: 'STAFF-001' }],
    name: { given: ['Avery'], family: 'Testperson', display: 'Avery Testperson' },
    roleLevel: 'specialist',
    active: true,
    organizationId: 'org-001',
    hired: '2024-05-01',
    certifications: [
      {
        credential: 'cps',
        issuer: 'Test State Certification Board',
        state: 'PA',
        number: 'TEST-0001',
        issued: '2024-06-01',
        expires: '2026-06-01',
      },
    ],
    continuingEducation: [{ date: '2025-10-10', hours: 6, topic: 'Ethics and boundaries', ethics: true }],
    supervisorId: 'sp-002',
    supervisionLog: [{ date: '2026-01-12', supervisorId: 'sp-002', minutes: 60, format: 'individual' }],
    specializations: ['veterans'],
    livedExperience: ['substance-use'],
    languages: ['en', 'es-MX'],
    caseloadLimit: 20,
  };
}

/** The peer supervisor `sp-002`, so a clinic built from these fixtures resolves every reference. */
export function supervisor(): SpecialistInput {
  return {
    kind: 'specialist',
    id: 'sp-002',
    identifiers: [],
    name: { given: ['Robin'], family: 'Testsupervisor' },
    roleLevel: 'supervisor',
    active: true,
    organizationId: 'org-001',
    certifications: [
      { credential: 'cprs', issuer: 'Test State Certification Board', number: 'TEST-0002', issued: '2020-01-15' },
    ],
    continuingEducation: [],
    supervisionLog: [],
    specializations: [],
    livedExperience: [],
    languages: ['en'],
    caseloadLimit: 10,
  };
}

/** A peer enrolled in the Part 2 program. */
export function peer(): PeerInput {
  return {
    kind: 'peer',
    id: 'peer-001',
    patient: {
      reference: 'Patient/test-001',
      identifier: { system: 'https://example.org/testville/mrn', value: 'MRN-TEST-001' },
    },
    birthDate: '1990-01-01',
    enrollments: [{ programId: 'prog-sud', programType: 'substance-use', start: '2025-11-03', end: '2026-11-03' }],
    coverage: [{ payerId: 'medicaid-generic', memberId: 'TEST-MEMBER-001', start: '2025-01-01', end: '2026-12-31' }],
    primarySpecialistId: 'sp-001',
    preferredLanguage: 'en',
  };
}

/** An active, signed recovery plan with one goal, two steps and a crisis plan. */
export function recoveryPlan(): RecoveryPlanInput {
  return {
    kind: 'recovery-plan',
    id: 'plan-001',
    peerId: 'peer-001',
    specialistId: 'sp-001',
    programId: 'prog-sud',
    status: 'active',
    created: '2026-01-05T10:00:00-05:00',
    period: { start: '2026-01-05', end: '2026-07-05' },
    reviewDue: '2026-04-05',
    strengths: ['Keeps every appointment'],
    goals: [
      {
        id: 'goal-1',
        text: 'I want my own place by summer',
        domain: 'home',
        status: 'active',
        achievement: 'in-progress',
        start: '2026-01-05',
        target: '2026-06-30',
        measure: 'A signed lease',
      },
    ],
    steps: [
      {
        id: 'step-1',
        goalId: 'goal-1',
        description: 'Fill in the housing application',
        owner: 'peer',
        due: '2026-02-01',
        status: 'in-progress',
      },
      {
        id: 'step-2',
        goalId: 'goal-1',
        description: 'Visit two apartments together',
        owner: 'specialist',
        due: '2026-01-20',
        status: 'completed',
        completedOn: '2026-01-19',
      },
    ],
    supports: [{ name: 'Sam Testsupport', role: 'sponsor', phone: '555-0101' }],
    crisisPlan: {
      warningSigns: ['Skipping meetings'],
      copingStrategies: ['Call my sponsor'],
      contacts: [{ name: 'Sam Testsupport', relationship: 'sponsor', phone: '555-0101' }],
      professionalContacts: [{ name: 'Test Crisis Line', phone: '555-0102' }],
      safeEnvironment: ['Keep the test kit elsewhere'],
      reviewed: '2026-01-05',
    },
    signatures: [
      { role: 'peer', signedAt: '2026-01-05T10:30:00-05:00', method: 'electronic' },
      { role: 'specialist', signerId: 'sp-001', signedAt: '2026-01-05T10:31:00-05:00', method: 'electronic' },
    ],
  };
}

/** A completed one-on-one encounter with a signed and co-signed note. */
export function encounter(): EncounterInput {
  return {
    kind: 'encounter',
    id: 'enc-001',
    peerId: 'peer-001',
    specialistId: 'sp-001',
    programId: 'prog-sud',
    programType: 'substance-use',
    status: 'completed',
    start: '2026-01-12T14:00:00-05:00',
    end: '2026-01-12T14:50:00-05:00',
    durationMinutes: 45,
    modality: 'in-person',
    setting: 'community',
    activities: ['goal-planning', 'resource-navigation'],
    planId: 'plan-001',
    goalIds: ['goal-1'],
    note: {
      text: 'Synthetic note: worked through the housing application together.',
      signedAt: '2026-01-12T16:00:00-05:00',
      signedBy: 'sp-001',
      cosignedAt: '2026-01-13T09:00:00-05:00',
      cosignedBy: 'sp-002',
    },
    crisis: { indicated: false, actions: [] },
    referralIds: ['ref-001'],
  };
}

/** A held group session with one attendee and a group note. */
export function groupSession(): GroupSessionInput {
  return {
    kind: 'group-session',
    id: 'grp-001',
    programId: 'prog-sud',
    programType: 'substance-use',
    facilitatorIds: ['sp-001', 'sp-002'],
    topic: 'relapse-prevention',
    title: 'Test relapse-prevention group',
    status: 'completed',
    start: '2026-01-14T18:00:00-05:00',
    end: '2026-01-14T19:30:00-05:00',
    modality: 'in-person',
    setting: 'recovery-center',
    attendees: [
      {
        peerId: 'peer-001',
        attendance: 'present',
        minutesPresent: 90,
        note: {
          text: 'Synthetic note: shared a plan for the holidays.',
          signedAt: '2026-01-14T20:00:00-05:00',
          signedBy: 'sp-001',
        },
      },
    ],
    groupNote: {
      text: 'Synthetic group note: identifying triggers.',
      signedAt: '2026-01-14T20:05:00-05:00',
      signedBy: 'sp-001',
    },
  };
}

/** An active 42 CFR Part 2 consent to disclose to a named organization. */
export function consent(): ConsentInput {
  return {
    kind: 'consent',
    id: 'cons-001',
    peerId: 'peer-001',
    consentKind: 'part2-disclosure',
    status: 'active',
    discloser: { name: 'Testville Peer Support Agency', organizationId: 'org-001' },
    recipients: [
      { type: 'organization', name: 'Test Community Health Center', identifier: { value: 'TEST-ORG-001' } },
    ],
    purposes: ['treatment', 'care-coordination'],
    dataCategories: ['substance-use', 'progress-notes'],
    informationDescription: 'Peer support progress notes and attendance',
    period: { start: '2026-01-05', end: '2027-01-05' },
    expiration: { date: '2027-01-05', event: 'End of test program' },
    rightToRevokeStatement: true,
    redisclosureNotice: true,
    signature: { signer: 'peer', signedAt: '2026-01-05T10:15:00-05:00', method: 'electronic' },
  };
}

/** A completed referral to a housing resource, made during `enc-001`. */
export function referral(): ReferralInput {
  return {
    kind: 'referral',
    id: 'ref-001',
    peerId: 'peer-001',
    specialistId: 'sp-001',
    created: '2026-01-12T14:45:00-05:00',
    target: {
      type: 'community-resource',
      category: 'housing',
      organizationName: 'Test Housing Coalition',
      phone: '555-0103',
    },
    reason: 'Looking for stable housing',
    urgency: 'routine',
    status: 'completed',
    planId: 'plan-001',
    goalId: 'goal-1',
    consentId: 'cons-001',
    encounterId: 'enc-001',
    closedAt: '2026-02-02T09:00:00-05:00',
    outcome: 'linked',
    statusReason: 'Peer moved in',
  };
}

export function serviceConsent(): ServiceConsentInput {
  return {
    kind: 'service-consent',
    id: 'svc-consent-001',
    peerId: 'peer-001',
    programId: 'prog-mh',
    services: ['G0140', 'G0146'],
    status: 'active',
    period: { start: '2026-01-05', end: '2026-12-31' },
    signature: { signer: 'peer', signedAt: '2026-01-05T10:00:00-05:00', method: 'verbal' },
    documentedBy: 'sp-001',
    costSharingExplained: true,
  };
}

/** One valid example per record kind, by kind. */
export const FIXTURES: { readonly [K in RecordKind]: () => Extract<AnyRecordInput, { kind: K }> } = {
  organization,
  specialist,
  peer,
  'recovery-plan': recoveryPlan,
  encounter,
  'group-session': groupSession,
  consent,
  referral,
  'service-consent': serviceConsent,
};

/** The input of any record kind. */
export type AnyRecordInput =
  | OrganizationInput
  | SpecialistInput
  | PeerInput
  | RecoveryPlanInput
  | EncounterInput
  | GroupSessionInput
  | ConsentInput
  | ServiceConsentInput
  | ReferralInput;

/** A whole, consistent synthetic clinic: every reference resolves, no record has an issue. */
export function clinic(): AnyRecordInput[] {
  return [
    organization(),
    supervisor(),
    specialist(),
    peer(),
    recoveryPlan(),
    consent(),
    encounter(),
    groupSession(),
    referral(),
  ];
}
