/**
 * @peerkit/fhir — PeerKit's domain model as FHIR R4 and back, the PeerKit profile pack and
 * transaction bundles.
 *
 * @packageDocumentation
 */
export { PEERKIT_CANONICAL, SOCIAL_SERVICE_PROCEDURE, SYSTEMS } from './systems';
export { createSecurityLabels, part2Labels, SECURITY_LABELS } from './security-labels';
export type { ConfidentialityCode, SecurityLabelOptions, SensitivityCode } from './security-labels';
export { createFhirContext, isPart2Peer, isPart2Program, patientReference } from './context';
export type { FhirContext, FhirMappingOptions, MappingPeer, PeerLookup } from './context';
export {
  attendeeEncounterResourceId,
  attendeeNoteResourceId,
  carePlanResourceId,
  consentResourceId,
  coverageResourceId,
  encounterResourceId,
  enrollmentResourceId,
  goalResourceId,
  groupNoteResourceId,
  groupResourceId,
  noteResourceId,
  organizationResourceId,
  practitionerResourceId,
  practitionerRoleResourceId,
  programResourceId,
  referralResourceId,
  referralTaskResourceId,
  serviceConsentResourceId,
  serviceResourceId,
  sessionEncounterResourceId,
  signatureResourceId,
} from './resource-ids';
export { toFhirOrganization } from './organization';
export { NUCC_PEER_SPECIALIST, toFhirSpecialist } from './specialist';
export { toFhirPeer } from './peer';
export { planIsPart2, toFhirRecoveryPlan, VERIFICATION_SIGNATURE } from './recovery-plan';
export { encounterClass, toFhirPeerEncounter } from './encounter';
export { PROGRESS_NOTE_TYPE } from './note';
export { toFhirGroupSession } from './group-session';
export {
  IDSCL,
  LOINC_PATIENT_CONSENT,
  PART2_POLICY_URI,
  PURPOSE_OF_USE,
  SENSITIVITY_OF_CATEGORY,
  toFhirConsent,
} from './consent';
export { PERTAINS_TO_GOAL, toFhirReferral } from './referral';
export { isPeerKitServiceConsent, SERVICE_CONSENT, toFhirServiceConsent, TREATMENT_SCOPE } from './service-consent';
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
export { readHostFhir } from './host/read-host';
export { DEFAULT_WINDOW_SIZE, streamHostFhir } from './host/stream-host';
export type { StreamHostOptions } from './host/stream-host';
export { HOST_FINDING_CODES } from './host/findings';
export type { HostFindingCode, HostPosition } from './host/findings';
export {
  codeSetSchema,
  credentialCodeSchema,
  importDefaultsSchema,
  importProfileSchema,
  parseImportProfile,
  referralCodeSetSchema,
  US_CORE_IMPORT_PROFILE,
} from './host/import-profile';
export type { CodeSet, CredentialCode, ImportDefaults, ImportProfile, ImportProfileInput, ReferralCodeSet } from './host/import-profile';
export { createHostIndex } from './host/references';
export type { HostResolved, HostResourceIndex } from './host/references';
export type {
  HostClaimResponse,
  HostCondition,
  HostContextItem,
  HostCoverage,
  HostDateRange,
  HostEntryItem,
  HostGoal,
  HostInput,
  HostLine,
  HostNote,
  HostPatientFact,
  HostPayer,
  HostProgram,
  HostReadResult,
  HostRecord,
  HostRecordKind,
  HostRecordOf,
  HostRecordValues,
  HostReference,
  HostReferenceKind,
  HostSource,
  ReadHostOptions,
} from './host/types';
