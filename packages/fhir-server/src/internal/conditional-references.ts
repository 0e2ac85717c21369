import { parseSearchRequest } from '@medplum/core';
import type { FhirRepository } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, OperationOutcome } from '@medplum/fhirtypes';

/** `Type?params`: a conditional reference. See: https://hl7.org/fhir/R4/http.html#trules */
const CONDITIONAL_REFERENCE = /^[A-Z][A-Za-z]+\?./;

function failure(status: 400 | 412, code: 'not-found' | 'multiple-matches', text: string, expression: string): BundleEntry {
  const outcome: OperationOutcome = {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, details: { text }, expression: [expression] }],
  };
  return { response: { status: String(status), outcome } };
}

/** Every `reference` string in a resource, with a setter and its FHIRPath-like location. */
function* references(value: unknown, path: string): Generator<{ reference: string; set: (r: string) => void; path: string }> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* references(value[i], `${path}[${i}]`);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  for (const [key, item] of Object.entries(object)) {
    if (key === 'reference' && typeof item === 'string') {
      yield { reference: item, set: (r) => (object[key] = r), path: `${path}.reference` };
    } else {
      yield* references(item, `${path}.${key}`);
    }
  }
}

/** What {@link resolveConditionalReferences} leaves for the engine and the entries it failed. */
export interface ResolvedTransaction {
  /** The Bundle without the failed entries (references resolved in place). */
  bundle: Bundle;
  /** Original index of each entry of `bundle`. */
  kept: number[];
  /** Response entries of the failed entries, by original index. */
  failed: Map<number, BundleEntry>;
  /** Number of entries in the original Bundle. */
  size: number;
}

/**
 * Resolves the conditional references (`Patient?identifier=…`) of a transaction Bundle's
 * resources against the repository, as FHIR R4 asks of a server: exactly one match replaces the
 * reference with `Type/id`; none or several fail the entry (this server applies transactions entry
 * by entry, so the other entries still run). Medplum's engine only resolves `urn:uuid:` references,
 * so this runs before it.
 *
 * See: https://hl7.org/fhir/R4/http.html#trules ("Conditional References")
 */
export async function resolveConditionalReferences(bundle: Bundle, repo: FhirRepository): Promise<ResolvedTransaction> {
  const entries = bundle.entry ?? [];
  const failed = new Map<number, BundleEntry>();
  const cache = new Map<string, string[]>();
  for (let index = 0; index < entries.length; index++) {
    const resource = entries[index]?.resource;
    if (resource === undefined) continue;
    for (const { reference, set, path } of references(resource, `Bundle.entry[${index}].resource`)) {
      if (!CONDITIONAL_REFERENCE.test(reference)) continue;
      let ids = cache.get(reference);
      if (ids === undefined) {
        const search = parseSearchRequest(reference);
        search.count = 2;
        ids = (await repo.searchResources(search)).map((r) => `${r.resourceType}/${r.id}`);
        cache.set(reference, ids);
      }
      if (ids.length === 1) {
        set(ids[0] as string);
        continue;
      }
      failed.set(
        index,
        ids.length === 0
          ? failure(400, 'not-found', 'Conditional reference matched no resource', path)
          : failure(412, 'multiple-matches', 'Conditional reference matched several resources', path),
      );
      break;
    }
  }
  const kept = entries.map((_, i) => i).filter((i) => !failed.has(i));
  return {
    bundle: failed.size === 0 ? bundle : { ...bundle, entry: kept.map((i) => entries[i] as BundleEntry) },
    kept,
    failed,
    size: entries.length,
  };
}

/** Puts the failed entries back in their places in the engine's response Bundle. */
export function mergeResponse(resolved: ResolvedTransaction, response: Bundle | undefined): Bundle {
  if (resolved.failed.size === 0 && response !== undefined) return response;
  const entry: BundleEntry[] = new Array<BundleEntry>(resolved.size);
  resolved.kept.forEach((original, i) => {
    entry[original] = response?.entry?.[i] ?? {};
  });
  for (const [index, failure] of resolved.failed) entry[index] = failure;
  return { resourceType: 'Bundle', type: 'transaction-response', entry };
}
