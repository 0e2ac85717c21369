import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportPKCS8, generateKeyPair, jwtVerify, type CryptoKey } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerToken, smartBackendServices, type SmartAlgorithm } from './auth';
import { SyncError } from './errors';

/** A loopback token endpoint that verifies the client assertion with the client's public key. */
async function tokenEndpoint(
  publicKey: CryptoKey,
  alg: SmartAlgorithm,
  answer: (n: number) => { status: number; body: unknown } = (n) => ({
    status: 200,
    body: { access_token: `token-${n}`, token_type: 'Bearer', expires_in: 300, scope: 'system/*.cruds' },
  }),
): Promise<{ url: string; requests: { claims: Record<string, unknown>; header: Record<string, unknown>; form: URLSearchParams }[]; server: Server }> {
  const requests: { claims: Record<string, unknown>; header: Record<string, unknown>; form: URLSearchParams }[] = [];
  let url = '';
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      void (async () => {
        const form = new URLSearchParams(text);
        try {
          const { payload, protectedHeader } = await jwtVerify(form.get('client_assertion') ?? '', publicKey, {
            algorithms: [alg],
            audience: url,
            issuer: 'peerkit-test-client',
            subject: 'peerkit-test-client',
          });
          requests.push({ claims: payload as Record<string, unknown>, header: protectedHeader as Record<string, unknown>, form });
          const { status, body } = answer(requests.length);
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        } catch {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client' }));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  servers.push(server);
  return { url, requests, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('bearerToken', () => {
  it('gives the same Bearer header every time and cannot be refreshed', async () => {
    const auth = bearerToken('abc123');
    expect(await auth.authorization()).toBe('Bearer abc123');
    expect(auth.invalidate()).toBe(false);
  });

  it.each(['', '   ', 'two\nlines'])('refuses %j', (token) => {
    expect(() => bearerToken(token)).toThrow(SyncError);
  });
});

describe('smartBackendServices', () => {
  it.each<SmartAlgorithm>(['RS384', 'ES384'])('gets a token with a %s assertion the server verifies with the public key', async (alg) => {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const endpoint = await tokenEndpoint(publicKey, alg);
    const auth = smartBackendServices({
      tokenUrl: endpoint.url,
      clientId: 'peerkit-test-client',
      privateKey: await exportPKCS8(privateKey),
      alg,
      kid: 'key-1',
    });
    expect(await auth.authorization()).toBe('Bearer token-1');
    const [request] = endpoint.requests;
    expect(request?.header).toMatchObject({ alg, kid: 'key-1', typ: 'JWT' });
    expect(request?.form.get('grant_type')).toBe('client_credentials');
    expect(request?.form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(request?.form.get('scope')).toBe('system/*.cruds');
    const { exp, iat, jti } = request?.claims as { exp: number; iat: number; jti: string };
    expect(exp - iat).toBeLessThanOrEqual(300);
    expect(jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts a private JWK', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES384', { extractable: true });
    const endpoint = await tokenEndpoint(publicKey, 'ES384');
    const auth = smartBackendServices({
      tokenUrl: endpoint.url,
      clientId: 'peerkit-test-client',
      privateKey: await exportJWK(privateKey),
      alg: 'ES384',
      kid: 'k',
    });
    expect(await auth.authorization()).toBe('Bearer token-1');
  });

  it('caches the token, shares one request between concurrent callers, and refreshes near expiry and after invalidate', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES384');
    const endpoint = await tokenEndpoint(publicKey, 'ES384');
    let now = Date.now();
    const auth = smartBackendServices({
      tokenUrl: endpoint.url,
      clientId: 'peerkit-test-client',
      privateKey,
      alg: 'ES384',
      kid: 'k',
      refreshSkewMs: 60_000,
      now: () => now,
    });
    const headers = await Promise.all([auth.authorization(), auth.authorization(), auth.authorization()]);
    expect(headers).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-1']);
    expect(endpoint.requests).toHaveLength(1);
    now += 200_000; // a 300 s token with a 60 s skew is used for 240 s
    expect(await auth.authorization()).toBe('Bearer token-1');
    now += 50_000; // past 240 s: refresh
    expect(await auth.authorization()).toBe('Bearer token-2');
    expect(auth.invalidate()).toBe(true);
    expect(await auth.authorization()).toBe('Bearer token-3');
    expect(endpoint.requests).toHaveLength(3);
  });

  it.each<[string, (n: number) => { status: number; body: unknown }, RegExp]>([
    ['a refusal', () => ({ status: 400, body: { error: 'invalid_scope', error_description: 'secret detail' } }), /HTTP 400 \(invalid_scope\)/],
    ['no access_token', () => ({ status: 200, body: { token_type: 'bearer' } }), /without an access_token/],
    ['a token type other than bearer', () => ({ status: 200, body: { access_token: 'x', token_type: 'mac' } }), /token_type/],
  ])('fails with sync.auth-failed on %s, without quoting the answer', async (_, answer, message) => {
    const { publicKey, privateKey } = await generateKeyPair('ES384');
    const endpoint = await tokenEndpoint(publicKey, 'ES384', answer);
    const auth = smartBackendServices({ tokenUrl: endpoint.url, clientId: 'peerkit-test-client', privateKey, alg: 'ES384', kid: 'k' });
    const error = await auth.authorization().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe('sync.auth-failed');
    expect((error as SyncError).message).toMatch(message);
    expect((error as SyncError).message).not.toContain('secret detail');
  });

  it('fails with sync.auth-failed when the server cannot verify the assertion (wrong key)', async () => {
    const { publicKey } = await generateKeyPair('ES384');
    const other = await generateKeyPair('ES384');
    const endpoint = await tokenEndpoint(publicKey, 'ES384');
    const auth = smartBackendServices({ tokenUrl: endpoint.url, clientId: 'peerkit-test-client', privateKey: other.privateKey, alg: 'ES384', kid: 'k' });
    await expect(auth.authorization()).rejects.toThrow(/HTTP 401 \(invalid_client\)/);
  });

  it.each([
    [{ tokenUrl: 'http://auth.example.org/token' }, 'sync.insecure-url'],
    [{ tokenUrl: 'not a url' }, 'sync.invalid-option'],
    [{ clientId: ' ' }, 'sync.invalid-option'],
    [{ kid: '' }, 'sync.invalid-option'],
    [{ alg: 'HS256' as SmartAlgorithm }, 'sync.invalid-option'],
  ])('refuses %j', async (override, code) => {
    const { privateKey } = await generateKeyPair('ES384');
    const make = (): unknown =>
      smartBackendServices({ tokenUrl: 'https://auth.example.org/token', clientId: 'c', privateKey, alg: 'ES384', kid: 'k', ...override });
    expect(make).toThrow(SyncError);
    try {
      make();
    } catch (error) {
      expect((error as SyncError).code).toBe(code);
    }
  });
});
