/**
 * Test-only helpers for PeerKit's real-browser tests.
 *
 * Playwright's own browser download is not reachable from CI, so the tests drive Debian's
 * `chromium` package (`apt-get install chromium`; `.ci/run` installs it). `PEERKIT_CHROMIUM`
 * points at another Chromium or Chrome binary.
 *
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * Flags for a machine without outside network: without the background-networking ones Chromium
 * keeps trying to reach Google's hosts at start and floods the log with refused connections.
 */
const CLOSED_NETWORK_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The Chromium binary the tests use: `PEERKIT_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env['PEERKIT_CHROMIUM'];
  if (configured) {
    if (!existsSync(configured)) throw new Error(`PEERKIT_CHROMIUM points at a file that does not exist: ${configured}`);
    return configured;
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      'No Chromium for the browser tests. Install Debian\'s package (`sudo apt-get install chromium`) ' +
        'or set PEERKIT_CHROMIUM to a Chromium or Chrome binary. See the README, "Two commands".',
    );
  }
  return found;
}

/** A started headless Chromium. */
export interface TestBrowser {
  readonly browser: Browser;
  /** A fresh context (own cookies and storage) with a page that records console errors. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<TestPage>;
  close(): Promise<void>;
}

/** A page plus everything it reported as an error while the test ran. */
export interface TestPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** `console.error` messages and uncaught page errors, in order. */
  readonly errors: string[];
}

/** Starts Debian's Chromium headless with the flags a closed network needs. */
export async function launchChromium(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: findChromium(),
    headless: true,
    // Playwright gives each launch a fresh, throwaway profile directory of its own.
    args: CLOSED_NETWORK_FLAGS,
  });
  return {
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      return { page, context, errors };
    },
    async close() {
      await browser.close();
    },
  };
}

/** One axe-core rule a page breaks, with how many elements break it. */
export interface AccessibilityViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: number;
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now and returns the
 * violations; an empty list means axe found none. Works on pages with a strict Content Security
 * Policy: axe's source is evaluated through the DevTools protocol (`page.evaluate` with a string),
 * which a page's `script-src` does not govern, instead of an injected `<script>` element, which it
 * would block.
 */
export async function checkAccessibility(page: Page): Promise<AccessibilityViolation[]> {
  // axe's source assigns `window.axe`; wrapped in a function so it runs as statements, not an expression.
  await page.evaluate(`(() => {\n${axe.source}\n})()`);
  return page.evaluate(async () => {
    const run = (globalThis as unknown as { axe: typeof axe }).axe.run;
    const results = await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      nodes: violation.nodes.length,
    }));
  });
}
