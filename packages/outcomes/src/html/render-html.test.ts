import { generateClinic } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { withRarePeer } from '../__fixtures__/rare-peer';
import { generateInstrumentResponses } from '../generate-responses';
import { createProgramReport } from '../report/program-report';
import { programReportCharts } from './charts';
import { renderProgramReportHtml } from './render-html';

const clinic = generateClinic({ seed: 9, peers: 60, weeks: 16 });
const responses = generateInstrumentResponses(clinic, { seed: 9 }).map((r) => r.response);
const report = createProgramReport(clinic.records, responses, {
  billing: { lines: 100, billableLines: 95, heldLines: 5, units: 400, heldUnits: 20, unitsByCode: { H0038: 400 }, heldByReason: { DAILY_CAP: 5 } },
});

describe('programReportCharts', () => {
  it('draws each section as Vega-Lite specs with their data tables', () => {
    const charts = programReportCharts(report);
    const ids = charts.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['contacts-by-month', 'minutes-by-month', 'people-by-month', 'modalities', 'settings', 'referrals', 'outcome-barc-10', 'outcome-phq-9-direction', 'outcome-gad-7-bands', 'billing-units', 'billing-held']));
    expect(new Set(ids).size).toBe(ids.length);
    for (const chart of charts) {
      expect(JSON.stringify(chart.spec)).toContain('vega-lite');
      expect(chart.table.rows.length).toBeGreaterThan(0);
    }
  });

  it('puts a suppressed cell in the spec as a marker, never as a value', () => {
    const settings = programReportCharts(report).find((c) => c.id === 'settings');
    const values = (settings?.spec as { data: { values: { value: number | null; marker: string }[] } }).data.values;
    for (const v of values) expect(v.marker === '' || v.value === null).toBe(true);
    expect(values.some((v) => v.marker === '<11')).toBe(true);
  });
});

describe('renderProgramReportHtml', () => {
  it('writes one self-contained page: every chart as inline SVG, no script, nothing to fetch', async () => {
    const html = await renderProgramReportHtml(report);
    const charts = programReportCharts(report);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<figure /g)).toHaveLength(charts.length);
    expect(html.match(/<svg /g)).toHaveLength(charts.length);
    expect(html).not.toMatch(/<script|<link |<img |<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('&lt;11'); // the marker, escaped, in the notice, the charts and the tables
  }, 60_000);

  it('shows no id, name or note text of the clinic', async () => {
    const html = await renderProgramReportHtml(report);
    for (const r of clinic.records) {
      expect(html).not.toContain(`>${r.id}<`);
      if (r.kind === 'specialist') expect(html).not.toContain(r.name.family);
      if (r.kind === 'encounter' && r.note) expect(html).not.toContain(r.note.text.slice(0, 30));
    }
  }, 60_000);

  it('does not show a planted rare combination (one audio-only contact from a correctional setting)', async () => {
    const html = await renderProgramReportHtml(createProgramReport(withRarePeer(clinic.records), responses));
    expect(html).toContain('<tr><td>Jail, prison or re-entry site</td><td class="suppressed"');
    expect(html).not.toContain('peer-rare-zz');
    expect(html).not.toContain('Quillfeather');
  }, 60_000);

  it('escapes the title', async () => {
    const html = await renderProgramReportHtml(createProgramReport([], [], { title: '<b>Program</b> & "friends"' }));
    expect(html).toContain('&lt;b&gt;Program&lt;/b&gt; &amp; &quot;friends&quot;');
  }, 60_000);
});
