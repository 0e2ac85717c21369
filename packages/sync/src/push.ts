/**
 * The push engine: takes the outbox's pending entries, sends them as transaction Bundles with
 * bounded concurrency, and settles each entry by what the server answered — confirmed, dead-lettered
 * (a permanent 4xx, with the server's OperationOutcome) or retried later (network errors, timeouts,
 * 5xx, 429). After an uncertain failure it searches the server before sending again, so a write the
 * server already applied is not applied twice.
 */
import type { Bundle, BundleEntry, Resource, OperationOutcome } from 'fhir/r4';
import { SyncError } from './errors';
import type { RetryReason, StopReason, SyncEvent, SyncEventListener } from './events';
import { collectReferences, isConditionalReference, jsonEqual, rewriteReferences, toLocalReference } from './internal/references';
import type { Confirmation, DeadLetter, Outbox, OutboxEntry } from './outbox';
import { backoffDelay, createRetryPolicy, parseRateLimit, serverDelay, type RetryOptions, type RetryPolicy } from './retry';
import type { FhirReply, FhirTransport } from './transport';

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

/** A pending entry loaded for sending, with the outbox keys it depends on. */
interface Loaded {
  entry: OutboxEntry;
  deps: string[];
}

/** What an entry waits for: pending keys, or why it can never go. */
type Dependencies = string[] | 'unresolved' | 'failed';

/** Per-entry retry state of this run. */
interface EntryState {
  attempts: number;
  notBefore: number;
  /** Largest Bundle it may travel in (halved when a whole Bundle is refused). */
  cap: number;
}

const HTTP_STATUS = /^(\d{3})/;

function outcomeOf(code: string, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: code as 'processing', details: { text } }] };
}

function isOutcome(body: unknown): body is OperationOutcome {
  return (body as { resourceType?: unknown } | undefined)?.resourceType === 'OperationOutcome';
}

/** The issue code a dead letter is counted under (the first issue's), for events and summaries. */
function codeOf(outcome: OperationOutcome): string {
  return outcome.issue[0]?.code ?? 'unknown';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Identifier search identity of an entry: from its conditional key, else from its first identifier. */
function identityOf(entry: OutboxEntry): { type: string; system: string; value: string } | undefined {
  const [type, query] = entry.key.split('?', 2) as [string, string | undefined];
  if (query !== undefined) {
    const params = new URLSearchParams(query);
    const keys = [...params.keys()];
    const token = params.get('identifier');
    if (keys.length === 1 && token !== null) {
      const bar = token.indexOf('|');
      if (bar > 0 && token.indexOf('|', bar + 1) < 0) return { type, system: token.slice(0, bar), value: token.slice(bar + 1) };
    }
    return undefined;
  }
  const identifier = (entry.resource as { identifier?: { system?: string; value?: string }[] } | undefined)?.identifier?.[0];
  if (entry.resource !== undefined && identifier?.system !== undefined && identifier.value !== undefined) {
    return { type: entry.resource.resourceType, system: identifier.system, value: identifier.value };
  }
  return undefined;
}

/** FHIR search escaping of a token part: `\`, `,`, `|`, `$`. See: https://hl7.org/fhir/R4/search.html#escaping */
function escapeToken(value: string): string {
  return value.replace(/[\\,|$]/g, (c) => `\\${c}`);
}

function withoutServerFields(resource: Resource | undefined): unknown {
  if (resource === undefined) return undefined;
  const { id: _id, meta: _meta, ...rest } = resource as Resource & { meta?: unknown };
  return rest;
}

/**
 * Sends the outbox's pending entries to the server until none is left or the run has to stop.
 *
 * - Entries go out in the order they were added, `batchSize` per transaction Bundle, at most
 *   `concurrency` Bundles at once. An entry that refers to another (by `urn:uuid:` or by its
 *   conditional URL) goes out with it or after it is confirmed; references to confirmed entries are
 *   rewritten to their `Type/id` on the server.
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

/** A push that runs while its input is still being queued (internal: used by `sync`). */
export interface FedPush {
  /** The push's result, once the input is closed and everything settled (or the run stopped). */
  readonly result: Promise<PushSummary>;
  /** True once the run has stopped early (queueing more is pointless). */
  readonly stopped: boolean;
  /** Entries just added to the outbox (new pending entries), in order. */
  enqueue(entries: readonly { key: string; fullUrl?: string | undefined }[]): void;
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
 */
export function startFedPush(options: PushOptions): FedPush {
  const run = new PushRun(options, true);
  const result = run.run();
  // Awaited by the caller once the input is queued; until then a failure must not go unhandled.
  result.catch(() => undefined);
  return {
    result,
    get stopped() {
      return run.stopReason !== undefined;
    },
    enqueue: (entries) => run.enqueue(entries),
    closeInput: () => run.closeInput(),
    roomFor: (limit) => run.roomFor(limit),
    halt: () => run.halt(),
  };
}

class PushRun {
  private readonly transport: FhirTransport;
  private readonly outbox: Outbox;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly policy: RetryPolicy;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly signal: AbortSignal | undefined;
  private readonly listener: SyncEventListener | undefined;

  private order: string[];
  private head = 0;
  /** Aborted when the run stops early (halt, abort, a worker failure): wakes sleeps at once. */
  private readonly halted = new AbortController();
  /** More entries may still be queued (a fed push): unknown references may yet arrive. */
  private inputOpen: boolean;
  /** Entries that refer to an entry not queued yet; looked at again when it is (or input ends). */
  private readonly waitingForInput = new Set<string>();
  /** The key or fullUrl an entry waits for → the entries waiting for it. */
  private readonly waitingOn = new Map<string, string[]>();
  private readonly inflight = new Set<string>();
  private readonly state = new Map<string, EntryState>();
  private readonly deps = new Map<string, Dependencies>();
  private readonly dead = new Set<string>();
  private readonly stalled = new Set<string>();
  /** Entries waiting for another entry to settle, and who waits for whom. */
  private readonly parked = new Set<string>();
  private readonly blockedOn = new Map<string, string[]>();
  private revisit: string[] = [];
  private readonly everSent = new Set<string>();
  private pauseUntil = 0;
  private stop: StopReason | undefined;
  private changed: { promise: Promise<void>; resolve: () => void };
  private building: Promise<unknown> = Promise.resolve();
  private readonly summary: PushSummary = {
    sent: 0,
    confirmed: 0,
    retried: 0,
    deadLettered: 0,
    pending: 0,
    reconciled: 0,
    requests: 0,
  };

  constructor(options: PushOptions, fed: boolean) {
    this.inputOpen = fed;
    this.transport = options.transport;
    this.outbox = options.outbox;
    this.batchSize = options.batchSize ?? 100;
    this.concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new SyncError('sync.invalid-option', 'batchSize must be a whole number, at least 1');
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new SyncError('sync.invalid-option', 'concurrency must be a whole number, at least 1');
    this.policy = createRetryPolicy(options.retry);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.signal = options.signal;
    this.listener = options.onEvent;
    this.order = this.outbox.pendingKeys();
    this.changed = this.newSignal();
  }

  get stopReason(): StopReason | undefined {
    return this.stop;
  }

  enqueue(entries: readonly { key: string; fullUrl?: string | undefined }[]): void {
    for (const { key, fullUrl } of entries) {
      this.order.push(key);
      this.wake(key);
      if (fullUrl !== undefined) this.wake(fullUrl);
    }
    this.trim();
    this.notify();
  }

  halt(): void {
    this.stop ??= 'aborted';
    // Wakes any backoff or pause sleep at once; requests in flight are left to settle.
    this.halted.abort();
    this.closeInput();
  }

  closeInput(): void {
    this.inputOpen = false;
    for (const key of this.waitingForInput) this.revisit.push(key);
    this.waitingForInput.clear();
    this.waitingOn.clear();
    this.notify();
  }

  /** Sets an entry aside until the entry it refers to (by this key or fullUrl) is queued. */
  private waitFor(key: string, reference: string): void {
    this.waitingForInput.add(key);
    const list = this.waitingOn.get(reference);
    if (list === undefined) this.waitingOn.set(reference, [key]);
    else list.push(key);
  }

  /** The entry with this key or fullUrl was queued: entries waiting for it are looked at again. */
  private wake(reference: string): void {
    const waiting = this.waitingOn.get(reference);
    if (waiting === undefined) return;
    this.waitingOn.delete(reference);
    for (const key of waiting) if (this.waitingForInput.delete(key)) this.revisit.push(key);
  }

  /**
   * Most keys behind the head are settled: drop those so the order stays a window, not the
   * export. Pending ones behind it (waiting for another entry or for input) keep their place.
   */
  private trim(): void {
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      const behind = this.order.slice(0, this.head).filter((key) => this.outbox.status(key) === 'pending');
      this.order = [...behind, ...this.order.slice(this.head)];
      this.head = 0;
    }
  }

  /**
   * Waits until fewer than `limit` pending entries can still move: entries waiting for input, for a
   * stalled or parked dependency, or stalled themselves do not hold the queue back (else a window
   * full of them would wait forever for input that waits for room). Rechecks on every settled
   * Bundle, and at least every 100 ms (parking does not signal).
   */
  async roomFor(limit: number): Promise<void> {
    const moving = (): number => this.outbox.counts().pending - this.waitingForInput.size - this.stalled.size - this.parked.size;
    while (this.stop === undefined && moving() >= limit) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.changed.promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, 100)))]);
      clearTimeout(timer);
    }
  }

  private newSignal(): { promise: Promise<void>; resolve: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  /** Wakes workers waiting for in-flight Bundles to settle. */
  private notify(): void {
    const current = this.changed;
    this.changed = this.newSignal();
    current.resolve();
  }

  private emit(event: SyncEvent): void {
    try {
      this.listener?.(event);
    } catch {
      // A listener's failure must not stop the sync.
    }
  }

  async run(): Promise<PushSummary> {
    const onAbort = (): void => {
      this.stop ??= 'aborted';
      this.halted.abort();
      this.notify();
    };
    this.signal?.addEventListener('abort', onAbort, { once: true });
    let failure: { error: unknown } | undefined;
    try {
      // A worker that fails (a full disk, a damaged journal) stops the others; they finish what is
      // in flight, then the failure is thrown.
      await Promise.allSettled(
        Array.from({ length: this.concurrency }, () =>
          this.worker().catch((error: unknown) => {
            failure ??= { error };
            onAbort();
            throw error;
          }),
        ),
      );
    } finally {
      this.signal?.removeEventListener('abort', onAbort);
    }
    if (failure !== undefined) throw failure.error;
    if (this.stop === undefined && this.stalled.size > 0) this.stop = 'retries-exhausted';
    this.summary.pending = this.outbox.counts().pending;
    if (this.stop !== undefined) {
      this.summary.stopped = this.stop;
      this.emit({ type: 'stopped', reason: this.stop, pending: this.summary.pending });
    }
    return { ...this.summary };
  }

  private async worker(): Promise<void> {
    for (;;) {
      const batch = await this.nextBatch();
      if (batch === undefined) return;
      try {
        await this.send(batch);
      } catch (error) {
        if (this.signal?.aborted === true || this.halted.signal.aborted) this.stop ??= 'aborted';
        else if (error instanceof SyncError && error.code === 'sync.auth-failed') this.stop ??= 'unauthorized';
        else throw error;
      } finally {
        for (const item of batch) {
          this.inflight.delete(item.entry.key);
          // Back in the queue (a retry later, a split, a stop): look at it again, wherever `head` is.
          if (this.outbox.status(item.entry.key) === 'pending') this.revisit.push(item.entry.key);
        }
        this.notify();
      }
    }
  }

  /** The next Bundle's entries, waiting while everything ready is in flight; undefined when done. */
  private async nextBatch(): Promise<Loaded[] | undefined> {
    for (;;) {
      if (this.stop !== undefined) return undefined;
      const waitFor = this.changed.promise;
      const { batch, wakeAt } = await this.exclusively(() => this.build());
      if (batch.length > 0) return batch;
      if (this.inflight.size > 0) {
        await waitFor;
        continue;
      }
      if (wakeAt === undefined) {
        // Nothing in flight, nothing waiting for a retry time: look at every pending entry once more
        // (not only from `head`), then at groups that wait on each other (a reference cycle).
        const rescan = await this.exclusively(() => this.build(true));
        if (rescan.batch.length > 0) return rescan.batch;
        if (rescan.wakeAt === undefined) {
          const group = await this.exclusively(() => this.buildCycle());
          if (group.length > 0) return group;
          if (!this.inputOpen) return undefined;
          // Everything queued so far is settled or waits for input still to come.
          await waitFor;
          continue;
        }
        try {
          await sleep(rescan.wakeAt - this.now(), this.halted.signal);
        } catch {
          this.stop ??= 'aborted';
        }
        continue;
      }
      try {
        await sleep(wakeAt - this.now(), this.halted.signal);
      } catch {
        this.stop ??= 'aborted';
      }
    }
  }

  /** Runs batch building one worker at a time: a worker's choice is marked in flight before the next looks. */
  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    const run = this.building.then(work);
    this.building = run.catch(() => undefined);
    return run;
  }

  /**
   * The pending entries an entry depends on (entries of this outbox it refers to and that are not
   * confirmed yet); 'unresolved' when it refers to a `urn:uuid` no entry has, 'failed' when it
   * refers to a dead-lettered one.
   */
  private dependencies(entry: OutboxEntry): Dependencies | { later: string } {
    const cached = this.deps.get(entry.key);
    if (cached !== undefined) return cached;
    const keys = new Set<string>();
    let result: Dependencies | undefined;
    for (const reference of collectReferences(entry.resource)) {
      const byUrn = reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:');
      if (!byUrn && (!isConditionalReference(reference) || reference === entry.key)) continue;
      const found = this.outbox.resolve(reference);
      if (found === undefined) {
        if (this.dead.has(reference)) {
          result = 'failed';
          break;
        }
        if (byUrn) {
          // Not queued yet: while input is still coming, wait for that entry (not remembered).
          if (this.inputOpen) return { later: reference };
          result = 'unresolved';
          break;
        }
        // A conditional reference to something outside this sync: the server resolves it. (An
        // entry comes before the entries that refer to it, so it is not one still to be queued.)
        continue;
      }
      if (found.state === 'dead-lettered') {
        result = 'failed';
        break;
      }
      if (found.state === 'pending' && found.key !== entry.key) keys.add(found.key);
    }
    result ??= [...keys];
    this.deps.set(entry.key, result);
    return result;
  }

  /** Picks ready entries in order; dead-letters entries whose dependencies failed. */
  private async build(fromStart = false): Promise<{ batch: Loaded[]; wakeAt: number | undefined }> {
    const now = this.now();
    const batch: Loaded[] = [];
    const inBatch = new Map<string, OutboxEntry>();
    const cascade: DeadLetter[] = [];
    let limit = this.batchSize;
    let wakeAt: number | undefined;
    let scanned = 0;
    // With Bundles in flight a short look-ahead is enough; without, look at everything so entries
    // behind a long run of waiting ones are not left behind.
    const lookAhead = this.inflight.size > 0 ? this.batchSize * 10 : Number.POSITIVE_INFINITY;
    /** The first entry this one waits for (pending, not travelling in this Bundle), if any. */
    const unmet = (deps: readonly string[]): string | undefined =>
      deps.find((dep) => this.outbox.status(dep) === 'pending' && inBatch.get(dep)?.fullUrl === undefined);

    const seen = new Set<string>();
    const consider = async (key: string): Promise<void> => {
      if (seen.has(key)) return;
      seen.add(key);
      if (this.inflight.has(key) || this.stalled.has(key) || this.parked.has(key) || this.waitingForInput.has(key) || this.outbox.status(key) !== 'pending') return;
      const state = this.state.get(key);
      if (state !== undefined && state.notBefore > now) {
        wakeAt = Math.min(wakeAt ?? Number.POSITIVE_INFINITY, state.notBefore);
        return;
      }
      // An entry known to wait on another is parked without reading it from the outbox again.
      const known = this.deps.get(key);
      const knownUnmet = known === undefined || typeof known === 'string' ? undefined : unmet(known);
      if (knownUnmet !== undefined) {
        this.park(key, knownUnmet);
        return;
      }
      scanned++;
      const entry = await this.outbox.get(key);
      if (entry === undefined) return;
      const deps = this.dependencies(entry);
      if (!Array.isArray(deps) && typeof deps === 'object') {
        this.waitFor(key, deps.later);
        return;
      }
      if (deps === 'unresolved') {
        cascade.push(this.letter(entry, 0, outcomeOf('not-found', 'The entry refers to a urn:uuid that no entry of this sync has')));
        return;
      }
      if (deps === 'failed' || deps.some((dep) => this.outbox.status(dep) === undefined)) {
        cascade.push(this.letter(entry, 0, outcomeOf('processing', 'An entry this one refers to was refused by the server')));
        return;
      }
      const waitsFor = unmet(deps);
      if (waitsFor !== undefined) {
        this.park(key, waitsFor);
        return;
      }
      const cap = state?.cap ?? this.batchSize;
      if (cap < limit) {
        if (batch.length >= cap) return;
        limit = cap;
      }
      batch.push({ entry, deps });
      inBatch.set(key, entry);
      this.inflight.add(key);
    };

    // Entries whose awaited entry settled come first; then the queue, in order.
    const revisit = this.revisit;
    this.revisit = [];
    for (let i = 0; i < revisit.length; i++) {
      if (batch.length >= limit) {
        this.revisit.push(...revisit.slice(i));
        break;
      }
      await consider(revisit[i] as string);
    }
    const skippable = (key: string): boolean =>
      this.parked.has(key) || this.waitingForInput.has(key) || this.stalled.has(key) || this.outbox.status(key) !== 'pending';
    while (this.head < this.order.length && skippable(this.order[this.head] as string)) this.head++;
    for (let i = fromStart ? 0 : this.head; i < this.order.length && batch.length < limit && scanned < lookAhead; i++) {
      await consider(this.order[i] as string);
    }
    if (cascade.length > 0) await this.deadLetter(cascade);
    return { batch, wakeAt };
  }

  /** Sets an entry aside until `dep` settles (confirmed or dead-lettered). */
  private park(key: string, dep: string): void {
    this.parked.add(key);
    const waiting = this.blockedOn.get(dep);
    if (waiting === undefined) this.blockedOn.set(dep, [key]);
    else waiting.push(key);
  }

  /** `dep` settled: the entries waiting for it are looked at again. */
  private unpark(dep: string): void {
    const waiting = this.blockedOn.get(dep);
    if (waiting === undefined) return;
    this.blockedOn.delete(dep);
    for (const key of waiting) if (this.parked.delete(key)) this.revisit.push(key);
  }

  /**
   * The first blocked pending entry with every pending entry it depends on, directly or not, when
   * all of them can travel together (each has a fullUrl to refer to it by). Empty otherwise.
   */
  private async buildCycle(): Promise<Loaded[]> {
    const batch: Loaded[] = [];
    const taken = new Set<string>();
    for (let i = 0; i < this.order.length && batch.length < this.batchSize; i++) {
      const key = this.order[i] as string;
      if (taken.has(key) || this.stalled.has(key) || this.inflight.has(key) || this.outbox.status(key) !== 'pending') continue;
      const group = new Map<string, Loaded>();
      const queue = [key];
      let possible = true;
      while (queue.length > 0 && possible) {
        const next = queue.shift() as string;
        if (group.has(next)) continue;
        // A member already travelling (in flight, or in this Bundle) must be waited for, not sent twice.
        if (this.inflight.has(next) || taken.has(next) || this.stalled.has(next)) {
          possible = false;
          break;
        }
        const entry = await this.outbox.get(next);
        const deps = entry === undefined ? 'unresolved' : this.dependencies(entry);
        if (entry === undefined || !Array.isArray(deps)) {
          possible = false;
          break;
        }
        group.set(next, { entry, deps });
        for (const dep of deps) if (this.outbox.status(dep) === 'pending') queue.push(dep);
      }
      if (!possible || group.size < 2 || [...group.values()].some((g) => g.entry.fullUrl === undefined)) continue;
      for (const k of group.keys()) taken.add(k);
      batch.push(...this.order.filter((k) => group.has(k)).map((k) => group.get(k) as Loaded));
    }
    for (const item of batch) {
      this.parked.delete(item.entry.key);
      this.inflight.add(item.entry.key);
    }
    return batch;
  }

  /** Drops what this run kept about a settled entry (memory stays flat on large outboxes). */
  private forget(key: string): void {
    this.unpark(key);
    this.deps.delete(key);
    this.state.delete(key);
    this.everSent.delete(key);
  }

  private letter(entry: OutboxEntry, status: number, outcome: OperationOutcome): DeadLetter {
    return { entry, status, outcome, at: new Date(this.now()).toISOString() };
  }

  private async deadLetter(all: DeadLetter[]): Promise<void> {
    const unique = new Map(all.map((l) => [l.entry.key, l]));
    const letters = [...unique.values()].filter((l) => this.outbox.status(l.entry.key) === 'pending');
    if (letters.length === 0) return;
    await this.outbox.deadLetter(letters);
    for (const l of letters) {
      this.dead.add(l.entry.key);
      this.forget(l.entry.key);
    }
    this.summary.deadLettered += letters.length;
    const byStatus = new Map<string, { status: number; code: string; count: number }>();
    for (const l of letters) {
      const id = `${l.status} ${codeOf(l.outcome)}`;
      const group = byStatus.get(id) ?? { status: l.status, code: codeOf(l.outcome), count: 0 };
      group.count++;
      byStatus.set(id, group);
    }
    for (const g of byStatus.values()) this.emit({ type: 'dead-lettered', count: g.count, status: g.status, code: g.code });
  }

  private async confirm(all: Confirmation[]): Promise<void> {
    const unique = new Map(all.map((c) => [c.key, c]));
    const confirmations = [...unique.values()].filter((c) => this.outbox.status(c.key) === 'pending');
    if (confirmations.length === 0) return;
    await this.outbox.confirm(confirmations);
    for (const c of confirmations) this.forget(c.key);
    this.summary.confirmed += confirmations.length;
    const created = confirmations.filter((c) => c.created).length;
    this.emit({ type: 'confirmed', count: confirmations.length, created, updated: confirmations.length - created });
  }

  /** The Bundle for a batch: references to confirmed entries become their `Type/id`. */
  private bundleOf(batch: Loaded[]): Bundle {
    const fullUrlOf = new Map<string, string>();
    for (const { entry } of batch) if (entry.fullUrl !== undefined) fullUrlOf.set(entry.key, entry.fullUrl);
    const entry: BundleEntry[] = batch.map(({ entry: e }) => {
      const resource =
        e.resource === undefined
          ? undefined
          : rewriteReferences(e.resource, (reference) => {
              if (!reference.startsWith('urn:') && !isConditionalReference(reference)) return undefined;
              const found = this.outbox.resolve(reference);
              if (found?.state === 'confirmed') return found.location;
              if (found?.state === 'pending') return fullUrlOf.get(found.key);
              return undefined;
            });
      return {
        ...(e.fullUrl === undefined ? {} : { fullUrl: e.fullUrl }),
        ...(resource === undefined ? {} : { resource }),
        request: e.request,
      };
    });
    return { resourceType: 'Bundle', type: 'transaction', entry };
  }

  /** Waits out a pause every request must respect. */
  private async gate(): Promise<void> {
    const wait = this.pauseUntil - this.now();
    if (wait > 0) await sleep(wait, this.halted.signal);
  }

  /** Sends one batch until every entry in it is settled, requeued or the run stops. */
  private async send(initial: Loaded[]): Promise<void> {
    let batch = initial;
    for (let attempt = 1; batch.length > 0; attempt++) {
      await this.gate();
      if (this.stop !== undefined) return;
      const bundle = this.bundleOf(batch);
      for (const { entry } of batch) {
        if (this.everSent.has(entry.key)) continue;
        this.everSent.add(entry.key);
        this.summary.sent++;
      }
      this.emit({ type: 'sent', entries: batch.length, attempt });
      const reply = await this.transport.transaction(bundle, this.signal === undefined ? {} : { signal: this.signal });
      this.summary.requests++;
      if (reply.kind === 'response') this.notePace(reply.headers, reply.status);

      const entries = this.responseEntries(reply, batch.length);
      if (entries !== undefined) {
        await this.settle(batch, entries);
        return;
      }
      if (reply.kind === 'response') {
        const { status } = reply;
        if (status === 401) {
          this.stop ??= 'unauthorized';
          return;
        }
        if (status === 413 || (status >= 400 && status < 500 && status !== 408 && status !== 429)) {
          await this.refused(batch, status, isOutcome(reply.body) ? reply.body : outcomeOf('processing', `The server refused the Bundle (HTTP ${status})`));
          return;
        }
      }
      // Retryable: 408, 429, 5xx, a 2xx that is not a usable response, network error, timeout.
      const reason: RetryReason = reply.kind === 'response' ? (reply.status < 300 ? 'invalid-response' : 'status') : reply.kind;
      const status = reply.kind === 'response' ? reply.status : undefined;
      const hint = reply.kind === 'response' && (status === 429 || status === 503) ? serverDelay(reply.headers, this.now()) : undefined;
      if (hint !== undefined && hint > this.policy.maxServerDelayMs) {
        this.stop ??= 'rate-limited';
        return;
      }
      if (attempt >= this.policy.maxAttempts) {
        this.stop ??= 'server-unavailable';
        return;
      }
      if (status !== 429) {
        // The server may have applied some or all of it before the failure: ask before resending.
        batch = await this.reconcile(batch);
        if (batch.length === 0) return;
      }
      const delayMs = hint ?? backoffDelay(attempt, this.policy, this.random);
      if (hint !== undefined) {
        this.pauseUntil = Math.max(this.pauseUntil, this.now() + hint);
        this.emit({ type: 'paused', delayMs: hint, ...(status === undefined ? {} : { status }) });
      }
      this.summary.retried += batch.length;
      this.emit({
        type: 'retried',
        count: batch.length,
        attempt: attempt + 1,
        reason,
        ...(status === undefined ? {} : { status }),
        ...(reply.kind === 'network' ? { code: reply.code } : {}),
        delayMs,
      });
      await sleep(delayMs, this.halted.signal);
    }
  }

  /** A RateLimit that says nothing is left pauses every request until its reset. */
  private notePace(headers: Headers, status: number): void {
    if (status === 429 || status === 503) return;
    const limit = parseRateLimit(headers, this.now());
    if (limit.remaining === 0 && limit.resetMs !== undefined && limit.resetMs > 0) {
      const delayMs = Math.min(limit.resetMs, this.policy.maxServerDelayMs);
      this.pauseUntil = Math.max(this.pauseUntil, this.now() + delayMs);
      this.emit({ type: 'paused', delayMs });
    }
  }

  /** The per-entry responses of a usable transaction response, else undefined. */
  private responseEntries(reply: FhirReply<Bundle>, size: number): BundleEntry[] | undefined {
    if (reply.kind !== 'response' || reply.status < 200 || reply.status >= 300) return undefined;
    const body = reply.body as Bundle | undefined;
    if (body?.resourceType !== 'Bundle' || body.entry?.length !== size) return undefined;
    if (!body.entry.every((e) => HTTP_STATUS.test(e.response?.status ?? ''))) return undefined;
    return body.entry;
  }

  /** Settles each entry by its own response status. */
  private async settle(batch: Loaded[], responses: BundleEntry[]): Promise<void> {
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
      letters.push(this.letter(entry, status, conflict ? { ...outcome, issue: [{ severity: 'error', code: 'conflict', details: { text: 'The resource changed on the server since it was read (If-Match failed)' } }, ...outcome.issue] } : outcome));
    });
    await this.confirm(confirmations);
    await this.deadLetter(letters);
    if (redo.length > 0) {
      this.summary.retried += redo.length;
      this.emit({ type: 'retried', count: redo.length, attempt: 2, reason: 'status', delayMs: 0 });
    }
    if (transient.length === 0) return;
    // A partial failure on a server that applies entries one by one: find out what it holds first.
    const rest = await this.reconcile(transient);
    const now = this.now();
    let delayMs = 0;
    for (const { entry } of rest) {
      const state = this.state.get(entry.key) ?? { attempts: 1, notBefore: 0, cap: this.batchSize };
      state.attempts++;
      if (state.attempts > this.policy.maxAttempts) {
        this.stalled.add(entry.key);
        continue;
      }
      delayMs = backoffDelay(state.attempts - 1, this.policy, this.random);
      state.notBefore = now + delayMs;
      this.state.set(entry.key, state);
    }
    const retrying = rest.filter((r) => !this.stalled.has(r.entry.key)).length;
    if (retrying > 0) {
      this.summary.retried += retrying;
      this.emit({ type: 'retried', count: retrying, attempt: 2, reason: 'status', delayMs });
    }
  }

  /** A whole Bundle refused with a 4xx: halve it, or dead-letter the lone entry. */
  private async refused(batch: Loaded[], status: number, outcome: OperationOutcome): Promise<void> {
    const [only] = batch;
    if (batch.length === 1 && only !== undefined) {
      await this.deadLetter([this.letter(only.entry, status, outcome)]);
      return;
    }
    const cap = Math.ceil(batch.length / 2);
    for (const { entry } of batch) {
      const state = this.state.get(entry.key) ?? { attempts: 1, notBefore: 0, cap: this.batchSize };
      state.cap = Math.min(state.cap, cap);
      this.state.set(entry.key, state);
    }
  }

  /**
   * Searches the server for entries whose fate is unknown: a create it already holds is confirmed
   * (not sent again), a conditional update whose stored content equals ours is confirmed, several
   * matches dead-letter (a conditional write would fail with 412). Returns the entries to resend.
   */
  private async reconcile(batch: Loaded[]): Promise<Loaded[]> {
    const byType = new Map<string, { item: Loaded; identity: { system: string; value: string } }[]>();
    const resend: Loaded[] = [];
    for (const item of batch) {
      const identity = identityOf(item.entry);
      const method = item.entry.request.method;
      if (identity === undefined || (method !== 'POST' && !(method === 'PUT' && item.entry.key.includes('?')))) {
        resend.push(item);
        continue;
      }
      const group = byType.get(identity.type) ?? [];
      group.push({ item, identity });
      byType.set(identity.type, group);
    }
    const confirmations: Confirmation[] = [];
    const letters: DeadLetter[] = [];
    let checked = 0;
    for (const [type, group] of byType) {
      for (let start = 0; start < group.length; start += 20) {
        const chunk = group.slice(start, start + 20);
        const tokens = chunk.map(({ identity }) => `${escapeToken(identity.system)}|${escapeToken(identity.value)}`);
        const url = `${type}?identifier=${tokens.map(encodeURIComponent).join(',')}&_count=${chunk.length * 2 + 10}`;
        const reply = await this.transport.get<Bundle>(url, this.signal === undefined ? {} : { signal: this.signal });
        this.summary.requests++;
        const bundle = reply.kind === 'response' && reply.status === 200 ? (reply.body as Bundle | undefined) : undefined;
        if (bundle?.resourceType !== 'Bundle') {
          resend.push(...chunk.map((c) => c.item));
          continue;
        }
        checked += chunk.length;
        const found = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r !== undefined);
        for (const { item, identity } of chunk) {
          const matches = found.filter((r) =>
            ((r as { identifier?: { system?: string; value?: string }[] }).identifier ?? []).some(
              (id) => id.system === identity.system && id.value === identity.value,
            ),
          );
          const [match] = matches;
          if (matches.length > 1) {
            letters.push(this.letter(item.entry, 412, outcomeOf('multiple-matches', 'Several resources on the server have this identifier')));
          } else if (match === undefined) {
            resend.push(item);
          } else if (item.entry.request.method === 'POST' || jsonEqual(withoutServerFields(match), withoutServerFields(this.bundleOf([item]).entry?.[0]?.resource))) {
            confirmations.push({ key: item.entry.key, location: `${match.resourceType}/${match.id ?? ''}`, created: false });
          } else {
            resend.push(item);
          }
        }
      }
    }
    if (checked > 0) this.emit({ type: 'reconciled', checked, found: confirmations.length });
    this.summary.reconciled += confirmations.length;
    await this.confirm(confirmations);
    await this.deadLetter(letters);
    const settled = new Set([...confirmations.map((c) => c.key), ...letters.map((l) => l.entry.key)]);
    return batch.filter((item) => !settled.has(item.entry.key));
  }
}
