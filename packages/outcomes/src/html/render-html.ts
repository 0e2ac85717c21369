/**
 * The program report as one self-contained HTML page: the charts pre-rendered to SVG with Vega
 * (headless, no DOM, no browser), a data table under each, the suppression notice and the sources.
 * No script, no external file, no font or image to fetch: it opens offline, and its Content Security
 * Policy forbids loading anything.
 */
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { ProgramReport } from '../report/program-report';
import { isSuppressed, type Cell } from '../report/suppression';
import { programReportCharts, suppressedMarker, type ReportChart } from './charts';

/** Options of {@link renderProgramReportHtml}. */
export interface RenderHtmlOptions {
  /** `lang` of the page. Default `en`. */
  lang?: string;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * Renders one Vega-Lite spec to an SVG string, headless: Vega needs no DOM to write SVG.
 *
 * @param chart - a chart of `programReportCharts`
 */
export async function renderChartSvg(chart: ReportChart): Promise<string> {
  const view = new View(parse(compile(chart.spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // Vega titles the root group "graphics-document"; name the chart for assistive technology too.
    return svg.replace('<svg ', `<svg role="img" aria-label="${escapeHtml(`${chart.title}. ${chart.description}`)}" `);
  } finally {
    view.finalize();
  }
}

function cellHtml(cell: string | Cell | null, marker: string): string {
  if (cell === null) return '<td>–</td>';
  if (isSuppressed(cell)) return `<td class="suppressed" title="Suppressed: a small count, or one that would reveal a small count">${escapeHtml(marker)}</td>`;
  if (typeof cell === 'number') return `<td class="num">${escapeHtml(cell.toLocaleString('en-US'))}</td>`;
  return `<td>${escapeHtml(cell)}</td>`;
}

function statHtml(label: string, cell: Cell | null, marker: string, format: (n: number) => string = (n) => n.toLocaleString('en-US')): string {
  const value = cell === null ? '–' : isSuppressed(cell) ? marker : format(cell);
  return `<div class="stat${isSuppressed(cell) ? ' suppressed' : ''}"><span class="value">${escapeHtml(value)}</span><span class="label">${escapeHtml(label)}</span></div>`;
}

const SECTIONS: readonly [ReportChart['section'], string][] = [
  ['activity', 'Activity'],
  ['referrals', 'Referrals'],
  ['outcomes', 'Outcomes: change from first to latest response'],
  ['billing', 'Billing'],
  ['findings', 'Findings'],
];

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2a33}
body{margin:0;background:#f6f8f9}main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.2rem;margin:32px 0 8px;border-bottom:2px solid #2f6f8f;padding-bottom:4px}
.meta{color:#52626d;margin:0 0 12px}.notice{background:#fff7e6;border-left:4px solid #8a4b00;padding:8px 12px;margin:12px 0}
.stats{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.stat{background:#fff;border:1px solid #d5dde2;border-radius:6px;padding:10px 14px;min-width:150px}
.stat .value{display:block;font-size:1.5rem;font-weight:600}.stat .label{color:#52626d;font-size:.85rem}.stat.suppressed .value,td.suppressed{color:#8a4b00;font-weight:600}
figure{background:#fff;border:1px solid #d5dde2;border-radius:6px;margin:16px 0;padding:12px 16px}figcaption{font-weight:600;margin-bottom:4px}
.desc{color:#52626d;font-size:.9rem;margin:0 0 8px}.chart svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:.85rem;margin-top:8px}th,td{border:1px solid #d5dde2;padding:3px 8px;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
details summary{cursor:pointer;color:#2f6f8f;font-size:.9rem}footer{color:#52626d;font-size:.8rem;margin-top:32px}
@media print{body{background:#fff}figure{break-inside:avoid}}
`;

/**
 * Renders a program report as a single self-contained HTML string with its charts (Vega-Lite specs
 * drawn to SVG by Vega in this process) and a data table under each chart. The page shows only the
 * report's cells: suppressed ones as the visible marker `<k` (e.g. `<11`), never their value.
 *
 * @param report - from `createProgramReport`
 * @param options - page language
 * @returns the HTML document
 * @example
 * const html = await renderProgramReportHtml(createProgramReport(records, responses));
 * await writeFile('report.html', html); // opens offline, no script
 */
export async function renderProgramReportHtml(report: ProgramReport, options: RenderHtmlOptions = {}): Promise<string> {
  const marker = suppressedMarker(report.suppression.minCellSize);
  const charts = programReportCharts(report);
  const svgs = new Map<string, string>();
  for (const chart of charts) svgs.set(chart.id, await renderChartSvg(chart));

  const figure = (chart: ReportChart): string => {
    const head = `<tr>${chart.table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`;
    const rows = chart.table.rows.map((row) => `<tr>${row.map((cell) => cellHtml(cell, marker)).join('')}</tr>`).join('');
    return `<figure id="chart-${escapeHtml(chart.id)}" class="chart" data-chart="${escapeHtml(chart.id)}"><figcaption>${escapeHtml(chart.title)}</figcaption><p class="desc">${escapeHtml(chart.description)}</p>${svgs.get(chart.id) ?? ''}<details><summary>Data</summary><table>${head}${rows}</table></details></figure>`;
  };
  const r = report.referrals;
  const rate = (n: number): string => `${Math.round(n * 100)}%`;
  const period = report.period ? `${report.period.start} to ${report.period.end}` : 'no service in the records';
  const sections = SECTIONS.map(([id, title]) => {
    const list = charts.filter((c) => c.section === id);
    return list.length === 0 ? '' : `<section id="${id}"><h2>${escapeHtml(title)}</h2>${list.map(figure).join('')}</section>`;
  }).join('');
  const lang = escapeHtml(options.lang ?? 'en');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(report.title)}</h1>
<p class="meta">Period: ${escapeHtml(period)}${report.generatedAt ? ` · generated ${escapeHtml(report.generatedAt)}` : ''}</p>
<p class="notice" id="suppression"><strong>${escapeHtml(marker)}</strong> marks a suppressed count. ${escapeHtml(report.suppression.rule)} ${report.suppression.suppressedCells.toLocaleString('en-US')} cells are suppressed in this report. The report holds aggregates only: no names, ids or free text.</p>
</header>
<section id="totals" class="stats" aria-label="Totals">
${statHtml('Contacts', report.totals.contacts, marker)}
${statHtml('Minutes of service', report.totals.minutes, marker)}
${statHtml('People served', report.totals.peopleServed, marker)}
${statHtml('Referrals closing the loop', r.closedLoopRate, marker, rate)}
</section>
${sections}
<footer>
<p>Suppression after: ${escapeHtml(report.suppression.source)}.</p>
<p>Made with PeerKit (@peerkit/outcomes). Charts drawn with Vega-Lite and Vega (BSD-3-Clause), rendered to SVG when the report was made.</p>
</footer>
</main>
</body>
</html>
`;
}
