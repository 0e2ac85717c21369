/**
 * The push engine's run: `concurrency` workers, each taking the next batch and sending it until
 * nothing is left, the input is closed, or the run must stop.
 */
import { SyncError } from '../errors';
import type { OutboxEntry } from '../outbox';
import { sleep } from '../internal/sleep';
import { createPushContext, type PushContext } from './context';
import type { PushOptions, PushSummary } from './options';
import { buildBatch, buildCycle } from './ordering';
import { planWrites } from './plan';
import type { Loaded } from './queue';
import { send } from './send';

/**
 * Sends the outbox's pending entries to the server until none is left or the run has to stop.
 *
 * - First the plan: how writes travel (`writeMode`: transaction or batch Bundles, or one conditional
 *   request per resource; `auto` reads the server's CapabilityStatement and keeps to its documented
 *   Bundle limits).
 * - Entries go out in the order they were added, `batchSize` per Bundle (and at most
 *   `maxBundleBytes`), at most `concurrency` requests at once. An entry that refers to another (by
 *   `urn:uuid:` or by its conditional URL) goes out with it (in a transaction) or after it is
 *   confirmed; references to confirmed entries are rewritten to their `Type/id` on the server.
 * - Per entry of the response: 2xx confirms; 429 and 5xx retry later (after a search by identifier);
 *   any other 4xx dead-letters with the entry's OperationOutcome (412 on an `ifMatch` is a conflict).
 * - A whole Bundle refused with 4xx (an atomic server) is split in halves until the refused entries
 *   are alone, then those are dead-lettered; 413 splits too.
 * - Network errors, timeouts, 5xx, 408 and 429 retry the Bundle with exponential backoff and full
 *   jitter, or after the server's `Retry-After` / `RateLimit` reset (which pauses every request).
 *   Before resending after anything but a 429, a search by identifier finds what the server holds.
 *
 * @param options - server, outbox and limits; see {@link PushOptions}
 * @returns counts of what happened; `stopped` says why it ended early (entries stay in the outbox)
 * @example
 * const summary = await push({ transport, outbox, batchSize: 100, concurrency: 4 });
 * if (summary.pending > 0) console.error('run again to resume');
 *
 * See: https://hl7.org/fhir/R4/http.html#transaction, RFC 9110 §10.2.3, RFC 6585 §4
 */
export async function push(options: PushOptions): Promise<PushSummary> {
  const run = new PushRun(options, false);
  return run.run();
}

/**
 * A push of some of the outbox's pending entries only (internal: `sync` sends the run's data and
 * its Provenance apart, so a stopped run's Provenance goes without its stalled entries being tried
 * again).
 *
 * @param options - as for {@link push}
 * @param accept - which pending entries to send
 * @returns the summary (`pending` counts the whole outbox)
 */
export async function pushOnly(options: PushOptions, accept: (key: string) => boolean): Promise<PushSummary> {
  const run = new PushRun(options, false, accept);
  return run.run();
}

/** A push that runs while its input is still being queued (internal: used by `sync`). */
export interface FedPush {
  /** The push's result, once the input is closed and everything settled (or the run stopped). */
  readonly result: Promise<PushSummary>;
  /** True once the run has stopped early (queueing more is pointless). */
  readonly stopped: boolean;
  /** Entries just added to the outbox (new pending entries), in order; whole entries are sent without reading them back. */
  enqueue(entries: readonly (OutboxEntry | { key: string; fullUrl?: string | undefined })[]): void;
  /** No more input: entries referring to unknown `urn:uuid`s can now be dead-lettered. */
  closeInput(): void;
  /** Resolves when fewer than `limit` pending entries can still move (see the engine), or the run stopped. */
  roomFor(limit: number): Promise<void>;
  /** Stops the run (the input failed): Bundles in flight settle, nothing new is sent. */
  halt(): void;
}

/**
 * Starts a push that takes entries while they are queued: the queue stays a bounded window ahead
 * of the server instead of holding a whole export. Internal: `sync` is the public way.
 *
 * @param options - as for {@link push}
 * @param accept - which of the entries already pending to send (default: all; queued ones always go)
 * @returns the running push, to feed and to await
 */
export function startFedPush(options: PushOptions, accept?: (key: string) => boolean): FedPush {
  const run = new PushRun(options, true, accept);
  const result = run.run();
  // Awaited by the caller once the input is queued; until then a failure must not go unhandled.
  result.catch(() => undefined);
  return {
    result,
    get stopped() {
      return run.stopReason !== undefined;
    },
    enqueue: (entries) => run.ctx.queue.enqueue(entries),
    closeInput: () => run.ctx.queue.closeInput(),
    roomFor: (limit) => run.roomFor(limit),
    halt: () => run.halt(),
  };
}

class PushRun {
  readonly ctx: PushContext;
  private building: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: PushOptions,
    fed: boolean,
    accept?: (key: string) => boolean,
  ) {
    this.ctx = createPushContext(options, fed, accept);
  }

  get stopReason(): PushContext['stop'] {
    return this.ctx.stop;
  }

  halt(): void {
    this.ctx.stop ??= 'aborted';
    // Wakes any backoff or pause sleep at once; requests in flight are left to settle.
    this.ctx.halted.abort();
    this.ctx.queue.closeInput();
  }

  /**
   * Waits until fewer than `limit` pending entries can still move: entries waiting for input, for a
   * stalled or parked dependency, or stalled themselves do not hold the queue back (else a window
   * full of them would wait forever for input that waits for room). Rechecks on every settled
   * Bundle, and at least every 100 ms (parking does not signal).
   */
  async roomFor(limit: number): Promise<void> {
    while (this.ctx.stop === undefined && this.ctx.queue.moving() >= limit) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.ctx.queue.changed, new Promise<void>((resolve) => (timer = setTimeout(resolve, 100)))]);
      clearTimeout(timer);
    }
  }

  async run(): Promise<PushSummary> {
    const { ctx } = this;
    const onAbort = (): void => {
      ctx.stop ??= 'aborted';
      ctx.halted.abort();
      ctx.queue.notify();
    };
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    // A signal aborted before the run started fires no event.
    if (ctx.signal?.aborted === true) onAbort();
    let failure: { error: unknown } | undefined;
    const started = ctx.now();
    try {
      await this.plan();
      // A worker that fails (a full disk, a damaged journal) stops the others; they finish what is
      // in flight, then the failure is thrown.
      await Promise.allSettled(
        Array.from({ length: ctx.concurrency }, () =>
          this.worker().catch((error: unknown) => {
            failure ??= { error };
            onAbort();
            throw error;
          }),
        ),
      );
    } finally {
      ctx.signal?.removeEventListener('abort', onAbort);
    }
    if (failure !== undefined) throw failure.error;
    if (ctx.stop === undefined && ctx.queue.stalled.size > 0) ctx.stop = 'retries-exhausted';
    ctx.summary.pending = ctx.outbox.counts().pending;
    const elapsedMs = Math.max(0, ctx.now() - started);
    ctx.summary.rate = { ...ctx.summary.rate, elapsedMs, writesPerSecond: elapsedMs === 0 ? 0 : (ctx.summary.confirmed * 1000) / elapsedMs };
    if (ctx.stop !== undefined) {
      ctx.summary.stopped = ctx.stop;
      ctx.emit({ type: 'stopped', reason: ctx.stop, pending: ctx.summary.pending });
    }
    return { ...ctx.summary };
  }

  /** Makes the run's plan (with `auto`, after reading the CapabilityStatement); a stop or a refused token ends the run. */
  private async plan(): Promise<void> {
    try {
      await planWrites(this.ctx, this.options);
    } catch (error) {
      if (this.ctx.signal?.aborted === true || this.ctx.halted.signal.aborted) this.ctx.stop ??= 'aborted';
      else if (error instanceof SyncError && error.code === 'sync.auth-failed') this.ctx.stop ??= 'unauthorized';
      else throw error;
    }
  }

  private async worker(): Promise<void> {
    const { ctx } = this;
    for (;;) {
      const batch = await this.nextBatch();
      if (batch === undefined) return;
      try {
        await send(ctx, batch);
      } catch (error) {
        if (ctx.signal?.aborted === true || ctx.halted.signal.aborted) ctx.stop ??= 'aborted';
        else if (error instanceof SyncError && error.code === 'sync.auth-failed') ctx.stop ??= 'unauthorized';
        else throw error;
      } finally {
        for (const item of batch) {
          ctx.queue.inflight.delete(item.entry.key);
          // Back in the queue (a retry later, a split, a stop): look at it again, wherever `head` is.
          if (ctx.queue.status(item.entry.key) === 'pending') ctx.queue.revisit.push(item.entry.key);
        }
        ctx.queue.notify();
      }
    }
  }

  /** The next Bundle's entries, waiting while everything ready is in flight; undefined when done. */
  private async nextBatch(): Promise<Loaded[] | undefined> {
    const { ctx } = this;
    for (;;) {
      if (ctx.stop !== undefined) return undefined;
      const waitFor = ctx.queue.changed;
      const { batch, wakeAt } = await this.exclusively(() => buildBatch(ctx));
      if (batch.length > 0) return batch;
      if (ctx.queue.inflight.size > 0) {
        await waitFor;
        continue;
      }
      if (wakeAt === undefined) {
        // Nothing in flight, nothing waiting for a retry time: look at every pending entry once more
        // (not only from `head`), then at groups that wait on each other (a reference cycle).
        const rescan = await this.exclusively(() => buildBatch(ctx, true));
        if (rescan.batch.length > 0) return rescan.batch;
        if (rescan.wakeAt === undefined) {
          const group = await this.exclusively(() => buildCycle(ctx));
          if (group.length > 0) return group;
          if (!ctx.queue.inputOpen) return undefined;
          // Everything queued so far is settled or waits for input still to come.
          await waitFor;
          continue;
        }
        await this.sleepUntil(rescan.wakeAt);
        continue;
      }
      await this.sleepUntil(wakeAt);
    }
  }

  /** Sleeps until a retry time; a halt wakes it and stops the run. */
  private async sleepUntil(at: number): Promise<void> {
    try {
      await sleep(at - this.ctx.now(), this.ctx.halted.signal);
    } catch {
      this.ctx.stop ??= 'aborted';
    }
  }

  /** Runs batch building one worker at a time: a worker's choice is marked in flight before the next looks. */
  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    const run = this.building.then(work);
    this.building = run.catch(() => undefined);
    return run;
  }
}
