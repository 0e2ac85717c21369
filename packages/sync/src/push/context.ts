/** What the parts of one push run share: its options, its queue, its summary and its stop state. */
import { SyncError } from '../errors';
import type { StopReason, SyncEvent } from '../events';
import { createEmitter } from '../internal/emitter';
import type { Confirmation, Outbox } from '../outbox';
import { createRateBudget, type RateBudget } from '../rate-budget';
import { createRetryPolicy, type RetryPolicy } from '../retry';
import type { FhirTransport } from '../transport';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_BUNDLE_BYTES } from '../server-limits';
import { WRITE_MODES, type WriteMode } from '../write-mode';
import type { PushOptions, PushSummary } from './options';
import { groupCommit } from './group-commit';
import { PushQueue } from './queue';

/** Most looked-up conditional references a run keeps (they are usually a handful: organizations, practitioners). */
export const KNOWN_LIMIT = 10_000;

/** The state of one push run, passed to its parts (ordering, sending, settling). */
export interface PushContext {
  readonly transport: FhirTransport;
  readonly outbox: Outbox;
  /** How writes travel; set by the plan before the workers start. */
  mode: WriteMode;
  /** Most entries per Bundle. */
  batchSize: number;
  /** Largest Bundle body, in bytes. */
  maxBundleBytes: number;
  concurrency: number;
  readonly policy: RetryPolicy;
  readonly random: () => number;
  readonly now: () => number;
  /** The caller's signal: stops the run. */
  readonly signal: AbortSignal | undefined;
  /** Aborted when the run stops early (halt, abort, a worker failure): wakes sleeps at once. */
  readonly halted: AbortController;
  readonly queue: PushQueue;
  /**
   * Conditional references to resources outside the sync, looked up on the server (`Type?…` →
   * `Type/id`) for Bundles and requests that cannot carry them (batch, single). Bounded: cleared
   * when it grows past {@link KNOWN_LIMIT}.
   */
  readonly known: Map<string, string>;
  /**
   * References to entries of this outbox already confirmed (`urn:uuid:…` or `Type?…` → `Type/id`): a
   * confirmation is final, and the file outbox would read each from its disk index again for every
   * entry that refers to it. Bounded like `known`.
   */
  readonly located: Map<string, string>;
  /** Counts so far (`pending` and `stopped` are filled in at the end). */
  readonly summary: PushSummary;
  /**
   * Single requests ask for `Prefer: return=minimal` (no resource in the answer: nothing to
   * serialize, send and parse); turned off for the rest of the run once a 2xx answer to it says
   * neither `Location` nor `Content-Location`.
   */
  minimalReplies: boolean;
  /** Why the run stops early, once it must. */
  stop: StopReason | undefined;
  /** Every request waits until this time (the server asked for a pause, or its quota is down to the reserve). */
  pauseUntil: number;
  /** The rate budget (replaced by the plan, which knows the concurrency and the server's figures). */
  budget: RateBudget;
  /** Sends a progress event to the listener; its failures are ignored. */
  emit(event: SyncEvent): void;
  /** `outbox.confirm`, with concurrent calls grouped into one (see {@link groupCommit}). */
  confirmInOutbox(confirmations: Confirmation[]): Promise<void>;
}

/**
 * Checks the options and builds a run's context.
 *
 * @param options - see {@link PushOptions}
 * @param fed - true when input is still being queued while the run goes
 * @param accept - which of the outbox's pending entries to send (default: all)
 * @returns the context
 * @throws SyncError `sync.invalid-option` for a batch size, Bundle size or concurrency that is not a
 *   whole number ≥ 1, or an unknown write mode
 */
export function createPushContext(options: PushOptions, fed: boolean, accept?: (key: string) => boolean): PushContext {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxBundleBytes = options.maxBundleBytes ?? DEFAULT_MAX_BUNDLE_BYTES;
  const requested = options.writeMode ?? 'transaction';
  const mode = requested === 'auto' ? 'transaction' : requested;
  const concurrency = options.concurrency ?? (mode === 'single' ? 16 : 4);
  const whole = (value: number, name: string): void => {
    if (!Number.isInteger(value) || value < 1) throw new SyncError('sync.invalid-option', `${name} must be a whole number, at least 1`);
  };
  whole(batchSize, 'batchSize');
  whole(maxBundleBytes, 'maxBundleBytes');
  whole(concurrency, 'concurrency');
  if (requested !== 'auto' && !WRITE_MODES.includes(requested)) {
    throw new SyncError('sync.invalid-option', `writeMode must be auto, ${WRITE_MODES.join(', ')}`);
  }
  return {
    transport: options.transport,
    outbox: options.outbox,
    mode,
    batchSize,
    maxBundleBytes,
    concurrency,
    policy: createRetryPolicy(options.retry),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    signal: options.signal,
    halted: new AbortController(),
    queue: new PushQueue(options.outbox, fed, accept),
    known: new Map(),
    located: new Map(),
    // The plan is filled in when the run starts (see plan.ts).
    summary: { plan: { mode, reason: 'configured', batchSize, maxBundleBytes, concurrency }, sent: 0, confirmed: 0, retried: 0, deadLettered: 0, pending: 0, reconciled: 0, requests: 0, rate: { writesPerSecond: 0, elapsedMs: 0, pacedMs: 0, pausedMs: 0, throttled: 0 } },
    stop: undefined,
    minimalReplies: true,
    pauseUntil: 0,
    budget: options.budget ?? createRateBudget(options.rate, concurrency),
    emit: createEmitter(options.onEvent),
    confirmInOutbox: groupCommit((confirmations: Confirmation[]) => options.outbox.confirm(confirmations)),
  };
}
