import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECORD_SCHEMAS } from '@peerkit/model';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readHostFhir } from './read-host';

const DIR = join(import.meta.dirname, '../../test/fixtures/host');
/** The well-formed host fixtures (single resources and Bundles), each read on its own. */
const fixtures = ['resources', 'bundles'].flatMap((dir) =>
  readdirSync(join(DIR, dir))
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ name: `${dir}/${f}`, json: JSON.parse(readFileSync(join(DIR, dir, f), 'utf8')) as unknown })),
);

describe('record validation', () => {
  afterEach(() => vi.restoreAllMocks());

  it('takes the records the readers build as they are: no zod parse for a record in its parsed form', () => {
    // The readers build each record with its keys in schema order and its defaults written out, so the
    // model's compiled check accepts it and only its rules run (a reader that stops doing so still
    // reads the same records, through zod, only slower: this test says which).
    const spies = Object.entries(RECORD_SCHEMAS).map(([kind, schema]) => ({ kind, spy: vi.spyOn(schema, 'safeParse') }));
    let records = 0;
    for (const { json } of fixtures) records += readHostFhir(json as never, { asOf: '2025-04-01' }).records.length;
    expect(records).toBeGreaterThan(20);
    expect(spies.filter(({ spy }) => spy.mock.calls.length > 0).map(({ kind }) => kind)).toEqual([]);
  });
});
