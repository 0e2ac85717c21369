import type { SmartClient, SmartUser } from '../types';
import type { DirectoryEncounter, DirectoryPatient } from './directory';
import { escapeHtml, options, page } from './html';

function problemList(problems: readonly string[]): string {
  if (problems.length === 0) return '';
  return `<div role="alert"><p><strong>Please fix:</strong></p><ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul></div>`;
}

/** What the launcher page shows. */
export interface LauncherView {
  apps: readonly SmartClient[];
  patients: readonly DirectoryPatient[];
  encounters: readonly DirectoryEncounter[];
  users: readonly SmartUser[];
  fhirBaseUrl: string;
  problems: readonly string[];
}

/**
 * The EHR launcher: choose an app, a patient, optionally one of their encounters, and the EHR user,
 * then Launch opens `<app launch URL>?iss=<fhir base>&launch=<id>` as an EHR does. Form fields:
 * `client`, `patient`, `encounter`, `user`, `banner`.
 */
export function launcherPage(view: LauncherView): string {
  const empty: string[] = [];
  if (view.apps.length === 0) empty.push('No app with a launch URL is registered.');
  if (view.patients.length === 0) empty.push('The FHIR server has no Patient yet: load some data first.');
  if (view.users.length === 0) empty.push('No user: the FHIR server has no Practitioner yet (or pass users to the server).');
  const encounterOptions = [{ value: '', label: 'None' }, ...view.encounters.map((e) => ({ value: e.id, label: e.label }))];
  return page(
    'EHR launcher — PeerKit (development)',
    `<h1>EHR launcher</h1>
<p class="note">Launches a registered SMART app the way an EHR does, against the FHIR server at <code>${escapeHtml(view.fhirBaseUrl)}</code>.</p>
${problemList(view.problems)}
${empty.length === 0 ? '' : `<ul class="note">${empty.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>`}
<form method="post" action="/launcher/launch">
<label for="client">App</label>
<select id="client" name="client" required>${options(view.apps.map((a) => ({ value: a.clientId, label: a.name ?? a.clientId })))}</select>
<label for="patient">Patient</label>
<select id="patient" name="patient" required>${options(view.patients.map((p) => ({ value: p.id, label: p.label })))}</select>
<label for="encounter">Encounter (optional)</label>
<select id="encounter" name="encounter">${options(encounterOptions)}</select>
<label for="user">User</label>
<select id="user" name="user" required>${options(view.users.map((u) => ({ value: u.id, label: `${u.name} (${u.fhirUser})` })))}</select>
<label for="banner">Patient banner</label>
<select id="banner" name="banner">${options([
      { value: 'app', label: 'The app shows it (need_patient_banner: true)' },
      { value: 'ehr', label: 'The EHR shows it (need_patient_banner: false)' },
    ])}</select>
<div><button type="submit">Launch</button></div>
</form>`,
  );
}

/** The development sign-in: pick a synthetic user, no password. Form field: `user`. */
export function loginPage(uid: string, client: SmartClient, users: readonly SmartUser[], problem?: string): string {
  return page(
    'Sign in — development only',
    `<h1>Sign in to ${escapeHtml(client.name ?? client.clientId)}</h1>
<p><strong>Development-only sign-in:</strong> there is no password. Choose the synthetic user to act as.</p>
${problemList(problem === undefined ? [] : [problem])}
${users.length === 0 ? '<p class="note">No user: the FHIR server has no Practitioner yet.</p>' : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="user">User</label>
<select id="user" name="user" required>${options(users.map((u) => ({ value: u.id, label: `${u.name} (${u.fhirUser})` })))}</select>
<div><button type="submit">Sign in</button></div>
</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/deny"><button type="submit">Cancel</button></form>`,
  );
}

/** The standalone launch's patient picker. Form field: `patient`. */
export function patientPickerPage(uid: string, client: SmartClient, patients: readonly DirectoryPatient[], problem?: string): string {
  return page(
    'Choose a patient',
    `<h1>Choose a patient</h1>
<p>${escapeHtml(client.name ?? client.clientId)} asks for a patient to work with.</p>
${problemList(problem === undefined ? [] : [problem])}
${patients.length === 0 ? '<p class="note">The FHIR server has no Patient yet.</p>' : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/patient">
<label for="patient">Patient</label>
<select id="patient" name="patient" required>${options(patients.map((p) => ({ value: p.id, label: p.label })))}</select>
<div><button type="submit">Continue</button></div>
</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/deny"><button type="submit">Cancel</button></form>`,
  );
}

/** An error page that names the OAuth error and says what happened, never echoing the request. */
export function errorPage(error: string, description: string): string {
  return page('Error', `<h1>The sign-in could not go on</h1><p role="alert"><code>${escapeHtml(error)}</code>: ${escapeHtml(description)}</p>`);
}
