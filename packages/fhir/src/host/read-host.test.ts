import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateClinic } from '@peerkit/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toFhir } from '../to-fhir';
import { readHostFhir } from './read-host';
import type { HostInput, HostReadResult } from './types';

const DIR = join(import.meta.dirname, '../../test/fixtures/host');
const fixtureFiles = ['resources', 'bundles', 'malformed'].flatMap((dir) =>
  readdirSync(join(DIR, dir))
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(DIR, dir, f)),
);
const fixtureResources: Record<string, unknown>[] = fixtureFiles.flatMap((file) => {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (json.resourceType !== 'Bundle') return json.resourceType ? [json] : [];
  return ((json.entry ?? []) as { resource?: unknown }[]).flatMap((e) => (e.resource && typeof e.resource === 'object' ? [e.resource as Record<string, unknown>] : []));
});

const encounter = (over: Record<string, unknown> = {}) => ({
  resourceType: 'Encounter',
  id: 'e1',
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
  type: [{ coding: [{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'H0038' }] }],
  subject: { reference: 'Patient/p1' },
  period: { start: '2025-03-04T14:00:00-05:00', end: '2025-03-04T14:30:00-05:00' },
  ...over,
});

const codes = (input: HostInput) => readHostFhir(input).findings.map((f) => f.code);

describe('readHostFhir', () => {
  it.each([
    ['a line that is not JSON', '{"resourceType":"Patient","id":"a"}\nnot json\n', 'host.invalid-json'],
    ['an unknown modifierExtension', [encounter({ modifierExtension: [{ url: 'urn:x', valueBoolean: true }] })], 'host.unknown-modifier-extension'],
    ['a modifierExtension on an element', [encounter({ participant: [{ modifierExtension: [{ url: 'urn:x', valueBoolean: true }] }] })], 'host.unknown-modifier-extension'],
    ['an encounter still in progress', [encounter({ status: 'in-progress' })], 'host.status-not-read'],
    ['a resource entered in error', [{ resourceType: 'Goal', lifecycleStatus: 'entered-in-error' }], 'host.status-not-read'],
    ['a Consent that is not a privacy consent', [{ resourceType: 'Consent', scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'treatment' }] } }], 'host.not-peer-support'],
    ['a partial birth date', [{ resourceType: 'Patient', id: 'p', birthDate: '1988', meta: { lastUpdated: '2025-01-01T00:00:00Z' } }], 'host.element-skipped'],
    ['a CarePlan with no Goal in the input', [{ resourceType: 'CarePlan', status: 'active', subject: { reference: 'Patient/p' }, goal: [{ reference: 'Goal/g' }], activity: [{ detail: { code: encounter().type[0] } }] }], 'host.required-missing'],
    ['an empty input', [], 'host.nothing-read'],
  ])('reports %s', (_name, input, code) => {
    expect(codes(input as HostInput)).toContain(code);
  });

  it('reads search results given as HostEntryItems: their positions, and absolute references against their fullUrl', async () => {
    async function* pages() {
      yield { resource: { resourceType: 'Patient', id: 'p1', birthDate: '1990-01-01' }, path: ['Patient'], fullUrl: 'https://ehr.example.org/fhir/Patient/p1' };
      yield { resource: encounter({ subject: { reference: 'https://ehr.example.org/fhir/Patient/p1' } }), path: ['Encounter?patient', 0, 'entry', 0], fullUrl: 'https://ehr.example.org/fhir/Encounter/e1' };
      yield { resource: encounter({ id: 'e2', status: 'planned' }), path: ['Encounter?patient', 1, 'entry', 4], fullUrl: 'https://ehr.example.org/fhir/Encounter/e2' };
    }
    const { records, findings } = await readHostFhir(pages(), { asOf: '2025-04-01' });
    expect(records[0]?.sources[0]).toMatchObject({ path: ['Patient'], fullUrl: 'https://ehr.example.org/fhir/Patient/p1' });
    expect(records[1]?.sources[0]?.references.find((r) => r.path === 'subject')).toMatchObject({ by: 'absolute', resolved: true });
    expect(findings.find((f) => f.code === 'host.status-not-read')?.path).toEqual(['Encounter?patient', 1, 'entry', 4, 'status']);
    expect(findings.some((f) => f.code === 'host.reference-unresolved')).toBe(false);
  });

  it('reads a video encounter as video (class VR), its setting from the profile default, and says so', () => {
    const { records, findings } = readHostFhir([encounter()]);
    expect(records[0]?.record).toMatchObject({ modality: 'video', setting: 'clinic' });
    expect(records[0]?.defaulted).toEqual(['programId', 'programType', 'specialistId', 'setting']);
    expect(findings.find((f) => f.code === 'host.defaulted')?.message).toMatch(/setting/);
  });

  it('sums up defaulted fields and broken rules in one finding per resource type, kind and list, with the count', () => {
    const { records, findings } = readHostFhir([encounter(), encounter({ id: 'e2' }), encounter({ id: 'e3', class: { code: 'local' } })]);
    expect(records.map((r) => r.valid)).toEqual([false, false, false]);
    const summed = findings.filter((f) => f.code === 'host.defaulted' || f.code === 'host.record-incomplete');
    expect(summed.map((f) => [f.code, f.path])).toEqual([
      ['host.defaulted', [0]],
      ['host.record-incomplete', [0]],
      ['host.defaulted', [2]],
    ]);
    expect(summed[1]?.message).toMatch(/\(3, the first here\)/);
  });

  it('starts a peer enrollment at the earliest dated service in the input, else asOf', () => {
    const patient = { resourceType: 'Patient', id: 'p1' };
    const withService = readHostFhir([patient, encounter()], { asOf: '2025-06-01' }).records.find((r) => r.kind === 'peer');
    const alone = readHostFhir([patient], { asOf: '2025-06-01' }).records[0];
    expect(withService?.record).toMatchObject({ enrollments: [{ start: '2025-03-04' }] });
    expect(alone?.record).toMatchObject({ enrollments: [{ start: '2025-06-01' }] });
    expect(codes([patient])).toEqual(['host.required-missing', 'host.nothing-read']);
  });

  it('reads an async iterable of NDJSON lines like the same text', async () => {
    const lines = [JSON.stringify({ resourceType: 'Patient', id: 'p1' }), '[1]', JSON.stringify(encounter())];
    async function* stream() {
      yield* lines;
    }
    const fromStream = await readHostFhir(stream(), { asOf: '2025-04-01' });
    expect(fromStream).toEqual(readHostFhir(lines.join('\n'), { asOf: '2025-04-01' }));
    expect(fromStream.findings.find((f) => f.code === 'host.not-an-object')?.line).toBe(2);
  });

  it('does not mutate its input, and keeps each source resource as the same object', () => {
    for (const file of fixtureFiles) {
      const input = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      const before = JSON.stringify(input);
      const result = readHostFhir(input as Record<string, unknown>, { asOf: '2025-04-01' });
      expect(JSON.stringify(input)).toBe(before);
      for (const record of result.records) for (const source of record.sources) expect(JSON.stringify(source.resource)).toContain(source.resourceType);
    }
  });

  it('keeps the host resource whole on the source, unknown extensions included (nothing lost on the way back)', () => {
    const resource = encounter({ extension: [{ url: 'https://ehr.example.org/x', valueString: 'kept' }], _status: { extension: [{ url: 'urn:y', valueCode: 'z' }] } });
    const [record] = readHostFhir([resource]).records;
    expect(record?.sources[0]?.resource).toBe(resource);
    expect(record?.sources[0]?.unmapped).toEqual(expect.arrayContaining(['extension', '_status']));
  });

  it('reads PeerKit\'s own output losslessly (through fromFhir), mixed with host resources', () => {
    const { records } = generateClinic({ seed: 5, peers: 4, weeks: 1 });
    const own = toFhir(records);
    if (!own.ok) throw new Error('mapping failed');
    const result = readHostFhir([...own.value, { resourceType: 'Patient', id: 'host-only' }], { asOf: '2025-04-01' });
    const fromOwn = result.records.filter((r) => r.sources.length === 0).map((r) => r.record);
    expect(fromOwn.length).toBe(records.length);
    expect(result.records.some((r) => r.kind === 'peer' && r.record.id === 'host-only')).toBe(true);
  });

  it('never throws on any JSON input, nor hits its safety net', () => {
    const check = (input: unknown) => {
      const result = readHostFhir(input as never, { asOf: '2025-04-01' });
      expect(result.findings.filter((f) => f.message.includes('a shape PeerKit cannot read'))).toEqual([]);
    };
    fc.assert(fc.property(fc.jsonValue(), check), { numRuns: 300 });
    fc.assert(fc.property(fc.json(), check), { numRuns: 100 });
  });

  it('never throws when any element of a fixture resource is replaced by any JSON value', () => {
    const arbitrary = fc.tuple(fc.constantFrom(...fixtureResources), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.jsonValue());
    fc.assert(
      fc.property(arbitrary, ([resource, picks, value]) => {
        const copy = structuredClone(resource) as Record<string, unknown>;
        let node: Record<string, unknown> = copy;
        for (const [i, pick] of picks.entries()) {
          const keys = Object.keys(node);
          const key = keys[pick % keys.length];
          if (key === undefined) break;
          const child = node[key];
          if (i === picks.length - 1 || child === null || typeof child !== 'object') {
            node[key] = value;
            break;
          }
          node = child as Record<string, unknown>;
        }
        const result = readHostFhir([copy, resource], { asOf: '2025-04-01' });
        expect(result.findings.filter((f) => f.message.includes('a shape PeerKit cannot read'))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('reports an unresolved reference in every resource that shares its Reference object (input built in code)', () => {
    const shared = { reference: 'Practitioner/not-in-the-input' };
    const encounter = (id: string) => ({
      resourceType: 'Encounter',
      id,
      status: 'finished',
      class: { code: 'AMB' },
      type: [{ coding: [{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'H0038' }] }],
      subject: { reference: 'Patient/p1' },
      participant: [{ individual: shared }],
      period: { start: '2025-03-04T14:00:00-05:00', end: '2025-03-04T14:30:00-05:00' },
    });
    const input = [{ resourceType: 'Patient', id: 'p1' }, encounter('e1'), encounter('e2')];
    const unresolved = (result: HostReadResult) => result.findings.filter((f) => f.code === 'host.reference-unresolved').map((f) => f.path);
    const expected = [
      [1, 'participant', 0, 'individual'],
      [2, 'participant', 0, 'individual'],
    ];
    expect(unresolved(readHostFhir(input, { asOf: '2025-04-01' }))).toEqual(expected);
    // The same input as JSON (no shared objects) reads the same.
    expect(unresolved(readHostFhir(JSON.parse(JSON.stringify(input)) as HostInput, { asOf: '2025-04-01' }))).toEqual(expected);
  });
});
