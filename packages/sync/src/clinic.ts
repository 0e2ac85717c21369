/**
 * PeerKit records → the entries a sync sends: mapped to FHIR with `@peerkit/fhir`, packed as one
 * transaction whose entries are conditional writes on business identifiers and refer to each other
 * by `urn:uuid:` (the push engine splits it into Bundles and resolves references across them).
 */
import {
  createFhirContext,
  resourceUuid,
  toFhir,
  toFhirRecord,
  toTransactionBundles,
  transactionRequest,
  type FhirMappingOptions,
  type TransactionBundleOptions,
} from '@peerkit/fhir';
import type { ClinicRecord, Issue, Result } from '@peerkit/model';
import type { BundleEntry, Consent, FhirResource as Resource } from 'fhir/r4';
import { join } from 'node:path';
import { SYNC_ERROR_CODES, SyncError } from './errors';
import { FingerprintTable, StringArena } from './internal/compact-index';
import { DiskStrings, DiskTable } from './internal/disk-index';
import { rewriteReferences } from './internal/references';

/** Options of {@link toSyncEntries}: the mapping's options and how entries are written. */
export type SyncEntriesOptions = FhirMappingOptions & Pick<TransactionBundleOptions, 'method'>;

/**
 * Maps records to FHIR and returns the transaction entries to give {@link sync}: one per resource,
 * each a conditional write on its business identifier (`PUT Type?identifier=…` by default), so
 * sending it twice writes it once.
 *
 * @param records - validated records of a clinic export (all kinds: the mapping needs the
 *   organization and the peers to map the others)
 * @param options - mapping options and `method`; see `@peerkit/fhir`'s `toFhir` and `toTransactionBundles`
 * @returns the entries, with the mapping's issues (records it could not map are left out and reported)
 * @example
 * const entries = toSyncEntries(records);
 * if (entries.ok) await sync({ transport, outbox, entries: entries.value });
 */
export function toSyncEntries(records: readonly ClinicRecord[], options: SyncEntriesOptions = {}): Result<BundleEntry[]> {
  const mapped = toFhir(records, options);
  if (!mapped.ok) return mapped;
  const [bundle] = toTransactionBundles(mapped.value, options.method === undefined ? {} : { method: options.method });
  return { ok: true, value: bundle?.entry ?? [], issues: mapped.issues };
}

/** Options of {@link streamSyncEntries}. */
export interface StreamSyncEntriesOptions extends SyncEntriesOptions {
  /** Receives the mapping's issues (e.g. `fhir.unknown-peer`: a record whose peer is not in the export). */
  onIssue?: (issue: Issue) => void;
  /**
   * A directory for the reference map's scratch files (`references.index`, `references.strings`,
   * removed when the stream ends): memory then stays flat however large the export. Default: the
   * map is kept in memory (about 100 bytes per resource).
   */
  scratchDir?: string;
}

/**
 * The same entries as {@link toSyncEntries}, in the same order, for an export too large to hold in
 * memory: reads the records three times (organizations and peers for the mapping context; every
 * resource's `urn:uuid`; then the entries themselves) and keeps only the context and a reference map
 * (a 128-bit fingerprint and a uuid per resource) — in scratch files with `scratchDir`, so memory
 * stays flat, else compactly in memory (about 100 bytes per resource).
 *
 * @param source - returns a fresh pass over the records each time it is called (e.g. re-reading a file)
 * @param options - mapping options, `method`, `onIssue` and `scratchDir`
 * @returns the entries, one at a time
 * @throws SyncError `sync.no-identifier-system` when the records give no identifier system (no organization and no `identifierSystem`)
 * @example
 * const entries = streamSyncEntries(() => recordsOf('clinic.ndjson'));
 * await sync({ transport, outbox, entries });
 */
export async function* streamSyncEntries(
  source: () => AsyncIterable<ClinicRecord> | Iterable<ClinicRecord>,
  options: StreamSyncEntriesOptions = {},
): AsyncGenerator<BundleEntry> {
  // Pass 1: the context needs only organizations (programs) and peers.
  const contextRecords: ClinicRecord[] = [];
  for await (const record of source()) if (record.kind === 'organization' || record.kind === 'peer') contextRecords.push(record);
  const ctx = createFhirContext(contextRecords, options);
  if (ctx === undefined) throw new SyncError(SYNC_ERROR_CODES.noIdentifierSystem, 'streamSyncEntries: no organization record and no identifierSystem option');
  // Pass 2: where every resource will be in the transaction (its urn:uuid), by its local reference.
  // Kept in scratch files (or compactly in memory): a fingerprint and the uuid per resource.
  const references = referenceMap(options.scratchDir);
  try {
    for await (const record of source()) {
      for (const resource of toFhirRecord(record, ctx) ?? []) references.set(`${resource.resourceType}/${resource.id ?? ''}`, resourceUuid(resource));
    }
    yield* entriesOf(source, ctx, options, references.get);
  } finally {
    references.close();
  }
}

/** A map from local references to urn:uuids: in scratch files under `dir`, or compact in memory. */
function referenceMap(dir: string | undefined): { set: (reference: string, uuid: string) => void; get: (reference: string) => string | undefined; close: () => void } {
  if (dir !== undefined) {
    const table = new DiskTable(join(dir, 'references.index'));
    const uuids = new DiskStrings(join(dir, 'references.strings'));
    return {
      set: (reference, uuid) => table.set(reference, uuids.add(uuid)),
      get: (reference) => {
        const where = table.get(reference);
        return where === undefined ? undefined : uuids.get(where);
      },
      close: () => {
        table.close();
        uuids.close();
      },
    };
  }
  const table = new FingerprintTable();
  const uuids = new StringArena();
  return {
    set: (reference, uuid) => table.set(reference, uuids.add(uuid)),
    get: (reference) => {
      const record = table.get(reference);
      return record === undefined ? undefined : uuids.get(record);
    },
    close: () => undefined,
  };
}

/** Pass 3 of {@link streamSyncEntries}: the entries, as toTransactionBundles writes them. */
async function* entriesOf(
  source: () => AsyncIterable<ClinicRecord> | Iterable<ClinicRecord>,
  ctx: NonNullable<ReturnType<typeof createFhirContext>>,
  options: StreamSyncEntriesOptions,
  uuidOf: (reference: string) => string | undefined,
): AsyncGenerator<BundleEntry> {
  const method = options.method ?? 'conditional-update';
  let index = 0;
  for await (const record of source()) {
    const mapped = toFhirRecord(record, ctx);
    if (mapped === undefined) {
      options.onIssue?.({
        severity: 'warning',
        code: 'fhir.unknown-peer',
        path: [index, record.kind === 'peer' ? 'patient' : 'peerId'],
        message: 'The peer is not among the records (or has no patient reference): this part was not mapped',
      });
    }
    index++;
    for (const resource of mapped ?? []) {
      const rewritten = rewriteReferences(resource, uuidOf) as Resource & { id?: string };
      delete rewritten.id;
      yield { fullUrl: resourceUuid(resource), resource: rewritten, request: transactionRequest(resource, method) };
    }
  }
}

/**
 * The FHIR Consents of a clinic export, as `@peerkit/fhir` maps them: what the disclosure gate
 * ({@link createDisclosureGate}) decides with. Reads the records once and keeps only the
 * organizations, peers and consents.
 *
 * @param source - the records (or a function returning a fresh pass over them)
 * @param options - mapping options (e.g. `identifierSystem`)
 * @returns the Consents (empty when the export has none)
 * @throws SyncError `sync.no-identifier-system` when the records give no identifier system (no organization and no `identifierSystem`)
 * @example
 * const consents = await readSyncConsents(() => recordsOf('clinic.ndjson'));
 * const withhold = createDisclosureGate({ consents, recipient, now: new Date() });
 */
export async function readSyncConsents(
  source: (() => AsyncIterable<ClinicRecord> | Iterable<ClinicRecord>) | Iterable<ClinicRecord>,
  options: FhirMappingOptions = {},
): Promise<Consent[]> {
  const records: ClinicRecord[] = [];
  const pass = typeof source === 'function' ? source() : source;
  for await (const record of pass) {
    if (record.kind === 'organization' || record.kind === 'peer' || record.kind === 'consent') records.push(record);
  }
  const ctx = createFhirContext(records, options);
  if (ctx === undefined) throw new SyncError(SYNC_ERROR_CODES.noIdentifierSystem, 'readSyncConsents: no organization record and no identifierSystem option');
  const consents: Consent[] = [];
  for (const record of records) {
    if (record.kind !== 'consent') continue;
    for (const resource of toFhirRecord(record, ctx) ?? []) if (resource.resourceType === 'Consent') consents.push(resource);
  }
  return consents;
}
