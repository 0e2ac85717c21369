/**
 * The program report in a real browser: the HTML page `renderProgramReportHtml` writes is opened from
 * a file in headless Chromium (Debian's package, driven by playwright-core through
 * `@peerkit/browser-testing`). It must show no console error, draw every chart as an SVG with marks
 * of non-zero size (one bar per non-zero cell), show the suppression marker on the planted rare row,
 * and pass axe-core's WCAG A/AA rules. One screenshot per chart goes to `test-output/report-browser/`
 * (gitignored); with `PEERKIT_DOC_IMAGES=1` the screenshots the docs use are copied to `docs/images/`.
 *
 * No Chromium is a failure, never a skip: `launchChromium` throws and every test fails.
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkAccessibility, launchChromium, type TestBrowser, type TestPage } from '@peerkit/browser-testing';
import { generateClinic } from '@peerkit/model';
import { createProgramReport, generateInstrumentResponses } from '@peerkit/outcomes';
import { programReportCharts, renderProgramReportHtml, type ReportChart } from '@peerkit/outcomes/html';
import { checkClinic } from '@peerkit/safeguards';
import { afterAll, describe, expect, it } from 'vitest';
import { withRarePeer } from '../src/__fixtures__/rare-peer';

const OUT = fileURLToPath(new URL('../test-output/report-browser/', import.meta.url));
const DOC_IMAGES = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
/** The charts whose screenshots docs/outcomes.md shows. */
const DOC_CHARTS = ['contacts-by-month', 'settings', 'referrals', 'outcome-phq-9-bands', 'findings'];
/** The label of the planted rare row (`withRarePeer`: the one contact from a correctional setting). */
const RARE_ROW = 'Jail, prison or re-entry site';
const TIMEOUT = 180_000;

const clinic = generateClinic({ seed: 9, peers: 60, weeks: 16 });
const records = withRarePeer(clinic.records);
const responses = generateInstrumentResponses(clinic, { seed: 9 }).map((r) => r.response);
const report = createProgramReport(records, responses, {
  title: 'Example peer support program (synthetic)',
  billing: { lines: 100, billableLines: 95, heldLines: 5, units: 400, heldUnits: 20, unitsByCode: { H0038: 380, H0025: 20 }, heldByReason: { DAILY_CAP: 12, NO_CONSENT: 3 } },
  findings: checkClinic(records).findings,
});
const charts = programReportCharts(report);

/** What the page drew for one chart, measured in the browser. */
interface DrawnChart {
  readonly svgWidth: number;
  readonly svgHeight: number;
  /** Rendered mark elements (bars, text) of Vega's mark groups. */
  readonly marks: number;
  /** Bars (Vega `rect` marks) with a non-zero area. */
  readonly bars: number;
  /** Axis labels, reading order (top to bottom or left to right), with their screen position. */
  readonly labels: readonly { readonly text: string; readonly x: number; readonly y: number }[];
}

/** The categories of a chart in the report's order (months, code-list order, bands), once each. */
function categories(chart: ReportChart): string[] {
  return [...new Set((chart.spec as { data: { values: { key: string }[] } }).data.values.map((v) => v.key))];
}

/** The drawn category-axis labels in reading order, as categories (Vega shortens long ones with "…"). */
function axisCategories(chart: ReportChart, drawn: DrawnChart): string[] {
  const keys = categories(chart);
  const match = (text: string): string | undefined => keys.find((k) => k === text || (text.endsWith('…') && k.startsWith(text.slice(0, -1))));
  const found = drawn.labels.flatMap((l) => {
    const key = match(l.text);
    return key === undefined ? [] : [{ key, x: l.x, y: l.y }];
  });
  const spread = (pick: (l: { x: number; y: number }) => number): number => Math.max(...found.map(pick)) - Math.min(...found.map(pick));
  const vertical = spread((l) => l.y) > spread((l) => l.x);
  return found.sort((a, b) => (vertical ? a.y - b.y : a.x - b.x)).map((l) => l.key);
}

/** Numeric cells of a chart's spec that should be drawn as a bar: not suppressed, not zero. */
function barsExpected(chart: ReportChart): number {
  const values = (chart.spec as { data: { values: { value: number | null }[] } }).data.values;
  return values.filter((v) => typeof v.value === 'number' && v.value > 0).length;
}

/** The browser, the page that shows the report, and the report file's URL. */
interface Session {
  readonly chromium: TestBrowser;
  readonly tab: TestPage;
  readonly url: string;
}

describe('the program report in headless Chromium', () => {
  let opening: Promise<Session> | undefined;
  /** Opens the report once; every test awaits it, so a missing Chromium fails each test (never a skip). */
  const open = (): Promise<Session> =>
    (opening ??= (async () => {
      const chromium = await launchChromium();
      await rm(OUT, { recursive: true, force: true });
      await mkdir(OUT, { recursive: true });
      const file = `${OUT}report.html`;
      await writeFile(file, await renderProgramReportHtml(report));
      const url = pathToFileURL(file).href;
      const tab = await chromium.newPage({ viewport: { width: 1100, height: 900 } });
      await tab.page.goto(url, { waitUntil: 'load' });
      return { chromium, tab, url };
    })());

  afterAll(async () => {
    const session = await opening?.catch(() => undefined);
    await session?.chromium.close();
  });

  it('opens from a file with no console error or page error', async () => {
    const { tab } = await open();
    expect(await tab.page.title()).toBe(report.title);
    expect(tab.errors).toEqual([]);
  }, TIMEOUT);

  it('draws every chart: an SVG of non-zero size, a bar for each non-zero cell, every category in order', async () => {
    const { tab } = await open();
    expect(charts.length).toBeGreaterThanOrEqual(15);
    expect(await tab.page.locator('figure[data-chart]').count()).toBe(charts.length);
    for (const chart of charts) {
      const figure = tab.page.locator(`figure[data-chart="${chart.id}"]`);
      const drawn: DrawnChart = await figure.evaluate((el) => {
        const svg = el.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        const area = (e: Element): number => {
          const b = e.getBoundingClientRect();
          return b.width * b.height;
        };
        const marks = Array.from(el.querySelectorAll('g.role-mark > *')).filter((e) => area(e) > 0);
        const bars = Array.from(el.querySelectorAll('g.mark-rect.role-mark > path')).filter((e) => area(e) > 0);
        const labels = Array.from(el.querySelectorAll('g.role-axis-label text')).map((t) => {
          const b = t.getBoundingClientRect();
          return { text: t.textContent ?? '', x: b.left + b.width / 2, y: b.top + b.height / 2 };
        });
        return { svgWidth: box?.width ?? 0, svgHeight: box?.height ?? 0, marks: marks.length, bars: bars.length, labels };
      });
      expect(drawn.svgWidth, chart.id).toBeGreaterThan(100);
      expect(drawn.svgHeight, chart.id).toBeGreaterThan(50);
      expect(drawn.marks, chart.id).toBeGreaterThan(0);
      expect(drawn.bars, chart.id).toBe(barsExpected(chart));
      // Every category on the axis, in the report's order (a suppressed one stays in its place).
      expect(axisCategories(chart, drawn), chart.id).toEqual(categories(chart));
      await expect.poll(() => figure.locator('svg').isVisible(), { timeout: 5_000 }).toBe(true);
    }
  }, TIMEOUT);

  it('shows the suppression marker on the planted rare row, in the chart and in its table', async () => {
    const { tab } = await open();
    const marker = `<${report.suppression.minCellSize}`;
    const settings = tab.page.locator('figure[data-chart="settings"]');
    const rows = await settings.evaluate(
      (el, args) => {
        const middle = (e: Element): number => {
          const b = e.getBoundingClientRect();
          return b.top + b.height / 2;
        };
        const label = Array.from(el.querySelectorAll('g.role-axis-label text')).find((t) => t.textContent === args.row);
        const markers = Array.from(el.querySelectorAll('g.mark-text.role-mark text')).filter((t) => t.textContent === args.marker);
        return { label: label ? middle(label) : null, markers: markers.map((t) => ({ middle: middle(t), width: t.getBoundingClientRect().width })) };
      },
      { row: RARE_ROW, marker },
    );
    expect(rows.label).not.toBeNull();
    const onRow = rows.markers.filter((m) => Math.abs(m.middle - (rows.label ?? Number.NaN)) < 6);
    expect(onRow).toHaveLength(1);
    expect(onRow[0]?.width).toBeGreaterThan(0);

    await settings.locator('summary').click();
    const cell = settings.locator('tr', { hasText: RARE_ROW }).locator('td.suppressed');
    await expect.poll(() => cell.isVisible(), { timeout: 5_000 }).toBe(true);
    expect(await cell.textContent()).toBe(marker);
    await settings.locator('summary').click();
    expect(await tab.page.locator('#suppression strong').textContent()).toBe(marker);
    expect(await tab.page.content()).not.toContain('Quillfeather');
  }, TIMEOUT);

  it('has no axe-core WCAG 2.1 A/AA violation', async () => {
    const { chromium, url } = await open();
    // A fresh tab under the page's own Content Security Policy: checkAccessibility runs axe through
    // the DevTools protocol, which the CSP does not govern.
    const { page, context } = await chromium.newPage({ viewport: { width: 1100, height: 900 } });
    try {
      await page.goto(url, { waitUntil: 'load' });
      expect(await checkAccessibility(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, TIMEOUT);

  it('saves one screenshot per chart', async () => {
    const { tab } = await open();
    for (const chart of charts) {
      const shot = await tab.page.locator(`figure[data-chart="${chart.id}"]`).screenshot({ path: `${OUT}report-${chart.id}.png` });
      expect(shot.length, chart.id).toBeGreaterThan(2_000);
    }
    await tab.page.locator('header').screenshot({ path: `${OUT}report-header.png` });
    if (process.env['PEERKIT_DOC_IMAGES'] === '1') {
      await mkdir(DOC_IMAGES, { recursive: true });
      for (const id of ['header', ...DOC_CHARTS]) await copyFile(`${OUT}report-${id}.png`, `${DOC_IMAGES}report-${id}.png`);
    }
    expect(tab.errors).toEqual([]);
  }, TIMEOUT);
});
