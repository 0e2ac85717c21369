/**
 * The workspace's SMART client registration: what an authorization server (PeerKit's own for
 * development, the host EHR's in production) registers, and what the app asks for at launch. One
 * copy, read by the browser app and by `peerkit serve --auth smart` through the Node entry.
 *
 * See: https://hl7.org/fhir/smart-app-launch/app-launch.html, https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */

/** What the workspace needs to be registered as a SMART App Launch 2.x public client. */
export interface WorkspaceClient {
  /** The OAuth 2 `client_id`. */
  readonly clientId: string;
  /** The name an authorization server shows when it asks the user. */
  readonly clientName: string;
  /** The launch URL relative to the app's base URL: an EHR opens it with `iss` and `launch`. */
  readonly launchPath: string;
  /** The app's settings file relative to its base URL: which FHIR servers it may launch against. */
  readonly configPath: string;
  /** The redirect URIs relative to the app's base URL (resolve each against it to register). */
  readonly redirectPaths: readonly string[];
  /** A public client: no secret; PKCE (`S256`) is required instead. */
  readonly tokenEndpointAuthMethod: 'none';
  /** The scopes asked for, SMART scopes v2 (`.rs` read + search, `.cu` create + update). */
  readonly scopes: {
    /** EHR launch: the EHR gives the patient through `launch`. */
    readonly ehrLaunch: string;
    /** Standalone launch: the authorization server asks which patient (`launch/patient`). */
    readonly standaloneLaunch: string;
    /** What to register as the client's allowed scope: both launches' scopes. */
    readonly registered: string;
  };
}

/**
 * The scopes both launches share: the user's identity, read and search of the patient's record,
 * create and update of the three resources a recorded encounter writes (its `Encounter`, the service
 * `Procedure` that holds its activities, goals and plan link, and the note's `DocumentReference`),
 * and read of the staff resources outside the patient's compartment that the billing preview and the
 * Part 2 flags need (the user's `Practitioner` and roles, the program's organization and services).
 */
const SHARED_SCOPES = [
  'openid',
  'fhirUser',
  'patient/*.rs',
  'patient/Encounter.cu',
  'patient/Procedure.cu',
  'patient/DocumentReference.cu',
  'user/Practitioner.rs',
  'user/PractitionerRole.rs',
  'user/Organization.rs',
  'user/HealthcareService.rs',
] as const;

/**
 * The workspace as a SMART client: `peerkit-workspace`, launched at `launch.html`, redirected to
 * `index.html`, public with PKCE.
 *
 * @example
 * const redirectUris = WORKSPACE_CLIENT.redirectPaths.map((p) => new URL(p, 'http://127.0.0.1:8080/app/').href);
 */
export const WORKSPACE_CLIENT: WorkspaceClient = {
  clientId: 'peerkit-workspace',
  clientName: 'PeerKit peer workspace',
  launchPath: 'launch.html',
  configPath: 'workspace-config.json',
  redirectPaths: ['index.html'],
  tokenEndpointAuthMethod: 'none',
  scopes: {
    ehrLaunch: ['launch', ...SHARED_SCOPES].join(' '),
    standaloneLaunch: ['launch/patient', ...SHARED_SCOPES].join(' '),
    registered: ['launch', 'launch/patient', ...SHARED_SCOPES].join(' '),
  },
};
