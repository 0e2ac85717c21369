import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, peerkit, tempDir } from './helpers';

interface Conformance {
  resourceType: string;
  id: string;
  url: string;
  type?: string;
  snapshot?: { element: unknown[] };
}

describe('peerkit ig', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterAll(() => cleanup());

  it('writes every resource of the pack as <ResourceType>-<id>.json, creating the directory', () => {
    const run = peerkit(['ig', '--out', 'ig/out'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^peerkit: wrote the profile pack \([\d,]+ resources\) to ig\/out\n/);
    expect(run.stderr).toMatch(/Profile\s+19\n/);
    const files = readdirSync(join(dir, 'ig', 'out')).sort();
    const resources = files.map((f) => JSON.parse(readFileSync(join(dir, 'ig', 'out', f), 'utf8')) as Conformance);
    files.forEach((file, i) => expect(file).toBe(`${resources[i]?.resourceType}-${resources[i]?.id}.json`));
    const types = new Set(resources.map((r) => r.resourceType));
    expect([...types].sort()).toEqual(['CodeSystem', 'ImplementationGuide', 'StructureDefinition', 'ValueSet']);
    const encounter = resources.find((r) => r.url === 'https://peerkit.dev/fhir/StructureDefinition/peerkit-encounter');
    expect(encounter?.snapshot?.element.length).toBeGreaterThan(50);
  });

  it('writes the same bytes as the pack @peerkit/fhir ships', () => {
    const pack = JSON.parse(readFileSync(require.resolve('@peerkit/fhir/profile-pack.json'), 'utf8')) as { entry: { resource: Conformance }[] };
    expect(peerkit(['ig', '--out', 'again'], dir).code).toBe(0);
    for (const { resource } of pack.entry) {
      const text = readFileSync(join(dir, 'again', `${resource.resourceType}-${resource.id}.json`), 'utf8');
      expect(text).toBe(`${JSON.stringify(resource, null, 2)}\n`);
    }
    expect(readdirSync(join(dir, 'again'))).toHaveLength(pack.entry.length);
  });

  it('--json lists every file it wrote and the resources by kind', () => {
    const run = peerkit(['ig', '--out', 'json-out', '--json'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { out: string; resources: number; byKind: Record<string, number>; files: string[]; exitCode: number };
    expect(out).toMatchObject({ out: 'json-out', exitCode: 0 });
    expect(out.byKind.Profile).toBe(19); // peerkit-service-consent is the 19th
    expect(out.files).toHaveLength(out.resources);
    expect([...out.files].sort()).toEqual(readdirSync(join(dir, 'json-out')).sort());
  });

  it.each([
    ['no --out', ['ig'], /^peerkit: ig needs --out <dir>$/],
    ['a file argument', ['ig', 'pack.json', '--out', 'x'], /^peerkit: ig takes no file argument; use --out <dir>$/],
    ['an unknown option', ['ig', '--out', 'x', '--zip'], /^peerkit: unknown option --zip$/],
  ])('is a usage error (exit 2) with %s', (_name, args, message) => {
    const run = peerkit(args, dir);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(message);
    expect(run.stderr).toContain('usage: peerkit ig --out <dir>');
  });

  it('refuses an --out that is a file', () => {
    writeFileSync(join(dir, 'taken'), 'x');
    const run = peerkit(['ig', '--out', 'taken'], dir);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toBe('peerkit: taken: is a file, not a directory');
  });

  it('prints its help', () => {
    const run = peerkit(['ig', '--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('usage: peerkit ig --out <dir>');
  });
});
