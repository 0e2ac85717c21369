import { describe, expect, it } from 'vitest';
import { NPI_A, NPI_B, PATIENT } from '../__fixtures__/consents';
import { part2Request } from '../__fixtures__/part2';
import { createBreachScopeReport, formatBreachScopeReport } from './breach';
import { createDisclosureLedgerEntry, createMemoryDisclosureLedger, type DisclosureLedgerInput } from './ledger';

const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const A = `${NPI_A.system}|${NPI_A.value}`;
const entry = (patient: string, recorded: string, patch: Partial<DisclosureLedgerInput> = {}) =>
  createDisclosureLedgerEntry({
    request: part2Request({ patient: { reference: patient }, actor: [NPI_A], purposeOfUse: ['TREAT'] }),
    decision: 'PERMIT',
    recorded,
    consents: ['Consent/c'],
    disclosed: { DocumentReference: 2 },
    labels: [{ system: ACT, code: 'SUD' }],
    dataCategories: ['progress-notes'],
    part2: true,
    ...patch,
  });

describe('createBreachScopeReport', () => {
  const ledger = createMemoryDisclosureLedger([
    entry(PATIENT, '2026-02-01T10:00:00Z'),
    entry(PATIENT, '2026-02-15T10:00:00Z', { disclosed: { Encounter: 1 }, labels: [], dataCategories: ['attendance'], part2: false }),
    entry('Patient/p2', '2026-01-20T10:00:00Z', { disclosed: { CarePlan: 1 }, part2: false, labels: [] }),
    entry('Patient/p3', '2026-02-03T10:00:00Z', { decision: 'DENY', disclosed: {} }),
    entry('Patient/p4', '2026-02-04T10:00:00Z', { request: part2Request({ patient: { reference: 'Patient/p4' }, actor: [NPI_B], purposeOfUse: ['TREAT'] }) }),
    entry('Patient/p5', '2026-04-01T10:00:00Z'),
  ]);

  it('lists the patients whose records went to the recipient in the period, with types, counts and labels', async () => {
    const report = await createBreachScopeReport(ledger, { recipient: A, from: '2026-01-01', to: '2026-03-31' });
    expect(report.patients).toEqual([
      { patient: ['Patient/p2'], disclosures: 1, resources: { CarePlan: 1 }, labels: [], dataCategories: ['progress-notes'], part2: false, first: '2026-01-20T10:00:00Z', last: '2026-01-20T10:00:00Z' },
      { patient: [PATIENT], disclosures: 2, resources: { DocumentReference: 2, Encounter: 1 }, labels: ['SUD'], dataCategories: ['attendance', 'progress-notes'], part2: true, first: '2026-02-01T10:00:00Z', last: '2026-02-15T10:00:00Z' },
    ]);
    expect(report.totals).toEqual({ patients: 2, disclosures: 3, resources: { CarePlan: 1, DocumentReference: 2, Encounter: 1 } });
  });

  it.each([
    ['a recipient that received nothing', { recipient: 'Organization/none', from: '2026-01-01', to: '2026-12-31' }, 0],
    ['a period with one disclosure', { recipient: A, from: '2026-04-01', to: '2026-04-01' }, 1],
  ])('%s', async (_name, options, patients) => {
    expect((await createBreachScopeReport(ledger, options)).totals.patients).toBe(patients);
  });
});

describe('formatBreachScopeReport', () => {
  it('prints the totals and one line per patient: tokens, dates, types and counts, labels', async () => {
    const ledger = createMemoryDisclosureLedger([entry(PATIENT, '2026-02-01T10:00:00Z'), entry(PATIENT, '2026-02-15T10:00:00Z', { disclosed: { Encounter: 1 } })]);
    const text = formatBreachScopeReport(await createBreachScopeReport(ledger, { recipient: A, from: '2026-01-01', to: '2026-03-31' }));
    expect(text.split('\n')).toEqual([
      `Records that went to ${A}, 2026-01-01 to 2026-03-31`,
      '1 patient, 2 disclosures: 2 DocumentReference, 1 Encounter',
      `  ${PATIENT}  2x  2026-02-01 to 2026-02-15  2 DocumentReference, 1 Encounter; labels SUD; categories progress-notes  (42 CFR Part 2)`,
    ]);
    expect(formatBreachScopeReport(await createBreachScopeReport(ledger, { recipient: 'Organization/none', from: '2026-01-01', to: '2026-03-31' })).split('\n')[1]).toBe('0 patients, 0 disclosures');
  });
});
