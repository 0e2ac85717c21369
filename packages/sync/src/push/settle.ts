/**
 * Reading a transaction's answer: each entry settled by its own response status (confirmed,
 * dead-lettered, sent again later), or a whole refused Bundle split until the refused entries are
 * alone.
 */
import type { Bundle, BundleEntry, OperationOutcome } from 'fhir/r4';
import { toLocalReference } from '../internal/references';
import type { Confirmation, DeadLetter } from '../outbox';
import { backoffDelay } from '../retry';
import type { FhirReply } from '../transport';
import type { PushContext } from './context';
import { confirm, deadLetter, isOutcome, letter, outcomeOf } from './outcomes';
import type { Loaded, RetryState } from './queue';
import { reconcile } from './reconcile';

const HTTP_STATUS = /^(\d{3})/;

/** An entry's retry state, starting from its first attempt. */
function retryState(ctx: PushContext, key: string): RetryState {
  return ctx.queue.retries.get(key) ?? { attempts: 1, notBefore: 0, cap: ctx.batchSize };
}

/**
 * The per-entry responses of a usable transaction response, else undefined.
 *
 * @param reply - the server's reply to the transaction
 * @param size - how many entries the Bundle had
 * @returns one response entry per entry sent, each with an HTTP status
 */
export function responseEntries(reply: FhirReply<Bundle>, size: number): BundleEntry[] | undefined {
  if (reply.kind !== 'response' || reply.status < 200 || reply.status >= 300) return undefined;
  const body = reply.body as Bundle | undefined;
  if (body?.resourceType !== 'Bundle' || body.entry?.length !== size) return undefined;
  if (!body.entry.every((e) => HTTP_STATUS.test(e.response?.status ?? ''))) return undefined;
  return body.entry;
}

/**
 * Settles each entry by its own response status: 2xx confirms; 429, 408 and 5xx retry later (after
 * a search by identifier); any other 4xx dead-letters with the entry's OperationOutcome (412 on an
 * `ifMatch` is a conflict).
 *
 * @param ctx - the run
 * @param batch - the entries sent
 * @param responses - their responses, in the same order
 */
export async function settle(ctx: PushContext, batch: Loaded[], responses: BundleEntry[]): Promise<void> {
  const confirmations: Confirmation[] = [];
  const letters: DeadLetter[] = [];
  const transient: Loaded[] = [];
  // On a server that applies entries one by one, an entry stored in the same Bundle as one that
  // failed refers to an id the failed one never got. An update is sent again once that one is in.
  const failed = new Set(
    batch.filter((_, i) => !/^2\d\d/.test(responses[i]?.response?.status ?? '')).map((item) => item.entry.key),
  );
  const redo: Loaded[] = [];
  batch.forEach((item, i) => {
    const response = responses[i]?.response;
    const status = Number(HTTP_STATUS.exec(response?.status ?? '')?.[1]);
    const { entry } = item;
    if (status >= 200 && status < 300) {
      const location =
        toLocalReference(response?.location ?? '') ??
        (responses[i]?.resource?.id === undefined ? undefined : `${responses[i]?.resource?.resourceType}/${responses[i]?.resource?.id}`);
      if (location !== undefined) {
        if (entry.request.method === 'PUT' && item.deps.some((dep) => failed.has(dep))) {
          redo.push(item);
          return;
        }
        confirmations.push({ key: entry.key, location, created: status === 201 });
        return;
      }
      transient.push(item);
      return;
    }
    if (status === 429 || status >= 500 || status === 408) {
      transient.push(item);
      return;
    }
    const outcome = isOutcome(response?.outcome)
      ? response.outcome
      : outcomeOf('processing', `The server refused the entry (HTTP ${status})`);
    const conflict = status === 412 && entry.request.ifMatch !== undefined;
    letters.push(letter(ctx, entry, status, conflict ? { ...outcome, issue: [{ severity: 'error', code: 'conflict', details: { text: 'The resource changed on the server since it was read (If-Match failed)' } }, ...outcome.issue] } : outcome));
  });
  await confirm(ctx, confirmations);
  await deadLetter(ctx, letters);
  if (redo.length > 0) {
    ctx.summary.retried += redo.length;
    ctx.emit({ type: 'retried', count: redo.length, attempt: 2, reason: 'status', delayMs: 0 });
  }
  if (transient.length === 0) return;
  // A partial failure on a server that applies entries one by one: find out what it holds first.
  retryLater(ctx, await reconcile(ctx, transient));
}

/**
 * Entries that failed for now: each is tried again after its own backoff (its attempts counted),
 * or stalled once it has had `maxAttempts`.
 *
 * @param ctx - the run
 * @param rest - the entries to try again
 */
export function retryLater(ctx: PushContext, rest: readonly Loaded[]): void {
  const now = ctx.now();
  let delayMs = 0;
  for (const { entry } of rest) {
    const state = retryState(ctx, entry.key);
    state.attempts++;
    if (state.attempts > ctx.policy.maxAttempts) {
      ctx.queue.stalled.add(entry.key);
      continue;
    }
    delayMs = backoffDelay(state.attempts - 1, ctx.policy, ctx.random);
    state.notBefore = now + delayMs;
    ctx.queue.retries.set(entry.key, state);
  }
  const retrying = rest.filter((r) => !ctx.queue.stalled.has(r.entry.key)).length;
  if (retrying > 0) {
    ctx.summary.retried += retrying;
    ctx.emit({ type: 'retried', count: retrying, attempt: 2, reason: 'status', delayMs });
  }
}

/**
 * A whole Bundle refused with a 4xx: halve it (each entry then travels in Bundles at most half as
 * large), or dead-letter the lone entry (or the group that refers to each other in a cycle).
 *
 * @param ctx - the run
 * @param batch - the entries of the refused Bundle
 * @param status - the HTTP status
 * @param outcome - the server's OperationOutcome (or one saying it refused the Bundle)
 */
export async function refused(ctx: PushContext, batch: Loaded[], status: number, outcome: OperationOutcome): Promise<void> {
  // A lone entry, or a group that refers to each other in a cycle (it cannot travel in parts).
  if (batch.length === 1 || batch.every((item) => item.cycle === true)) {
    await deadLetter(ctx, batch.map((item) => letter(ctx, item.entry, status, outcome)));
    return;
  }
  halve(ctx, batch);
}

/**
 * Halves the largest Bundle each entry of a batch may travel in: the next Bundles built with them
 * are at most half as large.
 *
 * @param ctx - the run
 * @param batch - the entries
 */
export function halve(ctx: PushContext, batch: readonly Loaded[]): void {
  const cap = Math.ceil(batch.length / 2);
  for (const { entry } of batch) {
    const state = retryState(ctx, entry.key);
    state.cap = Math.min(state.cap, cap);
    ctx.queue.retries.set(entry.key, state);
  }
}
