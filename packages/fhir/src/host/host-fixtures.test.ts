// Table tests of every host reader on the synthetic host-EHR corpus (test/fixtures/host): one row per
// file, Bundle entry or NDJSON line of expectations.json, read as the corpus README says.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPath, type Finding } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { HOST_FINDING_CODES } from './findings';
import { parseImportProfile, type ImportProfile } from './import-profile';
import { readHostFhir } from './read-host';
import type { HostContextItem, HostLine, HostReadResult, HostRecord, HostSource } from './types';

const DIR = join(import.meta.dirname, '../../test/fixtures/host');

type Position = null | { entry: number } | { line: number };
interface Row {
  file: string;
  position: Position;
  resourceType: string | null;
  id?: string;
  becomes?: string;
  finding?: string;
  severity?: string;
  withProfile?: Record<string, { becomes?: string; finding?: string; sameRecordAs?: { file: string; position: Position } }>;
  sameRecordAs?: { file: string; position: Position };
  references?: { path: string; resolvesTo: null | { file: string; position: Position } | { contained: string } }[];
  unresolved?: string[];
  contained?: { id: string; resourceType: string; becomes: string }[];
  details?: Record<string, unknown>;
}
interface Expectations {
  findingCodes: Record<string, { severity: string }>;
  profiles: Record<string, unknown>;
  expectations: Row[];
}

const expectations = JSON.parse(readFileSync(join(DIR, 'expectations.json'), 'utf8')) as Expectations;

function profileNamed(name: string): ImportProfile {
  const parsed = parseImportProfile(expectations.profiles[name]);
  if (!parsed.ok) throw new Error(`profile ${name} does not parse`);
  return parsed.value;
}

/** The input a row's file belongs to, as the corpus README says it is read. */
function inputOf(file: string): { key: string; input: string | HostLine[] } {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  if (file.endsWith('.ndjson')) {
    const lines: HostLine[] = [];
    for (const name of readdirSync(join(DIR, dir)).filter((f) => f.endsWith('.ndjson')).sort()) {
      readFileSync(join(DIR, dir, name), 'utf8')
        .split('\n')
        .forEach((text, i) => lines.push({ text, line: i + 1, file: name }));
    }
    return { key: `${dir}/*.ndjson`, input: lines };
  }
  return { key: file, input: readFileSync(join(DIR, file), 'utf8') };
}

const cache = new Map<string, HostReadResult>();
function read(file: string, profileName: string): HostReadResult {
  const { key, input } = inputOf(file);
  const cacheKey = `${profileName}:${key}`;
  let result = cache.get(cacheKey);
  if (!result) cache.set(cacheKey, (result = readHostFhir(input, { profile: profileNamed(profileName), asOf: '2025-04-01' })));
  return result;
}

/** The finding path and line of a row position. */
function where(file: string, position: Position): { path: (string | number)[]; line?: number } {
  if (position === null) return { path: [] };
  if ('entry' in position) return { path: ['entry', position.entry] };
  return { path: [file.slice(file.lastIndexOf('/') + 1)], line: position.line };
}

const at = (source: { path: readonly (string | number)[]; line?: number }, pos: { path: (string | number)[]; line?: number }) =>
  formatPath(source.path) === formatPath(pos.path) && source.line === pos.line;

const startsAt = (finding: Finding, pos: { path: (string | number)[]; line?: number }) =>
  formatPath(finding.path.slice(0, pos.path.length)) === formatPath(pos.path) && finding.line === pos.line;

function recordAt(result: HostReadResult, pos: { path: (string | number)[]; line?: number }): { record: HostRecord; source: HostSource } | undefined {
  for (const record of result.records) for (const source of record.sources) if (at(source, pos)) return { record, source };
  return undefined;
}

function contextAt(result: HostReadResult, pos: { path: (string | number)[]; line?: number }): HostContextItem | undefined {
  return result.context.find((c) => ('source' in c ? at(c.source, pos) : at(c, pos)));
}

/** The record kinds a row's `becomes` may be (a part of another record is that record's kind). */
function kindsOf(becomes: string, part: boolean): string[] {
  if (becomes === 'goal') return part ? ['recovery-plan'] : ['goal'];
  if (becomes === 'note') return part ? ['encounter', 'group-session'] : ['note'];
  if (becomes === 'program') return ['program', 'organization'];
  if (becomes === 'encounter' && part) return ['group-session'];
  return [becomes];
}

function checkRow(row: Row, profileName: string): void {
  const override = row.withProfile?.[profileName];
  const becomes = override ? override.becomes : row.becomes;
  const finding = override ? override.finding : row.finding;
  const sameRecordAs = override?.sameRecordAs ?? row.sameRecordAs;
  const result = read(row.file, profileName);
  const pos = where(row.file, row.position);
  const here = result.findings.filter((f) => startsAt(f, pos) && f.code !== 'host.reference-unresolved');

  if (finding !== undefined) {
    const severity = row.withProfile?.[profileName] ? HOST_FINDING_CODES[finding as keyof typeof HOST_FINDING_CODES].severity : row.severity;
    expect(here.map((f) => [f.code, f.severity])).toContainEqual([finding, severity]);
    expect(recordAt(result, pos)).toBeUndefined();
    return;
  }
  expect(here.filter((f) => f.severity === 'error')).toEqual([]);
  if (becomes === 'context' || becomes === 'known-practitioner') {
    const item = contextAt(result, pos);
    expect(item?.kind).toBe(becomes === 'known-practitioner' ? 'practitioner' : row.resourceType === null ? 'bulk-manifest' : 'organization');
    return;
  }
  const found = recordAt(result, pos);
  expect(found, `no record at ${JSON.stringify(pos)}`).toBeDefined();
  const { record, source } = found!;
  expect(kindsOf(becomes!, sameRecordAs !== undefined || record.sources[0] !== source)).toContain(record.kind);
  if (sameRecordAs) expect(at(record.sources[0]!, where(sameRecordAs.file, sameRecordAs.position))).toBe(true);
  expect(source.resource).toBeDefined();
  for (const path of row.unresolved ?? []) {
    expect(source.references.find((r) => r.path === path), `reference ${path}`).toMatchObject({ resolved: false });
  }
  for (const ref of row.references ?? []) {
    const described = source.references.find((r) => r.path === ref.path);
    expect(described, `reference ${ref.path}`).toBeDefined();
    if (ref.resolvesTo === null) expect(described!.resolved).toBe(false);
    else if ('contained' in ref.resolvesTo) expect(described!.target?.path.slice(-2)[0]).toBe('contained');
    else expect(described!.target && at(described!.target, where(ref.resolvesTo.file, ref.resolvesTo.position))).toBe(true);
  }
  for (const contained of row.contained ?? []) {
    if (contained.becomes === 'goal') continue; // a contained goal is a goal of the plan (checked with its details)
    const inner = result.context.find((c) => 'source' in c && c.source.id === contained.id && formatPath(c.source.path).startsWith(formatPath(pos.path)));
    expect(inner?.kind, `contained #${contained.id}`).toBe(contained.becomes === 'known-practitioner' ? 'practitioner' : 'organization');
  }
  checkDetails(row, record, source);
}

/** The optional `details` of a row: the values a correct reader produces. */
function checkDetails(row: Row, host: HostRecord, source: HostSource): void {
  const d = row.details;
  if (!d) return;
  const r = host.record as unknown as Record<string, unknown>;
  if (host.kind === 'peer') {
    expect(r.patient).toEqual(d.patient);
    if (d.birthDate) expect(r.birthDate).toBe(d.birthDate);
    if (d.preferredLanguage) expect(r.preferredLanguage).toBe(d.preferredLanguage);
  }
  if (host.kind === 'organization' && source === host.sources[0]) {
    if (d.identifiers) expect(r.identifiers).toEqual(expect.arrayContaining(d.identifiers as unknown[]));
    if (d.state) expect(r.state).toBe(d.state);
  }
  if (host.kind === 'specialist') {
    if (d.identifiers) expect(r.identifiers).toEqual(expect.arrayContaining(d.identifiers as unknown[]));
    if (d.certifications) expect(r.certifications).toMatchObject(d.certifications as object[]);
  }
  if (host.kind === 'encounter' && source === host.sources[0]) {
    if (d.start) expect(r.start).toBe(d.start);
    if (d.end !== undefined) expect(r.end).toBe(d.end ?? undefined);
    if (d.durationMinutes) expect(r.durationMinutes).toBe(d.durationMinutes);
    if (d.patientReference) expect(`Patient/${String(r.peerId)}`).toBe(d.patientReference);
    if (d.keptOnSource) expect(source.unmapped).toEqual(expect.arrayContaining(d.keptOnSource as string[]));
  }
  if (host.kind === 'recovery-plan' && d.goals) {
    expect((r.goals as unknown[]).length).toBe(d.goals);
    if (d.authorKeptAs) expect(source.references.find((x) => x.path === 'author')?.reference.reference).toBe(d.authorKeptAs);
  }
  if (host.kind === 'goal') {
    const goal = r.goal as Record<string, unknown>;
    expect([goal.text, goal.target, goal.status]).toEqual([d.text, d.target, d.status]);
  }
  if (host.kind === 'consent') {
    const provision = source.resource.provision as Record<string, unknown>;
    expect(provision.type ?? null).toBe(d.rootProvisionType);
    if (d.recipients) expect(r.recipients).toMatchObject(d.recipients as object[]);
    if (d.rootProvisionType === 'deny') expect(r.status).toBe('rejected');
  }
  if (host.kind === 'referral' && source === host.sources[0]) {
    if (d.urgency) expect(r.urgency).toBe(d.urgency);
    if (d.target) expect(r.target).toMatchObject(d.target as object);
  }
  if (host.kind === 'referral' && d.status) {
    expect([r.status, r.closedAt]).toEqual([d.status, d.closedAt]);
  }
  if (host.kind === 'note') {
    const note = r.note as Record<string, unknown>;
    expect(note.text).toBe(d.text);
    if (d.encounterReference) expect(`Encounter/${String(r.encounterId)}`).toBe(d.encounterReference);
    if (d.labels) expect(host.securityLabels).toMatchObject(d.labels as object[]);
  }
  if (host.kind === 'group-session' && d.members) {
    const attendees = r.attendees as { attendance: string }[];
    expect([attendees.length, attendees.filter((a) => a.attendance === 'absent').length]).toEqual([d.members, d.inactiveMembers]);
  }
}

const READER_OF_TYPE: Record<string, string> = {
  Patient: 'patientReader',
  Practitioner: 'practitionerReader',
  PractitionerRole: 'practitionerRoleReader',
  Organization: 'organizationReader',
  HealthcareService: 'healthcareServiceReader',
  Consent: 'consentReader',
  CarePlan: 'carePlanReader',
  Goal: 'goalReader',
  Encounter: 'encounterReader',
  ServiceRequest: 'serviceRequestReader',
  Task: 'taskReader',
  Group: 'groupReader',
  DocumentReference: 'documentReferenceReader',
};

const rowName = (row: Row): string =>
  `${row.file}${row.position === null ? '' : ` ${JSON.stringify(row.position)}`} → ${row.becomes ?? row.finding}`;

describe('host readers on the fixture corpus', () => {
  const groups = new Map<string, Row[]>();
  for (const row of expectations.expectations) {
    const name = READER_OF_TYPE[row.resourceType ?? ''] ?? 'readHostFhir (input forms, other types)';
    groups.set(name, [...(groups.get(name) ?? []), row]);
  }
  for (const [name, rows] of groups) {
    describe(name, () => {
      it.each(rows.map((row) => [rowName(row), row] as const))('%s', (_name, row) => checkRow(row, 'default'));
      const changed = rows.filter((row) => row.withProfile?.['example-host']);
      if (changed.length > 0) {
        it.each(changed.map((row) => [rowName({ ...row, ...row.withProfile!['example-host'] } as Row), row] as const))(
          'with the example-host profile: %s',
          (_name, row) => checkRow(row, 'example-host'),
        );
      }
    });
  }

  it('reports every outcome the summary counts (no position left without a record, context or finding)', () => {
    const counts: Record<string, number> = {};
    for (const row of expectations.expectations) {
      const outcome = row.becomes ?? row.finding!;
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
    const summary = (expectations as unknown as { summary: { byOutcome: Record<string, number> } }).summary.byOutcome;
    expect(counts).toEqual(summary);
  });

  it('uses only registered finding codes, with their registered severity', () => {
    for (const [code, { severity }] of Object.entries(expectations.findingCodes)) {
      expect(HOST_FINDING_CODES[code as keyof typeof HOST_FINDING_CODES]?.severity, code).toBe(severity);
    }
    for (const result of cache.values()) {
      for (const f of result.findings) {
        expect(Object.keys(HOST_FINDING_CODES)).toContain(f.code);
        if (f.code !== 'host.entry-without-resource') expect(f.severity).toBe(HOST_FINDING_CODES[f.code as keyof typeof HOST_FINDING_CODES].severity);
      }
    }
  });

  it('writes records that pass the model schema and never puts a value from the input in a message', () => {
    // Names, identifier and telecom values, addresses and free text of the input.
    const SENSITIVE = new Set(['value', 'family', 'given', 'line', 'city', 'postalCode', 'text', 'display', 'data', 'title', 'div', 'description', 'comment']);
    const values = new Set<string>();
    const collect = (v: unknown, key: string): void => {
      if (typeof v === 'string') {
        if (SENSITIVE.has(key) && v.length > 3) values.add(v);
      } else if (Array.isArray(v)) for (const x of v) collect(x, key);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, k);
    };
    for (const result of cache.values()) {
      for (const record of result.records) for (const s of record.sources) collect(s.resource, '');
    }
    for (const result of cache.values()) {
      for (const f of result.findings) for (const value of values) expect(f.message.includes(value), `${f.code}: ${f.message}`).toBe(false);
      for (const record of result.records) expect(record.issues.filter((i) => i.code.startsWith('schema.'))).toEqual([]);
    }
  });
});
