/**
 * The charts of the program report as Vega-Lite specs, built from the report's cells only. A
 * suppressed cell is drawn as no bar and a visible `<k` marker on the axis, never at its value. Each
 * chart also carries its data as a table (the same cells), for screen readers and for copying.
 *
 * See: https://vega.github.io/vega-lite/docs/
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ProgramReport } from '../report/program-report';
import { isSuppressed, type Cell } from '../report/suppression';

/** One chart of the report: its Vega-Lite spec and the same numbers as a table. */
export interface ReportChart {
  /** Stable id, e.g. `contacts-by-month`, `outcome-phq-9`. */
  readonly id: string;
  /** The report section it belongs to. */
  readonly section: 'activity' | 'referrals' | 'outcomes' | 'billing' | 'findings';
  readonly title: string;
  /** One sentence saying what the chart shows (its accessible description). */
  readonly description: string;
  readonly spec: TopLevelSpec;
  /** Column headings and rows of the chart's data; cells as in the report. */
  readonly table: { readonly columns: readonly string[]; readonly rows: readonly (readonly (string | Cell | null)[])[] };
}

const WIDTH = 560;
const COLORS = { bar: '#2f6f8f', second: '#9ccadf', marker: '#8a4b00' };

/** The marker shown for a suppressed cell, e.g. `<11`. */
export function suppressedMarker(minCellSize: number): string {
  return `<${minCellSize}`;
}

interface Datum {
  readonly key: string;
  readonly series?: string;
  readonly value: number | null;
  readonly marker: string;
}

const datum = (key: string, cell: Cell | null, marker: string, series?: string): Datum => ({
  key,
  ...(series !== undefined ? { series } : {}),
  value: typeof cell === 'number' ? cell : null,
  marker: isSuppressed(cell) ? marker : '',
});

/**
 * The categories in the report's order, as an explicit sort. `sort: null` (data order) is not
 * enough: Vega-Lite leaves a suppressed (null) value out of the bar layer, and the union of the
 * layers' domains then moves that category behind the others (a suppressed month or band would be
 * drawn out of place).
 */
function order(values: readonly Datum[]): string[] {
  return [...new Set(values.map((d) => d.key))];
}

/** A bar chart of one value per category (vertical for months, horizontal otherwise), with suppression markers. */
function bars(values: readonly Datum[], options: { horizontal: boolean; axisTitle: string; valueTitle: string; height?: number; max?: number }): TopLevelSpec {
  const category = { field: 'key', type: 'ordinal' as const, title: options.axisTitle, sort: order(values), axis: options.horizontal ? { labelLimit: 260 } : { labelAngle: 0 } };
  const value = { field: 'value', type: 'quantitative' as const, title: options.valueTitle, ...(options.max !== undefined ? { scale: { domain: [0, options.max] } } : {}) };
  const position = options.horizontal ? { y: category, x: value } : { x: category, y: value };
  const markerPosition = options.horizontal ? { y: category, x: { datum: 0 } } : { x: category, y: { datum: 0 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: options.height ?? (options.horizontal ? Math.max(60, values.length * 22) : 220),
    data: { values: values.map((d) => ({ ...d })) },
    layer: [
      { mark: { type: 'bar', color: COLORS.bar }, encoding: position },
      {
        transform: [{ filter: "datum.marker !== ''" }],
        mark: options.horizontal
          ? { type: 'text', align: 'left', dx: 4, color: COLORS.marker, fontWeight: 'bold' }
          : { type: 'text', baseline: 'bottom', dy: -3, color: COLORS.marker, fontWeight: 'bold' },
        encoding: { ...markerPosition, text: { field: 'marker' } },
      },
    ],
    config: { view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 11 } },
  } as TopLevelSpec;
}

/** Grouped bars: one value per category and series (first vs latest). */
function groupedBars(values: readonly Datum[], axisTitle: string, valueTitle: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: 200,
    data: { values: values.map((d) => ({ ...d })) },
    encoding: {
      x: { field: 'key', type: 'ordinal', title: axisTitle, sort: order(values), axis: { labelAngle: 0, labelLimit: 160 } },
      xOffset: { field: 'series', sort: null },
    },
    layer: [
      {
        mark: 'bar',
        encoding: {
          y: { field: 'value', type: 'quantitative', title: valueTitle },
          color: { field: 'series', type: 'nominal', sort: null, title: null, scale: { range: [COLORS.second, COLORS.bar] }, legend: { orient: 'top' } },
        },
      },
      {
        transform: [{ filter: "datum.marker !== ''" }],
        mark: { type: 'text', baseline: 'bottom', dy: -3, color: COLORS.marker, fontWeight: 'bold' },
        encoding: { y: { datum: 0 }, text: { field: 'marker' } },
      },
    ],
    config: { view: { stroke: null } },
  } as TopLevelSpec;
}

/**
 * The charts of a program report, in reading order: activity by month, contact types, modalities,
 * settings, referrals, one set per instrument (first vs latest mean, direction of change, bands),
 * billing, findings. Sections without data (no billing, no findings) have no chart.
 *
 * @param report - from `createProgramReport`
 * @returns the charts
 * @example
 * for (const chart of programReportCharts(report)) console.log(chart.id, chart.title);
 */
export function programReportCharts(report: ProgramReport): ReportChart[] {
  const m = suppressedMarker(report.suppression.minCellSize);
  const charts: ReportChart[] = [];
  /** A chart of one bar per row (labelled cells); `extra` rows go to the table only. */
  const barChart = (
    head: Pick<ReportChart, 'id' | 'section' | 'title' | 'description'>,
    rows: readonly (readonly [string, Cell | null])[],
    columns: readonly [string, string],
    options: { horizontal?: boolean; max?: number; valueTitle?: string; extra?: readonly (readonly [string, string | Cell | null])[] } = {},
  ): void => {
    charts.push({
      ...head,
      spec: bars(
        rows.map(([label, cell]) => datum(label, cell, m)),
        { horizontal: options.horizontal ?? true, axisTitle: columns[0], valueTitle: options.valueTitle ?? columns[1], ...(options.max !== undefined ? { max: options.max } : {}) },
      ),
      table: { columns, rows: [...rows, ...(options.extra ?? [])] },
    });
  };

  const months = (pick: (row: ProgramReport['months'][number]) => Cell) => report.months.map((row) => [row.month, pick(row)] as const);
  barChart({ id: 'contacts-by-month', section: 'activity', title: 'Contacts per month', description: 'Completed one-on-one contacts and group attendances per month.' }, months((r) => r.contacts), ['Month', 'Contacts'], { horizontal: false });
  barChart({ id: 'minutes-by-month', section: 'activity', title: 'Minutes of service per month', description: 'Minutes of one-on-one and group service per month.' }, months((r) => r.minutes), ['Month', 'Minutes'], { horizontal: false });
  barChart({ id: 'people-by-month', section: 'activity', title: 'People served per month', description: 'Distinct people with at least one contact in the month.' }, months((r) => r.people), ['Month', 'People'], { horizontal: false });
  const mix = (rows: ProgramReport['modalities']) => rows.map((row) => [row.label, row.contacts] as const);
  barChart({ id: 'contact-types', section: 'activity', title: 'One-on-one and group contacts', description: 'Contacts by type: one-on-one encounters and group attendances.' }, mix(report.contactTypes), ['Type', 'Contacts']);
  barChart({ id: 'modalities', section: 'activity', title: 'Modality mix', description: 'Contacts by modality: in person, video, audio only.' }, mix(report.modalities), ['Modality', 'Contacts']);
  barChart({ id: 'settings', section: 'activity', title: 'Setting mix', description: 'Contacts by the setting where they took place.' }, mix(report.settings), ['Setting', 'Contacts']);

  const r = report.referrals;
  const rate = r.closedLoopRate === null ? 'no referrals' : isSuppressed(r.closedLoopRate) ? 'suppressed' : `${Math.round(r.closedLoopRate * 100)}%`;
  barChart(
    { id: 'referrals', section: 'referrals', title: `Referrals and closed-loop rate (${rate})`, description: 'Referrals made in the period by where they stand: loop closed, still open, or closed without completion.' },
    [
      ['Closed loop (completed)', r.closedLoop],
      ['Still open', r.open],
      ['Closed without completion', r.notCompleted],
    ],
    ['Referrals', 'Count'],
    { extra: [['Total', r.total], ['Closed-loop rate', rate]] },
  );

  for (const o of report.outcomes) {
    const better = o.higherIsBetter ? 'higher is better' : 'lower is better';
    barChart(
      { id: `outcome-${o.instrumentId}`, section: 'outcomes', title: `${o.title}: first and latest mean total (${better})`, description: 'Mean total at the first and at the latest response of the people answering at least twice.' },
      [
        ['Mean first total', o.meanFirst],
        ['Mean latest total', o.meanLatest],
      ],
      ['Measure', 'Value'],
      {
        max: o.range.max,
        valueTitle: `Mean total (${o.range.min}–${o.range.max})`,
        extra: [
          ['Mean change (latest − first)', o.meanChange],
          ['People with a scored response', o.people],
          ['People answering at least twice (paired)', o.paired],
          ['Responses left out (not scorable, undated or unlinked)', o.excluded],
        ],
      },
    );
    barChart(
      { id: `outcome-${o.instrumentId}-direction`, section: 'outcomes', title: `${o.title}: direction of change, first to latest`, description: `People answering at least twice whose total got better, stayed the same or got worse (${better}).` },
      [
        ['Improved', o.improved],
        ['Unchanged', o.unchanged],
        ['Worsened', o.worsened],
      ],
      ['Change', 'People'],
    );
    const bandData = o.bandsFirst.flatMap((band, i) => [datum(band.label, band.people, m, 'First'), datum(band.label, o.bandsLatest[i]?.people ?? 0, m, 'Latest')]);
    charts.push({
      id: `outcome-${o.instrumentId}-bands`,
      section: 'outcomes',
      title: `${o.title}: bands at first and latest response`,
      description: 'People answering at least twice, by the band of their first and of their latest total.',
      spec: groupedBars(bandData, 'Band', 'People'),
      table: { columns: ['Band', 'First', 'Latest'], rows: o.bandsFirst.map((band, i) => [band.label, band.people, o.bandsLatest[i]?.people ?? 0]) },
    });
  }

  const b = report.billing;
  if (b) {
    barChart(
      { id: 'billing-units', section: 'billing', title: 'Billable units by code', description: 'Billable units of the billing run by HCPCS code.' },
      b.unitsByCode.map((row) => [row.code, row.units] as const),
      ['Code', 'Units'],
      { extra: [['Lines', b.lines], ['Billable lines', b.billableLines], ['Held lines', b.heldLines], ['Held units', b.heldUnits]] },
    );
    if (b.heldByReason.length > 0) {
      barChart(
        { id: 'billing-held', section: 'billing', title: 'Held lines by reason', description: 'Claim lines held back by a pre-flight check, by check (a line held by two checks counts under both).' },
        b.heldByReason.map((row) => [row.reason, row.lines] as const),
        ['Check', 'Lines'],
      );
    }
  }
  if (report.findings.length > 0) {
    barChart(
      { id: 'findings', section: 'findings', title: 'Findings by category', description: 'Findings of the checks (boundaries, documentation, crisis follow-up, instrument validity) by category.' },
      report.findings.map((row) => [row.category, row.count] as const),
      ['Category', 'Findings'],
    );
  }
  return charts;
}
