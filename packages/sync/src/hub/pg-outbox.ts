/**
 * The outbox on PostgreSQL, for hubs: many clinics' runs in one database, several workers
 * (processes or machines) claiming their entries with `SELECT … FOR UPDATE SKIP LOCKED`, each claim
 * a lease that expires when its worker dies. An entry is claimed only once the entries of its run
 * it refers to are settled (a patient before its encounters); a claim is an {@link Outbox} (see
 * `lease.ts`), so the push engine sends it as it sends a file outbox.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Resource } from 'fhir/r4';
import type { Pool, PoolClient } from 'pg';
import { SYNC_ERROR_CODES, SyncError } from '../errors';
import { collectReferences, isConditionalReference } from '../internal/references';
import type { Confirmation, DeadLetter, OutboxEntry } from '../outbox';
import { SYNC_RUN_TAG_SYSTEM } from '../provenance';
import { findCycle } from './cycles';
import { openLease, type OutboxLease } from './lease';
import { postgresDisplayName, postgresFailureReason } from './postgres';
import { HUB_TABLES, migrate } from './schema';

const { runs: RUNS, entries: ENTRIES } = HUB_TABLES;

/** Options of {@link openPgOutbox}. */
export interface PgOutboxOptions {
  /**
   * The database, as a `postgres://user:password@host:port/database` URL (the password may also
   * come from `PGPASSWORD` or `~/.pgpass`, as libpq reads them). Required unless `pool` is given.
   */
  connectionString?: string;
  /** A `pg` Pool you manage (closed by you, not by {@link PgOutbox.close}). Default: one opened here. */
  pool?: Pool;
  /** Connections of the pool opened here. Default 4. */
  poolSize?: number;
  /**
   * How long a claim lasts without renewal, in ms; a worker renews its claims every third of it,
   * so a claim outlives its worker by at most this long. Default 30,000.
   */
  leaseMs?: number;
  /**
   * Times an entry is claimed in one attempt of its run before it is left pending for a resume (a
   * server that keeps failing it). Default 5.
   */
  maxClaims?: number;
  /** The worker's name in the claims it takes (for monitoring). Default `<hostname>:<pid>`. */
  worker?: string;
  /** Time to wait for a connection, in ms. Default 10,000. */
  connectTimeoutMs?: number;
}

/** A clinic's run in the hub. */
export interface HubRun {
  /** The run's id (a UUID): the Provenance of the run is tagged with it. */
  id: string;
  /** The clinic it belongs to (at most one unfinished run per clinic). */
  clinic: string;
  /** `internal`, or `consent:` and a hash of the recipient. */
  disclosure: string;
  /** True once the run's whole input is queued. */
  complete: boolean;
}

/** Counts of a run (or of every unfinished run). */
export interface HubCounts {
  /** Entries waiting for the server. */
  pending: number;
  /** Pending entries a live claim holds. */
  leased: number;
  /** Pending entries released to be tried again later (`not_before` in the future). */
  retryLater: number;
  /** Pending entries claimed `maxClaims` times in this attempt: left for a resume. */
  exhausted: number;
  /** Entries the server confirmed (the run's own Provenance among them). */
  confirmed: number;
  /** The run's own Provenance among the confirmed entries. */
  provenance: number;
  /** Entries set aside for good. */
  deadLettered: number;
  /** Unfinished runs whose input is still being queued. */
  queueing: number;
}

/** Options of {@link PgOutbox.claim}. */
export interface ClaimOptions {
  /** Only this run's entries. Default: the oldest claimable entries of any unfinished run. */
  run?: string;
  /** Most entries in the claim. Default 500. */
  max?: number;
}

/** The PostgreSQL outbox: runs, their entries, and the claims workers take. See {@link openPgOutbox}. */
export interface PgOutbox {
  /** The worker name claims are taken under. */
  readonly worker: string;
  /** The lease length, in ms. */
  readonly leaseMs: number;
  /** The clinic's unfinished run, if any. */
  findRun(clinic: string): Promise<HubRun | undefined>;
  /** Starts a run for the clinic. Throws `sync.unfinished-run` when it has an unfinished one. */
  startRun(clinic: string, disclosure?: string): Promise<HubRun>;
  /** Makes every pending entry of a resumed run claimable again (its claims counted from zero). */
  resetClaims(run: string): Promise<void>;
  /**
   * Queues entries of a run, in order (an entry before the entries that refer to it, or later in
   * the same run by `urn:uuid`); entries whose key the run already has are skipped.
   *
   * @returns how many were new
   */
  add(run: string, entries: readonly OutboxEntry[]): Promise<number>;
  /** Records that the run's whole input is queued (`urn:uuid` references still unknown can no longer arrive). */
  markComplete(run: string): Promise<void>;
  /** Claims the oldest ready entries of one run for this worker, as an {@link OutboxLease}; undefined when none is ready. */
  claim(options?: ClaimOptions): Promise<OutboxLease | undefined>;
  /** Counts of a run, or of every unfinished run. */
  counts(run?: string): Promise<HubCounts>;
  /** Where an entry of the run stands, by its key or fullUrl (`undefined`: unknown). */
  stateOf(run: string, keyOrFullUrl: string): Promise<'pending' | 'confirmed' | 'dead-lettered' | undefined>;
  /** The run's confirmations, in the order they were settled (read in pages). */
  confirmations(run: string): AsyncIterable<Confirmation>;
  /** The run's keys (for the Provenance already queued), read in pages. */
  keys(run: string): AsyncIterable<string>;
  /** The run's dead letters. */
  deadLetters(run: string): Promise<DeadLetter[]>;
  /** Closes the run when nothing of it is pending. @returns true when it closed */
  finishRun(run: string): Promise<boolean>;
  /** Closes the pool (when opened here). */
  close(): Promise<void>;
}

/** The outbox's place for messages: host, port and database, never the user or password. */
function where(connectionString: string | undefined): string {
  if (connectionString === undefined) return 'the PostgreSQL outbox';
  const name = postgresDisplayName(connectionString);
  return name === undefined ? 'the PostgreSQL outbox (an unreadable postgres:// URL)' : `the PostgreSQL outbox at ${name.slice('postgres://'.length)}`;
}

/** A connection failure as `sync.outbox-unreachable`, naming its code (ECONNREFUSED, 28P01, …), never credentials. */
function unreachable(connectionString: string | undefined, error: unknown): SyncError {
  return new SyncError(SYNC_ERROR_CODES.outboxUnreachable, `cannot reach ${where(connectionString)} (${postgresFailureReason(error)})`);
}

/**
 * Opens the PostgreSQL outbox: connects, and brings the schema up to date (the migrations in
 * `schema.ts`, applied once under an advisory lock).
 *
 * @param options - the database and the lease settings; see {@link PgOutboxOptions}
 * @returns the outbox
 * @throws SyncError `sync.outbox-unreachable` when the database cannot be reached or refuses the
 *   login (the message names host, port and database, never the user or password);
 *   `sync.invalid-option` for a bad option
 * @example
 * const hub = await openPgOutbox({ connectionString: process.env.PEERKIT_OUTBOX_URL });
 * try { await runHubWorker({ outbox: hub, transport }); } finally { await hub.close(); }
 */
export async function openPgOutbox(options: PgOutboxOptions): Promise<PgOutbox> {
  const leaseMs = options.leaseMs ?? 30_000;
  const maxClaims = options.maxClaims ?? 5;
  if (!Number.isInteger(leaseMs) || leaseMs < 100) throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'leaseMs must be a whole number of ms, at least 100');
  if (!Number.isInteger(maxClaims) || maxClaims < 1) throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'maxClaims must be a whole number, at least 1');
  if (options.pool === undefined && (options.connectionString === undefined || !/^postgres(ql)?:\/\//.test(options.connectionString))) {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'connectionString must be a postgres:// URL');
  }
  const worker = options.worker ?? `${hostname()}:${process.pid}`;
  let pool = options.pool;
  const owned = pool === undefined;
  if (pool === undefined) {
    // Loaded only by hubs: a file-outbox sync never loads the driver.
    const { default: pg } = await import('pg');
    pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    });
    // An idle connection the server dropped is replaced on next use; it must not crash the process.
    pool.on('error', () => undefined);
  }
  const db = pool;
  let client: PoolClient;
  try {
    client = await db.connect();
  } catch (error) {
    if (owned) await db.end().catch(() => undefined);
    throw unreachable(options.connectionString, error);
  }
  try {
    await migrate(client);
  } finally {
    client.release();
  }

  const claimable = `e.state = 'pending' AND r.finished_at IS NULL
    AND (e.lease_until IS NULL OR e.lease_until < now())
    AND (e.not_before IS NULL OR e.not_before <= now())
    AND e.claims < $1
    AND (r.complete OR cardinality(e.refs) = 0)
    AND NOT EXISTS (SELECT 1 FROM ${ENTRIES} d WHERE d.id = ANY (e.deps) AND d.state = 'pending')`;

  async function transaction<T>(work: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await db.connect();
    try {
      await c.query('BEGIN');
      const result = await work(c);
      await c.query('COMMIT');
      return result;
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      c.release();
    }
  }

  const toRun = (row: { id: string; clinic: string; disclosure: string; complete: boolean }): HubRun => ({
    id: row.id,
    clinic: row.clinic,
    disclosure: row.disclosure,
    complete: row.complete,
  });

  const outbox: PgOutbox = {
    worker,
    leaseMs,

    async findRun(clinic) {
      const { rows } = await db.query(`SELECT id, clinic, disclosure, complete FROM ${RUNS} WHERE clinic = $1 AND finished_at IS NULL`, [clinic]);
      return rows[0] === undefined ? undefined : toRun(rows[0]);
    },

    async startRun(clinic, disclosure = 'internal') {
      try {
        const { rows } = await db.query(`INSERT INTO ${RUNS} (id, clinic, disclosure) VALUES ($1, $2, $3) RETURNING id, clinic, disclosure, complete`, [randomUUID(), clinic, disclosure]);
        return toRun(rows[0]);
      } catch (error) {
        if ((error as { code?: unknown }).code === '23505') {
          throw new SyncError(SYNC_ERROR_CODES.unfinishedRun, 'the clinic has an unfinished run in the PostgreSQL outbox; resume it');
        }
        throw error;
      }
    },

    async resetClaims(run) {
      await db.query(`UPDATE ${ENTRIES} SET claims = 0, not_before = NULL WHERE run = $1 AND state = 'pending'`, [run]);
    },

    add(run, list) {
      const fresh = [...new Map(list.map((e) => [e.key, e])).values()];
      if (fresh.length === 0) return Promise.resolve(0);
      return transaction(async (c) => {
        // Names an entry of this chunk can be referred to by (its key, its fullUrl).
        const names = new Set<string>();
        for (const e of fresh) {
          names.add(e.key);
          if (e.fullUrl !== undefined) names.add(e.fullUrl);
        }
        const refsOf = fresh.map((e) => [...new Set(collectReferences(e.resource))].filter((r) => r !== e.key && r !== e.fullUrl && (r.startsWith('urn:') || isConditionalReference(r))));
        const wanted = [...new Set(refsOf.flat())];
        const known = new Map<string, string>();
        if (wanted.length > 0) {
          const { rows } = await c.query<{ id: string; key: string; full_url: string | null }>(
            `SELECT id, key, full_url FROM ${ENTRIES} WHERE run = $1 AND (key = ANY ($2) OR full_url = ANY ($2))`,
            [run, wanted],
          );
          for (const row of rows) {
            known.set(row.key, row.id);
            if (row.full_url !== null) known.set(row.full_url, row.id);
          }
        }
        // A reference not found yet waits (`refs`) when it may still come: a urn:uuid, or an entry of this chunk.
        // A conditional reference to nothing in the run is to a resource outside the sync: the server resolves it.
        const deps = refsOf.map((refs) => [...new Set(refs.flatMap((r) => (known.has(r) ? [known.get(r) as string] : [])))]);
        const waits = refsOf.map((refs) => refs.filter((r) => !known.has(r) && (r.startsWith('urn:') || names.has(r))));
        const { rows: inserted } = await c.query<{ id: string; key: string; full_url: string | null }>(
          `INSERT INTO ${ENTRIES} (run, key, full_url, request, resource, deps, refs)
           SELECT $1, t.key, t.full_url, t.request::jsonb, t.resource::jsonb,
                  ARRAY(SELECT jsonb_array_elements_text(t.deps::jsonb)::bigint),
                  ARRAY(SELECT jsonb_array_elements_text(t.refs::jsonb))
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
                AS t(key, full_url, request, resource, deps, refs, ord)
           ORDER BY t.ord
           ON CONFLICT (run, key) DO NOTHING
           RETURNING id, key, full_url`,
          [
            run,
            fresh.map((e) => e.key),
            fresh.map((e) => e.fullUrl ?? null),
            fresh.map((e) => JSON.stringify(e.request)),
            fresh.map((e) => (e.resource === undefined ? null : JSON.stringify(e.resource))),
            deps.map((d) => JSON.stringify(d)),
            waits.map((w) => JSON.stringify(w)),
          ],
        );
        if (inserted.length === 0) return 0;
        // Entries (queued earlier, or in this chunk) waiting for one of these now depend on it.
        const ids = new Map<string, string>();
        for (const row of inserted) {
          ids.set(row.key, row.id);
          if (row.full_url !== null) ids.set(row.full_url, row.id);
        }
        const { rows: waiting } = await c.query<{ id: string; refs: string[] }>(
          `SELECT id, refs FROM ${ENTRIES} WHERE run = $1 AND state = 'pending' AND cardinality(refs) > 0 AND refs && $2::text[]`,
          [run, [...ids.keys()]],
        );
        if (waiting.length > 0) {
          const updates = waiting.map((row) => ({
            id: row.id,
            d: [...new Set(row.refs.filter((r) => ids.has(r)).map((r) => ids.get(r) as string))].filter((id) => id !== row.id),
            r: row.refs.filter((r) => !ids.has(r)),
          }));
          await c.query(
            `UPDATE ${ENTRIES} e
             SET deps = e.deps || ARRAY(SELECT jsonb_array_elements_text(u.d)::bigint),
                 refs = ARRAY(SELECT jsonb_array_elements_text(u.r))
             FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, d jsonb, r jsonb)
             WHERE e.id = u.id`,
            [JSON.stringify(updates)],
          );
        }
        return inserted.length;
      });
    },

    async markComplete(run) {
      await db.query(`UPDATE ${RUNS} SET complete = true WHERE id = $1`, [run]);
    },

    async claim(claimOptions = {}) {
      const max = claimOptions.max ?? 500;
      const lease = randomUUID();
      const claimed = await transaction(async (c) => {
        const scope = claimOptions.run === undefined ? '' : 'AND e.run = $2';
        const first = await c.query<{ run: string }>(
          `SELECT e.run FROM ${ENTRIES} e JOIN ${RUNS} r ON r.id = e.run
           WHERE ${claimable} ${scope} ORDER BY e.id LIMIT 1 FOR UPDATE OF e SKIP LOCKED`,
          claimOptions.run === undefined ? [maxClaims] : [maxClaims, claimOptions.run],
        );
        let run = first.rows[0]?.run;
        let ids: string[];
        if (run === undefined) {
          // Nothing is ready: entries that refer to each other in a cycle wait on each other for good.
          const cycle = await findCycle(c, { run: claimOptions.run, max, maxClaims });
          if (cycle === undefined) return undefined;
          ({ run, ids } = cycle);
        } else {
          const picked = await c.query<{ id: string }>(
            `SELECT e.id FROM ${ENTRIES} e JOIN ${RUNS} r ON r.id = e.run
             WHERE ${claimable} AND e.run = $2 ORDER BY e.id LIMIT $3 FOR UPDATE OF e SKIP LOCKED`,
            [maxClaims, run, max],
          );
          ids = picked.rows.map((r) => r.id);
        }
        const { rows } = await c.query<{ id: string; key: string; full_url: string | null; request: OutboxEntry['request']; resource: Resource | null; deps: string[] }>(
          `UPDATE ${ENTRIES} SET lease = $1, worker = $2, lease_until = now() + $3 * interval '1 millisecond', claims = claims + 1
           WHERE id = ANY ($4::bigint[]) RETURNING id, key, full_url, request, resource, deps`,
          [lease, worker, leaseMs, ids],
        );
        rows.sort((a, b) => Number(a.id) - Number(b.id));
        const depIds = [...new Set(rows.flatMap((r) => r.deps))];
        const settled =
          depIds.length === 0
            ? []
            : (
                await c.query<{ key: string; full_url: string | null; state: string; location: string | null; created: boolean | null }>(
                  `SELECT key, full_url, state, location, created FROM ${ENTRIES} WHERE id = ANY ($1::bigint[])`,
                  [depIds],
                )
              ).rows;
        return { run, rows, settled };
      });
      if (claimed === undefined) return undefined;
      return openLease({
        pool: db,
        lease,
        leaseMs,
        run: claimed.run,
        entries: claimed.rows.map((row) => ({
          id: row.id,
          entry: {
            key: row.key,
            ...(row.full_url === null ? {} : { fullUrl: row.full_url }),
            request: row.request,
            ...(row.resource === null ? {} : { resource: row.resource }),
          },
        })),
        settled: claimed.settled.map((row) => ({
          key: row.key,
          fullUrl: row.full_url ?? undefined,
          state: row.state === 'confirmed' ? 'confirmed' : row.state === 'dead' ? 'dead-lettered' : 'pending',
          location: row.location ?? undefined,
          created: row.created === true,
        })),
      });
    },

    async counts(run) {
      const { rows } = await db.query<Record<keyof HubCounts, string>>(
        `SELECT
           count(*) FILTER (WHERE e.state = 'pending') AS pending,
           count(*) FILTER (WHERE e.state = 'pending' AND e.lease_until >= now()) AS leased,
           count(*) FILTER (WHERE e.state = 'pending' AND e.not_before > now()) AS "retryLater",
           count(*) FILTER (WHERE e.state = 'pending' AND e.claims >= $2) AS exhausted,
           count(*) FILTER (WHERE e.state = 'confirmed') AS confirmed,
           count(*) FILTER (WHERE e.state = 'confirmed' AND starts_with(e.key, $3)) AS provenance,
           count(*) FILTER (WHERE e.state = 'dead') AS "deadLettered",
           (SELECT count(*) FROM ${RUNS} q WHERE q.finished_at IS NULL AND NOT q.complete AND ($1::uuid IS NULL OR q.id = $1)) AS queueing
         FROM ${ENTRIES} e JOIN ${RUNS} r ON r.id = e.run
         WHERE ($1::uuid IS NULL AND r.finished_at IS NULL) OR e.run = $1`,
        [run ?? null, maxClaims, `Provenance?_tag=${encodeURIComponent(SYNC_RUN_TAG_SYSTEM)}|`],
      );
      const row = rows[0];
      const n = (value: string | undefined): number => Number(value ?? 0);
      return {
        pending: n(row?.pending),
        leased: n(row?.leased),
        retryLater: n(row?.retryLater),
        exhausted: n(row?.exhausted),
        confirmed: n(row?.confirmed),
        provenance: n(row?.provenance),
        deadLettered: n(row?.deadLettered),
        queueing: n(row?.queueing),
      };
    },

    async stateOf(run, keyOrFullUrl) {
      const { rows } = await db.query<{ state: string }>(`SELECT state FROM ${ENTRIES} WHERE run = $1 AND (key = $2 OR full_url = $2) LIMIT 1`, [run, keyOrFullUrl]);
      const state = rows[0]?.state;
      return state === undefined ? undefined : state === 'dead' ? 'dead-lettered' : (state as 'pending' | 'confirmed');
    },

    async *confirmations(run) {
      let after: [string, string] = ['-infinity', '0'];
      for (;;) {
        const { rows } = await db.query<{ id: string; key: string; location: string; created: boolean; settled: string }>(
          `SELECT id, key, location, created, settled_at::text AS settled FROM ${ENTRIES}
           WHERE run = $1 AND state = 'confirmed' AND (settled_at, id) > ($2::timestamptz, $3::bigint)
           ORDER BY settled_at, id LIMIT 1000`,
          [run, after[0], after[1]],
        );
        for (const row of rows) yield { key: row.key, location: row.location, created: row.created };
        const last = rows.at(-1);
        if (last === undefined || rows.length < 1000) return;
        after = [last.settled, last.id];
      }
    },

    async *keys(run) {
      let after = '0';
      for (;;) {
        const { rows } = await db.query<{ id: string; key: string }>(`SELECT id, key FROM ${ENTRIES} WHERE run = $1 AND id > $2 ORDER BY id LIMIT 5000`, [run, after]);
        for (const row of rows) yield row.key;
        const last = rows.at(-1);
        if (last === undefined || rows.length < 5000) return;
        after = last.id;
      }
    },

    async deadLetters(run) {
      const { rows } = await db.query<{ key: string; full_url: string | null; request: OutboxEntry['request']; resource: Resource | null; status: number; outcome: DeadLetter['outcome']; settled: Date }>(
        `SELECT key, full_url, request, resource, status, outcome, settled_at AS settled FROM ${ENTRIES} WHERE run = $1 AND state = 'dead' ORDER BY settled_at, id`,
        [run],
      );
      return rows.map((row) => ({
        entry: { key: row.key, ...(row.full_url === null ? {} : { fullUrl: row.full_url }), request: row.request, ...(row.resource === null ? {} : { resource: row.resource }) },
        status: row.status,
        outcome: row.outcome,
        at: row.settled.toISOString(),
        run,
      }));
    },

    async finishRun(run) {
      const { rowCount } = await db.query(
        `UPDATE ${RUNS} SET finished_at = now() WHERE id = $1 AND finished_at IS NULL AND complete
           AND NOT EXISTS (SELECT 1 FROM ${ENTRIES} WHERE run = $1 AND state = 'pending')`,
        [run],
      );
      return (rowCount ?? 0) > 0;
    },

    async close() {
      if (owned) await db.end();
    },
  };
  return outbox;
}
