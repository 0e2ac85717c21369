/**
 * @peerkit/smart-auth — a development and test authorization server for SMART App Launch 2.x on
 * `oidc-provider`: public clients with PKCE S256, scopes v2, EHR and standalone launch, launch context
 * in the token response, JWT access tokens for the FHIR base, and an EHR launcher page. Node only.
 *
 * @packageDocumentation
 */
export { startSmartAuthServer } from './smart-auth-server';
export { buildSmartConfiguration } from './smart-configuration';
export { DEFAULT_CLIENT_SCOPE, grantableScopes, IDENTITY_SCOPES, LAUNCH_SCOPES, parseResourceScope, scopeAllows, SMART_CAPABILITIES } from './scopes';
export type { ResourceScope } from './scopes';
export type {
  IssueAccessTokenOptions,
  SmartAuthServer,
  SmartAuthServerOptions,
  SmartClient,
  SmartConfiguration,
  SmartLaunchContext,
  SmartUser,
} from './types';
