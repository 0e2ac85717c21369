import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { createFhirContext, toFhirRecord } from '@peerkit/fhir';
import { generateClinic } from '@peerkit/model';
import type { Bundle, BundleEntry } from 'fhir/r4';
import { afterEach, describe, expect, it } from 'vitest';
import { readSyncConsents, streamSyncEntries, toSyncEntries } from '../src/clinic';
import { openFileOutbox } from '../src/file-outbox';
import { createMemoryOutbox, entryKey } from '../src/outbox';
import { sync } from '../src/sync';
import { pullRecords } from '../src/pull';
import { createFhirTransport } from '../src/transport';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { FAST_RETRY } from './helpers';

// Each test gets its own server, so counts on it are that test's alone.
const open: FhirServer[] = [];
const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
  for (const s of open.splice(0)) await s.close();
});

async function freshServer(): Promise<FhirServer> {
  const server = await startFhirServer();
  open.push(server);
  return server;
}

function clinicEntries(seed: number): BundleEntry[] {
  const clinic = generateClinic({ seed, peers: 12, weeks: 3 });
  const result = toSyncEntries(clinic.records);
  if (!result.ok) throw new Error('mapping failed');
  return result.value;
}

/** For every entry, a search by its conditional URL finds exactly one resource. */
async function expectEachOnce(base: string, entries: BundleEntry[]): Promise<void> {
  const counts: Record<string, number> = {};
  for (const entry of entries) {
    const key = entryKey(entry) ?? '';
    const bundle = (await (await fetch(`${base}/${key}`)).json()) as Bundle;
    const total = bundle.total ?? -1;
    if (total !== 1) counts[key] = total;
  }
  expect(counts).toEqual({});
}

async function totalOf(base: string, type: string): Promise<number> {
  return ((await (await fetch(`${base}/${type}?_summary=count`)).json()) as Bundle).total ?? -1;
}

describe('streamSyncEntries', () => {
  it.each([1, 2, 3])('gives exactly the entries of toSyncEntries, in order (seed %i)', async (seed) => {
    const { records } = generateClinic({ seed, peers: 8, weeks: 3 });
    const expected = toSyncEntries(records);
    if (!expected.ok) throw new Error('mapping failed');
    const streamed: BundleEntry[] = [];
    for await (const entry of streamSyncEntries(() => records)) streamed.push(entry);
    expect(streamed).toEqual(expected.value);
    // The same with the reference map in scratch files, which are gone once the stream ends.
    const dir = mkdtempSync(join(tmpdir(), 'peerkit-scratch-'));
    try {
      const onDisk: BundleEntry[] = [];
      for await (const entry of streamSyncEntries(() => records, { scratchDir: dir })) onDisk.push(entry);
      expect(onDisk).toEqual(expected.value);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives exactly the entries of toSyncEntries with peers and organizations after the records that need them, patients known by identifier only, and Part 2 peers', async () => {
    const { records } = generateClinic({ seed: 6, peers: 10, weeks: 2 });
    let n = 0;
    // Every other peer's Patient known by identifier only (a host that gives no literal reference).
    const varied = records.map((r) => {
      if (r.kind !== 'peer' || n++ % 2 === 0 || r.patient.identifier === undefined) return r;
      return { ...r, patient: { identifier: r.patient.identifier } };
    });
    // Peers and organizations last: the stream's lookup must not depend on reading them first.
    const reordered = [...varied.filter((r) => r.kind !== 'peer' && r.kind !== 'organization'), ...varied.filter((r) => r.kind === 'peer' || r.kind === 'organization')];
    const expected = toSyncEntries(reordered);
    if (!expected.ok) throw new Error('mapping failed');
    const text = JSON.stringify(expected.value);
    // The cases this test is about are there: Part 2 labels and identifier-only Patient references.
    expect(text).toContain('"code":"42CFRPart2"');
    expect(expected.value.some((e) => JSON.stringify(e.resource).includes('"type":"Patient","identifier"'))).toBe(true);
    for (const scratch of [false, true]) {
      const dir = mkdtempSync(join(tmpdir(), 'peerkit-scratch-'));
      try {
        const streamed: BundleEntry[] = [];
        for await (const entry of streamSyncEntries(() => reordered, scratch ? { scratchDir: dir } : {})) streamed.push(entry);
        expect(JSON.stringify(streamed)).toBe(text);
        expect(readdirSync(dir)).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('readSyncConsents gives exactly the Consents the mapping gives with whole peer records (peers kept compactly), Part 2 labels included', async () => {
    const { records } = generateClinic({ seed: 11, peers: 10, weeks: 2 });
    // The mapping with the whole peer records, of the consent records (service consents are not the gate's).
    const ctx = createFhirContext(records);
    if (ctx === undefined) throw new Error('no context');
    const expected = records.flatMap((r) => (r.kind === 'consent' ? (toFhirRecord(r, ctx) ?? []) : []));
    expect(expected.length).toBeGreaterThan(0);
    expect(JSON.stringify(expected)).toContain('"code":"42CFRPart2"');
    expect(JSON.stringify(await readSyncConsents(() => records))).toBe(JSON.stringify(expected));
  });

  it('removes its scratch files when the export gives no identifier system', async () => {
    const { records } = generateClinic({ seed: 2, peers: 3, weeks: 1 });
    const without = records.filter((r) => r.kind !== 'organization');
    const dir = mkdtempSync(join(tmpdir(), 'peerkit-scratch-'));
    try {
      await expect(async () => {
        for await (const entry of streamSyncEntries(() => without, { scratchDir: dir })) expect(entry).toBeDefined();
      }).rejects.toMatchObject({ code: 'sync.no-identifier-system' });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports records whose peer is not in the export, and maps the rest', async () => {
    const { records } = generateClinic({ seed: 4, peers: 3, weeks: 1 });
    const firstPeer = records.find((r) => r.kind === 'peer');
    const without = records.filter((r) => r !== firstPeer);
    const issues: string[] = [];
    const streamed: BundleEntry[] = [];
    for await (const entry of streamSyncEntries(() => without, { onIssue: (i) => issues.push(i.code) })) streamed.push(entry);
    const expected = toSyncEntries(without);
    expect(expected.ok && streamed).toEqual(expected.ok && expected.value);
    expect(issues.length).toBeGreaterThan(0);
    expect(new Set(issues)).toEqual(new Set(['fhir.unknown-peer']));
  });
});

describe('sync of a generated clinic to the embedded server', () => {
  it('writes every resource exactly once, also when run twice', async () => {
    const { baseUrl } = await freshServer();
    const entries = clinicEntries(7);
    const transport = createFhirTransport({ baseUrl });
    const first = await sync({ transport, outbox: createMemoryOutbox(), entries, batchSize: 25, concurrency: 4, retry: FAST_RETRY });
    expect(first).toMatchObject({ queued: entries.length, confirmed: entries.length, deadLettered: 0, pending: 0, finished: true });
    await expectEachOnce(baseUrl, entries);
    const encounters = await totalOf(baseUrl, 'Encounter');
    const second = await sync({ transport, outbox: createMemoryOutbox(), entries, batchSize: 25, concurrency: 4, retry: FAST_RETRY });
    expect(second).toMatchObject({ confirmed: entries.length, deadLettered: 0, pending: 0 });
    await expectEachOnce(baseUrl, entries);
    expect(await totalOf(baseUrl, 'Encounter')).toBe(encounters);
  }, 120_000);

  it.each(['transaction', 'batch', 'single'] as const)('%s: writes every resource exactly once through injected faults (429, 503, drops before and after commit, slow answers)', async (writeMode) => {
    const { baseUrl } = await freshServer();
    const entries = clinicEntries(8);
    const faults = [
      { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
      { kind: 'drop-after' },
      { kind: 'status', status: 503 },
      { kind: 'status-after', status: 500 },
      { kind: 'drop-before' },
      { kind: 'delay', ms: 600 },
    ] as const;
    let posts = 0;
    const proxy = await startFaultProxy(baseUrl, ({ method }) => {
      if (method === 'GET') return undefined;
      posts++;
      // Every third write (a Bundle, or a single request) meets the next fault, in turn.
      return posts % 3 === 0 ? faults[(posts / 3 - 1) % faults.length] : undefined;
    });
    proxies.push(proxy);
    const summary = await sync({
      transport: createFhirTransport({ baseUrl: proxy.baseUrl, timeoutMs: 400 }),
      outbox: createMemoryOutbox(),
      entries,
      writeMode,
      batchSize: 20,
      concurrency: 3,
      retry: { ...FAST_RETRY, maxAttempts: 10, timeoutMs: 400 },
    });
    expect(summary).toMatchObject({ confirmed: entries.length, deadLettered: 0, pending: 0, finished: true });
    expect(summary.retried + summary.reconciled).toBeGreaterThan(0);
    await expectEachOnce(baseUrl, entries);
  }, 120_000);

  it('queues a bounded window ahead of the push: exactly once under faults, forward references waited for', async () => {
    const { baseUrl } = await freshServer();
    const entries = clinicEntries(12);
    // Some entries refer forward (a CarePlan to its Goals): with chunks of 7 they often arrive later.
    const position = new Map(entries.map((e, i) => [e.fullUrl, i]));
    const forward = entries.filter((e, i) => JSON.stringify(e.resource).match(/urn:uuid:[0-9a-f-]+/g)?.some((u) => (position.get(u) ?? -1) > i));
    expect(forward.length).toBeGreaterThan(0);
    let posts = 0;
    const proxy = await startFaultProxy(baseUrl, ({ method }) => {
      if (method !== 'POST') return undefined;
      posts++;
      return posts % 4 === 0 ? (posts % 8 === 0 ? { kind: 'drop-after' } : { kind: 'status', status: 503 }) : undefined;
    });
    proxies.push(proxy);
    const dir = mkdtempSync(join(tmpdir(), 'peerkit-window-'));
    const outbox = await openFileOutbox(dir, { compactAfterBytes: 4096 });
    let most = 0;
    const add = outbox.add.bind(outbox);
    outbox.add = async (list) => {
      const added = await add(list);
      most = Math.max(most, outbox.counts().pending);
      return added;
    };
    try {
      const summary = await sync({
        transport: createFhirTransport({ baseUrl: proxy.baseUrl, timeoutMs: 2000 }),
        outbox,
        entries,
        batchSize: 10,
        concurrency: 3,
        queueChunk: 7,
        queueWindow: 30,
        retry: { ...FAST_RETRY, maxAttempts: 10 },
      });
      expect(summary).toMatchObject({ queued: entries.length, confirmed: entries.length, deadLettered: 0, pending: 0, finished: true });
      expect(summary.provenance.length).toBeGreaterThan(0);
    } finally {
      await outbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
    // The window: at most queueWindow entries that can move, plus a chunk; entries waiting for
    // another one (parked, or for input still to come) are not counted, so allow twice as many more.
    expect(most).toBeLessThanOrEqual(3 * (30 + 7));
    expect(most).toBeGreaterThan(7);
    expect(entries.length).toBeGreaterThan(2 * 3 * (30 + 7));
    await expectEachOnce(baseUrl, entries);
  }, 120_000);

  it('pulls what a sync wrote back into records (pullRecords → fromFhir)', async () => {
    const { baseUrl } = await freshServer();
    const since = new Date(Date.now() - 1000).toISOString();
    const { records } = generateClinic({ seed: 10, peers: 6, weeks: 2 });
    const entries = toSyncEntries(records);
    if (!entries.ok) throw new Error('mapping failed');
    const transport = createFhirTransport({ baseUrl });
    await sync({ transport, outbox: createMemoryOutbox(), entries: entries.value, provenance: false });
    const types = [...new Set(entries.value.map((e) => e.resource?.resourceType ?? ''))];
    const pulled = await pullRecords({ transport, types, since, pageSize: 50 });
    expect(pulled.resources).toBe(entries.value.length);
    expect(pulled.conflicts).toEqual([]);
    expect(pulled.records.ok).toBe(true);
    const kinds = (list: readonly { kind: string }[]): Record<string, number> =>
      list.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.kind]: (acc[r.kind] ?? 0) + 1 }), {});
    expect(pulled.records.ok && kinds(pulled.records.value)).toEqual(kinds(records));
  }, 120_000);

  it.each(['transaction', 'batch', 'single'] as const)('%s: after a run cut short (aborted mid-run, outbox on disk), resume writes the rest exactly once', async (writeMode) => {
    const { baseUrl } = await freshServer();
    const entries = clinicEntries(9);
    const dir = mkdtempSync(join(tmpdir(), 'peerkit-sync-'));
    try {
      const controller = new AbortController();
      let posts = 0;
      const proxy = await startFaultProxy(baseUrl, ({ method }) => {
        if (method !== 'GET' && ++posts === 4) {
          controller.abort();
          return { kind: 'drop-after' };
        }
        return undefined;
      });
      proxies.push(proxy);
      const outbox = await openFileOutbox(dir);
      const cut = await sync({ transport: createFhirTransport({ baseUrl: proxy.baseUrl }), outbox, entries, writeMode, batchSize: 15, concurrency: 1, signal: controller.signal, retry: FAST_RETRY });
      expect(cut.stopped).toBe('aborted');
      expect(cut.pending).toBeGreaterThan(0);
      // No close: the process "died". A new one opens the same state directory.
      const reopened = await openFileOutbox(dir);
      const resumed = await sync({ transport: createFhirTransport({ baseUrl }), outbox: reopened, resume: true, entries, writeMode, batchSize: 15, retry: FAST_RETRY });
      expect(resumed).toMatchObject({ pending: 0, deadLettered: 0, finished: true });
      expect(cut.confirmed + resumed.confirmed).toBe(entries.length);
      await reopened.close();
      await expectEachOnce(baseUrl, entries);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
