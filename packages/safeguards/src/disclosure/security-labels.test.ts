import type { Bundle, Coding, Encounter } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { validateR4 } from '../__fixtures__/validate';
import { highWaterMark, isPart2Labeled, labelBundle, labelResource, securityLabelsFor, type LabelContext } from './security-labels';

const CONF = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const BASIS = 'http://hl7.org/fhir/uv/security-label-ds4p/StructureDefinition/extension-sec-label-basis';

const codes = (labels: Coding[]) => labels.map((c) => c.code);

describe('securityLabelsFor', () => {
  it.each<[string, LabelContext, string[]]>([
    ['a Part 2 substance-use program', { programType: 'substance-use' }, ['R', 'SUD', '42CFRPart2', 'NORDSCLCD']],
    ['a Part 2 co-occurring program', { programType: 'co-occurring' }, ['R', 'SUD', 'MH', '42CFRPart2', 'NORDSCLCD']],
    ['a substance-use program that is not Part 2', { programType: 'substance-use', part2: false }, ['R', 'SUD']],
    ['a mental-health program', { programType: 'mental-health' }, ['R', 'MH']],
    ['HIV information', { programType: 'mental-health', dataCategories: ['hiv'] }, ['R', 'MH', 'HIV']],
    ['nothing sensitive', { dataCategories: ['attendance'] }, ['N']],
  ])('labels %s', (_name, context, expected) => {
    expect(codes(securityLabelsFor(context))).toEqual(expected);
  });

  it('puts 42CFRPart2 on the confidentiality code as its basis (DS4P)', () => {
    const [confidentiality] = securityLabelsFor({ programType: 'substance-use' });
    expect(confidentiality).toEqual({
      system: CONF,
      code: 'R',
      display: 'restricted',
      extension: [{ url: BASIS, valueCoding: { system: ACT, code: '42CFRPart2' } }],
    });
  });

  it('uses ETH instead of SUD on request, and can leave out the separate policy tag', () => {
    expect(codes(securityLabelsFor({ programType: 'substance-use' }, { sudSensitivity: 'ETH', policyTag: false }))).toEqual(['R', 'ETH', 'NORDSCLCD']);
  });
});

describe('labelResource', () => {
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: 'enc-1',
    status: 'finished',
    class: { system: ACT, code: 'AMB' },
    meta: { security: [{ system: CONF, code: 'N' }, { system: ACT, code: 'PRIVMARK' }] },
  };

  it('keeps one confidentiality code (the higher), keeps other labels, and does not mutate', () => {
    const before = JSON.stringify(encounter);
    const labeled = labelResource(encounter, { programType: 'substance-use' });
    expect(JSON.stringify(encounter)).toBe(before);
    expect(codes(labeled.meta?.security ?? [])).toEqual(['R', 'PRIVMARK', 'SUD', '42CFRPart2', 'NORDSCLCD']);
    expect(isPart2Labeled(labeled)).toBe(true);
    expect(isPart2Labeled(encounter)).toBe(false);
    expect(() => validateR4(labeled)).not.toThrow();
  });

  it('never lowers a confidentiality code already there', () => {
    const veryRestricted = { ...encounter, meta: { security: [{ system: CONF, code: 'V' }] } };
    expect(codes(labelResource(veryRestricted, { programType: 'mental-health' }).meta?.security ?? [])).toEqual(['V', 'MH']);
  });
});

describe('highWaterMark', () => {
  it('takes the highest confidentiality with its basis, and leaves out refrain and sensitivity tags', () => {
    const mark = highWaterMark([securityLabelsFor({ dataCategories: [] }), securityLabelsFor({ programType: 'substance-use' }), securityLabelsFor({ programType: 'mental-health' })]);
    expect(codes(mark)).toEqual(['R', '42CFRPart2']);
    expect(mark[0]?.extension?.[0]?.valueCoding?.code).toBe('42CFRPart2');
  });

  it('can keep sensitivity tags when asked', () => {
    expect(codes(highWaterMark([securityLabelsFor({ programType: 'co-occurring' })], { includeSensitivity: true }))).toEqual(['R', 'SUD', 'MH', '42CFRPart2']);
  });
});

describe('labelBundle', () => {
  it('labels the entries it has a context for and sets the Bundle high-water mark', () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { resourceType: 'Encounter', id: 'a', status: 'finished', class: { system: ACT, code: 'AMB' } } as Encounter },
        { resource: { resourceType: 'Encounter', id: 'b', status: 'finished', class: { system: ACT, code: 'AMB' } } as Encounter },
      ],
    };
    const labeled = labelBundle(bundle, (r) => (r.id === 'a' ? { programType: 'substance-use' } : { dataCategories: ['attendance'] }));
    expect(codes(labeled.meta?.security ?? [])).toEqual(['R', '42CFRPart2']);
    expect(codes(labeled.entry?.[1]?.resource?.meta?.security ?? [])).toEqual(['N']);
    expect(bundle.meta).toBeUndefined();
    expect(() => validateR4(labeled)).not.toThrow();
  });
});
