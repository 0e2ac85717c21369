import type { Coding } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { createSecurityLabels, part2Labels, type SecurityLabelOptions } from './security-labels';

const CONF = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const BASIS = 'http://hl7.org/fhir/uv/security-label-ds4p/StructureDefinition/extension-sec-label-basis';

const codes = (labels: Coding[]): (string | undefined)[] => labels.map((c) => c.code);

describe('createSecurityLabels', () => {
  it.each<[string, SecurityLabelOptions, string[]]>([
    ['nothing: normal', {}, ['N']],
    ['a sensitivity tag: restricted by default', { sensitivity: ['MH'] }, ['R', 'MH']],
    ['a sensitivity tag with an explicit level', { sensitivity: ['HIV'], confidentiality: 'V' }, ['V', 'HIV']],
    ['Part 2 data: R, the tags in order, policy, refrain', { part2: true, sensitivity: ['SUD', 'MH'] }, ['R', 'SUD', 'MH', '42CFRPart2', 'NORDSCLCD']],
    ['Part 2 ignores a lower confidentiality', { part2: true, sensitivity: ['ETH'], confidentiality: 'N' }, ['R', 'ETH', '42CFRPart2', 'NORDSCLCD']],
    ['Part 2 without the separate policy tag', { part2: true, sensitivity: ['SUD'], policyTag: false }, ['R', 'SUD', 'NORDSCLCD']],
  ])('labels %s', (_name, options, expected) => {
    expect(codes(createSecurityLabels(options))).toEqual(expected);
  });

  it('puts 42CFRPart2 on the confidentiality code as its basis, extension first (FHIR JSON order)', () => {
    const [confidentiality] = createSecurityLabels({ part2: true });
    expect(JSON.stringify(confidentiality)).toBe(
      JSON.stringify({
        extension: [{ url: BASIS, valueCoding: { system: ACT, code: '42CFRPart2' } }],
        system: CONF,
        code: 'R',
        display: 'restricted',
      }),
    );
  });

  it('returns new objects on every call', () => {
    const first = createSecurityLabels({ sensitivity: ['SUD'] });
    first[1]!.display = 'changed';
    expect(createSecurityLabels({ sensitivity: ['SUD'] })[1]?.display).toBe('substance use disorder information sensitivity');
  });
});

describe('part2Labels', () => {
  it('labels Part 2 data R (basis 42CFRPart2), SUD, 42CFRPart2, NORDSCLCD', () => {
    expect(part2Labels()).toEqual([
      { extension: [{ url: BASIS, valueCoding: { system: ACT, code: '42CFRPart2' } }], system: CONF, code: 'R', display: 'restricted' },
      { system: ACT, code: 'SUD', display: 'substance use disorder information sensitivity' },
      { system: ACT, code: '42CFRPart2', display: '42 CFR Part2' },
      { system: ACT, code: 'NORDSCLCD', display: 'no redisclosure without consent directive' },
    ]);
  });
});
