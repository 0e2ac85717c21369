/**
 * `runSync` in `import` mode: the checks that keep it exactly-once (no disclosure gate, no hub, no
 * unfinished REST run in the state directory, a server that offers `$import`), then
 * {@link runImport}, reported as a run summary of the same shape as the REST modes'.
 */
import { join } from 'node:path';
import { fail, ok, type Result } from '@peerkit/model';
import type { BundleEntry, CapabilityStatement } from 'fhir/r4';
import { SYNC_ERROR_CODES, SyncError, type SyncErrorCode } from '../errors';
import { openFileOutbox, OUTBOX_FILES } from '../file-outbox';
import type { RunSyncOptions, RunSyncSummary } from '../run-sync';
import { offersImport } from './import';
import { runImport } from './run-import';

/** The folder in the state directory the import files go to by default. */
export const SYNC_IMPORT_DIR = 'import';

/** What `runSync` hands over: the run's input, read once here. */
export interface ImportRunInput {
  stateDir: string;
  entries: AsyncIterable<BundleEntry>;
  counts: { records: number; invalid: number };
  unmapped: () => number;
}

const refuse = (code: SyncErrorCode, path: string[], message: string): Result<never> => fail([{ severity: 'error', code, path, message }]);

/**
 * Runs `runSync` in `import` mode.
 *
 * @param options - the run's options (`writeMode: 'import'`, `import`)
 * @param input - the state directory and the run's entries
 * @returns the summary, or the coded issue that kept the run from starting or finishing
 */
export async function runSyncImport(options: RunSyncOptions, input: ImportRunInput): Promise<Result<RunSyncSummary>> {
  if (options.recipient !== undefined) {
    return refuse(SYNC_ERROR_CODES.invalidOption, ['writeMode'], 'import mode has no disclosure gate: send to another organization with a REST write mode');
  }
  if (options.hub !== undefined) return refuse(SYNC_ERROR_CODES.invalidOption, ['writeMode'], 'import mode does not use a hub outbox');
  // An unfinished REST run: its resources have server-assigned ids; importing now would add second copies.
  let unfinished: boolean;
  try {
    const outbox = await openFileOutbox(input.stateDir);
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

  const dir = options.import?.dir ?? join(input.stateDir, SYNC_IMPORT_DIR);
  let resources = 0;
  try {
    const result = await runImport({
      ...options.import,
      baseUrl: options.transport.baseUrl,
      entries: input.entries,
      dir,
      requireOffered: false,
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.now === undefined ? {} : { now: options.now }),
      onEvent: (event) => {
        if (event.type === 'queued') resources = event.count;
        options.onEvent?.(event, { resources });
      },
    });
    const { elapsedMs } = result;
    const unmapped = input.unmapped();
    return ok({
      plan: result.plan,
      sent: result.sent,
      confirmed: result.confirmed,
      retried: 0,
      deadLettered: result.deadLettered,
      pending: 0,
      reconciled: 0,
      requests: result.requests + 1,
      rate: { writesPerSecond: elapsedMs > 0 ? (result.confirmed * 1000) / elapsedMs : result.confirmed, elapsedMs, pacedMs: 0, pausedMs: 0, throttled: 0 },
      queued: result.sent,
      withheld: 0,
      withheldBy: {},
      provenance: [],
      finished: true,
      records: input.counts.records,
      invalidRecords: input.counts.invalid,
      unmappedRecords: unmapped,
      resources: result.sent,
      disclosure: 'internal',
      ledgerEntries: 0,
      deadLetterFile: join(input.stateDir, OUTBOX_FILES.deadLetter),
      complete: result.deadLettered === 0 && input.counts.invalid === 0 && unmapped === 0,
      import: result.import,
    });
  } catch (error) {
    if (error instanceof SyncError) return refuse(error.code, ['import'], error.message);
    throw error;
  }
}
