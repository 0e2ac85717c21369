import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPath } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { readHostFhir } from './read-host';
import type { HostEntry } from './internal/ingest';
import { PatientCompartments, patientKeyOf, streamHostFhir } from './stream-host';
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
    // Windows of one resource close at each patient boundary (the export is ordered by type).
    const results = await collect(lines, 1);
    expect(results.length).toBeGreaterThan(5);
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
    // Windows of 2 close before each next Patient: three windows, and the last patient's in the last.
    const results = await collect(input, 2);
    expect(results).toHaveLength(4);
    expect(results.flatMap((r) => r.records.map((x) => x.record))).toEqual(whole.records.map((x) => x.record));
  });

  it('closes a window between two patients\' resources, so a patient-ordered input reads into the whole read\'s records', async () => {
    // 30 patients, each: Patient, 2 peer Encounters with a note each, a Goal, a CarePlan naming it, a
    // referral with its Task and a Consent (the staff they name are not in the input).
    const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
    const compartment = (n: number): object[] => {
      const patient = `Patient/p${n}`;
      const encounters = [0, 1].map((k) => ({
        resourceType: 'Encounter',
        id: `e${n}-${k}`,
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        type: [{ coding: [{ system: HCPCS, code: 'H0038' }] }],
        subject: { reference: patient },
        participant: [{ individual: { reference: 'Practitioner/s1' } }],
        period: { start: `2025-03-0${k + 1}T14:00:00-05:00`, end: `2025-03-0${k + 1}T14:30:00-05:00` },
      }));
      const notes = [0, 1].map((k) => ({
        resourceType: 'DocumentReference',
        id: `d${n}-${k}`,
        status: 'current',
        subject: { reference: patient },
        date: `2025-03-0${k + 1}T15:00:00-05:00`,
        content: [{ attachment: { contentType: 'text/plain', data: 'U3ludGhldGljIG5vdGUu' } }],
        context: { encounter: [{ reference: `Encounter/e${n}-${k}` }] },
      }));
      return [
        { resourceType: 'Patient', id: `p${n}`, birthDate: '1990-01-01' },
        ...encounters,
        ...notes,
        { resourceType: 'Goal', id: `g${n}`, lifecycleStatus: 'active', description: { text: 'A synthetic goal' }, subject: { reference: patient } },
        { resourceType: 'CarePlan', id: `cp${n}`, status: 'active', intent: 'plan', subject: { reference: patient }, goal: [{ reference: `Goal/g${n}` }] },
        { resourceType: 'ServiceRequest', id: `sr${n}`, status: 'active', intent: 'order', subject: { reference: patient }, authoredOn: '2025-03-01T09:00:00-05:00' },
        { resourceType: 'Task', id: `t${n}`, status: 'completed', intent: 'order', focus: { reference: `ServiceRequest/sr${n}` }, for: { reference: patient } },
        { resourceType: 'Consent', id: `c${n}`, status: 'active', scope: { coding: [{ code: 'patient-privacy' }] }, category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }], patient: { reference: patient } },
      ];
    };
    const input = Array.from({ length: 30 }, (_, n) => compartment(n)).flat();
    const sorted = (results: readonly HostReadResult[]) => results.flatMap((r) => r.records.map((x) => JSON.stringify(x))).sort();
    const whole = readHostFhir(input, { asOf: '2025-04-01' });
    // A compartment is 11 resources: windows of at least 25 close before the next Patient.
    const results = await collect(input, 25);
    expect(results.length).toBeGreaterThan(5);
    expect(whole.records.filter((r) => r.kind === 'encounter').every((r) => (r.record as { note?: unknown }).note !== undefined)).toBe(true);
    expect(sorted(results)).toEqual(sorted([whole]));
    for (const result of results.slice(0, -1)) expect(positions([result]).size).toBeGreaterThanOrEqual(25);
  });

  it('closes a window at windowSize in an input ordered by type, and at 4 × windowSize when every resource is about one patient', async () => {
    const observation = (patient: string) => ({ resourceType: 'Observation', status: 'final', subject: { reference: patient } });
    const perWindow = (results: readonly HostReadResult[]) => results.map((r) => r.findings.filter((f) => f.code === 'host.type-not-used').length);
    const manyPatients = Array.from({ length: 10 }, (_, i) => observation(`Patient/p${i}`));
    expect(perWindow(await collect(manyPatients, 3))).toEqual([3, 3, 3, 1]);
    const onePatient = Array.from({ length: 10 }, () => observation('Patient/p1'));
    expect(perWindow(await collect(onePatient, 2))).toEqual([8, 2]);
  });

  it.each<[string | undefined, string | undefined]>([
    ['Patient/p1', 'Patient/p1'],
    ['https://ehr.example.org/fhir/Patient/p1', 'Patient/p1'],
    ['Patient/p1/_history/3', 'Patient/p1'],
    ['Patient?identifier=urn%3Aoid%3A2.999|MRN-1', 'urn:oid:2.999|MRN-1'],
    ['Patient?identifier=MRN-1', '|MRN-1'],
    ['urn:uuid:0f1e2d3c-0000-4000-8000-000000000001', 'urn:uuid:0f1e2d3c-0000-4000-8000-000000000001'],
    ['Group/g1', undefined],
    ['Location?identifier=x', undefined],
    [undefined, undefined],
  ])('patientKeyOf(%s) is %s', (reference, key) => {
    expect(patientKeyOf(reference)).toBe(key);
  });

  it.each<[string, Partial<HostEntry>[], boolean[]]>([
    [
      'a Patient, its resources, then the next Patient and a resource about a third patient',
      [{ type: 'Patient', id: 'p1' }, { type: 'Encounter', about: 'Patient/p1' }, { type: 'Patient', id: 'p2' }, { type: 'Goal', about: 'Patient/p3' }],
      [false, false, true, true],
    ],
    [
      'each patient\'s resources before its Patient',
      [{ type: 'Encounter', about: 'Patient/p1' }, { type: 'Patient', id: 'p1' }, { type: 'Encounter', about: 'Patient/p2' }, { type: 'Patient', id: 'p2' }],
      [false, false, true, false],
    ],
    [
      'one patient named in several forms, by identifier too',
      [
        { type: 'Patient', id: 'p1', identifierKeys: 'urn:mrn|M1' },
        { type: 'Encounter', about: 'https://ehr.example.org/fhir/Patient/p1/_history/2' },
        { type: 'Goal', about: 'Patient?identifier=urn:mrn|M1' },
        { type: 'Consent', about: 'Patient?identifier=M1' },
      ],
      [false, false, false, false],
    ],
    [
      'staff, a Group subject and a resource about no patient change nothing',
      [
        { type: 'Encounter', about: 'Patient/p1' },
        { type: 'Practitioner', id: 's1' },
        { type: 'Encounter', about: 'Group/g1', subject: 'Group/g1' },
        { type: 'Organization' },
        { type: 'DocumentReference', about: 'Patient/p1' },
        { type: 'Patient', id: 'p1' },
      ],
      [false, false, false, false, false, false],
    ],
    [
      'a Patient with neither id nor identifier starts a patient its resources then join',
      [{ type: 'Encounter', about: 'Patient/p1' }, { type: 'Patient' }, { type: 'Encounter', about: 'urn:uuid:0f1e2d3c-0000-4000-8000-000000000001' }],
      [false, true, false],
    ],
  ])('PatientCompartments: %s', (_name, entries, starts) => {
    const compartments = new PatientCompartments();
    expect(entries.map((entry) => compartments.next(entry as HostEntry))).toEqual(starts);
  });

  it('streams an input with each patient\'s resources before its Patient into the whole read\'s records', async () => {
    const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
    const input = Array.from({ length: 20 }, (_, n) => [
      {
        resourceType: 'Encounter',
        id: `e${n}`,
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        type: [{ coding: [{ system: HCPCS, code: 'H0038' }] }],
        subject: { reference: `https://ehr.example.org/fhir/Patient/p${n}` },
        period: { start: '2025-03-04T14:00:00-05:00', end: '2025-03-04T14:30:00-05:00' },
      },
      {
        resourceType: 'DocumentReference',
        id: `d${n}`,
        status: 'current',
        subject: { reference: `Patient/p${n}/_history/1` },
        content: [{ attachment: { contentType: 'text/plain', data: 'U3ludGhldGljIG5vdGUu' } }],
        context: { encounter: [{ reference: `Encounter/e${n}` }] },
      },
      { resourceType: 'Patient', id: `p${n}`, birthDate: '1990-01-01' },
    ]).flat();
    const sorted = (results: readonly HostReadResult[]) => results.flatMap((r) => r.records.map((x) => JSON.stringify(x))).sort();
    const whole = readHostFhir(input, { asOf: '2025-04-01' });
    expect(whole.records.some((r) => r.kind === 'note')).toBe(false);
    const results = await collect(input, 4);
    // Three resources a patient: windows of at least 4 close after every second patient.
    expect(results.length).toBe(10);
    expect(sorted(results)).toEqual(sorted([whole]));
  });

  it('hands a Bundle\'s finding to the window of the entries it comes after, as a whole read orders it', async () => {
    const encounter = (id: string, patient: string) => ({ resourceType: 'Encounter', id, status: 'finished', class: { code: 'AMB' }, subject: { reference: `Patient/${patient}` } });
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: encounter('e2', 'p2') }, { fullUrl: 'urn:uuid:0f1e2d3c-0000-4000-8000-000000000009' }] };
    const input = [encounter('e1', 'p1'), bundle];
    const codes = (results: readonly HostReadResult[]) => results.flatMap((r) => r.findings.map((f) => `${f.code}@${formatPath(f.path.slice(0, 2))}`));
    const whole = codes([readHostFhir(input, { asOf: '2025-04-01' })]);
    const results = await collect(input, 1);
    expect(results.length).toBe(2);
    // Summaries aside (each window sums its own), the findings come in the whole read's order.
    const strip = (list: string[]) => list.filter((c) => !c.startsWith('host.nothing-read'));
    expect(strip(codes(results))).toEqual(strip(whole));
    expect(results[1]!.findings.some((f) => f.code === 'host.entry-without-resource')).toBe(true);
  });

  it('says host.nothing-read once, in the last result, when no window had a record', async () => {
    const results = await collect([{ resourceType: 'Observation', status: 'final' }, { resourceType: 'Observation', status: 'final' }], 1);
    expect(results.flatMap((r) => r.findings.map((f) => f.code))).toEqual(['host.type-not-used', 'host.type-not-used', 'host.nothing-read']);
  });

  it('refuses a window size that is not a positive whole number', async () => {
    await expect(collect([], 0)).rejects.toBeInstanceOf(RangeError);
  });
});
