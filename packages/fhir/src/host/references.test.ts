import { describe, expect, it } from 'vitest';
import { createHostIndex } from './references';

const NPI = 'http://hl7.org/fhir/sid/us-npi';

const bundle = {
  resourceType: 'Bundle',
  type: 'searchset',
  entry: [
    {
      fullUrl: 'https://ehr.example.org/fhir/Encounter/e1',
      resource: {
        resourceType: 'Encounter',
        id: 'e1',
        contained: [{ resourceType: 'Practitioner', id: 'perf' }],
        subject: { reference: 'Patient/p1' },
      },
    },
    { fullUrl: 'https://ehr.example.org/fhir/Patient/p1', resource: { resourceType: 'Patient', id: 'p1', identifier: [{ system: 'urn:mrn', value: 'M-1' }] } },
    { fullUrl: 'https://ehr.example.org/fhir/Organization/o1', resource: { resourceType: 'Organization', id: 'o1', identifier: [{ system: NPI, value: '1234567893' }] } },
    { fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001', resource: { resourceType: 'Practitioner', identifier: [{ system: NPI, value: '1111111112' }] } },
    { fullUrl: 'https://other.example.net/fhir/Patient/p1', resource: { resourceType: 'Patient', id: 'p1', meta: { versionId: '2' } } },
  ],
};

describe('createHostIndex', () => {
  const index = createHostIndex(bundle);
  const encounter = bundle.entry[0]!.resource;

  it.each([
    ['relative Type/id (against the entry base first)', { reference: 'Patient/p1' }, ['entry', 1], 'relative'],
    ['relative, version-specific', { reference: 'Organization/o1/_history/3' }, ['entry', 2], 'relative'],
    ['absolute full URL', { reference: 'https://ehr.example.org/fhir/Organization/o1' }, ['entry', 2], 'absolute'],
    ['absolute full URL of another server', { reference: 'https://other.example.net/fhir/Patient/p1' }, ['entry', 4], 'absolute'],
    ['urn:uuid full URL', { reference: 'urn:uuid:00000000-0000-4000-8000-000000000001' }, ['entry', 3], 'urn'],
    ['conditional by identifier', { reference: `Organization?identifier=${NPI}|1234567893` }, ['entry', 2], 'conditional'],
    ['conditional, URL-encoded', { reference: `Organization?identifier=${encodeURIComponent(NPI)}%7C1234567893` }, ['entry', 2], 'conditional'],
    ['conditional by value only', { reference: 'Patient?identifier=M-1' }, ['entry', 1], 'conditional'],
    ['logical identifier with type', { type: 'Practitioner', identifier: { system: NPI, value: '1111111112' } }, ['entry', 3], 'identifier'],
    ['logical identifier without type', { identifier: { system: NPI, value: '1234567893' } }, ['entry', 2], 'identifier'],
    ['contained #id', { reference: '#perf' }, ['entry', 0, 'contained', 0], 'contained'],
    ['the container itself (#)', { reference: '#' }, ['entry', 0], 'contained'],
  ])('resolves %s', (_name, reference, path, by) => {
    expect(index.resolve(reference, encounter)).toMatchObject({ path, by });
  });

  it.each([
    ['a relative reference to a resource not in the input', { reference: 'Location/l1' }],
    ['an absolute URL no entry has', { reference: 'https://hie.example.net/fhir/CareTeam/c1' }],
    ['a conditional reference nothing matches', { reference: `Practitioner?identifier=${NPI}|1888888884` }],
    ['a conditional reference with other search parameters', { reference: 'Patient?name=x' }],
    ['an identifier of the wrong type', { type: 'Patient', identifier: { system: NPI, value: '1234567893' } }],
    ['a contained id without a container', { reference: '#perf' }],
    ['a display-only reference', { display: 'Somebody' }],
    ['a value that is not a Reference', 'Patient/p1'],
    ['a malformed reference', { reference: 'Patient/' }],
  ])('keeps %s unresolved', (_name, reference) => {
    expect(index.resolve(reference)).toBeUndefined();
  });

  describe('relative references, read character by character', () => {
    const long = 'a'.repeat(64);
    const set = createHostIndex([
      { resourceType: 'Patient', id: 'p-1.2' },
      { resourceType: 'Patient', id: long },
      { resourceType: 'Patient', id: `${long}b` },
      { resourceType: 'Patient', id: 'a b' },
    ]);
    it.each([
      ['letters / id of letters, digits, - and .', 'Patient/p-1.2', 0],
      ['an id of 64 characters', `Patient/${long}`, 1],
      ['a version', 'Patient/p-1.2/_history/7', 0],
      ['a version with id characters', 'Patient/p-1.2/_history/v-2.1', 0],
      ['an id of 65 characters (not an R4 id)', `Patient/${long}b`, undefined],
      ['an id with a space (not an R4 id)', 'Patient/a b', undefined],
      ['a type with a digit', 'Patient1/p-1.2', undefined],
      ['no type', '/p-1.2', undefined],
      ['an empty version', 'Patient/p-1.2/_history/', undefined],
      ['another segment than _history', 'Patient/p-1.2/_version/7', undefined],
      ['a version followed by more', 'Patient/p-1.2/_history/7/x', undefined],
      ['two slashes', 'Patient//p-1.2', undefined],
    ])('%s: %s', (_name, reference, index) => {
      expect(set.resolve({ reference })?.path).toEqual(index === undefined ? undefined : [index]);
    });
  });

  it('builds each lookup on its first use from every entry, the first entry of a key winning, in any order of lookups', () => {
    const items = [
      { resourceType: 'Patient', id: 'p', identifier: [{ system: 'urn:mrn', value: 'M-1' }] },
      { resourceType: 'Encounter', id: 'p' },
      { resourceType: 'Patient', id: 'p', identifier: [{ system: 'urn:mrn', value: 'M-1' }] },
      { resourceType: 'Patient', id: 'q', identifier: [{ system: 'urn:mrn', value: 'M-2' }] },
    ];
    const lookups: [unknown, number | undefined][] = [
      [{ reference: 'Encounter/p' }, 1],
      [{ identifier: { system: 'urn:mrn', value: 'M-2' } }, 3],
      [{ reference: 'Patient/p' }, 0],
      [{ reference: 'Patient?identifier=urn:mrn|M-1' }, 0],
      [{ reference: 'Patient/q' }, 3],
      [{ reference: 'Observation/p' }, undefined],
      [{ reference: 'Unknowntype/p' }, undefined],
    ];
    // Every order of the lookups (first, last, reversed) gives the same answers.
    for (const order of [lookups, [...lookups].reverse(), [...lookups.slice(3), ...lookups.slice(0, 3)]]) {
      const set = createHostIndex(items);
      for (const [reference, index] of order) expect(set.resolve(reference)?.path).toEqual(index === undefined ? undefined : [index]);
    }
  });

  it('resolves across an NDJSON set by Type/id (no full URLs)', () => {
    const ndjson = [
      JSON.stringify({ resourceType: 'Patient', id: 'a' }),
      JSON.stringify({ resourceType: 'Encounter', id: 'e', subject: { reference: 'Patient/a' } }),
    ].join('\n');
    const set = createHostIndex(ndjson);
    expect(set.resolve({ reference: 'Patient/a' })).toMatchObject({ resourceType: 'Patient', line: 1, path: [] });
    expect(set.findings).toEqual([]);
  });

  it('reports what is not a resource instead of indexing it', () => {
    const set = createHostIndex([{ resourceType: 'Patient', id: 'a' }, 'not a resource', { id: 'x' }]);
    expect(set.findings.map((f) => f.code)).toEqual(['host.invalid-json', 'host.unknown-resource-type']);
  });
});
