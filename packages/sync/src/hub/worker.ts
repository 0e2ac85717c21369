/**
 * A hub worker: claims entries from the PostgreSQL outbox, sends each claim with the push engine,
 * gives back what is left, and claims again — until nothing is left to send, or its signal stops it.
 * Run one per process (or several per process, each its own loop) on as many machines as the
 * server's rate budget allows.
 */
import type { StopReason } from '../events';
import { sleep } from '../internal/sleep';
import { push, type PushOptions, type PushSummary } from '../push';
import { createRateBudget, type RateBudget } from '../rate-budget';
import { backoffDelay, createRetryPolicy } from '../retry';
import type { WritePlan } from '../write-mode';
import type { PgOutbox } from './pg-outbox';

/** Options of {@link runHubWorker}: the push's options (server, write mode, limits) and the claims'. */
export interface HubWorkerOptions extends Omit<PushOptions, 'outbox'> {
  /** The PostgreSQL outbox (`openPgOutbox`). Required. */
  outbox: PgOutbox;
  /** Only this run's entries. Default: every unfinished run's, oldest first. */
  run?: string;
  /** Most entries per claim. Default 500. */
  claimSize?: number;
  /**
   * When to stop: `drained` (default) once nothing is pending — or what is pending can no longer
   * move: left for a resume after `maxClaims`, or waiting on such entries — and no run is still
   * being queued; `aborted` only when `signal` fires (a long-running worker).
   */
  until?: 'drained' | 'aborted';
  /** How often to look for work when there is none, in ms. Default 200. */
  pollMs?: number;
}

/** What a worker did. Counts are of entries, summed over its claims. */
export interface HubWorkerSummary {
  /** Claims it took. */
  claims: number;
  /** How it wrote (the plan of its first claim), if it sent anything. */
  plan?: WritePlan;
  sent: number;
  confirmed: number;
  retried: number;
  deadLettered: number;
  reconciled: number;
  requests: number;
  /** Time its requests waited for the rate budget, in ms (see `RateSummary`). */
  pacedMs: number;
  /** Time its requests were held by pauses the server asked for, in ms. */
  pausedMs: number;
  /** Answers that said slow down (429, or 503 with `Retry-After`). */
  throttled: number;
  /** Why it stopped early: the server could not take requests, or the signal fired. */
  stopped?: StopReason;
}

/** Stops after which a worker gives up (the server is away or refuses it); after others it claims again. */
const STOP_WORKER = new Set<StopReason | undefined>(['server-unavailable', 'rate-limited', 'unauthorized', 'aborted']);

/**
 * Runs one hub worker: claim, push, release, repeat. Entries it could not send go back with a
 * backoff (claimed again by any worker, at most `maxClaims` times per attempt of the run); a claim
 * whose worker dies expires after the lease and goes to another worker; each write is conditional
 * on its business identifier, so a claim sent twice writes once.
 *
 * @param options - the outbox, the server and the push's limits; see {@link HubWorkerOptions}
 * @returns what it did
 * @example
 * const outbox = await openPgOutbox({ connectionString: process.env.PEERKIT_OUTBOX_URL });
 * const transport = createFhirTransport({ baseUrl: 'https://fhir.example.org/r4', auth });
 * const done = await runHubWorker({ outbox, transport, writeMode: 'auto' });
 * await outbox.close();
 */
export async function runHubWorker(options: HubWorkerOptions): Promise<HubWorkerSummary> {
  const { outbox, signal } = options;
  const until = options.until ?? 'drained';
  const pollMs = options.pollMs ?? 200;
  const policy = createRetryPolicy(options.retry);
  const summary: HubWorkerSummary = { claims: 0, sent: 0, confirmed: 0, retried: 0, deadLettered: 0, reconciled: 0, requests: 0, pacedMs: 0, pausedMs: 0, throttled: 0 };
  let plan: WritePlan | undefined;
  // One budget for all the worker's claims (a fresh one per claim would burst at each): the caller's,
  // else one with its caps — with `auto`, made after the first claim's plan, which knows the request
  // rate the server documents.
  let budget: RateBudget | undefined =
    options.budget ?? (options.writeMode === 'auto' ? undefined : createRateBudget(options.rate, options.concurrency ?? (options.writeMode === 'single' ? 16 : 4)));
  let stuck = 0;
  let failures = 0;
  const stopped = (): boolean => signal?.aborted === true;
  for (;;) {
    if (stopped()) {
      summary.stopped = 'aborted';
      break;
    }
    const lease = await outbox.claim({ ...(options.run === undefined ? {} : { run: options.run }), max: options.claimSize ?? 500 });
    if (lease === undefined) {
      if (until === 'drained') {
        const counts = await outbox.counts(options.run);
        if (counts.pending === 0 && counts.queueing === 0) break;
        // Nothing claimable, nothing held or waiting for a retry time, nothing still being queued:
        // what is left cannot move (twice in a row, so a claim given back meanwhile is not missed).
        stuck = counts.leased === 0 && counts.retryLater === 0 && counts.queueing === 0 ? stuck + 1 : 0;
        if (stuck >= 2) {
          summary.stopped = 'retries-exhausted';
          break;
        }
      }
      try {
        await sleep(pollMs, signal);
      } catch {
        summary.stopped = 'aborted';
        break;
      }
      continue;
    }
    stuck = 0;
    summary.claims++;
    const stop = new AbortController();
    const onStop = (): void => stop.abort();
    signal?.addEventListener('abort', onStop, { once: true });
    lease.lost.addEventListener('abort', onStop, { once: true });
    let pushed: PushSummary;
    try {
      // The first claim makes the plan (with `auto`, from the CapabilityStatement); the next ones keep it.
      pushed = await push({
        ...options,
        outbox: lease,
        signal: stop.signal,
        ...(plan === undefined
          ? {}
          : { writeMode: plan.mode, batchSize: Math.max(1, plan.batchSize), maxBundleBytes: plan.maxBundleBytes, concurrency: plan.concurrency }),
        ...(budget === undefined ? {} : { budget }),
      });
    } catch (error) {
      await lease.release().catch(() => undefined);
      throw error;
    } finally {
      signal?.removeEventListener('abort', onStop);
    }
    if (plan === undefined) {
      plan = pushed.plan;
      const { requestsPerSecond } = plan;
      budget ??= createRateBudget({ ...options.rate, ...(requestsPerSecond === undefined ? {} : { requestsPerSecond }) }, plan.concurrency);
    }
    summary.sent += pushed.sent;
    summary.confirmed += pushed.confirmed;
    summary.retried += pushed.retried;
    summary.deadLettered += pushed.deadLettered;
    summary.reconciled += pushed.reconciled;
    summary.requests += pushed.requests;
    summary.pacedMs += pushed.rate.pacedMs;
    summary.pausedMs += pushed.rate.pausedMs;
    summary.throttled += pushed.rate.throttled;
    // What it could not send goes back: at once after a lost claim, else after a growing backoff.
    failures = pushed.stopped === undefined ? 0 : failures + 1;
    await lease.release(pushed.stopped === undefined || lease.lost.aborted ? 0 : backoffDelay(failures, policy, options.random ?? Math.random));
    if (lease.lost.aborted && !stopped()) continue;
    if (pushed.stopped !== undefined && STOP_WORKER.has(pushed.stopped)) {
      summary.stopped = pushed.stopped;
      break;
    }
  }
  return plan === undefined ? summary : { ...summary, plan };
}
