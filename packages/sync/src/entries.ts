/**
 * From transaction Bundle entries to outbox entries: each gets the stable key that makes a resend
 * harmless (its conditional URL) and that other entries' conditional references name.
 */
import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry } from 'fhir/r4';
import { SYNC_ERROR_CODES, SyncError } from './errors';
import { entryKey, type OutboxEntry } from './outbox';

/**
 * Turns one Bundle entry into an outbox entry. The key is the conditional URL
 * (`PUT Type?identifier=…`, or `Type?` + `ifNoneExist` for a POST), else the `fullUrl`; an entry
 * with neither gets a fresh `urn:uuid:` (it cannot be matched on resend: give such resources an
 * identifier).
 *
 * @param entry - a transaction Bundle entry with `request` (and usually `resource` and `fullUrl`)
 * @returns the outbox entry
 * @throws SyncError (`sync.invalid-option`) for an entry without `request.method` and `request.url`
 * @example
 * toOutboxEntry({ fullUrl: 'urn:uuid:…', resource, request: { method: 'PUT', url: 'Encounter?identifier=s|1' } });
 *
 * See: https://hl7.org/fhir/R4/http.html#cond-update, https://hl7.org/fhir/R4/http.html#ccreate
 */
export function toOutboxEntry(entry: BundleEntry): OutboxEntry {
  const request = entry.request;
  if (request?.method === undefined || typeof request.url !== 'string' || request.url === '') {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'every Bundle entry needs request.method and request.url');
  }
  const fullUrl = entry.fullUrl ?? (entryKey(entry) === undefined ? `urn:uuid:${randomUUID()}` : undefined);
  const key = entryKey({ fullUrl, request }) as string;
  return {
    key,
    ...(fullUrl === undefined ? {} : { fullUrl }),
    request: { ...request },
    ...(entry.resource === undefined ? {} : { resource: entry.resource }),
  };
}

/**
 * Turns a transaction Bundle (e.g. from `@peerkit/fhir`'s `toTransactionBundle`) into outbox
 * entries, in order.
 *
 * @param bundle - a `transaction` or `batch` Bundle
 * @returns one outbox entry per Bundle entry
 * @example
 * await outbox.add(toOutboxEntries(bundle));
 */
export function toOutboxEntries(bundle: Bundle): OutboxEntry[] {
  return (bundle.entry ?? []).map(toOutboxEntry);
}
