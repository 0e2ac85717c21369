import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readHostFhir, type HostRecord } from '@peerkit/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_RETRY, useEmbeddedServer } from '../test/helpers';
import { SyncError } from './errors';
import { readPatientFromServer, type ReadPatientOptions } from './read-patient';
import { createFhirTransport } from './transport';

const HOST = join(import.meta.dirname, '../../fhir/test/fixtures/host');
const server = useEmbeddedServer();
const read = (patient: ReadPatientOptions['patient'], options: Partial<ReadPatientOptions> = {}) =>
  readPatientFromServer({ transport: createFhirTransport({ baseUrl: server.baseUrl }), patient, asOf: '2025-04-01', ...options });

const json = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
/** The host fixtures read one file at a time (`resources/`): one patient's record, ids consistent across the folder. */
const ALPHA = readdirSync(join(HOST, 'resources')).map((f) => json(join(HOST, 'resources', f)));
/** The Bulk export fixtures (`bulk/*.ndjson`): three patients, a group session, practitioners and roles. */
const BULK = readdirSync(join(HOST, 'bulk'))
  .filter((f) => f.endsWith('.ndjson'))
  .flatMap((f) => readFileSync(join(HOST, 'bulk', f), 'utf8').split('\n').filter((l) => l.trim() !== ''))
  .map((l) => JSON.parse(l) as Record<string, unknown>);

/** What a record is, without where it was read from (positions differ between a server and a file). */
const summary = (records: readonly HostRecord[]) =>
  records.map((r) => ({ kind: r.kind, record: r.record, valid: r.valid, issues: r.issues, defaulted: r.defaulted })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

beforeAll(async () => {
  // Every fixture of resources/ and bulk/ validates on the embedded server (Medplum's validateResource).
  for (const resource of [...ALPHA, ...BULK]) {
    const res = await fetch(`${server.baseUrl}/${String(resource.resourceType)}/${String(resource.id)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(resource),
    });
    expect(res.status, `${String(resource.resourceType)}/${String(resource.id)}`).toBeLessThan(300);
  }
  for (const n of [1, 2]) {
    const twin = { resourceType: 'Patient', id: `twin-${n}`, identifier: [{ system: 'https://ehr.example.org/fhir/sid/mrn', value: 'MRN-TWIN' }] };
    await fetch(`${server.baseUrl}/Patient/twin-${n}`, { method: 'PUT', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(twin) });
  }
});

describe('readPatientFromServer', () => {
  it("reads a patient's record by id: the same records as readHostFhir on the same resources read from files", async () => {
    const result = await read('pat-alpha');
    expect(result.patient).toBe('Patient/pat-alpha');
    // Every resource of the folder: the compartment, and the organization and program its resources name.
    expect(result.resources).toBe(ALPHA.length);
    expect(summary(result.records)).toEqual(summary(readHostFhir(ALPHA, { asOf: '2025-04-01' }).records));
    expect(result.records.map((r) => r.kind).sort()).toEqual(
      ['consent', 'consent', 'consent', 'encounter', 'encounter', 'encounter', 'encounter', 'encounter', 'goal', 'organization', 'peer', 'recovery-plan', 'referral'],
    );
    expect(result.findings.some((f) => f.code === 'host.search-failed' || f.code === 'host.nothing-read')).toBe(false);
  });

  it('places findings at the search, page and entry, and keeps the server fullUrl on the sources', async () => {
    const result = await read('pat-alpha');
    const local = result.findings.find((f) => f.code === 'host.not-peer-support' && f.path[0] === 'Encounter?patient');
    expect(local?.path).toEqual(['Encounter?patient', 0, 'entry', 3, 'type']);
    const peer = result.records.find((r) => r.kind === 'peer');
    expect(peer?.sources[0]).toMatchObject({ path: ['Patient'], fullUrl: `${server.baseUrl}/Patient/pat-alpha` });
  });

  it.each([
    ['a system|value token', 'https://ehr.example.org/fhir/sid/mrn|MRN-0001'],
    ['{ system, value }', { system: 'https://ehr.example.org/fhir/sid/mrn', value: 'MRN-0001' }],
  ])('reads the same record by identifier given as %s', async (_name, patient) => {
    const [byId, byIdentifier] = [await read('pat-alpha'), await read(patient)];
    expect(byIdentifier.patient).toBe('Patient/pat-alpha');
    expect(summary(byIdentifier.records)).toEqual(summary(byId.records));
    expect(byIdentifier.records.find((r) => r.kind === 'peer')?.sources[0]?.path).toEqual(['Patient?identifier', 0, 'entry', 0]);
  });

  it('follows next links: a page size of 2 pages the searches and reads the same records', async () => {
    const [whole, paged] = [await read('pat-alpha'), await read('pat-alpha', { pageSize: 2 })];
    expect(summary(paged.records)).toEqual(summary(whole.records));
    expect(paged.requests).toBeGreaterThan(whole.requests);
    const encounterPages = new Set(paged.records.filter((r) => r.kind === 'encounter').map((r) => r.sources[0]?.path[1]));
    expect([...encounterPages].sort()).toEqual([0, 1, 2]);
  });

  it("reads a group session through Group?member and the Group's Encounters, and a peer specialist through the practitioner's roles", async () => {
    const result = await read('pat-b-echo');
    const kinds = result.records.map((r) => `${r.kind}/${String((r.record as { id?: string }).id)}`).sort();
    expect(kinds).toEqual(['encounter/enc-b-echo-1', 'group-session/grp-b-wrap-0304', 'organization/org-b-clinic', 'peer/pat-b-echo', 'specialist/prac-b2']);
    const session = result.records.find((r) => r.kind === 'group-session');
    expect(session?.sources.map((s) => s.path[0])).toEqual(['Group?member', 'Encounter?subject']);
    // Other patients of the group are never fetched: their references stay the host's.
    expect(result.findings.filter((f) => f.code === 'host.reference-unresolved' && f.path[0] === 'Group?member')).toHaveLength(2);
  });

  it('reads only the types asked for (and the organizations they name)', async () => {
    const result = await read('pat-alpha', { types: ['Consent'] });
    expect(result.records.map((r) => r.kind).sort()).toEqual(['consent', 'consent', 'consent', 'organization', 'peer']);
  });

  it.each([
    ['an unknown id', 'no-such-patient', 'host.patient-not-found'],
    ['an unknown identifier', 'https://ehr.example.org/fhir/sid/mrn|MRN-9999', 'host.patient-not-found'],
    ['an identifier two patients hold', 'https://ehr.example.org/fhir/sid/mrn|MRN-TWIN', 'host.patient-ambiguous'],
  ])('answers %s with a coded finding, not a throw, and echoes no value', async (_name, patient, code) => {
    const result = await read(patient);
    expect(result.patient).toBeUndefined();
    expect(result.records).toEqual([]);
    expect(result.findings.map((f) => [f.code, f.severity])).toEqual([
      [code, 'error'],
      ['host.nothing-read', 'warning'],
    ]);
    expect(result.requests).toBe(1);
    expect(JSON.stringify(result.findings)).not.toMatch(/MRN-|no-such-patient/);
  });

  it.each([
    ['a patient that is neither an id nor an identifier', { patient: 'not an id' }],
    ['an identifier without a value', { patient: { system: 'https://ehr.example.org/fhir/sid/mrn', value: '' } }],
    ['a page size of 0', { patient: 'pat-alpha', pageSize: 0 }],
    ['a type PeerKit does not read', { patient: 'pat-alpha', types: ['Observation'] }],
  ])('throws sync.invalid-option for %s before any request', async (_name, options) => {
    const transport = createFhirTransport({ baseUrl: server.baseUrl });
    await expect(readPatientFromServer({ transport, ...(options as Pick<ReadPatientOptions, 'patient'>) })).rejects.toMatchObject({
      name: 'SyncError',
      code: 'sync.invalid-option',
    });
  });
});

/**
 * A loopback server answering with canned searchset pages: what a real EHR does and the embedded
 * server does not (`_include`d entries, opaque `next` links, refusals, rate limits).
 */
describe('readPatientFromServer against canned search pages', () => {
  type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
  const seen: string[] = [];
  let route: (url: URL) => Answer = () => ({ status: 404 });
  let base = '';
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    seen.push(`${url.pathname.replace('/fhir/', '')}${url.search}`);
    const { status, body, headers } = route(url);
    res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/fhir`;
  });
  afterAll(async () => {
    await new Promise((resolve) => http.close(resolve));
  });

  const searchset = (entries: [Record<string, unknown>, 'match' | 'include'][], next?: string) => ({
    resourceType: 'Bundle',
    type: 'searchset',
    ...(next === undefined ? {} : { link: [{ relation: 'next', url: next }] }),
    entry: entries.map(([resource, mode]) => ({ fullUrl: `${base}/${String(resource.resourceType)}/${String(resource.id)}`, resource, search: { mode } })),
  });
  const PATIENT = { resourceType: 'Patient', id: 'p1', birthDate: '1990-01-01' };
  const PRACTITIONER = { resourceType: 'Practitioner', id: 'cps1', name: [{ family: 'Testpeer', given: ['Certified'] }] };
  const ROLE = {
    resourceType: 'PractitionerRole',
    id: 'role1',
    practitioner: { reference: 'Practitioner/cps1' },
    code: [{ coding: [{ system: 'http://nucc.org/provider-taxonomy', code: '175T00000X' }] }],
  };
  const encounter = (id: string) => ({
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    type: [{ coding: [{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'H0038' }] }],
    subject: { reference: 'Patient/p1' },
    participant: [{ individual: { reference: `${base}/PractitionerRole/role1` } }],
    period: { start: '2025-03-01T10:00:00Z', end: '2025-03-01T11:00:00Z' },
  });
  const empty = searchset([]);
  const readCanned = (options: Partial<ReadPatientOptions> = {}) =>
    readPatientFromServer({ transport: createFhirTransport({ baseUrl: base }), patient: 'p1', asOf: '2025-04-01', retry: FAST_RETRY, ...options });

  it("takes _include'd entries without asking again, follows opaque next links, and retries a 503 and a 429", async () => {
    seen.length = 0;
    let [patientCalls, pageCalls] = [0, 0];
    route = (url) => {
      if (url.pathname.endsWith('/Patient/p1')) return patientCalls++ === 0 ? { status: 503, headers: { 'retry-after': '0' } } : { status: 200, body: PATIENT };
      if (url.searchParams.get('_getpages') === 'page2') {
        return pageCalls++ === 0 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 200, body: searchset([[encounter('e2'), 'match'], [ROLE, 'include'], [PRACTITIONER, 'include']]) };
      }
      if (url.pathname.endsWith('/Encounter') && url.searchParams.get('patient') === 'Patient/p1') {
        return { status: 200, body: searchset([[encounter('e1'), 'match'], [ROLE, 'include'], [PRACTITIONER, 'include']], `${base}?_getpages=page2`) };
      }
      return { status: 200, body: empty };
    };
    const result = await readCanned();
    expect(result.records.map((r) => `${r.kind}/${String((r.record as { id?: string }).id)}`).sort()).toEqual(['encounter/e1', 'encounter/e2', 'peer/p1', 'specialist/cps1']);
    expect(result.resources).toBe(5);
    // Nothing included is asked for again by _id; the practitioner's other roles are searched once.
    expect(seen.filter((u) => u.includes('?_id='))).toEqual([]);
    expect(seen.filter((u) => u.startsWith('PractitionerRole?practitioner=Practitioner/cps1'))).toHaveLength(1);
    expect(seen[0]).toBe('Patient/p1');
    expect(seen[1]).toBe('Patient/p1');
    expect(seen.filter((u) => u.includes('_getpages'))).toHaveLength(2);
    expect(result.requests).toBe(seen.length);
  });

  it('asks again without _include when the server refuses an include, and fetches what it names by _id', async () => {
    seen.length = 0;
    route = (url) => {
      if (url.pathname.endsWith('/Patient/p1')) return { status: 200, body: PATIENT };
      if (url.pathname.endsWith('/Encounter') && url.searchParams.has('patient')) {
        return url.searchParams.has('_include') ? { status: 400, body: { resourceType: 'OperationOutcome', issue: [] } } : { status: 200, body: searchset([[encounter('e1'), 'match']]) };
      }
      if (url.pathname.endsWith('/PractitionerRole') && url.searchParams.get('_id') === 'role1') return { status: 200, body: searchset([[ROLE, 'match']]) };
      if (url.pathname.endsWith('/Practitioner') && url.searchParams.get('_id') === 'cps1') return { status: 200, body: searchset([[PRACTITIONER, 'match']]) };
      return { status: 200, body: empty };
    };
    const result = await readCanned();
    expect(result.records.map((r) => r.kind).sort()).toEqual(['encounter', 'peer', 'specialist']);
    expect(seen).toContain('PractitionerRole?_id=role1&_count=100');
    expect(seen).toContain('Practitioner?_id=cps1&_count=100');
    expect(result.findings.filter((f) => f.code === 'host.search-failed')).toEqual([]);
  });

  it('reports a refused search and a next link to another server as host.search-failed, and reads the rest', async () => {
    route = (url) => {
      if (url.pathname.endsWith('/Patient/p1')) return { status: 200, body: PATIENT };
      if (url.pathname.endsWith('/Consent')) return { status: 403, body: { resourceType: 'OperationOutcome', issue: [] } };
      if (url.pathname.endsWith('/Encounter') && url.searchParams.has('patient')) {
        return { status: 200, body: searchset([[encounter('e1'), 'match']], 'https://elsewhere.example.org/fhir?page=2') };
      }
      return { status: 200, body: empty };
    };
    const result = await readCanned({ types: ['Encounter', 'Consent'] });
    expect(result.findings.filter((f) => f.code === 'host.search-failed').map((f) => [f.path, f.severity])).toEqual([
      [['Encounter?patient', 1], 'warning'],
      [['Consent?patient', 0], 'warning'],
    ]);
    expect(result.records.map((r) => r.kind).sort()).toEqual(['encounter', 'peer']);
  });

  it("puts no malformed server id into a later search's URL", async () => {
    seen.length = 0;
    route = (url) => {
      if (url.pathname.endsWith('/Patient/p1')) return { status: 200, body: PATIENT };
      if (url.pathname.endsWith('/Group')) return { status: 200, body: searchset([[{ resourceType: 'Group', id: 'g1&_id=x', type: 'person', actual: true }, 'match']]) };
      return { status: 200, body: empty };
    };
    await readCanned({ types: ['Group'] });
    expect(seen.filter((u) => u.startsWith('Encounter?subject'))).toEqual([]);
  });

  it('throws sync.server-unavailable when the server keeps failing', async () => {
    route = () => ({ status: 503 });
    await expect(readCanned()).rejects.toBeInstanceOf(SyncError);
    await expect(readCanned()).rejects.toMatchObject({ code: 'sync.server-unavailable' });
  });
});
