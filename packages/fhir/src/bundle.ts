/**
 * Transaction Bundles: PeerKit resources as FHIR `transaction` Bundles whose entries are written
 * conditionally on their business identifier, so posting the same Bundle twice creates nothing new.
 *
 * See: https://hl7.org/fhir/R4/http.html#transaction (urn:uuid fullUrls, conditional create/update,
 * conditional references).
 */
import type { ClinicRecord, Result } from '@peerkit/model';
import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4';
import type { FhirMappingOptions } from './context';
import { fnv1a64 } from './internal/ids';
import { toFhir } from './to-fhir';

/** Options of {@link toTransactionBundles} and {@link toTransactionBundle}. */
export interface TransactionBundleOptions {
  /**
   * How each entry is written. `conditional-update` (default): `PUT Type?identifier=…` creates the
   * resource or updates the one match. `conditional-create`: `POST` with `ifNoneExist`, never updates.
   */
  method?: 'conditional-update' | 'conditional-create';
  /** Most entries per Bundle (default: all in one Bundle). */
  batchSize?: number;
}

/** The business key a resource is written on: `identifier` (first), or `_tag` for Provenance. */
export function businessKey(resource: FhirResource): { param: 'identifier' | '_tag'; system: string; value: string } | undefined {
  const identifier = (resource as { identifier?: { system?: string; value?: string }[] | { system?: string; value?: string } }).identifier;
  const first = Array.isArray(identifier) ? identifier[0] : identifier;
  if (first?.system !== undefined && first.value !== undefined) return { param: 'identifier', system: first.system, value: first.value };
  const tag = resource.meta?.tag?.[0];
  if (tag?.system !== undefined && tag.code !== undefined) return { param: '_tag', system: tag.system, value: tag.code };
  return undefined;
}

/** The search query of a business key, e.g. `identifier=https%3A%2F%2Fexample.org%2Fx%2Fencounter|enc-1`. */
export function businessQuery(key: { param: string; system: string; value: string }): string {
  return `${key.param}=${encodeURIComponent(key.system)}|${encodeURIComponent(key.value)}`;
}

/** A deterministic `urn:uuid:` for a resource (UUID-shaped hash of its type and business key or id). */
export function deterministicUuid(seed: string): string {
  const hex = fnv1a64(seed) + fnv1a64(`${seed}\u0000`);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The `urn:uuid:` fullUrl of a resource in a transaction: a deterministic hash of its type and
 * business key (or, without one, its `Type/id`), so the same resource always gets the same fullUrl.
 *
 * @param resource - a resource from {@link toFhir}
 * @example
 * resourceUuid(encounter); // 'urn:uuid:…'
 */
export function resourceUuid(resource: FhirResource): string {
  const key = businessKey(resource);
  return deterministicUuid(key ? `${resource.resourceType}|${key.system}|${key.value}` : `${resource.resourceType}/${resource.id ?? ''}`);
}

/**
 * The `request` of a transaction entry: a conditional write on the resource's business key
 * (`PUT Type?identifier=…`, or `POST` with `ifNoneExist` for `conditional-create`), or a plain `POST`
 * when the resource has no business key.
 *
 * @param resource - a resource from {@link toFhir}
 * @param method - see {@link TransactionBundleOptions.method} (default `conditional-update`)
 * @example
 * transactionRequest(encounter); // { method: 'PUT', url: 'Encounter?identifier=…|enc-1' }
 */
export function transactionRequest(
  resource: FhirResource,
  method: NonNullable<TransactionBundleOptions['method']> = 'conditional-update',
): NonNullable<BundleEntry['request']> {
  const key = businessKey(resource);
  if (key === undefined) return { method: 'POST', url: resource.resourceType };
  const query = businessQuery(key);
  return method === 'conditional-update'
    ? { method: 'PUT', url: `${resource.resourceType}?${query}` }
    : { method: 'POST', url: resource.resourceType, ifNoneExist: query };
}

/**
 * A copy of a JSON value (a resource) with every `reference` string replaced where `rewrite`
 * returns a new one; others are kept.
 *
 * @param value - a resource or any part of one (not changed)
 * @param rewrite - the new reference, or undefined to keep it
 * @returns the copy
 * @example
 * rewriteReferences(encounter, (ref) => (ref === 'Patient/1' ? 'Patient/abc' : undefined));
 */
export function rewriteReferences<T>(value: T, rewrite: (reference: string) => string | undefined): T {
  if (Array.isArray(value)) return value.map((item: unknown) => rewriteReferences(item, rewrite)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = key === 'reference' && typeof item === 'string' ? (rewrite(item) ?? item) : rewriteReferences(item, rewrite);
  }
  return out as T;
}

/**
 * The resources in an order where each comes after the resources (of the same set) it refers to:
 * the input order, with a resource's missing dependencies moved just before its first use
 * (depth-first, iterative). A reference cycle is broken where it is met; its members stay together
 * in the input order.
 */
function dependencyOrder<T extends { resource: FhirResource; local: string }>(items: readonly T[], byLocal: ReadonlyMap<string, T>): T[] {
  const out: T[] = [];
  const state = new Map<T, 'open' | 'done'>();
  const dependenciesOf = (item: T): T[] =>
    collectReferences(item.resource).flatMap((reference) => {
      const target = byLocal.get(reference);
      return target === undefined || target === item ? [] : [target];
    });
  for (const root of items) {
    if (state.has(root)) continue;
    const stack: { item: T; deps: T[]; next: number }[] = [{ item: root, deps: dependenciesOf(root), next: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { item: T; deps: T[]; next: number };
      const dep = top.deps[top.next++];
      if (dep === undefined) {
        stack.pop();
        state.set(top.item, 'done');
        out.push(top.item);
      } else if (!state.has(dep)) {
        state.set(dep, 'open');
        stack.push({ item: dep, deps: dependenciesOf(dep), next: 0 });
      }
    }
  }
  return out;
}

/**
 * Every `reference` string in a JSON value (a resource), in document order.
 *
 * @param value - a resource or any part of one
 * @param out - a list to append to (default a new one)
 * @returns the references
 * @example
 * collectReferences(encounter); // ['Patient/1', 'urn:uuid:…']
 */
export function collectReferences(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'reference' && typeof item === 'string') out.push(item);
      else collectReferences(item, out);
    }
  }
  return out;
}

/**
 * Packs resources into transaction Bundles. Within a Bundle, references between its entries become
 * their `urn:uuid` fullUrls; references to a PeerKit resource in another Bundle become conditional
 * references (`Type?identifier=…`), which the server resolves; references to resources PeerKit does
 * not emit (the host's `Patient`) stay as they are. Split into several Bundles, resources are
 * ordered so that each comes after those it refers to; send the Bundles in order: each refers only
 * to resources of earlier ones or its own (a reference cycle longer than a Bundle is the exception).
 * One Bundle (the default) keeps the input order. Input resources are not modified.
 *
 * @param resources - resources from {@link toFhir}
 * @param options - see {@link TransactionBundleOptions}
 * @returns the Bundles, in order
 * @example
 * for (const bundle of toTransactionBundles(resources, { batchSize: 100 })) await client.transaction(bundle);
 */
export function toTransactionBundles(resources: readonly FhirResource[], options: TransactionBundleOptions = {}): Bundle[] {
  const method = options.method ?? 'conditional-update';
  const size = Math.max(1, options.batchSize ?? resources.length);
  const keyed = resources.map((resource) => ({
    resource,
    key: businessKey(resource),
    local: `${resource.resourceType}/${resource.id ?? ''}`,
    uuid: resourceUuid(resource),
  }));
  const byLocal = new Map(keyed.map((k) => [k.local, k]));
  // Split into several Bundles, a resource must come after those it refers to (a conditional
  // reference resolves only to what the server already holds). One Bundle keeps the input order.
  const ordered = size < keyed.length ? dependencyOrder(keyed, byLocal) : keyed;
  const bundles: Bundle[] = [];
  for (let start = 0; start < ordered.length; start += size) {
    const batch = ordered.slice(start, start + size);
    const inBatch = new Set(batch.map((k) => k.local));
    const entry = batch.map(({ resource, uuid }): BundleEntry => {
      const rewritten = rewriteReferences(resource, (reference) => {
        const target = byLocal.get(reference);
        if (!target) return undefined;
        if (inBatch.has(reference)) return target.uuid;
        return target.key ? `${target.resource.resourceType}?${businessQuery(target.key)}` : undefined;
      }) as FhirResource & { id?: string };
      delete rewritten.id;
      return { fullUrl: uuid, resource: rewritten, request: transactionRequest(resource, method) };
    });
    bundles.push({ resourceType: 'Bundle', type: 'transaction', entry });
  }
  return bundles;
}

/**
 * Maps records to FHIR and packs them into one transaction Bundle.
 *
 * @param records - validated records
 * @param options - mapping options and {@link TransactionBundleOptions} (without `batchSize`)
 * @returns the Bundle, with the mapping's issues
 * @example
 * const result = toTransactionBundle(records);
 * if (result.ok) await fetch(`${base}`, { method: 'POST', body: JSON.stringify(result.value) });
 */
export function toTransactionBundle(
  records: readonly ClinicRecord[],
  options: FhirMappingOptions & Omit<TransactionBundleOptions, 'batchSize'> = {},
): Result<Bundle> {
  const mapped = toFhir(records, options);
  if (!mapped.ok) return mapped;
  const [bundle] = toTransactionBundles(mapped.value, options.method === undefined ? {} : { method: options.method });
  return { ok: true, value: bundle ?? { resourceType: 'Bundle', type: 'transaction', entry: [] }, issues: mapped.issues };
}
