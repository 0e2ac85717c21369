/**
 * JWT authentication of the calling CDS client: the bearer JWT of each request verified against the
 * client's JWK Set (configured keys, or a `jku` from the client's allow-list), its `iss`, `aud` (the
 * service endpoint called), `exp`, `iat`, and its `jti` never seen twice by this verifier.
 *
 * See: https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import { fail, ok, type Issue, type Result } from '@peerkit/model';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/** A CDS client the service trusts. */
export interface TrustedCdsClient {
  /** The client's `iss` value. */
  issuer: string;
  /** The client's public keys. Default none (then the token's `jku` must be in `jkuAllowList`). */
  jwks?: JSONWebKeySet;
  /** JWK Set URLs the client may name in the token's `jku` header. Default none. */
  jkuAllowList?: readonly string[];
}

/** Options of {@link createClientAuthenticator}. */
export interface ClientAuthOptions {
  /** The clients allowed to call. */
  clients: readonly TrustedCdsClient[];
  /** Signature algorithms accepted. Default `['ES384', 'RS384', 'ES256', 'RS256']` (the spec's ES384/RS384 first). */
  algorithms?: readonly string[];
  /** Clock skew allowed on `exp`/`iat`, in seconds. Default 30. */
  clockToleranceSeconds?: number;
  /** Oldest `iat` accepted, in seconds (the spec lets a token live 5 minutes). Default 300. */
  maxTokenAgeSeconds?: number;
  /** The clock. Default `() => new Date()`. */
  now?: () => Date;
}

/** Who called, once authenticated. */
export interface AuthenticatedClient {
  /** The token's `iss`. */
  readonly issuer: string;
  /** The token's `sub` (the client id), when present. */
  readonly subject?: string;
  /** The token's `tenant`, when present. */
  readonly tenant?: string;
}

/** Verifies the `Authorization` header of a request. */
export interface ClientAuthenticator {
  /**
   * @param authorization - the `Authorization` header value
   * @param audience - the service endpoint the request was sent to (the expected `aud`; a list: any of them)
   * @returns the client, or `auth.*` issues (no token content in messages)
   */
  authenticate(authorization: string | undefined, audience: string | readonly string[]): Promise<Result<AuthenticatedClient>>;
}

const DEFAULT_ALGORITHMS = ['ES384', 'RS384', 'ES256', 'RS256'] as const;

const denied = (code: string, message: string): Result<AuthenticatedClient> =>
  fail([{ severity: 'error', code: `auth.${code}`, path: ['Authorization'], message } satisfies Issue]);

/**
 * Creates the authenticator of one service instance: it keeps the `jti` of every token it accepted until
 * the token expires, and refuses a second use.
 *
 * @param options - the trusted clients and the verification settings; see {@link ClientAuthOptions}
 * @returns the authenticator
 * @example
 * const auth = createClientAuthenticator({ clients: [{ issuer: 'https://ehr.example.org', jwks }] });
 * const who = await auth.authenticate(req.headers.authorization, 'https://cds.example.org/cds-services/peerkit-patient-view');
 * See: https://cds-hooks.hl7.org/2.0/#trusting-cds-clients, RFC 7519, RFC 7515 §4.1.2 (jku)
 */
export function createClientAuthenticator(options: ClientAuthOptions): ClientAuthenticator {
  const now = options.now ?? (() => new Date());
  const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
  const tolerance = options.clockToleranceSeconds ?? 30;
  const maxAge = options.maxTokenAgeSeconds ?? 300;
  const clients = new Map(options.clients.map((client) => [client.issuer, client]));
  const local = new Map<string, JWTVerifyGetKey>();
  const remote = new Map<string, JWTVerifyGetKey>();
  /** `iss` + `jti` of accepted tokens, to the second their token expires. */
  const seen = new Map<string, number>();

  const keysFor = (client: TrustedCdsClient, jku: string | undefined): JWTVerifyGetKey | undefined => {
    if (jku !== undefined) {
      if (!(client.jkuAllowList ?? []).includes(jku)) return undefined;
      let keys = remote.get(jku);
      if (keys === undefined) {
        keys = createRemoteJWKSet(new URL(jku));
        remote.set(jku, keys);
      }
      return keys;
    }
    if (client.jwks === undefined) return undefined;
    let keys = local.get(client.issuer);
    if (keys === undefined) {
      keys = createLocalJWKSet(client.jwks);
      local.set(client.issuer, keys);
    }
    return keys;
  };

  return {
    async authenticate(authorization, audience) {
      const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)\s*$/.exec(authorization ?? '');
      if (!match?.[1]) return denied('missing-token', 'Authorization must be "Bearer" and a signed JWT');
      const token = match[1];
      let issuer: string | undefined;
      let jku: string | undefined;
      try {
        issuer = decodeJwt(token).iss;
        const header = decodeProtectedHeader(token);
        jku = typeof header.jku === 'string' ? header.jku : undefined;
      } catch {
        return denied('malformed-token', 'the JWT could not be decoded');
      }
      const client = issuer === undefined ? undefined : clients.get(issuer);
      if (client === undefined) return denied('unknown-issuer', 'the JWT iss is not a trusted CDS client');
      const keys = keysFor(client, jku);
      if (keys === undefined) return denied('untrusted-key', 'the JWT jku is not on the client allow-list, or no keys are configured for the client');
      const at = now();
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: client.issuer,
          audience: typeof audience === 'string' ? audience : [...audience],
          algorithms,
          clockTolerance: tolerance,
          maxTokenAge: maxAge,
          currentDate: at,
          requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
        }));
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        const reason =
          code === 'ERR_JWT_EXPIRED'
            ? 'the JWT has expired (exp) or is too old (iat)'
            : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
              ? 'a JWT claim (iss, aud, exp, iat, jti) is missing or does not match'
              : 'the JWT signature does not verify against the client keys';
        return denied('invalid-token', reason);
      }
      const seconds = Math.floor(at.getTime() / 1000);
      for (const [key, expires] of seen) if (expires + tolerance < seconds) seen.delete(key);
      const replayKey = `${client.issuer}\u0000${String(payload.jti)}`;
      if (seen.has(replayKey)) return denied('replayed-token', 'the JWT jti was already used');
      seen.set(replayKey, payload.exp ?? seconds + maxAge);
      const who: { issuer: string; subject?: string; tenant?: string } = { issuer: client.issuer };
      if (typeof payload.sub === 'string') who.subject = payload.sub;
      if (typeof payload.tenant === 'string') who.tenant = payload.tenant;
      return ok(who);
    },
  };
}
