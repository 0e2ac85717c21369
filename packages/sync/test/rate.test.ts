import type { BundleEntry } from 'fhir/r4';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncEvent } from '../src/events';
import { push } from '../src/push';
import { createFhirTransport } from '../src/transport';
import type { WriteMode } from '../src/write-mode';
import { startFaultProxy, startQuotaProxy, type FaultProxy } from './fault-proxy';
import { clinicEntries, FAST_RETRY, fresh, identifierCounts, outboxWith, useEmbeddedServer } from './helpers';

const server = useEmbeddedServer();
const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
});

async function expectExactlyOnce(entries: BundleEntry[]): Promise<void> {
  const counts = new Map([...(await identifierCounts(server.baseUrl, 'Patient')), ...(await identifierCounts(server.baseUrl, 'Encounter'))]);
  for (const entry of entries) {
    const value = (entry.resource as unknown as { identifier: { value: string }[] }).identifier[0]?.value ?? '';
    expect({ value, count: counts.get(value) }).toEqual({ value, count: 1 });
  }
}

describe('push rate budget', () => {
  it.each<['ietf' | 'x', WriteMode]>([
    ['ietf', 'transaction'],
    ['x', 'transaction'],
    ['ietf', 'single'],
  ])('follows a quota the server announces (%s headers, %s): slows down before it runs out, never a 429', async (style, writeMode) => {
    const proxy = await startQuotaProxy(server.baseUrl, { quota: 4, windowMs: 2_000, style });
    proxies.push(proxy);
    const entries = fresh(clinicEntries(4, 1));
    const events: SyncEvent[] = [];
    const summary = await push({
      transport: createFhirTransport({ baseUrl: proxy.baseUrl }),
      outbox: await outboxWith(entries),
      writeMode,
      batchSize: 1,
      concurrency: 1,
      retry: FAST_RETRY,
      onEvent: (e) => events.push(e),
    });
    expect(summary).toMatchObject({ confirmed: 8, pending: 0, deadLettered: 0 });
    expect(proxy.throttled).toBe(0);
    expect(summary.rate.throttled).toBe(0);
    // It slowed down: requests spaced out over the window, or held until its reset.
    expect(summary.rate.pacedMs > 0 || events.some((e) => e.type === 'paused')).toBe(true);
    expect(summary.rate.writesPerSecond).toBeGreaterThan(0);
    expect(summary.rate.elapsedMs).toBeGreaterThan(0);
    await expectExactlyOnce(entries);
  }, 60_000);

  it.each<WriteMode>(['transaction', 'batch', 'single'])('%s: a 429 with Retry-After pauses every request, is counted, and nothing is written twice', async (writeMode) => {
    const proxy = await startFaultProxy(server.baseUrl, ({ n, method }) => (method !== 'GET' && n === 2 ? { kind: 'status', status: 429, headers: { 'retry-after': '1' } } : undefined));
    proxies.push(proxy);
    const entries = fresh(clinicEntries(3, 1));
    const events: SyncEvent[] = [];
    const summary = await push({
      transport: createFhirTransport({ baseUrl: proxy.baseUrl }),
      outbox: await outboxWith(entries),
      writeMode,
      batchSize: 2,
      concurrency: 1,
      retry: FAST_RETRY,
      onEvent: (e) => events.push(e),
    });
    expect(summary).toMatchObject({ confirmed: 6, pending: 0 });
    expect(summary.rate.throttled).toBe(1);
    expect(summary.rate.pausedMs).toBeGreaterThan(0);
    expect(events).toContainEqual({ type: 'paused', delayMs: 1_000, status: 429 });
    await expectExactlyOnce(entries);
  }, 60_000);

  it('paces below a configured writes per second, and reports the cap and the effective rate', async () => {
    const entries = fresh(clinicEntries(5, 1));
    const summary = await push({
      transport: createFhirTransport({ baseUrl: server.baseUrl }),
      outbox: await outboxWith(entries),
      batchSize: 5,
      concurrency: 2,
      rate: { writesPerSecond: 5, burst: 5 },
      retry: FAST_RETRY,
    });
    expect(summary).toMatchObject({ confirmed: 10, pending: 0 });
    expect(summary.plan.writesPerSecond).toBe(5);
    // The second Bundle of five had to wait for the first one's writes.
    expect(summary.rate.pacedMs).toBeGreaterThan(0);
    expect(summary.rate.writesPerSecond).toBeGreaterThan(0);
    await expectExactlyOnce(entries);
  }, 60_000);

  it('takes the request rate AWS HealthLake documents under auto, unless the caller sets one', async () => {
    const healthlake = (b: unknown): unknown => ({ ...(b as object), software: { name: 'AWS HealthLake' } });
    const proxy = await startFaultProxy(server.baseUrl, ({ path }) => (path.endsWith('/metadata') ? { kind: 'rewrite', rewrite: healthlake } : undefined));
    proxies.push(proxy);
    const transport = createFhirTransport({ baseUrl: proxy.baseUrl });
    const documented = await push({ transport, outbox: await outboxWith(fresh(clinicEntries(1, 1))), writeMode: 'auto', retry: FAST_RETRY });
    expect(documented.plan).toMatchObject({ server: 'aws-healthlake', batchSize: 100, requestsPerSecond: 10 });
    const own = await push({ transport, outbox: await outboxWith(fresh(clinicEntries(1, 1))), writeMode: 'auto', rate: { requestsPerSecond: 2 }, retry: FAST_RETRY });
    expect(own.plan.requestsPerSecond).toBe(2);
  });
});
