/**
 * @peerkit/fhir — PeerKit's domain model as FHIR R4 and back, the PeerKit profile pack and
 * transaction bundles.
 *
 * @packageDocumentation
 */
export { PEERKIT_CANONICAL, SYSTEMS } from './systems';
export { createFhirContext, isPart2Peer, isPart2Program, patientReference } from './context';
export type { FhirContext, FhirMappingOptions } from './context';
export { organizationResourceId, programResourceId, toFhirOrganization } from './organization';
export { NUCC_PEER_SPECIALIST, practitionerResourceId, practitionerRoleResourceId, toFhirSpecialist } from './specialist';
export { toFhirPeer } from './peer';
export { carePlanResourceId, goalResourceId, planIsPart2, toFhirRecoveryPlan, VERIFICATION_SIGNATURE } from './recovery-plan';
export {
  encounterClass,
  encounterResourceId,
  noteResourceId,
  PROGRESS_NOTE_TYPE,
  serviceResourceId,
  SOCIAL_SERVICE_PROCEDURE,
  toFhirPeerEncounter,
} from './encounter';
export {
  attendeeEncounterResourceId,
  groupResourceId,
  sessionEncounterResourceId,
  toFhirGroupSession,
} from './group-session';
export {
  consentResourceId,
  IDSCL,
  LOINC_PATIENT_CONSENT,
  PART2_POLICY_URI,
  PURPOSE_OF_USE,
  SENSITIVITY_OF_CATEGORY,
  toFhirConsent,
} from './consent';
export { PERTAINS_TO_GOAL, referralResourceId, referralTaskResourceId, toFhirReferral } from './referral';
export { part2Labels } from './internal/build';
export { toFhir, toFhirRecord } from './to-fhir';
export { fromFhir } from './from-fhir';
export type { FromFhirOptions } from './from-fhir';
export {
  businessKey,
  businessQuery,
  collectReferences,
  deterministicUuid,
  resourceUuid,
  rewriteReferences,
  toTransactionBundle,
  toTransactionBundles,
  transactionRequest,
} from './bundle';
export type { TransactionBundleOptions } from './bundle';
