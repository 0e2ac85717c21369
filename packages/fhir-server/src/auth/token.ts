/**
 * Bearer token verification: a JWT signed by the authorization server's keys (`jose` against its
 * JWK Set), issued by it, for this FHIR base, not expired.
 *
 * See: https://hl7.org/fhir/smart-app-launch/STU2.2/app-launch.html#step-6-app-accesses-clinical-data-via-fhir-api
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { HttpProblem, outcome } from '../internal/http';
import { parseScopeGrants, type ScopeGrant } from './scopes';

/** What a verified access token allows. */
export interface AccessGrant {
  /** The token's resource scopes. */
  readonly grants: readonly ScopeGrant[];
  /** The `patient` claim: the compartment `patient/` scopes are limited to. */
  readonly patient: string | undefined;
}

/** How tokens are verified. */
export interface TokenCheck {
  readonly issuer: string;
  readonly audience: string;
  readonly keys: JWTVerifyGetKey;
  readonly clockToleranceSeconds: number;
}

/** A key set fetched from `jwksUri` (cached by `jose`, refetched when a token names an unknown key). */
export function remoteKeys(jwksUri: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUri));
}

function unauthorized(error: 'invalid_request' | 'invalid_token', text: string, realm: string): HttpProblem {
  const challenge = error === 'invalid_request' ? `Bearer realm="${realm}"` : `Bearer realm="${realm}", error="${error}", error_description="${text}"`;
  return new HttpProblem(401, outcome('login', text), { 'www-authenticate': challenge });
}

/**
 * The grant of the request's `Authorization: Bearer` token.
 *
 * @throws HttpProblem 401 (with `WWW-Authenticate`) when the token is missing, malformed, forged,
 *   expired, or issued by or for someone else; the message names the check, never the token
 */
export async function verifyBearer(authorization: string | undefined, check: TokenCheck): Promise<AccessGrant> {
  const match = /^Bearer ([\w.~+/=-]+)$/i.exec(authorization?.trim() ?? '');
  if (match === null) throw unauthorized('invalid_request', 'This server needs an access token: Authorization: Bearer <token>', check.audience);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(match[1] ?? '', check.keys, {
      issuer: check.issuer,
      audience: check.audience,
      requiredClaims: ['exp'],
      clockTolerance: check.clockToleranceSeconds,
    }));
  } catch (error) {
    const { code, claim } = error as { code?: unknown; claim?: unknown };
    const reason =
      code === 'ERR_JWT_EXPIRED'
        ? 'The access token has expired'
        : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'exp'
          ? 'The access token has no exp (expiry) claim'
          : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (claim === 'iss' || claim === 'aud')
            ? 'The access token was not issued by this server\'s authorization server for this FHIR base (iss or aud)'
            : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
              ? 'The access token\'s time claims are not valid (nbf or iat)'
              : 'The access token is not valid (signature or format)';
    throw unauthorized('invalid_token', reason, check.audience);
  }
  const scope = typeof payload.scope === 'string' ? payload.scope : '';
  const patient = typeof payload.patient === 'string' && payload.patient !== '' ? payload.patient : undefined;
  return { grants: parseScopeGrants(scope), patient };
}
