/**
 * The shipped profile pack itself: what it holds, that its terminology is the model's code lists
 * (a drift fails here), and that it is exactly what SUSHI builds offline from fsh/ now (a stale pack
 * fails here: run `npm run build:profiles`).
 */
import { readFileSync } from 'node:fs';
import type { CodeSystem, ElementDefinition, StructureDefinition, ValueSet } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { buildProfilePack, PATHS, serializePack } from '../scripts/build-profile-pack.mjs';
import { CODE_SYSTEMS, renderTerminologyFsh } from '../scripts/terminology.mjs';
import { CANONICAL, indexPack, loadIntoMedplum, medplumErrors, readShippedPack, Terminology } from './profile-pack/harness';

const bundle = readShippedPack();
const pack = indexPack(bundle);
const resources = (bundle.entry ?? []).map((e) => e.resource);

describe('the shipped pack', () => {
  it('is a collection Bundle of an ImplementationGuide, CodeSystems, ValueSets and StructureDefinitions', () => {
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('collection');
    expect(new Set(resources.map((r) => r?.resourceType))).toEqual(
      new Set(['ImplementationGuide', 'CodeSystem', 'ValueSet', 'StructureDefinition']),
    );
    expect(pack.profiles.size).toBeGreaterThanOrEqual(18);
    expect(pack.extensions.size).toBeGreaterThanOrEqual(30);
  });

  it('puts every canonical under https://peerkit.dev/fhir/<type>/<id>, fullUrl = url, version = the IG version', () => {
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource as { resourceType: string; id: string; url: string; version: string };
      expect(r.url).toBe(`${CANONICAL}/${r.resourceType}/${r.id}`);
      expect(entry.fullUrl).toBe(r.url);
      expect(r.version).toBe(pack.implementationGuide.version);
    }
  });

  it.each([
    'peerkit-encounter',
    'peerkit-group-session-encounter',
    'peerkit-recovery-plan',
    'peerkit-recovery-goal',
    'peerkit-specialist-role',
    'peerkit-specialist',
    'peerkit-consent',
    'peerkit-service-consent',
    'peerkit-referral',
    'peerkit-referral-task',
    'peerkit-progress-note',
    'peerkit-group-note',
    'peerkit-peer-service',
    'peerkit-group',
    'peerkit-signature',
    'peerkit-program',
    'peerkit-program-enrollment',
    'peerkit-coverage',
    'peerkit-organization',
  ])('ships profile %s on an R4 base resource, with a snapshot', (id) => {
    const sd = pack.profiles.get(`${CANONICAL}/StructureDefinition/${id}`);
    expect(sd?.derivation).toBe('constraint');
    expect(sd?.fhirVersion).toBe('4.0.1');
    expect(sd?.baseDefinition).toBe(`http://hl7.org/fhir/StructureDefinition/${sd?.type}`);
    expect(sd?.snapshot?.element.length).toBeGreaterThan(sd?.differential?.element.length ?? 0);
  });

  it('holds only valid FHIR R4 resources (Medplum validateResource: zero errors)', () => {
    loadIntoMedplum(pack);
    const errors = resources.flatMap((r) => (r ? medplumErrors(r).map((f) => `${r.resourceType}/${r.id} ${f.path}: ${f.message}`) : []));
    expect(errors).toEqual([]);
  }, 60_000);

  it('ships every extension with a snapshot and a context', () => {
    for (const sd of pack.extensions.values()) {
      expect(sd.snapshot?.element[0]?.path, sd.url).toBe('Extension');
      expect(sd.context?.length, sd.url).toBeGreaterThan(0);
    }
  });

  it('lists every CodeSystem, ValueSet and StructureDefinition in the ImplementationGuide', () => {
    const listed = (pack.implementationGuide.definition?.resource ?? []).map((r) => r.reference.reference).sort();
    const shipped = resources
      .filter((r) => r && r.resourceType !== 'ImplementationGuide')
      .map((r) => `${r?.resourceType}/${r?.id}`)
      .sort();
    expect(listed).toEqual(shipped);
    expect(pack.implementationGuide.fhirVersion).toEqual(['4.0.1']);
    expect(pack.implementationGuide.dependsOn).toBeUndefined();
  });

  it('binds every coded element of a profile or extension to a ValueSet that exists (PeerKit) or is named with its source', () => {
    const bound: { where: string; element: ElementDefinition }[] = [];
    for (const sd of [...pack.profiles.values(), ...pack.extensions.values()]) {
      for (const element of sd.snapshot?.element ?? []) {
        if (element.binding?.valueSet) bound.push({ where: `${sd.id} ${element.id}`, element });
      }
    }
    const terminology = new Terminology(pack, false);
    for (const { where, element } of bound) {
      const url = element.binding?.valueSet?.split('|')[0] ?? '';
      if (!url.startsWith(`${CANONICAL}/`)) continue;
      expect(pack.valueSets.has(url), where).toBe(true);
      expect(terminology.expand(url)?.size ?? 0, where).toBeGreaterThan(0);
    }
    expect(bound.filter((b) => b.element.binding?.valueSet?.startsWith(CANONICAL) && b.element.binding.strength === 'required').length).toBeGreaterThan(20);
  });
});

describe('PeerKit CodeSystems and the model code lists', () => {
  it.each(CODE_SYSTEMS.map((spec) => [spec.id, spec] as const))('%s has exactly the codes and labels of the model, in order', (id, spec) => {
    const cs = pack.codeSystems.get(`${CANONICAL}/CodeSystem/${id}`) as CodeSystem;
    expect(cs.content).toBe('complete');
    expect(cs.caseSensitive).toBe(true);
    expect((cs.concept ?? []).map((c) => ({ code: c.code, label: c.display }))).toEqual(spec.concepts().map((c) => ({ code: c.code, label: c.label })));
    const vs = pack.valueSets.get(`${CANONICAL}/ValueSet/${id}`) as ValueSet;
    expect(vs.compose?.include).toEqual([{ system: cs.url }]);
  });

  it('ships no PeerKit CodeSystem the model does not define', () => {
    expect([...pack.codeSystems.keys()].sort()).toEqual(CODE_SYSTEMS.map((s) => `${CANONICAL}/CodeSystem/${s.id}`).sort());
  });

  it('terminology.generated.fsh is what the model code lists generate', () => {
    expect(readFileSync(PATHS.terminologyFsh, 'utf8')).toBe(renderTerminologyFsh());
  });
});

describe('building the pack', () => {
  it('SUSHI rebuilds exactly the shipped pack from fsh/, offline, with no error or unexpected warning', async () => {
    const build = await buildProfilePack({ quiet: true });
    expect(build.errors).toEqual([]);
    expect(build.warnings).toEqual([]);
    // SUSHI asked only for the automatic dependencies it adds to every R4 project (refused, unneeded).
    expect(build.refusedNetwork.sort()).toEqual([
      'resolve hl7.fhir.uv.extensions.r4#latest',
      'resolve hl7.fhir.uv.tools.r4#latest',
      'resolve hl7.terminology.r4#latest',
    ]);
    expect(serializePack(build.bundle)).toBe(readFileSync(PATHS.pack, 'utf8'));
  }, 600_000); // SUSHI takes about a minute alone; several times that on a loaded 2-core machine

  it('is exported as @peerkit/fhir/profile-pack.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, unknown>;
      files: string[];
    };
    expect(manifest.exports['./profile-pack.json']).toBe('./profile-pack.json');
    expect(manifest.files).toContain('profile-pack.json');
  });
});

describe('profiles carry US Core 9.0.0 rules with their source', () => {
  const element = (profile: string, id: string): ElementDefinition | undefined =>
    (pack.profiles.get(`${CANONICAL}/StructureDefinition/${profile}`) as StructureDefinition).snapshot?.element.find((e) => e.id === id);

  it.each([
    ['peerkit-encounter', 'Encounter.type', 1, 'US Core 9.0.0 Encounter.type'],
    ['peerkit-encounter', 'Encounter.identifier.system', 1, 'US Core 9.0.0 Encounter.identifier.system'],
    ['peerkit-encounter', 'Encounter.subject', 1, 'US Core 9.0.0 Encounter.subject'],
    ['peerkit-recovery-plan', 'CarePlan.category', 1, 'US Core 9.0.0 CarePlan.category'],
    ['peerkit-recovery-goal', 'Goal.lifecycleStatus', 1, 'US Core 9.0.0 Goal.lifecycleStatus'],
    ['peerkit-specialist-role', 'PractitionerRole.practitioner', 1, 'US Core 9.0.0 PractitionerRole.practitioner'],
    ['peerkit-progress-note', 'DocumentReference.type', 1, 'US Core 9.0.0 DocumentReference.type'],
    ['peerkit-progress-note', 'DocumentReference.subject', 1, 'US Core 9.0.0 DocumentReference.subject'],
    ['peerkit-referral', 'ServiceRequest.code', 1, 'US Core 9.0.0 ServiceRequest.code'],
    ['peerkit-signature', 'Provenance.recorded', 1, 'US Core 9.0.0 Provenance.recorded'],
  ])('%s %s is must-support, min %i, citing %s', (profile, id, min, citation) => {
    const e = element(profile, id);
    expect(e?.mustSupport).toBe(true);
    expect(e?.min).toBeGreaterThanOrEqual(min);
    expect(e?.requirements).toContain(citation);
  });

  it.each([
    ['peerkit-specialist-role', 'us-core-13', 'PractitionerRole'],
    ['peerkit-progress-note', 'us-core-6', 'DocumentReference.content.attachment'],
    ['peerkit-group-note', 'us-core-6', 'DocumentReference.content.attachment'],
  ])('%s carries the US Core invariant %s on %s', (profile, key, id) => {
    expect(element(profile, id)?.constraint?.some((c) => c.key === key && c.severity === 'error')).toBe(true);
  });
});
