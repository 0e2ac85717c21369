/**
 * The EHR launcher page: pick an app, a patient (from the FHIR server), optionally one of their
 * encounters, and the user; Launch binds them to a new launch and opens the app's launch URL with
 * `iss` and `launch`, as an EHR does.
 *
 * See: https://hl7.org/fhir/smart-app-launch/STU2.2/app-launch.html#launch-app-ehr-launch
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SmartClient, SmartUser } from '../types';
import type { FhirDirectory } from './directory';
import { readForm, redirect, sendHtml } from './http';
import type { LaunchStore } from './launches';
import { errorPage, launcherPage } from './pages';

/** What the launcher needs from the server. */
export interface LauncherDeps {
  fhirBaseUrl: string;
  clients: ReadonlyMap<string, SmartClient>;
  launches: LaunchStore;
  directory: FhirDirectory;
  users(): Promise<SmartUser[]>;
  findUser(id: string): Promise<SmartUser | undefined>;
  launchUrlFor(clientId: string, launchId: string): string;
}

/** The handler of `GET /launcher` and `POST /launcher/launch`. */
export function createLauncher(deps: LauncherDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { fhirBaseUrl, clients, launches, directory, users, findUser, launchUrlFor } = deps;

  async function launcher(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const apps = [...clients.values()].filter((client) => client.launchUrl !== undefined);
    if (req.method === 'POST') {
      const form = await readForm(req);
      const client = clients.get(form.get('client') ?? '');
      const patients = await directory.patients();
      const patient = form.get('patient') ?? '';
      const userId = form.get('user') ?? '';
      const encounter = form.get('encounter') ?? '';
      const problems: string[] = [];
      if (client?.launchUrl === undefined) problems.push('Choose an app to launch.');
      if (!patients.some((p) => p.id === patient)) problems.push('Choose a patient.');
      if ((await findUser(userId)) === undefined) problems.push('Choose a user.');
      if (encounter !== '') {
        const found = (await directory.encounters()).find((e) => e.id === encounter);
        if (found === undefined || (found.patient !== undefined && found.patient !== patient)) problems.push("Choose one of the patient's encounters, or none.");
      }
      if (problems.length > 0 || client === undefined) {
        sendHtml(res, 400, await launcherView(apps, problems));
        return;
      }
      const launch = launches.create({
        patient,
        user: userId,
        ...(encounter === '' ? {} : { encounter }),
        needPatientBanner: form.get('banner') !== 'ehr',
        clientId: client.clientId,
      });
      redirect(res, launchUrlFor(client.clientId, launch));
      return;
    }
    sendHtml(res, 200, await launcherView(apps, []));
  }

  async function launcherView(apps: SmartClient[], problems: string[]): Promise<string> {
    try {
      const [patients, encounters, people] = await Promise.all([directory.patients(), directory.encounters(), users()]);
      return launcherPage({ apps, patients, encounters, users: people, fhirBaseUrl, problems });
    } catch {
      return errorPage('fhir_unavailable', `The FHIR server at ${fhirBaseUrl} could not be read.`);
    }
  }

  return launcher;
}
