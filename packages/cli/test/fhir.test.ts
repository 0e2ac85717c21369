import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, oneLineError, peerkit, tempDir } from './helpers';

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

  it('--json with --from-fhir prints what it read and wrote and the issues', () => {
    expect(peerkit(['fhir', 'clinic.ndjson', '--out', 'for-json.ndjson'], dir).code).toBe(0);
    const run = peerkit(['fhir', '--from-fhir', 'for-json.ndjson', '--out', 'back-json.ndjson', '--json'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { fromFhir: string; out: string; resources: number; records: number; issues: unknown[]; exitCode: number };
    expect(out).toMatchObject({ fromFhir: 'for-json.ndjson', out: 'back-json.ndjson', exitCode: 0 });
    expect(out.resources).toBe(readFileSync(join(dir, 'for-json.ndjson'), 'utf8').trimEnd().split('\n').length);
    expect(out.records).toBe(readFileSync(join(dir, 'back-json.ndjson'), 'utf8').trimEnd().split('\n').length);
    expect(Array.isArray(out.issues)).toBe(true);
  });

  it.each([
    [['fhir'], /needs the clinic export/],
    [['fhir', 'clinic.ndjson'], /exactly one of --out or --bundle/],
    [['fhir', '--from-fhir', 'a.ndjson'], /--from-fhir needs --out/],
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
