/**
 * Synthetic FHIR R4 Consents for the decision engine tests, written by hand in the styles PeerKit
 * meets: PeerKit's own mapping (fhir-mapping.md §2.4), SAMHSA Consent2Share (STU3 `except` turned
 * into R4 nested provisions, contained INF/IRCP actors, legacy `http://hl7.org/fhir/v3/...` URIs),
 * LEAP (root deny, actor by literal reference resolved to identifiers, LOINC typo 59284-6), and
 * trees nested three and four levels deep. No real people or organizations.
 */
import type { Consent, ConsentProvision, Identifier, Organization, Practitioner } from 'fhir/r4';

export const V3_ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const V3_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
export const V3_PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
export const CONSENT_ACTION = 'http://terminology.hl7.org/CodeSystem/consentaction';
export const RESOURCE_TYPES = 'http://hl7.org/fhir/resource-types';
export const NPI = 'http://hl7.org/fhir/sid/us-npi';
export const MRN = 'https://example.org/synthetic/mrn';
export const PART2_URI = 'https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2';

/** The synthetic patient. */
export const PATIENT = 'Patient/pk-patient-1';
export const PATIENT_MRN: Identifier = { system: MRN, value: 'MRN-SYN-0001' };
/** Recipient A (a clinic) and B (a health plan); synthetic NPI-shaped numbers. */
export const NPI_A: Identifier = { system: NPI, value: '1000000004' };
export const NPI_B: Identifier = { system: NPI, value: '1000000012' };
export const NPI_ED: Identifier = { system: NPI, value: '1000000020' };
export const PROGRAM_ID: Identifier = { system: 'https://example.org/synthetic/org', value: 'program-01' };

export const label = (code: string, system = V3_ACT) => ({ system, code });
export const purpose = (code: string, system = V3_REASON) => ({ system, code });
export const resourceClass = (code: string) => ({ system: RESOURCE_TYPES, code });
export const recipient = (identifier: Identifier, display = 'Synthetic Recipient Clinic') => ({
  role: { coding: [{ system: V3_PARTICIPATION, code: 'IRCP' }] },
  reference: { identifier, display },
});
export const disclose = [{ coding: [{ system: CONSENT_ACTION, code: 'disclose' }] }];

interface Base {
  id: string;
  status?: Consent['status'];
  dateTime?: string;
  provision: ConsentProvision;
  patient?: Consent['patient'];
  policyUri?: boolean;
}

/** A privacy consent with PeerKit's scope and categories around the given root provision. */
export function consent({ id, status = 'active', dateTime = '2026-01-10', provision, patient, policyUri = false }: Base): Consent {
  const c: Consent = {
    resourceType: 'Consent',
    id,
    status,
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }, { system: V3_ACT, code: 'IDSCL' }] }],
    patient: patient ?? { reference: PATIENT },
    dateTime,
    organization: [{ identifier: PROGRAM_ID, display: 'Synthetic Recovery Program' }],
    provision,
  };
  if (policyUri) c.policy = [{ uri: PART2_URI }];
  return c;
}

/** PeerKit style: Part 2 disclosure to named recipient A for care coordination, SUD data. */
export function peerkitPart2Disclosure(overrides: Partial<Base> = {}): Consent {
  return consent({
    id: 'pk-part2-a',
    policyUri: true,
    provision: {
      type: 'permit',
      period: { start: '2026-01-10', end: '2026-12-31' },
      actor: [recipient(NPI_A)],
      action: disclose,
      purpose: [purpose('COC'), purpose('TREAT')],
      securityLabel: [label('SUD')],
      class: [resourceClass('DocumentReference'), resourceClass('Encounter'), resourceClass('CarePlan')],
    },
    ...overrides,
  });
}

/** PeerKit style: single consent for treatment, payment and health care operations, no named recipient. */
export function peerkitTpo(purposes: string[] = ['TREAT', 'HPAYMT', 'HOPERAT'], overrides: Partial<Base> = {}): Consent {
  return consent({
    id: 'pk-tpo',
    policyUri: true,
    provision: {
      type: 'permit',
      period: { start: '2026-01-10' },
      action: disclose,
      purpose: purposes.map((p) => purpose(p)),
      securityLabel: [label('SUD')],
      class: [resourceClass('DocumentReference'), resourceClass('Encounter'), resourceClass('CarePlan'), resourceClass('Claim')],
    },
    ...overrides,
  });
}

/** PeerKit style: HIPAA authorization for mental-health data to recipient B at the patient's request. */
export function peerkitHipaa(overrides: Partial<Base> = {}): Consent {
  return consent({
    id: 'pk-hipaa-b',
    provision: {
      type: 'permit',
      period: { start: '2026-01-10', end: '2027-01-09' },
      actor: [recipient(NPI_B, 'Synthetic Health Plan')],
      action: disclose,
      purpose: [purpose('PATRQT')],
      securityLabel: [label('MH')],
    },
    ...overrides,
  });
}

/** A blanket authorization to B: any data, any purpose. Not a Part 2 consent. */
export function blanketToB(): Consent {
  return consent({ id: 'blanket-b', provision: { type: 'permit', actor: [recipient(NPI_B)] } });
}

/** An opt-out: deny everything (no criteria). */
export function optOut(dateTime = '2026-01-05'): Consent {
  return consent({ id: 'opt-out', dateTime, provision: { type: 'deny' } });
}

/**
 * SAMHSA C2S style (STU3 `except` → R4 nested provision): contained informant (INF) and recipient
 * (IRCP), legacy v3 URIs; base deny for that pair, except the categories the patient agreed to share.
 */
export function c2sStyle(): Consent {
  return {
    resourceType: 'Consent',
    id: 'c2s-1',
    status: 'active',
    contained: [
      { resourceType: 'Organization', id: 'from', identifier: [PROGRAM_ID], name: 'Synthetic Program' } as Organization,
      { resourceType: 'Practitioner', id: 'to', identifier: [NPI_A], name: [{ family: 'Synthetic' }] } as Practitioner,
    ],
    scope: { coding: [{ system: 'http://hl7.org/fhir/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://hl7.org/fhir/v3/ActCode', code: 'IDSCL' }] }],
    patient: { reference: PATIENT },
    dateTime: '2026-01-12T09:30:00-05:00',
    provision: {
      type: 'deny',
      period: { start: '2026-01-12', end: '2027-01-11' },
      actor: [
        { role: { coding: [{ system: 'http://hl7.org/fhir/v3/ParticipationType', code: 'INF' }] }, reference: { reference: '#from' } },
        { role: { coding: [{ system: 'http://hl7.org/fhir/v3/ParticipationType', code: 'IRCP' }] }, reference: { reference: '#to' } },
      ],
      purpose: [purpose('TREAT', 'http://hl7.org/fhir/v3/ActReason'), purpose('HPAYMT', 'http://hl7.org/fhir/v3/ActReason')],
      provision: [
        {
          type: 'permit',
          securityLabel: [label('ETH', 'http://hl7.org/fhir/v3/ActCode'), label('PSY', 'http://hl7.org/fhir/v3/ActCode')],
        },
      ],
    },
  };
}

/** LEAP style: opt-out base with an exception for a literal actor reference, resolved to NPI A. */
export function leapStyle(): Consent {
  return {
    resourceType: 'Consent',
    id: 'leap-1',
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    // LEAP's fixtures carry the LOINC typo 59284-6 (fhir-mapping.md §6); the engine does not rely on it.
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-6' }] }],
    patient: { identifier: PATIENT_MRN },
    dateTime: '2026-01-02',
    policyRule: { coding: [{ system: V3_ACT, code: 'OPTOUT' }] },
    provision: {
      period: { start: '2026-01-02', end: '2027-01-01' },
      provision: [
        {
          actor: [
            {
              role: { coding: [{ system: V3_PARTICIPATION, code: 'IRCP' }] },
              reference: { reference: 'Organization/org-a' },
            },
          ],
          purpose: [purpose('TREAT', 'urn:oid:2.16.840.1.113883.5.8')],
        },
      ],
    },
  };
}

/** Resolves LEAP's literal references the way its CDS service fetches them. */
export const resolveSynthetic = (reference: string): Identifier[] | undefined =>
  reference === 'Organization/org-a' ? [NPI_A] : undefined;

/**
 * Four levels: permit treatment; except SUD data; except to recipient A; except A's documents.
 */
export function deepTree(): Consent {
  return consent({
    id: 'deep-4',
    policyUri: true,
    provision: {
      type: 'permit',
      purpose: [purpose('TREAT')],
      provision: [
        {
          type: 'deny',
          securityLabel: [label('SUD')],
          provision: [
            {
              type: 'permit',
              actor: [recipient(NPI_A)],
              provision: [{ type: 'deny', class: [resourceClass('DocumentReference')] }],
            },
          ],
        },
      ],
    },
  });
}

/** Permit everything for treatment except SUD data (no Part 2 policy). */
export function allButSud(): Consent {
  return consent({
    id: 'all-but-sud',
    provision: { type: 'permit', purpose: [purpose('TREAT')], provision: [{ type: 'deny', securityLabel: [label('SUD')] }] },
  });
}
