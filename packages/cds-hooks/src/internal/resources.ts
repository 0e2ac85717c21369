/** Small readers over plain FHIR JSON: bundles flattened, codings, references. */
import type { Coding } from 'fhir/r4';

/** A FHIR resource as plain JSON (what prefetch and the hooks read). */
export type FhirJson = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is FhirJson => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The resources of a prefetch value: a Bundle's entries, a resource, or an array of either; never throws. */
export function flattenResources(value: unknown): FhirJson[] {
  if (Array.isArray(value)) return value.flatMap(flattenResources);
  if (!isObject(value) || typeof value.resourceType !== 'string') return [];
  if (value.resourceType !== 'Bundle') return [value];
  const entries = Array.isArray(value.entry) ? value.entry : [];
  return entries.flatMap((entry: unknown) => (isObject(entry) ? flattenResources(entry.resource) : []));
}

/** The resources of one type. */
export function ofType(resources: readonly FhirJson[], type: string): FhirJson[] {
  return resources.filter((r) => r.resourceType === type);
}

/** Every coding of a CodeableConcept or a list of them. */
export function codings(concept: unknown): Coding[] {
  if (Array.isArray(concept)) return concept.flatMap(codings);
  if (!isObject(concept)) return [];
  if (typeof concept.code === 'string') return [concept as Coding];
  return Array.isArray(concept.coding) ? concept.coding.filter((c: unknown): c is Coding => isObject(c) && typeof c.code === 'string') : [];
}

/** `true` when a concept holds one of the codes (system and code equal). */
export function hasCode(concept: unknown, codes: readonly { readonly system: string; readonly code: string }[]): boolean {
  return codings(concept).some((c) => codes.some((k) => k.system === c.system && k.code === c.code));
}

/** A reference's `reference` string, if it has one. */
export function referenceOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.reference === 'string' ? value.reference : undefined;
}

/** `true` when a reference names the patient (`Patient/<id>`, absolute or relative). */
export function refersTo(value: unknown, target: string): boolean {
  const reference = referenceOf(value);
  return reference !== undefined && (reference === target || reference.endsWith(`/${target}`));
}

/** A string field of a resource, or `undefined`. */
export function text(resource: FhirJson, field: string): string | undefined {
  const value = resource[field];
  return typeof value === 'string' ? value : undefined;
}

export { isObject };
