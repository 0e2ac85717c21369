/// <reference path="./oidc-provider.d.ts" />
/**
 * The authorization's user-facing steps: the development sign-in (pick a synthetic user), the
 * standalone launch's patient picker, then a grant of the scopes the app may have, its launch
 * context remembered for the token response.
 *
 * See: https://hl7.org/fhir/smart-app-launch/STU2.2/app-launch.html#obtain-authorization-code
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from 'oidc-provider';
import { DEFAULT_CLIENT_SCOPE, grantableScopes, IDENTITY_SCOPES } from '../scopes';
import type { SmartClient, SmartLaunchContext, SmartUser } from '../types';
import type { FhirDirectory } from './directory';
import { readForm, sendHtml } from './http';
import { ExpiringMap, type LaunchStore } from './launches';
import { errorPage, loginPage, patientPickerPage } from './pages';

/** What a grant carries into its tokens and token responses. */
export interface GrantContext {
  scopes: string[];
  patient: string | undefined;
  encounter: string | undefined;
  fhirUser: string | undefined;
  launched: boolean;
  needPatientBanner: boolean;
  intent: string | undefined;
}

/** What an interaction has collected between its pages. */
interface InteractionState {
  user?: SmartUser;
  patient?: string;
}

/** What the interaction pages need from the server. */
export interface InteractionDeps {
  provider: Provider;
  fhirBaseUrl: string;
  clients: ReadonlyMap<string, SmartClient>;
  launches: LaunchStore;
  grants: ExpiringMap<GrantContext>;
  accounts: Map<string, SmartUser>;
  directory: FhirDirectory;
  users(): Promise<SmartUser[]>;
  findUser(id: string): Promise<SmartUser | undefined>;
  absoluteFhirUser(reference: string): string;
}

/** The handler of `/interaction/<uid>[/login|/patient|/deny]`. */
export function createInteractionHandler(deps: InteractionDeps): (req: IncomingMessage, res: ServerResponse, uid: string, step: string | undefined) => Promise<void> {
  const { provider, fhirBaseUrl, clients, launches, grants, accounts, directory, users, findUser, absoluteFhirUser } = deps;
  const interactions = new ExpiringMap<InteractionState>(3600 * 1000);

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, step: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) {
      sendHtml(res, 400, errorPage('invalid_request', 'This sign-in page belongs to another authorization request.'));
      return;
    }
    const params = details.params as { client_id?: string; scope?: string; launch?: string };
    const client = clients.get(params.client_id ?? '');
    if (client === undefined) {
      sendHtml(res, 400, errorPage('invalid_client', 'The app is not registered.'));
      return;
    }
    const state = interactions.get(uid) ?? {};
    const launch = params.launch === undefined ? undefined : launches.get(params.launch);
    if (params.launch !== undefined && launch === undefined) {
      await provider.interactionFinished(req, res, { error: 'invalid_request', error_description: 'launch is unknown or expired' }, { mergeWithLastSubmission: false });
      return;
    }
    if (launch?.clientId !== undefined && launch.clientId !== client.clientId) {
      await provider.interactionFinished(req, res, { error: 'invalid_request', error_description: 'launch was made for another app' }, { mergeWithLastSubmission: false });
      return;
    }

    if (req.method === 'POST') {
      const form = await readForm(req);
      if (step === 'login') {
        const user = await findUser(form.get('user') ?? '');
        if (user === undefined) {
          sendHtml(res, 400, loginPage(uid, client, await users(), 'Choose one of the users listed.'));
          return;
        }
        state.user = user;
      } else if (step === 'patient') {
        const patient = form.get('patient') ?? '';
        if (!(await directory.patients()).some((p) => p.id === patient)) {
          sendHtml(res, 400, patientPickerPage(uid, client, await directory.patients(), 'Choose one of the patients listed.'));
          return;
        }
        state.patient = patient;
      } else if (step === 'deny') {
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user denied the request' }, { mergeWithLastSubmission: false });
        return;
      }
      interactions.set(uid, state);
    }

    const user =
      state.user ??
      (launch?.user === undefined ? undefined : await findUser(launch.user)) ??
      (details.prompt.name === 'login' || details.session?.accountId === undefined ? undefined : accounts.get(details.session.accountId));
    if (user === undefined) {
      sendHtml(res, 200, loginPage(uid, client, await users()));
      return;
    }
    const scopes = grantableScopes(params.scope ?? '', client.scope ?? DEFAULT_CLIENT_SCOPE);
    const patient = launch?.patient ?? state.patient;
    if (patient === undefined && scopes.includes('launch/patient')) {
      interactions.set(uid, { ...state, user });
      sendHtml(res, 200, patientPickerPage(uid, client, await directory.patients()));
      return;
    }
    await finish(req, res, details.params, client, user, scopes, launch, patient);
  }

  async function finish(
    req: IncomingMessage,
    res: ServerResponse,
    params: Record<string, unknown>,
    client: SmartClient,
    user: SmartUser,
    scopes: string[],
    launch: SmartLaunchContext | undefined,
    patient: string | undefined,
  ): Promise<void> {
    accounts.set(user.id, user);
    const requested = String(params.scope ?? '').split(' ').filter((s) => s !== '');
    const grant = new provider.Grant({ accountId: user.id, clientId: client.clientId });
    const identity = scopes.filter((s) => IDENTITY_SCOPES.includes(s));
    const resource = scopes.filter((s) => !IDENTITY_SCOPES.includes(s));
    if (identity.length > 0) grant.addOIDCScope(identity.join(' '));
    if (resource.length > 0) grant.addResourceScope(fhirBaseUrl, resource.join(' '));
    const refusedIdentity = requested.filter((s) => IDENTITY_SCOPES.includes(s) && !scopes.includes(s));
    const refusedResource = requested.filter((s) => !IDENTITY_SCOPES.includes(s) && !scopes.includes(s));
    if (refusedIdentity.length > 0) grant.rejectOIDCScope(refusedIdentity.join(' '));
    if (refusedResource.length > 0) grant.rejectResourceScope(fhirBaseUrl, refusedResource.join(' '));
    const grantId = await grant.save();
    const wantsPatient = scopes.includes('launch/patient') || (launch !== undefined && scopes.includes('launch'));
    const wantsEncounter = scopes.includes('launch/encounter') || (launch !== undefined && scopes.includes('launch'));
    grants.set(grantId, {
      scopes,
      patient: wantsPatient ? patient : undefined,
      encounter: wantsEncounter ? launch?.encounter : undefined,
      fhirUser: scopes.includes('fhirUser') || scopes.includes('profile') ? absoluteFhirUser(user.fhirUser) : undefined,
      launched: wantsPatient || wantsEncounter,
      needPatientBanner: launch?.needPatientBanner ?? true,
      intent: launch?.intent,
    });
    if (typeof params.launch === 'string') launches.use(params.launch);
    await provider.interactionFinished(req, res, { login: { accountId: user.id }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  return interaction;
}
