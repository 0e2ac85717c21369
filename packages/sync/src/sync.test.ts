import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Basic, Bundle, BundleEntry, Patient, Provenance } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { clinicEntries, encounterEntry, FAST_RETRY, identifierCounts, patientEntry, SYSTEM, useEmbeddedServer } from '../test/helpers';
import type { SyncEvent } from './events';
import { openFileOutbox } from './file-outbox';
import { createMemoryOutbox } from './outbox';
import { createRunProvenance, DATA_OPERATION, provenanceCoverage, runProvenanceEntries, SYNC_RUN_TAG_SYSTEM } from './provenance';
import { sync } from './sync';
import { createFhirTransport, type FhirReply, type FhirTransport } from './transport';

const server = useEmbeddedServer();

/** The Provenance of one run on the server, in the order they were written. */
async function provenancesOf(runId: string): Promise<Provenance[]> {
  const bundle = (await (await fetch(`${server.baseUrl}/Provenance?_count=500`)).json()) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as Provenance).filter((p) => p.meta?.tag?.some((t) => t.code?.startsWith(`${runId}-`) === true));
}

/** An encounter entry of a patient entry (conditional create, urn:uuid reference). */
function encounterOf(n: number, patient: number): BundleEntry {
  return encounterEntry(n, patient);
}

async function provenances(): Promise<Provenance[]> {
  const bundle = (await (await fetch(`${server.baseUrl}/Provenance?_count=100`)).json()) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as Provenance);
}

describe('sync', () => {
  it('queues, pushes, writes the run’s Provenance and closes the run', async () => {
    const outbox = createMemoryOutbox();
    const events: SyncEvent[] = [];
    const before = (await provenances()).length;
    const summary = await sync({
      transport: createFhirTransport({ baseUrl: server.baseUrl }),
      outbox,
      entries: clinicEntries(3, 2),
      batchSize: 4,
      retry: FAST_RETRY,
      provenance: { author: { reference: 'Organization/clinic', display: 'Test clinic' } },
      onEvent: (e) => events.push(e),
    });
    expect(summary).toMatchObject({ queued: 9, confirmed: 9, deadLettered: 0, pending: 0, withheld: 0, finished: true });
    expect(summary.provenance).toHaveLength(1);
    expect(outbox.runId).toBeUndefined();
    const written = (await provenances()).slice(before);
    expect(written).toHaveLength(1);
    const [provenance] = written;
    expect(provenance?.target).toHaveLength(9);
    expect(provenance?.activity?.coding?.[0]).toEqual({ system: DATA_OPERATION, code: 'CREATE' });
    expect(provenance?.agent.map((a) => a.type?.coding?.[0]?.code)).toEqual(['author', 'transmitter']);
    expect(provenance?.meta?.tag?.[0]?.system).toBe(SYNC_RUN_TAG_SYSTEM);
    expect(events[0]).toMatchObject({ type: 'planned', mode: 'transaction', reason: 'configured', batchSize: 4 });
    expect(events.find((e) => e.type === 'queued')).toEqual({ type: 'queued', count: 9, skipped: 0 });
    // Running it again writes nothing new, and records the run as UPDATEs.
    const again = await sync({ transport: createFhirTransport({ baseUrl: server.baseUrl }), outbox, entries: clinicEntries(3, 2), retry: FAST_RETRY });
    expect(again).toMatchObject({ confirmed: 9, finished: true });
    const counts = await identifierCounts(server.baseUrl, 'Encounter');
    expect(counts.get('e-0')).toBe(1);
    const latest = (await provenances()).at(-1);
    expect(latest?.activity?.coding?.[0]?.code).toBe('UPDATE');
  });

  it.each(['transaction', 'single'] as const)('%s: sends the entries it queued without reading them back from the outbox', async (writeMode) => {
    const outbox = createMemoryOutbox();
    let reads = 0;
    const get = outbox.get.bind(outbox);
    outbox.get = (key) => {
      reads++;
      return get(key);
    };
    const summary = await sync({
      transport: createFhirTransport({ baseUrl: server.baseUrl }),
      outbox,
      entries: clinicEntries(4, 3),
      writeMode,
      batchSize: 5,
      retry: FAST_RETRY,
      provenance: false,
    });
    expect(summary).toMatchObject({ queued: 16, confirmed: 16, deadLettered: 0, pending: 0 });
    expect(reads).toBe(0);
  });

  it('withholds what the gate refuses: counted by reason, never queued', async () => {
    const outbox = createMemoryOutbox();
    const summary = await sync({
      transport: createFhirTransport({ baseUrl: server.baseUrl }),
      outbox,
      entries: [patientEntry(100), patientEntry(101), patientEntry(102)],
      withhold: (entry) => ((entry.resource as { identifier?: { value?: string }[] }).identifier?.[0]?.value === 'p-101' ? 'part2.no-consent' : undefined),
      provenance: false,
    });
    expect(summary).toMatchObject({ queued: 2, confirmed: 2, withheld: 1, withheldBy: { 'part2.no-consent': 1 }, provenance: [] });
    expect((await identifierCounts(server.baseUrl, 'Patient')).get('p-101')).toBeUndefined();
  });

  it('refuses to start over an unfinished run, and resumes it without reading the input again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerkit-sync-'));
    try {
      const outbox = await openFileOutbox(dir);
      const down = createFhirTransport({ baseUrl: 'http://127.0.0.1:9/fhir' });
      const first = await sync({ transport: down, outbox, entries: [patientEntry(200), patientEntry(201)], retry: { ...FAST_RETRY, maxAttempts: 2 } });
      expect(first).toMatchObject({ queued: 2, confirmed: 0, pending: 2, stopped: 'server-unavailable', finished: false });
      await outbox.close();

      const reopened = await openFileOutbox(dir);
      const transport = createFhirTransport({ baseUrl: server.baseUrl });
      await expect(sync({ transport, outbox: reopened, entries: [patientEntry(202)] })).rejects.toMatchObject({ code: 'sync.unfinished-run' });
      const resumed = await sync({
        transport,
        outbox: reopened,
        resume: true,
        entries: {
          [Symbol.iterator]() {
            throw new Error('the input of a fully queued run must not be read again');
          },
        },
      });
      expect(resumed).toMatchObject({ queued: 0, confirmed: 2, pending: 0, finished: true });
      expect(resumed.provenance).toHaveLength(1);
      await reopened.close();
      const counts = await identifierCounts(server.baseUrl, 'Patient');
      expect([counts.get('p-200'), counts.get('p-201')]).toEqual([1, 1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('re-reads the input when resuming a run whose queueing was cut short, skipping what is queued', async () => {
    const outbox = createMemoryOutbox();
    await outbox.add([{ key: `Patient?identifier=${encodeURIComponent(SYSTEM)}|p-300`, request: { method: 'PUT', url: `Patient?identifier=${encodeURIComponent(SYSTEM)}|p-300` }, resource: patientEntry(300).resource as never }]);
    const summary = await sync({
      transport: createFhirTransport({ baseUrl: server.baseUrl }),
      outbox,
      resume: true,
      entries: [patientEntry(300), patientEntry(301)],
      provenance: false,
    });
    expect(summary).toMatchObject({ queued: 1, confirmed: 2, finished: true });
  });

  it('writes Provenance for what landed when a run stops part-way, and for the rest when it is resumed: each resource named once', async () => {
    // Patient 702 cannot be written for now (the transport answers 503 for it without sending it);
    // its encounter waits for it. The rest lands.
    const entries = [patientEntry(700), encounterOf(700, 700), patientEntry(701), encounterOf(701, 701), patientEntry(702), encounterOf(702, 702)];
    const blocked = (entry: BundleEntry): boolean => /"(p|e)-702"/.test(JSON.stringify(entry.resource));
    const inner = createFhirTransport({ baseUrl: server.baseUrl });
    const flaky: FhirTransport = {
      ...inner,
      async transaction(bundle, options) {
        const all = bundle.entry ?? [];
        const sent = all.filter((e) => !blocked(e));
        const reply = sent.length === 0 ? undefined : await inner.transaction({ ...bundle, entry: sent }, options);
        if (reply !== undefined && (reply.kind !== 'response' || reply.status !== 200)) return reply;
        const answers = [...((reply?.body as Bundle | undefined)?.entry ?? [])];
        const entry = all.map((e) => (blocked(e) ? { response: { status: '503' } } : (answers.shift() ?? {})));
        return { kind: 'response', status: 200, headers: new Headers(), body: { resourceType: 'Bundle', type: 'transaction-response', entry } };
      },
    };
    const outbox = createMemoryOutbox();
    const author = { reference: 'Organization/clinic' };
    const first = await sync({ transport: flaky, outbox, entries, batchSize: 2, concurrency: 1, retry: { ...FAST_RETRY, maxAttempts: 2 }, provenance: { author } });
    expect(first).toMatchObject({ confirmed: 4, stopped: 'retries-exhausted', finished: false });
    expect(first.provenance).toHaveLength(1);
    const runId = outbox.runId ?? '';
    const landed = (await provenancesOf(runId)).flatMap((p) => p.target.map((t) => t.reference));
    expect(landed).toHaveLength(4);

    const second = await sync({ transport: inner, outbox, resume: true, entries, provenance: { author } });
    expect(second).toMatchObject({ confirmed: 2, pending: 0, finished: true });
    expect(second.provenance).toHaveLength(1);
    const all = (await provenancesOf(runId)).flatMap((p) => p.target.map((t) => t.reference ?? ''));
    expect(all).toHaveLength(6);
    expect(new Set(all).size).toBe(6);
    expect(all.slice(0, 4)).toEqual(landed);
  });

  it('queues the Provenance of a run aborted part-way and sends it with the resume', async () => {
    const entries = [patientEntry(710), patientEntry(711), patientEntry(712), patientEntry(713)];
    const controller = new AbortController();
    const inner = createFhirTransport({ baseUrl: server.baseUrl });
    let bundles = 0;
    const stopping: FhirTransport = {
      ...inner,
      async transaction(bundle, options) {
        const reply = await inner.transaction(bundle, options);
        if (++bundles === 1) controller.abort();
        return reply;
      },
    };
    const outbox = createMemoryOutbox();
    const first = await sync({ transport: stopping, outbox, entries, batchSize: 2, concurrency: 1, signal: controller.signal, retry: FAST_RETRY });
    expect(first).toMatchObject({ confirmed: 2, stopped: 'aborted', provenance: [] });
    const runId = outbox.runId ?? '';
    expect(outbox.pendingKeys().filter((key) => key.startsWith('Provenance?'))).toHaveLength(1);
    expect(await provenancesOf(runId)).toEqual([]);

    const second = await sync({ transport: inner, outbox, resume: true, entries });
    // The Provenance is the run's record, not data: the resume confirms the two patients left.
    expect(second).toMatchObject({ confirmed: 2, pending: 0, finished: true });
    expect(second.provenance).toHaveLength(2);
    const targets = (await provenancesOf(runId)).flatMap((p) => p.target.map((t) => t.reference ?? ''));
    expect(targets).toHaveLength(4);
    expect(new Set(targets).size).toBe(4);
  });

  it('reads how much of a run its Provenance covers from the outbox keys, and leaves that out', async () => {
    const key = (code: string): string => `Provenance?_tag=${encodeURIComponent(SYNC_RUN_TAG_SYSTEM)}|${encodeURIComponent(code)}`;
    const keys = [key('run-1-create-0-40'), key('run-1-create-40-45'), key('run-1-update-0-3'), key('run-2-create-0-99'), 'Patient?identifier=x|1', key('run-1-something')];
    expect(await provenanceCoverage(keys, 'run-1')).toEqual({ CREATE: 45, UPDATE: 3 });
    const confirmations = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, location: `Encounter/${i}`, created: i < 6 }));
    const parts = createRunProvenance({ runId: 'run-1', recorded: '2026-12-07T00:00:00Z', confirmations, covered: { CREATE: 4, UPDATE: 1 }, maxTargets: 2 });
    expect(parts.map((p) => [decodeURIComponent(p.key.split('|').at(-1) ?? ''), (p.resource as Provenance).target.map((t) => t.reference)])).toEqual([
      ['run-1-create-4-6', ['Encounter/4', 'Encounter/5']],
      ['run-1-update-1-3', ['Encounter/7', 'Encounter/8']],
      ['run-1-update-3-4', ['Encounter/9']],
    ]);
  });

  it('streams the same Provenance parts as createRunProvenance builds at once', async () => {
    const confirmations = Array.from({ length: 23 }, (_, i) => ({ key: `k${i}`, location: i === 5 ? 'Provenance/p' : `Encounter/${i}`, created: i % 3 !== 0 }));
    const options = { runId: 'run-1', recorded: '2026-11-23T00:00:00Z', maxTargets: 4 };
    const streamed = [];
    async function* slowly() {
      for (const c of confirmations) yield c;
    }
    for await (const entry of runProvenanceEntries({ ...options, confirmations: slowly() })) streamed.push(entry);
    const atOnce = createRunProvenance({ ...options, confirmations });
    const byKey = (list: typeof atOnce) => [...list].sort((a, b) => a.key.localeCompare(b.key));
    expect(byKey(streamed)).toEqual(byKey(atOnce));
    expect(atOnce.flatMap((e) => (e.resource as Provenance).target.map((t) => t.reference))).toHaveLength(22);
  });

  it('a long windowed run leaves nothing behind: entries waiting on each other (reference cycles) are all sent', async () => {
    // Pairs of entries that refer to each other: each pair can only travel together, so its entries
    // wait (parked) while the queue moves on far past them.
    const entries: BundleEntry[] = [];
    const urn = (n: number): string => `urn:uuid:00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
    for (let n = 0; n < 6000; n += 2) {
      for (const [self, other] of [[n, n + 1], [n + 1, n]] as const) {
        entries.push({
          fullUrl: urn(self),
          resource: { resourceType: 'Basic', code: { text: 'pair' }, identifier: [{ system: SYSTEM, value: `c-${self}` }], subject: { reference: urn(other) } } as Basic,
          request: { method: 'PUT', url: `Basic?identifier=${encodeURIComponent(SYSTEM)}|c-${self}` },
        });
      }
    }
    // A server that takes every entry (the engine, not the server, is under test here).
    let next = 0;
    const transport: FhirTransport = {
      baseUrl: 'http://fake.invalid/fhir',
      transaction(bundle: Bundle): Promise<FhirReply<Bundle>> {
        const entry = (bundle.entry ?? []).map(() => ({ response: { status: '201', location: `Basic/${++next}` } }));
        return Promise.resolve({ kind: 'response', status: 200, headers: new Headers(), body: { resourceType: 'Bundle', type: 'transaction-response', entry } });
      },
      get: () => Promise.resolve({ kind: 'response', status: 404, headers: new Headers(), body: undefined }),
    } as unknown as FhirTransport;
    const summary = await sync({ transport, outbox: createMemoryOutbox(), entries, batchSize: 40, concurrency: 2, queueChunk: 50, queueWindow: 300, provenance: false });
    expect(summary).toMatchObject({ queued: 6000, confirmed: 6000, deadLettered: 0, pending: 0, finished: true });
  });

  it('a window full of entries that keep failing does not stall the queue: the rest is sent, then the run stops', async () => {
    const entries: BundleEntry[] = Array.from({ length: 60 }, (_, n) => ({
      resource: { resourceType: 'Basic', code: { text: 'x' }, identifier: [{ system: SYSTEM, value: `${n < 25 ? 'bad' : 'ok'}-${n}` }] } as Basic,
      request: { method: 'PUT', url: `Basic?identifier=${encodeURIComponent(SYSTEM)}|${n < 25 ? 'bad' : 'ok'}-${n}` },
    }));
    let next = 0;
    const transport: FhirTransport = {
      baseUrl: 'http://fake.invalid/fhir',
      transaction(bundle: Bundle): Promise<FhirReply<Bundle>> {
        const entry = (bundle.entry ?? []).map((e) =>
          e.request?.url.includes('|bad-') === true ? { response: { status: '503' } } : { response: { status: '201', location: `Basic/${++next}` } },
        );
        return Promise.resolve({ kind: 'response', status: 200, headers: new Headers(), body: { resourceType: 'Bundle', type: 'transaction-response', entry } });
      },
      get: () => Promise.resolve({ kind: 'response', status: 200, headers: new Headers(), body: { resourceType: 'Bundle', type: 'searchset', entry: [] } }),
    } as unknown as FhirTransport;
    const summary = await sync({
      transport,
      outbox: createMemoryOutbox(),
      entries,
      batchSize: 5,
      queueChunk: 5,
      queueWindow: 10,
      retry: { ...FAST_RETRY, maxAttempts: 2 },
      provenance: false,
    });
    expect(summary).toMatchObject({ queued: 60, confirmed: 35, pending: 25, stopped: 'retries-exhausted', finished: false });
  });

  it('an input that fails mid-way: the error is thrown after the sends in flight settle, and a resume finishes', async () => {
    const entries = clinicEntries(6, 4);
    const outbox = createMemoryOutbox();
    async function* failing(): AsyncGenerator<BundleEntry> {
      yield* entries.slice(0, 12);
      throw new Error('the export could not be read');
    }
    const transport = createFhirTransport({ baseUrl: server.baseUrl });
    await expect(sync({ transport, outbox, entries: failing(), batchSize: 3, queueChunk: 4, retry: FAST_RETRY })).rejects.toThrow('the export could not be read');
    const settledAfterThrow = outbox.counts();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Nothing kept sending after the throw.
    expect(outbox.counts()).toEqual(settledAfterThrow);
    expect(outbox.complete).toBe(false);
    const resumed = await sync({ transport, outbox, entries, resume: true, retry: FAST_RETRY });
    expect(resumed).toMatchObject({ pending: 0, deadLettered: 0, finished: true });
    const counts = await identifierCounts(server.baseUrl, 'Encounter');
    for (let n = 0; n < 24; n++) expect(counts.get(`e-${n}`)).toBe(1);
  });

  it('a push that fails (not a server answer: an error thrown while sending) ends the sync with that error, never a hang', async () => {
    const entries = clinicEntries(2, 1);
    const transport = {
      baseUrl: 'http://fake.invalid/fhir',
      transaction: () => Promise.reject(new Error('disk full while sending')),
      get: () => Promise.reject(new Error('disk full while sending')),
    } as unknown as FhirTransport;
    await expect(
      sync({ transport, outbox: createMemoryOutbox(), entries, batchSize: 1, concurrency: 1, queueChunk: 1, queueWindow: 1, retry: FAST_RETRY, provenance: false }),
    ).rejects.toThrow('disk full while sending');
  });

  it('entries with conditional references to resources outside the sync are sent while the input is still queued', async () => {
    const base = clinicEntries(40, 0);
    let inputDone = false;
    let sentWhileQueueing = false;
    async function* input(): AsyncGenerator<BundleEntry> {
      for (const entry of base) {
        yield { ...entry, resource: { ...(entry.resource as Patient), generalPractitioner: [{ reference: 'Practitioner?identifier=https://npi.example|1' }] } as Patient };
      }
      inputDone = true;
    }
    let next = 0;
    const transport = {
      baseUrl: 'http://fake.invalid/fhir',
      transaction: (bundle: Bundle) =>
        Promise.resolve({
          kind: 'response',
          status: 200,
          headers: new Headers(),
          body: { resourceType: 'Bundle', type: 'transaction-response', entry: (bundle.entry ?? []).map(() => ({ response: { status: '201', location: `Patient/${++next}` } })) },
        }),
    } as unknown as FhirTransport;
    const summary = await sync({
      transport,
      outbox: createMemoryOutbox(),
      entries: input(),
      batchSize: 2,
      queueChunk: 2,
      queueWindow: 4,
      provenance: false,
      onEvent: (e) => {
        if (e.type === 'sent' && !inputDone) sentWhileQueueing = true;
      },
    });
    expect(summary).toMatchObject({ confirmed: 40, pending: 0 });
    expect(sentWhileQueueing).toBe(true);
  });
});
