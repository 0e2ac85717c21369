import type { Bundle, DocumentReference, Encounter, Observation, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { allButSud, NPI_B, NPI_ED, PATIENT, peerkitTpo } from '../__fixtures__/consents';
import { validateR4 } from '../__fixtures__/validate';
import { parseDisclosureRequest } from '../consent/request';
import { decideResourceDisclosure, gateDisclosure, REDISCLOSURE_NOTICE_EXTENSION } from './disclosure-gate';
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
    expect(sent?.entry?.map((e) => `${e.resource?.resourceType}/${e.resource?.id}`)).toEqual(['DocumentReference/doc-sud', 'Encounter/enc-sud']);
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
