/**
 * Pull: fetch the resources that changed on the server since a time, and tell which of them
 * changed under a local edit (a version conflict).
 */
import { fromFhir, type FromFhirOptions } from '@peerkit/fhir';
import type { ClinicRecord, Result } from '@peerkit/model';
import type { Bundle, Resource } from 'fhir/r4';
import { SYNC_ERROR_CODES, SyncError } from './errors';
import { backoffDelay, createRetryPolicy, serverDelay, type RetryOptions } from './retry';
import type { FhirReply, FhirTransport } from './transport';

/** Options of {@link pull}. */
export interface PullOptions {
  /** The server. */
  transport: FhirTransport;
  /** Resource types to fetch, e.g. `['Encounter', 'CarePlan']`. */
  types: readonly string[];
  /** Only resources changed after this instant (ISO 8601, e.g. the end of the last pull). */
  since: string;
  /** Extra search parameters per type (e.g. `{ Encounter: 'identifier=https://clinic.example/encounter|' }`). */
  filters?: Readonly<Record<string, string>>;
  /**
   * Versions local edits are based on: `Type/id` → the `meta.versionId` the local copy was read at.
   * A pulled resource listed here with another version is reported as a conflict.
   */
  baseVersions?: ReadonlyMap<string, string>;
  /** Page size (`_count`). Default 100. */
  pageSize?: number;
  /** Retries of a failed page; see {@link RetryOptions}. */
  retry?: RetryOptions;
  /** Stops the pull. */
  signal?: AbortSignal;
}

/** A local edit the server's copy moved past. */
export interface PullConflict {
  /** `Type/id`. */
  reference: string;
  /** The version the local edit is based on. */
  baseVersion: string;
  /** The server's current version. */
  serverVersion: string | undefined;
}

/** What a pull fetched. */
export interface PullResult {
  /** The changed resources, by type in the order of `types`, each type oldest change first. */
  resources: Resource[];
  /** Resources that changed on the server since the version a local edit is based on. */
  conflicts: PullConflict[];
  /** The newest `meta.lastUpdated` seen (the next pull's `since`), or `since` when nothing changed. */
  until: string;
  /** Pages fetched. */
  requests: number;
}

/**
 * Fetches every resource of `types` changed since `since` (`_lastUpdated=gt…`, sorted by
 * `_lastUpdated`), following `next` links, retrying failed pages like a push does. Resources whose
 * `Type/id` is in `baseVersions` with another `versionId` are also reported as conflicts: write
 * those back with `If-Match` (an outbox entry's `request.ifMatch`), and the server refuses the
 * write (412) if it moved again. Map the resources back with `@peerkit/fhir`'s `fromFhir`.
 *
 * @param options - server, types and time; see {@link PullOptions}
 * @returns the resources, conflicts and the `until` to use as the next `since`
 * @throws SyncError (`sync.invalid-option`) for a bad `since`; the last failure's reason when a page
 *   keeps failing
 * @example
 * const { resources, conflicts, until } = await pull({ transport, types: ['Encounter'], since: lastPull });
 *
 * See: https://hl7.org/fhir/R4/search.html#lastUpdated, https://hl7.org/fhir/R4/http.html#concurrency
 */
export async function pull(options: PullOptions): Promise<PullResult> {
  if (Number.isNaN(Date.parse(options.since))) {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'since must be an ISO 8601 instant');
  }
  const policy = createRetryPolicy(options.retry);
  const pageSize = options.pageSize ?? 100;
  const resources: Resource[] = [];
  const conflicts: PullConflict[] = [];
  let until = options.since;
  let requests = 0;

  const page = async (url: string): Promise<Bundle> => {
    for (let attempt = 1; ; attempt++) {
      const reply: FhirReply<Bundle> = await options.transport.get<Bundle>(url, options.signal === undefined ? {} : { signal: options.signal });
      requests++;
      if (reply.kind === 'response' && reply.status === 200 && reply.body?.resourceType === 'Bundle') return reply.body as Bundle;
      const retryable = reply.kind !== 'response' || reply.status === 429 || reply.status === 408 || reply.status >= 500;
      if (!retryable || attempt >= policy.maxAttempts) {
        const what = reply.kind === 'response' ? `HTTP ${reply.status}` : reply.kind === 'network' ? reply.code : 'timeout';
        throw new SyncError(SYNC_ERROR_CODES.serverUnavailable, `pull: the server did not answer a search (${what})`);
      }
      const hint = reply.kind === 'response' ? serverDelay(reply.headers, Date.now()) : undefined;
      await new Promise((resolve) => setTimeout(resolve, Math.min(hint ?? backoffDelay(attempt, policy), policy.maxServerDelayMs)));
    }
  };

  for (const type of options.types) {
    const filter = options.filters?.[type];
    let url: string | undefined =
      `${type}?_lastUpdated=gt${encodeURIComponent(options.since)}&_sort=_lastUpdated&_count=${pageSize}${filter === undefined ? '' : `&${filter}`}`;
    const seen = new Set<string>();
    while (url !== undefined) {
      const bundle = await page(url);
      for (const entry of bundle.entry ?? []) {
        const resource = entry.resource;
        if (resource?.id === undefined || (entry.search?.mode !== undefined && entry.search.mode !== 'match')) continue;
        const reference = `${resource.resourceType}/${resource.id}`;
        if (seen.has(reference)) continue;
        seen.add(reference);
        resources.push(resource);
        const lastUpdated = resource.meta?.lastUpdated;
        if (lastUpdated !== undefined && Date.parse(lastUpdated) > Date.parse(until)) until = lastUpdated;
        const baseVersion = options.baseVersions?.get(reference);
        if (baseVersion !== undefined && baseVersion !== resource.meta?.versionId) {
          conflicts.push({ reference, baseVersion, serverVersion: resource.meta?.versionId });
        }
      }
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      url = next !== undefined && (bundle.entry?.length ?? 0) > 0 ? next : undefined;
    }
  }
  return { resources, conflicts, until, requests };
}

/** What {@link pullRecords} fetched: the records rebuilt with `@peerkit/fhir`'s `fromFhir`. */
export interface PullRecordsResult extends Omit<PullResult, 'resources'> {
  /** The rebuilt records, with `fromFhir`'s issues (resources it could not rebuild are reported, not thrown). */
  records: Result<ClinicRecord[]>;
  /** How many resources were fetched. */
  resources: number;
}

/**
 * {@link pull}, then maps the resources back to PeerKit records with `@peerkit/fhir`'s `fromFhir`.
 * Pull every type a record is built from (e.g. an encounter needs its Encounter, Procedure and
 * DocumentReference), or `fromFhir` reports what is missing.
 *
 * @param options - see {@link PullOptions}, plus `fromFhir`'s options
 * @returns the records (as a `Result`), conflicts and the next `since`
 * @example
 * const { records, conflicts } = await pullRecords({ transport, types: ['Encounter', 'Procedure', 'DocumentReference'], since });
 */
export async function pullRecords(options: PullOptions & FromFhirOptions): Promise<PullRecordsResult> {
  const { resources, ...rest } = await pull(options);
  return { ...rest, resources: resources.length, records: fromFhir(resources, options.canonicalBase === undefined ? {} : { canonicalBase: options.canonicalBase }) };
}
