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
  type MappingPeer,
  type PeerLookup,
  type TransactionBundleOptions,
} from '@peerkit/fhir';
import type { ClinicRecord, Enrollment, Issue, PatientRef, Peer, Result } from '@peerkit/model';
import type { BundleEntry, Consent, FhirResource as Resource } from 'fhir/r4';
import { join } from 'node:path';
import { SYNC_ERROR_CODES, SyncError } from './errors';
import { openStringMap as stringMap, type StringMap } from './internal/disk-index';
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
   * A directory for the stream's scratch files (`peers.*`: what the mapping reads of each peer;
   * `references.*`: the reference map; removed when the stream ends): memory then stays flat
   * however large the export. Default: both are kept in memory, compactly (about 100 bytes per
   * resource and per peer).
   */
  scratchDir?: string;
}

/**
 * The same entries as {@link toSyncEntries}, in the same order, for an export too large to hold in
 * memory: reads the records three times (organizations and, of each peer, only what the mapping of
 * other records reads — its Patient reference and identifier and its enrollments' programs; every
 * resource's `urn:uuid`; then the entries themselves) and keeps the organizations, that peer
 * lookup and a reference map (a 128-bit fingerprint and a uuid per resource) — in scratch files with
 * `scratchDir`, so memory stays flat, else compactly in memory.
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
  // Pass 1: the context needs the organizations (programs, phones) and, of each peer, what
  // patientReference and isPart2Peer read.
  const peers = stringMap(options.scratchDir, 'peers');
  try {
    const organizations: ClinicRecord[] = [];
    for await (const record of source()) {
      if (record.kind === 'organization') organizations.push(record);
      else if (record.kind === 'peer') peers.set(record.id, encodePeer(record));
    }
    const ctx = createFhirContext(organizations, options, peerLookup(peers));
    if (ctx === undefined) throw new SyncError(SYNC_ERROR_CODES.noIdentifierSystem, 'streamSyncEntries: no organization record and no identifierSystem option');
    // Pass 2: where every resource will be in the transaction (its urn:uuid), by its local reference.
    // Kept in scratch files (or compactly in memory): a fingerprint and the uuid per resource.
    const references = stringMap(options.scratchDir, 'references');
    try {
      for await (const record of source()) {
        for (const resource of toFhirRecord(record, ctx) ?? []) references.set(`${resource.resourceType}/${resource.id ?? ''}`, resourceUuid(resource));
      }
      yield* entriesOf(source, ctx, options, references.get);
    } finally {
      references.close();
    }
  } finally {
    peers.close();
  }
}

/**
 * What the mapping reads of a peer ({@link MappingPeer}), as one string: the Patient reference and
 * identifier as they are, and each distinct program of its enrollments (id and type: enough for
 * isPart2Peer, which asks whether any of them is a Part 2 program).
 */
function encodePeer(peer: Peer): string {
  const programs = new Map<string, [string, string]>();
  for (const e of peer.enrollments) programs.set(`${e.programId}\u0000${e.programType}`, [e.programId, e.programType]);
  return JSON.stringify([peer.patient.reference ?? null, peer.patient.identifier ?? null, [...programs.values()]]);
}

function decodePeer(text: string): MappingPeer {
  const [reference, identifier, programs] = JSON.parse(text) as [string | null, PatientRef['identifier'] | null, [string, Enrollment['programType']][]];
  return {
    patient: { ...(reference === null ? {} : { reference }), ...(identifier === null ? {} : { identifier }) } as PatientRef,
    enrollments: programs.map(([programId, programType]) => ({ programId, programType })),
  };
}

/** Peers kept as {@link encodePeer} strings, the last few looked up decoded (records come grouped by peer). */
function peerLookup(map: StringMap): PeerLookup {
  const recent = new Map<string, MappingPeer | undefined>();
  const get = (peerId: string): MappingPeer | undefined => {
    if (recent.has(peerId)) return recent.get(peerId);
    const text = map.get(peerId);
    const peer = text === undefined ? undefined : decodePeer(text);
    if (recent.size >= 64) recent.clear();
    recent.set(peerId, peer);
    return peer;
  };
  return { get, has: (peerId) => get(peerId) !== undefined };
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
 * organizations, the consents and, of each peer, what the mapping reads (compactly).
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
  // Of each peer, only what the mapping reads, compactly (as streamSyncEntries keeps it).
  const peers = stringMap(undefined, 'peers');
  const pass = typeof source === 'function' ? source() : source;
  for await (const record of pass) {
    if (record.kind === 'organization' || record.kind === 'consent') records.push(record);
    else if (record.kind === 'peer') peers.set(record.id, encodePeer(record));
  }
  const ctx = createFhirContext(records, options, peerLookup(peers));
  if (ctx === undefined) throw new SyncError(SYNC_ERROR_CODES.noIdentifierSystem, 'readSyncConsents: no organization record and no identifierSystem option');
  const consents: Consent[] = [];
  for (const record of records) {
    if (record.kind !== 'consent') continue;
    for (const resource of toFhirRecord(record, ctx) ?? []) if (resource.resourceType === 'Consent') consents.push(resource);
  }
  return consents;
}
