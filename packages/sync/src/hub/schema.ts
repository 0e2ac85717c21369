/**
 * The PostgreSQL outbox's tables, created by {@link migrate}: numbered migrations applied once each,
 * in order, under an advisory lock (several workers starting at once apply each one exactly once).
 */
import type { PoolClient } from 'pg';
import { applyMigrations } from './postgres';

/** The tables of the PostgreSQL outbox (fixed names; give each hub its own database or schema). */
export const HUB_TABLES = {
  /** One row per migration applied. */
  migrations: 'peerkit_outbox_migrations',
  /** One row per clinic run: its clinic, whether its input is queued whole, when it finished. */
  runs: 'peerkit_outbox_runs',
  /** One row per write: pending, confirmed or dead-lettered; its lease while a worker holds it. */
  entries: 'peerkit_outbox_entries',
} as const;

/**
 * The migrations, in order. Never edit one that has shipped: add the next.
 *
 * - `runs.clinic`: the clinic a run belongs to; at most one unfinished run per clinic.
 * - `runs.disclosure`: `internal` or `consent:` and a hash of the recipient (never the recipient).
 * - `entries.deps`: ids of entries of the same run it refers to: it is claimed only once none of
 *   them is pending (a patient before its encounters).
 * - `entries.refs`: `urn:uuid:` references not found yet (the entry they name may be queued later);
 *   such an entry waits until they are found or the run's input is queued whole.
 * - `entries.lease`, `lease_until`, `worker`: the claim of a worker; an expired lease is claimed again.
 * - `entries.claims`: times it was claimed in this attempt of the run (bounded by `maxClaims`).
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE ${HUB_TABLES.runs} (
     id uuid PRIMARY KEY,
     clinic text NOT NULL,
     disclosure text NOT NULL DEFAULT 'internal',
     complete boolean NOT NULL DEFAULT false,
     created_at timestamptz NOT NULL DEFAULT now(),
     finished_at timestamptz
   );
   CREATE UNIQUE INDEX ${HUB_TABLES.runs}_open ON ${HUB_TABLES.runs} (clinic) WHERE finished_at IS NULL;
   CREATE TABLE ${HUB_TABLES.entries} (
     id bigserial PRIMARY KEY,
     run uuid NOT NULL REFERENCES ${HUB_TABLES.runs} (id) ON DELETE CASCADE,
     key text NOT NULL,
     full_url text,
     request jsonb NOT NULL,
     resource jsonb,
     deps bigint[] NOT NULL DEFAULT '{}',
     refs text[] NOT NULL DEFAULT '{}',
     state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'dead')),
     claims integer NOT NULL DEFAULT 0,
     worker text,
     lease uuid,
     lease_until timestamptz,
     not_before timestamptz,
     location text,
     created boolean,
     status integer,
     outcome jsonb,
     queued_at timestamptz NOT NULL DEFAULT now(),
     settled_at timestamptz,
     UNIQUE (run, key)
   );
   CREATE INDEX ${HUB_TABLES.entries}_pending ON ${HUB_TABLES.entries} (id) WHERE state = 'pending';
   CREATE INDEX ${HUB_TABLES.entries}_full_url ON ${HUB_TABLES.entries} (run, full_url) WHERE full_url IS NOT NULL;
   CREATE INDEX ${HUB_TABLES.entries}_refs ON ${HUB_TABLES.entries} USING gin (refs) WHERE state = 'pending' AND cardinality(refs) > 0;
   CREATE INDEX ${HUB_TABLES.entries}_lease ON ${HUB_TABLES.entries} (lease) WHERE lease IS NOT NULL;`,
];

/**
 * Brings the database to the latest schema: applies each migration not applied yet, in one
 * transaction, under an advisory lock.
 *
 * @param client - a connection (not in a transaction)
 * @returns the migrations applied now (0 when the schema was current)
 */
export async function migrate(client: PoolClient): Promise<number> {
  return applyMigrations(client, HUB_TABLES.migrations, MIGRATIONS);
}
