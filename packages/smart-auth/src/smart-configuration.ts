import { SMART_CAPABILITIES } from './scopes';
import type { SmartConfiguration } from './types';

/**
 * The SMART configuration of an issuer: its endpoints, PKCE S256, public clients, the scopes and
 * capabilities this server supports. Serve it at `<fhir base>/.well-known/smart-configuration`.
 *
 * @param issuer - the authorization server's issuer URL, without a trailing slash
 * @returns the document
 * @example
 * buildSmartConfiguration('http://127.0.0.1:9000').token_endpoint // 'http://127.0.0.1:9000/token'
 *
 * See: https://hl7.org/fhir/smart-app-launch/STU2.2/conformance.html
 */
export function buildSmartConfiguration(issuer: string): SmartConfiguration {
  return {
    issuer,
    jwks_uri: `${issuer}/jwks`,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    revocation_endpoint: `${issuer}/revoke`,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    scopes_supported: [
      'openid',
      'fhirUser',
      'profile',
      'launch',
      'launch/patient',
      'launch/encounter',
      'offline_access',
      'online_access',
      'patient/*.cruds',
      'user/*.cruds',
      'patient/*.read',
      'patient/*.write',
      'user/*.read',
      'user/*.write',
    ],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [...SMART_CAPABILITIES],
  };
}
