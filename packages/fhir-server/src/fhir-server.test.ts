import { connect } from 'node:net';
import { validateResource } from '@medplum/core';
import type { Bundle, CapabilityStatement, Encounter, OperationOutcome, Patient } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encounterOf } from './__fixtures__/resources';
import { startFhirServer, type FhirServer } from './fhir-server';

/** One HTTP exchange with the server. */
interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

async function call<T = Record<string, unknown>>(
  server: FhirServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/fhir+json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

const SYSTEM = 'urn:peerkit:test:id';

function patient(value: string, extra: Partial<Patient> = {}): Patient {
  return { resourceType: 'Patient', identifier: [{ system: SYSTEM, value }], ...extra };
}

function encounter(value: string, subject: string): Encounter {
  return encounterOf(SYSTEM, value, subject);
}

async function count(server: FhirServer, type: string, query: string): Promise<number> {
  const reply = await call<Bundle>(server, 'GET', `/${type}?${query}`);
  return reply.body.total ?? -1;
}

describe('startFhirServer', () => {
  let server: FhirServer;
  beforeAll(async () => {
    server = await startFhirServer({ port: 0 });
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('listens on loopback and reports its FHIR base URL and port', () => {
    expect(server.baseUrl).toBe(`http://127.0.0.1:${server.port}/fhir`);
    expect(server.port).toBeGreaterThan(0);
  });

  describe('GET /metadata', () => {
    it('returns a valid CapabilityStatement as application/fhir+json', async () => {
      const reply = await call<CapabilityStatement>(server, 'GET', '/metadata');
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
      expect(reply.body.resourceType).toBe('CapabilityStatement');
      expect(reply.body.fhirVersion).toBe('4.0.1');
      expect(reply.body.kind).toBe('instance');
      expect(reply.body.implementation?.url).toBe(server.baseUrl);
      expect(reply.body.rest?.[0]?.interaction?.map((i) => i.code)).toEqual(['transaction', 'batch', 'search-system']);
      expect(reply.body.rest?.[0]?.security).toBeUndefined(); // auth off: nothing protects the server
      const enc = reply.body.rest?.[0]?.resource?.find((r) => r.type === 'Encounter');
      expect(enc?.conditionalCreate).toBe(true);
      expect(enc?.conditionalUpdate).toBe(true);
      expect(enc?.searchParam?.map((p) => p.name)).toEqual(expect.arrayContaining(['identifier', '_lastUpdated']));
      expect(validateResource(reply.body as never).filter((i) => i.severity === 'error')).toEqual([]);
    });

    it('refuses other methods with 405', async () => {
      const reply = await call<OperationOutcome>(server, 'POST', '/metadata', {});
      expect(reply.status).toBe(405);
      expect(reply.body.resourceType).toBe('OperationOutcome');
    });
  });

  describe('create, read, update, search', () => {
    it('ignores the id a create carries, so a POST never overwrites a stored resource (directly or in a transaction)', async () => {
      const first = await call<Patient>(server, 'POST', '/Patient', patient('create-id-1', { gender: 'female' }));
      const posted = await call<Patient>(server, 'POST', '/Patient', { ...patient('create-id-2'), id: first.body.id });
      expect(posted.status).toBe(201);
      expect(posted.body.id).not.toBe(first.body.id);
      const bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [{ resource: { ...patient('create-id-3'), id: first.body.id }, request: { method: 'POST', url: 'Patient' } }],
      };
      const tx = await call<Bundle>(server, 'POST', '', bundle);
      expect(tx.status).toBe(200);
      expect(tx.body.entry?.[0]?.response?.location).not.toContain(`Patient/${first.body.id}/`);
      const again = await call<Patient>(server, 'GET', `/Patient/${first.body.id}`);
      expect(again.body).toEqual(first.body);
    });

    it('creates with 201, Location and ETag, then reads it back', async () => {
      const created = await call<Patient>(server, 'POST', '/Patient', patient('crud-1', { gender: 'female' }));
      expect(created.status).toBe(201);
      expect(created.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
      const { id, meta } = created.body;
      expect(id).toEqual(expect.any(String));
      expect(created.headers.get('location')).toBe(`${server.baseUrl}/Patient/${id}/_history/${meta?.versionId}`);
      expect(created.headers.get('etag')).toBe(`W/"${meta?.versionId}"`);

      const read = await call<Patient>(server, 'GET', `/Patient/${id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
      expect(read.headers.get('last-modified')).toBe(new Date(meta?.lastUpdated ?? '').toUTCString());
    });

    it('updates with a matching If-Match and refuses a stale one with 412', async () => {
      const created = await call<Patient>(server, 'POST', '/Patient', patient('crud-2'));
      const { id, meta } = created.body;
      const updated = await call<Patient>(
        server,
        'PUT',
        `/Patient/${id}`,
        { ...created.body, gender: 'male' },
        { 'if-match': `W/"${meta?.versionId}"` },
      );
      expect(updated.status).toBe(200);
      expect(updated.body.gender).toBe('male');
      expect(updated.body.meta?.versionId).not.toBe(meta?.versionId);

      const stale = await call<OperationOutcome>(
        server,
        'PUT',
        `/Patient/${id}`,
        { ...created.body, gender: 'other' },
        { 'if-match': `W/"${meta?.versionId}"` },
      );
      expect(stale.status).toBe(412);
      expect(stale.body.resourceType).toBe('OperationOutcome');
      const history = await call<Bundle>(server, 'GET', `/Patient/${id}/_history`);
      expect(history.body.entry).toHaveLength(2);
    });

    it('searches by identifier (system|value and value alone, any case) with fullUrls and a self link', async () => {
      const created = await call<Patient>(server, 'POST', '/Patient', patient('Search-1'));
      for (const query of [`identifier=${SYSTEM}|Search-1`, 'identifier=search-1', `identifier=${SYSTEM}|SEARCH-1`]) {
        const reply = await call<Bundle>(server, 'GET', `/Patient?${encodeURI(query)}`);
        expect(reply.status).toBe(200);
        expect(reply.body.type).toBe('searchset');
        expect(reply.body.total).toBe(1);
        expect(reply.body.entry?.[0]?.fullUrl).toBe(`${server.baseUrl}/Patient/${created.body.id}`);
        expect(reply.body.link?.find((l) => l.relation === 'self')?.url).toContain(`${server.baseUrl}/Patient?`);
      }
      expect(await count(server, 'Patient', 'identifier=other-system|Search-1')).toBe(0);
    });

    it('pages with _count and _offset through next links', async () => {
      for (let i = 0; i < 5; i++) await call(server, 'POST', '/Patient', patient(`page-${i}`, { gender: 'unknown' }));
      const seen: string[] = [];
      let url: string | undefined = `${server.baseUrl}/Patient?gender=unknown&_count=2`;
      while (url !== undefined) {
        const page = (await (await fetch(url)).json()) as Bundle;
        expect(page.total).toBe(5);
        for (const e of page.entry ?? []) seen.push(e.resource?.id ?? '');
        url = page.link?.find((l) => l.relation === 'next')?.url;
      }
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
    });

    it('finds what changed since a time with _lastUpdated', async () => {
      const before = new Date(Date.now() - 1000).toISOString();
      await call(server, 'POST', '/Patient', patient('since-1', { gender: 'female' }));
      const future = new Date(Date.now() + 60_000).toISOString();
      expect(await count(server, 'Patient', `identifier=since-1&_lastUpdated=gt${before}`)).toBe(1);
      expect(await count(server, 'Patient', `identifier=since-1&_lastUpdated=gt${future}`)).toBe(0);
    });

    it('deletes, then reads 404', async () => {
      const created = await call<Patient>(server, 'POST', '/Patient', patient('delete-1'));
      expect((await call(server, 'DELETE', `/Patient/${created.body.id}`)).status).toBe(200);
      expect((await call(server, 'GET', `/Patient/${created.body.id}`)).status).toBe(404);
      expect(await count(server, 'Patient', 'identifier=delete-1')).toBe(0);
    });

    it('answers Prefer: return=minimal with an empty body and return=OperationOutcome with an outcome', async () => {
      const minimal = await call(server, 'POST', '/Patient', patient('prefer-1'), { prefer: 'return=minimal' });
      expect(minimal.status).toBe(201);
      expect(minimal.body).toBeUndefined();
      expect(minimal.headers.get('location')).toContain('/Patient/');
      const oo = await call<OperationOutcome>(server, 'POST', '/Patient', patient('prefer-2'), {
        prefer: 'return=OperationOutcome',
      });
      expect(oo.status).toBe(201);
      expect(oo.body.resourceType).toBe('OperationOutcome');
    });

    it('names the version a write stored in Content-Location, also for a matched conditional update (200, no Location)', async () => {
      const created = await call(server, 'PUT', '/Patient?identifier=prefer-3', patient('prefer-3'), { prefer: 'return=minimal' });
      expect(created.status).toBe(201);
      expect(created.headers.get('content-location')).toBe(created.headers.get('location'));
      const updated = await call(server, 'PUT', '/Patient?identifier=prefer-3', patient('prefer-3', { gender: 'other' }), { prefer: 'return=minimal' });
      expect(updated.status).toBe(200);
      expect(updated.body).toBeUndefined();
      expect(updated.headers.get('location')).toBeNull();
      const id = /\/Patient\/([^/]+)\/_history\/[^/]+$/.exec(updated.headers.get('content-location') ?? '')?.[1];
      expect(id).toEqual(expect.any(String));
      expect(created.headers.get('location')).toContain(`/Patient/${id}/_history/`);
      expect(updated.headers.get('content-location')).not.toBe(created.headers.get('location'));
      const read = await call<Patient>(server, 'GET', `/Patient/${id}`);
      expect(read.headers.get('content-location')).toBeNull();
      expect(read.body.gender).toBe('other');
    });

    it('names a stored Bundle resource in Content-Location, and no Bundle a transaction answers with', async () => {
      const stored = await call(server, 'POST', '/Bundle', { resourceType: 'Bundle', type: 'collection', entry: [] }, { prefer: 'return=minimal' });
      expect(stored.status).toBe(201);
      expect(stored.headers.get('content-location')).toMatch(/\/Bundle\/[^/]+\/_history\/[^/]+$/);
      const transaction = await call(server, 'POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: patient('bundle-cl'), request: { method: 'POST', url: 'Patient' } }] });
      expect(transaction.status).toBe(200);
      expect(transaction.headers.get('content-location')).toBeNull();
    });
  });

  describe('validation', () => {
    it.each([
      ['a missing required element', { resourceType: 'Encounter', class: { code: 'AMB' } }, 'Encounter.status'],
      ['an unknown element', { resourceType: 'Patient', nickname: 'x' }, 'Patient.nickname'],
      ['a malformed date', { resourceType: 'Patient', birthDate: '2020-13-45' }, 'Patient.birthDate'],
      ['a wrong primitive type', { resourceType: 'Patient', active: 'yes' }, 'Patient.active'],
    ])('rejects %s with 400 and an OperationOutcome naming the element; stores nothing', async (_, resource, expression) => {
      const type = (resource as { resourceType: string }).resourceType;
      const before = await count(server, type, '');
      const reply = await call<OperationOutcome>(server, 'POST', `/${type}`, resource);
      expect(reply.status).toBe(400);
      expect(reply.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
      expect(reply.body.resourceType).toBe('OperationOutcome');
      expect(reply.body.issue.some((i) => i.severity === 'error' && i.expression?.includes(expression))).toBe(true);
      expect(await count(server, type, '')).toBe(before);
    });

    it('validates updates too', async () => {
      const created = await call<Patient>(server, 'POST', '/Patient', patient('validate-update'));
      const reply = await call<OperationOutcome>(server, 'PUT', `/Patient/${created.body.id}`, {
        ...created.body,
        birthDate: 'yesterday',
      });
      expect(reply.status).toBe(400);
      const read = await call<Patient>(server, 'GET', `/Patient/${created.body.id}`);
      expect(read.body.birthDate).toBeUndefined();
    });

    it.each([
      ['a body that is not JSON', 'POST', '/Patient', '{"resourceType":', { 'content-type': 'application/fhir+json' }, 400],
      ['an empty body', 'POST', '/Patient', '', { 'content-type': 'application/fhir+json' }, 400],
      ['XML', 'POST', '/Patient', '<Patient/>', { 'content-type': 'application/fhir+xml' }, 415],
      ['a body whose type differs from the URL', 'POST', '/Patient', '{"resourceType":"Group"}', {}, 400],
      ['an unknown resource type', 'GET', '/Pateint', undefined, {}, 404],
      ['type-level _history', 'GET', '/Patient/_history', undefined, {}, 404],
      ['system-level _history', 'GET', '/_history', undefined, {}, 404],
      ['an unsupported method', 'OPTIONS', '/Patient', undefined, {}, 405],
    ])('answers %s with an OperationOutcome', async (_, method, path, body, headers, status) => {
      const reply = await call<OperationOutcome>(server, method, path, body, headers);
      expect(reply.status).toBe(status);
      expect(reply.body.resourceType).toBe('OperationOutcome');
      expect(reply.body.issue[0]?.severity).toBe('error');
    });

    it('answers a path outside the FHIR base with 404', async () => {
      const res = await fetch(`http://127.0.0.1:${server.port}/other`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as OperationOutcome).resourceType).toBe('OperationOutcome');
    });
  });

  describe('conditional create and update', () => {
    it('creates once with If-None-Exist, then returns the match with 200', async () => {
      const ifNoneExist = { 'if-none-exist': `identifier=${SYSTEM}|cond-1` };
      const first = await call<Patient>(server, 'POST', '/Patient', patient('cond-1'), ifNoneExist);
      const second = await call<Patient>(server, 'POST', '/Patient', patient('cond-1'), ifNoneExist);
      expect(first.status).toBe(201);
      expect(second.status).toBe(200);
      expect(second.body.id).toBe(first.body.id);
      expect(await count(server, 'Patient', 'identifier=cond-1')).toBe(1);
    });

    it('keeps one resource when many conditional creates for the same identifier arrive at once', async () => {
      const ifNoneExist = { 'if-none-exist': `identifier=${SYSTEM}|race-1` };
      const replies = await Promise.all(
        Array.from({ length: 20 }, () => call<Patient>(server, 'POST', '/Patient', patient('race-1'), ifNoneExist)),
      );
      expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
      expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
      expect(await count(server, 'Patient', 'identifier=race-1')).toBe(1);
    });

    it('upserts with PUT Type?identifier=…: creates (201), then updates the same resource (200)', async () => {
      const path = `/Patient?identifier=${encodeURIComponent(`${SYSTEM}|upsert-1`)}`;
      const first = await call<Patient>(server, 'PUT', path, patient('upsert-1', { gender: 'female' }));
      const second = await call<Patient>(server, 'PUT', path, patient('upsert-1', { gender: 'other' }));
      expect(first.status).toBe(201);
      expect(second.status).toBe(200);
      expect(second.body.id).toBe(first.body.id);
      expect(second.body.gender).toBe('other');
      expect(await count(server, 'Patient', 'identifier=upsert-1')).toBe(1);
    });

    it('refuses a conditional update that matches several resources with 412', async () => {
      await call(server, 'POST', '/Patient', patient('dup-1'));
      await call(server, 'POST', '/Patient', patient('dup-1'));
      const reply = await call<OperationOutcome>(server, 'PUT', `/Patient?identifier=dup-1`, patient('dup-1'));
      expect(reply.status).toBe(412);
    });

    it('finds a resource under its new identifier once an update (direct or in a transaction) changed it, and not after a delete', async () => {
      const put = (value: string, body: Patient): Promise<Reply<Patient>> =>
        call<Patient>(server, 'PUT', `/Patient?identifier=${encodeURIComponent(`${SYSTEM}|${value}`)}`, body);
      const created = await put('moved-a', patient('moved-a'));
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      // A plain update changes the identifier: the old one matches nothing, the new one the same resource.
      expect((await call(server, 'PUT', `/Patient/${id}`, { ...patient('moved-b'), id })).status).toBe(200);
      expect(await count(server, 'Patient', `identifier=${SYSTEM}|moved-a`)).toBe(0);
      const again = await put('moved-b', patient('moved-b', { gender: 'female' }));
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(id);
      // A transaction changes it once more; a conditional create on the new one finds it.
      const tx = await call<Bundle>(server, 'POST', '', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [{ resource: { ...patient('moved-c'), id }, request: { method: 'PUT', url: `Patient/${id}` } }],
      });
      expect(tx.body.entry?.[0]?.response?.status).toMatch(/^200/);
      const found = await call<Patient>(server, 'POST', '/Patient', patient('moved-c'), { 'if-none-exist': `identifier=${SYSTEM}|moved-c` });
      expect(found.status).toBe(200);
      expect(found.body.id).toBe(id);
      expect((await put('moved-b', patient('moved-b'))).status).toBe(201);
      // Deleted: a conditional update on its identifier creates a new resource.
      expect((await call(server, 'DELETE', `/Patient/${id}`)).status).toBeLessThan(300);
      const recreated = await put('moved-c', patient('moved-c'));
      expect(recreated.status).toBe(201);
      expect(recreated.body.id).not.toBe(id);
      expect(await count(server, 'Patient', `identifier=${SYSTEM}|moved-c`)).toBe(1);
    });
  });

  describe('transaction and batch Bundles', () => {
    function transaction(suffix: string): Bundle {
      const patientUrn = 'urn:uuid:2b1f3a64-8a7e-4a3c-9d55-0c1b6f4e9a01';
      return {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: patientUrn,
            resource: patient(`tx-p-${suffix}`),
            request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${SYSTEM}|tx-p-${suffix}` },
          },
          {
            fullUrl: 'urn:uuid:2b1f3a64-8a7e-4a3c-9d55-0c1b6f4e9a02',
            resource: encounter(`tx-e-${suffix}`, patientUrn),
            request: { method: 'POST', url: 'Encounter', ifNoneExist: `identifier=${SYSTEM}|tx-e-${suffix}` },
          },
          {
            fullUrl: 'urn:uuid:2b1f3a64-8a7e-4a3c-9d55-0c1b6f4e9a03',
            resource: encounter(`tx-u-${suffix}`, patientUrn),
            request: { method: 'PUT', url: `Encounter?identifier=${SYSTEM}|tx-u-${suffix}` },
          },
        ],
      };
    }

    it('resolves urn:uuid references and, posted twice, creates each resource once', async () => {
      const first = await call<Bundle>(server, 'POST', '', transaction('1'));
      expect(first.status).toBe(200);
      expect(first.body.type).toBe('transaction-response');
      expect(first.body.entry?.map((e) => e.response?.status)).toEqual(['201', '201', '201']);
      const patientId = first.body.entry?.[0]?.resource?.id;
      const enc = first.body.entry?.[1]?.resource as Encounter;
      expect(enc.subject?.reference).toBe(`Patient/${patientId}`);
      expect(first.body.entry?.[1]?.fullUrl).toBe(`${server.baseUrl}/Encounter/${enc.id}`);

      const second = await call<Bundle>(server, 'POST', '', transaction('1'));
      expect(second.status).toBe(200);
      expect(second.body.entry?.map((e) => e.response?.status)).toEqual(['200', '200', '200']);
      expect(second.body.entry?.[0]?.resource?.id).toBe(patientId);
      expect((second.body.entry?.[2]?.resource as Encounter).subject?.reference).toBe(`Patient/${patientId}`);

      expect(await count(server, 'Patient', 'identifier=tx-p-1')).toBe(1);
      expect(await count(server, 'Encounter', 'identifier=tx-e-1')).toBe(1);
      expect(await count(server, 'Encounter', 'identifier=tx-u-1')).toBe(1);
    });

    it('applies a transaction entry by entry: an invalid entry fails alone with its OperationOutcome', async () => {
      const bundle = transaction('2');
      const bad = bundle.entry?.[1];
      if (bad?.resource !== undefined) (bad.resource as Encounter).status = undefined as never;
      const reply = await call<Bundle>(server, 'POST', '', bundle);
      expect(reply.status).toBe(200);
      expect(reply.body.entry?.map((e) => e.response?.status)).toEqual(['201', '400', '201']);
      const failed = reply.body.entry?.[1]?.response?.outcome as OperationOutcome;
      expect(failed.issue.some((i) => i.expression?.includes('Encounter.status'))).toBe(true);
      expect(await count(server, 'Patient', 'identifier=tx-p-2')).toBe(1);
      expect(await count(server, 'Encounter', 'identifier=tx-e-2')).toBe(0);
    });

    it('resolves conditional references (Type?identifier=…) in a transaction; none or several matches fail that entry', async () => {
      await call(server, 'POST', '/Patient', patient('cref-one'));
      await call(server, 'POST', '/Patient', patient('cref-two'));
      await call(server, 'POST', '/Patient', patient('cref-two'));
      const query = (value: string): string => `Patient?identifier=${encodeURIComponent(SYSTEM)}|${value}`;
      const reply = await call<Bundle>(server, 'POST', '', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: encounter('cref-e1', query('cref-one')), request: { method: 'PUT', url: `Encounter?identifier=cref-e1` } },
          { resource: encounter('cref-e2', query('cref-none')), request: { method: 'PUT', url: `Encounter?identifier=cref-e2` } },
          { resource: encounter('cref-e3', query('cref-two')), request: { method: 'PUT', url: `Encounter?identifier=cref-e3` } },
        ],
      });
      expect(reply.status).toBe(200);
      expect(reply.body.entry?.map((e) => e.response?.status)).toEqual(['201', '400', '412']);
      const one = await call<Bundle>(server, 'GET', '/Patient?identifier=cref-one');
      expect((reply.body.entry?.[0]?.resource as Encounter).subject?.reference).toBe(`Patient/${one.body.entry?.[0]?.resource?.id}`);
      const failed = reply.body.entry?.[1]?.response?.outcome as OperationOutcome;
      expect(failed.issue[0]?.expression).toEqual(['Bundle.entry[1].resource.subject.reference']);
      expect(await count(server, 'Encounter', 'identifier=cref-e1')).toBe(1);
      expect(await count(server, 'Encounter', 'identifier=cref-e2')).toBe(0);
      expect(await count(server, 'Encounter', 'identifier=cref-e3')).toBe(0);
    });

    it('resolves conditional references nested in arrays and extensions, and locates the first that fails', async () => {
      await call(server, 'POST', '/Patient', patient('cref-nested'));
      const query = `Patient?identifier=${encodeURIComponent(SYSTEM)}|cref-nested`;
      const nested = (value: string, second: string): Encounter => ({
        ...encounter(value, query),
        extension: [
          { url: 'urn:peerkit:test:plain', valueString: 'Patient?identifier=not-a-reference' },
          { url: 'urn:peerkit:test:ref', valueReference: { reference: query } },
        ],
        participant: [{ individual: { reference: 'Practitioner/p1' } }, { individual: { reference: second } }],
      });
      const reply = await call<Bundle>(server, 'POST', '', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: nested('cref-n1', query), request: { method: 'PUT', url: 'Encounter?identifier=cref-n1' } },
          { resource: nested('cref-n2', 'Practitioner?identifier=nobody'), request: { method: 'PUT', url: 'Encounter?identifier=cref-n2' } },
        ],
      });
      expect(reply.body.entry?.map((e) => e.response?.status)).toEqual(['201', '400']);
      const id = (await call<Bundle>(server, 'GET', '/Patient?identifier=cref-nested')).body.entry?.[0]?.resource?.id;
      const stored = reply.body.entry?.[0]?.resource as Encounter;
      expect(stored.subject?.reference).toBe(`Patient/${id}`);
      expect(stored.extension?.[0]?.valueString).toBe('Patient?identifier=not-a-reference');
      expect(stored.extension?.[1]?.valueReference?.reference).toBe(`Patient/${id}`);
      expect(stored.participant?.map((p) => p.individual?.reference)).toEqual(['Practitioner/p1', `Patient/${id}`]);
      const failed = reply.body.entry?.[1]?.response?.outcome as OperationOutcome;
      expect(failed.issue[0]?.expression).toEqual(['Bundle.entry[1].resource.participant[1].individual.reference']);
    });

    it('upserts with PUT Type?_tag=… (indexed like identifier): creates, then updates the same resource', async () => {
      const tag = { system: 'urn:peerkit:test:tag', code: 'tag-upsert-1' };
      const path = `/Patient?_tag=${encodeURIComponent(`${tag.system}|${tag.code}`)}`;
      const first = await call<Patient>(server, 'PUT', path, { resourceType: 'Patient', meta: { tag: [tag] }, active: true });
      const second = await call<Patient>(server, 'PUT', path, { resourceType: 'Patient', meta: { tag: [tag] }, active: false });
      expect([first.status, second.status]).toEqual([201, 200]);
      expect(second.body.id).toBe(first.body.id);
      expect(await count(server, 'Patient', `_tag=${tag.code}`)).toBe(1);
      expect(await count(server, 'Patient', `_tag=${tag.code}&active=false`)).toBe(1);
      expect(await count(server, 'Patient', `_tag=${tag.code}&active=true`)).toBe(0);
    });

    it('answers a transaction whose every entry has an unresolvable conditional reference', async () => {
      const reply = await call<Bundle>(server, 'POST', '', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: encounter('cref-e4', 'Patient?identifier=nobody'), request: { method: 'POST', url: 'Encounter' } },
        ],
      });
      expect(reply.status).toBe(200);
      expect(reply.body.type).toBe('transaction-response');
      expect(reply.body.entry?.map((e) => e.response?.status)).toEqual(['400']);
    });

    it('processes a batch Bundle', async () => {
      const reply = await call<Bundle>(server, 'POST', '', {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { resource: patient('batch-1'), request: { method: 'POST', url: 'Patient' } },
          { request: { method: 'GET', url: 'Patient?identifier=batch-1' } },
        ],
      });
      expect(reply.body.type).toBe('batch-response');
      expect(reply.body.entry?.[0]?.response?.status).toBe('201');
    });

    it('applies a batch of conditional writes entry by entry: each settled by its own status, posted twice writes each once', async () => {
      const batch = (suffix: string, invalid: boolean): Bundle => ({
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { resource: patient(`b-p-${suffix}`), request: { method: 'PUT', url: `Patient?identifier=${encodeURIComponent(SYSTEM)}|b-p-${suffix}` } },
          {
            resource: invalid ? { ...patient(`b-q-${suffix}`), birthDate: 'not-a-date' } : patient(`b-q-${suffix}`),
            request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${encodeURIComponent(SYSTEM)}|b-q-${suffix}` },
          },
          { resource: patient(`b-r-${suffix}`), request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${encodeURIComponent(SYSTEM)}|b-r-${suffix}` } },
        ],
      });
      const first = await call<Bundle>(server, 'POST', '', batch('1', true));
      expect(first.status).toBe(200);
      expect(first.body.type).toBe('batch-response');
      expect(first.body.entry?.map((e) => e.response?.status)).toEqual(['201', '400', '201']);
      expect((first.body.entry?.[1]?.response?.outcome as OperationOutcome).issue.some((i) => i.expression?.includes('Patient.birthDate'))).toBe(true);
      const second = await call<Bundle>(server, 'POST', '', batch('1', false));
      expect(second.body.entry?.map((e) => e.response?.status)).toEqual(['200', '201', '200']);
      for (const value of ['b-p-1', 'b-q-1', 'b-r-1']) expect(await count(server, 'Patient', `identifier=${value}`)).toBe(1);
    });

    it('refuses a Bundle that is neither batch nor transaction', async () => {
      const reply = await call<OperationOutcome>(server, 'POST', '', { resourceType: 'Bundle', type: 'collection' });
      expect(reply.status).toBe(400);
    });
  });

  it('refuses a body over maxBodyBytes sent without a Content-Length (chunked) with 413', async () => {
    const small = await startFhirServer({ maxBodyBytes: 64 });
    try {
      // A ReadableStream body is sent chunked: the size is only known while reading it.
      const chunks = [JSON.stringify(patient('x'.repeat(100)))];
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      });
      const reply = await fetch(`${small.baseUrl}/Patient`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body, duplex: 'half' } as RequestInit);
      expect(reply.status).toBe(413);
      expect(((await reply.json()) as OperationOutcome).issue[0]?.code).toBe('too-costly');
    } finally {
      await small.close();
    }
  });

  it('refuses a body over maxBodyBytes with 413', async () => {
    const small = await startFhirServer({ maxBodyBytes: 64 });
    try {
      const reply = await call<OperationOutcome>(small, 'POST', '/Patient', patient('x'.repeat(100)));
      expect(reply.status).toBe(413);
      expect(reply.body.issue[0]?.code).toBe('too-costly');
    } finally {
      await small.close();
    }
  });
});

describe('startFhirServer options', () => {
  it.each([
    [{ host: '0.0.0.0' }, /loopback/],
    [{ host: '192.168.1.10' }, /loopback/],
    [{ port: -1 }, /port/],
    [{ port: 70000 }, /port/],
    [{ port: 1.5 }, /port/],
    [{ maxBodyBytes: 0 }, /maxBodyBytes/],
  ])('refuses %o with a RangeError naming the option', async (options, message) => {
    await expect(startFhirServer(options)).rejects.toThrow(message);
  });

  it('listens on ::1 with a bracketed base URL', async () => {
    const server = await startFhirServer({ host: '::1' });
    try {
      expect(server.baseUrl).toBe(`http://[::1]:${server.port}/fhir`);
      expect((await fetch(`${server.baseUrl}/metadata`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('FhirServer.close', () => {
  it('resolves with a keep-alive connection open, then refuses connections; a second call returns the same promise', async () => {
    const server = await startFhirServer();
    // fetch keeps its connection alive in a pool after this request.
    expect((await fetch(`${server.baseUrl}/metadata`)).status).toBe(200);
    const closing = server.close();
    expect(server.close()).toBe(closing);
    await closing;
    await expect(fetch(`${server.baseUrl}/metadata`)).rejects.toThrow();
  });

  it('cuts a connection whose request never completes after the grace period', async () => {
    const server = await startFhirServer({ closeGraceMs: 50 });
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write('POST /fhir/Patient HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n{');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await server.close();
    await socketClosed;
    expect(socket.destroyed).toBe(true);
  });
});
