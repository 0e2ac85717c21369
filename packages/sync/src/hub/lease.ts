/**
 * A claim on the PostgreSQL outbox, seen as an {@link Outbox}: the claimed entries are its pending
 * ones, the settled entries they refer to resolve to where the server keeps them, and confirming or
 * dead-lettering writes the outcome to the database. The push engine sends it unchanged. The claim
 * is renewed while it is open; if it was lost (its worker stalled longer than the lease and another
 * worker took the entries), `lost` is aborted so the push stops.
 */
import type { Pool } from 'pg';
import { SYNC_ERROR_CODES, SyncError } from '../errors';
import type { Confirmation, DeadLetter, EntryState, Outbox, OutboxEntry } from '../outbox';
import { HUB_TABLES } from './schema';

const ENTRIES = HUB_TABLES.entries;

/** An {@link Outbox} over one claim of the PostgreSQL outbox: send it with `push`, then `release` it. */
export interface OutboxLease extends Outbox {
  /** The run the claimed entries belong to. */
  readonly run: string;
  /** The claim's id. */
  readonly lease: string;
  /** Aborted when the claim was lost to another worker (its renewal found it taken): stop sending. */
  readonly lost: AbortSignal;
  /**
   * Gives back the entries still pending, to be claimed again (after `retryAfterMs`, default at
   * once), and stops renewing the claim. `close` does the same with no delay.
   */
  release(retryAfterMs?: number): Promise<void>;
}

/** A settled entry of the run that a claimed entry refers to. */
export interface SettledRef {
  key: string;
  fullUrl: string | undefined;
  state: 'pending' | 'confirmed' | 'dead-lettered';
  location: string | undefined;
  created: boolean;
}

/** What {@link openLease} needs: the claim as taken by `PgOutbox.claim`. */
export interface LeaseInit {
  pool: Pool;
  lease: string;
  leaseMs: number;
  run: string;
  entries: { id: string; entry: OutboxEntry }[];
  settled: SettledRef[];
}

/**
 * The claim as an outbox (internal: `PgOutbox.claim` opens it).
 *
 * @param init - the claim
 * @returns the lease, renewing itself every third of `leaseMs` until released
 */
export function openLease(init: LeaseInit): OutboxLease {
  const { pool, lease, run } = init;
  const ids = new Map<string, string>();
  const pending = new Map<string, OutboxEntry>();
  const byFullUrl = new Map<string, string>();
  for (const { id, entry } of init.entries) {
    ids.set(entry.key, id);
    pending.set(entry.key, entry);
    if (entry.fullUrl !== undefined) byFullUrl.set(entry.fullUrl, entry.key);
  }
  const refs = new Map<string, EntryState>();
  for (const ref of init.settled) {
    const state: EntryState =
      ref.state === 'confirmed' && ref.location !== undefined
        ? { state: 'confirmed', location: ref.location, created: ref.created }
        : ref.state === 'dead-lettered'
          ? { state: 'dead-lettered' }
          : { state: 'pending', key: ref.key };
    refs.set(ref.key, state);
    if (ref.fullUrl !== undefined) refs.set(ref.fullUrl, state);
  }
  const confirmed = new Map<string, Confirmation>();
  const dead = new Set<string>();
  const letters: DeadLetter[] = [];
  const lost = new AbortController();
  /** Keys whose confirmation or dead letter is being written (no longer pending in the database, still here). */
  const settling = new Set<string>();
  let released = false;

  // Renewal: a live worker keeps its claim however long the server takes.
  const renew = async (): Promise<void> => {
    if (released || pending.size === 0) return;
    try {
      const { rows } = await pool.query<{ id: string }>(
        `UPDATE ${ENTRIES} SET lease_until = now() + $2 * interval '1 millisecond' WHERE lease = $1 AND state = 'pending' RETURNING id`,
        [lease, init.leaseMs],
      );
      // An entry held (and not being settled right now) that was not renewed: another worker took it
      // after the lease ran out.
      const renewed = new Set(rows.map((row) => row.id));
      if (!released && [...pending.keys()].some((key) => !settling.has(key) && !renewed.has(ids.get(key) as string))) lost.abort();
    } catch {
      // The database is away for now: the claim runs out and the entries go to another worker;
      // what this worker confirms meanwhile is written when it can be (or found by the next one).
    }
  };
  const timer = setInterval(() => void renew(), Math.max(50, Math.floor(init.leaseMs / 3)));
  timer.unref();

  const idsOf = (keys: readonly string[]): string[] => keys.map((key) => ids.get(key) as string);

  const release = async (retryAfterMs = 0): Promise<void> => {
    if (released) return;
    released = true;
    clearInterval(timer);
    await pool.query(
      `UPDATE ${ENTRIES} SET lease = NULL, worker = NULL, lease_until = NULL,
         not_before = CASE WHEN $2::integer > 0 THEN now() + $2 * interval '1 millisecond' ELSE NULL END
       WHERE lease = $1 AND state = 'pending'`,
      [lease, Math.max(0, Math.round(retryAfterMs))],
    );
  };

  const refuse = (what: string): Promise<never> =>
    Promise.reject(new SyncError(SYNC_ERROR_CODES.invalidOption, `a claim of the PostgreSQL outbox cannot ${what}: queue entries with PgOutbox.add`));

  return {
    run,
    lease,
    lost: lost.signal,
    get runId() {
      return run;
    },
    complete: true,
    counts: () => ({ pending: pending.size, confirmed: confirmed.size, deadLettered: dead.size }),
    pendingKeys: () => [...pending.keys()],
    status(key) {
      if (pending.has(key)) return 'pending';
      if (confirmed.has(key)) return 'confirmed';
      return refs.get(key)?.state === 'confirmed' ? 'confirmed' : undefined;
    },
    resolve(keyOrFullUrl) {
      const key = byFullUrl.get(keyOrFullUrl) ?? keyOrFullUrl;
      if (pending.has(key)) return { state: 'pending', key };
      const done = confirmed.get(key);
      if (done !== undefined) return { state: 'confirmed', location: done.location, created: done.created };
      if (dead.has(key)) return { state: 'dead-lettered' };
      return refs.get(keyOrFullUrl);
    },
    location(key) {
      const found = confirmed.get(key) ?? refs.get(key);
      return found !== undefined && 'location' in found ? found.location : undefined;
    },
    async *confirmations() {
      yield* [...confirmed.values()].map((c) => ({ ...c }));
    },
    get: (key) => Promise.resolve(pending.get(key)),
    add: () => refuse('take new entries'),
    markComplete: () => refuse('be marked complete'),
    async confirm(list) {
      const known = [...new Map(list.filter((c) => pending.has(c.key)).map((c) => [c.key, c])).values()];
      if (known.length === 0) return;
      // Whoever confirms first records it: a worker that lost its claim still tells the truth.
      for (const c of known) settling.add(c.key);
      await pool.query(
        `UPDATE ${ENTRIES} e SET state = 'confirmed', location = u.location, created = u.created, settled_at = now(),
           lease = NULL, worker = NULL, lease_until = NULL, not_before = NULL
         FROM unnest($1::bigint[], $2::text[], $3::boolean[]) AS u(id, location, created)
         WHERE e.id = u.id AND e.state = 'pending'`,
        [idsOf(known.map((c) => c.key)), known.map((c) => c.location), known.map((c) => c.created)],
      );
      for (const c of known) {
        pending.delete(c.key);
        settling.delete(c.key);
        confirmed.set(c.key, { ...c });
      }
    },
    async deadLetter(list) {
      const known = [...new Map(list.filter((l) => pending.has(l.entry.key)).map((l) => [l.entry.key, l])).values()];
      if (known.length === 0) return;
      for (const l of known) settling.add(l.entry.key);
      await pool.query(
        `UPDATE ${ENTRIES} e SET state = 'dead', status = u.status, outcome = u.outcome::jsonb, settled_at = now(),
           lease = NULL, worker = NULL, lease_until = NULL, not_before = NULL
         FROM unnest($1::bigint[], $2::integer[], $3::text[]) AS u(id, status, outcome)
         WHERE e.id = u.id AND e.state = 'pending'`,
        [idsOf(known.map((l) => l.entry.key)), known.map((l) => l.status), known.map((l) => JSON.stringify(l.outcome))],
      );
      for (const l of known) {
        pending.delete(l.entry.key);
        settling.delete(l.entry.key);
        dead.add(l.entry.key);
        letters.push({ ...l, run });
      }
    },
    deadLetters: () => Promise.resolve(letters.map((l) => ({ ...l }))),
    finish: () => Promise.resolve(),
    release,
    close: () => release(0),
  };
}
