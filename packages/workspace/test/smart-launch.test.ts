/**
 * The workspace in headless Chromium, launched the way an EHR launches it: PeerKit's SMART
 * authorization server (`@peerkit/smart-auth`, oidc-provider) in front of the embedded FHIR server
 * enforcing the token's scopes. EHR launch from the launcher page (patient and user picked, `iss` +
 * `launch`, PKCE) → consent status → an encounter recorded with the keyboard while the linter flags a
 * scope-of-practice sentence → saved with the token → the Encounter and note on the server with their
 * Part 2 labels. Then a standalone launch (sign in, pick the patient). Screenshots for the docs.
 */
import { checkAccessibility } from '@peerkit/browser-testing';
import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { startSmartAuthServer, type SmartAuthServer } from '@peerkit/smart-auth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_CLIENT } from '../src/index';
import { startAppServer, type AppServer } from './support/app-server';
import { seedClinic } from './support/seed';
import { expectRecordShown, expectSavedEncounter, recordEncounterWithKeyboard, screenshot, sharedBrowser, tabTo, waitForWorkspace } from './support/workspace-page';

let app: AppServer;
let fhir: FhirServer;
let smart: SmartAuthServer;
const browser = sharedBrowser();
let systemToken: string;
let launchedToken = '';

/** The access token fhirclient got for this page's launch: its state (named by `SMART_KEY`) in sessionStorage. */
async function launchedAccessToken(page: Page): Promise<string> {
  return page.evaluate(() => {
    const key = JSON.parse(sessionStorage.getItem('SMART_KEY') ?? '""') as string;
    const state = JSON.parse(sessionStorage.getItem(key) ?? '{}') as { tokenResponse?: { access_token?: string } };
    return state.tokenResponse?.access_token ?? '';
  });
}

beforeAll(async () => {
  // The app trusts only this test's FHIR server, as `peerkit serve --auth smart` configures it.
  app = await startAppServer(undefined, { config: () => (fhir === undefined ? undefined : { fhirServers: [fhir.baseUrl] }) });
  fhir = await startFhirServer({
    port: 0,
    auth: async (fhirBaseUrl) => {
      smart = await startSmartAuthServer({
        fhirBaseUrl,
        clients: [
          {
            clientId: WORKSPACE_CLIENT.clientId,
            name: WORKSPACE_CLIENT.clientName,
            redirectUris: WORKSPACE_CLIENT.redirectPaths.map((p) => new URL(p, app.appUrl).href),
            launchUrl: new URL(WORKSPACE_CLIENT.launchPath, app.appUrl).href,
            scope: WORKSPACE_CLIENT.scopes.registered,
          },
        ],
      });
      return { issuer: smart.issuer, jwksUri: smart.jwksUri, smartConfiguration: { ...smart.smartConfiguration } };
    },
  });
  systemToken = await smart.issueAccessToken({ scope: 'system/*.cruds' });
  await seedClinic(fhir.baseUrl, { authorization: `Bearer ${systemToken}` });
});

afterAll(async () => {
  await browser.close();
  await fhir?.close();
  await smart?.close();
  await app?.close();
});

describe('the workspace launched by an EHR (SMART App Launch, PKCE, scopes enforced)', () => {
  it('EHR launch from the launcher: consent visible, an encounter recorded with the keyboard as the linter flags medication advice, saved with the Part 2 labels', async () => {
    const { page, errors } = await (await browser.get()).newPage();
    await page.goto(smart.launcherUrl);
    await page.locator('#client').selectOption(WORKSPACE_CLIENT.clientId);
    await page.locator('#patient').selectOption('ws-pat-1');
    await page.locator('#user').selectOption({ label: (await page.locator('#user option', { hasText: 'Practitioner/pr-sp-ws-1' }).innerText()).trim() });
    await screenshot(page, 'launcher');
    await page.getByRole('button', { name: 'Launch' }).click();

    await waitForWorkspace(page);
    expect(new URL(page.url()).origin).toBe(new URL(app.appUrl).origin);
    launchedToken = await launchedAccessToken(page);
    await expectRecordShown(page);
    expect(await page.locator('#context-line').innerText()).toContain('Jordan Examplar');
    expect(await checkAccessibility(page)).toEqual([]);
    await screenshot(page, 'overview');

    await recordEncounterWithKeyboard(page, async () => {
      expect(await checkAccessibility(page)).toEqual([]);
      await page.locator('#f-note').scrollIntoViewIfNeeded();
      await screenshot(page, 'linter');
    });
    expect(await checkAccessibility(page)).toEqual([]);
    await screenshot(page, 'saved');
    expect(errors).toEqual([]);

    await expectSavedEncounter(fhir.baseUrl, 'ws-pat-1', { authorization: `Bearer ${systemToken}` });
  });

  it('standalone launch: the launch page asks for the FHIR server, the user signs in and picks the patient; the workspace opens on that patient', async () => {
    const { page, errors } = await (await browser.get()).newPage();
    await page.goto(`${app.appUrl}${WORKSPACE_CLIENT.launchPath}`);
    await page.locator('#standalone-form').waitFor({ state: 'visible' });
    expect(await checkAccessibility(page)).toEqual([]);
    await tabTo(page, 'iss');
    await page.keyboard.type(fhir.baseUrl);
    await page.keyboard.press('Enter');
    await page.locator('#user').selectOption({ label: (await page.locator('#user option', { hasText: 'Practitioner/pr-sp-ws-1' }).innerText()).trim() });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#patient').selectOption('ws-pat-1');
    await page.getByRole('button', { name: 'Continue' }).click();

    await waitForWorkspace(page);
    await expect.poll(() => page.locator('#consent').innerText()).toContain('42CFRPart2');
    expect(await page.locator('#plan').innerText()).toContain('Stay sober through my daughter');
    expect(await page.locator('#load-status').innerText()).toBe('Loaded.');
    expect(await checkAccessibility(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('refuses a launch naming a FHIR server the workspace is not configured for, before any redirect', async () => {
    const { page } = await (await browser.get()).newPage();
    const foreign = 'http://127.0.0.1:9/fhir';
    await page.goto(`${app.appUrl}${WORKSPACE_CLIENT.launchPath}?iss=${encodeURIComponent(foreign)}&launch=abc`);
    await expect.poll(() => page.locator('#launch-status').innerText()).toContain('not configured for');
    expect(new URL(page.url()).origin).toBe(new URL(app.appUrl).origin);
    await page.goto(`${app.appUrl}${WORKSPACE_CLIENT.launchPath}?fhirServiceUrl=${encodeURIComponent(foreign)}&patientId=p1`);
    await expect.poll(() => page.locator('#launch-status').innerText()).toContain('not configured for');
  });

  it('the token the EHR launch got (kept by fhirclient in the page) reads only its patient: the other patient is refused', async () => {
    expect(launchedToken, 'the EHR launch test above runs first and keeps its token').toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const read = (path: string) => fetch(`${fhir.baseUrl}/${path}`, { headers: { authorization: `Bearer ${launchedToken}` } });
    expect((await read('Patient/ws-pat-1')).status).toBe(200);
    expect((await read('Patient/ws-pat-2')).status).toBe(403);
    const search = (await (await read('Encounter?patient=Patient/ws-pat-2')).json()) as { entry?: unknown[] };
    expect(search.entry ?? []).toEqual([]);
  });
});
