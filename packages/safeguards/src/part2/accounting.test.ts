import type { Bundle, Consent, List } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { c2sStyle, leapStyle, NPI_A, NPI_B, PATIENT, peerkitPart2Disclosure, peerkitTpo, resolveSynthetic } from '../__fixtures__/consents';
import { PART2_LABELS, part2Request, sudEncounter, sudNote } from '../__fixtures__/part2';
import { validateR4 } from '../__fixtures__/validate';
import type { DisclosureRequest } from '../consent/request';
import { gateDisclosure } from '../disclosure/disclosure-gate';
import { createAccountingReport, formatAccountingReport, toAccountingBundle } from './accounting';
import { createDisclosureLedgerEntry, createMemoryDisclosureLedger, toDisclosureLedgerEntry, type DisclosureChannel, type DisclosureLedgerInput } from './ledger';
import { ACCOUNTING_LOOK_BACK } from './regulation';

const data: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [sudNote(), sudEncounter()].map((resource) => ({ resource })) };
const toA = part2Request({ actor: [NPI_A], purposeOfUse: ['COC'] });
const tpoToB = part2Request({ actor: [NPI_B], purposeOfUse: ['TREAT'] });

/** One gate run written to the ledger, as the disclosure path would. */
function run(consents: Consent[], request: DisclosureRequest, recorded: string, channel?: DisclosureChannel) {
  const result = gateDisclosure(data, consents, request, { now: request.date ?? recorded, resolveReference: resolveSynthetic });
  return toDisclosureLedgerEntry(result, request, { recorded, ...(channel === undefined ? {} : { channel }) });
}

const history = (patch: Partial<DisclosureLedgerInput>) =>
  createDisclosureLedgerEntry({ request: toA, decision: 'PERMIT', recorded: '2026-01-01', consents: ['Consent/old'], disclosed: { DocumentReference: 1 }, ...patch });

async function scenario() {
  return createMemoryDisclosureLedger([
    run([peerkitPart2Disclosure()], toA, '2026-05-01T10:00:00Z'),
    run([peerkitTpo()], tpoToB, '2026-05-02T10:00:00Z', 'ehr'),
    run([peerkitTpo()], tpoToB, '2026-05-03T10:00:00Z', 'other'),
    run([], toA, '2026-05-04T10:00:00Z'),
    history({ recorded: '2022-06-01T00:00:00Z' }),
    history({ recorded: '2023-06-02T00:00:00Z' }),
    history({ recorded: '2026-04-01T00:00:00Z', consents: [], breakGlass: true, request: part2Request({ actor: [NPI_A], purposeOfUse: ['BTG'] }) }),
    history({ recorded: '2026-04-02T00:00:00Z', generalDesignation: true }),
    history({ recorded: '2026-04-03T00:00:00Z', request: { ...toA, patient: { reference: 'Patient/someone-else', identifier: [] } } }),
  ]);
}

describe('createAccountingReport', () => {
  it('uses the 3-year look-back periods of §2.25(a), §2.25(b) and §2.24, cited', () => {
    expect(ACCOUNTING_LOOK_BACK.map((p) => [p.id, p.years, p.source])).toEqual([
      ['consented', 3, '42 CFR §2.25(a)'],
      ['tpo-ehr', 3, '42 CFR §2.25(b)'],
      ['intermediary', 3, '42 CFR §2.24'],
    ]);
  });

  it('lists every disclosure and accounts for each look-back period', async () => {
    const report = await createAccountingReport(await scenario(), { patient: PATIENT, asOf: '2026-06-01', intermediary: true });
    expect(report.period).toEqual({ start: '2023-06-01', end: '2026-06-01' });
    expect(report.notDisclosed).toBe(1);
    expect(report.disclosures.map((d) => d.date.slice(0, 10))).toEqual(['2023-06-02', '2026-04-01', '2026-04-02', '2026-05-01', '2026-05-02', '2026-05-03']);
    const section = (id: string) => report.sections.find((s) => s.id === id);
    expect(section('consented')?.disclosures.map((d) => d.date.slice(0, 10))).toEqual(['2023-06-02', '2026-04-02', '2026-05-01']);
    expect(section('tpo-ehr')?.disclosures.map((d) => [d.date.slice(0, 10), d.channel])).toEqual([['2026-05-02', 'ehr']]);
    expect(section('intermediary')?.disclosures.map((d) => d.date.slice(0, 10))).toEqual(['2026-04-02']);
    const first = section('consented')?.disclosures.find((d) => d.date.startsWith('2026-05-01'));
    expect(first).toMatchObject({ purposes: ['COC'], consents: ['Consent/pk-part2-a'], part2: true, tpo: false });
    expect(first?.description).toMatch(/^1 DocumentReference, 1 Encounter; labels .*42CFRPart2.*; categories attendance, progress-notes$/);
  });

  it.each([
    ['ehr-only (default): through an EHR only', undefined, ['2026-05-02']],
    ['all', 'all' as const, ['2026-05-02', '2026-05-03']],
    ['none: the section is left out', 'none' as const, undefined],
  ])('TPO accounting %s', async (_name, tpoAccounting, dates) => {
    const report = await createAccountingReport(await scenario(), { patient: PATIENT, asOf: '2026-06-01', ...(tpoAccounting === undefined ? {} : { tpoAccounting }) });
    expect(report.sections.find((s) => s.id === 'tpo-ehr')?.disclosures.map((d) => d.date.slice(0, 10))).toEqual(dates);
  });

  it.each([
    ['a shorter period the patient chose', { from: '2026-05-01' }, ['2026-05-01']],
    ['a look-back of 1 year instead of 3', { lookBack: { consented: 1 } }, ['2026-04-02', '2026-05-01']],
  ])('narrows the consented section to %s', async (_name, patch, dates) => {
    const report = await createAccountingReport(await scenario(), { patient: PATIENT, asOf: '2026-06-01', ...patch });
    expect(report.sections.find((s) => s.id === 'consented')?.disclosures.map((d) => d.date.slice(0, 10))).toEqual(dates);
  });

  it('rejects a look-back that is not a positive number of years', async () => {
    await expect(createAccountingReport(createMemoryDisclosureLedger(), { patient: PATIENT, asOf: '2026-06-01', lookBack: { consented: 0 } })).rejects.toThrow(RangeError);
  });

  it('accounts for disclosures decided under Consent2Share- and LEAP-shaped consents', async () => {
    const eth = { ...sudNote('doc-eth'), meta: { security: [...PART2_LABELS, { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'ETH' }] } };
    const both: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [sudNote(), eth].map((resource) => ({ resource })) };
    const request = part2Request({ actor: [NPI_A], purposeOfUse: ['TREAT'] });
    const entry = (consent: Consent, recorded: string) =>
      toDisclosureLedgerEntry(gateDisclosure(both, [consent], request, { now: '2026-05-01', resolveReference: resolveSynthetic }), request, { recorded, channel: 'ehr' });
    // C2S: base deny for the pair, except ETH-labelled data → the ETH note goes; LEAP: no Part 2 scope → nothing goes.
    const ledger = createMemoryDisclosureLedger([entry(c2sStyle(), '2026-05-01T10:00:00Z'), entry(leapStyle(), '2026-05-02T10:00:00Z')]);
    const report = await createAccountingReport(ledger, { patient: PATIENT, asOf: '2026-06-01' });
    expect(report.notDisclosed).toBe(1);
    expect(report.disclosures.map((d) => [d.consents, d.disclosed, d.tpo])).toEqual([[['Consent/c2s-1'], { DocumentReference: 1 }, true]]);
    expect(report.sections.find((s) => s.id === 'tpo-ehr')?.disclosures).toHaveLength(1);
    expect(report.sections.find((s) => s.id === 'consented')?.disclosures).toHaveLength(0);
  });
});

describe('toAccountingBundle', () => {
  it('is a valid collection of Lists pointing at the ledger AuditEvents, each event once, same bytes each time', async () => {
    const report = await createAccountingReport(await scenario(), { patient: PATIENT, asOf: '2026-06-01' });
    const bundle = toAccountingBundle(report);
    expect(() => validateR4(bundle)).not.toThrow();
    const lists = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is List => r?.resourceType === 'List');
    expect(lists.map((l) => l.code?.text)).toEqual(['list of disclosures', '42 CFR §2.25(a)', '42 CFR §2.25(b)']);
    const events = (bundle.entry ?? []).filter((e) => e.resource?.resourceType === 'AuditEvent');
    expect(events).toHaveLength(report.disclosures.length);
    const urls = new Set(events.map((e) => e.fullUrl));
    for (const l of lists) for (const item of l.entry ?? []) expect(urls.has(item.item.reference)).toBe(true);
    expect(JSON.stringify(toAccountingBundle(report))).toBe(JSON.stringify(bundle));
  });
});

describe('formatAccountingReport', () => {
  it('prints one line per disclosure under each section, with its citation', async () => {
    const report = await createAccountingReport(await scenario(), { patient: PATIENT, asOf: '2026-06-01' });
    const text = formatAccountingReport(report);
    expect(text).toContain(`Accounting of disclosures for ${PATIENT}, requested 2026-06-01`);
    expect(text).toContain('Disclosures made with consent (42 CFR §2.25(a)), 2023-06-01 to 2026-06-01: 3');
    expect(text).toContain('medical emergency (42 CFR §2.51)');
    expect(text).toMatch(/2026-05-01 {2}to .*1000000004.* {2}purpose COC {2}1 DocumentReference, 1 Encounter/);
  });
});
