/** The options and the summary of a push: its public types. */
import type { StopReason, SyncEventListener } from '../events';
import type { Outbox } from '../outbox';
import type { RetryOptions } from '../retry';
import type { FhirTransport } from '../transport';

/** Options of {@link push}. */
export interface PushOptions {
  /** The server. */
  transport: FhirTransport;
  /** What to send (its pending entries). */
  outbox: Outbox;
  /** Most entries per transaction Bundle. Default 100. */
  batchSize?: number;
  /** Most Bundles in flight at once. Default 4. */
  concurrency?: number;
  /** Backoff, attempts and time limits; see {@link RetryOptions}. */
  retry?: RetryOptions;
  /** Receives progress events. */
  onEvent?: SyncEventListener;
  /** Stops the run; pending entries stay in the outbox. */
  signal?: AbortSignal;
  /** Uniform random numbers in [0, 1) for jitter (default `Math.random`); for tests. */
  random?: () => number;
  /** The clock in ms (default `Date.now`); for tests. */
  now?: () => number;
}

/** What one push did. Counts are of entries (resources), not Bundles. */
export interface PushSummary {
  /** Entries sent at least once. */
  sent: number;
  /** Entries the server confirmed (including ones found by a search after an uncertain failure). */
  confirmed: number;
  /** Times an entry was sent again. */
  retried: number;
  /** Entries set aside for good. */
  deadLettered: number;
  /** Entries still in the outbox. */
  pending: number;
  /** Entries found on the server by a search after an uncertain failure (included in `confirmed`). */
  reconciled: number;
  /** HTTP requests made (transactions and searches). */
  requests: number;
  /** Why the run stopped early, if it did. */
  stopped?: StopReason;
}
