/**
 * The PeerKit profiles against resources: hand-written examples (valid and deliberately broken) and
 * every resource `toFhir` emits for a generated 200-peer clinic, validated with Medplum (R4 base and
 * the profile in meta.profile) and with the harness's own binding, code, extension and invariant
 * checks (see test/profile-pack/harness.ts).
 */
import { generateClinic } from '@peerkit/model';
import type { Resource } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { toFhir } from '../src/index';
import { BROKEN_CASES, MORE_VALID, VALID_EXAMPLES } from './profile-pack/examples';
import {
  CANONICAL,
  checkResource,
  indexPack,
  loadIntoMedplum,
  medplumErrors,
  medplumProfileErrors,
  readShippedPack,
  Terminology,
} from './profile-pack/harness';

const pack = indexPack(readShippedPack());
let terminology: Terminology;

beforeAll(() => {
  loadIntoMedplum(pack);
  terminology = new Terminology(pack);
});

const profileUrl = (id: string): string => `${CANONICAL}/StructureDefinition/${id}`;

/** Findings grouped by resource type, profile, check, path and message, with a count and a sample id. */
function summarize(resources: readonly Resource[]): string[] {
  const groups = new Map<string, { n: number; sample: string }>();
  for (const resource of resources) {
    for (const f of checkResource(resource, pack, terminology)) {
      const profile = resource.meta?.profile?.[0]?.split('/').pop() ?? '(none)';
      const key = `${resource.resourceType} [${profile}] ${f.check} ${f.path}: ${f.message}`;
      const group = groups.get(key) ?? { n: 0, sample: resource.id ?? '' };
      group.n += 1;
      groups.set(key, group);
    }
  }
  return [...groups].map(([key, { n, sample }]) => `${key} (${n}x, e.g. ${sample})`).sort();
}

describe('hand-written examples', () => {
  it('cover every profile of the pack', () => {
    expect(Object.keys(VALID_EXAMPLES).map(profileUrl).sort()).toEqual([...pack.profiles.keys()].sort());
  });

  it.each(Object.entries(VALID_EXAMPLES))('%s example conforms to R4 and its profile', (id, resource) => {
    expect(resource.meta?.profile).toEqual([profileUrl(id)]);
    expect(checkResource(resource, pack, terminology)).toEqual([]);
  });

  it.each(MORE_VALID)('$name conforms', ({ resource }) => {
    expect(checkResource(resource, pack, terminology)).toEqual([]);
  });

  it.each(BROKEN_CASES)('rejects: $name', ({ profile, breakIt, expect: expected }) => {
    const example = VALID_EXAMPLES[profile];
    if (!example) throw new Error(`no example for ${profile}`);
    const broken = structuredClone(example) as unknown as Record<string, unknown>;
    breakIt(broken);
    const findings = checkResource(broken as unknown as Resource, pack, terminology);
    const caught = findings.some((f) => f.check === expected.check && `${f.path} ${f.message}`.includes(expected.where));
    expect(caught, `expected a ${expected.check} finding about ${expected.where}, got ${JSON.stringify(findings, null, 1)}`).toBe(true);
  });

  it('does not change the examples it checks', () => {
    const before = JSON.stringify(VALID_EXAMPLES);
    for (const resource of Object.values(VALID_EXAMPLES)) checkResource(resource, pack, terminology);
    expect(JSON.stringify(VALID_EXAMPLES)).toBe(before);
  });
});

describe('medplumProfileErrors', () => {
  it("reports exactly what Medplum's validateResource(resource, { profile }) reports", () => {
    const resources: Resource[] = [...Object.values(VALID_EXAMPLES), ...MORE_VALID.map((m) => m.resource)];
    for (const c of BROKEN_CASES) {
      const broken = structuredClone(VALID_EXAMPLES[c.profile]) as unknown as Record<string, unknown>;
      c.breakIt(broken);
      resources.push(broken as unknown as Resource);
    }
    let withErrors = 0;
    for (const resource of resources) {
      const url = resource.meta?.profile?.[0];
      const profile = url === undefined ? undefined : pack.profiles.get(url);
      if (!url || !profile) continue;
      const official = medplumErrors(resource, profile);
      expect(medplumProfileErrors(resource, url)).toEqual(official);
      if (official.length > 0) withErrors += 1;
    }
    expect(withErrors).toBeGreaterThan(10);
  });
});

describe('Terminology (binding check)', () => {
  it.each([
    ['a generated all-codes ValueSet', `${CANONICAL}/ValueSet/modality`, `${CANONICAL}/CodeSystem/modality|audio-only`, 3],
    ['a combined ValueSet', `${CANONICAL}/ValueSet/specialist-role-code`, 'http://nucc.org/provider-taxonomy|175T00000X', 5],
    ['a ValueSet including another', `${CANONICAL}/ValueSet/group-note-type`, 'http://loinc.org|34904-3', 5],
    ['an R4 core ValueSet (version ignored)', 'http://hl7.org/fhir/ValueSet/request-status|4.0.1', 'http://hl7.org/fhir/request-status|revoked', 7],
  ])('expands %s', (_name, url, member, size) => {
    const expansion = terminology.expand(url);
    expect(expansion?.has(member)).toBe(true);
    expect(expansion?.size).toBe(size);
  });

  it.each([
    ['a ValueSet it does not know (US Core)', 'http://hl7.org/fhir/us/core/ValueSet/us-core-narrative-status'],
    ['a ValueSet defined by a filter (SNOMED CT is-a)', 'http://hl7.org/fhir/ValueSet/clinical-findings'],
    ['a ValueSet over a CodeSystem it does not hold (LOINC)', 'http://hl7.org/fhir/ValueSet/observation-codes'],
  ])('does not guess for %s', (_name, url) => {
    expect(terminology.expand(url)).toBeUndefined();
  });
});

describe('resources emitted by toFhir for generateClinic({ seed: 7, peers: 200 })', () => {
  const clinic = generateClinic({ seed: 7, peers: 200 });

  it('all validate against R4 base and the profile in their meta.profile, and pass the binding check', () => {
    const result = toFhir(clinic.records);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.length).toBeGreaterThan(5000);
    expect(summarize(result.value)).toEqual([]);
  }, 900_000); // ~10 s alone; a CI run at load 18 took 329 s

  it('also with lived experience exported (opt-in): the specialists conform', () => {
    const result = toFhir(clinic.records, { includeLivedExperience: true });
    if (!result.ok) throw new Error('mapping failed');
    const practitioners = result.value.filter((r) => r.resourceType === 'Practitioner');
    expect(practitioners.some((p) => JSON.stringify(p).includes('/lived-experience'))).toBe(true);
    expect(summarize(practitioners)).toEqual([]);
  }, 60_000);

  it('use every profile of the pack, and only those', () => {
    const result = toFhir(clinic.records);
    if (!result.ok) throw new Error('mapping failed');
    const claimed = new Set(result.value.flatMap((r) => r.meta?.profile ?? []));
    expect([...claimed].sort()).toEqual([...pack.profiles.keys()].sort());
  }, 60_000);

  it('use every extension of the pack (lived experience opt-in)', () => {
    const result = toFhir(clinic.records, { includeLivedExperience: true });
    if (!result.ok) throw new Error('mapping failed');
    const text = JSON.stringify(result.value);
    const unused = [...pack.extensions.keys()].filter((url) => !text.includes(`"${url}"`));
    expect(unused).toEqual([]);
  }, 60_000);
});

describe('summary of findings', () => {
  it('groups findings so a failure names the element and the resource', () => {
    const broken = structuredClone(VALID_EXAMPLES['peerkit-group']) as unknown as Record<string, unknown>;
    broken.type = 'animal';
    const lines = summarize([broken as unknown as Resource]);
    expect(lines.some((l) => l.startsWith('Group [peerkit-group] profile Group.type') && l.includes('e.g. grp-grp-1'))).toBe(true);
  });
});
