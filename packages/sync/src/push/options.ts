/** The options and the summary of a push: its public types. */
import type { StopReason, SyncEventListener } from '../events';
import type { Outbox } from '../outbox';
import type { RateBudget, RateBudgetOptions } from '../rate-budget';
import type { RetryOptions } from '../retry';
import type { FhirTransport } from '../transport';
import type { WriteMode, WritePlan } from '../write-mode';

/** Options of {@link push}. */
export interface PushOptions {
  /** The server. */
  transport: FhirTransport;
  /** What to send (its pending entries). */
  outbox: Outbox;
  /**
   * How writes travel (see {@link WriteMode}): `transaction` Bundles, `batch` Bundles, one
   * conditional request per resource (`single`), or `auto`: read the server's CapabilityStatement
   * (`GET [base]/metadata`), take the first of transaction, batch, single it supports, and keep
   * Bundles within the limits it documents (`SERVER_LIMITS`). Default `transaction`.
   */
  writeMode?: WriteMode | 'auto';
  /** Most entries per Bundle. Default 100 (`DEFAULT_BATCH_SIZE`), lowered to the server's documented limit with `auto`. */
  batchSize?: number;
  /**
   * Largest Bundle body, in bytes: entries are added while their size fits, and a Bundle found
   * larger when built is split before it is sent (a single entry larger than this goes alone).
   * Default 1 MiB (`DEFAULT_MAX_BUNDLE_BYTES`), lowered to the server's documented limit with `auto`.
   */
  maxBundleBytes?: number;
  /** Most requests in flight at once (Bundles, or single requests). Default 4, or 16 in `single` mode. */
  concurrency?: number;
  /** Backoff, attempts and time limits; see {@link RetryOptions}. */
  retry?: RetryOptions;
  /**
   * The rate budget: writes and requests per second, and the share of a server-announced quota
   * kept in reserve; see {@link RateBudgetOptions}. Default: no cap of PeerKit's own (with `auto`,
   * the server's documented request rate), the server's rate-limit headers always followed.
   */
  rate?: RateBudgetOptions;
  /**
   * A rate budget already in use, to keep pacing across pushes (a hub worker's successive claims):
   * `rate` and the server's documented request rate are then not read. Default: one made for this
   * push from `rate`.
   */
  budget?: RateBudget;
  /** Receives progress events. */
  onEvent?: SyncEventListener;
  /** Stops the run; pending entries stay in the outbox. */
  signal?: AbortSignal;
  /** Uniform random numbers in [0, 1) for jitter (default `Math.random`); for tests. */
  random?: () => number;
  /** The clock in ms (default `Date.now`); for tests. */
  now?: () => number;
}

/** How fast a run wrote, and what slowed it. */
export interface RateSummary {
  /** The effective rate: resources confirmed per second, from the start of the run to its end. */
  writesPerSecond: number;
  /** How long the run took, in ms. */
  elapsedMs: number;
  /** Time requests waited for the budget (caps, or the server's quota spread to its reset), summed over requests, in ms. */
  pacedMs: number;
  /** Time every request was held: pauses the server asked for (`Retry-After`) or taken before its quota ran out, in ms. */
  pausedMs: number;
  /** Answers that said slow down: 429, or 503 with `Retry-After`. */
  throttled: number;
}

/** What one push did. Counts are of entries (resources), not Bundles. */
export interface PushSummary {
  /** How it wrote. */
  plan: WritePlan;
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
  /** HTTP requests made (writes, searches and the CapabilityStatement). */
  requests: number;
  /** How fast it wrote (see {@link RateSummary}). */
  rate: RateSummary;
  /** Why the run stopped early, if it did. */
  stopped?: StopReason;
}
