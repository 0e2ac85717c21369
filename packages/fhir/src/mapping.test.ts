import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateClinic, parseRecord, type ClinicRecord } from '@peerkit/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromFhir } from './from-fhir';
import { createFhirContext } from './context';
import { toFhir, toFhirRecord } from './to-fhir';

// Synthetic records, one per kind: the examples of docs/clinic-export.md, which a model test validates.
const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'clinic-export.md'), 'utf8');
const examples: ClinicRecord[] = [...doc.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => {
  const parsed = parseRecord(JSON.parse(m[1] ?? ''));
  if (!parsed.ok) throw new Error('docs example is invalid');
  return parsed.value;
});

const goldenDir = join(__dirname, '..', 'test', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

describe('toFhir golden fixtures', () => {
  it('maps the documented examples without issues', () => {
    expect(toFhir(examples).issues).toEqual([]);
  });

  it.each(examples.map((r) => [r.kind, r] as const))('maps the %s example to its golden resources', (kind, record) => {
    // Map in the context of all examples (peers and programs), keep this record's resources.
    const ctx = createFhirContext(examples);
    if (!ctx) throw new Error('no context');
    const own = toFhirRecord(record, ctx);
    const file = join(goldenDir, `${kind}.json`);
    const text = `${JSON.stringify(own, null, 2)}\n`;
    if (update) writeFileSync(file, text);
    expect(existsSync(file), `golden ${kind}.json is missing: UPDATE_GOLDEN=1 npx vitest run`).toBe(true);
    expect(text, `golden ${kind}.json differs: review, then UPDATE_GOLDEN=1 npx vitest run`).toBe(readFileSync(file, 'utf8'));
  });
});

describe('toFhir', () => {
  it('does not mutate its input', () => {
    const { records } = generateClinic({ seed: 5, peers: 10, weeks: 2 });
    const before = JSON.stringify(records);
    toFhir(records);
    expect(JSON.stringify(records)).toBe(before);
  });

  it('is deterministic: same input, same bytes', () => {
    const { records } = generateClinic({ seed: 6, peers: 10, weeks: 2 });
    expect(JSON.stringify(toFhir(records))).toBe(JSON.stringify(toFhir(structuredClone(records))));
  });

  it('leaves lived experience out unless asked', () => {
    const specialist = examples.find((r) => r.kind === 'specialist');
    const hidden = JSON.stringify(toFhir(examples));
    const shown = JSON.stringify(toFhir(examples, { includeLivedExperience: true }));
    expect(specialist?.kind === 'specialist' && specialist.livedExperience.length).toBeGreaterThan(0);
    expect(hidden).not.toContain('lived-experience');
    expect(shown).toContain('/StructureDefinition/lived-experience');
  });

  it('labels resources of a 42 CFR Part 2 program and only those', () => {
    const { records } = generateClinic({ seed: 8, peers: 30, weeks: 2 });
    const result = toFhir(records);
    if (!result.ok) throw new Error('mapping failed');
    const encounters = result.value.filter((r) => r.resourceType === 'Encounter' && r.id?.startsWith('pe-'));
    const part2 = new Set(records.flatMap((r) => (r.kind === 'encounter' && r.programType !== 'mental-health' ? [`pe-${r.id}`] : [])));
    expect(part2.size).toBeGreaterThan(0);
    for (const e of encounters) {
      const labels = e.meta?.security?.map((s) => s.code) ?? [];
      expect(labels).toEqual(part2.has(e.id ?? '') ? ['R', 'SUD', '42CFRPart2', 'NORDSCLCD'] : []);
    }
  });

  it('reports records whose peer is unknown and maps the rest', () => {
    const encounter = examples.find((r) => r.kind === 'encounter');
    if (encounter?.kind !== 'encounter') throw new Error('no example');
    const result = toFhir([...examples, { ...encounter, id: 'enc-2', peerId: 'peer-404' }]);
    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'fhir.unknown-peer', path: [examples.length, 'peerId'] })]);
  });

  it('needs an identifier system', () => {
    const result = toFhir(examples.filter((r) => r.kind !== 'organization'));
    expect(result).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'fhir.no-identifier-system' })] });
    expect(toFhir(examples.filter((r) => r.kind !== 'organization'), { identifierSystem: 'https://example.org/x' }).ok).toBe(true);
  });
});

describe('round trip (property)', () => {
  it('model -> FHIR -> model -> FHIR gives identical bytes for any generated clinic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 12 }), (seed, peers) => {
        const { records } = generateClinic({ seed, peers, weeks: 3 });
        const first = toFhir(records);
        if (!first.ok) return false;
        const back = fromFhir(first.value);
        if (!back.ok || back.issues.some((i) => i.severity === 'error' || i.code.startsWith('fhir.'))) return false;
        const second = toFhir(back.value);
        return second.ok && JSON.stringify(second.value) === JSON.stringify(first.value);
      }),
      { numRuns: 25 },
    );
  });
});
