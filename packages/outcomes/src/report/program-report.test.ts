import { generateClinic } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { withRarePeer } from '../__fixtures__/rare-peer';
import { generateInstrumentResponses } from '../generate-responses';
import { createProgramReport, PROGRAM_REPORT_FORMAT } from './program-report';
import { isSuppressed } from './suppression';

const clinic = generateClinic({ seed: 5, peers: 80, weeks: 20 });
const responses = generateInstrumentResponses(clinic, { seed: 5 }).map((r) => r.response);

describe('createProgramReport', () => {
  const report = createProgramReport(clinic.records, responses, { generatedAt: '2026-06-01T00:00:00Z' });

  it('reports contacts, minutes and people per month, consistent with the totals', () => {
    expect(report.format).toBe(PROGRAM_REPORT_FORMAT);
    expect(report.period?.start.slice(0, 7)).toBe(report.months[0]?.month);
    const contacts = report.months.map((m) => m.contacts);
    if (!contacts.some(isSuppressed)) expect(contacts.reduce((a, b) => (a as number) + (b as number), 0)).toBe(report.totals.contacts);
    expect(report.totals.peopleServed).toBeGreaterThan(50);
    const contactsFromRecords = clinic.records.filter((r) => r.kind === 'encounter' && r.status === 'completed').length;
    const oneOnOne = report.contactTypes.find((c) => c.code === 'one-on-one')?.contacts;
    expect(oneOnOne).toBe(contactsFromRecords);
  });

  it('lists every modality and setting of the code lists, with suppressed cells marked', () => {
    expect(report.modalities.map((m) => m.code)).toEqual(['in-person', 'video', 'audio-only']);
    expect(report.settings).toHaveLength(11);
    for (const row of [...report.modalities, ...report.settings]) expect(typeof row.contacts === 'number' ? row.contacts === 0 || row.contacts >= 11 : row.contacts.suppressed).toBe(true);
  });

  it('measures change from first to latest for the instruments, paired', () => {
    const phq = report.outcomes.find((o) => o.instrumentId === 'phq-9');
    expect(phq?.paired).toBeGreaterThanOrEqual(11);
    expect(typeof phq?.meanChange).toBe('number');
    const { improved, unchanged, worsened, paired } = phq ?? {};
    if (![improved, unchanged, worsened].some(isSuppressed)) expect((improved as number) + (unchanged as number) + (worsened as number)).toBe(paired);
    expect(report.outcomes.map((o) => o.instrumentId)).toEqual(['barc-10', 'phq-9', 'gad-7']);
  });

  it('computes the closed-loop rate from the referrals it counts', () => {
    const { total, closedLoop, closedLoopRate } = report.referrals;
    if (typeof total === 'number' && typeof closedLoop === 'number') expect(closedLoopRate).toBe(Math.round((closedLoop / total) * 100) / 100);
  });

  it('de-identifies by construction: no id, name, note text or date of a person in the JSON', () => {
    const json = JSON.stringify(report);
    const records = clinic.records;
    for (const r of records) expect(json).not.toContain(`"${r.id}"`);
    for (const r of records) if (r.kind === 'peer' && r.patient.reference) expect(json).not.toContain(r.patient.reference);
    for (const r of records) if (r.kind === 'specialist') expect(json).not.toContain(r.name.family);
    for (const r of records) if (r.kind === 'encounter' && r.note) expect(json).not.toContain(r.note.text.slice(0, 30));
    for (const r of records) if (r.kind === 'encounter') expect(json).not.toContain(r.start);
  });

  it('does not show a rare combination: one audio-only contact from a correctional setting', () => {
    const rare = createProgramReport(withRarePeer(clinic.records), responses);
    expect(rare.settings.find((s) => s.code === 'correctional')?.contacts).toEqual({ suppressed: true });
    const json = JSON.stringify(rare);
    expect(json).not.toContain('peer-rare-zz');
    expect(json).not.toContain('Quillfeather');
    expect(json).not.toContain('ehr-rare-zz');
    // and the suppressed count cannot be worked out from the shown settings and the total
    const shown = rare.settings.filter((s) => typeof s.contacts === 'number').reduce((a, s) => a + (s.contacts as number), 0);
    expect(typeof rare.totals.contacts === 'number' ? rare.totals.contacts - shown : 11).toBeGreaterThanOrEqual(11);
  });

  it('takes the suppression threshold as an option', () => {
    const open = createProgramReport(withRarePeer(clinic.records), responses, { minCellSize: 1 });
    expect(open.settings.find((s) => s.code === 'correctional')?.contacts).toBe(1);
    expect(open.suppression.suppressedCells).toBe(0);
    expect(() => createProgramReport([], [], { minCellSize: 0 })).toThrow(RangeError);
  });

  it('adds the billing summary and findings by category when given, with safe codes only', () => {
    const withExtras = createProgramReport(clinic.records, responses, {
      billing: {
        lines: 600,
        billableLines: 560,
        heldLines: 40,
        units: 2400,
        heldUnits: 160,
        unitsByCode: { H0038: 2300, G0140: 100, 'free text': 5 },
        heldByReason: { DAILY_CAP: 30, 'free text': 3 },
      },
      findings: [
        ...Array.from({ length: 12 }, () => ({ severity: 'warning' as const, code: 'scope.diagnosing' as const, category: 'scope-of-practice', path: [], message: 'm' })),
        { severity: 'error', code: 'encounter.note-missing', path: [], message: 'm' },
      ],
    });
    expect(withExtras.billing?.unitsByCode.map((u) => u.code)).toEqual(['G0140', 'H0038']);
    expect(withExtras.billing?.heldByReason.map((u) => u.reason)).toEqual(['DAILY_CAP']);
    expect(withExtras.findings.find((f) => f.category === 'scope-of-practice')?.count).toBe(12);
    expect(withExtras.findings.find((f) => f.category === 'encounter')?.count).toEqual({ suppressed: true });
  });

  it('limits itself to the period', () => {
    const march = createProgramReport(clinic.records, responses, { period: { start: '2026-03-01', end: '2026-03-31' } });
    expect(march.months.map((m) => m.month)).toEqual(['2026-03']);
  });

  it('reports an empty clinic without failing', () => {
    const empty = createProgramReport([], []);
    expect(empty.period).toBeUndefined();
    expect(empty.months).toEqual([]);
    expect(empty.referrals.closedLoopRate).toBeNull();
    expect(empty.outcomes[0]?.meanFirst).toBeNull();
  });

  it('counts responses it cannot use, without showing them', () => {
    const junk = createProgramReport(clinic.records, [...responses, { resourceType: 'QuestionnaireResponse', questionnaire: 'https://example.org/Questionnaire/x' }, 42]);
    expect(junk.unmatchedResponses).toEqual({ suppressed: true });
  });
});
