import type { Patient } from 'fhir/r4';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../test/fault-proxy';
import { FAST_RETRY, SYSTEM, useEmbeddedServer } from '../test/helpers';
import { SyncError } from './errors';
import { pull } from './pull';
import { createFhirTransport } from './transport';

const server = useEmbeddedServer();
const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
});

async function put(value: string, extra: Partial<Patient> = {}): Promise<Patient> {
  const res = await fetch(`${server.baseUrl}/Patient?identifier=${encodeURIComponent(`${SYSTEM}|${value}`)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify({ resourceType: 'Patient', identifier: [{ system: SYSTEM, value }], ...extra }),
  });
  return (await res.json()) as Patient;
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

describe('pull', () => {
  it('fetches what changed since a time, across pages, oldest first, and says until when', async () => {
    await put('old-1');
    await tick();
    const since = new Date().toISOString();
    await tick();
    const changed = [await put('new-1'), await put('new-2'), await put('new-3')];
    const result = await pull({ transport: createFhirTransport({ baseUrl: server.baseUrl }), types: ['Patient'], since, pageSize: 2 });
    expect(result.resources.map((r) => r.id)).toEqual(changed.map((p) => p.id));
    expect(result.requests).toBe(2);
    expect(result.until).toBe(changed[2]?.meta?.lastUpdated);
    expect(result.conflicts).toEqual([]);
    const again = await pull({ transport: createFhirTransport({ baseUrl: server.baseUrl }), types: ['Patient'], since: result.until });
    expect(again.resources).toEqual([]);
    expect(again.until).toBe(result.until);
  });

  it('reports a conflict when the server version moved past the one a local edit is based on', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const first = await put('conflict-1', { gender: 'female' });
    const base = new Map([[`Patient/${first.id}`, first.meta?.versionId ?? '']]);
    const unchanged = await pull({ transport: createFhirTransport({ baseUrl: server.baseUrl }), types: ['Patient'], since, baseVersions: base, filters: { Patient: 'identifier=conflict-1' } });
    expect(unchanged.conflicts).toEqual([]);
    const second = await put('conflict-1', { gender: 'other' });
    const moved = await pull({ transport: createFhirTransport({ baseUrl: server.baseUrl }), types: ['Patient'], since, baseVersions: base, filters: { Patient: 'identifier=conflict-1' } });
    expect(moved.conflicts).toEqual([{ reference: `Patient/${first.id}`, baseVersion: first.meta?.versionId, serverVersion: second.meta?.versionId }]);
  });

  it('retries a page that fails with 503, then succeeds', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    await put('retry-1');
    const proxy = await startFaultProxy(server.baseUrl, ({ n }) => (n === 1 ? { kind: 'status', status: 503, headers: { 'retry-after': '0' } } : undefined));
    proxies.push(proxy);
    const result = await pull({ transport: createFhirTransport({ baseUrl: proxy.baseUrl }), types: ['Patient'], since, filters: { Patient: 'identifier=retry-1' }, retry: FAST_RETRY });
    expect(result.resources).toHaveLength(1);
    expect(result.requests).toBe(2);
  });

  it('fails with sync.server-unavailable when a page keeps failing, and refuses a bad since', async () => {
    const proxy = await startFaultProxy(server.baseUrl, () => ({ kind: 'status', status: 500 }));
    proxies.push(proxy);
    await expect(
      pull({ transport: createFhirTransport({ baseUrl: proxy.baseUrl }), types: ['Patient'], since: '2026-01-01T00:00:00Z', retry: { ...FAST_RETRY, maxAttempts: 2 } }),
    ).rejects.toMatchObject({ code: 'sync.server-unavailable' });
    await expect(pull({ transport: createFhirTransport({ baseUrl: server.baseUrl }), types: ['Patient'], since: 'yesterday' })).rejects.toBeInstanceOf(SyncError);
  });
});
