import { describe, expect, it } from 'vitest';
import { expectRuleIssue, expectSchemaIssue, MISSING, setIn, text, type RuleCase, type SchemaCase } from './__fixtures__/helpers';
import { organization, type OrganizationInput } from './__fixtures__/records';
import { parseOrganization } from './organization';

describe('parseOrganization', () => {
  it('accepts the valid example with no issues and returns it unchanged', () => {
    const result = parseOrganization(organization());
    expect(result).toEqual({ ok: true, value: organization(), issues: [] });
  });

  it('defaults identifiers to an empty list', () => {
    const input: Partial<OrganizationInput> = organization();
    delete input.identifiers;
    const result = parseOrganization(input);
    expect(result.ok && result.value.identifiers).toEqual([]);
  });

  const schemaCases: SchemaCase[] = [
    { name: 'kind missing', path: ['kind'], value: MISSING, code: 'schema.required' },
    { name: 'id missing', path: ['id'], value: MISSING, code: 'schema.required' },
    { name: 'program type missing', path: ['programs', 0, 'type'], value: MISSING, code: 'schema.required' },
    { name: 'name missing', path: ['name'], value: MISSING, code: 'schema.required' },
    { name: 'programs missing', path: ['programs'], value: MISSING, code: 'schema.required' },
    { name: 'program part2 missing', path: ['programs', 0, 'part2'], value: MISSING, code: 'schema.required' },
    { name: 'name not a string', path: ['name'], value: 42, code: 'schema.invalid-type' },
    { name: 'name null', path: ['name'], value: null, code: 'schema.invalid-type' },
    { name: 'name an empty list', path: ['name'], value: [], code: 'schema.invalid-type' },
    { name: 'programs a long string', path: ['programs'], value: text(101), code: 'schema.invalid-type' },
    { name: 'programs not an array', path: ['programs'], value: {}, code: 'schema.invalid-type' },
    { name: 'program part2 a string', path: ['programs', 0, 'part2'], value: 'yes', code: 'schema.invalid-type' },
    { name: 'kind of another record', path: ['kind'], value: 'peer', code: 'schema.invalid-value' },
    { name: 'program type unknown', path: ['programs', 0, 'type'], value: 'therapy', code: 'schema.invalid-value' },
    { name: 'id with a space', path: ['id'], value: 'org 001', code: 'schema.invalid-format' },
    { name: 'id of 65 characters', path: ['id'], value: text(65), code: 'schema.invalid-format' },
    { name: 'identifierSystem not a URL', path: ['identifierSystem'], value: 'not a url', code: 'schema.invalid-format' },
    { name: 'state lower-case', path: ['state'], value: 'pa', code: 'schema.invalid-format' },
    { name: 'state spelt out', path: ['state'], value: 'Pennsylvania', code: 'schema.invalid-format' },
    { name: 'phone with letters', path: ['phone'], value: 'call me', code: 'schema.invalid-format' },
    { name: 'program start not a date', path: ['programs', 0, 'start'], value: '2024-13-01', code: 'schema.invalid-format' },
    { name: 'name of 201 characters', path: ['name'], value: text(201), code: 'schema.too-big' },
    { name: 'identifierSystem of 501 characters', path: ['identifierSystem'], value: `https://example.org/${text(481)}`, code: 'schema.too-big' },
    { name: '21 identifiers', path: ['identifiers'], value: Array.from({ length: 21 }, () => ({ value: 'X' })), code: 'schema.too-big' },
    { name: 'identifier value of 201 characters', path: ['identifiers', 0, 'value'], value: text(201), code: 'schema.too-big' },
    { name: '101 programs', path: ['programs'], value: Array.from({ length: 101 }, (_, i) => ({ id: `p-${i}`, name: 'P', type: 'co-occurring', part2: false })), code: 'schema.too-big' },
    { name: 'no programs', path: ['programs'], value: [], code: 'schema.too-small' },
    { name: 'blank name', path: ['name'], value: '   ', code: 'schema.invalid-format' },
    { name: 'empty identifier value', path: ['identifiers', 0, 'value'], value: '', code: 'schema.too-small' },
    { name: 'unknown field', path: ['website'], value: 'https://example.org', code: 'schema.unknown-field' },
    { name: 'unknown program field', path: ['programs', 1, 'budget'], value: 1000, code: 'schema.unknown-field' },
    { name: 'unknown identifier field', path: ['identifiers', 0, 'use'], value: 'official', code: 'schema.unknown-field' },
  ];

  it.each(schemaCases)('reports $code when $name', ({ path, value, code, at }) => {
    const input = organization();
    setIn(input, path, value);
    expectSchemaIssue(parseOrganization(input), code, at ?? path);
  });

  const ruleCases: RuleCase<OrganizationInput>[] = [
    {
      name: 'two programs share an id',
      mutate: (o) => {
        o.programs[1]!.id = 'prog-mh';
      },
      code: 'organization.duplicate-program',
      path: ['programs', 1, 'id'],
      severity: 'error',
    },
    {
      name: 'a mental-health program is marked Part 2',
      mutate: (o) => {
        o.programs[0]!.part2 = true;
      },
      code: 'organization.part2-program-type',
      path: ['programs', 0, 'part2'],
      severity: 'error',
      source: '42 CFR §2.11',
    },
  ];

  it.each(ruleCases)('reports $code when $name', ({ mutate, ...expected }) => {
    const input = organization();
    mutate(input);
    expectRuleIssue(parseOrganization(input), expected);
  });

  it.each([
    ['a co-occurring program is marked Part 2', (o: OrganizationInput) => {
      o.programs[0]!.type = 'co-occurring';
      o.programs[0]!.part2 = true;
    }],
    ['a substance-use program is not Part 2', (o: OrganizationInput) => {
      o.programs[1]!.part2 = false;
    }],
  ])('accepts the record when %s', (_, mutate) => {
    const input = organization();
    mutate(input);
    expect(parseOrganization(input)).toMatchObject({ ok: true, issues: [] });
  });
});
