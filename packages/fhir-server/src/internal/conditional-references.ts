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

/** A conditional reference in a resource: the object holding it, its value and its location. */
interface ConditionalReference {
  holder: Record<string, unknown>;
  reference: string;
  path: string;
}

/**
 * Collects the conditional references under `value` (`reference` strings of the form `Type?…`),
 * depth first in key order. `trail` holds the keys and array indexes down to `value`; a location
 * string is only built for the references found, not for every element walked.
 */
function collectConditionalReferences(
  value: unknown,
  root: string,
  trail: (string | number)[],
  found: ConditionalReference[],
): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      trail.push(i);
      collectConditionalReferences(value[i], root, trail, found);
      trail.pop();
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const item = object[key];
    if (key === 'reference' && typeof item === 'string') {
      if (!CONDITIONAL_REFERENCE.test(item)) continue;
      const path = trail.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
      found.push({ holder: object, reference: item, path: `${root}${path}.reference` });
    } else if (item !== null && typeof item === 'object') {
      trail.push(key);
      collectConditionalReferences(item, root, trail, found);
      trail.pop();
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
    const found: ConditionalReference[] = [];
    collectConditionalReferences(resource, `Bundle.entry[${index}].resource`, [], found);
    for (const { holder, reference, path } of found) {
      let ids = cache.get(reference);
      if (ids === undefined) {
        const search = parseSearchRequest(reference);
        search.count = 2;
        ids = (await repo.searchResources(search)).map((r) => `${r.resourceType}/${r.id}`);
        cache.set(reference, ids);
      }
      if (ids.length === 1) {
        holder.reference = ids[0] as string;
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
