/**
 * Hand-written example resources, one per profile of the pack, following the mapping spec (synthetic:
 * no real person, organization or number), and deliberately broken variants of them.
 */
import type {
  CarePlan,
  Consent,
  Coverage,
  DocumentReference,
  Encounter,
  EpisodeOfCare,
  Group,
  HealthcareService,
  Organization,
  Practitioner,
  PractitionerRole,
  Procedure,
  Provenance,
  Resource,
  ServiceRequest,
  Task,
} from 'fhir/r4';
import type { Finding } from './harness';

const C = 'https://peerkit.dev/fhir';
const B = 'https://example.org/harbor';
const sd = (name: string): string => `${C}/StructureDefinition/${name}`;
const cs = (name: string): string => `${C}/CodeSystem/${name}`;
const meta = (profile: string) => ({ profile: [sd(profile)] });
const id = (name: string, value: string) => ({ system: `${B}/${name}`, value });
const peer = { reference: 'Patient/host-peer-1' };
const specialist = { reference: 'Practitioner/pr-sp-1' };
const UCUM = 'http://unitsofmeasure.org';
const PPRF = { system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PPRF', display: 'primary performer' };
const PROGRESS_NOTE = { system: 'http://loinc.org', code: '11506-3', display: 'Progress note' };
const CLINICAL_NOTE = { system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'clinical-note' };
const SOCIAL_SERVICE = { system: 'http://snomed.info/sct', code: '410606002', display: 'Social service procedure' };
/** "Talked about the job fair." in base64. */
const NOTE_TEXT = 'VGFsa2VkIGFib3V0IHRoZSBqb2IgZmFpci4=';

const organization: Organization = {
  resourceType: 'Organization',
  id: 'org-harbor',
  meta: meta('peerkit-organization'),
  identifier: [id('organization', 'harbor'), { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }],
  active: true,
  name: 'Harbor Peer Support',
  telecom: [{ system: 'phone', value: '555-0100' }],
  address: [{ state: 'PA' }],
};

const program: HealthcareService = {
  resourceType: 'HealthcareService',
  id: 'hs-harbor.sud',
  meta: meta('peerkit-program'),
  extension: [
    { url: sd('part2-program'), valueBoolean: true },
    { url: sd('program-start'), valueDate: '2024-01-01' },
  ],
  identifier: [id('program', 'sud')],
  active: true,
  providedBy: { reference: 'Organization/org-harbor' },
  type: [{ coding: [{ system: cs('program-type'), code: 'substance-use', display: 'Substance use' }] }],
  name: 'Recovery Bridge',
};

const enrollment: EpisodeOfCare = {
  resourceType: 'EpisodeOfCare',
  id: 'eoc-peer-1.sud.2025-01-06',
  meta: meta('peerkit-program-enrollment'),
  extension: [{ url: sd('program'), valueReference: { reference: 'HealthcareService/hs-harbor.sud' } }],
  identifier: [id('peer', 'peer-1'), id('enrollment', 'peer-1/sud/2025-01-06')],
  status: 'active',
  type: [{ coding: [{ system: cs('program-type'), code: 'substance-use' }] }],
  patient: peer,
  managingOrganization: { reference: 'Organization/org-harbor' },
  period: { start: '2025-01-06' },
  careManager: specialist,
};

const coverage: Coverage = {
  resourceType: 'Coverage',
  id: 'cov-peer-1.medicaid.2025-01-01',
  meta: meta('peerkit-coverage'),
  identifier: [id('coverage', 'peer-1/medicaid/M0001/2025-01-01')],
  status: 'active',
  subscriberId: 'M0001',
  beneficiary: peer,
  period: { start: '2025-01-01' },
  payor: [{ identifier: id('payer', 'medicaid'), display: 'medicaid' }],
};

const practitioner: Practitioner = {
  resourceType: 'Practitioner',
  id: 'pr-sp-1',
  meta: meta('peerkit-specialist'),
  extension: [
    {
      url: sd('continuing-education'),
      extension: [
        { url: 'date', valueDate: '2025-03-01' },
        { url: 'hours', valueDecimal: 6 },
        { url: 'topic', valueString: 'Ethics in peer support' },
        { url: 'ethics', valueBoolean: true },
      ],
    },
    { url: sd('lived-experience'), valueCoding: { system: cs('lived-experience'), code: 'substance-use' } },
  ],
  identifier: [id('specialist', 'sp-1')],
  active: true,
  name: [{ family: 'Rivera', given: ['Sam'], text: 'Sam Rivera' }],
  qualification: [
    {
      extension: [{ url: sd('credential-state'), valueCode: 'PA' }],
      identifier: [{ value: 'CPS-0001' }],
      code: { coding: [{ system: cs('credential-type'), code: 'cps', display: 'Certified Peer Specialist (CPS)' }] },
      period: { start: '2023-05-01', end: '2025-04-30' },
      issuer: { display: 'State certification board' },
    },
  ],
  communication: [{ coding: [{ system: 'urn:ietf:bcp:47', code: 'en' }] }],
};

const role: PractitionerRole = {
  resourceType: 'PractitionerRole',
  id: 'prr-sp-1',
  meta: meta('peerkit-specialist-role'),
  extension: [
    { url: sd('supervisor'), valueReference: { reference: 'Practitioner/pr-sp-9' } },
    {
      url: sd('supervision'),
      extension: [
        { url: 'date', valueDate: '2025-03-10' },
        { url: 'supervisor', valueReference: { reference: 'Practitioner/pr-sp-9' } },
        { url: 'minutes', valueInteger: 60 },
        { url: 'format', valueCoding: { system: cs('supervision-format'), code: 'individual' } },
      ],
    },
    { url: sd('caseload-limit'), valueInteger: 20 },
  ],
  identifier: [id('specialist-role', 'sp-1')],
  active: true,
  period: { start: '2023-05-01' },
  practitioner: specialist,
  organization: { reference: 'Organization/org-harbor' },
  code: [
    {
      coding: [
        { system: cs('role-level'), code: 'specialist', display: 'Certified peer specialist' },
        { system: 'http://nucc.org/provider-taxonomy', code: '175T00000X', display: 'Peer Specialist' },
      ],
    },
  ],
  specialty: [
    { coding: [{ system: 'http://nucc.org/provider-taxonomy', code: '175T00000X', display: 'Peer Specialist' }] },
    { coding: [{ system: cs('specialization'), code: 'veterans' }] },
  ],
};

const carePlan: CarePlan = {
  resourceType: 'CarePlan',
  id: 'cp-plan-1',
  meta: meta('peerkit-recovery-plan'),
  extension: [
    { url: sd('program'), valueReference: { reference: 'HealthcareService/hs-harbor.sud' } },
    { url: sd('strength'), valueString: 'I show up for my friends' },
    { url: sd('review-due'), valueDate: '2025-04-01' },
    {
      url: sd('support'),
      extension: [
        { url: 'name', valueString: 'Alex' },
        { url: 'role', valueCoding: { system: cs('support-role'), code: 'sponsor' } },
        { url: 'phone', valueString: '555-0111' },
      ],
    },
    {
      url: sd('crisis-plan'),
      extension: [
        { url: 'warningSign', valueString: 'Not sleeping' },
        { url: 'copingStrategy', valueString: 'Walk by the river' },
        { url: 'contact', extension: [{ url: 'name', valueString: 'Alex' }, { url: 'relationship', valueString: 'sponsor' }] },
        { url: 'professionalContact', extension: [{ url: 'name', valueString: '988 Lifeline' }, { url: 'phone', valueString: '988' }] },
        { url: 'safeEnvironment', valueString: 'Keep no alcohol at home' },
        { url: 'reviewed', valueDate: '2025-01-06' },
      ],
    },
  ],
  identifier: [id('recovery-plan', 'plan-1')],
  status: 'active',
  intent: 'plan',
  category: [{ coding: [{ system: cs('peerkit-codes'), code: 'peer-recovery-plan', display: 'Peer recovery plan' }] }],
  subject: peer,
  period: { start: '2025-01-06' },
  created: '2025-01-06',
  author: specialist,
  contributor: [peer, specialist],
  goal: [{ reference: 'Goal/rg-plan-1.g1' }],
  activity: [
    {
      extension: [
        {
          url: sd('step'),
          extension: [
            { url: 'id', valueId: 's1' },
            { url: 'owner', valueCoding: { system: cs('step-owner'), code: 'peer' } },
          ],
        },
      ],
      detail: {
        status: 'in-progress',
        description: 'Call the job center',
        scheduledPeriod: { end: '2025-02-01' },
        goal: [{ reference: 'Goal/rg-plan-1.g1' }],
        performer: [peer],
      },
    },
  ],
};

const goal = {
  resourceType: 'Goal',
  id: 'rg-plan-1.g1',
  meta: meta('peerkit-recovery-goal'),
  identifier: [id('recovery-goal', 'plan-1/g1')],
  lifecycleStatus: 'active',
  achievementStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: 'in-progress' }] },
  category: [{ coding: [{ system: cs('recovery-domain'), code: 'purpose', display: 'Purpose' }] }],
  description: { text: 'I want a job where people count on me' },
  subject: peer,
  startDate: '2025-01-06',
  target: [{ dueDate: '2025-06-30' }],
  expressedBy: peer,
  note: [{ text: 'Two interviews a month' }],
} satisfies Resource & Record<string, unknown>;

const signature: Provenance = {
  resourceType: 'Provenance',
  id: 'sig-plan-1.0',
  meta: meta('peerkit-signature'),
  target: [{ reference: 'CarePlan/cp-plan-1' }],
  recorded: '2025-01-06T15:00:00Z',
  agent: [
    {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'attester' }] },
      role: [{ coding: [{ system: cs('signer-role'), code: 'peer' }] }],
      who: peer,
    },
  ],
  signature: [
    {
      extension: [{ url: sd('signature-method'), valueCoding: { system: cs('signature-method'), code: 'electronic' } }],
      type: [{ system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.5', display: 'Verification Signature' }],
      when: '2025-01-06T15:00:00Z',
      who: peer,
    },
  ],
};

const encounter: Encounter = {
  resourceType: 'Encounter',
  id: 'pe-enc-1',
  meta: meta('peerkit-encounter'),
  extension: [
    { url: sd('modality'), valueCoding: { system: cs('modality'), code: 'in-person', display: 'In person' } },
    { url: sd('setting'), valueCoding: { system: cs('setting'), code: 'community' } },
    { url: sd('encounter-outcome'), valueCoding: { system: cs('encounter-outcome'), code: 'completed' } },
    { url: sd('program'), valueReference: { reference: 'HealthcareService/hs-harbor.sud' } },
    {
      url: sd('crisis'),
      extension: [
        { url: 'indicated', valueBoolean: true },
        { url: 'action', valueCoding: { system: cs('crisis-action'), code: 'referred-988' } },
        { url: 'referral', valueReference: { reference: 'ServiceRequest/sr-ref-1' } },
      ],
    },
  ],
  identifier: [id('encounter', 'enc-1')],
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'FLD', display: 'field' },
  type: [{ coding: [{ system: cs('peerkit-codes'), code: 'peer-support-individual', display: 'Peer support encounter' }] }],
  serviceType: { coding: [{ system: cs('program-type'), code: 'substance-use' }] },
  subject: peer,
  participant: [{ type: [{ coding: [PPRF] }], individual: specialist }],
  period: { start: '2025-02-03T14:00:00Z', end: '2025-02-03T14:45:00Z' },
  length: { value: 45, unit: 'min', system: UCUM, code: 'min' },
  serviceProvider: { reference: 'Organization/org-harbor' },
};

const service: Procedure = {
  resourceType: 'Procedure',
  id: 'ps-enc-1',
  meta: meta('peerkit-peer-service'),
  extension: [
    { url: sd('peer-activity'), valueCoding: { system: cs('peer-activity'), code: 'resource-navigation' } },
    { url: sd('goal-addressed'), valueReference: { reference: 'Goal/rg-plan-1.g1' } },
    { url: sd('referral'), valueReference: { reference: 'ServiceRequest/sr-ref-1' } },
  ],
  identifier: [id('encounter-service', 'enc-1')],
  basedOn: [{ reference: 'CarePlan/cp-plan-1' }],
  status: 'completed',
  category: { coding: [SOCIAL_SERVICE] },
  code: { coding: [{ system: cs('peerkit-codes'), code: 'peer-support-service' }] },
  subject: peer,
  encounter: { reference: 'Encounter/pe-enc-1' },
  performedPeriod: { start: '2025-02-03T14:00:00Z', end: '2025-02-03T14:45:00Z' },
  performer: [{ actor: specialist }],
};

const progressNote: DocumentReference = {
  resourceType: 'DocumentReference',
  id: 'pn-enc-1',
  meta: meta('peerkit-progress-note'),
  extension: [
    {
      url: sd('note-cosignature'),
      extension: [
        { url: 'by', valueReference: { reference: 'Practitioner/pr-sp-9' } },
        { url: 'at', valueDateTime: '2025-02-04T09:00:00Z' },
      ],
    },
  ],
  identifier: [id('encounter-note', 'enc-1')],
  status: 'current',
  docStatus: 'final',
  type: { coding: [PROGRESS_NOTE] },
  category: [{ coding: [CLINICAL_NOTE] }],
  subject: peer,
  date: '2025-02-03T16:00:00Z',
  author: [specialist],
  authenticator: specialist,
  content: [{ attachment: { contentType: 'text/plain;charset=utf-8', data: NOTE_TEXT } }],
  context: { encounter: [{ reference: 'Encounter/pe-enc-1' }], period: { start: '2025-02-03T14:00:00Z', end: '2025-02-03T14:45:00Z' } },
};

const group: Group = {
  resourceType: 'Group',
  id: 'grp-grp-1',
  meta: meta('peerkit-group'),
  identifier: [id('group-session', 'grp-1')],
  active: true,
  type: 'person',
  actual: true,
  code: { coding: [{ system: cs('group-topic'), code: 'coping-skills' }] },
  name: 'Tuesday coping skills',
  quantity: 2,
  managingEntity: specialist,
  member: [{ entity: peer, inactive: false }, { entity: { reference: 'Patient/host-peer-2' }, inactive: true }],
};

const sessionEncounter: Encounter = {
  resourceType: 'Encounter',
  id: 'gs-grp-1',
  meta: meta('peerkit-group-session-encounter'),
  extension: [
    { url: sd('modality'), valueCoding: { system: cs('modality'), code: 'video' } },
    { url: sd('setting'), valueCoding: { system: cs('setting'), code: 'home' } },
    { url: sd('encounter-outcome'), valueCoding: { system: cs('encounter-outcome'), code: 'completed' } },
  ],
  identifier: [id('group-session', 'grp-1')],
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR', display: 'virtual' },
  type: [{ coding: [{ system: cs('peerkit-codes'), code: 'peer-support-group-session' }] }],
  serviceType: { coding: [{ system: cs('program-type'), code: 'mental-health' }] },
  subject: { reference: 'Group/grp-grp-1' },
  participant: [{ type: [{ coding: [PPRF] }], individual: specialist }],
  period: { start: '2025-02-04T18:00:00Z', end: '2025-02-04T19:30:00Z' },
  serviceProvider: { reference: 'Organization/org-harbor' },
};

const attendance: Encounter = {
  ...sessionEncounter,
  id: 'ga-grp-1.peer-1',
  meta: meta('peerkit-encounter'),
  extension: [
    ...(sessionEncounter.extension ?? []),
    { url: sd('attendance'), valueCoding: { system: cs('attendance'), code: 'late', display: 'Arrived late' } },
  ],
  identifier: [id('group-attendance', 'grp-1/peer-1')],
  type: [{ coding: [{ system: cs('peerkit-codes'), code: 'peer-support-group-attendance' }] }],
  subject: peer,
  length: { value: 70, unit: 'min', system: UCUM, code: 'min' },
  partOf: { reference: 'Encounter/gs-grp-1' },
};

const groupNote: DocumentReference = {
  ...progressNote,
  id: 'gn-grp-1',
  meta: meta('peerkit-group-note'),
  extension: undefined,
  identifier: [id('group-note', 'grp-1')],
  type: { coding: [{ system: cs('peerkit-codes'), code: 'group-note' }, PROGRESS_NOTE] },
  subject: { reference: 'Group/grp-grp-1' },
  context: { encounter: [{ reference: 'Encounter/gs-grp-1' }], period: { start: '2025-02-04T18:00:00Z' } },
};
delete groupNote.extension;

const consent: Consent = {
  resourceType: 'Consent',
  id: 'cons-c-1',
  meta: {
    ...meta('peerkit-consent'),
    security: [
      {
        extension: [
          {
            url: 'http://hl7.org/fhir/uv/security-label-ds4p/StructureDefinition/extension-sec-label-basis',
            valueCoding: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: '42CFRPart2' },
          },
        ],
        system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
        code: 'R',
      },
    ],
  },
  extension: [
    { url: sd('consent-expiration'), extension: [{ url: 'date', valueDate: '2026-01-05' }] },
    {
      url: sd('consent-signature'),
      extension: [
        { url: 'signer', valueCoding: { system: cs('consent-signer'), code: 'peer' } },
        { url: 'method', valueCoding: { system: cs('signature-method'), code: 'wet' } },
      ],
    },
    { url: sd('information-description'), valueString: 'Attendance and progress notes' },
    { url: sd('right-to-revoke-statement'), valueBoolean: true },
    { url: sd('redisclosure-notice'), valueBoolean: true },
  ],
  identifier: [id('consent', 'c-1')],
  status: 'active',
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
  category: [
    { coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] },
    { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IDSCL' }] },
    { coding: [{ system: cs('consent-kind'), code: 'part2-disclosure' }] },
  ],
  patient: peer,
  dateTime: '2025-01-06T10:00:00Z',
  organization: [{ reference: 'Organization/org-harbor', display: 'Harbor Peer Support' }],
  policy: [{ uri: 'https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2' }],
  provision: {
    type: 'permit',
    period: { start: '2025-01-06', end: '2026-01-05' },
    actor: [
      {
        extension: [{ url: sd('recipient-type'), valueCoding: { system: cs('recipient-type'), code: 'organization' } }],
        role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }] },
        reference: { display: 'County Housing Office' },
      },
    ],
    action: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'disclose' }] }],
    securityLabel: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'SUD' }],
    purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'COC' }],
    code: [{ coding: [{ system: cs('data-category'), code: 'attendance' }] }],
  },
};

const serviceConsent: Consent = {
  resourceType: 'Consent',
  id: 'scons-sc-1',
  meta: meta('peerkit-service-consent'),
  extension: [
    {
      url: sd('consent-signature'),
      extension: [
        { url: 'signer', valueCoding: { system: cs('consent-signer'), code: 'peer' } },
        { url: 'method', valueCoding: { system: cs('signature-method'), code: 'verbal' } },
      ],
    },
    { url: sd('program'), valueReference: { reference: 'HealthcareService/hs-harbor.sud' } },
    { url: sd('documented-by'), valueReference: specialist },
    { url: sd('cost-sharing-explained'), valueBoolean: true },
  ],
  identifier: [id('service-consent', 'sc-1')],
  status: 'active',
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'treatment' }] },
  category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
  patient: peer,
  dateTime: '2026-01-05T10:00:00Z',
  performer: [peer],
  policy: [{ uri: `${C}/policy/service-consent` }],
  provision: {
    type: 'permit',
    period: { start: '2026-01-05' },
    code: [{ coding: [{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'G0140' }] }],
  },
};

const referral: ServiceRequest = {
  resourceType: 'ServiceRequest',
  id: 'sr-ref-1',
  meta: meta('peerkit-referral'),
  extension: [
    { url: 'http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal', valueReference: { reference: 'Goal/rg-plan-1.g1' } },
    { url: sd('referral-phone'), valueString: '555-0199' },
  ],
  identifier: [id('referral', 'ref-1')],
  basedOn: [{ reference: 'CarePlan/cp-plan-1' }],
  status: 'active',
  intent: 'order',
  category: [{ coding: [SOCIAL_SERVICE] }, { coding: [{ system: cs('referral-target-type'), code: 'community-resource' }] }],
  priority: 'routine',
  code: { coding: [{ system: cs('referral-category'), code: 'employment', display: 'Employment' }] },
  subject: peer,
  encounter: { reference: 'Encounter/pe-enc-1' },
  authoredOn: '2025-02-03T15:00:00Z',
  requester: specialist,
  performer: [{ display: 'County Job Center' }],
  reasonCode: [{ text: 'Wants work' }],
  supportingInfo: [{ reference: 'Consent/cons-c-1' }],
};

const task: Task = {
  resourceType: 'Task',
  id: 'tk-ref-1',
  meta: meta('peerkit-referral-task'),
  identifier: [id('referral-task', 'ref-1')],
  status: 'completed',
  statusReason: { text: 'Peer started the program' },
  intent: 'order',
  priority: 'routine',
  code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
  focus: { reference: 'ServiceRequest/sr-ref-1' },
  for: peer,
  executionPeriod: { start: '2025-02-03T15:00:00Z', end: '2025-02-20T12:00:00Z' },
  authoredOn: '2025-02-03T15:00:00Z',
  requester: specialist,
  owner: { display: 'County Job Center' },
  output: [{ type: { text: 'Referral outcome' }, valueCodeableConcept: { coding: [{ system: cs('referral-outcome'), code: 'linked' }] } }],
};

/** A valid example per profile id. */
export const VALID_EXAMPLES: Readonly<Record<string, Resource>> = {
  'peerkit-organization': organization,
  'peerkit-program': program,
  'peerkit-program-enrollment': enrollment,
  'peerkit-coverage': coverage,
  'peerkit-specialist': practitioner,
  'peerkit-specialist-role': role,
  'peerkit-recovery-plan': carePlan,
  'peerkit-recovery-goal': goal,
  'peerkit-signature': signature,
  'peerkit-encounter': encounter,
  'peerkit-peer-service': service,
  'peerkit-progress-note': progressNote,
  'peerkit-group': group,
  'peerkit-group-session-encounter': sessionEncounter,
  'peerkit-group-note': groupNote,
  'peerkit-consent': consent,
  'peerkit-service-consent': serviceConsent,
  'peerkit-referral': referral,
  'peerkit-referral-task': task,
};

const specialistSignature: Provenance = {
  ...signature,
  agent: [{ ...signature.agent[0], role: [{ coding: [{ system: cs('signer-role'), code: 'specialist' }] }], who: specialist }],
};

/** More valid resources: variants a profile must also accept. */
export const MORE_VALID: readonly { name: string; resource: Resource }[] = [
  { name: 'group attendance Encounter (peerkit-encounter, partOf the session)', resource: attendance },
  {
    name: 'no-show service: not-done, reason as text, no performed period',
    resource: (({ performedPeriod: _performed, ...rest }) => ({ ...rest, status: 'not-done', statusReason: { text: 'Peer did not come' } }) as Procedure)(service),
  },
  {
    name: 'signature by a specialist',
    resource: specialistSignature,
  },
];

/** A broken variant: which example, what is changed, which check must catch it. */
export interface BrokenCase {
  name: string;
  profile: string;
  /** Returns the broken copy (the input is a deep copy). */
  breakIt: (resource: Record<string, any>) => void;
  /** At least one finding of this check, whose path or message contains `where`. */
  expect: { check: Finding['check']; where: string };
}

const withoutExtension = (r: Record<string, any>, url: string): void => {
  r.extension = (r.extension as { url: string }[]).filter((e) => e.url !== url);
};

export const BROKEN_CASES: readonly BrokenCase[] = [
  { name: 'encounter without the modality extension', profile: 'peerkit-encounter', breakIt: (r) => withoutExtension(r, sd('modality')), expect: { check: 'profile', where: 'modality' } },
  { name: 'encounter modality code not in the CodeSystem', profile: 'peerkit-encounter', breakIt: (r) => { r.extension[0].valueCoding.code = 'carrier-pigeon'; }, expect: { check: 'code', where: 'carrier-pigeon' } },
  { name: 'encounter modality display not the CodeSystem display', profile: 'peerkit-encounter', breakIt: (r) => { r.extension[0].valueCoding.display = 'Face to face'; }, expect: { check: 'code', where: 'display' } },
  { name: 'encounter type from another PeerKit code', profile: 'peerkit-encounter', breakIt: (r) => { r.type[0].coding[0].code = 'peer-support-service'; }, expect: { check: 'binding', where: 'Encounter.type' } },
  { name: 'encounter length in hours', profile: 'peerkit-encounter', breakIt: (r) => { r.length = { value: 1, unit: 'h', system: UCUM, code: 'h' }; }, expect: { check: 'profile', where: 'length' } },
  { name: 'encounter without period', profile: 'peerkit-encounter', breakIt: (r) => { delete r.period; }, expect: { check: 'profile', where: 'period' } },
  { name: 'encounter identifier without system (US Core 1..1)', profile: 'peerkit-encounter', breakIt: (r) => { delete r.identifier[0].system; }, expect: { check: 'profile', where: 'identifier' } },
  { name: 'encounter with attendance but not part of a session (pk-enc-1)', profile: 'peerkit-encounter', breakIt: (r) => { r.extension.push({ url: sd('attendance'), valueCoding: { system: cs('attendance'), code: 'present' } }); }, expect: { check: 'invariant', where: 'pk-enc-1' } },
  { name: 'crisis extension without indicated', profile: 'peerkit-encounter', breakIt: (r) => { r.extension[4].extension.shift(); }, expect: { check: 'extension', where: 'indicated' } },
  { name: 'crisis extension with an undefined sub-extension', profile: 'peerkit-encounter', breakIt: (r) => { r.extension[4].extension.push({ url: 'severity', valueString: 'high' }); }, expect: { check: 'extension', where: 'severity' } },
  { name: 'two modality extensions', profile: 'peerkit-encounter', breakIt: (r) => { r.extension.push({ ...r.extension[0] }); }, expect: { check: 'profile', where: 'modality' } },
  { name: 'modality extension with a string value', profile: 'peerkit-encounter', breakIt: (r) => { r.extension[0] = { url: sd('modality'), valueString: 'in-person' }; }, expect: { check: 'extension', where: 'valueString' } },
  { name: 'unknown PeerKit extension', profile: 'peerkit-encounter', breakIt: (r) => { r.extension.push({ url: sd('mood'), valueString: 'fine' }); }, expect: { check: 'extension', where: 'mood' } },
  { name: 'group session encounter without the group-session type', profile: 'peerkit-group-session-encounter', breakIt: (r) => { r.type[0].coding[0].code = 'peer-support-individual'; }, expect: { check: 'profile', where: 'groupSession' } },
  { name: 'group session encounter part of another encounter', profile: 'peerkit-group-session-encounter', breakIt: (r) => { r.partOf = { reference: 'Encounter/x' }; }, expect: { check: 'profile', where: 'partOf' } },
  { name: 'care plan intent order', profile: 'peerkit-recovery-plan', breakIt: (r) => { r.intent = 'order'; }, expect: { check: 'profile', where: 'intent' } },
  { name: 'care plan without the peer recovery plan category', profile: 'peerkit-recovery-plan', breakIt: (r) => { r.category = [{ text: 'plan' }]; }, expect: { check: 'profile', where: 'PeerRecoveryPlan' } },
  { name: 'crisis plan without its review date', profile: 'peerkit-recovery-plan', breakIt: (r) => { r.extension[4].extension.pop(); }, expect: { check: 'extension', where: 'reviewed' } },
  { name: 'plan step owner not a step owner', profile: 'peerkit-recovery-plan', breakIt: (r) => { r.activity[0].extension[0].extension[1].valueCoding.code = 'landlord'; }, expect: { check: 'binding', where: 'step-owner' } },
  { name: 'two step extensions on one activity', profile: 'peerkit-recovery-plan', breakIt: (r) => { r.activity[0].extension.push(r.activity[0].extension[0]); }, expect: { check: 'profile', where: 'step' } },
  { name: 'step extension on the CarePlan itself (wrong context)', profile: 'peerkit-recovery-plan', breakIt: (r) => { r.extension.push(r.activity[0].extension[0]); }, expect: { check: 'extension', where: 'not allowed on CarePlan' } },
  { name: 'goal not expressed by anyone', profile: 'peerkit-recovery-goal', breakIt: (r) => { delete r.expressedBy; }, expect: { check: 'profile', where: 'expressedBy' } },
  { name: 'goal without its text', profile: 'peerkit-recovery-goal', breakIt: (r) => { r.description = { coding: [{ system: 'http://snomed.info/sct', code: '160903007' }] }; }, expect: { check: 'profile', where: 'description' } },
  { name: 'goal category not a recovery domain', profile: 'peerkit-recovery-goal', breakIt: (r) => { r.category[0].coding[0] = { system: 'http://terminology.hl7.org/CodeSystem/goal-category', code: 'dietary' }; }, expect: { check: 'binding', where: 'Goal.category' } },
  { name: 'signature agent type author', profile: 'peerkit-signature', breakIt: (r) => { r.agent[0].type.coding[0].code = 'author'; }, expect: { check: 'profile', where: 'agent.type' } },
  { name: 'signature without method', profile: 'peerkit-signature', breakIt: (r) => { delete r.signature[0].extension; }, expect: { check: 'profile', where: 'method' } },
  { name: 'signer role not a signer role', profile: 'peerkit-signature', breakIt: (r) => { r.agent[0].role[0].coding[0].code = 'witness'; }, expect: { check: 'binding', where: 'Provenance.agent.role' } },
  { name: 'specialist role without NUCC Peer Specialist specialty', profile: 'peerkit-specialist-role', breakIt: (r) => { r.specialty.shift(); }, expect: { check: 'profile', where: 'peerSpecialist' } },
  { name: 'specialist role without practitioner', profile: 'peerkit-specialist-role', breakIt: (r) => { delete r.practitioner; }, expect: { check: 'profile', where: 'practitioner' } },
  { name: 'specialist role without any of practitioner, organization, service, location (us-core-13)', profile: 'peerkit-specialist-role', breakIt: (r) => { delete r.practitioner; delete r.organization; }, expect: { check: 'invariant', where: 'us-core-13' } },
  { name: 'specialist role code without a role level', profile: 'peerkit-specialist-role', breakIt: (r) => { r.code[0].coding.shift(); r.code[0].coding[0].code = '171M00000X'; }, expect: { check: 'binding', where: 'PractitionerRole.code' } },
  { name: 'supervision without format', profile: 'peerkit-specialist-role', breakIt: (r) => { r.extension[1].extension.pop(); }, expect: { check: 'extension', where: 'format' } },
  { name: 'qualification credential not a peer credential', profile: 'peerkit-specialist', breakIt: (r) => { r.qualification[0].code.coding[0] = { system: 'http://terminology.hl7.org/CodeSystem/v2-0360', code: 'RN' }; }, expect: { check: 'binding', where: 'qualification.code' } },
  { name: 'continuing education hours as text', profile: 'peerkit-specialist', breakIt: (r) => { r.extension[0].extension[1] = { url: 'hours', valueString: 'six' }; }, expect: { check: 'extension', where: 'valueString' } },
  { name: 'progress note attachment with neither data nor url (us-core-6)', profile: 'peerkit-progress-note', breakIt: (r) => { delete r.content[0].attachment.data; }, expect: { check: 'invariant', where: 'us-core-6' } },
  { name: 'progress note type not a progress note code', profile: 'peerkit-progress-note', breakIt: (r) => { r.type.coding[0] = { system: 'http://loinc.org', code: '18842-5' }; }, expect: { check: 'binding', where: 'DocumentReference.type' } },
  { name: 'progress note without the clinical-note category', profile: 'peerkit-progress-note', breakIt: (r) => { r.category = [{ text: 'note' }]; }, expect: { check: 'profile', where: 'uscore' } },
  { name: 'progress note without its encounter', profile: 'peerkit-progress-note', breakIt: (r) => { delete r.context.encounter; }, expect: { check: 'profile', where: 'context.encounter' } },
  { name: 'progress note without content type', profile: 'peerkit-progress-note', breakIt: (r) => { delete r.content[0].attachment.contentType; }, expect: { check: 'profile', where: 'contentType' } },
  { name: 'group note without the group-note code (pk-note-1)', profile: 'peerkit-group-note', breakIt: (r) => { r.type.coding.shift(); }, expect: { check: 'invariant', where: 'pk-note-1' } },
  { name: 'service not done but performed (pk-svc-1)', profile: 'peerkit-peer-service', breakIt: (r) => { r.status = 'not-done'; }, expect: { check: 'invariant', where: 'pk-svc-1' } },
  { name: 'service code not the peer support service', profile: 'peerkit-peer-service', breakIt: (r) => { r.code.coding[0] = { system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'H0038' }; }, expect: { check: 'profile', where: 'code' } },
  { name: 'peer activity code not in the CodeSystem', profile: 'peerkit-peer-service', breakIt: (r) => { r.extension[0].valueCoding.code = 'juggling'; }, expect: { check: 'code', where: 'juggling' } },
  { name: 'modality extension on the service (wrong context)', profile: 'peerkit-peer-service', breakIt: (r) => { r.extension.push({ url: sd('modality'), valueCoding: { system: cs('modality'), code: 'video' } }); }, expect: { check: 'extension', where: 'not allowed on Procedure' } },
  { name: 'service consent scope privacy', profile: 'peerkit-service-consent', breakIt: (r) => { r.scope.coding[0].code = 'patient-privacy'; }, expect: { check: 'profile', where: 'scope' } },
  { name: 'service consent provision deny', profile: 'peerkit-service-consent', breakIt: (r) => { r.provision.type = 'deny'; }, expect: { check: 'profile', where: 'provision.type' } },
  { name: 'group of animals', profile: 'peerkit-group', breakIt: (r) => { r.type = 'animal'; }, expect: { check: 'profile', where: 'type' } },
  { name: 'group topic not a group topic', profile: 'peerkit-group', breakIt: (r) => { r.code.coding[0].code = 'knitting'; }, expect: { check: 'binding', where: 'Group.code' } },
  { name: 'consent without IDSCL category', profile: 'peerkit-consent', breakIt: (r) => { r.category.splice(1, 1); }, expect: { check: 'profile', where: 'disclosure' } },
  { name: 'consent scope research', profile: 'peerkit-consent', breakIt: (r) => { r.scope.coding[0].code = 'research'; }, expect: { check: 'profile', where: 'scope' } },
  { name: 'consent provision deny', profile: 'peerkit-consent', breakIt: (r) => { r.provision.type = 'deny'; }, expect: { check: 'profile', where: 'provision.type' } },
  { name: 'consent recipient without recipient type', profile: 'peerkit-consent', breakIt: (r) => { delete r.provision.actor[0].extension; }, expect: { check: 'profile', where: 'recipientType' } },
  { name: 'consent data category not a data category', profile: 'peerkit-consent', breakIt: (r) => { r.provision.code[0].coding[0].code = 'diary'; }, expect: { check: 'binding', where: 'provision.code' } },
  { name: 'consent signature without signer', profile: 'peerkit-consent', breakIt: (r) => { r.extension[1].extension.shift(); }, expect: { check: 'extension', where: 'signer' } },
  { name: 'referral without the social service category', profile: 'peerkit-referral', breakIt: (r) => { r.category.shift(); }, expect: { check: 'profile', where: 'socialService' } },
  { name: 'referral code not a referral category', profile: 'peerkit-referral', breakIt: (r) => { r.code.coding[0].code = 'spa-day'; }, expect: { check: 'binding', where: 'ServiceRequest.code' } },
  { name: 'referral without requester', profile: 'peerkit-referral', breakIt: (r) => { delete r.requester; }, expect: { check: 'profile', where: 'requester' } },
  { name: 'referral task code not fulfill', profile: 'peerkit-referral-task', breakIt: (r) => { r.code.coding[0].code = 'approve'; }, expect: { check: 'profile', where: 'code' } },
  { name: 'referral task status reason without text (SDOHCC)', profile: 'peerkit-referral-task', breakIt: (r) => { r.statusReason = { coding: [{ system: 'http://example.org/reasons', code: 'x' }] }; }, expect: { check: 'profile', where: 'statusReason.text' } },
  { name: 'referral outcome not a referral outcome', profile: 'peerkit-referral-task', breakIt: (r) => { r.output[0].valueCodeableConcept.coding[0].code = 'happy'; }, expect: { check: 'binding', where: 'output.value' } },
  { name: 'program without the Part 2 flag', profile: 'peerkit-program', breakIt: (r) => withoutExtension(r, sd('part2-program')), expect: { check: 'profile', where: 'part2' } },
  { name: 'enrollment type not a program type', profile: 'peerkit-program-enrollment', breakIt: (r) => { r.type[0].coding[0].code = 'housing'; }, expect: { check: 'binding', where: 'EpisodeOfCare.type' } },
  { name: 'coverage without member id', profile: 'peerkit-coverage', breakIt: (r) => { delete r.subscriberId; }, expect: { check: 'profile', where: 'subscriberId' } },
  { name: 'organization without name', profile: 'peerkit-organization', breakIt: (r) => { delete r.name; }, expect: { check: 'profile', where: 'name' } },
  { name: 'organization claiming no profile', profile: 'peerkit-organization', breakIt: (r) => { delete r.meta; }, expect: { check: 'meta.profile', where: 'meta.profile' } },
  { name: 'organization claiming the encounter profile', profile: 'peerkit-organization', breakIt: (r) => { r.meta.profile = [sd('peerkit-encounter')]; }, expect: { check: 'meta.profile', where: 'profiles Encounter' } },
  { name: 'encounter status not an R4 encounter status', profile: 'peerkit-encounter', breakIt: (r) => { r.status = 'done'; }, expect: { check: 'binding', where: 'Encounter.status' } },
  { name: 'encounter with an element R4 does not have', profile: 'peerkit-encounter', breakIt: (r) => { r.mood = 'good'; }, expect: { check: 'r4', where: 'mood' } },
];
