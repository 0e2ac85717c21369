/**
 * A synthetic host EHR's FHIR for billing tests, in US Core shapes: one patient with a Medicaid
 * Coverage, an encounter diagnosis and a problem-list diagnosis (ICD-10-CM), a refuted diagnosis, an
 * order for peer support (ServiceRequest) and a prior authorization (ClaimResponse with preAuthRef);
 * plus a diagnosis of a patient who is not in the clinic export. Every name, number and id is made up.
 */
const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const SNOMED = 'http://snomed.info/sct';
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

/** What varies between the tests that use {@link hostFhirBundle}. */
export interface HostFhirOptions {
  /** The Patient id (the clinic peer's `Patient/<id>`). Default `ehr-1`. */
  patientId?: string;
  /** The Patient's MRN. Default `https://example.org/test/mrn|MRN-0001`. */
  mrn?: { system: string; value: string };
  /** The payer's identifier value. Default `medicaid-generic`. */
  payerId?: string;
  /** The member id (identifier of type MB). Default `M000000001`. */
  memberId?: string;
  /** Coverage period start. Default `2024-01-01`. */
  coverageStart?: string;
  /** The encounter diagnosis (ICD-10-CM). Default `F11.20`. */
  diagnosis?: string;
  /** Order date (`authoredOn`). Default `2025-01-02T09:00:00-05:00`. */
  orderedAt?: string;
  /** Prior authorization: number, period and H0038 units. Default `PA-2025-0042`, 2025-01-01 to 2025-06-30, 48 units. */
  preAuth?: { ref: string; start: string; end: string; units: number } | null;
}

/**
 * The host's FHIR as a `collection` Bundle.
 *
 * @param options - see {@link HostFhirOptions}
 */
export function hostFhirBundle(options: HostFhirOptions = {}): Record<string, unknown> {
  const patientId = options.patientId ?? 'ehr-1';
  const mrn = options.mrn ?? { system: 'https://example.org/test/mrn', value: 'MRN-0001' };
  const subject = { reference: `Patient/${patientId}` };
  const preAuth = options.preAuth === undefined ? { ref: 'PA-2025-0042', start: '2025-01-01', end: '2025-06-30', units: 48 } : options.preAuth;
  const condition = (id: string, code: string, category: string, extra: Record<string, unknown> = {}) => ({
    resourceType: 'Condition',
    id,
    meta: { profile: [`http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-${category === 'encounter-diagnosis' ? 'encounter-diagnosis' : 'problems-health-concerns'}`] },
    clinicalStatus: { coding: [{ system: CLINICAL, code: 'active' }] },
    verificationStatus: { coding: [{ system: VERIFICATION, code: 'confirmed' }] },
    category: [{ coding: [{ system: CATEGORY, code: category }] }],
    code: { coding: [{ system: ICD10CM, code }] },
    subject,
    onsetDateTime: '2024-11-01',
    recordedDate: '2024-11-05',
    ...extra,
  });
  const resources: Record<string, unknown>[] = [
    {
      resourceType: 'Patient',
      id: patientId,
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'] },
      identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, ...mrn }],
      name: [{ family: 'Example', given: ['Test'] }],
      gender: 'unknown',
      birthDate: '1980-06-15',
    },
    {
      resourceType: 'Organization',
      id: 'payer-1',
      identifier: [{ system: 'https://example.org/test/payer-id', value: options.payerId ?? 'medicaid-generic' }],
      active: true,
      type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'pay' }] }],
      name: 'Example Medicaid Plan (synthetic)',
    },
    {
      resourceType: 'Coverage',
      id: 'cov-1',
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-coverage'] },
      identifier: [
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MB' }] },
          system: 'https://example.org/test/member-id',
          value: options.memberId ?? 'M000000001',
        },
      ],
      status: 'active',
      type: { coding: [{ system: 'https://nahdo.org/sopt', code: '2', display: 'MEDICAID' }] },
      beneficiary: subject,
      relationship: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship', code: 'self' }] },
      period: { start: options.coverageStart ?? '2024-01-01' },
      payor: [{ reference: 'Organization/payer-1' }],
      class: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] }, value: 'PLAN-A', name: 'Example plan' }],
    },
    {
      resourceType: 'Coverage',
      id: 'cov-old',
      status: 'cancelled',
      beneficiary: subject,
      subscriberId: 'OLD-1',
      period: { start: '2020-01-01', end: '2020-12-31' },
      payor: [{ reference: 'Organization/payer-1' }],
    },
    condition('cond-problem', 'F33.1', 'problem-list-item', { onsetDateTime: '2023-05-01' }),
    condition('cond-dx', options.diagnosis ?? 'F11.20', 'encounter-diagnosis', {
      code: { coding: [{ system: ICD10CM, code: options.diagnosis ?? 'F11.20' }, { system: SNOMED, code: '5602001' }] },
    }),
    condition('cond-refuted', 'F20.9', 'encounter-diagnosis', { verificationStatus: { coding: [{ system: VERIFICATION, code: 'refuted' }] } }),
    condition('cond-other', 'F41.1', 'encounter-diagnosis', { subject: { reference: 'Patient/ehr-999' } }),
    {
      resourceType: 'ServiceRequest',
      id: 'order-1',
      status: 'active',
      intent: 'order',
      code: { coding: [{ system: SNOMED, code: '461481000124109', display: 'Referral to peer support' }] },
      subject,
      authoredOn: options.orderedAt ?? '2025-01-02T09:00:00-05:00',
      requester: { display: 'Ordering clinician (synthetic)' },
    },
  ];
  if (preAuth !== null) {
    resources.push({
      resourceType: 'ClaimResponse',
      id: 'auth-1',
      status: 'active',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
      use: 'preauthorization',
      patient: subject,
      created: '2024-12-20T10:00:00-05:00',
      insurer: { reference: 'Organization/payer-1' },
      outcome: 'complete',
      preAuthRef: preAuth.ref,
      preAuthPeriod: { start: preAuth.start, end: preAuth.end },
      addItem: [{ productOrService: { coding: [{ system: HCPCS, code: 'H0038' }] }, quantity: { value: preAuth.units } }],
    });
  }
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ fullUrl: `https://ehr.example.org/fhir/${String(resource.resourceType)}/${String(resource.id)}`, resource })) };
}
