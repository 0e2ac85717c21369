/** Claiming entries that refer to each other in a cycle: they can only travel together. */
import type { PoolClient } from 'pg';
import { HUB_TABLES } from './schema';

const { runs: RUNS, entries: ENTRIES } = HUB_TABLES;

/**
 * Finds a group to claim when nothing of a run is ready by itself (internal: `PgOutbox.claim`).
 * Entries of a run that refer to each other in a cycle (an encounter and the referral it came
 * from) never become ready one by one. When a run is queued whole and nothing of it is held,
 * waiting for a retry time or ready, the first pending entry with every pending entry it depends
 * on, directly or not, is claimed as one group (the push sends such a group in one transaction).
 * A group that depends on an entry left for a resume (`maxClaims`) is not taken.
 *
 * @param c - the claim's connection, in its transaction (the group's rows are locked in it)
 * @param options - `run` (only this run's), `max` (largest group), `maxClaims`
 * @returns the run and the ids of the group, locked; undefined when there is none
 */
export async function findCycle(c: PoolClient, options: { run: string | undefined; max: number; maxClaims: number }): Promise<{ run: string; ids: string[] } | undefined> {
  const { run: only, max, maxClaims } = options;
  const { rows: runs } = await c.query<{ id: string }>(
    `SELECT r.id FROM ${RUNS} r WHERE r.finished_at IS NULL AND r.complete AND ($2::uuid IS NULL OR r.id = $2)
       AND EXISTS (SELECT 1 FROM ${ENTRIES} e WHERE e.run = r.id AND e.state = 'pending' AND e.claims < $1)
       AND NOT EXISTS (SELECT 1 FROM ${ENTRIES} e WHERE e.run = r.id AND e.state = 'pending' AND (e.lease_until >= now() OR e.not_before > now()))
     ORDER BY r.created_at LIMIT 5`,
    [maxClaims, only ?? null],
  );
  const limit = 10_000;
  for (const { id: run } of runs) {
    const { rows } = await c.query<{ id: string; deps: string[]; claims: number }>(
      `SELECT id, deps::text[] AS deps, claims FROM ${ENTRIES} WHERE run = $1 AND state = 'pending' ORDER BY id LIMIT ${limit}`,
      [run],
    );
    const pending = new Map(rows.map((row) => [row.id, row]));
    const complete = rows.length < limit;
    for (const start of rows.slice(0, 50)) {
      if (start.claims >= maxClaims) continue;
      const group = new Set([start.id]);
      const stack = [start.id];
      let possible = true;
      while (stack.length > 0 && possible) {
        for (const dep of pending.get(stack.pop() as string)?.deps ?? []) {
          const row = pending.get(dep);
          // Not pending (settled), unless the read stopped short of it.
          if (row === undefined) {
            possible &&= complete;
            continue;
          }
          if (row.claims >= maxClaims || group.size >= max) possible = false;
          if (!group.has(dep)) {
            group.add(dep);
            stack.push(dep);
          }
        }
      }
      if (!possible || group.size < 2) continue;
      const ids = [...group];
      const locked = await c.query(`SELECT id FROM ${ENTRIES} WHERE id = ANY ($1::bigint[]) AND state = 'pending' FOR UPDATE SKIP LOCKED`, [ids]);
      if (locked.rowCount === ids.length) return { run, ids };
    }
  }
  return undefined;
}
