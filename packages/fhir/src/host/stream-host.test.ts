import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPath } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { readHostFhir } from './read-host';
import { streamHostFhir } from './stream-host';
import type { HostInput, HostLine, HostReadResult } from './types';

const DIR = join(import.meta.dirname, '../../test/fixtures/host');

/** Every input of the host fixtures, read as the corpus README says: each file alone, the Bulk export as one set of lines. */
const inputs: [string, HostInput][] = [
  ...['resources', 'bundles', 'malformed'].flatMap((dir) =>
    readdirSync(join(DIR, dir))
      .filter((f) => f.endsWith('.json'))
      .map((f): [string, HostInput] => [`${dir}/${f}`, readFileSync(join(DIR, dir, f), 'utf8')]),
  ),
  ['bulk/*.ndjson', bulkLines()],
];

function bulkLines(): HostLine[] {
  const lines: HostLine[] = [];
  for (const file of readdirSync(join(DIR, 'bulk')).filter((f) => f.endsWith('.ndjson')).sort()) {
    readFileSync(join(DIR, 'bulk', file), 'utf8')
      .split('\n')
      .forEach((text, i) => lines.push({ text, line: i + 1, file }));
  }
  return lines;
}

async function collect(input: HostInput, windowSize?: number): Promise<HostReadResult[]> {
  const out: HostReadResult[] = [];
  for await (const result of streamHostFhir(input, { asOf: '2025-04-01', ...(windowSize === undefined ? {} : { windowSize }) })) out.push(result);
  return out;
}

/** Where every record source, context source and finding is: `path@line`. */
function positions(results: readonly HostReadResult[]): Set<string> {
  const out = new Set<string>();
  for (const { records, context, findings } of results) {
    for (const r of records) for (const s of r.sources) out.add(`${formatPath(s.path.slice(0, 1))}@${String(s.line)}`);
    for (const c of context) if ('source' in c) out.add(`${formatPath(c.source.path.slice(0, 1))}@${String(c.source.line)}`);
    for (const f of findings) out.add(`${formatPath(f.path.slice(0, 1))}@${String(f.line)}`);
  }
  return out;
}

describe('streamHostFhir', () => {
  it.each(inputs)('reads %s (smaller than a window) as readHostFhir does, in one result', async (_name, input) => {
    const results = await collect(input);
    expect(results).toHaveLength(1);
    expect(results[0]).toEqual(readHostFhir(input, { asOf: '2025-04-01' }));
  });

  it('reads a window at a time and loses no position, even one resource per window', async () => {
    const lines = bulkLines();
    const whole = readHostFhir(lines, { asOf: '2025-04-01' });
    const results = await collect(lines, 1);
    expect(results.length).toBeGreaterThan(10);
    expect(positions(results)).toEqual(positions([whole]));
    expect(positions(results).size).toBe(lines.filter((l) => l.text.trim() !== '').length);
  });

  it('holds staff, organizations and groups to the last window, so specialists and group sessions form as in a whole read', async () => {
    const lines = bulkLines();
    const kindsOf = (results: readonly HostReadResult[], kind: string) =>
      results.flatMap((r) => r.records.filter((x) => x.kind === kind).map((x) => x.record)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const whole = [readHostFhir(lines, { asOf: '2025-04-01' })];
    const streamed = await collect(lines, 2);
    for (const kind of ['specialist', 'organization', 'group-session']) expect(kindsOf(streamed, kind)).toEqual(kindsOf(whole, kind));
  });

  it('reads a patient-ordered input window by window into the same records', async () => {
    const patient = (n: number) => [
      { resourceType: 'Patient', id: `p${n}`, birthDate: '1990-01-01' },
      {
        resourceType: 'Encounter',
        id: `e${n}`,
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        type: [{ coding: [{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'H0038' }] }],
        subject: { reference: `Patient/p${n}` },
        period: { start: '2025-03-04T14:00:00-05:00', end: '2025-03-04T14:30:00-05:00' },
      },
    ];
    const input = [1, 2, 3, 4].flatMap(patient);
    const whole = readHostFhir(input, { asOf: '2025-04-01' });
    const results = await collect(input, 2);
    expect(results).toHaveLength(5);
    expect(results.flatMap((r) => r.records.map((x) => x.record))).toEqual(whole.records.map((x) => x.record));
  });

  it('says host.nothing-read once, in the last result, when no window had a record', async () => {
    const results = await collect([{ resourceType: 'Observation', status: 'final' }, { resourceType: 'Observation', status: 'final' }], 1);
    expect(results.flatMap((r) => r.findings.map((f) => f.code))).toEqual(['host.type-not-used', 'host.type-not-used', 'host.nothing-read']);
  });

  it('refuses a window size that is not a positive whole number', async () => {
    await expect(collect([], 0)).rejects.toBeInstanceOf(RangeError);
  });
});
