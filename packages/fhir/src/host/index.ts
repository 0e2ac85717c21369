/**
 * Reading the host EHR's FHIR (US Core and plain R4) into PeerKit records: `readHostFhir`, the import
 * profile, reference resolution and the `host.*` finding codes.
 */
export { readHostFhir } from './read-host';
export { HOST_FINDING_CODES } from './findings';
export type { HostFindingCode, HostPosition } from './findings';
export { importProfileSchema, parseImportProfile, US_CORE_IMPORT_PROFILE } from './import-profile';
export type { CodeSet, CredentialCode, ImportDefaults, ImportProfile, ImportProfileInput, ReferralCodeSet } from './import-profile';
export { createHostIndex } from './references';
export type { HostResolved, HostResourceIndex } from './references';
export type {
  HostContextItem,
  HostGoal,
  HostInput,
  HostLine,
  HostNote,
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
} from './types';
