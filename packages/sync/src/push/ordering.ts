/**
 * Choosing what goes next: entries in the order they were queued, an entry only with or after the
 * entries it refers to, retry times and Bundle caps respected; entries whose dependencies were
 * refused are dead-lettered, and entries that refer to each other in a cycle travel together.
 */
import { collectReferences, isConditionalReference } from '../internal/references';
import type { DeadLetter, OutboxEntry } from '../outbox';
import { KNOWN_LIMIT, type PushContext } from './context';
import { deadLetter, letter, outcomeOf } from './outcomes';
import type { Dependencies, Loaded } from './queue';

/**
 * The pending entries an entry depends on (entries of this outbox it refers to and that are not
 * confirmed yet); 'unresolved' when it refers to a `urn:uuid` no entry has, 'failed' when it
 * refers to a dead-lettered one; `{ later }` while input is still coming and the entry it refers
 * to is not queued yet.
 */
function dependencies(ctx: PushContext, entry: OutboxEntry): Dependencies | { later: string } {
  const { outbox, queue } = ctx;
  const cached = queue.deps.get(entry.key);
  if (cached !== undefined) return cached;
  const keys = new Set<string>();
  let result: Dependencies | undefined;
  for (const reference of collectReferences(entry.resource)) {
    const byUrn = reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:');
    if (!byUrn && (!isConditionalReference(reference) || reference === entry.key)) continue;
    // Confirmed already (final): nothing to wait for, and no read of the outbox's settled index.
    if (ctx.located.has(reference)) continue;
    const found = outbox.resolve(reference);
    if (found === undefined) {
      if (queue.dead.has(reference)) {
        result = 'failed';
        break;
      }
      if (byUrn) {
        // Not queued yet: while input is still coming, wait for that entry (not remembered).
        if (queue.inputOpen) return { later: reference };
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
    if (found.state === 'confirmed') {
      // The Bundle or request built next rewrites the reference to it.
      if (ctx.located.size >= KNOWN_LIMIT) ctx.located.clear();
      ctx.located.set(reference, found.location);
      continue;
    }
    if (found.state === 'pending' && found.key !== entry.key) keys.add(found.key);
  }
  result ??= [...keys];
  queue.deps.set(entry.key, result);
  return result;
}

/**
 * Picks ready entries in order (those whose awaited entry settled first, then the queue from its
 * head, or from the start with `fromStart`), marks them in flight, and dead-letters entries whose
 * dependencies failed.
 *
 * @param ctx - the run
 * @param fromStart - look at every pending entry, not only from the queue's head
 * @returns the batch (maybe empty) and, when entries wait for a retry time, the earliest one
 */
export async function buildBatch(ctx: PushContext, fromStart = false): Promise<{ batch: Loaded[]; wakeAt: number | undefined }> {
  const { outbox, queue } = ctx;
  const batchSize = ctx.mode === 'single' ? 1 : ctx.batchSize;
  // Only a transaction resolves references between its entries (batch entries are independent).
  const together = ctx.mode === 'transaction';
  const now = ctx.now();
  const batch: Loaded[] = [];
  const inBatch = new Map<string, OutboxEntry>();
  const cascade: DeadLetter[] = [];
  let limit = batchSize;
  let bytes = 0;
  let full = false;
  let wakeAt: number | undefined;
  let scanned = 0;
  // With requests in flight a short look-ahead is enough; without, look at everything so entries
  // behind a long run of waiting ones are not left behind.
  const lookAhead = queue.inflight.size > 0 ? Math.max(batchSize, ctx.concurrency) * 10 : Number.POSITIVE_INFINITY;
  /** The first entry this one waits for (pending, not travelling in this Bundle), if any. */
  const unmet = (deps: readonly string[]): string | undefined =>
    deps.find((dep) => queue.status(dep) === 'pending' && (!together || inBatch.get(dep)?.fullUrl === undefined));

  const seen = new Set<string>();
  /** Looks at one entry; false when the Bundle is full in bytes and the entry must wait for the next one. */
  const consider = async (key: string): Promise<boolean> => {
    if (seen.has(key)) return true;
    seen.add(key);
    if (queue.inflight.has(key) || queue.stalled.has(key) || queue.parked.has(key) || queue.waitingForInput.has(key) || queue.status(key) !== 'pending') return true;
    const state = queue.retries.get(key);
    if (state !== undefined && state.notBefore > now) {
      wakeAt = Math.min(wakeAt ?? Number.POSITIVE_INFINITY, state.notBefore);
      return true;
    }
    // An entry known to wait on another is parked without reading it from the outbox again.
    const known = queue.deps.get(key);
    const knownUnmet = known === undefined || typeof known === 'string' ? undefined : unmet(known);
    if (knownUnmet !== undefined) {
      queue.park(key, knownUnmet);
      return true;
    }
    scanned++;
    const entry = await queue.get(key);
    if (entry === undefined) return true;
    const deps = dependencies(ctx, entry);
    if (!Array.isArray(deps) && typeof deps === 'object') {
      queue.waitFor(key, deps.later);
      return true;
    }
    if (deps === 'unresolved') {
      cascade.push(letter(ctx, entry, 0, outcomeOf('not-found', 'The entry refers to a urn:uuid that no entry of this sync has')));
      return true;
    }
    if (deps === 'failed' || deps.some((dep) => queue.status(dep) === undefined)) {
      cascade.push(letter(ctx, entry, 0, outcomeOf('processing', 'An entry this one refers to was refused by the server')));
      return true;
    }
    const waitsFor = unmet(deps);
    if (waitsFor !== undefined) {
      queue.park(key, waitsFor);
      return true;
    }
    const cap = state?.cap ?? batchSize;
    if (cap < limit) {
      if (batch.length >= cap) return true;
      limit = cap;
    }
    // A Bundle of one entry goes whatever its size: single mode (a limit of 1) need not measure it.
    const size = limit > 1 ? entryBytes(entry) : 0;
    if (batch.length > 0 && bytes + size > ctx.maxBundleBytes) {
      full = true;
      return false;
    }
    bytes += size;
    batch.push({ entry, deps });
    inBatch.set(key, entry);
    queue.inflight.add(key);
    return true;
  };

  // Entries whose awaited entry settled come first; then the queue, in order.
  const revisit = queue.revisit;
  queue.revisit = [];
  for (let i = 0; i < revisit.length; i++) {
    if (batch.length >= limit || full) {
      queue.revisit.push(...revisit.slice(i));
      break;
    }
    if (!(await consider(revisit[i] as string))) queue.revisit.push(revisit[i] as string);
  }
  while (queue.head < queue.order.length && queue.skippable(queue.order[queue.head] as string)) queue.head++;
  for (let i = fromStart ? 0 : queue.head; i < queue.order.length && batch.length < limit && !full && scanned < lookAhead; i++) {
    await consider(queue.order[i] as string);
  }
  if (cascade.length > 0) await deadLetter(ctx, cascade);
  return { batch, wakeAt };
}

/**
 * The first blocked pending entry with every pending entry it depends on, directly or not, when
 * all of them can travel together (each has a fullUrl to refer to it by), marked in flight. Such a
 * group travels in one transaction whatever the write mode: only a transaction resolves references
 * between its entries.
 *
 * @param ctx - the run
 * @returns the group, or empty when there is none
 */
export async function buildCycle(ctx: PushContext): Promise<Loaded[]> {
  const { outbox, queue } = ctx;
  const batch: Loaded[] = [];
  const taken = new Set<string>();
  for (let i = 0; i < queue.order.length && batch.length < ctx.batchSize; i++) {
    const key = queue.order[i] as string;
    if (taken.has(key) || queue.stalled.has(key) || queue.inflight.has(key) || queue.status(key) !== 'pending') continue;
    const group = new Map<string, Loaded>();
    const pending = [key];
    let possible = true;
    while (pending.length > 0 && possible) {
      const next = pending.shift() as string;
      if (group.has(next)) continue;
      // A member already travelling (in flight, or in this Bundle) must be waited for, not sent twice.
      if (queue.inflight.has(next) || taken.has(next) || queue.stalled.has(next)) {
        possible = false;
        break;
      }
      const entry = await queue.get(next);
      const deps = entry === undefined ? 'unresolved' : dependencies(ctx, entry);
      if (entry === undefined || !Array.isArray(deps)) {
        possible = false;
        break;
      }
      group.set(next, { entry, deps });
      for (const dep of deps) if (queue.status(dep) === 'pending') pending.push(dep);
    }
    if (!possible || group.size < 2 || [...group.values()].some((g) => g.entry.fullUrl === undefined)) continue;
    for (const k of group.keys()) taken.add(k);
    batch.push(...queue.order.filter((k) => group.has(k)).map((k) => group.get(k) as Loaded));
  }
  for (const item of batch) {
    item.cycle = true;
    queue.parked.delete(item.entry.key);
    queue.inflight.add(item.entry.key);
  }
  return batch;
}

/** The size of an entry in a Bundle body, in bytes (before its references are rewritten). */
function entryBytes(entry: OutboxEntry): number {
  return Buffer.byteLength(JSON.stringify({ fullUrl: entry.fullUrl, resource: entry.resource, request: entry.request }));
}
