/**
 * Pull with FHIR Bulk Data: `$export` kick-off, polling and NDJSON download, streamed and
 * resumable. `http` (fetch with the transport's rules), `poll` (the polling state machine),
 * `manifest`, `state` (what a crash leaves to resume from), `export` (the client).
 */
export { bulkExport } from './export';
export type { BulkExportEvent, BulkExportLevel, BulkExportOptions, BulkExportSummary } from './export';
export type { BulkManifest, BulkOutputFile } from './manifest';
export { pollStep } from './poll';
export type { PollSettings, PollState, PollStep } from './poll';
