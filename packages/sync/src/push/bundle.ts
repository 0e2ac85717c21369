/** Building the Bundle (transaction or batch) for a batch of entries. */
import type { Bundle, BundleEntry } from 'fhir/r4';
import { isConditionalReference, rewriteReferences } from '../internal/references';
import { KNOWN_LIMIT, type PushContext } from './context';
import type { Loaded } from './queue';

/**
 * The Bundle for a batch: references to confirmed entries become their `Type/id` on the server;
 * references to pending entries travelling in the same Bundle become their `fullUrl`; conditional
 * references to resources outside the sync that the run already looked up become their `Type/id`.
 *
 * @param ctx - the run: its outbox resolves references to its entries, `known` the looked-up ones
 * @param batch - the entries, in order
 * @param type - `transaction` (the default) or `batch`
 * @returns the Bundle
 */
export function bundleOf(ctx: Pick<PushContext, 'outbox' | 'known' | 'located'>, batch: readonly Loaded[], type: 'transaction' | 'batch' = 'transaction'): Bundle {
  const { outbox, known, located } = ctx;
  const fullUrlOf = new Map<string, string>();
  for (const { entry } of batch) if (entry.fullUrl !== undefined) fullUrlOf.set(entry.key, entry.fullUrl);
  const entry: BundleEntry[] = batch.map(({ entry: e }) => {
    const resource =
      e.resource === undefined
        ? undefined
        : rewriteReferences(e.resource, (reference) => {
            if (!reference.startsWith('urn:') && !isConditionalReference(reference)) return undefined;
            const cached = located.get(reference);
            if (cached !== undefined) return cached;
            const found = outbox.resolve(reference);
            if (found?.state === 'confirmed') {
              if (located.size >= KNOWN_LIMIT) located.clear();
              located.set(reference, found.location);
              return found.location;
            }
            if (found?.state === 'pending') return fullUrlOf.get(found.key);
            return found === undefined ? known.get(reference) : undefined;
          });
    return {
      ...(e.fullUrl === undefined ? {} : { fullUrl: e.fullUrl }),
      ...(resource === undefined ? {} : { resource }),
      request: e.request,
    };
  });
  return { resourceType: 'Bundle', type, entry };
}
