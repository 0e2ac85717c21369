/** Test helpers: the host fixtures, an EHR's signing key and JWTs, spec-shaped hook requests. */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet } from 'jose';

/** The tests' clock: inside pat-alpha's recovery plan period. */
export const NOW = new Date('2025-04-10T12:00:00Z');
export const EHR_ISSUER = 'https://ehr.example.org';

const HOST = join(import.meta.dirname, '../../fhir/test/fixtures/host/resources');
/** One patient's record as a US Core host writes it (`@peerkit/fhir`'s host fixtures). */
export const ALPHA: Record<string, unknown>[] = readdirSync(HOST).map((f) => JSON.parse(readFileSync(join(HOST, f), 'utf8')) as Record<string, unknown>);

/** A searchset Bundle of resources. */
export const searchset = (resources: readonly Record<string, unknown>[]) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${randomUUID()}`, resource })),
});

export const ofType = (resources: readonly Record<string, unknown>[], type: string) => resources.filter((r) => r.resourceType === type);

/** An EHR's ES384 key pair and its public JWK Set. */
export async function ehrKeys(kid = 'ehr-key-1'): Promise<{ sign: (aud: string, claims?: Record<string, unknown>, iss?: string, header?: Record<string, unknown>) => Promise<string>; jwks: JSONWebKeySet }> {
  const { privateKey, publicKey } = await generateKeyPair('ES384');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' };
  const sign = (aud: string, claims: Record<string, unknown> = {}, iss = EHR_ISSUER, header: Record<string, unknown> = {}) =>
    new SignJWT({ jti: randomUUID(), iss, sub: 'ehr-client-1', aud, iat: Math.floor(NOW.getTime() / 1000), exp: Math.floor(NOW.getTime() / 1000) + 300, ...claims })
      .setProtectedHeader({ alg: 'ES384', kid, typ: 'JWT', ...header })
      .sign(privateKey);
  return { sign, jwks: { keys: [jwk] } };
}

/** A hook call body. */
export const hookRequest = (hook: string, context: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  hook,
  hookInstance: randomUUID(),
  context: { userId: 'Practitioner/pr-ed-1', ...context },
  ...extra,
});

/** POSTs JSON with a bearer token. */
export const post = (url: string, body: unknown, token?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
