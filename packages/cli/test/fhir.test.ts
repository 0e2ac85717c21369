import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, oneLineError, peerkit, tempDir } from './helpers';

/** The synthetic host-EHR corpus of @peerkit/fhir (third-party FHIR, not PeerKit's own). */
const HOST = join(__dirname, '..', '..', 'fhir', 'test', 'fixtures', 'host');

/** What `--json` prints when reading FHIR. */
interface HostJson {
  fromFhir?: string;
  files?: string[];
  out: string;
  written: number;
  parts: number;
  records: { kind: string; valid: boolean; record: unknown; sources: { resourceType: string; path: (string | number)[]; line?: number }[] }[];
  context: { kind: string }[];
  findings: { code: string; severity: string; path: (string | number)[]; line?: number; message: string }[];
  exitCode: number;
}

const kinds = (lines: string): string[] =>
  lines
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { kind: string }).kind)
    .sort();

describe('peerkit fhir', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    expect(peerkit(['generate', '--seed', '4', '--peers', '15', '--weeks', '2', '--out', 'clinic.ndjson'], dir).code).toBe(0);
  });
  afterAll(() => cleanup());

  it('writes one FHIR resource per line and a summary by type', () => {
    const run = peerkit(['fhir', 'clinic.ndjson', '--out', 'resources.ndjson'], dir);
    expect(run.code).toBe(0);
    const lines = readFileSync(join(dir, 'resources.ndjson'), 'utf8').trimEnd().split('\n');
    const types = new Set(lines.map((l) => (JSON.parse(l) as { resourceType: string }).resourceType));
    expect([...types].sort()).toEqual(
      expect.arrayContaining(['CarePlan', 'Consent', 'DocumentReference', 'Encounter', 'EpisodeOfCare', 'Goal', 'Group', 'Practitioner', 'Procedure', 'Provenance']),
    );
    expect(run.stderr).toMatch(/mapped to [\d,]+ FHIR resources/);
    expect(run.stderr).toMatch(/Encounter\s+[\d,]+/);
  });

  it('writes a transaction Bundle with --bundle', () => {
    expect(peerkit(['fhir', 'clinic.ndjson', '--bundle', 'bundle.json'], dir).code).toBe(0);
    const bundle = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')) as { type: string; entry: { request: { method: string } }[] };
    expect(bundle.type).toBe('transaction');
    expect(bundle.entry.every((e) => e.request.method === 'PUT')).toBe(true);
  });

  it('maps back with --from-fhir to the same FHIR bytes', () => {
    expect(peerkit(['fhir', 'clinic.ndjson', '--out', 'a.ndjson'], dir).code).toBe(0);
    const back = peerkit(['fhir', '--from-fhir', 'a.ndjson', '--out', 'back.ndjson'], dir);
    expect(back.code).toBe(0);
    expect(back.stderr).toMatch(/records? written/);
    expect(peerkit(['fhir', 'back.ndjson', '--out', 'b.ndjson'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'b.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'a.ndjson'), 'utf8'));
  });

  it('reads a Bundle with --from-fhir and reports what it could not map', () => {
    const bundle = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')) as { entry: unknown[] };
    bundle.entry.push({ resource: { resourceType: 'Consent', status: 'active', patient: { reference: 'Patient/not-a-peer' } } });
    writeFileSync(join(dir, 'mixed.json'), JSON.stringify(bundle));
    const run = peerkit(['fhir', '--from-fhir', 'mixed.json', '--out', 'mixed.ndjson'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('fhir.unresolved-reference');
    // The Consent without a PeerKit profile goes to the host readers: R4 requires its scope.
    expect(run.stderr).toMatch(/error\s+host\.required-missing\s+1\s+Consent: scope is missing/);
    expect(run.stderr).not.toContain('not-a-peer');
  });

  it('skips invalid lines, maps the rest and exits 1', () => {
    writeFileSync(join(dir, 'broken.ndjson'), `${readFileSync(FIXTURE, 'utf8')}{"kind":"encounter"}\n`);
    const run = peerkit(['fhir', 'broken.ndjson', '--out', 'broken-out.ndjson'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/1 invalid line skipped/);
    expect(readFileSync(join(dir, 'broken-out.ndjson'), 'utf8').length).toBeGreaterThan(0);
  });

  it('--json prints one object with what it wrote, resources by type and every issue, however many', () => {
    const broken = Array.from({ length: 25 }, (_, i) => `{"kind":"encounter","id":"e-${i}"}`);
    writeFileSync(join(dir, 'many-broken.ndjson'), `${readFileSync(FIXTURE, 'utf8')}${broken.join('\n')}\n`);
    const run = peerkit(['fhir', 'many-broken.ndjson', '--out', 'many-out.ndjson', '--json'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { file: string; out: string; records: number; resources: number; byType: Record<string, number>; invalidLines: number; lineIssues: { line: number }[]; exitCode: number };
    expect(out).toMatchObject({ file: 'many-broken.ndjson', out: 'many-out.ndjson', invalidLines: 25, exitCode: 1 });
    expect(new Set(out.lineIssues.map((i) => i.line)).size).toBe(25);
    expect(Object.values(out.byType).reduce((a, b) => a + b, 0)).toBe(out.resources);
    expect(readFileSync(join(dir, 'many-out.ndjson'), 'utf8').trimEnd().split('\n')).toHaveLength(out.resources);
  });

  it('--json with --from-fhir prints what it read and wrote, and the records, context and findings uncut', () => {
    expect(peerkit(['fhir', 'clinic.ndjson', '--out', 'for-json.ndjson'], dir).code).toBe(0);
    const run = peerkit(['fhir', '--from-fhir', 'for-json.ndjson', '--out', 'back-json.ndjson', '--json'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as HostJson;
    expect(out).toMatchObject({ fromFhir: 'for-json.ndjson', files: ['for-json.ndjson'], out: 'back-json.ndjson', parts: 0, context: [], exitCode: 0 });
    const written = readFileSync(join(dir, 'back-json.ndjson'), 'utf8').trimEnd().split('\n');
    expect(out.written).toBe(written.length);
    expect(out.records.map((r) => r.record)).toEqual(written.map((line) => JSON.parse(line) as unknown));
    expect(out.findings.every((f) => f.severity === 'information')).toBe(true);
  });

  it.each([
    [['fhir'], /needs the clinic export/],
    [['fhir', 'clinic.ndjson'], /exactly one of --out or --bundle/],
    [['fhir', '--from-fhir', 'a.ndjson'], /--from-fhir needs --out/],
    [['fhir', '--from-fhir', 'a.ndjson', '--from-server', 'http://127.0.0.1:1/fhir', '--out', 'x'], /give one of --from-fhir or --from-server/],
    [['fhir', '--from-fhir', 'a.ndjson', 'clinic.ndjson', '--out', 'x'], /with --from-fhir, give no clinic export argument/],
    [['fhir', '--from-fhir', 'a.ndjson', '--out', 'x', '--as-of', '2025-02-30'], /--as-of must be a date YYYY-MM-DD/],
    [['fhir', '--from-fhir', 'a.ndjson', '--out', 'x', '--patient', 'p1'], /--patient goes with --from-server/],
    [['fhir', '--from-fhir', 'a.ndjson', '--out', 'x', '--bundle', 'b.json'], /--bundle goes with a clinic export argument/],
    [['fhir', 'clinic.ndjson', '--out', 'x', '--profile', 'p.json'], /--profile goes with --from-fhir or --from-server/],
    [['fhir', 'clinic.ndjson', '--out', 'x', '--nope'], /unknown option --nope/],
  ])('exits 2 for the usage error in %j', (args, message) => {
    const run = peerkit(args, dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const [first, second] = run.stderr.split('\n');
    expect(first).toMatch(message);
    expect(second).toMatch(/^usage: peerkit fhir /);
    expect(run.stderr).not.toContain('    at ');
  });

  it('exits 2 with one line for a missing file', () => {
    const run = peerkit(['fhir', 'nope.ndjson', '--out', 'x.ndjson'], dir);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toMatch(/no such file/);
  });
});

describe('peerkit fhir --from-fhir (a host EHR\'s FHIR)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterAll(() => cleanup());

  const read = (input: string, ...more: string[]) => peerkit(['fhir', '--from-fhir', join(HOST, input), '--out', 'out.ndjson', '--as-of', '2025-04-01', ...more], dir);
  const written = (): string => readFileSync(join(dir, 'out.ndjson'), 'utf8');

  it('reads a searchset Bundle: the clinic records written, context and findings by code with counts and messages', () => {
    const run = read('bundles/searchset-encounter-include.json');
    expect(run.code).toBe(0);
    expect(kinds(written())).toEqual(['encounter', 'organization', 'peer', 'specialist']);
    expect(run.stderr).toMatch(/4 records read, 4 records written → out\.ndjson/);
    expect(run.stderr).toMatch(/context \(used by the records, not written\): 1 organization, 1 practitioner/);
    expect(run.stderr).toMatch(/findings by code:/);
    expect(run.stderr).toMatch(/information\s+host\.type-not-used\s+1\s+OperationOutcome: a resource type PeerKit does not read/);
    expect(run.stderr).toMatch(/information\s+host\.not-peer-support\s+2\n/);
    // Findings and summaries name types, paths and rules, never the host's values.
    expect(run.stderr).not.toMatch(/Testpatient|MRN-|eTestPat/);
  });

  it('reads a Bulk export directory as one input: every .ndjson file, and the manifest as context', () => {
    const run = read('bulk', '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as HostJson;
    expect(out.files).toEqual(expect.arrayContaining(['Encounter.ndjson', 'Patient.ndjson', 'manifest.json']));
    expect(out.records.map((r) => r.kind).sort()).toEqual(kinds(written()));
    expect(kinds(written())).toEqual(expect.arrayContaining(['encounter', 'group-session', 'peer', 'specialist']));
    expect(out.context.map((c) => c.kind)).toContain('bulk-manifest');
    // References resolve across the files: the DocumentReference is the note of its Encounter, not a part.
    expect(out.parts).toBe(0);
    const observation = out.findings.find((f) => f.code === 'host.type-not-used');
    expect(observation).toMatchObject({ path: ['Observation.ndjson', 'resourceType'], line: 1 });
  });

  const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
  /** `count` NDJSON lines, the i-th `line(i)`. */
  const lines = (count: number, line: (i: number) => unknown): string => Array.from({ length: count }, (_, i) => JSON.stringify(line(i))).join('\n');
  /** A peer-support Encounter of a patient, as a host writes it. */
  const peerEncounter = (id: string, patient: string) => ({
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    type: [{ coding: [{ system: HCPCS, code: 'H0038' }] }],
    subject: { reference: `Patient/${patient}` },
    period: { start: '2025-03-03T10:00:00-05:00', end: '2025-03-03T10:45:00-05:00' },
  });

  it('reads a Bulk export directory of at most 10,000 items whole, so its files join (a note to its encounter)', () => {
    // 900 lines in three files, ordered by type: more than streamHostFhir's default window of 500.
    const bulk = join(dir, 'small-bulk');
    mkdirSync(bulk);
    writeFileSync(
      join(bulk, 'DocumentReference.ndjson'),
      lines(300, (i) => ({
        resourceType: 'DocumentReference',
        id: `doc-${i}`,
        status: 'current',
        subject: { reference: `Patient/pat-${i}` },
        content: [{ attachment: { contentType: 'text/plain', data: 'U3ludGhldGljIG5vdGUu' } }],
        context: { encounter: [{ reference: `Encounter/enc-${i}` }] },
      })),
    );
    writeFileSync(
      join(bulk, 'Encounter.ndjson'),
      lines(300, (i) => peerEncounter(`enc-${i}`, `pat-${i}`)),
    );
    writeFileSync(join(bulk, 'Patient.ndjson'), lines(300, (i) => ({ resourceType: 'Patient', id: `pat-${i}`, birthDate: '1990-01-05' })));
    const json = peerkit(['fhir', '--from-fhir', 'small-bulk', '--out', 'small.ndjson', '--as-of', '2025-04-01', '--json'], dir);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as HostJson;
    const encounters = out.records.filter((r) => r.kind === 'encounter');
    expect(encounters).toHaveLength(300);
    expect(encounters.every((r) => (r.record as { note?: unknown }).note !== undefined)).toBe(true);
    expect(out.records.some((r) => r.kind === 'note')).toBe(false);
    expect(out.findings.some((f) => f.code === 'host.reference-unresolved')).toBe(false);
  });

  it('streams a Bulk export directory larger than it reads whole: every file and line read, every record written, nothing lost', () => {
    // 13,000 synthetic resources in three NDJSON files: more than the 10,000 the CLI reads whole, so
    // they stream in streamHostFhir's default windows.
    const bulk = join(dir, 'large-bulk');
    mkdirSync(bulk);
    const pad = (i: number): string => String(i).padStart(5, '0');
    writeFileSync(
      join(bulk, 'Encounter.ndjson'),
      lines(4000, (i) => peerEncounter(`enc-${pad(i)}`, `pat-${pad(i % 6000)}`)),
    );
    writeFileSync(join(bulk, 'Observation.ndjson'), lines(3000, (i) => ({ resourceType: 'Observation', id: `obs-${pad(i)}`, status: 'final', code: { text: 'score' } })));
    writeFileSync(join(bulk, 'Patient.ndjson'), lines(6000, (i) => ({ resourceType: 'Patient', id: `pat-${pad(i)}`, birthDate: '1990-01-05' })));
    const json = peerkit(['fhir', '--from-fhir', 'large-bulk', '--out', 'large.ndjson', '--as-of', '2025-04-01', '--json'], dir);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as HostJson;
    expect(out.files).toEqual(['Encounter.ndjson', 'Observation.ndjson', 'Patient.ndjson']);
    expect(out).toMatchObject({ written: 10_000, parts: 0, exitCode: 0 });
    const written = readFileSync(join(dir, 'large.ndjson'), 'utf8');
    expect(kinds(written).filter((k) => k === 'encounter')).toHaveLength(4000);
    expect(kinds(written).filter((k) => k === 'peer')).toHaveLength(6000);
    // Every line of every file is accounted for: the Observations each have their finding, at their line.
    const notUsed = out.findings.filter((f) => f.code === 'host.type-not-used');
    expect(notUsed.map((f) => f.line)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(notUsed.every((f) => f.path[0] === 'Observation.ndjson')).toBe(true);
    // Ordered by type, the Encounters' Patients come in later windows: each Encounter keeps the host's
    // reference as its peer, and says so.
    const late = out.records.find((r) => r.kind === 'encounter' && (r.record as { id: string }).id === 'enc-03500');
    expect(late?.record).toMatchObject({ peerId: 'pat-03500' });
    expect(out.findings).toContainEqual(expect.objectContaining({ code: 'host.reference-unresolved', path: ['Encounter.ndjson', 'subject'], line: 3501 }));
    expect(out.findings.filter((f) => f.code === 'host.reference-unresolved' && f.path[0] === 'Encounter.ndjson')).toHaveLength(4000);
    const text = peerkit(['fhir', '--from-fhir', 'large-bulk', '--out', 'large.ndjson', '--as-of', '2025-04-01'], dir);
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/large-bulk \(3 files\): 10,000 records read, 10,000 records written → large\.ndjson/);
    expect(text.stderr).toMatch(/information\s+host\.type-not-used\s+3,000\s+Observation: a resource type PeerKit does not read/);
    expect(readFileSync(join(dir, 'large.ndjson'), 'utf8')).toBe(written);
  });

  it('lists a lone Goal as a part and says why nothing was written (exit 0: no error)', () => {
    const run = read('resources/Goal-standalone.json');
    expect(run.code).toBe(0);
    expect(written()).toBe('');
    expect(run.stderr).toMatch(/1 record read, 0 records written/);
    expect(run.stderr).toMatch(/1 part not written \(their whole is not in the input; --json has them\):\n\s+goal\s+Goal at .*Goal-standalone\.json/);
    expect(run.stderr).toMatch(/nothing written to out\.ndjson: the input holds only parts/);
    const json = JSON.parse(read('resources/Goal-standalone.json', '--json').stdout) as HostJson;
    expect(json).toMatchObject({ written: 0, parts: 1, exitCode: 0 });
    expect(json.records[0]).toMatchObject({ kind: 'goal', sources: [{ resourceType: 'Goal' }] });
  });

  it('exits 1 for a malformed file: its finding, and no record read (host.nothing-read)', () => {
    const run = read('malformed/array-of-resources.json');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error\s+host\.not-an-object\s+1\s+/);
    expect(run.stderr).toMatch(/warning\s+host\.nothing-read\s+1\s+/);
    expect(run.stderr).toMatch(/nothing written: no PeerKit record in the input/);
  });

  it('exits 1 for NDJSON with broken lines, writing the records of the others', () => {
    const run = read('malformed/ndjson/Patient.ndjson', '--json');
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as HostJson;
    expect(out.findings.filter((f) => f.code === 'host.not-an-object').map((f) => f.line)).toEqual([2, 3, 4]);
    expect(out).toMatchObject({ written: 1, parts: 1, exitCode: 1 });
    expect(kinds(written())).toEqual(['peer']);
  });

  it('reads with an import profile (--profile): host-local codes become peer support', () => {
    const expectations = JSON.parse(readFileSync(join(HOST, 'expectations.json'), 'utf8')) as { profiles: Record<string, unknown> };
    writeFileSync(join(dir, 'example-host.json'), JSON.stringify(expectations.profiles['example-host']));
    const without = read('resources/Encounter-local-code-only.json');
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/host\.not-peer-support/);
    const run = read('resources/Encounter-local-code-only.json', '--profile', 'example-host.json');
    expect(run.code).toBe(0);
    expect(kinds(written())).toEqual(['encounter']);
  });

  it('exits 2 naming the fields of an invalid import profile, writing nothing', () => {
    writeFileSync(join(dir, 'bad-profile.json'), JSON.stringify({ peerSupportCodes: [{ codes: 'H0038' }], defaults: { caseloadLimit: -1 } }));
    const run = peerkit(['fhir', '--from-fhir', join(HOST, 'bulk'), '--out', 'never.ndjson', '--profile', 'bad-profile.json'], dir);
    expect(run.code).toBe(2);
    const line = oneLineError(run);
    expect(line).toMatch(/^peerkit: bad-profile\.json: not a valid import profile: peerSupportCodes\[0\]\.system: .* \[schema\.required\]/);
    expect(line).toMatch(/defaults\.caseloadLimit: .* \[schema\.too-small\]/);
    expect(() => readFileSync(join(dir, 'never.ndjson'))).toThrow();
  });

  it('exits 2 with one line for a missing input or a directory without FHIR files', () => {
    expect(oneLineError(peerkit(['fhir', '--from-fhir', 'nope', '--out', 'x.ndjson'], dir))).toMatch(/nope: no such file/);
    expect(oneLineError(peerkit(['fhir', '--from-fhir', '.', '--out', 'x.ndjson'], tempDir().dir))).toMatch(/no \.ndjson or \.json files/);
  });
});

