import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toFhir } from '@peerkit/fhir';
import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { generateClinic, type ClinicRecord } from '@peerkit/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCdsService, type Card, type ReceivedFeedback, type RunningCdsService } from '../src/index';
import { cdsResponseProblems, discoveryProblems } from './card-schema';
import { BETA, BETA_CONSENT, BETA_COVERAGE, BETA_ED, BETA_OUD, BETA_OVERDOSE, BETA_PATIENT, DRAFT_PEER_REFERRAL } from './fixtures';
import { ALPHA, EHR_ISSUER, ehrKeys, hookRequest, NOW, ofType, post, searchset } from './helpers';

let fhir: FhirServer;
let cds: RunningCdsService;
let keys: Awaited<ReturnType<typeof ehrKeys>>;
const feedback: ReceivedFeedback[] = [];
const seenAuth: (string | undefined)[] = [];
let proxy: ReturnType<typeof createServer>;
let proxyUrl: string;

const url = (id: string) => `${cds.baseUrl}/cds-services/${id}`;
const call = async (id: string, body: unknown, token?: string) => {
  const res = await post(url(id), body, token ?? (await keys.sign(url(id))));
  return { status: res.status, body: (await res.json().catch(() => undefined)) as { cards: Card[] } & Record<string, unknown> };
};

beforeAll(async () => {
  fhir = await startFhirServer({ port: 0 });
  for (const resource of [...ALPHA, ...BETA]) {
    const res = await fetch(`${fhir.baseUrl}/${String(resource.resourceType)}/${String(resource.id)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(resource),
    });
    expect(res.status, `${String(resource.resourceType)}/${String(resource.id)}`).toBeLessThan(300);
  }
  // A pass-through in front of the FHIR server that records the Authorization header it is sent.
  proxy = createServer((req, res) => {
    seenAuth.push(req.headers.authorization);
    void fetch(`${new URL(fhir.baseUrl).origin}${req.url ?? ''}`, { headers: { accept: 'application/fhir+json' } }).then(async (reply) => {
      res.writeHead(reply.status, { 'content-type': 'application/fhir+json' }).end(await reply.text());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${new URL(fhir.baseUrl).pathname}`;
  keys = await ehrKeys();
  cds = await startCdsService({
    auth: { clients: [{ issuer: EHR_ISSUER, jwks: keys.jwks }], now: () => NOW },
    now: () => NOW,
    onFeedback: (f) => void feedback.push(f),
  });
});

afterAll(async () => {
  await cds?.close();
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await fhir?.close();
});

const alphaPrefetch = () => ({
  patient: ofType(ALPHA, 'Patient')[0],
  conditions: searchset([]),
  encounters: searchset(ofType(ALPHA, 'Encounter')),
  carePlans: searchset(ofType(ALPHA, 'CarePlan')),
  consents: searchset(ofType(ALPHA, 'Consent')),
  serviceRequests: searchset(ofType(ALPHA, 'ServiceRequest')),
});
const fhirAuthorization = { access_token: 'host-token-1', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'peerkit-cds' };

describe('discovery', () => {
  it('lists the three services with their prefetch templates, with CORS headers', async () => {
    const res = await fetch(`${cds.baseUrl}/cds-services`, { headers: { origin: 'https://ehr.example.org' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as { services: { hook: string; id: string; prefetch: Record<string, string> }[] };
    expect(discoveryProblems(body)).toEqual([]);
    expect(body.services.map((s) => s.hook)).toEqual(['patient-view', 'order-sign', 'encounter-discharge']);
    expect(body.services[0]?.prefetch.patient).toBe('Patient/{{context.patientId}}');
  });

  it('answers a CORS preflight', async () => {
    const res = await fetch(url('peerkit-patient-view'), { method: 'OPTIONS', headers: { origin: 'https://ehr.example.org', 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });
});

describe('patient-view', () => {
  it('summarises peer support from prefetch: active plan, last contact, no referral suggestion', async () => {
    const { status, body } = await call('peerkit-patient-view', hookRequest('patient-view', { patientId: 'pat-alpha' }, { prefetch: alphaPrefetch() }));
    expect(status).toBe(200);
    expect(cdsResponseProblems(body)).toEqual([]);
    expect(body.cards).toHaveLength(1);
    expect(body.cards[0]?.summary).toMatch(/^Peer support: active recovery plan · last peer contact 2025-04-08/);
    expect(body.cards[0]?.suggestions).toBeUndefined();
  });

  it('fetches what was not prefetched from fhirServer with the fhirAuthorization token: the same cards', async () => {
    seenAuth.length = 0;
    const request = hookRequest('patient-view', { patientId: 'pat-alpha' }, { fhirServer: proxyUrl, fhirAuthorization });
    const { status, body } = await call('peerkit-patient-view', request);
    expect(status).toBe(200);
    expect(cdsResponseProblems(body)).toEqual([]);
    const prefetched = await call('peerkit-patient-view', hookRequest('patient-view', { patientId: 'pat-alpha' }, { prefetch: alphaPrefetch() }));
    expect(body.cards.map((c) => [c.summary, c.detail])).toEqual(prefetched.body.cards.map((c) => [c.summary, c.detail]));
    expect(seenAuth.length).toBe(6);
    expect(new Set(seenAuth)).toEqual(new Set(['Bearer host-token-1']));
  });

  it('suggests a referral to peer support (a create action with a ServiceRequest) for a substance-use diagnosis and no peer services', async () => {
    const prefetch = { patient: BETA_PATIENT, conditions: searchset([BETA_OUD]), encounters: null, carePlans: null, consents: null, serviceRequests: searchset([]) };
    const { status, body } = await call('peerkit-patient-view', hookRequest('patient-view', { patientId: 'pat-beta' }, { prefetch }));
    expect(status).toBe(200);
    expect(cdsResponseProblems(body)).toEqual([]);
    expect(body.cards).toHaveLength(1);
    const [card] = body.cards;
    expect(card?.selectionBehavior).toBe('at-most-one');
    const action = card?.suggestions?.[0]?.actions?.[0];
    expect(action?.type).toBe('create');
    expect(action?.resource).toMatchObject({
      resourceType: 'ServiceRequest',
      status: 'draft',
      intent: 'proposal',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '461481000124109' }] },
      subject: { reference: 'Patient/pat-beta' },
      reasonReference: [{ reference: 'Condition/cond-beta-oud' }],
      requester: { reference: 'Practitioner/pr-ed-1' },
    });
  });

  it('suggests nothing when whether the patient has peer services is unknown (not prefetched, no fhirServer)', async () => {
    const { body } = await call('peerkit-patient-view', hookRequest('patient-view', { patientId: 'pat-beta' }, { prefetch: { patient: BETA_PATIENT, conditions: searchset([BETA_OUD]) } }));
    expect(body.cards).toEqual([]);
  });

  it('suggests nothing when a peer-support order is already open', async () => {
    const open = { ...DRAFT_PEER_REFERRAL, status: 'active' };
    const prefetch = { patient: BETA_PATIENT, conditions: searchset([BETA_OUD]), encounters: null, carePlans: null, consents: null, serviceRequests: searchset([open]) };
    const { body } = await call('peerkit-patient-view', hookRequest('patient-view', { patientId: 'pat-beta' }, { prefetch }));
    expect(body.cards).toEqual([]);
  });
});

describe('order-sign', () => {
  const draftOrders = (orders: Record<string, unknown>[]) => searchset(orders);

  it('is critical when Part 2 records go to a recipient no consent covers, and warns on billing (age under the pack minimum)', async () => {
    const prefetch = { patient: BETA_PATIENT, consents: null, coverage: searchset([BETA_COVERAGE]), conditions: searchset([BETA_OUD]) };
    const { status, body } = await call('peerkit-order-sign', hookRequest('order-sign', { patientId: 'pat-beta', draftOrders: draftOrders([DRAFT_PEER_REFERRAL]) }, { prefetch }));
    expect(status).toBe(200);
    expect(cdsResponseProblems(body)).toEqual([]);
    expect(body.cards.map((c) => c.indicator)).toEqual(['critical', 'warning']);
    expect(body.cards[0]?.summary).toMatch(/No consent covers Part 2 records/);
    expect(body.cards[0]?.source.url).toMatch(/^https:\/\/www\.ecfr\.gov\//);
    expect(body.cards[1]?.summary).toMatch(/age is outside New Jersey Medicaid/);
    expect(body.cards[1]?.source.label).toMatch(/\(S1\)$/);
  });

  it('notes the redisclosure notice when a consent covers the recipient, and warns when no coverage is on file', async () => {
    const prefetch = { patient: { ...BETA_PATIENT, birthDate: '1990-05-01' }, consents: searchset([BETA_CONSENT]), coverage: searchset([]), conditions: searchset([BETA_OUD]) };
    const { body } = await call('peerkit-order-sign', hookRequest('order-sign', { patientId: 'pat-beta', draftOrders: draftOrders([DRAFT_PEER_REFERRAL]) }, { prefetch }));
    expect(cdsResponseProblems(body)).toEqual([]);
    expect(body.cards.map((c) => [c.indicator, c.summary.slice(0, 30)])).toEqual([
      ['info', 'Consent covers this peer-suppo'],
      ['warning', 'Peer support may not be billab'],
    ]);
  });

  it('warns that consent could not be checked when the consents are not available, instead of deciding on none', async () => {
    const prefetch = { patient: BETA_PATIENT, coverage: null, conditions: searchset([BETA_OUD]) };
    const { body } = await call('peerkit-order-sign', hookRequest('order-sign', { patientId: 'pat-beta', draftOrders: draftOrders([DRAFT_PEER_REFERRAL]) }, { prefetch }));
    expect(cdsResponseProblems(body)).toEqual([]);
    expect(body.cards.map((c) => [c.indicator, c.summary.slice(0, 28)])).toEqual([
      ['warning', 'Consent could not be checked'],
      ['warning', 'Peer support may not be bill'],
    ]);
  });

  it('checks a disclosure (CommunicationRequest) of Part 2 records the same way', async () => {
    const disclosure = {
      resourceType: 'CommunicationRequest',
      status: 'draft',
      subject: { reference: 'Patient/pat-beta' },
      recipient: [{ reference: 'Organization/org-elsewhere' }],
      payload: [{ contentReference: { reference: 'Condition/cond-beta-oud' } }],
    };
    const prefetch = { patient: BETA_PATIENT, consents: searchset([BETA_CONSENT]), coverage: null, conditions: searchset([BETA_OUD]) };
    const { body } = await call('peerkit-order-sign', hookRequest('order-sign', { patientId: 'pat-beta', draftOrders: draftOrders([disclosure]) }, { prefetch }));
    expect(cdsResponseProblems(body)).toEqual([]);
    expect(body.cards.map((c) => c.indicator)).toEqual(['critical']);
  });

  it('warns when the performer is a peer specialist with no certification the payer accepts today (credential), not when one is current', async () => {
    const { records } = generateClinic({ seed: 3, peers: 2, weeks: 1 });
    const specialistWith = (expires: string): Record<string, unknown>[] => {
      const specialist = records.find((r) => r.kind === 'specialist' && r.id === 'sp-0001') as Extract<ClinicRecord, { kind: 'specialist' }>;
      const certified = { ...specialist, certifications: specialist.certifications.map((c) => ({ ...c, credential: 'cps' as const, issued: '2024-01-01', expires })) };
      const out = toFhir([...records.filter((r) => r.kind === 'organization'), certified]);
      if (!out.ok) throw new Error('mapping failed');
      return (out.value as unknown as Record<string, unknown>[]).filter((r) => ['Practitioner', 'PractitionerRole', 'Organization'].includes(String(r.resourceType)));
    };
    const prefetch = { patient: { ...BETA_PATIENT, birthDate: '1990-05-01' }, consents: searchset([BETA_CONSENT]), coverage: searchset([BETA_COVERAGE]), conditions: searchset([]) };
    const order = { ...DRAFT_PEER_REFERRAL, reasonReference: undefined, performer: [{ reference: 'Practitioner/pr-sp-0001' }] };
    const run = async (expires: string) =>
      (await call('peerkit-order-sign', hookRequest('order-sign', { patientId: 'pat-beta', draftOrders: draftOrders([order, ...specialistWith(expires)]) }, { prefetch }))).body;
    const expired = await run('2025-01-01');
    expect(cdsResponseProblems(expired)).toEqual([]);
    expect(expired.cards.map((c) => [c.indicator, c.summary])).toEqual([['warning', expect.stringMatching(/performer holds no current certification New Jersey Medicaid/)]]);
    expect(expired.cards[0]?.source).toMatchObject({ label: expect.stringMatching(/\(S11\)$/), url: 'https://medicaid.gov/federal-policy-guidance/downloads/SMD081507A.pdf' });
    expect((await run('2026-01-01')).cards).toEqual([]);
  });

  it('says nothing about orders that are neither peer support nor a disclosure', async () => {
    const lab = ofType(ALPHA, 'ServiceRequest').find((r) => r.id === 'sr-alpha-lab');
    const { body } = await call('peerkit-order-sign', hookRequest('order-sign', { patientId: 'pat-alpha', draftOrders: draftOrders([lab!]) }, { prefetch: { patient: null, consents: null, coverage: null, conditions: null } }));
    expect(body.cards).toEqual([]);
  });
});

describe('encounter-discharge', () => {
  it('suggests an urgent warm hand-off for an ED discharge after an overdose, reading the FHIR server when not prefetched', async () => {
    const request = hookRequest('encounter-discharge', { patientId: 'pat-beta', encounterId: 'enc-beta-ed' }, { fhirServer: fhir.baseUrl, fhirAuthorization });
    const { status, body } = await call('peerkit-encounter-discharge', request);
    expect(status).toBe(200);
    expect(cdsResponseProblems(body)).toEqual([]);
    expect(body.cards).toHaveLength(1);
    expect(body.cards[0]).toMatchObject({ indicator: 'warning', summary: expect.stringMatching(/^Overdose at this visit/) });
    expect(body.cards[0]?.suggestions?.[0]?.actions?.[0]?.resource).toMatchObject({
      resourceType: 'ServiceRequest',
      priority: 'urgent',
      encounter: { reference: 'Encounter/enc-beta-ed' },
      reasonReference: [{ reference: 'Condition/cond-beta-od' }],
    });
  });

  it('suggests nothing for an ambulatory encounter or without a qualifying diagnosis', async () => {
    const ambulatory = { ...BETA_ED, class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' } };
    const a = await call('peerkit-encounter-discharge', hookRequest('encounter-discharge', { patientId: 'pat-beta', encounterId: 'enc-beta-ed' }, { prefetch: { encounter: ambulatory, conditions: searchset([BETA_OVERDOSE]), serviceRequests: null } }));
    expect(a.body.cards).toEqual([]);
    const b = await call('peerkit-encounter-discharge', hookRequest('encounter-discharge', { patientId: 'pat-beta', encounterId: 'enc-beta-ed' }, { prefetch: { encounter: BETA_ED, conditions: searchset([]), serviceRequests: null } }));
    expect(b.body.cards).toEqual([]);
  });
});

describe('errors', () => {
  it('refuses to listen beyond loopback without authentication', async () => {
    await expect(startCdsService({ auth: false, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('404 for an unknown service', async () => {
    const { status, body } = await call('no-such-hook', hookRequest('patient-view', { patientId: 'pat-alpha' }));
    expect(status).toBe(404);
    expect(body.resourceType).toBe('OperationOutcome');
  });

  it('401 for a missing token, a token signed by another key, the wrong aud, an expired token and a replayed jti', async () => {
    const id = 'peerkit-patient-view';
    const body = hookRequest('patient-view', { patientId: 'pat-alpha' }, { prefetch: alphaPrefetch() });
    const stranger = await ehrKeys();
    const expired = await keys.sign(url(id), { exp: Math.floor(NOW.getTime() / 1000) - 600, iat: Math.floor(NOW.getTime() / 1000) - 900 });
    const once = await keys.sign(url(id));
    expect((await call(id, body, once)).status).toBe(200);
    for (const token of ['', await stranger.sign(url(id)), await keys.sign(url('peerkit-order-sign')), expired, once, await keys.sign(url(id), {}, 'https://other.example.org')]) {
      const res = await post(url(id), body, token === '' ? undefined : token);
      expect(res.status).toBe(401);
      const outcome = (await res.json()) as { resourceType: string; issue: { code: string; details?: { coding?: { code: string }[] } }[] };
      expect(outcome.resourceType).toBe('OperationOutcome');
      expect(JSON.stringify(outcome)).not.toContain(token === '' ? 'no-token' : token);
    }
  });

  it('400 for a malformed request, naming the fields, never their values', async () => {
    const res = await post(url('peerkit-order-sign'), { hook: 'order-sign', hookInstance: 'not-a-uuid-SECRET', context: { patientId: 'SECRET-ID' } }, await keys.sign(url('peerkit-order-sign')));
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toContain('SECRET');
    expect(text).toContain('hookInstance');
    expect(text).toContain('context.userId');
    expect(text).toContain('context.draftOrders');
    const notJson = await post(url('peerkit-order-sign'), '{"hook":', await keys.sign(url('peerkit-order-sign')));
    expect(notJson.status).toBe(400);
  });
});

describe('feedback', () => {
  it('accepts feedback on a card and hands it to onFeedback', async () => {
    const id = 'peerkit-patient-view';
    const entry = { card: '8d1fa9a7-9b2c-4b1e-a1c4-0a6d2f3e9b10', outcome: 'accepted', acceptedSuggestions: [{ id: '0f0b7c2e-1f0e-4a50-9d0c-2b7d1e9c3a44' }], outcomeTimestamp: '2025-04-10T12:01:00Z' };
    const res = await post(`${url(id)}/feedback`, { feedback: [entry] }, await keys.sign(url(id)));
    expect(res.status).toBe(200);
    expect(feedback.at(-1)).toEqual({ serviceId: id, client: EHR_ISSUER, feedback: [entry] });
  });

  it('400 for malformed feedback, 401 without a token', async () => {
    const id = 'peerkit-patient-view';
    expect((await post(`${url(id)}/feedback`, { feedback: [{ card: 'x', outcome: 'maybe' }] }, await keys.sign(url(id)))).status).toBe(400);
    expect((await post(`${url(id)}/feedback`, { feedback: [] })).status).toBe(401);
  });
});
