/**
 * `runSync` in `import` mode: the checks that keep it exactly-once (no disclosure gate, no hub, no
 * unfinished REST run in the state directory, a server that offers `$import`), then
 * {@link runImport}, reported as a run summary of the same shape as the REST modes'.
 */
import { join } from 'node:path';
import { fail, ok, type Result } from '@peerkit/model';
import type { BundleEntry, CapabilityStatement, Reference } from 'fhir/r4';
import { SYNC_ERROR_CODES, SyncError, type SyncErrorCode } from '../errors';
import { openFileOutbox } from '../file-outbox';
import type { SyncEvent } from '../events';
import type { RetryOptions } from '../retry';
import type { SyncSummary } from '../sync';
import type { FhirTransport } from '../transport';
import type { ImportPlan } from '../write-mode';
import { offersImport } from './import';
import { runImport, type RunImportOptions, type RunImportResult } from './run-import';

/** The folder in the state directory the import files go to by default. */
export const SYNC_IMPORT_DIR = 'import';

/** What `runSync` hands over: its options (the ones import mode reads) and its input. */
export interface SyncImportOptions {
  /** The server. */
  transport: FhirTransport;
  /** A disclosure recipient: refused (import has no gate). */
  recipient?: object;
  /** A hub outbox: refused (import has no outbox). */
  hub?: object;
  /** Where the files go and how the server gets them. */
  import?: RunImportOptions;
  /** The run's Provenance (author and transmitter), or `false` for none. Default: transmitter `PeerKit sync`, no author. */
  provenance?: false | { author?: Reference; transmitter?: Reference };
  /** Attempts and time limits of each request. */
  retry?: RetryOptions;
  /** Stops waiting. */
  signal?: AbortSignal;
  /** The clock in ms. */
  now?: () => number;
  /** Receives progress events, with the run's size so far. */
  onEvent?: (event: SyncEvent, progress: { resources: number }) => void;
}

/** An import's counts as a sync's summary (`SyncSummary`, with the import plan). */
export type ImportSyncSummary = Omit<SyncSummary, 'plan'> & { plan: ImportPlan };

const refuse = (code: SyncErrorCode, path: string[], message: string): Result<never> => fail([{ severity: 'error', code, path, message }]);

/**
 * Runs `runSync` in `import` mode: refuses a recipient, a hub, an unfinished REST run in the state
 * directory and a server that does not offer `$import` (each a coded issue, before any file is
 * written), then {@link runImport} with the state directory (an unfinished import of the same export
 * is continued; of another export, refused: `sync.unfinished-run` on `stateDir`) and the run's
 * Provenance.
 *
 * @param options - the run's options
 * @param stateDir - the run's state directory
 * @param entries - the export's entries, read once
 * @returns what the import did, or the coded issue that kept it from starting or finishing
 */
export async function runSyncImport(options: SyncImportOptions, stateDir: string, entries: AsyncIterable<BundleEntry>): Promise<Result<RunImportResult>> {
  if (options.recipient !== undefined) {
    return refuse(SYNC_ERROR_CODES.invalidOption, ['writeMode'], 'import mode has no disclosure gate: send to another organization with a REST write mode');
  }
  if (options.hub !== undefined) return refuse(SYNC_ERROR_CODES.invalidOption, ['writeMode'], 'import mode does not use a hub outbox');
  // An unfinished REST run: its resources have server-assigned ids; importing now would add second copies.
  let unfinished: boolean;
  try {
    const outbox = await openFileOutbox(stateDir);
    unfinished = outbox.runId !== undefined;
    await outbox.close();
  } catch (error) {
    if (error instanceof SyncError) return refuse(error.code, ['stateDir'], error.message);
    throw error;
  }
  if (unfinished) return refuse(SYNC_ERROR_CODES.unfinishedRun, ['stateDir'], 'holds an unfinished REST run: finish it with its write mode before importing');
  const reply = await options.transport.get<CapabilityStatement>('metadata', options.signal === undefined ? {} : { signal: options.signal });
  const statement = reply.kind === 'response' && reply.status === 200 && reply.body?.resourceType === 'CapabilityStatement' ? reply.body : undefined;
  if (!offersImport(statement)) return refuse(SYNC_ERROR_CODES.bulkImportFailed, ['writeMode'], 'the server does not offer $import in its CapabilityStatement');

  let resources = 0;
  try {
    const result = await runImport({
      ...options.import,
      baseUrl: options.transport.baseUrl,
      entries,
      dir: options.import?.dir ?? join(stateDir, SYNC_IMPORT_DIR),
      stateDir,
      transport: options.transport,
      ...(options.provenance === undefined ? {} : { provenance: options.provenance }),
      requireOffered: false,
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.now === undefined ? {} : { now: options.now }),
      onEvent: (event) => {
        if (event.type === 'queued') resources = event.count;
        options.onEvent?.(event, { resources });
      },
    });
    // The CapabilityStatement read here.
    return ok({ ...result, requests: result.requests + 1 });
  } catch (error) {
    // Stopped while the server imports: it may finish; running again imports the same ids.
    if (options.signal?.aborted === true) return refuse(SYNC_ERROR_CODES.bulkImportFailed, ['signal'], 'stopped before the import finished (run again with the same export: it continues this import)');
    if (error instanceof SyncError) {
      const path = error.code === SYNC_ERROR_CODES.unfinishedRun || error.code === SYNC_ERROR_CODES.stateUnusable ? ['stateDir'] : ['import'];
      return refuse(error.code, path, error.message);
    }
    throw error;
  }
}

/**
 * An import's result as a sync's summary: stored resources confirmed, refused lines dead-lettered,
 * nothing pending, retried or withheld, the run's Provenance; finished unless Provenance is still
 * to write.
 *
 * @param result - from {@link runSyncImport}
 * @returns the summary's sync part
 */
export function toImportSyncSummary(result: RunImportResult): ImportSyncSummary {
  const { elapsedMs } = result;
  return {
    plan: result.plan,
    sent: result.sent,
    confirmed: result.confirmed,
    retried: 0,
    deadLettered: result.deadLettered,
    pending: 0,
    reconciled: 0,
    requests: result.requests,
    rate: { writesPerSecond: elapsedMs > 0 ? (result.confirmed * 1000) / elapsedMs : result.confirmed, elapsedMs, pacedMs: 0, pausedMs: 0, throttled: 0 },
    queued: result.sent,
    withheld: 0,
    withheldBy: {},
    provenance: result.provenance,
    finished: result.finished,
  };
}
