/**
 * The outbox on PostgreSQL, for hubs: `schema` (the tables and their migrations), `pg-outbox` (runs,
 * entries, claims with `FOR UPDATE SKIP LOCKED`), `lease` (a claim as an `Outbox` the push engine
 * sends), `worker` (claim, push, release, repeat) and `hub-sync` (one clinic's run: queue, workers,
 * Provenance).
 */
export { hubSync } from './hub-sync';
export type { HubSyncOptions, HubSyncSummary } from './hub-sync';
export type { OutboxLease } from './lease';
export { openPgOutbox } from './pg-outbox';
export type { ClaimOptions, HubCounts, HubRun, PgOutbox, PgOutboxOptions } from './pg-outbox';
export { HUB_TABLES, MIGRATIONS } from './schema';
export { applyMigrations, postgresDisplayName, postgresFailureReason } from './postgres';
export { runHubWorker } from './worker';
export type { HubWorkerOptions, HubWorkerSummary } from './worker';
