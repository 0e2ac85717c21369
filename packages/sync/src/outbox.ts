/**
 * The outbox: every write a sync must deliver, kept until the server confirms it. Entries leave it
 * only when confirmed (`confirm`) or set aside for good with the server's reason (`deadLetter`).
 *
 * {@link Outbox} is the port the push engine sends from; it does not care which implementation it
 * gets: `openFileOutbox` keeps a run on disk (crash-safe; the default), `createMemoryOutbox` keeps it
 * in memory (tests), and the PostgreSQL outbox of hubs (`openPgOutbox`) hands each worker a claim
 * of some of a run's entries as an `Outbox` (`OutboxLease`).
 */
import type { BundleEntryRequest, Resource, OperationOutcome } from 'fhir/r4';

/** One write waiting for the server: a transaction Bundle entry with a stable identity. */
export interface OutboxEntry {
  /**
   * The identity of the write, unique in the outbox: the conditional URL for a conditional write
   * (`Encounter?identifier=…`, from `PUT` or `ifNoneExist`), otherwise the entry's `fullUrl`.
   * Adding an entry whose key is already there (pending, or settled in the current run) does nothing.
   */
  key: string;
  /** The entry's `fullUrl` (`urn:uuid:…`) other entries refer to it by, if any. */
  fullUrl?: string;
  /** How to write it: method, URL and conditions (`ifNoneExist`, `ifMatch`). */
  request: BundleEntryRequest;
  /** The resource to write. */
  resource?: Resource;
}

/** A confirmation: where the server keeps the written resource. */
export interface Confirmation {
  /** The entry's key. */
  key: string;
  /** `Type/id` on the server. */
  location: string;
  /** True when the server created it (201), false when it updated or matched an existing one. */
  created: boolean;
}

/** An entry set aside for good, with the server's reason. */
export interface DeadLetter {
  /** The entry as it was in the outbox. */
  entry: OutboxEntry;
  /** HTTP status the server answered for it (0 when the reason is PeerKit's, e.g. a failed dependency). */
  status: number;
  /** The server's OperationOutcome for this entry (or one PeerKit wrote naming the rule). */
  outcome: OperationOutcome;
  /** When it was set aside (ISO 8601). */
  at: string;
  /** The run that set it aside (file outbox), so a letter written twice by a crashed run is read once. */
  run?: string;
}

/** Counts of an outbox. */
export interface OutboxCounts {
  /** Entries waiting for the server. */
  pending: number;
  /** Entries confirmed in the current run. */
  confirmed: number;
  /** Entries set aside in the current run. */
  deadLettered: number;
}

/** Where an entry stands, found by its key or its fullUrl. */
export type EntryState =
  | { readonly state: 'pending'; readonly key: string }
  | { readonly state: 'confirmed'; readonly location: string; readonly created: boolean }
  | { readonly state: 'dead-lettered' };

/** Where a sync keeps what it must deliver until the server has it. See {@link openFileOutbox}. */
export interface Outbox {
  /** Id of the current run (set when the first entry of a run is added). */
  readonly runId: string | undefined;
  /** True once the run's whole input has been added (`markComplete`). */
  readonly complete: boolean;
  /** The counts. */
  counts(): OutboxCounts;
  /** Keys of the pending entries, in the order they were added. */
  pendingKeys(): string[];
  /** Whether a key is pending, was confirmed in the current run, or is unknown (or dead-lettered). */
  status(key: string): 'pending' | 'confirmed' | undefined;
  /**
   * Where the entry with this key or `fullUrl` stands in the current run: pending (with its key),
   * confirmed (with its location), dead-lettered, or unknown (`undefined`).
   */
  resolve(keyOrFullUrl: string): EntryState | undefined;
  /** Where a confirmed entry is on the server (`Type/id`). */
  location(key: string): string | undefined;
  /** The confirmations of the current run, in order (read back from disk for a file outbox). */
  confirmations(): AsyncIterable<Confirmation>;
  /** A pending entry. */
  get(key: string): Promise<OutboxEntry | undefined>;
  /**
   * Adds entries (durably: on disk before the promise resolves); starts a run when none is open.
   *
   * @returns how many were new (entries whose key is pending, confirmed or dead-lettered in this run are skipped)
   */
  add(entries: readonly OutboxEntry[]): Promise<number>;
  /** Records that the run's whole input has been added. */
  markComplete(): Promise<void>;
  /** Records confirmations; the entries leave the outbox. */
  confirm(confirmations: readonly Confirmation[]): Promise<void>;
  /** Writes entries to the dead-letter store, then removes them from the outbox. */
  deadLetter(letters: readonly DeadLetter[]): Promise<void>;
  /** The dead letters written so far (of every run, for a file outbox; one per entry and run). */
  deadLetters(): Promise<DeadLetter[]>;
  /** Ends the run when nothing is pending (does nothing otherwise): forgets its confirmations, starts clean. */
  finish(): Promise<void>;
  /** Releases the outbox (files, lock). */
  close(): Promise<void>;
}

/** The key of a Bundle entry: its conditional URL, else its fullUrl. */
export function entryKey(entry: { fullUrl?: string | undefined; request?: BundleEntryRequest | undefined }): string | undefined {
  const request = entry.request;
  if (request !== undefined) {
    const type = request.url.split('?')[0] ?? '';
    if (request.method === 'PUT' && request.url.includes('?')) return request.url;
    if (request.method === 'POST' && request.ifNoneExist !== undefined && request.ifNoneExist !== '') {
      return `${type}?${request.ifNoneExist}`;
    }
  }
  return entry.fullUrl;
}

/**
 * Creates an outbox that lives in memory: for tests and for callers that keep state elsewhere.
 * Everything is lost with the process.
 *
 * @returns an empty outbox
 * @example
 * const outbox = createMemoryOutbox();
 * await outbox.add(toOutboxEntries(bundle));
 */
export function createMemoryOutbox(): Outbox {
  const pending = new Map<string, OutboxEntry>();
  const confirmed = new Map<string, Confirmation>();
  const dead = new Set<string>();
  const byFullUrl = new Map<string, string>();
  const letters: DeadLetter[] = [];
  let deadInRun = 0;
  let runId: string | undefined;
  let complete = false;

  return {
    get runId() {
      return runId;
    },
    get complete() {
      return complete;
    },
    counts: () => ({ pending: pending.size, confirmed: confirmed.size, deadLettered: deadInRun }),
    pendingKeys: () => [...pending.keys()],
    status: (key) => (pending.has(key) ? 'pending' : confirmed.has(key) ? 'confirmed' : undefined),
    resolve(keyOrFullUrl) {
      const key = byFullUrl.get(keyOrFullUrl) ?? keyOrFullUrl;
      if (pending.has(key)) return { state: 'pending', key };
      const done = confirmed.get(key);
      if (done !== undefined) return { state: 'confirmed', location: done.location, created: done.created };
      return dead.has(key) ? { state: 'dead-lettered' } : undefined;
    },
    location: (key) => confirmed.get(key)?.location,
    async *confirmations() {
      yield* [...confirmed.values()].map((c) => ({ ...c }));
    },
    get: (key) => Promise.resolve(structuredClone(pending.get(key))),
    add(entries) {
      runId ??= crypto.randomUUID();
      let added = 0;
      for (const entry of entries) {
        if (pending.has(entry.key) || confirmed.has(entry.key) || dead.has(entry.key)) continue;
        pending.set(entry.key, structuredClone(entry));
        if (entry.fullUrl !== undefined) byFullUrl.set(entry.fullUrl, entry.key);
        added++;
      }
      return Promise.resolve(added);
    },
    markComplete() {
      complete = true;
      return Promise.resolve();
    },
    confirm(list) {
      for (const c of list) {
        if (!pending.delete(c.key)) continue;
        confirmed.set(c.key, { ...c });
      }
      return Promise.resolve();
    },
    deadLetter(list) {
      for (const letter of list) {
        if (!pending.delete(letter.entry.key)) continue;
        dead.add(letter.entry.key);
        letters.push(structuredClone(letter));
        deadInRun++;
      }
      return Promise.resolve();
    },
    deadLetters: () => Promise.resolve(structuredClone(letters)),
    finish() {
      if (pending.size > 0) return Promise.resolve();
      confirmed.clear();
      dead.clear();
      byFullUrl.clear();
      runId = undefined;
      complete = false;
      deadInRun = 0;
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}
