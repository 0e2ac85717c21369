import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { generateClinic } from '@peerkit/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTransactionBundle, toTransactionBundles } from '../src/bundle';
import { toFhir } from '../src/to-fhir';

// Integration: the embedded FHIR server over HTTP on loopback, not a mock.
describe('toTransactionBundle against the embedded FHIR server', () => {
  let server: FhirServer;
  beforeAll(async () => {
    server = await startFhirServer({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  async function post(body: unknown): Promise<{ status: number; json: { entry?: { response?: { status?: string } }[] } }> {
    const response = await fetch(server.baseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as { entry?: { response?: { status?: string } }[] } };
  }

  async function count(type: string): Promise<number> {
    const response = await fetch(`${server.baseUrl}/${type}?_summary=count`, { headers: { accept: 'application/fhir+json' } });
    return ((await response.json()) as { total?: number }).total ?? 0;
  }

  it('creates each resource once when the same Bundle is posted twice', async () => {
    const { records } = generateClinic({ seed: 31, peers: 8, weeks: 2 });
    const result = toTransactionBundle(records);
    if (!result.ok) throw new Error('mapping failed');
    const bundle = result.value;
    const expected = new Map<string, number>();
    for (const entry of bundle.entry ?? []) {
      const type = entry.resource?.resourceType ?? '';
      expected.set(type, (expected.get(type) ?? 0) + 1);
    }

    const first = await post(bundle);
    expect(first.status).toBe(200);
    expect(first.json.entry?.every((e) => /^20[01]/.test(e.response?.status ?? ''))).toBe(true);
    const second = await post(bundle);
    expect(second.status).toBe(200);

    for (const [type, n] of expected) expect(await count(type), type).toBe(n);
  });

  it('takes a whole clinic as Bundles of 25 posted in order: every entry written, every reference resolved', async () => {
    const { records } = generateClinic({ seed: 32, peers: 10, weeks: 4 });
    const mapped = toFhir(records);
    if (!mapped.ok) throw new Error('mapping failed');
    const bundles = toTransactionBundles(mapped.value, { batchSize: 25 });
    expect(bundles.length).toBeGreaterThan(10);
    const refused: string[] = [];
    for (const bundle of bundles) {
      const reply = await post(bundle);
      expect(reply.status).toBe(200);
      reply.json.entry?.forEach((e, i) => {
        if (!/^20[01]/.test(e.response?.status ?? '')) refused.push(`${bundle.entry?.[i]?.resource?.resourceType ?? ''} ${e.response?.status ?? ''}`);
      });
    }
    expect(refused).toEqual([]);
  });
});
