/**
 * Authorization for FHIR requests: a fixed bearer token, or SMART Backend Services (OAuth 2.0
 * client credentials with a signed JWT assertion). Tokens never appear in errors, events or logs.
 */
import { randomUUID } from 'node:crypto';
import { importJWK, importPKCS8, SignJWT, type CryptoKey, type JWK, type KeyObject } from 'jose';
import { SYNC_ERROR_CODES, SyncError } from './errors';
import { assertSafeUrl } from './internal/loopback';

/** Gives the `Authorization` header of each request; drops a token the server refused. */
export interface AuthProvider {
  /**
   * The `Authorization` header value for the next request (e.g. `Bearer …`), fetching or
   * refreshing a token when needed.
   *
   * @throws SyncError (`sync.auth-failed`) when no token can be had
   */
  authorization(signal?: AbortSignal): Promise<string | undefined>;
  /**
   * Forgets the current token after the server answered 401.
   *
   * @returns true when a new token can be fetched (so the request is worth one more try)
   */
  invalidate(): boolean;
}

/**
 * Authorizes every request with the same bearer token.
 *
 * @param token - the access token (never logged)
 * @returns an auth provider whose `invalidate()` returns false: a refused fixed token stays refused
 * @example
 * const auth = bearerToken(process.env.FHIR_TOKEN ?? '');
 *
 * See: RFC 6750 §2.1
 */
export function bearerToken(token: string): AuthProvider {
  if (token.trim() === '' || /[\r\n]/.test(token)) {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'bearer token must be a non-empty single line');
  }
  const header = `Bearer ${token.trim()}`;
  return {
    authorization: () => Promise.resolve(header),
    invalidate: () => false,
  };
}

/** The algorithms SMART Backend Services requires servers to support. */
export type SmartAlgorithm = 'RS384' | 'ES384';

/** Options of {@link smartBackendServices}. */
export interface SmartBackendServicesOptions {
  /** The authorization server's token endpoint (`token_endpoint` of `.well-known/smart-configuration`). */
  tokenUrl: string;
  /** The client id registered with the authorization server (the JWT's `iss` and `sub`). */
  clientId: string;
  /** The private key: a PKCS #8 PEM string, a private JWK, or a `CryptoKey`/`KeyObject`. */
  privateKey: string | JWK | CryptoKey | KeyObject;
  /** Signature algorithm of the assertion. */
  alg: SmartAlgorithm;
  /** Key id of the public key the server holds (the JWT header's `kid`). */
  kid: string;
  /** URL of the client's JWK Set (the JWT header's `jku`), when the server fetches keys from it. Optional. */
  jku?: string;
  /** Scopes to ask for. Default `system/*.cruds` (SMART v2: create, read, update, delete, search). */
  scope?: string;
  /** Allow a plain `http://` token endpoint on a host that is not loopback. Default false. */
  allowInsecureHttp?: boolean;
  /** Refresh a token this long before it expires, in ms. Default 60 000. */
  refreshSkewMs?: number;
  /** Time limit of a token request, in ms. Default 30 000. */
  timeoutMs?: number;
  /** The clock, in ms since the epoch (default `Date.now`); for tests. */
  now?: () => number;
}

/** A token and when to stop using it. */
interface CachedToken {
  header: string;
  refreshAt: number;
}

/** A one-word OAuth error code from a token endpoint's answer (RFC 6749 §5.2), if it has one. */
async function oauthErrorCode(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: unknown };
    return typeof body.error === 'string' && /^[a-z_]{1,40}$/.test(body.error) ? ` (${body.error})` : '';
  } catch {
    return '';
  }
}

/**
 * Authorizes requests with SMART Backend Services: signs a short-lived JWT assertion (RS384 or
 * ES384) with the client's private key, trades it for an access token at the token endpoint
 * (`client_credentials` grant), caches the token until shortly before `expires_in` and fetches a new
 * one after a 401. Concurrent requests share one token request.
 *
 * @param options - token endpoint, client id, key and algorithm; see {@link SmartBackendServicesOptions}
 * @returns an auth provider
 * @throws SyncError (`sync.insecure-url`, `sync.invalid-option`) for a bad option
 * @example
 * const auth = smartBackendServices({
 *   tokenUrl: 'https://auth.example.org/token', clientId: 'peerkit-sync',
 *   privateKey: pem, alg: 'ES384', kid: 'key-1',
 * });
 *
 * See: https://hl7.org/fhir/smart-app-launch/backend-services.html (STU 2.2),
 * RFC 7523 §2.2 (JWT client authentication), RFC 6749 §4.4 (client credentials)
 */
export function smartBackendServices(options: SmartBackendServicesOptions): AuthProvider {
  const tokenUrl = assertSafeUrl(options.tokenUrl, 'the token endpoint URL', options.allowInsecureHttp === true).href;
  if (options.clientId.trim() === '') throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'SMART clientId must not be empty');
  if (options.alg !== 'RS384' && options.alg !== 'ES384') {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'SMART alg must be RS384 or ES384');
  }
  if (options.kid.trim() === '') throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'SMART kid must not be empty');
  const now = options.now ?? Date.now;
  const scope = options.scope ?? 'system/*.cruds';
  const skew = options.refreshSkewMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let key: Promise<CryptoKey | KeyObject> | undefined;
  let cached: CachedToken | undefined;
  let inflight: Promise<CachedToken> | undefined;

  const signingKey = (): Promise<CryptoKey | KeyObject> => {
    key ??= (async (): Promise<CryptoKey | KeyObject> => {
      const k = options.privateKey;
      try {
        if (typeof k === 'string') return await importPKCS8(k, options.alg);
        if (typeof k === 'object' && 'kty' in k) return (await importJWK(k as JWK, options.alg)) as CryptoKey;
        return k as CryptoKey | KeyObject;
      } catch {
        throw new SyncError(SYNC_ERROR_CODES.invalidOption, `SMART privateKey cannot be used for ${options.alg}`);
      }
    })();
    return key as Promise<CryptoKey | KeyObject>;
  };

  async function fetchToken(signal?: AbortSignal): Promise<CachedToken> {
    const issuedAt = Math.floor(now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: options.alg, kid: options.kid, typ: 'JWT', ...(options.jku === undefined ? {} : { jku: options.jku }) })
      .setIssuer(options.clientId)
      .setSubject(options.clientId)
      .setAudience(tokenUrl)
      .setIssuedAt(issuedAt)
      // The spec allows at most five minutes.
      .setExpirationTime(issuedAt + 300)
      .setJti(randomUUID())
      .sign(await signingKey());
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    const timeout = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
    } catch (error) {
      if (signal?.aborted === true) throw error;
      throw new SyncError(SYNC_ERROR_CODES.authFailed, 'the token endpoint could not be reached');
    }
    if (!res.ok) {
      throw new SyncError(SYNC_ERROR_CODES.authFailed, `the token endpoint refused the request: HTTP ${res.status}${await oauthErrorCode(res)}`);
    }
    let token: { access_token?: unknown; token_type?: unknown; expires_in?: unknown };
    try {
      token = (await res.json()) as typeof token;
    } catch {
      throw new SyncError(SYNC_ERROR_CODES.authFailed, 'the token endpoint did not answer JSON');
    }
    if (typeof token.access_token !== 'string' || token.access_token === '' || /[\r\n]/.test(token.access_token)) {
      throw new SyncError(SYNC_ERROR_CODES.authFailed, 'the token endpoint answered without an access_token');
    }
    if (typeof token.token_type !== 'string' || token.token_type.toLowerCase() !== 'bearer') {
      throw new SyncError(SYNC_ERROR_CODES.authFailed, 'the token endpoint answered a token_type other than bearer');
    }
    // Without expires_in, assume the 5 minutes the spec recommends as a maximum.
    const lifetimeMs = (typeof token.expires_in === 'number' && token.expires_in > 0 ? token.expires_in : 300) * 1000;
    return { header: `Bearer ${token.access_token}`, refreshAt: now() + Math.max(lifetimeMs - skew, lifetimeMs / 2) };
  }

  return {
    async authorization(signal?: AbortSignal): Promise<string> {
      if (cached !== undefined && now() < cached.refreshAt) return cached.header;
      inflight ??= fetchToken(signal).finally(() => {
        inflight = undefined;
      });
      cached = await inflight;
      return cached.header;
    },
    invalidate(): boolean {
      cached = undefined;
      return true;
    },
  };
}
