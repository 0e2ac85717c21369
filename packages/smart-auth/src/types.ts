/**
 * The public shapes of the SMART authorization server: options, registered apps, users, launch
 * contexts and the running server.
 *
 * See: https://hl7.org/fhir/smart-app-launch/STU2.2/app-launch.html
 */

/**
 * A SMART app registered with the authorization server: a public client (no secret) that must use
 * PKCE with S256.
 */
export interface SmartClient {
  /** The OAuth `client_id`, e.g. `'peerkit-workspace'`. */
  clientId: string;
  /** Exact redirect URIs the app may use (`https`, or `http` on loopback). At least one. */
  redirectUris: readonly string[];
  /**
   * The app's launch URL, e.g. `http://127.0.0.1:5173/launch.html`: the launcher opens
   * `<launchUrl>?iss=<fhir base>&launch=<id>` (EHR launch). Without it the app is listed but cannot
   * be EHR-launched.
   */
  launchUrl?: string;
  /** The name shown on the launcher and the sign-in page. Default the `clientId`. */
  name?: string;
  /**
   * The scopes the app may be granted, space separated. A requested scope outside them is dropped
   * from the grant. Resource scopes match by meaning: `patient/*.cruds` allows `patient/Encounter.rs`.
   * Default {@link DEFAULT_CLIENT_SCOPE}.
   */
  scope?: string;
}

/** A user who can sign in (development only: no password) or be the EHR user of a launch. */
export interface SmartUser {
  /** The account id, the `sub` of the ID token. */
  id: string;
  /** The display name on the launcher and sign-in page. */
  name: string;
  /** The user's FHIR resource, relative to the FHIR base, e.g. `Practitioner/123`. */
  fhirUser: string;
}

/** The context an EHR binds to a launch before it opens the app (what the launcher page does). */
export interface SmartLaunchContext {
  /** The patient in context: a Patient id on the FHIR server (`'123'`, not `'Patient/123'`). */
  patient?: string;
  /** The encounter in context: an Encounter id on the FHIR server. */
  encounter?: string;
  /**
   * The EHR user launching the app: a {@link SmartUser} id. With it the app's authorization skips
   * the sign-in page (the EHR session is the user's); without it the user signs in.
   */
  user?: string;
  /** `need_patient_banner` in the token response. Default true: the launcher shows no banner of its own. */
  needPatientBanner?: boolean;
  /** `intent` in the token response, e.g. `'reconcile-medications'`. Default none. */
  intent?: string;
  /**
   * The registered app (`clientId`) this launch is for: another app presenting it is refused, as an
   * EHR's launch belongs to the app it opened. Default none: any registered app (the launcher page
   * always binds the app it launches).
   */
  clientId?: string;
}

/** The SMART configuration document (`/.well-known/smart-configuration`). */
export interface SmartConfiguration {
  /** The authorization server's issuer (the `iss` of its tokens). */
  issuer: string;
  /** Where the signing keys are published. */
  jwks_uri: string;
  /** The authorization endpoint. */
  authorization_endpoint: string;
  /** The token endpoint. */
  token_endpoint: string;
  /** The OpenID Connect UserInfo endpoint. */
  userinfo_endpoint: string;
  /** The token revocation endpoint (RFC 7009). */
  revocation_endpoint: string;
  /** `authorization_code`, `refresh_token`. */
  grant_types_supported: string[];
  /** `none`: every client is public. */
  token_endpoint_auth_methods_supported: string[];
  /** The scopes understood, wildcards standing for every resource type. */
  scopes_supported: string[];
  /** `code`. */
  response_types_supported: string[];
  /** `S256` only. */
  code_challenge_methods_supported: string[];
  /** The SMART capabilities, e.g. `launch-ehr`, `permission-v2`. */
  capabilities: string[];
}

/** A signed access token minted directly, for tests and seeding (see {@link SmartAuthServer.issueAccessToken}). */
export interface IssueAccessTokenOptions {
  /** Space-separated scopes, e.g. `'system/*.cruds'` or `'patient/*.rs'`. */
  scope: string;
  /** The `patient` claim (a Patient id): the compartment `patient/` scopes are limited to. */
  patient?: string;
  /** The `encounter` claim (an Encounter id). */
  encounter?: string;
  /** The `fhirUser` claim, relative (`Practitioner/1`) or absolute. */
  fhirUser?: string;
  /** The `sub` claim. Default `'peerkit-dev-service'`. */
  subject?: string;
  /** The `client_id` claim. Default `'peerkit-dev-service'`. */
  clientId?: string;
  /** Lifetime in seconds; negative gives an already-expired token (tests). Default 300. */
  expiresInSeconds?: number;
}

/** Options of {@link startSmartAuthServer}. */
export interface SmartAuthServerOptions {
  /**
   * The FHIR base the tokens are for, e.g. `http://127.0.0.1:8080/fhir`: the access token `aud`,
   * the `iss` of EHR launches, the `aud` apps must send, and where the launcher reads patients and
   * practitioners.
   */
  fhirBaseUrl: string;
  /** Apps registered at start; more with `registerClient`. Default none. */
  clients?: readonly SmartClient[];
  /**
   * The users one can sign in as (synthetic). Default: the Practitioners on the FHIR server (first
   * 100), read with a token the server mints for itself, each `Practitioner/<id>`.
   */
  users?: readonly SmartUser[];
  /** TCP port. Default 0: the system picks a free one (read it from `issuer`). */
  port?: number;
  /** Interface to listen on. Default `'127.0.0.1'`; must be loopback: this server has no real sign-in. */
  host?: string;
  /** Access token lifetime in seconds. Default 3600. */
  accessTokenTtlSeconds?: number;
  /** How long a launch created by the launcher or `createLaunch` may wait for its one authorization, in seconds. Default 600. */
  launchTtlSeconds?: number;
  /** `smart_style_url` in token responses. Default `<issuer>/smart-style.json` (served here). */
  smartStyleUrl?: string | false;
}

/** A running SMART authorization server. */
export interface SmartAuthServer {
  /** The issuer URL, e.g. `http://127.0.0.1:43117` (no trailing slash): the `iss` of every token. */
  readonly issuer: string;
  /** The EHR launcher page: `<issuer>/launcher`. */
  readonly launcherUrl: string;
  /** The JWK Set of the token signing key: `<issuer>/jwks`. */
  readonly jwksUri: string;
  /** The port it listens on. */
  readonly port: number;
  /** The FHIR base the tokens are for (the `fhirBaseUrl` option, without a trailing slash). */
  readonly fhirBaseUrl: string;
  /** The document to serve at `<fhir base>/.well-known/smart-configuration` (also served at `<issuer>/.well-known/smart-configuration`). */
  readonly smartConfiguration: SmartConfiguration;
  /**
   * Registers an app (or replaces the one with the same `clientId` for new authorizations).
   * @throws TypeError when a redirect URI or the launch URL is not an absolute http(s) URL
   */
  registerClient(client: SmartClient): void;
  /**
   * Creates an EHR launch bound to a context (and, with `clientId`, to one app); returns the opaque
   * `launch` id to pass to the app. Each id serves one authorization, within `launchTtlSeconds`.
   */
  createLaunch(context: SmartLaunchContext): string;
  /**
   * The URL an EHR opens for an EHR launch of a registered app: `<launchUrl>?iss=<fhir base>&launch=<id>`.
   * @throws Error when the client is unknown or has no `launchUrl`
   */
  launchUrl(clientId: string, launchId: string): string;
  /**
   * Mints an access token for the FHIR base directly, signed with the server's key (no user, no
   * client): for tests, seeding data and the launcher's own reads. Development only.
   */
  issueAccessToken(options: IssueAccessTokenOptions): Promise<string>;
  /** Stops listening and closes every connection. Calling it again returns the same promise. */
  close(): Promise<void>;
}
