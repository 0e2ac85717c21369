/**
 * @peerkit/sync — reliable sync of PeerKit's FHIR resources to any FHIR R4 server: a durable outbox,
 * retries that honour the server, SMART Backend Services auth, pull with conflict detection.
 *
 * @packageDocumentation
 */
export { bearerToken, smartBackendServices } from './auth';
export type { AuthProvider, SmartAlgorithm, SmartBackendServicesOptions } from './auth';
export { bulkExport, pollStep } from './bulk-export';
export type { BulkExportEvent, BulkExportLevel, BulkExportOptions, BulkExportSummary, BulkManifest, BulkOutputFile, PollSettings, PollState, PollStep } from './bulk-export';
export { bulkImport, importId, offersImport, runImport, SYNC_IMPORT_DIR, writeImportFiles } from './bulk-import';
export type { BulkImportEvent, BulkImportInput, BulkImportOptions, BulkImportSummary, ImportFile, ImportFiles, ImportFilesOptions, ImportTypeCount, RunImportOptions, RunImportResult, RunImportRunOptions, RunImportSummary } from './bulk-import';
export { readSyncConsents, streamSyncEntries, toSyncEntries } from './clinic';
export { createDisclosureGate, readRecordedPositions } from './disclosure';
export type { SyncDisclosureGate, SyncDisclosureOptions, SyncGateRun, SyncWithheldReason } from './disclosure';
export { parseSyncDisclosureFile, parseSyncNotice } from './internal/disclosure-mode';
export type { RunSyncNoticeOptions, SyncDisclosureFile, SyncNoticeStatement } from './internal/disclosure-mode';
export { createSyncNoticeEntry, SYNC_NOTICE_IDENTIFIER_SYSTEM } from './disclosure-notice';
export type { SyncNoticeInput, SyncNoticeOptions } from './disclosure-notice';
export type { StreamSyncEntriesOptions, SyncEntriesOptions } from './clinic';
export { toOutboxEntries, toOutboxEntry } from './entries';
export { createFhirDisclosureLedger, openFileDisclosureLedger } from './disclosure-ledger';
export type { FhirDisclosureLedgerOptions, FileDisclosureLedger, FileDisclosureLedgerOptions } from './disclosure-ledger';
export { SYNC_ERROR_CODES, SyncError } from './errors';
export type { SyncErrorCode } from './errors';
export type { RetryReason, StopReason, SyncEvent, SyncEventListener } from './events';
export { openFileOutbox, OUTBOX_FILES } from './file-outbox';
export type { FileOutboxOptions } from './file-outbox';
export { applyMigrations, HUB_TABLES, hubSync, MIGRATIONS, openPgOutbox, postgresDisplayName, postgresFailureReason, runHubWorker } from './hub';
export type { ClaimOptions, HubCounts, HubRun, HubSyncOptions, HubSyncSummary, HubWorkerOptions, HubWorkerSummary, OutboxLease, PgOutbox, PgOutboxOptions } from './hub';
export { createMemoryOutbox, entryKey } from './outbox';
export type { Confirmation, DeadLetter, EntryState, Outbox, OutboxCounts, OutboxEntry } from './outbox';
export { createRunProvenance, provenanceCoverage, runProvenanceEntries, DATA_OPERATION, PROVENANCE_PARTICIPANT_TYPE, SYNC_RUN_TAG_SYSTEM } from './provenance';
export type { ProvenanceCoverage, RunProvenanceOptions } from './provenance';
export { pull, pullRecords } from './pull';
export type { PullConflict, PullOptions, PullRecordsResult, PullResult } from './pull';
export { PATIENT_RECORD_SEARCHES, readPatientFromServer } from './read-patient';
export type { PatientRecordSearch, PatientRecordType, ReadPatientOptions, ReadPatientResult } from './read-patient';
export { push } from './push';
export type { PushOptions, PushSummary, RateSummary } from './push';
export { createRateBudget } from './rate-budget';
export type { RateBudget, RateBudgetOptions } from './rate-budget';
export {
  backoffDelay,
  createRetryPolicy,
  DEFAULT_RETRY,
  parseRateLimit,
  parseRetryAfter,
  serverDelay,
} from './retry';
export type { RateLimitInfo, RateLimitPolicy, RetryOptions, RetryPolicy } from './retry';
export { runSync, SYNC_DISCLOSURE_LEDGER_FILE, SYNC_STATE_DIR } from './run-sync';
export type { RunSyncHubOptions, RunSyncOptions, RunSyncProgress, RunSyncSummary } from './run-sync';
export { DEFAULT_BATCH_SIZE, DEFAULT_MAX_BUNDLE_BYTES, SERVER_LIMITS, serverLimitsFor } from './server-limits';
export type { ServerLimits, SourcedFigure } from './server-limits';
export { sync } from './sync';
export type { SyncOptions, SyncSummary } from './sync';
export { createFhirTransport, debugEnablesClientLogging } from './transport';
export type { FhirReply, FhirTransport, FhirTransportOptions, RequestOptions } from './transport';
export { chooseWriteMode, readServerCapabilities, toServerCapabilities, WRITE_MODES } from './write-mode';
export type { ImportPlan, RunWriteMode, ServerCapabilities, WriteMode, WriteModeChoice, WriteModeReason, WritePlan } from './write-mode';
