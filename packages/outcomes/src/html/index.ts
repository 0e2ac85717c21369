/**
 * @peerkit/outcomes/html — the program report as one self-contained HTML page with charts. Charts
 * are Vega-Lite specs (`programReportCharts`, usable with any Vega-Lite renderer) drawn to SVG by
 * Vega in this process: no DOM is needed, and the page has no script and fetches nothing. A subpath
 * of its own because Vega and Vega-Lite are large; the root of `@peerkit/outcomes` stays small.
 *
 * @packageDocumentation
 */
export { programReportCharts, suppressedMarker } from './charts';
export type { ReportChart } from './charts';
export { renderChartSvg, renderProgramReportHtml } from './render-html';
export type { RenderHtmlOptions } from './render-html';
