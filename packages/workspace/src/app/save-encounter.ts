/**
 * Saving a recorded encounter through the library: validated by the model, mapped to FHIR with its
 * security labels, written with the launch's token (`PUT` of each resource at its PeerKit id, so a
 * retried save writes the same resources again instead of duplicates).
 */
import type { Issue, PeerEncounter, Result } from '@peerkit/model';
import { labelsOf, toEncounterResources, validateEncounter, type DraftContext, type EncounterFormValues } from './encounter-draft';

/** What the workspace asks the FHIR server to write. */
export interface FhirWriter {
  /** `PUT [base]/<type>/<id>`; resolves to the stored resource, rejects on an HTTP error. */
  update(resource: { resourceType: string; id?: string | undefined }): Promise<unknown>;
}

/** A saved encounter: the record and the `Type/id` of each resource written. */
export interface SavedEncounter {
  readonly encounter: PeerEncounter;
  readonly written: readonly string[];
  readonly labels: ReturnType<typeof labelsOf>;
}

/**
 * Validates, maps and writes. Validation issues come back as a failed result (nothing written); a
 * server error rejects with it, naming the resource type that failed.
 */
export async function saveEncounter(writer: FhirWriter, values: EncounterFormValues, context: DraftContext): Promise<Result<SavedEncounter>> {
  const validated = validateEncounter(values, context);
  if (!validated.ok) return { ok: false, issues: validated.issues };
  const mapped = toEncounterResources(validated.value, context.record);
  if (!mapped.ok) return { ok: false, issues: mapped.issues };
  const written: string[] = [];
  for (const resource of mapped.value) {
    try {
      await writer.update(resource);
    } catch (error) {
      const status = (error as { status?: number }).status;
      throw new Error(`The server did not save the ${resource.resourceType}${status === undefined ? '' : ` (HTTP ${status})`}`, { cause: error });
    }
    written.push(`${resource.resourceType}/${resource.id ?? ''}`);
  }
  const warnings: Issue[] = validated.issues;
  return { ok: true, value: { encounter: validated.value, written, labels: labelsOf(mapped.value) }, issues: warnings };
}
