/**
 * What the browser tests do with the workspace page: wait for it, fill the encounter form with the
 * keyboard only, read the security labels of what was written, save screenshots for the docs.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, Coding, DocumentReference, Encounter } from 'fhir/r4';
import { launchChromium, type TestBrowser } from '@peerkit/browser-testing';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Where the screenshots go: `test-output/` (gitignored) on every run, so a test run never changes a
 * tracked file; with `PEERKIT_DOC_IMAGES=1`, `docs/images/`, the copies the docs show.
 */
export const SCREENSHOT_DIR =
  process.env['PEERKIT_DOC_IMAGES'] === '1' ? join(here, '../../../../docs/images') : join(here, '../../test-output');

/** Saves a screenshot of the whole page as `workspace-<name>.png` in {@link SCREENSHOT_DIR}. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `workspace-${name}.png`), fullPage: true });
}

/** Waits until the workspace has read the record (or shows why it could not). */
export async function waitForWorkspace(page: Page): Promise<void> {
  await page.waitForURL(/\/index\.html/);
  await page.locator('#workspace').waitFor({ state: 'visible', timeout: 30_000 }).catch(async () => {
    throw new Error(`the workspace did not open: ${await page.locator('#load-status').innerText()}`);
  });
}

/** The id of the focused element. */
const focusedId = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.id ?? '');

/** Presses Tab until the element with `id` has the focus (at most `max` times); fails when it never does. */
export async function tabTo(page: Page, id: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await focusedId(page)) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id}`);
}

/** The codes of labels, sorted, with the confidentiality basis (`R^42CFRPart2`). */
export function labelCodes(security: readonly Coding[] | undefined): string[] {
  return (security ?? []).map((c) => (c.extension?.[0]?.valueCoding?.code ? `${c.code}^${c.extension[0].valueCoding.code}` : (c.code ?? ''))).sort();
}

/** The 42 CFR Part 2 labels `part2Labels()` writes, as {@link labelCodes} gives them. */
export const PART2_LABEL_CODES = ['42CFRPart2', 'NORDSCLCD', 'R^42CFRPart2', 'SUD'];

/** The note the flow types first: advice on a medication, outside a peer's scope of practice. */
export const OUT_OF_SCOPE_NOTE = 'Peer worried about side effects. I told him to stop taking his Suboxone.';
/** The note it is rewritten to, as the linter suggests. */
export const REWRITTEN_NOTE = 'Peer is bothered by side effects; we wrote down questions for his prescriber.';

/**
 * Records an encounter with the keyboard only (Tab, Space, typing, Enter): 40 minutes, the first
 * activity and goal, a note that advises a medication change — the linter must flag it as it is
 * typed, with its span marked, and the save must refuse it — then the rewritten note, saved.
 *
 * @param onFlagged - called while the finding is shown (screenshots, axe)
 */
export async function recordEncounterWithKeyboard(page: Page, onFlagged: () => Promise<void>): Promise<void> {
  const before = await page.locator('#encounters tbody tr').count();
  await tabTo(page, 'f-minutes');
  await page.keyboard.type('40');
  await tabTo(page, 'activities-0');
  await page.keyboard.press('Space');
  await tabTo(page, 'goals-0');
  await page.keyboard.press('Space');
  await tabTo(page, 'f-note');
  await page.keyboard.type(OUT_OF_SCOPE_NOTE, { delay: 5 });
  await page.locator('#lint-results .finding[data-rule="scope.medication-advice"]').waitFor();
  expect(await page.locator('#lint-results').innerText()).toContain('Scope of practice');
  expect(await page.locator('#lint-marked mark[data-rule="scope.medication-advice"]').count()).toBe(1);
  await expect.poll(() => page.locator('#billing-preview [data-field="code"]').innerText()).toContain('H0038');
  expect(await page.locator('#billing-preview [data-field="units"]').innerText()).toBe('3');
  // Credentials and supervision come from the staff resources the launch may read: nothing holds the line.
  expect(await page.locator('#billing-preview [data-field="status"]').innerText()).toBe('Billable');
  expect(await page.locator('#labels-preview').innerText()).toContain('42CFRPart2');
  await onFlagged();

  await tabTo(page, 'save');
  await page.keyboard.press('Enter');
  await page.locator('#form-errors:not([hidden])').waitFor();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('form-errors');
  await tabTo(page, 'f-note');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(REWRITTEN_NOTE, { delay: 2 });
  await expect.poll(() => page.locator('#lint-results').innerText()).toContain('No findings');
  await tabTo(page, 'save');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('#save-status').innerText(), { timeout: 20_000 }).toMatch(/^Saved: /);
  expect(await page.locator('#encounters tbody tr').count()).toBe(Math.min(5, before + 1));
}

/**
 * Reads the encounter the flow saved back from the server over HTTP and checks it: 40 minutes, its
 * note's text and signature, and the 42 CFR Part 2 labels on both.
 */
export async function expectSavedEncounter(fhirBaseUrl: string, patientId: string, headers: Record<string, string> = {}): Promise<void> {
  const get = async <T>(url: string): Promise<T> => {
    const response = await fetch(`${fhirBaseUrl}/${url}`, { headers });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  const encounters = await get<Bundle<Encounter>>(`Encounter?subject=Patient/${patientId}&_count=100`);
  const saved = encounters.entry?.map((e) => e.resource).filter((e) => e?.id?.startsWith('pe-ws-'));
  expect(saved).toHaveLength(1);
  const encounter = saved?.[0];
  expect(encounter?.length?.value).toBe(40);
  expect(labelCodes(encounter?.meta?.security)).toEqual(PART2_LABEL_CODES);
  const notes = await get<Bundle<DocumentReference>>(`DocumentReference?subject=Patient/${patientId}&_count=100`);
  const note = notes.entry?.map((e) => e.resource).find((d) => d?.context?.encounter?.[0]?.reference === `Encounter/${encounter?.id}`);
  expect(Buffer.from(note?.content[0]?.attachment.data ?? '', 'base64').toString('utf8')).toBe(REWRITTEN_NOTE);
  expect(note?.docStatus).toBe('final');
  expect(labelCodes(note?.meta?.security)).toEqual(PART2_LABEL_CODES);
}

/** The fixture patient's record as the workspace shows it: the plan, the Part 2 consent in force, two encounters. */
export async function expectRecordShown(page: Page): Promise<void> {
  await expect.poll(() => page.locator('#consent-summary').innerText()).toBe('1 of 1 consent in force today.');
  expect(await page.locator('#consent').innerText()).toContain('42CFRPart2');
  // The §2.31 check comes with the lazily loaded safeguards chunk.
  await expect.poll(() => page.locator('#consent').innerText()).toContain('All present');
  expect(await page.locator('#plan').innerText()).toContain('Stay sober through my daughter');
  expect(await page.locator('#encounters tbody tr').count()).toBe(2);
}

/**
 * Chromium, started by the first test that asks for it: a missing Chromium then fails each test with
 * `@peerkit/browser-testing`'s message instead of a failed hook that leaves the tests marked skipped.
 */
export function sharedBrowser(): { get(): Promise<TestBrowser>; close(): Promise<void> } {
  let started: Promise<TestBrowser> | undefined;
  return {
    get: () => (started ??= launchChromium()),
    close: async () => {
      const browser = await started?.catch(() => undefined);
      await browser?.close();
    },
  };
}
