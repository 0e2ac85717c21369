/**
 * @peerkit/cds-hooks — PeerKit as a CDS Hooks 2.0 service: discovery with prefetch templates,
 * `patient-view` (peer support summary, referral suggestion), `order-sign` (consent and billing
 * eligibility of peer-support orders and disclosures), `encounter-discharge` (warm hand-off after an
 * overdose), feedback, and JWT authentication of the calling EHR. Node only (`node:http`).
 *
 * @packageDocumentation
 */
export { CDS_HOOKS, createCdsService, startCdsService } from './cds-service';
export type { CdsRequestHandler, CdsServiceOptions, RunningCdsService, StartCdsServiceOptions } from './cds-service';
export { createClientAuthenticator } from './client-auth';
export type { AuthenticatedClient, ClientAuthenticator, ClientAuthOptions, TrustedCdsClient } from './client-auth';
export { fillPrefetchTemplate, resolvePrefetch } from './prefetch';
export type { ResolvedPrefetch, ResolvePrefetchOptions } from './prefetch';
export { checkCdsRequest } from './request';
export { checkFeedback } from './feedback';
export {
  DIAGNOSIS_RANGES,
  diagnosisRangeOf,
  DISCHARGE_ENCOUNTER_CLASSES,
  ICD10CM_SYSTEM,
  ICD10CM_URL,
  PART2_URL,
  PEER_SUPPORT_ORDER_CODES,
  PEER_SUPPORT_REFERRAL,
  SNOMED_SYSTEM,
  SOCIAL_SERVICE_CATEGORY,
} from './codes';
export type { DiagnosisRange } from './codes';
export type { CdsHook, HookInput } from './hooks/hook';
export type { FhirJson } from './internal/resources';
export { PATIENT_VIEW_HOOK, PATIENT_VIEW_SERVICE_ID } from './hooks/patient-view';
export { ORDER_SIGN_HOOK, ORDER_SIGN_SERVICE_ID } from './hooks/order-sign';
export { ENCOUNTER_DISCHARGE_HOOK, ENCOUNTER_DISCHARGE_SERVICE_ID } from './hooks/encounter-discharge';
export type {
  Card,
  CardAction,
  CardFeedback,
  CardIndicator,
  CardLink,
  CardSource,
  CardSuggestion,
  CdsRequest,
  CdsResponse,
  CdsServiceDefinition,
  FhirAuthorization,
  OverrideReason,
  ReceivedFeedback,
} from './types';
