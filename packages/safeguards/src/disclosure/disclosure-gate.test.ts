import type { Bundle, DocumentReference, Encounter, Observation, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { allButSud, NPI_A, NPI_B, NPI_ED, PATIENT, peerkitPart2Disclosure, peerkitTpo } from '../__fixtures__/consents';
import { c2sCounseling, counselingNote, counselingOnly, NPI_AUTHOR, sudNote as part2Note } from '../__fixtures__/part2';
import { validateR4 } from '../__fixtures__/validate';
import { parseDisclosureRequest } from '../consent/request';
import { createMemoryDisclosureLedger, readDisclosureRecord } from '../part2/ledger';
import { REDISCLOSURE_NOTICE_EXTENSION, REDISCLOSURE_NOTICE_TAG } from '../part2/notice';
import type { RestrictionRecord } from '../part2/restrictions';
import { decideResourceDisclosure, gateDisclosure } from './disclosure-gate';
import { securityLabelsFor } from './security-labels';

const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const part2 = securityLabelsFor({ programType: 'substance-use' });
const mh = securityLabelsFor({ programType: 'mental-health' });

const sudNote: DocumentReference = {
  resourceType: 'DocumentReference',
  id: 'doc-sud',
  meta: { security: part2 },
  status: 'current',
  subject: { reference: PATIENT },
  date: '2026-03-02T10:00:00Z',
  content: [{ attachment: { contentType: 'text/plain', data: 'U0VDUkVUIG5vdGUgdGV4dA==' } }],
};
const mhNote: DocumentReference = { ...sudNote, id: 'doc-mh', meta: { security: mh } };
const sudEncounter: Encounter = {
  resourceType: 'Encounter',
  id: 'enc-sud',
  meta: { security: part2 },
  status: 'finished',
  class: { system: ACT, code: 'AMB' },
  subject: { reference: PATIENT },
  period: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T09:45:00Z' },
};
const mhEncounter: Encounter = {
  ...sudEncounter,
  id: 'enc-mh',
  meta: { security: mh },
  extension: [{ url: 'https://example.org/synthetic/note', valueReference: { reference: 'DocumentReference/doc-mh' } }],
};
const observation: Observation = {
  resourceType: 'Observation',
  id: 'obs-1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '59284-0' }] },
  subject: { reference: PATIENT },
  effectiveDateTime: '2026-03-02',
};

const bundle: Bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [sudNote, mhNote, sudEncounter, mhEncounter, observation].map((resource) => ({ resource })),
};

function request(input: Record<string, unknown>) {
  const r = parseDisclosureRequest({ patient: { reference: PATIENT }, date: '2026-05-01', ...input });
  if (!r.ok) throw new Error('request');
  return r.value;
}

describe('gateDisclosure', () => {
  it('sends what a TPO consent covers, withholds the rest, attaches the notice and redacts references', () => {
    const result = gateDisclosure(bundle, [peerkitTpo()], request({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), { now: '2026-05-01' });
    expect(result.preview).toEqual({
      decision: 'PERMIT',
      breakGlass: false,
      disclosed: { DocumentReference: 1, Encounter: 1 },
      withheld: [
        { resourceType: 'DocumentReference', reason: 'no-consent', count: 1 },
        { resourceType: 'Encounter', reason: 'no-consent', count: 1 },
        { resourceType: 'Observation', reason: 'no-consent', count: 1 },
      ],
      redactedReferences: 0,
      noticeAttached: true,
    });
    const sent = result.bundle;
    // The §2.32 notice leads, the consent the disclosure rests on trails.
    expect(sent?.entry?.map((e) => `${e.resource?.resourceType}/${e.resource?.id}`)).toEqual([
      'DocumentReference/undefined',
      'DocumentReference/doc-sud',
      'Encounter/enc-sud',
      'Consent/pk-tpo',
    ]);
    expect(sent?.meta?.extension).toEqual([{ url: REDISCLOSURE_NOTICE_EXTENSION, valueString: expect.stringMatching(/42 CFR part 2/) }]);
    expect(sent?.meta?.security?.map((c) => c.code)).toEqual(['R', '42CFRPart2']);
    expect(result.decision.audit.entity?.filter((e) => e.role?.code === '4').map((e) => e.what?.reference)).toEqual([
      'DocumentReference/doc-sud',
      'Encounter/enc-sud',
    ]);
    expect(() => validateR4(sent)).not.toThrow();
    expect(() => validateR4(result.decision.audit)).not.toThrow();
  });

  it('withholds Part 2 data a consent denies and redacts references to it in what goes', () => {
    const withLink: Bundle = {
      ...bundle,
      entry: [...(bundle.entry ?? []), { resource: { ...mhEncounter, id: 'enc-link', extension: [{ url: 'https://example.org/synthetic/note', valueReference: { reference: 'DocumentReference/doc-sud' } }] } as Encounter }],
    };
    const result = gateDisclosure(withLink, [allButSud()], request({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), { now: '2026-05-01' });
    expect(result.preview.disclosed).toEqual({ DocumentReference: 1, Encounter: 2, Observation: 1 });
    expect(result.preview.withheld).toEqual([
      { resourceType: 'DocumentReference', reason: 'consent-deny', count: 1 },
      { resourceType: 'Encounter', reason: 'consent-deny', count: 1 },
    ]);
    expect(result.preview.redactedReferences).toBe(1);
    expect(result.preview.noticeAttached).toBe(false);
    const link = result.bundle?.entry?.find((e) => e.resource?.id === 'enc-link')?.resource as Encounter;
    expect(link.extension?.[0]?.valueReference).toEqual({ display: 'withheld' });
    expect(JSON.stringify(result.bundle)).not.toMatch(/doc-sud|enc-sud/);
  });

  it('sends nothing without a consent, and says why in types and counts only', () => {
    const result = gateDisclosure(bundle, [], request({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), { now: '2026-05-01' });
    expect(result.bundle).toBeUndefined();
    expect(result.decision.decision).toBe('DENY');
    expect(result.decision.audit.outcomeDesc).toBe('DENY');
    const preview = JSON.stringify(result.preview);
    expect(preview).not.toMatch(/doc-|enc-|obs-|SECRET|U0VD|Patient/);
  });

  it('labels entries from their program before deciding', () => {
    const unlabeled: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { ...sudEncounter, meta: {} } }] };
    const result = gateDisclosure(unlabeled, [allButSud()], request({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), {
      now: '2026-05-01',
      label: () => ({ programType: 'substance-use' }),
    });
    expect(result.preview.withheld).toEqual([{ resourceType: 'Encounter', reason: 'consent-deny', count: 1 }]);
  });

  it('sends everything under break-glass, flagged, with the notice', () => {
    const result = gateDisclosure(bundle, [], request({ actor: [NPI_ED], purposeOfUse: ['BTG'] }), { now: '2026-05-01' });
    expect(result.preview.breakGlass).toBe(true);
    expect(result.preview.withheld).toEqual([]);
    expect(result.preview.noticeAttached).toBe(true);
    expect(result.decision.audit.subtype?.[0]?.code).toBe('break-glass');
  });

  it('does not mutate the Bundle', () => {
    const before = JSON.stringify(bundle);
    gateDisclosure(bundle, [allButSud()], request({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), { now: '2026-05-01' });
    expect(JSON.stringify(bundle)).toBe(before);
  });
});

describe('decideResourceDisclosure', () => {
  const cases: [string, ReturnType<typeof request>, Parameters<typeof gateDisclosure>[1]][] = [
    ['TPO consent, treatment', request({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), [peerkitTpo()]],
    ['all but SUD', request({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), [allButSud()]],
    ['no consent at all', request({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), []],
    ['another recipient', request({ actor: [NPI_ED], purposeOfUse: ['TREAT'] }), [allButSud()]],
  ];
  it.each(cases)('withholds exactly what gateDisclosure withholds (%s)', (_name, req, consents) => {
    const gated = gateDisclosure(bundle, consents, req, { now: '2026-05-01', redactReferences: false });
    const kept = new Set((gated.bundle?.entry ?? []).map((e) => e.resource?.id));
    const byReason: Record<string, number> = {};
    for (const e of bundle.entry ?? []) {
      const one = decideResourceDisclosure(e.resource as Resource, consents, req, { now: '2026-05-01' });
      expect(one.withheld === undefined).toBe(kept.has(e.resource?.id));
      if (one.withheld !== undefined) byReason[one.withheld] = (byReason[one.withheld] ?? 0) + 1;
      else expect(one.decision).toBe('PERMIT');
    }
    const expected: Record<string, number> = {};
    for (const w of gated.preview.withheld) expected[w.reason] = (expected[w.reason] ?? 0) + w.count;
    expect(byReason).toEqual(expected);
  });

  it('flags the §2.32 notice for Part 2 data it lets go', () => {
    const one = decideResourceDisclosure(sudNote, [peerkitTpo()], request({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), { now: '2026-05-01' });
    expect(one.withheld).toBeUndefined();
    expect(one.needsNotice).toBe(true);
    const mhOne = decideResourceDisclosure(observation, [peerkitTpo()], request({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), { now: '2026-05-01' });
    expect(mhOne.needsNotice).toBe(false);
  });
});

describe('gateDisclosure: the 2024 Part 2 duties', () => {
  const now = '2026-05-01';
  const toA = (purposes: string[]) => request({ actor: [NPI_A], purposeOfUse: purposes });
  const notes: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: counselingNote() }, { resource: part2Note() }] };
  const sentIds = (b: Bundle | undefined) => (b?.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Consent' || e.resource?.id === undefined ? [] : [e.resource.id]));

  const noteWithheld = [{ resourceType: 'DocumentReference', reason: 'sud-counseling-note', count: 1 }];
  it.each([
    ['withholds a SUD counseling note under a general Part 2 consent', [peerkitPart2Disclosure()], toA(['TREAT']), ['doc-sud'], noteWithheld],
    ['withholds it under a single TPO consent', [peerkitTpo()], toA(['TREAT']), ['doc-sud'], noteWithheld],
    ['sends it under a consent naming SUD counseling notes alone', [peerkitPart2Disclosure(), counselingOnly()], toA(['TREAT']), ['doc-counseling', 'doc-sud'], []],
    // The Consent2Share consent denies the recipient everything but counseling notes.
    ['sends it under a Consent2Share consent naming them alone', [c2sCounseling()], toA(['TREAT']), ['doc-counseling'], [{ resourceType: 'DocumentReference', reason: 'consent-deny', count: 1 }]],
    ['sends it to its author', [peerkitTpo()], request({ actor: [NPI_AUTHOR], purposeOfUse: ['TREAT'] }), ['doc-counseling', 'doc-sud'], []],
    ['break-glass does not open it', [counselingOnly()], request({ actor: [NPI_ED], purposeOfUse: ['BTG'] }), ['doc-sud'], noteWithheld],
  ] as const)('%s', (_name, consents, req, sent, withheld) => {
    const result = gateDisclosure(notes, [...consents], req, { now });
    expect(sentIds(result.bundle)).toEqual(sent);
    expect(result.preview.withheld).toEqual(withheld);
    const goes = (sent as readonly string[]).includes('doc-counseling');
    const one = decideResourceDisclosure(counselingNote(), [...consents], req, { now });
    expect(one.withheld).toBe(goes ? undefined : 'sud-counseling-note');
    expect(one.decision).toBe(goes ? 'PERMIT' : 'DENY');
  });

  const paid: Encounter = { ...sudEncounter, id: 'enc-paid' };
  const billed: Encounter = { ...sudEncounter, id: 'enc-billed' };
  const visits: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: paid }, { resource: billed }] };
  const selfPay: RestrictionRecord = { id: 'r-self-pay', patient: PATIENT, kind: 'self-pay', status: 'active', agreedOn: '2026-03-01', services: ['Encounter/enc-paid'] };

  it.each([
    ['withholds a service paid in full from a health plan, for payment', ['HPAYMT'], true, ['enc-billed'], 1],
    ['… and for health care operations', ['HOPERAT'], true, ['enc-billed'], 1],
    ['a recipient not said to be otherwise counts as a health plan', ['HPAYMT'], undefined, ['enc-billed'], 1],
    ['sends it to a provider for treatment', ['TREAT'], false, ['enc-paid', 'enc-billed'], 0],
  ] as const)('self-pay restriction: %s', (_name, purposes, healthPlan, sent, withheld) => {
    const options = {
      now,
      restrictions: [selfPay],
      ...(healthPlan === undefined ? {} : { restrictionContext: () => ({ recipientIsHealthPlan: healthPlan }) }),
    };
    const req = request({ actor: [NPI_B], purposeOfUse: [...purposes] });
    const result = gateDisclosure(visits, [peerkitTpo()], req, options);
    expect(sentIds(result.bundle)).toEqual(sent);
    expect(result.preview.withheld).toEqual(withheld === 0 ? [] : [{ resourceType: 'Encounter', reason: 'restriction', count: 1 }]);
    expect(decideResourceDisclosure(paid, [peerkitTpo()], req, options).withheld).toBe(withheld === 0 ? undefined : 'restriction');
  });

  it('puts the §2.32 notice and a copy of the deciding consent on a disclosed Part 2 Bundle', () => {
    const result = gateDisclosure(bundle, [peerkitTpo()], request({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), { now, notice: { statement: 'statement-1' } });
    const sent = result.bundle;
    expect(sent?.meta?.tag).toContainEqual(REDISCLOSURE_NOTICE_TAG);
    const notice = sent?.entry?.[0]?.resource as DocumentReference;
    expect(notice.meta?.tag).toEqual([REDISCLOSURE_NOTICE_TAG]);
    expect(notice.description).toMatch(/^This record which has been disclosed to you is protected by Federal confidentiality rules \(42 CFR part 2\)/);
    expect(notice.context?.related).toEqual([{ reference: sent?.entry?.at(-1)?.fullUrl }]);
    expect(sent?.entry?.at(-1)?.resource).toEqual(peerkitTpo());
    expect(result.preview.noticeAttached).toBe(true);
    expect(() => validateR4(sent)).not.toThrow();
    // Data without Part 2 records goes without it.
    const plain = gateDisclosure(bundle, [allButSud()], request({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), { now });
    expect(plain.bundle?.meta?.tag ?? []).not.toContainEqual(REDISCLOSURE_NOTICE_TAG);
    expect(plain.bundle?.entry?.some((e) => e.resource?.resourceType === 'Consent')).toBe(false);
  });

  it('gives one ledger entry per decision, with counts and never content', async () => {
    const ledger = createMemoryDisclosureLedger();
    const req = request({ actor: [NPI_B], purposeOfUse: ['TREAT'] });
    const sent = gateDisclosure(bundle, [peerkitTpo()], req, { now, ledger: {} });
    const refused = gateDisclosure(bundle, [], req, { now, ledger: { channel: 'other' } });
    expect(gateDisclosure(bundle, [peerkitTpo()], req, { now }).ledgerEntry).toBeUndefined();
    for (const r of [sent, refused]) if (r.ledgerEntry) await ledger.append(r.ledgerEntry);
    expect(ledger.entries).toHaveLength(2);
    const [first, second] = ledger.entries.map((e) => readDisclosureRecord(e));
    expect(first).toMatchObject({
      decision: 'PERMIT',
      disclosed: { DocumentReference: 1, Encounter: 1 },
      total: 2,
      consents: ['Consent/pk-tpo'],
      part2: true,
      noticeAttached: true,
      channel: 'ehr',
      purposes: ['TREAT'],
      recorded: '2026-05-01T00:00:00Z',
    });
    // The notice and the consent copy are not data the patient's record disclosed.
    expect(first?.dataCategories).toEqual(['attendance', 'progress-notes']);
    expect(second).toMatchObject({ decision: 'DENY', total: 0, consents: [], channel: 'other' });
    const text = JSON.stringify(ledger.entries);
    expect(text).not.toMatch(/doc-sud|enc-sud|obs-1|U0VD/);
    for (const e of ledger.entries) expect(() => validateR4(e)).not.toThrow();
  });
});
