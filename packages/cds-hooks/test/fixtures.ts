/** Synthetic host resources of pat-beta: an opioid use disorder (Part 2 labelled), an ED visit for an overdose, coverage. */
const PART2_LABELS = [
  { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' },
  { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: '42CFRPart2' },
];

const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const clinical = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code }] });

export const BETA_PATIENT = { resourceType: 'Patient', id: 'pat-beta', birthDate: '2009-01-20', gender: 'female', name: [{ family: 'Beta', given: ['Test'] }] };

export const BETA_OUD = {
  resourceType: 'Condition',
  id: 'cond-beta-oud',
  meta: { security: PART2_LABELS },
  clinicalStatus: clinical('active'),
  code: { coding: [{ system: ICD, code: 'F11.20', display: 'Opioid dependence, uncomplicated' }] },
  subject: { reference: 'Patient/pat-beta' },
};

export const BETA_ED = {
  resourceType: 'Encounter',
  id: 'enc-beta-ed',
  status: 'in-progress',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' },
  subject: { reference: 'Patient/pat-beta' },
  period: { start: '2025-04-10T03:00:00Z' },
  diagnosis: [{ condition: { reference: 'Condition/cond-beta-od' } }],
};

export const BETA_OVERDOSE = {
  resourceType: 'Condition',
  id: 'cond-beta-od',
  clinicalStatus: clinical('active'),
  code: { coding: [{ system: ICD, code: 'T40.1X1A', display: 'Poisoning by heroin, accidental (unintentional), initial encounter' }] },
  subject: { reference: 'Patient/pat-beta' },
  encounter: { reference: 'Encounter/enc-beta-ed' },
};

export const BETA_COVERAGE = {
  resourceType: 'Coverage',
  id: 'cov-beta',
  status: 'active',
  beneficiary: { reference: 'Patient/pat-beta' },
  payor: [{ identifier: { system: 'https://peerkit.dev/payer', value: 'nj-medicaid' }, display: 'NJ Medicaid' }],
  period: { start: '2025-01-01' },
};

/** A Consent of pat-beta permitting disclosure of Part 2 records to the peer program for treatment. */
export const BETA_CONSENT = {
  resourceType: 'Consent',
  id: 'consent-beta-peer',
  status: 'active',
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
  category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
  patient: { reference: 'Patient/pat-beta' },
  dateTime: '2025-03-01',
  policy: [{ uri: 'https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2' }],
  provision: {
    type: 'permit',
    period: { start: '2025-03-01', end: '2026-03-01' },
    actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }] }, reference: { reference: 'Organization/org-peer-program' } }],
    purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }],
    securityLabel: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: '42CFRPart2' }],
  },
};

/** The peer-support referral being signed: to the peer program, for the Part 2 labelled diagnosis. */
export const DRAFT_PEER_REFERRAL = {
  resourceType: 'ServiceRequest',
  id: 'sr-draft-peer',
  status: 'draft',
  intent: 'order',
  code: { coding: [{ system: 'http://snomed.info/sct', code: '461481000124109' }] },
  subject: { reference: 'Patient/pat-beta' },
  performer: [{ reference: 'Organization/org-peer-program' }],
  reasonReference: [{ reference: 'Condition/cond-beta-oud' }],
};

export const BETA = [BETA_PATIENT, BETA_OUD, BETA_ED, BETA_OVERDOSE, BETA_COVERAGE];
