import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EHR_ISSUER, ehrKeys, NOW } from '../test/helpers';
import { createClientAuthenticator } from './client-auth';

const AUD = 'https://cds.example.org/cds-services/peerkit-patient-view';
let keys: Awaited<ReturnType<typeof ehrKeys>>;
let jwksServer: ReturnType<typeof createServer>;
let jku: string;

beforeAll(async () => {
  keys = await ehrKeys('jku-key');
  jwksServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keys.jwks)));
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jku = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
});
afterAll(async () => {
  jwksServer.closeAllConnections();
  await new Promise((resolve) => jwksServer.close(resolve));
});

describe('createClientAuthenticator', () => {
  it('verifies a token against the JWK Set its jku names when the jku is on the allow-list', async () => {
    const auth = createClientAuthenticator({ clients: [{ issuer: EHR_ISSUER, jkuAllowList: [jku] }], now: () => NOW });
    const result = await auth.authenticate(`Bearer ${await keys.sign(AUD, {}, EHR_ISSUER, { jku })}`, AUD);
    expect(result).toMatchObject({ ok: true, value: { issuer: EHR_ISSUER, subject: 'ehr-client-1' } });
  });

  it('refuses a jku not on the allow-list, without fetching it', async () => {
    const auth = createClientAuthenticator({ clients: [{ issuer: EHR_ISSUER, jwks: keys.jwks }], now: () => NOW });
    const result = await auth.authenticate(`Bearer ${await keys.sign(AUD, {}, EHR_ISSUER, { jku })}`, AUD);
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'auth.untrusted-key', path: ['Authorization'] }] });
  });

  it('refuses a second use of a jti, and a token with no jti', async () => {
    const auth = createClientAuthenticator({ clients: [{ issuer: EHR_ISSUER, jwks: keys.jwks }], now: () => NOW });
    const token = await keys.sign(AUD);
    expect((await auth.authenticate(`Bearer ${token}`, AUD)).ok).toBe(true);
    expect(await auth.authenticate(`Bearer ${token}`, AUD)).toMatchObject({ ok: false, issues: [{ code: 'auth.replayed-token' }] });
    expect(await auth.authenticate(`Bearer ${await keys.sign(AUD, { jti: undefined })}`, AUD)).toMatchObject({ ok: false, issues: [{ code: 'auth.invalid-token' }] });
  });

  it.each([
    ['no header', undefined, 'auth.missing-token'],
    ['not bearer', 'Basic abc', 'auth.missing-token'],
    ['not a JWT', 'Bearer abc.def.ghi', 'auth.malformed-token'],
  ])('refuses %s', async (_name, header, code) => {
    const auth = createClientAuthenticator({ clients: [{ issuer: EHR_ISSUER, jwks: keys.jwks }] });
    expect(await auth.authenticate(header, AUD)).toMatchObject({ ok: false, issues: [{ code }] });
  });
});
