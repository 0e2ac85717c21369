/** Building the Bundle (transaction or batch) for a batch of entries. */
import type { Bundle, BundleEntry } from 'fhir/r4';
import { isConditionalReference, rewriteReferences } from '../internal/references';
import type { Outbox } from '../outbox';
import type { Loaded } from './queue';

/**
 * The Bundle for a batch: references to confirmed entries become their `Type/id` on the server;
 * references to pending entries travelling in the same Bundle become their `fullUrl`.
 *
 * @param outbox - resolves references to the outbox's entries
 * @param batch - the entries, in order
 * @param type - `transaction` (the default) or `batch`
 * @returns the Bundle
 */
export function bundleOf(outbox: Outbox, batch: readonly Loaded[], type: 'transaction' | 'batch' = 'transaction'): Bundle {
  const fullUrlOf = new Map<string, string>();
  for (const { entry } of batch) if (entry.fullUrl !== undefined) fullUrlOf.set(entry.key, entry.fullUrl);
  const entry: BundleEntry[] = batch.map(({ entry: e }) => {
    const resource =
      e.resource === undefined
        ? undefined
        : rewriteReferences(e.resource, (reference) => {
            if (!reference.startsWith('urn:') && !isConditionalReference(reference)) return undefined;
            const found = outbox.resolve(reference);
            if (found?.state === 'confirmed') return found.location;
            if (found?.state === 'pending') return fullUrlOf.get(found.key);
            return undefined;
          });
    return {
      ...(e.fullUrl === undefined ? {} : { fullUrl: e.fullUrl }),
      ...(resource === undefined ? {} : { resource }),
      request: e.request,
    };
  });
  return { resourceType: 'Bundle', type, entry };
}
