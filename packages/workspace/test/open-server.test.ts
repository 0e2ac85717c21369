/**
 * The workspace in headless Chromium against an open FHIR server (no authorization): the launch with
 * `fhirServiceUrl` goes straight to `index.html`, and the whole flow runs as with a token: read the
 * record, see the consent, record an encounter with the keyboard while the linter runs, save, and find
 * the Encounter and note on the server with their Part 2 labels.
 */
import { checkAccessibility } from '@peerkit/browser-testing';
import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRecordShown, expectSavedEncounter, recordEncounterWithKeyboard, sharedBrowser, waitForWorkspace } from './support/workspace-page';
import { startAppServer, type AppServer } from './support/app-server';
import { seedClinic } from './support/seed';

let fhir: FhirServer;
let app: AppServer;
const browser = sharedBrowser();

beforeAll(async () => {
  fhir = await startFhirServer({ port: 0 });
  await seedClinic(fhir.baseUrl);
  // The app trusts the FHIR URL it is served beside (the same-origin /fhir forward).
  app = await startAppServer(fhir.baseUrl, { config: () => ({ fhirServers: [app.fhirUrl] }) });
});

afterAll(async () => {
  await browser.close();
  await app?.close();
  await fhir?.close();
});

const openLaunch = (): string =>
  `${app.appUrl}launch.html?${new URLSearchParams({ fhirServiceUrl: app.fhirUrl, patientId: 'ws-pat-1', fhirUser: 'Practitioner/pr-sp-ws-1' })}`;

describe('the workspace on an open FHIR server', () => {
  it('shows the plan, the consent with its Part 2 labels and the recent encounters, with no axe violation', async () => {
    const { page, errors } = await (await browser.get()).newPage();
    await page.goto(openLaunch());
    await waitForWorkspace(page);
    await expectRecordShown(page);
    expect(await checkAccessibility(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('records an encounter with the keyboard only; the saved Encounter and note carry the Part 2 labels', async () => {
    const { page, errors } = await (await browser.get()).newPage();
    await page.goto(openLaunch());
    await waitForWorkspace(page);
    await recordEncounterWithKeyboard(page, async () => {
      expect(await checkAccessibility(page)).toEqual([]);
    });
    expect(errors).toEqual([]);
    await expectSavedEncounter(fhir.baseUrl, 'ws-pat-1');
  });
});
