import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmartAuthServer, type SmartAuthServer } from '../src/index';
import { exchangeCode, formAction, pkce, UserAgent } from './oauth-client';

const APP = 'http://127.0.0.1:5999';
const REDIRECT = `${APP}/callback`;
const SCOPE = 'launch openid fhirUser offline_access patient/*.rs patient/Encounter.cu';

let fhir: FhirServer;
let smart: SmartAuthServer;
const ids = { alice: '', bob: '', dana: '', visit: '' };

async function create(resource: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${fhir.baseUrl}/${String(resource.resourceType)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${await smart.issueAccessToken({ scope: 'system/*.cruds' })}` },
    body: JSON.stringify(resource),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

beforeAll(async () => {
  // The FHIR server enforces the tokens this server issues (the way peerkit serve --auth smart runs them).
  fhir = await startFhirServer({
    port: 0,
    auth: async (fhirBaseUrl) => {
      smart = await startSmartAuthServer({
        fhirBaseUrl,
        clients: [{ clientId: 'workspace', name: 'Peer workspace', redirectUris: [REDIRECT], launchUrl: `${APP}/launch` }],
      });
      return { issuer: smart.issuer, jwksUri: smart.jwksUri, smartConfiguration: { ...smart.smartConfiguration } };
    },
  });
  ids.alice = await create({ resourceType: 'Patient', name: [{ given: ['Alice'], family: 'Synthetic' }], birthDate: '1980-02-03' });
  ids.bob = await create({ resourceType: 'Patient', name: [{ given: ['Bob'], family: 'Synthetic' }] });
  ids.dana = await create({ resourceType: 'Practitioner', name: [{ given: ['Dana'], family: 'Peer' }] });
  ids.visit = await create({ resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: `Patient/${ids.alice}` } });
});

afterAll(async () => {
  await smart?.close();
  await fhir?.close();
});

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL(smart.smartConfiguration.authorization_endpoint);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: 'workspace', redirect_uri: REDIRECT, aud: fhir.baseUrl, state: 's1', code_challenge_method: 'S256', ...params })) {
    url.searchParams.set(k, v);
  }
  return url.href;
}

describe('startSmartAuthServer', () => {
  it('publishes the SMART configuration and the signing keys', async () => {
    const config = (await (await fetch(`${smart.issuer}/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    expect(config).toEqual(smart.smartConfiguration);
    expect(config.code_challenge_methods_supported).toEqual(['S256']);
    expect(config.capabilities).toEqual(expect.arrayContaining(['launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'permission-v2']));
    const jwks = (await (await fetch(smart.jwksUri)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('runs an EHR launch: launch context, PKCE, a JWT access token for the FHIR base, an ID token with fhirUser', async () => {
    const launch = smart.createLaunch({ patient: ids.alice, encounter: ids.visit, user: ids.dana, needPatientBanner: false });
    expect(smart.launchUrl('workspace', launch)).toBe(`${APP}/launch?iss=${encodeURIComponent(fhir.baseUrl)}&launch=${launch}`);
    const { verifier, challenge } = pkce();
    const agent = new UserAgent();
    // The launch names the user: no sign-in page, straight back to the app.
    const done = await agent.follow(authorizeUrl({ scope: SCOPE, launch, code_challenge: challenge }), REDIRECT);
    const back = new URL(done.url);
    expect(back.searchParams.get('state')).toBe('s1');
    const code = back.searchParams.get('code');
    expect(code).toBeTruthy();

    const token = await exchangeCode(smart.smartConfiguration.token_endpoint, { code: code ?? '', redirect_uri: REDIRECT, client_id: 'workspace', code_verifier: verifier });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({
      token_type: 'Bearer',
      patient: ids.alice,
      encounter: ids.visit,
      need_patient_banner: false,
      smart_style_url: `${smart.issuer}/smart-style.json`,
    });
    expect(String(token.body.scope).split(' ').sort()).toEqual(SCOPE.split(' ').sort());
    expect(typeof token.body.refresh_token).toBe('string');

    const keys = createRemoteJWKSet(new URL(smart.jwksUri));
    const access = await jwtVerify(String(token.body.access_token), keys, { issuer: smart.issuer, audience: fhir.baseUrl });
    expect(access.payload).toMatchObject({ patient: ids.alice, encounter: ids.visit, fhirUser: `${fhir.baseUrl}/Practitioner/${ids.dana}`, client_id: 'workspace' });
    expect(String(access.payload.scope).split(' ')).toEqual(expect.arrayContaining(['launch', 'patient/*.rs', 'patient/Encounter.cu']));
    const id = await jwtVerify(String(token.body.id_token), keys, { issuer: smart.issuer, audience: 'workspace' });
    expect(id.payload).toMatchObject({ sub: ids.dana, fhirUser: `${fhir.baseUrl}/Practitioner/${ids.dana}` });

    // The refresh token keeps the context.
    const refreshed = await fetch(smart.smartConfiguration.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(token.body.refresh_token), client_id: 'workspace' }).toString(),
    });
    expect(refreshed.status).toBe(200);
    const refreshedBody = (await refreshed.json()) as Record<string, unknown>;
    expect(refreshedBody.patient).toBe(ids.alice);
    expect(decodeJwt(String(refreshedBody.access_token)).patient).toBe(ids.alice);
  });

  it("gives a token the FHIR server honours for its patient and refuses for another (403, empty searches)", async () => {
    const launch = smart.createLaunch({ patient: ids.alice, user: ids.dana });
    const { verifier, challenge } = pkce();
    const done = await new UserAgent().follow(authorizeUrl({ scope: 'launch openid fhirUser patient/*.rs', launch, code_challenge: challenge }), REDIRECT);
    const token = await exchangeCode(smart.smartConfiguration.token_endpoint, { code: new URL(done.url).searchParams.get('code') ?? '', redirect_uri: REDIRECT, client_id: 'workspace', code_verifier: verifier });
    const read = (path: string, bearer = String(token.body.access_token)) => fetch(`${fhir.baseUrl}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    expect((await read(`/Patient/${ids.alice}`)).status).toBe(200);
    expect((await read(`/Encounter/${ids.visit}`)).status).toBe(200);
    expect((await read(`/Patient/${ids.bob}`)).status).toBe(403);
    const search = (await (await read(`/Patient?_id=${ids.bob}`)).json()) as { total?: number; entry?: unknown[] };
    expect(search.total).toBe(0);
    expect(search.entry ?? []).toEqual([]);
    expect((await read(`/Encounter/${ids.visit}`, `${String(token.body.access_token)}x`)).status).toBe(401);
    expect((await read(`/Encounter/${ids.visit}`, await smart.issueAccessToken({ scope: 'patient/*.rs', patient: ids.alice, expiresInSeconds: -120 }))).status).toBe(401);
    const config = (await (await fetch(`${fhir.baseUrl}/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    expect(config.token_endpoint).toBe(smart.smartConfiguration.token_endpoint);
  });

  it('runs a standalone launch: development sign-in, then the patient picker', async () => {
    const { verifier, challenge } = pkce();
    const agent = new UserAgent();
    const login = await agent.follow(authorizeUrl({ scope: 'launch/patient openid fhirUser patient/*.rs', code_challenge: challenge }), REDIRECT);
    expect(login.response?.status).toBe(200);
    const loginHtml = (await login.response?.text()) ?? '';
    expect(loginHtml).toContain('Development-only sign-in');
    expect(loginHtml).toContain('Dana Peer');

    const picker = await agent.submit(new URL(formAction(loginHtml, '/login'), smart.issuer).href, { user: ids.dana }, REDIRECT);
    const pickerHtml = (await picker.response?.text()) ?? '';
    expect(pickerHtml).toContain('Choose a patient');
    expect(pickerHtml).toContain('Bob Synthetic');

    const done = await agent.submit(new URL(formAction(pickerHtml, '/patient'), smart.issuer).href, { patient: ids.bob }, REDIRECT);
    const code = new URL(done.url).searchParams.get('code') ?? '';
    const token = await exchangeCode(smart.smartConfiguration.token_endpoint, { code, redirect_uri: REDIRECT, client_id: 'workspace', code_verifier: verifier });
    expect(token.status).toBe(200);
    expect(token.body.patient).toBe(ids.bob);
    expect(token.body).not.toHaveProperty('encounter');
    expect(token.body.need_patient_banner).toBe(true);
    expect(decodeJwt(String(token.body.access_token)).patient).toBe(ids.bob);
  });

  it('takes the authorization request as a POST too (authorize-post), offline_access included', async () => {
    const { verifier, challenge } = pkce();
    const launch = smart.createLaunch({ patient: ids.alice, user: ids.dana });
    const fields = Object.fromEntries(new URL(authorizeUrl({ scope: 'launch openid offline_access patient/*.rs', launch, code_challenge: challenge })).searchParams);
    const done = await new UserAgent().submit(smart.smartConfiguration.authorization_endpoint, fields, REDIRECT);
    const token = await exchangeCode(smart.smartConfiguration.token_endpoint, { code: new URL(done.url).searchParams.get('code') ?? '', redirect_uri: REDIRECT, client_id: 'workspace', code_verifier: verifier });
    expect(token.status).toBe(200);
    expect(token.body.patient).toBe(ids.alice);
    expect(typeof token.body.refresh_token).toBe('string');
  });

  it('rejects a wrong PKCE verifier, a missing PKCE challenge, a wrong aud and an unknown launch', async () => {
    const { challenge } = pkce();
    const launch = smart.createLaunch({ patient: ids.alice, user: ids.dana });
    const done = await new UserAgent().follow(authorizeUrl({ scope: SCOPE, launch, code_challenge: challenge }), REDIRECT);
    const code = new URL(done.url).searchParams.get('code') ?? '';
    const bad = await exchangeCode(smart.smartConfiguration.token_endpoint, { code, redirect_uri: REDIRECT, client_id: 'workspace', code_verifier: pkce().verifier });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_grant');

    // A fresh launch each time: the one above is used up, so each request fails for its own reason.
    const noPkce = new URL(authorizeUrl({ scope: SCOPE, launch: smart.createLaunch({ patient: ids.alice, user: ids.dana }) }));
    noPkce.searchParams.delete('code_challenge_method');
    const refused = await new UserAgent().follow(noPkce.href, REDIRECT);
    expect(new URL(refused.url).searchParams.get('error')).toBe('invalid_request');

    const wrongAud = await new UserAgent().follow(
      authorizeUrl({ scope: SCOPE, launch: smart.createLaunch({ patient: ids.alice, user: ids.dana }), code_challenge: challenge, aud: 'http://127.0.0.1:1/fhir' }),
      REDIRECT,
    );
    expect(new URL(wrongAud.url).searchParams.get('error')).toBe('invalid_request');

    const unknown = await new UserAgent().follow(authorizeUrl({ scope: SCOPE, launch: 'not-a-launch', code_challenge: challenge }), REDIRECT);
    expect(new URL(unknown.url).searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a redirect URI the app did not register, without redirecting to it', async () => {
    for (const redirectUri of [`${APP}/callback/../evil`, `${APP}/callbackx`, 'http://127.0.0.1:6000/callback', `${REDIRECT}?next=x`]) {
      const launch = smart.createLaunch({ patient: ids.alice, user: ids.dana });
      const done = await new UserAgent().follow(authorizeUrl({ scope: SCOPE, launch, redirect_uri: redirectUri, code_challenge: pkce().challenge }), 'http://never.invalid/');
      expect(done.response?.status, redirectUri).toBe(400);
      expect(done.url.startsWith(smart.issuer), redirectUri).toBe(true);
      expect(await done.response?.text()).toContain('redirect_uri');
    }
  });

  it('uses a launch once: the same launch URL opened again signs no one in', async () => {
    const launch = smart.createLaunch({ patient: ids.alice, user: ids.dana });
    const first = await new UserAgent().follow(authorizeUrl({ scope: SCOPE, launch, code_challenge: pkce().challenge }), REDIRECT);
    expect(new URL(first.url).searchParams.get('code')).toBeTruthy();
    const again = await new UserAgent().follow(authorizeUrl({ scope: SCOPE, launch, code_challenge: pkce().challenge }), REDIRECT);
    expect(new URL(again.url).searchParams.get('code')).toBeNull();
    expect(new URL(again.url).searchParams.get('error')).toBe('invalid_request');
  });

  it("refuses a launch made for another app, from createLaunch or the launcher page", async () => {
    smart.registerClient({ clientId: 'other-app', redirectUris: [REDIRECT], launchUrl: `${APP}/other` });
    const bound = smart.createLaunch({ patient: ids.alice, user: ids.dana, clientId: 'workspace' });
    const refused = await new UserAgent().follow(authorizeUrl({ client_id: 'other-app', scope: SCOPE, launch: bound, code_challenge: pkce().challenge }), REDIRECT);
    expect(new URL(refused.url).searchParams.get('code')).toBeNull();
    expect(new URL(refused.url).searchParams.get('error')).toBe('invalid_request');

    const launched = await fetch(`${smart.issuer}/launcher/launch`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client: 'workspace', patient: ids.alice, user: ids.dana }).toString(),
    });
    const fromLauncher = new URL(launched.headers.get('location') ?? '').searchParams.get('launch') ?? '';
    const other = await new UserAgent().follow(authorizeUrl({ client_id: 'other-app', scope: SCOPE, launch: fromLauncher, code_challenge: pkce().challenge }), REDIRECT);
    expect(new URL(other.url).searchParams.get('error')).toBe('invalid_request');
    // The app it was made for still gets its context.
    const own = await new UserAgent().follow(authorizeUrl({ scope: SCOPE, launch: fromLauncher, code_challenge: pkce().challenge }), REDIRECT);
    expect(new URL(own.url).searchParams.get('code')).toBeTruthy();
  });

  it('grants only the scopes the app is registered for', async () => {
    smart.registerClient({ clientId: 'narrow', redirectUris: [REDIRECT], scope: 'launch openid fhirUser patient/*.rs' });
    const { verifier, challenge } = pkce();
    const launch = smart.createLaunch({ patient: ids.alice, user: ids.dana });
    const done = await new UserAgent().follow(authorizeUrl({ client_id: 'narrow', scope: 'launch openid patient/Encounter.r patient/Encounter.cu user/*.rs', launch, code_challenge: challenge }), REDIRECT);
    const code = new URL(done.url).searchParams.get('code') ?? '';
    const token = await exchangeCode(smart.smartConfiguration.token_endpoint, { code, redirect_uri: REDIRECT, client_id: 'narrow', code_verifier: verifier });
    expect(token.status).toBe(200);
    expect(String(token.body.scope).split(' ').sort()).toEqual(['launch', 'openid', 'patient/Encounter.r']);
    expect(decodeJwt(String(token.body.access_token)).scope).toBe('launch patient/Encounter.r');
  });

  it('serves the EHR launcher: patients, encounters and users from the FHIR server; Launch redirects to the app', async () => {
    const html = await (await fetch(smart.launcherUrl)).text();
    expect(html).toContain('Development only');
    expect(html).toContain('Alice Synthetic, born 1980-02-03');
    expect(html).toContain(`Encounter/${ids.visit}`);
    expect(html).toContain('Dana Peer');
    const launched = await fetch(`${smart.issuer}/launcher/launch`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client: 'workspace', patient: ids.alice, encounter: ids.visit, user: ids.dana, banner: 'app' }).toString(),
    });
    expect(launched.status).toBe(303);
    const location = new URL(launched.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${APP}/launch`);
    expect(location.searchParams.get('iss')).toBe(fhir.baseUrl);
    expect(location.searchParams.get('launch')).toMatch(/^[\w-]{20,}$/);

    const wrong = await fetch(`${smart.issuer}/launcher/launch`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client: 'workspace', patient: ids.bob, encounter: ids.visit, user: ids.dana }).toString(),
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("Choose one of the patient&#39;s encounters");
  });

  it("refuses the launcher's and the sign-in's forms posted from another site (no launch made, no one signed in)", async () => {
    const post = (url: string, headers: Record<string, string>, fields: Record<string, string>) =>
      fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
    const fields = { client: 'workspace', patient: ids.alice, user: ids.dana };
    const launcher = `${smart.issuer}/launcher/launch`;
    expect((await post(launcher, { origin: 'http://attacker.example' }, fields)).status).toBe(403);
    expect((await post(launcher, { 'sec-fetch-site': 'cross-site' }, fields)).status).toBe(403);
    // The launcher's own page posting to itself still launches.
    expect((await post(launcher, { origin: new URL(smart.issuer).origin, 'sec-fetch-site': 'same-origin' }, fields)).status).toBe(303);

    const agent = new UserAgent();
    const login = await agent.follow(authorizeUrl({ scope: 'launch/patient openid patient/*.rs', code_challenge: pkce().challenge }), REDIRECT);
    const action = new URL(formAction((await login.response?.text()) ?? '', '/login'), smart.issuer).href;
    const forged = await agent.request(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://attacker.example' }, body: new URLSearchParams({ user: ids.dana }).toString() });
    expect(forged.status).toBe(403);
  });

  it('refuses bad options before listening', async () => {
    await expect(startSmartAuthServer({ fhirBaseUrl: 'http://fhir.example.org/fhir' })).rejects.toThrow(/https, or http on loopback/);
    await expect(startSmartAuthServer({ fhirBaseUrl: fhir.baseUrl, host: '0.0.0.0' })).rejects.toThrow(RangeError);
    await expect(startSmartAuthServer({ fhirBaseUrl: fhir.baseUrl, clients: [{ clientId: 'x', redirectUris: ['ftp://127.0.0.1/cb'] }] })).rejects.toThrow(/redirect URI/);
    await expect(startSmartAuthServer({ fhirBaseUrl: fhir.baseUrl, launchTtlSeconds: 0 })).rejects.toThrow(/launchTtlSeconds/);
    expect(() => smart.launchUrl('narrow-or-unknown', 'x')).toThrow(/no registered app/);
  });

  it('mints access tokens directly for tests, expired ones too', async () => {
    const keys = createRemoteJWKSet(new URL(smart.jwksUri));
    const token = await smart.issueAccessToken({ scope: 'system/*.rs', patient: 'p1' });
    const { payload } = await jwtVerify(token, keys, { issuer: smart.issuer, audience: fhir.baseUrl });
    expect(payload).toMatchObject({ scope: 'system/*.rs', patient: 'p1' });
    const expired = await smart.issueAccessToken({ scope: 'system/*.rs', expiresInSeconds: -10 });
    await expect(jwtVerify(expired, keys, { issuer: smart.issuer, audience: fhir.baseUrl })).rejects.toThrow(/exp/);
  });
});
