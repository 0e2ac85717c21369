/**
 * What every PeerKit store on PostgreSQL shares (the hub's outbox here, the CLI's billing ledger):
 * numbered migrations applied once each under an advisory lock, and connection failures described
 * by host, port, database and code — never the user, the password or the server's own message.
 */
import type { ClientBase } from 'pg';

/**
 * Applies the migrations not applied yet, in order, in one transaction, under an advisory lock keyed
 * by the migrations table (several processes starting at once apply each one exactly once).
 *
 * @param client - a connected client (a pool's or a plain one)
 * @param migrationsTable - the table recording the versions applied (made when missing)
 * @param migrations - the migrations, in order; never edit one that has shipped: add the next
 * @returns how many were applied now
 */
export async function applyMigrations(client: Pick<ClientBase, 'query'>, migrationsTable: string, migrations: readonly string[]): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [migrationsTable]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${migrationsTable} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${migrationsTable}`);
    const current = rows[0]?.version ?? 0;
    for (let version = current + 1; version <= migrations.length; version++) {
      await client.query(migrations[version - 1] as string);
      await client.query(`INSERT INTO ${migrationsTable} (version) VALUES ($1)`, [version]);
    }
    await client.query('COMMIT');
    return Math.max(0, migrations.length - current);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * `postgres://host:port/database` of a connection string, for messages (never the user or
 * password); undefined when it is not a readable URL.
 */
export function postgresDisplayName(connectionString: string): string | undefined {
  try {
    const url = new URL(connectionString);
    return `postgres://${url.hostname}${url.port === '' ? '' : `:${url.port}`}${url.pathname.length > 1 ? url.pathname : ''}`;
  } catch {
    return undefined;
  }
}

/**
 * Why a connection failed, by its code (ECONNREFUSED, 28P01, …): never the server's message, which
 * may quote the user.
 */
export function postgresFailureReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '28P01' || code === '28000') return 'authentication failed';
  if (code === '3D000') return 'no such database';
  if (typeof code === 'string') return code;
  return error instanceof Error && /timeout/i.test(error.message) ? 'timed out' : 'no connection';
}
