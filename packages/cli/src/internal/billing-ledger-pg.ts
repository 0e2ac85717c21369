/**
 * The billing ledger in PostgreSQL (`peerkit bill --ledger postgres://…`): the same entries as the
 * NDJSON file, one row each in an append-only table, read back in the order they were appended.
 * Several processes may bill against one database: each run holds the ledger (a session advisory
 * lock) from opening to closing, so a second run waits and then reads what the first appended, and
 * the same service is never planned twice.
 */
import { isBillingLedgerEntry, type BillingLedgerEntry } from '@peerkit/billing';
import { applyMigrations, postgresDisplayName, postgresFailureReason } from '@peerkit/sync';
import type { Client } from 'pg';
import { CliError } from './cli-error';
import type { OpenBillingLedger } from './billing-ledger';

/** The ledger's tables (fixed names: give each ledger its own database or schema). */
export const LEDGER_TABLES = {
  /** One row per migration applied. */
  migrations: 'peerkit_billing_ledger_migrations',
  /** One row per ledger entry, never updated or deleted; `id` is the append order. */
  entries: 'peerkit_billing_ledger',
} as const;

/** The migrations, in order. Never edit one that has shipped: add the next. */
export const LEDGER_MIGRATIONS: readonly string[] = [
  `CREATE TABLE ${LEDGER_TABLES.entries} (
     id bigserial PRIMARY KEY,
     entry jsonb NOT NULL,
     appended_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE RULE ${LEDGER_TABLES.entries}_no_update AS ON UPDATE TO ${LEDGER_TABLES.entries} DO INSTEAD NOTHING;
   CREATE RULE ${LEDGER_TABLES.entries}_no_delete AS ON DELETE TO ${LEDGER_TABLES.entries} DO INSTEAD NOTHING;`,
];

/** The advisory lock (`pg_advisory_lock(hashtext(…))`) a run holds on the ledger while it reads, plans and appends. */
export const LEDGER_RUN_LOCK = `${LEDGER_TABLES.entries}:run`;
/** Rows read per query. */
const PAGE = 1000;

/** The code of the error an unreachable ledger database gives. */
export const LEDGER_UNREACHABLE = 'cli.ledger-unreachable';

/** A PostgreSQL ledger that cannot be reached or refused the login (exit 2); the message names host, port and database, never credentials. */
export class LedgerUnreachableError extends CliError {
  override readonly name: string = 'LedgerUnreachableError';
  /** {@link LEDGER_UNREACHABLE}. */
  readonly code: string = LEDGER_UNREACHABLE;
}

/** `true` when `--ledger` names a PostgreSQL database rather than a file. */
export function isPostgresLedger(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/** The ledger's place for messages: `postgres://host:port/database`, never the user or password. */
export function ledgerDisplayName(connectionString: string): string {
  return postgresDisplayName(connectionString) ?? 'postgres://(an unreadable URL)';
}

/** Options of {@link openPgBillingLedger}. */
export interface PgBillingLedgerOptions {
  /** Time to wait for the connection, in ms. Default 10,000. */
  connectTimeoutMs?: number;
}

/**
 * Opens the billing ledger in a PostgreSQL database: connects, brings its table up to date, and
 * takes the ledger for this run (waiting while another run holds it). Close it when the run is done.
 *
 * @param connectionString - `postgres://user:password@host:port/database` (the password may also come from `PGPASSWORD`)
 * @param options - see {@link PgBillingLedgerOptions}
 * @returns the ledger, named by host, port and database
 * @throws LedgerUnreachableError (exit 2) when the database cannot be reached or refuses the login
 */
export async function openPgBillingLedger(connectionString: string, options: PgBillingLedgerOptions = {}): Promise<OpenBillingLedger> {
  const name = ledgerDisplayName(connectionString);
  // Loaded only for a PostgreSQL ledger: a file ledger never loads the driver.
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000 });
  // A connection the server drops is reported by the next query; it must not crash the process.
  client.on('error', () => undefined);
  const unreachable = (error: unknown) => new LedgerUnreachableError(`--ledger: cannot reach the billing ledger at ${name} (${postgresFailureReason(error)}) [${LEDGER_UNREACHABLE}]`);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw unreachable(error);
  }
  try {
    await applyMigrations(client, LEDGER_TABLES.migrations, LEDGER_MIGRATIONS);
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [LEDGER_RUN_LOCK]);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw unreachable(error);
  }
  return {
    file: name,
    async append(entries: readonly BillingLedgerEntry[]) {
      if (entries.length === 0) return;
      // One statement, one transaction: all the entries or none, numbered in their order.
      await client.query(
        `INSERT INTO ${LEDGER_TABLES.entries} (entry) SELECT e.value FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, n) ORDER BY e.n`,
        [JSON.stringify(entries)],
      );
    },
    async *entries() {
      let after = '0';
      for (;;) {
        const { rows } = await client.query<{ id: string; entry: unknown }>(
          `SELECT id::text AS id, entry FROM ${LEDGER_TABLES.entries} WHERE id > $1::bigint ORDER BY id LIMIT ${PAGE}`,
          [after],
        );
        for (const row of rows) {
          if (!isBillingLedgerEntry(row.entry)) throw new CliError(`${name}: row ${row.id} is not a billing ledger entry`);
          yield row.entry;
        }
        const last = rows[rows.length - 1];
        if (last === undefined || rows.length < PAGE) return;
        after = last.id;
      }
    },
    async close() {
      // Ending the session releases the run's lock.
      await client.end().catch(() => undefined);
    },
  };
}
