/**
 * What patient-view and encounter-discharge share: the patient's qualifying diagnoses, whether peer
 * support is already ordered, and the ServiceRequest their suggestions create.
 */
import type { ServiceRequest } from 'fhir/r4';
import { diagnosisRangeOf, ICD10CM_SYSTEM, PEER_SUPPORT_ORDER_CODES, PEER_SUPPORT_REFERRAL, SOCIAL_SERVICE_CATEGORY, type DiagnosisRange } from '../codes';
import { codings, hasCode, text, type FhirJson } from '../internal/resources';
import type { OverrideReason } from '../types';

/** A diagnosis of the patient that falls in one of the ranges. */
export interface QualifyingDiagnosis {
  readonly condition: FhirJson;
  readonly range: DiagnosisRange;
}

const INACTIVE_CLINICAL = new Set(['inactive', 'resolved', 'remission']);
const NOT_CONFIRMED = new Set(['refuted', 'entered-in-error']);

/** The status code of a `clinicalStatus`-style CodeableConcept. */
const statusCode = (concept: unknown): string | undefined => codings(concept)[0]?.code;

/**
 * The Conditions whose ICD-10-CM code falls in a range of the given kinds, skipping resolved,
 * inactive, refuted and entered-in-error ones.
 */
export function qualifyingDiagnoses(conditions: readonly FhirJson[], kinds: ReadonlySet<DiagnosisRange['kind']>): QualifyingDiagnosis[] {
  const found: QualifyingDiagnosis[] = [];
  for (const condition of conditions) {
    if (condition.resourceType !== 'Condition') continue;
    if (INACTIVE_CLINICAL.has(statusCode(condition.clinicalStatus) ?? '')) continue;
    if (NOT_CONFIRMED.has(statusCode(condition.verificationStatus) ?? '')) continue;
    for (const coding of codings(condition.code)) {
      const range = coding.system === ICD10CM_SYSTEM && coding.code !== undefined ? diagnosisRangeOf(coding.code) : undefined;
      if (range !== undefined && kinds.has(range.kind)) {
        found.push({ condition, range });
        break;
      }
    }
  }
  return found;
}

const OPEN_ORDER = new Set(['draft', 'active', 'on-hold']);

/** `true` for a ServiceRequest for peer support (referral code or HCPCS peer service). */
export function isPeerSupportOrder(resource: FhirJson): boolean {
  return resource.resourceType === 'ServiceRequest' && hasCode(resource.code, PEER_SUPPORT_ORDER_CODES);
}

/** The open (draft, active, on-hold) peer-support ServiceRequests among the resources. */
export function openPeerSupportOrders(resources: readonly FhirJson[]): FhirJson[] {
  return resources.filter((r) => isPeerSupportOrder(r) && OPEN_ORDER.has(text(r, 'status') ?? ''));
}

/** Options of {@link peerReferralRequest}. */
export interface PeerReferralInput {
  readonly patient: string;
  readonly encounter?: string;
  readonly requester?: string;
  readonly reasons: readonly QualifyingDiagnosis[];
  readonly priority: 'routine' | 'urgent';
  readonly note: string;
  readonly authoredOn: string;
}

/**
 * The ServiceRequest a suggestion creates: SNOMED 461481000124109 "Referral to peer support", category
 * 410606002, status draft, intent proposal, the qualifying Conditions as `reasonReference`.
 * See: reference/fhir-mapping.md §2.6 (ServiceRequest, BHP example)
 */
export function peerReferralRequest(input: PeerReferralInput): ServiceRequest {
  const request: ServiceRequest = {
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: 'proposal',
    priority: input.priority,
    category: [{ coding: [{ ...SOCIAL_SERVICE_CATEGORY }] }],
    code: { coding: [{ ...PEER_SUPPORT_REFERRAL }], text: 'Referral to peer support' },
    subject: { reference: input.patient },
    authoredOn: input.authoredOn,
    note: [{ text: input.note }],
  };
  if (input.encounter !== undefined) request.encounter = { reference: input.encounter };
  if (input.requester !== undefined) request.requester = { reference: input.requester };
  const reasons = input.reasons.flatMap((r) => (typeof r.condition.id === 'string' ? [{ reference: `Condition/${r.condition.id}` }] : []));
  if (reasons.length > 0) request.reasonReference = reasons;
  return request;
}

/** The requester reference of the hook's user, when it is a practitioner or a role. */
export function requesterOf(userId: unknown): string | undefined {
  return typeof userId === 'string' && /^(Practitioner|PractitionerRole)\/[A-Za-z0-9\-.]{1,64}$/.test(userId) ? userId : undefined;
}

/** Distinct range titles of the diagnoses, for a card's text (no patient data beyond the category). */
export function rangeNames(diagnoses: readonly QualifyingDiagnosis[]): string {
  return [...new Set(diagnoses.map((d) => `${d.range.from === d.range.to ? d.range.from : `${d.range.from}–${d.range.to}`}`))].join(', ');
}


/** Reasons a user may give for not referring, offered on every referral card. */
export const REFERRAL_OVERRIDE_REASONS: readonly OverrideReason[] = [
  { system: 'https://peerkit.dev/cds/override', code: 'declined', display: 'Patient declined peer support' },
  { system: 'https://peerkit.dev/cds/override', code: 'elsewhere', display: 'Receives peer support elsewhere' },
];
