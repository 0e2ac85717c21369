/**
 * Push with FHIR Bulk Data `$import`: `ndjson` (the files a `$import` takes: one per resource type,
 * stable ids, literal references), `import` (kick-off, polling and the result, where the server
 * offers it), `run-import` (a run: files, publishing, resume from `import-state`, Provenance of what
 * landed from `import-provenance`).
 */
export { bulkImport, offersImport } from './import';
export type { BulkImportEvent, BulkImportInput, BulkImportOptions, BulkImportSummary } from './import';
export { importId, writeImportFiles } from './ndjson';
export type { ImportFile, ImportFiles, ImportFilesOptions } from './ndjson';
export { runImport } from './run-import';
export type { ImportTypeCount, RunImportOptions, RunImportResult, RunImportRunOptions, RunImportSummary } from './run-import';
export { runSyncImport, SYNC_IMPORT_DIR, toImportSyncSummary } from './run-sync-import';
export { IMPORT_STATE_FILE } from './import-state';
export type { ImportState, ImportStateFile } from './import-state';
export { writeImportProvenance } from './import-provenance';
export type { ImportedFile, ImportProvenanceOptions, ImportProvenanceResult } from './import-provenance';
export type { ImportSyncSummary, SyncImportOptions } from './run-sync-import';
