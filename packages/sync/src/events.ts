/**
 * Progress events of a sync, for progress bars and logs. They carry counts, resource types,
 * statuses and codes: never tokens, identifiers or resource content.
 */

import type { WriteMode, WritePlan } from './write-mode';

/** Why requests are being retried. */
export type RetryReason = 'status' | 'network' | 'timeout' | 'invalid-response';

/** One progress event. */
export type SyncEvent =
  /** Entries were added to the outbox (`skipped`: already there from an earlier attempt). */
  | { type: 'queued'; count: number; skipped: number }
  /** Entries were withheld from this server by the disclosure gate (never queued). */
  | { type: 'withheld'; count: number; reason: string }
  /** The run chose how to write (first event of a push; with `auto`, after reading the CapabilityStatement). */
  | ({ type: 'planned' } & WritePlan)
  /** A write went out: a Bundle (`transaction` or `batch`) or a single request. `attempt` is 1 for its first try. */
  | { type: 'sent'; entries: number; attempt: number; via: WriteMode }
  /** The server confirmed entries. */
  | { type: 'confirmed'; count: number; created: number; updated: number }
  /** Entries will be sent again after `delayMs`. */
  | { type: 'retried'; count: number; attempt: number; reason: RetryReason; status?: number; code?: string; delayMs: number }
  /** After an uncertain failure, a search found what the server already holds. */
  | { type: 'reconciled'; checked: number; found: number }
  /** Entries were set aside for good (see the dead-letter store). */
  | { type: 'dead-lettered'; count: number; status: number; code: string }
  /** Every request waits: the server asked for a pause (429/503 `Retry-After`, exhausted `RateLimit`). */
  | { type: 'paused'; delayMs: number; status?: number }
  /** The run stopped before the outbox was empty; what is left stays there for `resume`. */
  | { type: 'stopped'; reason: StopReason; pending: number };

/** Why a run stopped early. */
export type StopReason =
  /** Requests kept failing (network, timeouts, 5xx) after every retry. */
  | 'server-unavailable'
  /** The server asked for a longer pause than `maxServerDelayMs`. */
  | 'rate-limited'
  /** 401 after a fresh token, or the token endpoint refused. */
  | 'unauthorized'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** Some entries failed transiently on every retry; the others are done. */
  | 'retries-exhausted';

/** Receives progress events. Exceptions it throws are ignored. */
export type SyncEventListener = (event: SyncEvent) => void;
