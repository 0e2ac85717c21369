/**
 * What the browser tests do with the workspace page: wait for it, fill the encounter form with the
 * keyboard only, read the security labels of what was written, save screenshots for the docs.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { Coding } from 'fhir/r4';

/** Where the docs keep the screenshots the tests take. */
export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../docs/images');

/** Saves a screenshot of the whole page as `docs/images/workspace-<name>.png`. */
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
