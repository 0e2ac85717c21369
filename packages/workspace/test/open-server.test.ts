/**
 * The workspace in headless Chromium against an open FHIR server (no authorization): the launch with
 * `fhirServiceUrl` goes straight to `index.html`, and the whole flow runs as with a token: read the
 * record, see the consent, record an encounter with the keyboard while the linter runs, save, and find
 * the Encounter and note on the server with their Part 2 labels.
 */
import { checkAccessibility, launchChromium, type TestBrowser } from '@peerkit/browser-testing';
import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import type { Bundle, DocumentReference, Encounter } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelCodes, PART2_LABEL_CODES, screenshot, tabTo, waitForWorkspace } from './support/workspace-page';
import { startAppServer, type AppServer } from './support/app-server';
import { seedClinic } from './support/seed';

let fhir: FhirServer;
let app: AppServer;
let browser: TestBrowser;

beforeAll(async () => {
  fhir = await startFhirServer({ port: 0 });
  await seedClinic(fhir.baseUrl);
  app = await startAppServer(fhir.baseUrl);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await fhir?.close();
});

const openLaunch = (): string =>
  `${app.appUrl}launch.html?${new URLSearchParams({ fhirServiceUrl: app.fhirUrl, patientId: 'ws-pat-1', fhirUser: 'Practitioner/pr-sp-ws-1' })}`;

describe('the workspace on an open FHIR server', () => {
  it('shows the plan, the consent with its Part 2 labels and the recent encounters, with no axe violation', async () => {
    const { page, errors } = await browser.newPage();
    await page.goto(openLaunch());
    await waitForWorkspace(page);
    await expect.poll(() => page.locator('#consent-summary').innerText()).toBe('1 of 1 consent in force today.');
    expect(await page.locator('#consent').innerText()).toContain('42CFRPart2');
    expect(await page.locator('#plan').innerText()).toContain('Stay sober through my daughter');
    expect(await page.locator('#encounters tbody tr').count()).toBe(2);
    expect(await checkAccessibility(page)).toEqual([]);
    expect(errors).toEqual([]);
    await screenshot(page, 'overview');
  });

  it('records an encounter with the keyboard only: the linter flags advice on medication as it is typed, the save writes a labelled Encounter and note', async () => {
    const { page, errors } = await browser.newPage();
    await page.goto(openLaunch());
    await waitForWorkspace(page);

    await tabTo(page, 'f-minutes');
    await page.keyboard.type('40');
    await tabTo(page, 'activities-0');
    await page.keyboard.press('Space');
    await tabTo(page, 'goals-0');
    await page.keyboard.press('Space');
    await tabTo(page, 'f-note');
    await page.keyboard.type('Peer worried about side effects. I told him to stop taking his Suboxone.', { delay: 5 });
    await page.locator('#lint-results .finding[data-rule="scope.medication-advice"]').waitFor();
    expect(await page.locator('#lint-results').innerText()).toContain('Scope of practice');
    expect(await page.locator('#lint-marked mark').count()).toBe(1);
    await expect.poll(() => page.locator('#billing-preview [data-field="code"]').innerText()).toContain('H0038');
    expect(await page.locator('#labels-preview').innerText()).toContain('42CFRPart2');
    expect(await checkAccessibility(page)).toEqual([]);
    await page.locator('#f-note').scrollIntoViewIfNeeded();
    await screenshot(page, 'linter');

    // Saving with the flagged sentence is refused; the specialist rewrites it.
    await tabTo(page, 'save');
    await page.keyboard.press('Enter');
    await page.locator('#form-errors:not([hidden])').waitFor();
    await tabTo(page, 'f-note');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Peer is bothered by side effects; we wrote down questions for his prescriber.', { delay: 2 });
    await expect.poll(() => page.locator('#lint-results').innerText()).toContain('No findings');
    await tabTo(page, 'save');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#save-status').innerText(), { timeout: 20_000 }).toMatch(/^Saved: /);
    expect(await page.locator('#encounters tbody tr').count()).toBe(3);
    expect(errors).toEqual([]);

    const encounters = (await (await fetch(`${fhir.baseUrl}/Encounter?subject=Patient/ws-pat-1&_count=100`)).json()) as Bundle<Encounter>;
    const saved = encounters.entry?.map((e) => e.resource).find((e) => e?.id?.startsWith('pe-ws-'));
    expect(saved?.length?.value).toBe(40);
    expect(labelCodes(saved?.meta?.security)).toEqual(PART2_LABEL_CODES);
    const notes = (await (await fetch(`${fhir.baseUrl}/DocumentReference?subject=Patient/ws-pat-1&_count=100`)).json()) as Bundle<DocumentReference>;
    const note = notes.entry?.map((e) => e.resource).find((d) => d?.context?.encounter?.[0]?.reference === `Encounter/${saved?.id}`);
    expect(Buffer.from(note?.content[0]?.attachment.data ?? '', 'base64').toString('utf8')).toBe('Peer is bothered by side effects; we wrote down questions for his prescriber.');
    expect(note?.docStatus).toBe('final');
    expect(labelCodes(note?.meta?.security)).toEqual(PART2_LABEL_CODES);
  });
});
