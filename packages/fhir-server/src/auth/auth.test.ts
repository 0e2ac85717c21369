import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, CapabilityStatement, Encounter, FhirResource, OperationOutcome } from 'fhir/r4';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFhirServer, type FhirServer } from '../fhir-server';
import { AuthGuard } from './guard';
import { parseScopeGrants } from './scopes';

/** A stand-in authorization server: a key pair, its JWK Set on loopback, tokens signed with it. */
interface Issuer {
  url: string;
  sign(claims: Record<string, unknown>, options?: { expiresIn?: number | null; audience?: string | string[]; issuer?: string }): Promise<string>;
  close(): Promise<void>;
}

async function startIssuer(): Promise<Issuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let audience = '';
  return {
    url,
    async sign(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(options.issuer ?? url)
        .setAudience(options.audience ?? audience)
        .setIssuedAt(now - 120);
      // expiresIn null: a token without exp.
      if (options.expiresIn !== null) jwt.setExpirationTime(now + (options.expiresIn ?? 300));
      return jwt.sign(privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
    set audience(value: string) {
      audience = value;
    },
  } as Issuer & { audience: string };
}

let issuer: Issuer & { audience: string };
let server: FhirServer;
let admin = '';
const ids = { alice: '', bob: '', aliceVisit: '', bobVisit: '', dana: '' };

async function call<T = Record<string, unknown>>(method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/fhir+json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

async function create(resource: FhirResource): Promise<string> {
  const reply = await call<{ id: string }>('POST', `/${resource.resourceType}`, admin, resource);
  expect(reply.status).toBe(201);
  return reply.body.id;
}

const encounterFor = (patient: string): Encounter => ({ resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: `Patient/${patient}` } });
const idsOf = (bundle: Bundle): string[] => (bundle.entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);
const tokenFor = (scope: string, patient?: string): Promise<string> => issuer.sign({ scope, ...(patient === undefined ? {} : { patient }) });

beforeAll(async () => {
  issuer = (await startIssuer()) as Issuer & { audience: string };
  server = await startFhirServer({
    port: 0,
    auth: (baseUrl) => {
      issuer.audience = baseUrl;
      return { issuer: issuer.url, jwksUri: `${issuer.url}/jwks`, smartConfiguration: { issuer: issuer.url, jwks_uri: `${issuer.url}/jwks`, token_endpoint: `${issuer.url}/token`, capabilities: ['permission-v2'] } };
    },
  });
  admin = await tokenFor('system/*.cruds');
  ids.alice = await create({ resourceType: 'Patient', name: [{ family: 'Alpha' }] });
  ids.bob = await create({ resourceType: 'Patient', name: [{ family: 'Beta' }] });
  ids.dana = await create({ resourceType: 'Practitioner', name: [{ family: 'Peer' }] });
  ids.aliceVisit = await create({ ...encounterFor(ids.alice), participant: [{ individual: { reference: `Practitioner/${ids.dana}` } }] });
  ids.bobVisit = await create(encounterFor(ids.bob));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

describe('startFhirServer with auth', () => {
  it('answers 401 with WWW-Authenticate and an OperationOutcome without a token; metadata and the SMART configuration are public', async () => {
    const none = await call<OperationOutcome>('GET', `/Patient/${ids.alice}`, undefined);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(none.body.resourceType).toBe('OperationOutcome');
    const metadata = await call<CapabilityStatement>('GET', '/metadata', undefined);
    expect(metadata.status).toBe(200);
    // SMART 1.0 clients read the endpoints here; the service code says what protects the server.
    expect(metadata.body.rest?.[0]?.security).toMatchObject({
      cors: true,
      service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
      extension: [
        {
          url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
          extension: [{ url: 'token', valueUri: `${issuer.url}/token` }],
        },
      ],
    });
    const config = await call<Record<string, unknown>>('GET', '/.well-known/smart-configuration', undefined);
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ issuer: issuer.url, capabilities: ['permission-v2'] });
    expect(config.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers CORS preflights for browser apps', async () => {
    const res = await fetch(`${server.baseUrl}/Encounter`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
  });

  it.each([
    ['expired', () => issuer.sign({ scope: 'system/*.rs' }, { expiresIn: -120 }), /expired/],
    ['for another FHIR base', () => issuer.sign({ scope: 'system/*.rs' }, { audience: 'http://127.0.0.1:1/fhir' }), /iss or aud/],
    ['from another issuer', () => issuer.sign({ scope: 'system/*.rs' }, { issuer: 'http://127.0.0.1:2' }), /iss or aud/],
    [
      'forged (signed with another key)',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({ scope: 'system/*.rs' }).setProtectedHeader({ alg: 'RS256' }).setIssuer(issuer.url).setAudience(server.baseUrl).setExpirationTime('5m').sign(privateKey);
      },
      /not valid/,
    ],
    ['not a JWT', async () => 'abc.def.ghi', /not valid/],
    ['without exp', () => issuer.sign({ scope: 'system/*.rs' }, { expiresIn: null }), /no exp/],
    ['unsigned (alg none)', async () => new UnsecuredJWT({ scope: 'system/*.rs' }).setIssuer(issuer.url).setAudience(server.baseUrl).setExpirationTime('5m').encode(), /not valid/],
    [
      'signed with HS256 using the published public key as the secret (algorithm confusion)',
      async () => {
        const published = await (await fetch(`${issuer.url}/jwks`)).text();
        return new SignJWT({ scope: 'system/*.rs' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(issuer.url).setAudience(server.baseUrl).setExpirationTime('5m').sign(new TextEncoder().encode(published));
      },
      /not valid/,
    ],
    ['with an aud array naming other servers only', () => issuer.sign({ scope: 'system/*.rs' }, { audience: ['http://127.0.0.1:1/fhir', 'http://127.0.0.1:2/fhir'] }), /iss or aud/],
  ])('rejects a token %s with 401', async (_name, token, message) => {
    const reply = await call<OperationOutcome>('GET', `/Patient/${ids.alice}`, await token());
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(reply.body.issue[0]?.details?.text).toMatch(message);
  });

  it('accepts an aud array that names this FHIR base among others (RFC 7519 §4.1.3)', async () => {
    const token = await issuer.sign({ scope: 'system/*.rs' }, { audience: ['http://127.0.0.1:1/fhir', server.baseUrl] });
    expect((await call('GET', `/Patient/${ids.alice}`, token)).status).toBe(200);
  });

  describe('a patient/*.rs token for patient A', () => {
    let token = '';
    beforeAll(async () => {
      token = await tokenFor('launch patient/*.rs', ids.alice);
    });

    it("reads A and A's encounters, and gets 403 for B and B's encounters", async () => {
      expect((await call('GET', `/Patient/${ids.alice}`, token)).status).toBe(200);
      expect((await call('GET', `/Encounter/${ids.aliceVisit}`, token)).status).toBe(200);
      const other = await call<OperationOutcome>('GET', `/Patient/${ids.bob}`, token);
      expect(other.status).toBe(403);
      expect(other.body.issue[0]?.code).toBe('forbidden');
      expect((await call('GET', `/Encounter/${ids.bobVisit}`, token)).status).toBe(403);
      expect((await call('GET', `/Encounter/${ids.bobVisit}/_history`, token)).status).toBe(200);
      expect(idsOf((await call<Bundle>('GET', `/Encounter/${ids.bobVisit}/_history`, token)).body)).toEqual([]);
    });

    it('searches only inside A, whatever the query asks', async () => {
      const all = await call<Bundle>('GET', '/Encounter', token);
      expect(idsOf(all.body)).toEqual([`Encounter/${ids.aliceVisit}`]);
      expect(all.body.total).toBe(1);
      for (const query of [`patient=Patient/${ids.bob}`, `subject=Patient/${ids.bob}`, `_id=${ids.bobVisit}`]) {
        const reply = await call<Bundle>('GET', `/Encounter?${query}`, token);
        expect(reply.status).toBe(200);
        expect(idsOf(reply.body)).toEqual([]);
        expect(reply.body.total).toBe(0);
      }
      expect(idsOf((await call<Bundle>('GET', '/Patient', token)).body)).toEqual([`Patient/${ids.alice}`]);
      expect(idsOf((await call<Bundle>('GET', `/Patient?_id=${ids.bob}`, token)).body)).toEqual([]);
      expect((await call('GET', `/Patient/${ids.bob}/Encounter`, token)).status).toBe(403);
    });

    it('pages within A: total and next links count only A', async () => {
      const second = await create(encounterFor(ids.alice));
      try {
        const first = await call<Bundle>('GET', '/Encounter?_count=1', token);
        const expected = (await call<Bundle>('GET', `/Encounter?patient=Patient/${ids.alice}`, admin)).body.total;
        expect(first.body.total).toBe(expected);
        const seen = new Set(idsOf(first.body));
        let next = first.body.link?.find((l) => l.relation === 'next')?.url;
        while (next !== undefined) {
          const page = await call<Bundle>('GET', next.slice(server.baseUrl.length), token);
          for (const id of idsOf(page.body)) seen.add(id);
          next = page.body.link?.find((l) => l.relation === 'next')?.url;
        }
        expect(seen.size).toBe(expected);
        expect(seen.has(`Encounter/${ids.bobVisit}`)).toBe(false);
        expect(seen.has(`Encounter/${second}`)).toBe(true);
      } finally {
        expect((await call('DELETE', `/Encounter/${second}`, admin)).status).toBe(200);
      }
    });

    it('leaks nothing through _include and _revinclude', async () => {
      // Medplum's in-memory engine ignores _include today (see the README); the guard's filter below
      // is what keeps an engine that includes from leaking.
      for (const query of ['/Encounter?_include=Encounter:patient', '/Encounter?_include=Encounter:participant', '/Patient?_revinclude=Encounter:patient', `/Patient?_id=${ids.bob}&_revinclude=Encounter:subject`]) {
        const reply = await call<Bundle>('GET', query, token);
        expect(reply.status, query).toBe(200);
        for (const id of idsOf(reply.body)) expect([`Patient/${ids.alice}`, `Encounter/${ids.aliceVisit}`]).toContain(id);
      }
    });

    it('may not search types outside the compartment, whole-system search, GraphQL or operations', async () => {
      expect((await call('GET', '/Practitioner', token)).status).toBe(403);
      expect((await call('GET', `/Practitioner/${ids.dana}`, token)).status).toBe(403);
      expect((await call('GET', '/?_type=Encounter', token)).status).toBe(403);
      expect((await call('POST', '/$graphql', token, { query: '{ EncounterList { id } }' })).status).toBe(403);
      expect((await call('GET', `/Patient/${ids.bob}/$everything`, token)).status).toBe(403);
      expect((await call('GET', '/$export', token, undefined, { prefer: 'respond-async' })).status).toBe(403);
      expect((await call('POST', '/$import', token, { resourceType: 'Parameters' }, { prefer: 'respond-async' })).status).toBe(403);
      expect((await call('GET', '/$import-status/x', await tokenFor('system/*.rs'))).status).toBe(403);
    });

    it('may not write with read scopes', async () => {
      expect((await call('POST', '/Encounter', token, encounterFor(ids.alice))).status).toBe(403);
    });
  });

  describe('patient/Encounter.cu for patient A', () => {
    let token = '';
    beforeAll(async () => {
      token = await tokenFor('patient/Encounter.cu', ids.alice);
    });

    it("creates and updates A's encounters and none of B's", async () => {
      const created = await call<Encounter>('POST', '/Encounter', token, encounterFor(ids.alice));
      expect(created.status).toBe(201);
      expect((await call('PUT', `/Encounter/${created.body.id}`, token, { ...created.body, status: 'cancelled' })).status).toBe(200);
      expect((await call('POST', '/Encounter', token, encounterFor(ids.bob))).status).toBe(403);
      // Moving B's encounter to A, or A's to B, is refused both ways.
      expect((await call('PUT', `/Encounter/${ids.bobVisit}`, token, { ...encounterFor(ids.alice), id: ids.bobVisit })).status).toBe(403);
      expect((await call('PUT', `/Encounter/${created.body.id}`, token, { ...encounterFor(ids.bob), id: created.body.id })).status).toBe(403);
      const patch = [{ op: 'replace', path: '/subject', value: { reference: `Patient/${ids.bob}` } }];
      expect((await call('PATCH', `/Encounter/${created.body.id}`, token, patch, { 'content-type': 'application/json-patch+json' })).status).toBe(403);
      expect((await call('POST', '/Encounter', token, encounterFor(ids.alice), { 'if-none-exist': 'status=finished' })).status).toBe(403);
    });

    it('patches what does not tie the encounter to its patient', async () => {
      const created = await call<Encounter>('POST', '/Encounter', token, encounterFor(ids.alice));
      const patch = [{ op: 'replace', path: '/status', value: 'cancelled' }];
      const patched = await call<Encounter>('PATCH', `/Encounter/${created.body.id}`, token, patch, { 'content-type': 'application/json-patch+json' });
      expect(patched.status).toBe(200);
      expect((await call('PATCH', `/Encounter/${ids.bobVisit}`, token, patch, { 'content-type': 'application/json-patch+json' })).status).toBe(403);
    });

    it('may not read, delete, or write other types', async () => {
      expect((await call('GET', `/Encounter/${ids.aliceVisit}`, token)).status).toBe(403);
      expect((await call('GET', '/Encounter', token)).status).toBe(403);
      expect((await call('DELETE', `/Encounter/${ids.aliceVisit}`, token)).status).toBe(403);
      expect((await call('POST', '/Observation', token, { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${ids.alice}` } })).status).toBe(403);
    });

    it("refuses a transaction that writes B's data", async () => {
      const bundle = (patient: string) => ({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: encounterFor(patient), request: { method: 'POST', url: 'Encounter' } }] });
      expect((await call('POST', '', token, bundle(ids.bob))).status).toBe(403);
      expect((await call('POST', '', token, bundle(ids.alice))).status).toBe(200);
    });
  });

  describe("patient/*.cruds for patient A: nothing written lands in B's record", () => {
    const note = (subject: string, author: string) => ({
      resourceType: 'DocumentReference',
      status: 'current',
      content: [{ attachment: { contentType: 'text/plain', data: 'eA==' } }],
      subject: { reference: `Patient/${subject}` },
      author: [{ reference: `Patient/${author}` }],
    });
    const notesOf = async (patient: string): Promise<number> =>
      (await call<Bundle>('GET', `/DocumentReference?subject=Patient/${patient}`, admin)).body.entry?.length ?? 0;
    let token = '';
    beforeAll(async () => {
      token = await tokenFor('patient/*.cruds', ids.alice);
    });

    it("refuses a resource about B that names A elsewhere (author, performer): in A's compartment, but B's data", async () => {
      const before = await notesOf(ids.bob);
      expect((await call('POST', '/DocumentReference', token, note(ids.bob, ids.alice))).status).toBe(403);
      const observation = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${ids.bob}` }, performer: [{ reference: `Patient/${ids.alice}` }] };
      expect((await call('POST', '/Observation', token, observation)).status).toBe(403);
      const bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: note(ids.bob, ids.alice), request: { method: 'POST', url: 'DocumentReference' } }] };
      expect((await call('POST', '', token, bundle)).status).toBe(403);
      expect(await notesOf(ids.bob)).toBe(before);
      // A's own note, authored by A, is still written.
      expect((await call('POST', '/DocumentReference', token, note(ids.alice, ids.alice))).status).toBe(201);
    });

    it("refuses to change or delete B's resource that names A as performer", async () => {
      const observation = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${ids.bob}` }, performer: [{ reference: `Patient/${ids.alice}` }] };
      const id = await create(observation as FhirResource);
      expect((await call('PUT', `/Observation/${id}`, token, { ...observation, id, status: 'cancelled' })).status).toBe(403);
      expect((await call('DELETE', `/Observation/${id}`, token)).status).toBe(403);
      expect((await call<{ status: string }>('GET', `/Observation/${id}`, admin)).body.status).toBe('final');
    });

    it("never lets a create carrying the id of B's resource touch it (the server ignores a create's id)", async () => {
      const direct = await call<Encounter>('POST', '/Encounter', token, { ...encounterFor(ids.alice), id: ids.bobVisit });
      expect(direct.status).toBe(201);
      expect(direct.body.id).not.toBe(ids.bobVisit);
      const bundle = { resourceType: 'Bundle', type: 'batch', entry: [{ resource: { ...encounterFor(ids.alice), id: ids.bobVisit }, request: { method: 'POST', url: 'Encounter' } }] };
      const batch = await call<Bundle>('POST', '', token, bundle);
      expect(batch.body.entry?.[0]?.response?.status).toMatch(/^201/);
      expect(batch.body.entry?.[0]?.response?.location).not.toContain(ids.bobVisit);
      expect((await call<Encounter>('GET', `/Encounter/${ids.bobVisit}`, admin)).body.subject?.reference).toBe(`Patient/${ids.bob}`);
    });
  });

  it('refuses patient/ scopes in a token without a patient', async () => {
    expect((await call('GET', `/Patient/${ids.alice}`, await tokenFor('patient/*.rs'))).status).toBe(403);
  });

  it('lets user/*.rs read every patient but not write', async () => {
    const token = await tokenFor('openid fhirUser user/*.rs');
    expect((await call('GET', `/Patient/${ids.bob}`, token)).status).toBe(200);
    expect(idsOf((await call<Bundle>('GET', '/Encounter', token)).body)).toEqual(expect.arrayContaining([`Encounter/${ids.aliceVisit}`, `Encounter/${ids.bobVisit}`]));
    expect((await call('POST', '/Encounter', token, encounterFor(ids.bob))).status).toBe(403);
  });

  it('filters _include by type: user/Encounter.rs does not read the included Patient', async () => {
    const token = await tokenFor('user/Encounter.rs');
    const reply = await call<Bundle>('GET', '/Encounter?_include=Encounter:patient', token);
    expect(reply.status).toBe(200);
    expect(idsOf(reply.body).every((id) => id.startsWith('Encounter/'))).toBe(true);
    expect((await call('GET', `/Patient/${ids.bob}`, token)).status).toBe(403);
  });

  it('lets system/*.rs start a Bulk Data export', async () => {
    const reply = await call('GET', '/$export', await tokenFor('system/*.rs'), undefined, { prefer: 'respond-async' });
    expect(reply.status).toBe(202);
  });

  it("drops other patients' resources and unreadable types from a searchset, as an engine that includes would return them", async () => {
    const guard = new AuthGuard({ issuer: issuer.url, jwksUri: `${issuer.url}/jwks` }, async () => undefined);
    await guard.start('http://127.0.0.1:1/fhir');
    const searchset = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: 1,
      entry: [
        { resource: { ...encounterFor('a'), id: 'e-a' }, search: { mode: 'match' } },
        { resource: { resourceType: 'Patient', id: 'a' }, search: { mode: 'include' } },
        { resource: { resourceType: 'Patient', id: 'b' }, search: { mode: 'include' } },
        { resource: { ...encounterFor('b'), id: 'e-b' }, search: { mode: 'include' } },
        { resource: { resourceType: 'Encounter', id: 'e-abs', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'http://127.0.0.1:1/fhir/Patient/a' } }, search: { mode: 'include' } },
        { resource: { resourceType: 'Practitioner', id: 'p' }, search: { mode: 'include' } },
      ],
    };
    const patientA = { grants: parseScopeGrants('patient/*.rs'), patient: 'a' };
    expect(idsOf(guard.filter(patientA, 'GET', 'Encounter', searchset as never) as Bundle)).toEqual(['Encounter/e-a', 'Patient/a', 'Encounter/e-abs']);
    const encountersOnly = { grants: parseScopeGrants('user/Encounter.rs'), patient: undefined };
    expect(idsOf(guard.filter(encountersOnly, 'GET', 'Encounter', searchset as never) as Bundle)).toEqual(['Encounter/e-a', 'Encounter/e-b', 'Encounter/e-abs']);
    expect(() => guard.filter(patientA, 'GET', 'Patient/b', { resourceType: 'Patient', id: 'b' } as never)).toThrow(/does not allow/);
    // The same search run as a batch entry (POST to the base) is filtered the same way.
    const batch = { resourceType: 'Bundle', type: 'batch-response', entry: [{ response: { status: '200' }, resource: searchset }] };
    const answered = guard.filter(encountersOnly, 'POST', '', batch as never) as Bundle;
    expect(idsOf(answered.entry?.[0]?.resource as Bundle)).toEqual(['Encounter/e-a', 'Encounter/e-b', 'Encounter/e-abs']);
    expect(answered.entry?.[0]?.response?.status).toBe('200');
  });
});
