import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import type { FhirTransport } from '@peerkit/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnosisRangeOf } from './codes';
import { fillPrefetchTemplate, resolvePrefetch } from './prefetch';

describe('fillPrefetchTemplate', () => {
  it.each([
    ['context token', 'Patient/{{context.patientId}}', 'Patient/p1'],
    ['two tokens', 'Condition?patient={{context.patientId}}&encounter={{ context.encounterId }}', 'Condition?patient=p1&encounter=e1'],
    ['user token from userId', 'PractitionerRole?practitioner={{userPractitionerId}}', 'PractitionerRole?practitioner=pr1'],
    ['a missing context field', 'Encounter/{{context.appointmentId}}', undefined],
    ['a user token of another type', 'Patient/{{userPatientId}}', undefined],
  ])('%s', (_name, template, expected) => {
    expect(fillPrefetchTemplate(template, { patientId: 'p1', encounterId: 'e1', userId: 'Practitioner/pr1' })).toBe(expected);
  });
});

describe('resolvePrefetch', () => {
  it('keeps prefetched keys, treats null as no data, and reports keys it cannot fetch without a fhirServer', async () => {
    const request = { hook: 'patient-view', hookInstance: 'x', context: { patientId: 'p1' }, prefetch: { patient: { resourceType: 'Patient', id: 'p1' }, conditions: null } };
    const result = await resolvePrefetch(request, { patient: 'Patient/{{context.patientId}}', conditions: 'Condition?patient={{context.patientId}}', consents: 'Consent?patient={{context.patientId}}' });
    expect(result.data).toEqual({ patient: [{ resourceType: 'Patient', id: 'p1' }], conditions: [], consents: [] });
    expect(result.missing).toEqual(['consents']);
  });

  it('refuses a plain-http fhirServer that is not loopback, without sending the token', async () => {
    const request = { hook: 'patient-view', hookInstance: 'x', fhirServer: 'http://ehr.example.org/fhir', context: { patientId: 'p1' } };
    const result = await resolvePrefetch(request, { patient: 'Patient/{{context.patientId}}' });
    expect(result.missing).toEqual(['patient']);
    expect(result.issues.map((i) => i.code)).toEqual(['cds.fhir-server-refused']);
  });
});

describe('resolvePrefetch paging', () => {
  let server: FhirServer;
  beforeAll(async () => {
    server = await startFhirServer({ port: 0 });
    for (let i = 0; i < 5; i += 1) {
      const created = await fetch(`${server.baseUrl}/Condition`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify({ resourceType: 'Condition', subject: { reference: 'Patient/p1' }, code: { text: `synthetic ${i}` } }),
      });
      expect(created.status).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });
  const request = () => ({ hook: 'patient-view', hookInstance: 'x', fhirServer: server.baseUrl, context: { patientId: 'p1' } });
  const templates = { conditions: 'Condition?patient=Patient/{{context.patientId}}&_count=2' };

  it('follows link[rel=next] until the last page', async () => {
    const result = await resolvePrefetch(request(), templates);
    expect(result.data.conditions).toHaveLength(5);
    expect(new Set(result.data.conditions?.map((c) => c.id)).size).toBe(5);
    expect(result.fetched).toEqual(['conditions']);
    expect(result.issues).toEqual([]);
  });

  it('stops at maxPages and says the key was cut short', async () => {
    const result = await resolvePrefetch(request(), templates, { maxPages: 2 });
    expect(result.data.conditions).toHaveLength(4);
    expect(result.fetched).toEqual(['conditions']);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([['cds.prefetch-truncated', ['prefetch', 'conditions']]]);
  });

  it('keeps the pages read when a later page fails (a next link to another server is refused)', async () => {
    const page = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Condition', id: 'c1' } }], link: [{ relation: 'next', url: 'https://elsewhere.example.org/fhir/Condition?page=2' }] };
    const transport = {
      get: async (url: string) => {
        if (url.startsWith('https://elsewhere')) throw new Error('refused: another server');
        return { kind: 'response', status: 200, headers: new Headers(), body: page };
      },
    } as unknown as FhirTransport;
    const result = await resolvePrefetch(request(), templates, { transport: () => transport });
    expect(result.data.conditions?.map((c) => c.id)).toEqual(['c1']);
    expect(result.issues.map((i) => i.code)).toEqual(['cds.prefetch-truncated']);
  });

  it('refuses maxPages below 1', async () => {
    await expect(resolvePrefetch(request(), templates, { maxPages: 0 })).rejects.toThrow(RangeError);
  });
});

describe('diagnosisRangeOf', () => {
  it.each([
    ['F11.20', 'substance-use'],
    ['F1020', 'substance-use'],
    ['f19.9', 'substance-use'],
    ['F32.A', 'mental-health'],
    ['F43.10', 'mental-health'],
    ['T40.1X1A', 'overdose'],
    ['F50.0', undefined],
    ['F09', undefined],
    ['Z71.41', undefined],
    ['', undefined],
  ])('%s → %s', (code, kind) => {
    expect(diagnosisRangeOf(code)?.kind).toBe(kind);
  });
});
