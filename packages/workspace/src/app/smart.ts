/**
 * The SMART side of the app, through SMART's own client (`fhirclient`): the launch (EHR launch with
 * `iss` + `launch`, standalone with `iss` only, or an open development server with `fhirServiceUrl`)
 * and, after the redirect, the ready client with the patient in context.
 *
 * See: https://hl7.org/fhir/smart-app-launch/app-launch.html, http://docs.smarthealthit.org/client-js/
 */
import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import { WORKSPACE_CLIENT } from '../client';
import { isTrustedFhirServer, parseWorkspaceConfig, type WorkspaceConfig } from '../trusted-servers';
import type { FhirReader, FhirResourceJson } from './load-patient';
import type { FhirWriter } from './save-encounter';

/** Where an open-server launch keeps the user it was given (an open server has no id token to say it). */
const OPEN_USER_KEY = 'peerkit.workspace.fhirUser';

/** How a launch URL asks to be launched. */
export type LaunchMode = 'ehr' | 'standalone' | 'open' | 'ask';

/** The launch mode of a launch URL's query. */
export function launchModeOf(params: URLSearchParams): LaunchMode {
  if (params.get('iss')) return params.get('launch') ? 'ehr' : 'standalone';
  if (params.get('fhirServiceUrl')) return 'open';
  return 'ask';
}

/** The served `workspace-config.json`; undefined when there is none (404: any server, development). */
async function loadWorkspaceConfig(): Promise<WorkspaceConfig | undefined> {
  const reply = await fetch(new URL(WORKSPACE_CLIENT.configPath, location.href), { cache: 'no-store' });
  if (reply.status === 404) return undefined;
  if (!reply.ok) throw new Error('workspace-config.json could not be read, so no FHIR server is trusted');
  const config = parseWorkspaceConfig(await reply.json().catch(() => null));
  if ('problem' in config) throw new Error(config.problem);
  return config;
}

/**
 * Starts the launch: redirects to the authorization server (or, for an open server, straight to the
 * app). Resolves only for `ask`, when the page must ask for the FHIR server.
 */
export async function authorize(params: URLSearchParams): Promise<LaunchMode> {
  const mode = launchModeOf(params);
  const clientId = params.get('clientId') ?? WORKSPACE_CLIENT.clientId;
  const redirectUri = WORKSPACE_CLIENT.redirectPaths[0] ?? 'index.html';
  const server = mode === 'open' ? params.get('fhirServiceUrl') : params.get('iss');
  if (mode !== 'ask') {
    const config = await loadWorkspaceConfig();
    if (config !== undefined && !isTrustedFhirServer(server ?? '', config)) {
      throw new Error('the launch names a FHIR server this workspace is not configured for (workspace-config.json fhirServers)');
    }
  }
  if (mode === 'open') {
    const user = params.get('fhirUser');
    if (user) sessionStorage.setItem(OPEN_USER_KEY, user);
    else sessionStorage.removeItem(OPEN_USER_KEY);
    const patientId = params.get('patientId');
    await FHIR.oauth2.authorize({ fhirServiceUrl: params.get('fhirServiceUrl') ?? '', clientId, redirectUri, ...(patientId ? { patientId } : {}) });
  } else if (mode !== 'ask') {
    sessionStorage.removeItem(OPEN_USER_KEY);
    const launch = params.get('launch');
    await FHIR.oauth2.authorize({
      iss: params.get('iss') ?? '',
      ...(launch ? { launch } : {}),
      clientId,
      redirectUri,
      scope: mode === 'ehr' ? WORKSPACE_CLIENT.scopes.ehrLaunch : WORKSPACE_CLIENT.scopes.standaloneLaunch,
      pkceMode: 'required',
    });
  }
  return mode;
}

/** The ready SMART session: the patient, the user, and the FHIR server through the token. */
export interface SmartSession {
  readonly patientId: string;
  /** `Practitioner/<id>` (or another type) of the signed-in user, when known. */
  readonly fhirUser: string | undefined;
  readonly reader: FhirReader;
  readonly writer: FhirWriter;
  /** The FHIR base URL. */
  readonly serverUrl: string;
}

/** Completes the launch (`FHIR.oauth2.ready()`) and wraps the client. */
export async function ready(): Promise<SmartSession> {
  const client: Client = await FHIR.oauth2.ready();
  const patientId = client.patient.id;
  if (!patientId) throw new Error('The launch gave no patient in context');
  const fhirUser = client.getFhirUser() ?? sessionStorage.getItem(OPEN_USER_KEY) ?? undefined;
  return {
    patientId,
    fhirUser,
    serverUrl: client.state.serverUrl,
    reader: {
      read: (url) => client.request<FhirResourceJson>(url),
      search: (url) => client.request<FhirResourceJson[]>(url, { pageLimit: 0, flat: true }),
    },
    writer: {
      update: (resource) => client.update(resource as never),
    },
  };
}
