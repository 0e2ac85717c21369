/**
 * Sending one batch: the Bundle (transaction or batch) or the single request, then per-entry
 * settling, a split of a refused or oversized Bundle, or a retry with backoff (after a search for
 * what the server already holds); the server's pauses (`Retry-After`, an exhausted `RateLimit`)
 * hold every request of the run.
 */
import type { Bundle } from 'fhir/r4';
import type { RetryReason } from '../events';
import { sleep } from '../internal/sleep';
import { backoffDelay, serverDelay } from '../retry';
import { bundleOf } from './bundle';
import type { PushContext } from './context';
import { isOutcome, outcomeOf } from './outcomes';
import type { Loaded } from './queue';
import { reconcile } from './reconcile';
import { resolveExternalReferences } from './external-references';
import { sendSingle, viaOf } from './request';
import { halve, refused, responseEntries, settle } from './settle';

/** The size of a Bundle's body, in bytes. */
function bodyBytes(bundle: Bundle): number {
  return Buffer.byteLength(JSON.stringify(bundle));
}

/** Waits out a pause every request must respect, then the rate budget's wait for this request. */
async function pace(ctx: PushContext, writes: number): Promise<void> {
  const pause = ctx.pauseUntil - ctx.now();
  if (pause > 0) await sleep(pause, ctx.halted.signal);
  const wait = ctx.budget.take(writes, ctx.now());
  if (wait > 0) {
    ctx.summary.rate.pacedMs += wait;
    await sleep(wait, ctx.halted.signal);
  }
}

/** Holds every request for `delayMs` (at most `maxServerDelayMs`) and says so. */
function pauseAll(ctx: PushContext, delayMs: number, status?: number): void {
  const now = ctx.now();
  const until = now + Math.min(delayMs, ctx.policy.maxServerDelayMs);
  if (until > ctx.pauseUntil) {
    ctx.summary.rate.pausedMs += until - Math.max(ctx.pauseUntil, now);
    ctx.pauseUntil = until;
  }
  ctx.emit({ type: 'paused', delayMs: until - now, ...(status === undefined ? {} : { status }) });
}

/** The rate-limit headers of an answer: the budget spreads what is left, or pauses before it runs out. */
function notePace(ctx: PushContext, headers: Headers, status: number): void {
  if (status === 429 || status === 503) return;
  const pause = ctx.budget.observe(headers, ctx.now());
  if (pause > 0) pauseAll(ctx, pause);
}

/**
 * Sends one batch until every entry in it is settled, requeued or the run stops.
 *
 * @param ctx - the run
 * @param initial - the entries, marked in flight
 */
export async function send(ctx: PushContext, initial: Loaded[]): Promise<void> {
  let batch = initial;
  for (let attempt = 1; batch.length > 0; attempt++) {
    await pace(ctx, batch.length);
    if (ctx.stop !== undefined) return;
    const via = viaOf(ctx, batch);
    if (via !== 'transaction') {
      // Only a transaction resolves conditional references: look up those outside the sync first.
      batch = await resolveExternalReferences(ctx, batch);
      if (batch.length === 0) return;
    }
    const bundle = via === 'single' ? undefined : bundleOf(ctx, batch, via);
    if (bundle !== undefined && batch.length > 1 && !batch.some((item) => item.cycle === true) && bodyBytes(bundle) > ctx.maxBundleBytes) {
      // Larger than allowed once its references are rewritten: send it in halves instead.
      halve(ctx, batch);
      return;
    }
    for (const { entry } of batch) {
      if (ctx.queue.everSent.has(entry.key)) continue;
      ctx.queue.everSent.add(entry.key);
      ctx.summary.sent++;
    }
    ctx.emit({ type: 'sent', entries: batch.length, attempt, via });
    const reply =
      bundle === undefined
        ? await sendSingle(ctx, batch[0] as Loaded)
        : await ctx.transport.transaction(bundle, ctx.signal === undefined ? {} : { signal: ctx.signal });
    ctx.summary.requests++;
    if (reply.kind === 'response') notePace(ctx, reply.headers, reply.status);

    const entries = responseEntries(reply, batch.length);
    if (entries !== undefined) {
      await settle(ctx, batch, entries);
      return;
    }
    if (reply.kind === 'response') {
      const { status } = reply;
      if (status === 401) {
        ctx.stop ??= 'unauthorized';
        return;
      }
      if (status === 413 || (status >= 400 && status < 500 && status !== 408 && status !== 429)) {
        await refused(ctx, batch, status, isOutcome(reply.body) ? reply.body : outcomeOf('processing', `The server refused the Bundle (HTTP ${status})`));
        return;
      }
    }
    // Retryable: 408, 429, 5xx, a 2xx that is not a usable response, network error, timeout.
    const reason: RetryReason = reply.kind === 'response' ? (reply.status < 300 ? 'invalid-response' : 'status') : reply.kind;
    const status = reply.kind === 'response' ? reply.status : undefined;
    const hint = reply.kind === 'response' && (status === 429 || status === 503) ? serverDelay(reply.headers, ctx.now()) : undefined;
    if (status === 429 || hint !== undefined) ctx.summary.rate.throttled++;
    if (hint !== undefined && hint > ctx.policy.maxServerDelayMs) {
      ctx.stop ??= 'rate-limited';
      return;
    }
    if (attempt >= ctx.policy.maxAttempts) {
      ctx.stop ??= 'server-unavailable';
      return;
    }
    if (status !== 429) {
      // The server may have applied some or all of it before the failure: ask before resending.
      batch = await reconcile(ctx, batch);
      if (batch.length === 0) return;
    }
    const delayMs = hint ?? backoffDelay(attempt, ctx.policy, ctx.random);
    if (hint !== undefined) pauseAll(ctx, hint, status);
    ctx.summary.retried += batch.length;
    ctx.emit({
      type: 'retried',
      count: batch.length,
      attempt: attempt + 1,
      reason,
      ...(status === undefined ? {} : { status }),
      ...(reply.kind === 'network' ? { code: reply.code } : {}),
      delayMs,
    });
    await sleep(delayMs, ctx.halted.signal);
  }
}
