/**
 * The push's queue: the window of outbox keys still to send, in the order they were queued, and
 * what the run knows about each (in flight, parked behind another entry, waiting for input still
 * to come, stalled, retry times). Only pending entries are kept: a settled one is forgotten, so
 * memory follows the window, not the export.
 */
import type { Outbox, OutboxEntry } from '../outbox';

/** A pending entry loaded for sending, with the outbox keys it depends on. */
export interface Loaded {
  entry: OutboxEntry;
  deps: string[];
  /** Part of a group that refers to each other in a cycle: it travels whole, in one transaction. */
  cycle?: boolean;
}

/** What an entry waits for: pending keys, or why it can never go. */
export type Dependencies = string[] | 'unresolved' | 'failed';

/** Per-entry retry state of this run. */
export interface RetryState {
  attempts: number;
  notBefore: number;
  /** Largest Bundle it may travel in (halved when a whole Bundle is refused). */
  cap: number;
}

/** The queue of one push run (see the module comment). */
export class PushQueue {
  /** Keys in the order they were queued; those before `head` are mostly settled. */
  order: string[];
  head = 0;
  /** More entries may still be queued (a fed push): unknown references may yet arrive. */
  inputOpen: boolean;
  /** Entries that refer to an entry not queued yet; looked at again when it is (or input ends). */
  readonly waitingForInput = new Set<string>();
  /** The key or fullUrl an entry waits for → the entries waiting for it. */
  private readonly waitingOn = new Map<string, string[]>();
  readonly inflight = new Set<string>();
  readonly retries = new Map<string, RetryState>();
  readonly deps = new Map<string, Dependencies>();
  readonly dead = new Set<string>();
  readonly stalled = new Set<string>();
  /** Entries waiting for another entry to settle, and who waits for whom. */
  readonly parked = new Set<string>();
  private readonly blockedOn = new Map<string, string[]>();
  /** Entries to look at again before the queue's head (their awaited entry settled, or they came back). */
  revisit: string[] = [];
  readonly everSent = new Set<string>();
  /**
   * Entries this run confirmed that are still in `order`: their status is known without asking the
   * outbox (the file outbox reads its settled index from disk). Pruned with the order window.
   */
  private readonly confirmedHere = new Set<string>();
  /**
   * Entries queued by this run (a fed push), kept until they settle so sending them needs no read
   * of the outbox's journal (a disk read and a JSON parse per entry, and again for every entry
   * looked at twice, e.g. parked behind another). Bounded: past {@link LOADED_LIMIT} entries,
   * the rest are read from the outbox as before.
   */
  private readonly loaded = new Map<string, OutboxEntry>();
  /** Pending entries this run leaves alone (not accepted when it started). */
  private readonly excluded: number;
  private signal: { promise: Promise<void>; resolve: () => void };

  /**
   * @param outbox - the outbox whose pending entries start the queue
   * @param fed - true when more input is still to be queued
   * @param accept - which of the pending entries to send (default: all of them)
   */
  constructor(
    private readonly outbox: Outbox,
    fed: boolean,
    accept?: (key: string) => boolean,
  ) {
    this.inputOpen = fed;
    const pending = outbox.pendingKeys();
    this.order = accept === undefined ? pending : pending.filter(accept);
    this.excluded = pending.length - this.order.length;
    this.signal = newSignal();
  }

  /**
   * A pending entry to send: the one queued by this run when it is still kept, else the outbox's.
   *
   * @param key - the entry's key
   * @returns the entry, or undefined when the outbox holds no pending entry with this key
   */
  async get(key: string): Promise<OutboxEntry | undefined> {
    return this.loaded.get(key) ?? this.outbox.get(key);
  }

  /** Resolves at the next {@link notify}: a Bundle settled, input came or ended, the run stopped. */
  get changed(): Promise<void> {
    return this.signal.promise;
  }

  /** Wakes everyone waiting on {@link changed}. */
  notify(): void {
    const current = this.signal;
    this.signal = newSignal();
    current.resolve();
  }

  /**
   * Entries just added to the outbox (new pending entries), in order. Entries given whole (with
   * their request) are kept in memory until they settle (see {@link get}); they must be the values
   * the outbox just stored, not changed afterwards.
   */
  enqueue(entries: readonly (OutboxEntry | { key: string; fullUrl?: string | undefined })[]): void {
    for (const entry of entries) {
      const { key, fullUrl } = entry;
      if ('request' in entry && this.loaded.size < LOADED_LIMIT) this.loaded.set(key, entry);
      this.order.push(key);
      this.wake(key);
      if (fullUrl !== undefined) this.wake(fullUrl);
    }
    this.trim();
    this.notify();
  }

  /** No more input: entries waiting for it are looked at again (and may now be dead-lettered). */
  closeInput(): void {
    this.inputOpen = false;
    for (const key of this.waitingForInput) this.revisit.push(key);
    this.waitingForInput.clear();
    this.waitingOn.clear();
    this.notify();
  }

  /** Sets an entry aside until the entry it refers to (by this key or fullUrl) is queued. */
  waitFor(key: string, reference: string): void {
    this.waitingForInput.add(key);
    addTo(this.waitingOn, reference, key);
  }

  /** The entry with this key or fullUrl was queued: entries waiting for it are looked at again. */
  private wake(reference: string): void {
    for (const key of takeFrom(this.waitingOn, reference)) if (this.waitingForInput.delete(key)) this.revisit.push(key);
  }

  /**
   * Most keys behind the head are settled: drop those so the order stays a window, not the
   * export. Pending ones behind it (waiting for another entry or for input) keep their place.
   */
  private trim(): void {
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      const behind = this.order.slice(0, this.head).filter((key) => !this.confirmedHere.delete(key) && this.status(key) === 'pending');
      this.order = [...behind, ...this.order.slice(this.head)];
      this.head = 0;
    }
  }

  /**
   * Pending entries that can still move: entries waiting for input, for a stalled or parked
   * dependency, stalled themselves, or left alone by this run do not count.
   */
  moving(): number {
    return this.outbox.counts().pending - this.excluded - this.waitingForInput.size - this.stalled.size - this.parked.size;
  }

  /** True when the entry cannot go now (parked, waiting for input, stalled or no longer pending). */
  skippable(key: string): boolean {
    return this.parked.has(key) || this.waitingForInput.has(key) || this.stalled.has(key) || this.status(key) !== 'pending';
  }

  /**
   * The outbox's status of an entry (`pending`, `confirmed`, or undefined: dead-lettered or unknown),
   * answered from memory for entries this run settled.
   */
  status(key: string): 'pending' | 'confirmed' | undefined {
    if (this.confirmedHere.has(key)) return 'confirmed';
    if (this.dead.has(key)) return undefined;
    return this.outbox.status(key);
  }

  /** The entry is confirmed in the outbox: forgets what the run kept about it and remembers that. */
  confirmed(key: string): void {
    this.confirmedHere.add(key);
    this.forget(key);
  }

  /** Sets an entry aside until `dep` settles (confirmed or dead-lettered). */
  park(key: string, dep: string): void {
    this.parked.add(key);
    addTo(this.blockedOn, dep, key);
  }

  /** `dep` settled: the entries waiting for it are looked at again. */
  private unpark(dep: string): void {
    for (const key of takeFrom(this.blockedOn, dep)) if (this.parked.delete(key)) this.revisit.push(key);
  }

  /** Drops what this run kept about a settled entry (memory stays flat on large outboxes). */
  forget(key: string): void {
    this.unpark(key);
    this.loaded.delete(key);
    this.deps.delete(key);
    this.retries.delete(key);
    this.everSent.delete(key);
  }
}

/** Most queued entries a run keeps in memory until they settle (the queue window is 5,000 by default). */
const LOADED_LIMIT = 10_000;

/** Adds `value` to the list under `key`. */
function addTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Removes and returns the list under `key` (empty when there is none). */
function takeFrom(map: Map<string, string[]>, key: string): string[] {
  const list = map.get(key);
  if (list === undefined) return [];
  map.delete(key);
  return list;
}

function newSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
