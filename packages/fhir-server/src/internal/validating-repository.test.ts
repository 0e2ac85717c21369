import { OperationOutcomeError, parseSearchRequest } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Encounter, Patient, Resource } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFhirDefinitions } from './definitions';
import { ValidatingRepository } from './validating-repository';

beforeAll(() => loadFhirDefinitions(), 60_000);

const systems = fc.constantFrom('urn:a', 'urn:b', 'URN:A');
const values = fc.constantFrom('x1', 'X1', 'x2', 'y', 'a|b');
/** Identifier type texts and Coding displays are tokens too (system-less), so queries may hit them. */
const texts = fc.constantFrom('x1', 'MRN', 'Y');
const identifier = fc.record({
  system: fc.option(systems, { nil: undefined }),
  value: values,
  text: fc.option(texts, { nil: undefined }),
});
const tag = fc.record({
  system: fc.option(systems, { nil: undefined }),
  code: values,
  display: fc.option(texts, { nil: undefined }),
});
/** What varies between generated resources: identifiers, meta.tag and one more token (a flag). */
const shape = fc.record({
  ids: fc.array(identifier, { maxLength: 3 }),
  tags: fc.array(tag, { maxLength: 2 }),
  flag: fc.boolean(),
});
const shapes = fc.array(shape, { maxLength: 12 });
type Shape = typeof shape extends fc.Arbitrary<infer S> ? S : never;
const token = fc.oneof(
  values,
  texts,
  fc.tuple(systems, values).map(([s, v]) => `${s}|${v}`),
  fc.oneof(values, texts).map((v) => `|${v}`),
  systems.map((s) => `${s}|`),
);
const query = fc.array(token, { minLength: 1, maxLength: 3 }).map((tokens) => tokens.join(','));

/**
 * Patient has its own `identifier` parameter (`Patient.identifier`); Encounter shares the one
 * defined over ~30 types (`AllergyIntolerance.identifier | CarePlan.identifier | …`).
 */
const kinds = {
  Patient: {
    flagParam: 'active',
    build: (base: Partial<Patient>, flag: boolean): Patient => ({ resourceType: 'Patient', ...base, active: flag }),
  },
  Encounter: {
    flagParam: 'status',
    build: (base: Partial<Encounter>, flag: boolean): Encounter => ({
      resourceType: 'Encounter',
      ...base,
      status: flag ? 'finished' : 'planned',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    }),
  },
} as const;
type Kind = keyof typeof kinds;
const flagValue = (kind: Kind): string => (kind === 'Patient' ? 'true' : 'finished');

function toResource(kind: Kind, { ids, tags, flag }: Shape, n: number): Resource {
  const base = {
    id: `r${n}`,
    identifier: ids.map(({ system, value, text }) => ({
      ...(system === undefined ? {} : { system }),
      value,
      ...(text === undefined ? {} : { type: { text } }),
    })),
    ...(tags.length === 0
      ? {}
      : {
          meta: {
            tag: tags.map(({ system, code, display }) => ({
              ...(system === undefined ? {} : { system }),
              code,
              ...(display === undefined ? {} : { display }),
            })),
          },
        }),
  };
  return kinds[kind].build(base, flag);
}

async function idsFound(repo: MemoryRepository, kind: Kind, params: Record<string, string>): Promise<string[]> {
  const bundle = await repo.search(parseSearchRequest(kind, params));
  return (bundle.entry ?? []).map((e) => e.resource?.id ?? '').sort();
}

describe('ValidatingRepository', () => {
  it.each(Object.keys(kinds) as Kind[])(
    'finds %s by identifier and _tag exactly what a full scan finds, after creates, updates and deletes',
    async (kind) => {
      await fc.assert(
        fc.asyncProperty(
          shapes,
          shapes,
          fc.array(fc.nat(11)),
          fc.constantFrom('identifier', '_tag'),
          query,
          fc.boolean(),
          async (initial, updates, deletes, param, q, withFlag) => {
            const indexed = new ValidatingRepository();
            const scanned = new MemoryRepository();
            for (const [n, s] of initial.entries()) {
              await indexed.createResource(toResource(kind, s, n));
              await scanned.createResource(toResource(kind, s, n));
            }
            for (const [n, s] of updates.entries()) {
              await indexed.updateResource(toResource(kind, s, n));
              await scanned.updateResource(toResource(kind, s, n));
            }
            for (const n of new Set(deletes)) {
              if (n >= Math.max(initial.length, updates.length)) continue;
              await indexed.deleteResource(kind, `r${n}`);
              await scanned.deleteResource(kind, `r${n}`);
            }
            const params = { [param]: q, ...(withFlag ? { [kinds[kind].flagParam]: flagValue(kind) } : {}) };
            expect(await idsFound(indexed, kind, params)).toEqual(await idsFound(scanned, kind, params));
          },
        ),
        { numRuns: 150 },
      );
    },
    60_000,
  );

  it('finds an identifier by its type text, as the full scan does', async () => {
    const repo = new ValidatingRepository();
    await repo.createResource<Patient>({
      resourceType: 'Patient',
      id: 'typed',
      identifier: [{ system: 'urn:a', value: 'v1', type: { text: 'MRN' } }],
    });
    expect(await idsFound(repo, 'Patient', { identifier: 'mrn' })).toEqual(['typed']);
    expect(await idsFound(repo, 'Patient', { identifier: '|MRN' })).toEqual(['typed']);
    expect(await idsFound(repo, 'Patient', { identifier: 'urn:a|MRN' })).toEqual([]);
  });

  it('rejects an invalid resource with the validator outcome and stores nothing', async () => {
    const repo = new ValidatingRepository();
    const invalid = { resourceType: 'Patient', id: 'bad', birthDate: 'not a date' } as Patient;
    await expect(repo.createResource(invalid)).rejects.toBeInstanceOf(OperationOutcomeError);
    await expect(repo.readResource('Patient', 'bad')).rejects.toBeInstanceOf(OperationOutcomeError);
  });

  it('pages indexed results with count and offset and reports the total', async () => {
    const repo = new ValidatingRepository();
    for (let n = 0; n < 5; n++) {
      await repo.createResource<Patient>({ resourceType: 'Patient', id: `p${n}`, identifier: [{ system: 'urn:a', value: 'same' }] });
    }
    const page = await repo.search(parseSearchRequest('Patient', { identifier: 'urn:a|same', _count: '2', _offset: '4' }));
    expect(page.total).toBe(5);
    expect(page.entry).toHaveLength(1);
    const first = await repo.search(parseSearchRequest('Patient', { identifier: 'urn:a|same', _count: '2' }));
    expect(first.entry).toHaveLength(2);
  });

  it('returns copies: changing a search result does not change what is stored', async () => {
    const repo = new ValidatingRepository();
    await repo.createResource<Patient>({ resourceType: 'Patient', id: 'c1', identifier: [{ value: 'copy-1' }], active: true });
    const found = (await repo.searchResources(parseSearchRequest<Patient>('Patient', { identifier: 'copy-1' })))[0];
    if (found === undefined) throw new Error('not found');
    found.active = false;
    expect((await repo.readResource<Patient>('Patient', 'c1')).active).toBe(true);
  });
});
