/**
 * Waiting for a Bulk Data export: what to do after each status answer, as a small pure state
 * machine (like TanStack Query's retryer): wait (the server's `Retry-After`, else an interval that
 * grows), take the manifest, kick off again (the job is gone), or give up.
 *
 * See: https://hl7.org/fhir/uv/bulkdata/STU2/export.html#bulk-data-status-request
 */
import { backoffDelay, serverDelay, type RetryPolicy } from '../retry';

/** The polling's own settings. */
export interface PollSettings {
  /** Wait between polls when the server gives no `Retry-After`, in ms (it doubles up to `maxPollIntervalMs`). */
  pollIntervalMs: number;
  /** Longest wait between polls, in ms. */
  maxPollIntervalMs: number;
  /** Longest time to wait for the export as a whole, in ms. */
  maxWaitMs: number;
}

/** Where the polling stands. */
export interface PollState {
  /** When it started (ms since the epoch). */
  startedAt: number;
  /** The interval to use when the server gives none. */
  intervalMs: number;
  /** Failed polls in a row (network, time limit, 5xx). */
  failures: number;
}

/** What to do after a status answer. */
export type PollStep =
  /** Poll again after `delayMs` (`progress`: the server's `X-Progress`, `failed`: this poll failed). */
  | { next: 'wait'; delayMs: number; progress?: string; failed: boolean }
  /** The export is ready: read the manifest from this answer. */
  | { next: 'manifest' }
  /** The job is gone (404 or 410): kick off again. */
  | { next: 'gone' }
  /** Give up: the reason names the rule, never a value. */
  | { next: 'fail'; reason: string };

/**
 * The next step after one status answer.
 *
 * @param answer - the status (undefined: no answer — network error or time limit) and headers
 * @param state - the polling's state (updated: interval, failures)
 * @param settings - intervals and the overall limit
 * @param policy - retries of failed polls (`maxAttempts`, backoff, `maxServerDelayMs`)
 * @param now - the clock, in ms
 * @param random - uniform numbers in [0, 1) for the backoff's jitter
 * @returns what to do
 * @example
 * pollStep({ status: 202, headers: new Headers({ 'retry-after': '5' }) }, state, settings, DEFAULT_RETRY, Date.now(), Math.random);
 * // { next: 'wait', delayMs: 5000, failed: false }
 */
export function pollStep(
  answer: { status: number; headers: Headers } | undefined,
  state: PollState,
  settings: PollSettings,
  policy: RetryPolicy,
  now: number,
  random: () => number,
): PollStep {
  const left = settings.maxWaitMs - (now - state.startedAt);
  const within = (step: PollStep): PollStep =>
    step.next === 'wait' && step.delayMs > left ? { next: 'fail', reason: 'the export did not complete within maxWaitMs' } : step;
  if (answer !== undefined && answer.status === 200) return { next: 'manifest' };
  if (answer !== undefined && (answer.status === 404 || answer.status === 410)) return { next: 'gone' };
  if (answer !== undefined && answer.status === 202) {
    state.failures = 0;
    const asked = serverDelay(answer.headers, now);
    const delayMs = Math.min(asked ?? state.intervalMs, policy.maxServerDelayMs);
    if (asked === undefined) state.intervalMs = Math.min(state.intervalMs * 2, settings.maxPollIntervalMs);
    const progress = answer.headers.get('x-progress') ?? undefined;
    return within({ next: 'wait', delayMs, failed: false, ...(progress === undefined ? {} : { progress }) });
  }
  const retryable = answer === undefined || answer.status === 429 || answer.status === 408 || answer.status >= 500;
  if (!retryable) return { next: 'fail', reason: `the export failed on the server (HTTP ${answer.status})` };
  state.failures++;
  if (state.failures >= policy.maxAttempts) return { next: 'fail', reason: 'the export status kept failing after every retry' };
  const asked = answer === undefined ? undefined : serverDelay(answer.headers, now);
  if (asked !== undefined && asked > policy.maxServerDelayMs) return { next: 'fail', reason: 'the server asked for a longer pause than maxServerDelayMs' };
  return within({ next: 'wait', delayMs: asked ?? backoffDelay(state.failures, policy, random), failed: true });
}
