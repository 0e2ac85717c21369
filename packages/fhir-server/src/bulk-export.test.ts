import type { Encounter, Group, Patient } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encounterOf } from './__fixtures__/resources';
import { startFhirServer, type FhirServer } from './fhir-server';

const SYSTEM = 'urn:peerkit:test:bulk';

interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  error: unknown[];
}

async function post(server: FhirServer, resource: object): Promise<{ id: string }> {
  const type = (resource as { resourceType: string }).resourceType;
  const res = await fetch(`${server.baseUrl}/${type}`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(resource) });
  return (await res.json()) as { id: string };
}

function encounter(value: string, subject: string): Encounter {
  return encounterOf(SYSTEM, value, subject);
}

/** Kicks off, polls until the manifest, returns the manifest and the status answers seen. */
async function exportOf(server: FhirServer, path: string, headers: Record<string, string> = {}): Promise<{ manifest: Manifest; polls: { status: number; progress: string | null; retryAfter: string | null }[] }> {
  const kickOff = await fetch(`${server.baseUrl}/${path}`, { headers: { accept: 'application/fhir+json', prefer: 'respond-async', ...headers } });
  expect(kickOff.status).toBe(202);
  const status = kickOff.headers.get('content-location') ?? '';
  const polls: { status: number; progress: string | null; retryAfter: string | null }[] = [];
  for (let i = 0; i < 10; i++) {
    const res = await fetch(status);
    polls.push({ status: res.status, progress: res.headers.get('x-progress'), retryAfter: res.headers.get('retry-after') });
    if (res.status === 200) return { manifest: (await res.json()) as Manifest, polls };
    await res.text();
  }
  throw new Error('the export never completed');
}

async function lines(url: string, headers: Record<string, string> = {}): Promise<{ resourceType: string; id: string }[]> {
  const res = await fetch(url, { headers });
  expect(res.headers.get('content-type')).toBe('application/fhir+ndjson');
  return (await res.text()).trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { resourceType: string; id: string });
}

describe('startFhirServer $export', () => {
  let server: FhirServer;
  let ids: { a: string; b: string; c: string; group: string };
  beforeAll(async () => {
    server = await startFhirServer({ bulkExport: { pollsBeforeReady: 2, retryAfterSeconds: 0 } });
    const a = await post(server, { resourceType: 'Patient', identifier: [{ system: SYSTEM, value: 'a' }] } satisfies Patient);
    const b = await post(server, { resourceType: 'Patient', identifier: [{ system: SYSTEM, value: 'b' }] } satisfies Patient);
    const c = await post(server, { resourceType: 'Patient', identifier: [{ system: SYSTEM, value: 'c' }] } satisfies Patient);
    await post(server, encounter('ea', `Patient/${a.id}`));
    await post(server, encounter('eb', `Patient/${b.id}`));
    await post(server, { resourceType: 'Organization', name: 'Clinic' });
    const group = await post(server, { resourceType: 'Group', type: 'person', actual: true, member: [{ entity: { reference: `Patient/${a.id}` } }] } satisfies Group);
    ids = { a: a.id, b: b.id, c: c.id, group: group.id };
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('exports the whole system: 202 with X-Progress and Retry-After until ready, then a manifest of NDJSON files', async () => {
    const { manifest, polls } = await exportOf(server, '$export?_type=Patient,Encounter,Organization');
    expect(polls).toEqual([
      { status: 202, progress: '1 of 3 steps', retryAfter: '0' },
      { status: 202, progress: '2 of 3 steps', retryAfter: '0' },
      { status: 200, progress: null, retryAfter: null },
    ]);
    expect(manifest.requiresAccessToken).toBe(false);
    expect(manifest.output.map((o) => [o.type, o.count])).toEqual([['Patient', 3], ['Encounter', 2], ['Organization', 1]]);
    const patients = await lines(manifest.output[0]?.url ?? '');
    expect(patients.map((p) => p.id).sort()).toEqual([ids.a, ids.b, ids.c].sort());
  });

  it('exports at patient level (Patients and what names one) and group level (its members only)', async () => {
    const patientLevel = (await exportOf(server, 'Patient/$export?_type=Patient,Encounter,Organization')).manifest;
    expect(patientLevel.output.map((o) => [o.type, o.count])).toEqual([['Patient', 3], ['Encounter', 2]]);
    const groupLevel = (await exportOf(server, `Group/${ids.group}/$export`)).manifest;
    const byType = Object.fromEntries(await Promise.all(groupLevel.output.map(async (o) => [o.type, (await lines(o.url)).map((r) => r.id)])));
    expect(byType.Patient).toEqual([ids.a]);
    expect(byType.Encounter).toHaveLength(1);
  });

  it('takes _since: only what changed after it', async () => {
    const since = new Date(Date.now() + 1000).toISOString();
    expect((await exportOf(server, `$export?_type=Patient&_since=${encodeURIComponent(since)}`)).manifest.output).toEqual([]);
  });

  it.each([
    ['without Prefer: respond-async', '$export', {}, 400],
    ['an unsupported output format', '$export?_outputFormat=text/csv', { prefer: 'respond-async' }, 400],
    ['an unknown group', 'Group/nope/$export', { prefer: 'respond-async' }, 404],
  ])('refuses a kick-off %s', async (_, path, headers, status) => {
    const res = await fetch(`${server.baseUrl}/${path}`, { headers });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });

  it('deletes a job: its status is then 404', async () => {
    const kickOff = await fetch(`${server.baseUrl}/$export?_type=Patient`, { headers: { prefer: 'respond-async' } });
    const status = kickOff.headers.get('content-location') ?? '';
    expect((await fetch(status, { method: 'DELETE' })).status).toBe(202);
    expect((await fetch(status)).status).toBe(404);
  });

  it('with requiresAccessToken, refuses a file download without Authorization (401)', async () => {
    const guarded = await startFhirServer({ bulkExport: { pollsBeforeReady: 0, requiresAccessToken: true } });
    try {
      await post(guarded, { resourceType: 'Patient', identifier: [{ system: SYSTEM, value: 'z' }] } satisfies Patient);
      const { manifest } = await exportOf(guarded, '$export?_type=Patient');
      expect(manifest.requiresAccessToken).toBe(true);
      expect((await fetch(manifest.output[0]?.url ?? '')).status).toBe(401);
      expect(await lines(manifest.output[0]?.url ?? '', { authorization: 'Bearer t' })).toHaveLength(1);
    } finally {
      await guarded.close();
    }
  });
});
