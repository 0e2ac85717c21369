import { OperationOutcomeError, parseSearchRequest } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Patient } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFhirDefinitions } from './definitions';
import { ValidatingRepository } from './validating-repository';

beforeAll(() => loadFhirDefinitions(), 60_000);

const systems = fc.constantFrom('urn:a', 'urn:b', 'URN:A');
const values = fc.constantFrom('x1', 'X1', 'x2', 'y', 'a|b');
const identifier = fc.record({ system: fc.option(systems, { nil: undefined }), value: values });
const patients = fc.array(fc.array(identifier, { maxLength: 3 }), { maxLength: 12 });
const token = fc.oneof(
  values,
  fc.tuple(systems, values).map(([s, v]) => `${s}|${v}`),
  values.map((v) => `|${v}`),
  systems.map((s) => `${s}|`),
);
const query = fc.array(token, { minLength: 1, maxLength: 3 }).map((tokens) => tokens.join(','));

function toPatient(ids: { system?: string | undefined; value: string }[], n: number): Patient {
  return {
    resourceType: 'Patient',
    id: `p${n}`,
    identifier: ids.map(({ system, value }) => (system === undefined ? { value } : { system, value })),
  };
}

async function idsFound(repo: MemoryRepository, q: string): Promise<string[]> {
  const bundle = await repo.search(parseSearchRequest('Patient', { identifier: q }));
  return (bundle.entry ?? []).map((e) => e.resource?.id ?? '').sort();
}

describe('ValidatingRepository', () => {
  it('finds by identifier exactly what a full scan finds, after creates, updates and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(patients, patients, fc.array(fc.nat(11)), query, async (initial, updates, deletes, q) => {
        const indexed = new ValidatingRepository();
        const scanned = new MemoryRepository();
        for (const [n, ids] of initial.entries()) {
          await indexed.createResource(toPatient(ids, n));
          await scanned.createResource(toPatient(ids, n));
        }
        for (const [n, ids] of updates.entries()) {
          await indexed.updateResource(toPatient(ids, n));
          await scanned.updateResource(toPatient(ids, n));
        }
        for (const n of new Set(deletes)) {
          if (n >= Math.max(initial.length, updates.length)) continue;
          await indexed.deleteResource('Patient', `p${n}`);
          await scanned.deleteResource('Patient', `p${n}`);
        }
        expect(await idsFound(indexed, q)).toEqual(await idsFound(scanned, q));
      }),
      { numRuns: 200 },
    );
  });

  it('rejects an invalid resource with the validator outcome and stores nothing', async () => {
    const repo = new ValidatingRepository();
    const invalid = { resourceType: 'Patient', id: 'bad', birthDate: 'not a date' } as Patient;
    await expect(repo.createResource(invalid)).rejects.toBeInstanceOf(OperationOutcomeError);
    await expect(repo.readResource('Patient', 'bad')).rejects.toBeInstanceOf(OperationOutcomeError);
  });

  it('pages indexed results with count and offset and reports the total', async () => {
    const repo = new ValidatingRepository();
    for (let n = 0; n < 5; n++) await repo.createResource(toPatient([{ system: 'urn:a', value: 'same' }], n));
    const page = await repo.search(parseSearchRequest('Patient', { identifier: 'urn:a|same', _count: '2', _offset: '4' }));
    expect(page.total).toBe(5);
    expect(page.entry).toHaveLength(1);
  });
});
