import type { BundleEntry, Encounter, Resource } from 'fhir/r4';
import { afterEach, describe, expect, it } from 'vitest';
import { toOutboxEntry } from '../src/entries';
import type { SyncEvent } from '../src/events';
import { createMemoryOutbox, type Outbox } from '../src/outbox';
import { push, startFedPush, type PushOptions } from '../src/push';
import { createFhirTransport, type FhirReply, type FhirTransport, type RequestOptions } from '../src/transport';
import type { WriteMode, WritePlan } from '../src/write-mode';
import { startFaultProxy, type Fault, type FaultProxy } from './fault-proxy';
import { allOnServer, clinicEntries, encounterEntry, FAST_RETRY, fresh, identifierCounts, outboxWith, patientEntry, useEmbeddedServer } from './helpers';

const server = useEmbeddedServer();

const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
});

async function through(plan: (r: { n: number; method: string; path: string }) => Fault | undefined): Promise<FaultProxy> {
  const proxy = await startFaultProxy(server.baseUrl, plan);
  proxies.push(proxy);
  return proxy;
}

function run(baseUrl: string, outbox: Outbox, extra: Partial<PushOptions> = {}): ReturnType<typeof push> {
  return push({ transport: createFhirTransport({ baseUrl, timeoutMs: 2_000 }), outbox, retry: FAST_RETRY, ...extra });
}

/** Every expected identifier exactly once. */
async function expectExactlyOnce(entries: BundleEntry[]): Promise<void> {
  for (const type of ['Patient', 'Encounter']) {
    const counts = await identifierCounts(server.baseUrl, type);
    const expected = entries
      .filter((e) => e.resource?.resourceType === type)
      .map((e) => (e.resource as unknown as { identifier: { value: string }[] }).identifier[0]?.value ?? '');
    for (const value of expected) expect({ value, count: counts.get(value) ?? 0 }).toEqual({ value, count: 1 });
  }
}

describe('push', () => {
  it.each(['transaction', 'batch', 'single'] as const)('%s: sends every entry once, in Bundles of batchSize, and rewrites references across Bundles', async (mode) => {
    const entries = fresh(clinicEntries(6, 3));
    const outbox = await outboxWith(entries);
    const events: SyncEvent[] = [];
    const summary = await run(server.baseUrl, outbox, { writeMode: mode, batchSize: 5, concurrency: 3, onEvent: (e) => events.push(e) });
    expect(summary.plan).toEqual({ mode, reason: 'configured', batchSize: mode === 'single' ? 1 : 5, maxBundleBytes: 1024 * 1024, concurrency: 3 });
    expect(events[0]).toEqual({ type: 'planned', ...summary.plan });
    expect(events.every((e) => e.type !== 'sent' || e.via === mode)).toBe(true);
    expect(summary).toMatchObject({ sent: 24, confirmed: 24, deadLettered: 0, pending: 0, retried: 0 });
    expect(summary.stopped).toBeUndefined();
    expect(outbox.counts()).toEqual({ pending: 0, confirmed: 24, deadLettered: 0 });
    await expectExactlyOnce(entries);
    // Every encounter points at its patient's id on the server, whatever Bundle each travelled in.
    const patients = new Map((await allOnServer(server.baseUrl, 'Patient')).map((p) => [p.id, p.identifier?.[0]?.value]));
    const encounters = (await allOnServer(server.baseUrl, 'Encounter')).filter((e) => entries.some((x) => (x.resource as Encounter).identifier?.[0]?.value === e.identifier?.[0]?.value));
    expect(encounters).toHaveLength(18);
    for (const encounter of encounters) {
      const patientId = encounter.subject?.reference?.replace('Patient/', '') ?? '';
      expect(patients.has(patientId)).toBe(true);
    }
    const sent = events.filter((e) => e.type === 'sent');
    expect(sent.every((e) => e.type === 'sent' && e.entries <= 5)).toBe(true);
    expect(events.filter((e) => e.type === 'confirmed').reduce((n, e) => n + (e.type === 'confirmed' ? e.count : 0), 0)).toBe(24);
  });

  it('sends nothing again when pushed a second time (conditional writes) and creates nothing new', async () => {
    const entries = fresh(clinicEntries(3, 2));
    await run(server.baseUrl, await outboxWith(entries));
    const second = await run(server.baseUrl, await outboxWith(entries));
    expect(second.confirmed).toBe(9);
    await expectExactlyOnce(entries);
  });

  it('dead-letters an entry the server refuses with its per-entry OperationOutcome; the others are confirmed', async () => {
    const entries = fresh([patientEntry(0), patientEntry(1, { birthDate: 'not-a-date' }), patientEntry(2)]);
    const outbox = await outboxWith(entries);
    const events: SyncEvent[] = [];
    const summary = await run(server.baseUrl, outbox, { onEvent: (e) => events.push(e) });
    expect(summary).toMatchObject({ confirmed: 2, deadLettered: 1, pending: 0 });
    const [letter] = await outbox.deadLetters();
    expect(letter?.status).toBe(400);
    expect(letter?.entry.resource?.resourceType).toBe('Patient');
    expect(letter?.outcome.issue.some((i) => i.expression?.includes('Patient.birthDate'))).toBe(true);
    expect(events).toContainEqual({ type: 'dead-lettered', count: 1, status: 400, code: 'structure' });
  });

  it('dead-letters entries that refer to a refused entry once it is refused (in a later Bundle)', async () => {
    const entries = fresh([patientEntry(0, { birthDate: 'bad' }), encounterEntry(0, 0), encounterEntry(1, 0)]);
    const outbox = await outboxWith(entries);
    const summary = await run(server.baseUrl, outbox, { batchSize: 1 });
    expect(summary).toMatchObject({ confirmed: 0, deadLettered: 3, pending: 0 });
    const letters = await outbox.deadLetters();
    expect(letters.map((l) => l.status)).toEqual([400, 0, 0]);
    expect(letters[1]?.outcome.issue[0]?.code).toBe('processing');
  });

  it('sends entries that refer to each other (a cycle) together, with batchSize 1', async () => {
    const [a, b] = fresh([encounterEntry(0, 0), encounterEntry(1, 0)]) as [BundleEntry, BundleEntry];
    (a.resource as Encounter).subject = { reference: 'Patient/someone' };
    (b.resource as Encounter).subject = { reference: 'Patient/someone' };
    (a.resource as Encounter).partOf = { reference: b.fullUrl ?? '' };
    (b.resource as Encounter).partOf = { reference: a.fullUrl ?? '' };
    const outbox = await outboxWith([a, b]);
    const summary = await run(server.baseUrl, outbox, { batchSize: 1 });
    expect(summary).toMatchObject({ confirmed: 2, pending: 0 });
    const where = (fullUrl: string | undefined): string | undefined => {
      const found = outbox.resolve(fullUrl ?? '');
      return found?.state === 'confirmed' ? found.location : undefined;
    };
    const [la, lb] = [where(a.fullUrl), where(b.fullUrl)];
    const stored = (await (await fetch(`${server.baseUrl}/${la}`)).json()) as Encounter;
    expect(stored.partOf?.reference).toBe(lb);
  });

  it('sends every entry exactly once when many cycles wait at the end and confirming is slow', async () => {
    // Triples of encounters: A and B refer to each other, C refers to A. A and B can only travel
    // together; C must wait for them, never join them while they are in flight. A slow outbox (like
    // fsync on a busy disk) keeps Bundles in flight longer.
    const patients = fresh(Array.from({ length: 18 }, (_, i) => patientEntry(i)));
    const triples = fresh(Array.from({ length: 36 }, (_, i) => encounterEntry(i, 0)));
    for (let i = 0; i < triples.length; i += 3) {
      const [a, b, c] = [triples[i] as BundleEntry, triples[i + 1] as BundleEntry, triples[i + 2] as BundleEntry];
      for (const e of [a, b, c]) (e.resource as Encounter).subject = { reference: 'Patient/someone' };
      (a.resource as Encounter).partOf = { reference: b.fullUrl ?? '' };
      (b.resource as Encounter).partOf = { reference: a.fullUrl ?? '' };
      (c.resource as Encounter).partOf = { reference: a.fullUrl ?? '' };
    }
    const memory = await outboxWith([...triples, ...patients]);
    const slow: Outbox = {
      ...memory,
      get runId() {
        return memory.runId;
      },
      get complete() {
        return memory.complete;
      },
      confirm: async (list) => {
        await new Promise((resolve) => setTimeout(resolve, 15));
        await memory.confirm(list);
      },
    };
    const sentKeys: string[] = [];
    const inner = createFhirTransport({ baseUrl: server.baseUrl });
    const transport = {
      ...inner,
      transaction: (bundle: Parameters<typeof inner.transaction>[0], options?: Parameters<typeof inner.transaction>[1]) => {
        for (const e of bundle.entry ?? []) sentKeys.push(e.fullUrl ?? '');
        return inner.transaction(bundle, options);
      },
    };
    const summary = await push({ transport, outbox: slow, batchSize: 4, concurrency: 4, retry: FAST_RETRY });
    expect(summary).toMatchObject({ sent: 54, confirmed: 54, pending: 0, deadLettered: 0 });
    expect(sentKeys).toHaveLength(54);
    expect(new Set(sentKeys).size).toBe(54);
  });

  it('dead-letters an entry that refers to a urn:uuid no entry has', async () => {
    const entries = fresh([encounterEntry(0, 99)]);
    const outbox = await outboxWith(entries);
    const summary = await run(server.baseUrl, outbox);
    expect(summary).toMatchObject({ deadLettered: 1, sent: 0 });
    expect((await outbox.deadLetters())[0]?.outcome.issue[0]?.code).toBe('not-found');
  });
  it('a fed push waits for a reference still to be queued, and dead-letters it only once input is closed', async () => {
    const [patient, encounter, orphan] = fresh([patientEntry(0), encounterEntry(0, 0), encounterEntry(1, 5)]) as [BundleEntry, BundleEntry, BundleEntry];
    const outbox = createMemoryOutbox();
    const engine = startFedPush({ transport: createFhirTransport({ baseUrl: server.baseUrl }), outbox, retry: FAST_RETRY });
    const queue = async (entry: BundleEntry): Promise<void> => {
      const item = toOutboxEntry(entry);
      await outbox.add([item]);
      engine.enqueue([item]);
    };
    await queue(encounter);
    await queue(orphan);
    // Give the push every chance to act on the entries whose patient is not queued yet: it must wait.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(outbox.counts()).toEqual({ pending: 2, confirmed: 0, deadLettered: 0 });
    await queue(patient);
    engine.closeInput();
    const summary = await engine.result;
    expect(summary).toMatchObject({ confirmed: 2, deadLettered: 1, pending: 0 });
    const [letter] = await outbox.deadLetters();
    expect(letter?.entry.key).toBe(toOutboxEntry(orphan).key);
  });
});

/** The time limit of the slow-reply fault, and how long its reply is held (after the server answered). */
const SLOW_LIMIT_MS = 1000;
const SLOW_REPLY_MS = 2500;

/** Every write mode: each fault path below runs in each. */
const MODES: readonly WriteMode[] = ['transaction', 'batch', 'single'];

/** True for a request that writes (a Bundle, or a single write), not a search. */
const writes = (method: string): boolean => method !== 'GET';

describe('push under injected faults', () => {
  const FAULTS: [string, (n: number) => Fault | undefined, 'retried' | 'reconciled'][] = [
    ['429 with Retry-After in seconds', (n) => (n === 1 ? { kind: 'status', status: 429, headers: { 'retry-after': '0' } } : undefined), 'retried'],
    [
      '503 with Retry-After as an HTTP-date',
      (n) => (n === 2 ? { kind: 'status', status: 503, headers: { 'retry-after': new Date(Date.now() - 1000).toUTCString() } } : undefined),
      'retried',
    ],
    ['429 with a RateLimit reset', (n) => (n === 1 ? { kind: 'status', status: 429, headers: { ratelimit: '"default";r=0;t=0' } } : undefined), 'retried'],
    ['a connection dropped before the server sees the request', (n) => (n <= 2 ? { kind: 'drop-before' } : undefined), 'retried'],
    ['a connection dropped after the server committed', (n) => (n === 1 || n === 3 ? { kind: 'drop-after' } : undefined), 'reconciled'],
    ['a 500 after the server committed', (n) => (n === 2 ? { kind: 'status-after', status: 500 } : undefined), 'reconciled'],
    ['a 502 after the server committed', (n) => (n === 1 ? { kind: 'status-after', status: 502 } : undefined), 'reconciled'],
    ['a response slower than the time limit', (n) => (n === 1 ? { kind: 'delay', ms: SLOW_REPLY_MS } : undefined), 'reconciled'],
  ];
  // The time limit only matters for the slow reply: every other fault must not race it. A loaded CI
  // machine can take a few hundred ms to forward and commit a write, and a limit that fires before the
  // server has committed turns "found by a search" into "sent again" (still exactly once, but not the
  // path under test). The slow reply is held well past its limit, after the server has answered.
  const timeoutOf = (name: string): number => (name === 'a response slower than the time limit' ? SLOW_LIMIT_MS : 10_000);
  it.each(MODES.flatMap((mode) => FAULTS.map(([name, fault, noticed]) => [mode, name, fault, noticed] as const)))('%s: delivers every resource exactly once through %s', async (mode, name, fault, noticed) => {
    const entries = fresh(clinicEntries(4, 3));
    const proxy = await through(({ n, method }) => (writes(method) ? fault(n) : undefined));
    const outbox = await outboxWith(entries);
    const events: SyncEvent[] = [];
    const timeoutMs = timeoutOf(name);
    const summary = await push({
      transport: createFhirTransport({ baseUrl: proxy.baseUrl, timeoutMs }),
      outbox,
      writeMode: mode,
      batchSize: 4,
      concurrency: 2,
      retry: { ...FAST_RETRY, timeoutMs },
      onEvent: (e) => events.push(e),
    });
    expect(summary).toMatchObject({ confirmed: 16, deadLettered: 0, pending: 0 });
    // A failure before the server saw the Bundle is retried; one after it committed is found by a search.
    expect(summary[noticed]).toBeGreaterThan(0);
    expect(events.some((e) => e.type === noticed)).toBe(true);
    expect(events.every((e) => e.type !== 'sent' || e.via === mode)).toBe(true);
    await expectExactlyOnce(entries);
  });

  it.each<[WriteMode, string[], number]>([
    ['transaction', ['POST', 'GET'], 2],
    ['batch', ['POST', 'GET'], 2],
    // One request each: the first is dropped after the server created it (and found), then the second.
    ['single', ['POST', 'GET', 'POST'], 1],
  ])('%s: searches by identifier before resending after a drop, and confirms what the server already created', async (mode, methods, found) => {
    // Conditional creates only, so a resend could not hide a duplicate: the search must find them.
    const entries = fresh([encounterEntry(0, 0), encounterEntry(1, 0)].map((e) => ({ ...e, resource: { ...(e.resource as Encounter), subject: { reference: 'Patient/someone' } } })));
    const proxy = await through(({ n }) => (n === 1 ? { kind: 'drop-after' } : undefined));
    const outbox = await outboxWith(entries);
    const events: SyncEvent[] = [];
    const summary = await run(proxy.baseUrl, outbox, { writeMode: mode, concurrency: 1, onEvent: (e) => events.push(e) });
    expect(summary).toMatchObject({ confirmed: 2, reconciled: found, retried: 0, pending: 0 });
    expect(proxy.requests.map((r) => r.method)).toEqual(methods);
    expect(events).toContainEqual({ type: 'reconciled', checked: found, found });
    await expectExactlyOnce(entries);
  });

  it('does not duplicate plain (unconditional) creates after a drop: the search finds them by identifier', async () => {
    const entries = fresh([encounterEntry(0, 0), encounterEntry(1, 0), encounterEntry(2, 0)]).map((e): BundleEntry => {
      const { fullUrl: _fullUrl, ...rest } = e;
      return { ...rest, resource: { ...(e.resource as Encounter), subject: { reference: 'Patient/someone' } } as Encounter, request: { method: 'POST', url: 'Encounter' } };
    });
    const proxy = await through(({ n, method }) => (method === 'POST' && n <= 2 ? { kind: 'drop-after' } : undefined));
    const outbox = await outboxWith(entries);
    const summary = await run(proxy.baseUrl, outbox);
    expect(summary).toMatchObject({ confirmed: 3, reconciled: 3, pending: 0 });
    await expectExactlyOnce(entries);
  });

  it.each(['transaction', 'batch'] as const)('%s: after a partial failure (one entry 503 in the response), searches before retrying that entry only', async (mode) => {
    const entries = fresh([encounterEntry(0, 0), encounterEntry(1, 0), encounterEntry(2, 0)].map((e) => ({ ...e, resource: { ...(e.resource as Encounter), subject: { reference: 'Patient/someone' } } })));
    const proxy = await through(({ n }) =>
      n === 1
        ? {
            kind: 'rewrite',
            rewrite: (body) => {
              const bundle = body as { entry: { response: { status: string } }[] };
              if (bundle.entry[1]) bundle.entry[1].response = { status: '503' };
              return bundle;
            },
          }
        : undefined,
    );
    const outbox = await outboxWith(entries);
    const summary = await run(proxy.baseUrl, outbox, { writeMode: mode });
    expect(summary).toMatchObject({ confirmed: 3, reconciled: 1, pending: 0 });
    expect(proxy.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
    await expectExactlyOnce(entries);
  });

  it.each(MODES)('%s: splits a Bundle an atomic server refuses whole, until the refused entry is alone (a single request is refused alone)', async (mode) => {
    // An atomic server: any invalid entry fails the whole transaction with 400.
    const entries = fresh([patientEntry(0), patientEntry(1), patientEntry(2, { birthDate: 'bad' }), patientEntry(3)]);
    // Emulate atomicity: refuse any Bundle that carries the invalid entry, before the server sees it.
    const gate = await startFaultProxyWithBody(server.baseUrl, (body) =>
      body.includes('"birthDate":"bad"')
        ? { kind: 'status', status: 400, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'structure', details: { text: 'Invalid date format' }, expression: ['Bundle.entry[2].resource.birthDate'] }] } }
        : undefined,
    );
    proxies.push(gate);
    const outbox = await outboxWith(entries);
    const summary = await run(gate.baseUrl, outbox, { writeMode: mode, batchSize: 4, concurrency: 1 });
    expect(summary).toMatchObject({ confirmed: 3, deadLettered: 1, pending: 0 });
    const [letter] = await outbox.deadLetters();
    expect(letter?.status).toBe(400);
    expect((letter?.entry.resource as { birthDate?: string }).birthDate).toBe('bad');
    expect(letter?.outcome.issue[0]?.code).toBe('structure');
    await expectExactlyOnce(entries.filter((e) => !JSON.stringify(e).includes('"bad"')));
  });

  it.each(MODES)('%s: stops with server-unavailable after maxAttempts, keeping every entry for resume', async (mode) => {
    const entries = fresh(clinicEntries(2, 1));
    const proxy = await through(() => ({ kind: 'status', status: 503 }));
    const outbox = await outboxWith(entries);
    const events: SyncEvent[] = [];
    const summary = await run(proxy.baseUrl, outbox, { writeMode: mode, concurrency: 1, retry: { ...FAST_RETRY, maxAttempts: 3 }, onEvent: (e) => events.push(e) });
    expect(summary).toMatchObject({ confirmed: 0, pending: 4, stopped: 'server-unavailable' });
    expect(proxy.requests.filter((r) => writes(r.method))).toHaveLength(3);
    expect(events.at(-1)).toEqual({ type: 'stopped', reason: 'server-unavailable', pending: 4 });
    // The server comes back: the same outbox finishes the job.
    const resumed = await run(server.baseUrl, outbox, { writeMode: mode });
    expect(resumed).toMatchObject({ confirmed: 4, pending: 0 });
    await expectExactlyOnce(entries);
  });

  it.each(MODES)('%s: stops with rate-limited when the server asks for a longer pause than allowed', async (mode) => {
    const proxy = await through(() => ({ kind: 'status', status: 429, headers: { 'retry-after': '3600' } }));
    const outbox = await outboxWith(fresh([patientEntry(0)]));
    const summary = await run(proxy.baseUrl, outbox, { writeMode: mode, retry: { ...FAST_RETRY, maxServerDelayMs: 1000 } });
    expect(summary).toMatchObject({ pending: 1, stopped: 'rate-limited' });
  });

  it('pauses every request when a response says the rate limit is used up', async () => {
    const proxy = await through(({ n }) => (n === 1 ? { kind: 'rewrite', rewrite: (b) => b, headers: { ratelimit: 'limit=10, remaining=0, reset=0' } } : undefined));
    const outbox = await outboxWith(fresh(clinicEntries(2, 1)));
    const events: SyncEvent[] = [];
    await run(proxy.baseUrl, outbox, { batchSize: 2, onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'paused')).toHaveLength(0);
    const proxy2 = await through(({ n }) => (n === 1 ? { kind: 'rewrite', rewrite: (b) => b, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' } } : undefined));
    const events2: SyncEvent[] = [];
    const summary = await run(proxy2.baseUrl, await outboxWith(fresh(clinicEntries(2, 1))), { batchSize: 2, concurrency: 1, onEvent: (e) => events2.push(e) });
    expect(events2).toContainEqual({ type: 'paused', delayMs: 1000 });
    expect(summary.pending).toBe(0);
  });

  it.each(MODES)('%s: stops with unauthorized on 401 and keeps the entries', async (mode) => {
    const proxy = await through(() => ({ kind: 'status', status: 401 }));
    const outbox = await outboxWith(fresh([patientEntry(0)]));
    const summary = await run(proxy.baseUrl, outbox, { writeMode: mode });
    expect(summary).toMatchObject({ pending: 1, stopped: 'unauthorized', deadLettered: 0 });
  });

  it.each(MODES)('%s: stops with aborted when the signal fires, keeping unconfirmed entries', async (mode) => {
    const controller = new AbortController();
    const proxy = await through(({ n }) => {
      if (n === 2) controller.abort();
      return n >= 2 ? { kind: 'delay', ms: 200 } : undefined;
    });
    const entries = fresh(clinicEntries(4, 1));
    const outbox = await outboxWith(entries);
    const summary = await run(proxy.baseUrl, outbox, { writeMode: mode, batchSize: 2, concurrency: 1, signal: controller.signal });
    expect(summary.stopped).toBe('aborted');
    expect(summary.pending).toBeGreaterThan(0);
    expect(summary.confirmed + summary.pending).toBe(8);
    const resumed = await run(server.baseUrl, outbox, { writeMode: mode });
    expect(resumed.pending).toBe(0);
    await expectExactlyOnce(entries);
  });
});

type Statement = { rest: { interaction?: { code: string }[] }[]; software?: { name: string } };

describe('push write modes', () => {
  it.each<[string, Fault | undefined, Partial<PushOptions>, Partial<WritePlan>]>([
    ['the embedded server (transaction, batch)', undefined, {}, { mode: 'transaction', reason: 'server-transaction', server: 'peerkit-embedded', batchSize: 100 }],
    [
      'a server with batch only',
      { kind: 'rewrite', rewrite: (b) => ({ ...(b as Statement), rest: [{ ...(b as Statement).rest[0], interaction: [{ code: 'batch' }] }] }) },
      {},
      { mode: 'batch', reason: 'server-batch' },
    ],
    [
      'a server with neither',
      { kind: 'rewrite', rewrite: (b) => ({ ...(b as Statement), rest: [{ ...(b as Statement).rest[0], interaction: [] }] }) },
      {},
      { mode: 'single', reason: 'server-neither', batchSize: 1, concurrency: 16 },
    ],
    ['a server without a CapabilityStatement', { kind: 'status', status: 404 }, {}, { mode: 'transaction', reason: 'no-capability-statement' }],
    [
      'AWS HealthLake (160 entries per Bundle)',
      { kind: 'rewrite', rewrite: (b) => ({ ...(b as Statement), software: { name: 'AWS HealthLake' } }) },
      { batchSize: 500 },
      { mode: 'transaction', server: 'aws-healthlake', batchSize: 160 },
    ],
    [
      'Google Cloud Healthcare (50 MB Bundles) asked for more',
      { kind: 'rewrite', rewrite: (b) => ({ ...(b as Statement), software: { name: 'Cloud Healthcare API' } }) },
      { maxBundleBytes: 80_000_000 },
      { server: 'google-cloud-healthcare', maxBundleBytes: 50_000_000 },
    ],
  ])('auto: reads the CapabilityStatement of %s and writes exactly once', async (_, metadata, extra, expected) => {
    const entries = fresh(clinicEntries(3, 2));
    const proxy = await through(({ path }) => (path.endsWith('/metadata') ? metadata : undefined));
    const outbox = await outboxWith(entries);
    const summary = await run(proxy.baseUrl, outbox, { writeMode: 'auto', ...extra });
    expect(summary.plan).toMatchObject(expected);
    expect(summary).toMatchObject({ confirmed: 9, pending: 0, deadLettered: 0 });
    expect(proxy.requests[0]?.path).toMatch(/\/metadata$/);
    await expectExactlyOnce(entries);
  });

  it.each(['batch', 'single'] as const)('%s: sends entries that refer to each other (a cycle) together in a transaction', async (mode) => {
    const [a, b] = fresh([encounterEntry(0, 0), encounterEntry(1, 0)]) as [BundleEntry, BundleEntry];
    for (const [from, to] of [[a, b], [b, a]] as const) {
      (from.resource as Encounter).subject = { reference: 'Patient/someone' };
      (from.resource as Encounter).partOf = { reference: to.fullUrl ?? '' };
    }
    const outbox = await outboxWith([a, b]);
    const events: SyncEvent[] = [];
    const summary = await run(server.baseUrl, outbox, { writeMode: mode, onEvent: (e) => events.push(e) });
    expect(summary).toMatchObject({ confirmed: 2, pending: 0 });
    expect(events.filter((e) => e.type === 'sent')).toEqual([{ type: 'sent', entries: 2, attempt: 1, via: 'transaction' }]);
  });

  it('single: asks for return=minimal, and once a 2xx says nowhere where the resource is, finds it by a search and asks for it after', async () => {
    const entries = fresh(clinicEntries(2, 2));
    const outbox = await outboxWith(entries);
    // Written once already: the second push's conditional updates match (200, no Location).
    await run(server.baseUrl, await outboxWith(entries), { writeMode: 'single' });
    const inner = createFhirTransport({ baseUrl: server.baseUrl, timeoutMs: 2_000 });
    const prefers: (string | undefined)[] = [];
    const transport: FhirTransport = {
      ...inner,
      async request<T extends Resource = Resource>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: Resource, options?: RequestOptions): Promise<FhirReply<T>> {
        if (method !== 'GET') prefers.push(options?.headers?.prefer);
        const reply = await inner.request<T>(method, url, body, options);
        if (reply.kind !== 'response' || reply.status !== 200 || method === 'GET') return reply;
        // A server that names no location on an update, and honours return=minimal.
        const headers = new Headers(reply.headers);
        headers.delete('location');
        headers.delete('content-location');
        return { ...reply, headers, body: options?.headers?.prefer === 'return=minimal' ? undefined : reply.body };
      },
    };
    const summary = await push({ transport, outbox, retry: FAST_RETRY, writeMode: 'single', concurrency: 1 });
    expect(summary).toMatchObject({ confirmed: 6, deadLettered: 0, pending: 0 });
    // Only the first entry had to be looked for: the others' answers carried the resource.
    expect(summary.reconciled).toBe(1);
    expect(prefers[0]).toBe('return=minimal');
    expect(prefers.slice(1).every((p) => p === undefined)).toBe(true);
    await expectExactlyOnce(entries);
  });

  it('dead-letters a cycle a server refuses whole (it cannot travel in parts)', async () => {
    const [a, b] = fresh([encounterEntry(0, 0), encounterEntry(1, 0)]) as [BundleEntry, BundleEntry];
    for (const [from, to] of [[a, b], [b, a]] as const) {
      (from.resource as Encounter).subject = { reference: 'Patient/someone' };
      (from.resource as Encounter).partOf = { reference: to.fullUrl ?? '' };
    }
    const refuse = await through(({ method }) => (writes(method) ? { kind: 'status', status: 400 } : undefined));
    const outbox = await outboxWith([a, b]);
    const summary = await run(refuse.baseUrl, outbox, { writeMode: 'batch' });
    expect(summary).toMatchObject({ confirmed: 0, deadLettered: 2, pending: 0 });
    expect(refuse.requests.filter((r) => writes(r.method))).toHaveLength(1);
  });

  it.each(MODES.filter((m) => m !== 'single'))('%s: keeps every Bundle within maxBundleBytes, and sends a larger entry alone', async (mode) => {
    const entries = fresh(clinicEntries(6, 3));
    const sizes: number[][] = [];
    const inner = createFhirTransport({ baseUrl: server.baseUrl });
    const transport = {
      ...inner,
      transaction: (bundle: Parameters<typeof inner.transaction>[0], options?: Parameters<typeof inner.transaction>[1]) => {
        sizes.push([Buffer.byteLength(JSON.stringify(bundle)), bundle.entry?.length ?? 0]);
        return inner.transaction(bundle, options);
      },
    };
    const summary = await push({ transport, outbox: await outboxWith(entries), writeMode: mode, batchSize: 50, maxBundleBytes: 2_000, retry: FAST_RETRY });
    expect(summary).toMatchObject({ confirmed: 24, pending: 0, deadLettered: 0 });
    expect(sizes.every(([bytes, count]) => (bytes ?? 0) <= 2_000 || count === 1)).toBe(true);
    expect(sizes.some(([, count]) => (count ?? 0) > 1)).toBe(true);
    await expectExactlyOnce(entries);

    const tiny: number[][] = [];
    sizes.length = 0;
    const again = fresh(clinicEntries(2, 1));
    await push({ transport, outbox: await outboxWith(again), writeMode: mode, maxBundleBytes: 100, retry: FAST_RETRY });
    tiny.push(...sizes);
    expect(tiny.every(([, count]) => count === 1)).toBe(true);
    await expectExactlyOnce(again);
  });

  it.each(MODES)('%s: resolves conditional references to resources outside the sync (looked up once), and refuses one that matches nothing', async (mode) => {
    const [outside, missing] = fresh([patientEntry(0), patientEntry(1)]) as [BundleEntry, BundleEntry];
    await fetch(`${server.baseUrl}/Patient`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(outside.resource) });
    const refer = (n: number, to: BundleEntry): BundleEntry => {
      const [entry] = fresh([encounterEntry(n, 0)]) as [BundleEntry];
      (entry.resource as Encounter).subject = { reference: to.request?.url ?? '' };
      return entry;
    };
    const entries = [refer(0, outside), refer(1, outside), refer(2, missing)];
    const proxy = await through(() => undefined);
    const outbox = await outboxWith(entries);
    const summary = await run(proxy.baseUrl, outbox, { writeMode: mode, concurrency: 1 });
    expect(summary).toMatchObject({ confirmed: 2, deadLettered: 1, pending: 0 });
    const [letter] = await outbox.deadLetters();
    expect(letter?.entry.key).toBe(toOutboxEntry(entries[2] as BundleEntry).key);
    const stored = (await allOnServer(server.baseUrl, 'Encounter')).filter((e) => entries.some((x) => (x.resource as Encounter).identifier?.[0]?.value === e.identifier?.[0]?.value));
    const patientId = (await allOnServer(server.baseUrl, 'Patient')).find((p) => p.identifier?.[0]?.value === (outside.resource as unknown as { identifier: { value: string }[] }).identifier[0]?.value)?.id;
    expect(stored.map((e) => e.subject?.reference)).toEqual([`Patient/${patientId ?? ''}`, `Patient/${patientId ?? ''}`]);
    if (mode !== 'transaction') {
      // Looked up once per reference, not once per entry.
      expect(proxy.requests.filter((r) => r.method === 'GET' && r.path.includes('Patient?'))).toHaveLength(2);
    }
  });

  it('refuses an unknown write mode and a Bundle size below 1', async () => {
    const outbox = createMemoryOutbox();
    const transport = createFhirTransport({ baseUrl: server.baseUrl });
    await expect(push({ transport, outbox, writeMode: 'bulk' as WriteMode })).rejects.toMatchObject({ code: 'sync.invalid-option', message: expect.stringMatching(/writeMode/) });
    await expect(push({ transport, outbox, maxBundleBytes: 0 })).rejects.toMatchObject({ code: 'sync.invalid-option', message: expect.stringMatching(/maxBundleBytes/) });
  });
});

/** A proxy whose plan sees the request body (to emulate an atomic server's refusals). */
async function startFaultProxyWithBody(target: string, plan: (body: string) => Fault | undefined): Promise<FaultProxy> {
  const { createServer } = await import('node:http');
  const inner = await startFaultProxy(target, () => undefined);
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      const fault = plan(body.toString('utf8'));
      if (fault?.kind === 'status') {
        const text = JSON.stringify(fault.body);
        res.writeHead(fault.status, { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      const upstream = await fetch(`${new URL(inner.baseUrl).origin}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers: { 'content-type': 'application/fhir+json' },
        ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
      });
      const text = Buffer.from(await upstream.arrayBuffer());
      res.writeHead(upstream.status, { 'content-type': 'application/fhir+json', 'content-length': text.length });
      res.end(text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}/fhir`,
    requests: inner.requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inner.close();
    },
  };
}
