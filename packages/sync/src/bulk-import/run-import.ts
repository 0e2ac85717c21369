/**
 * The `import` write mode of a run (`runSync({ writeMode: 'import' })`, `peerkit sync --write-mode
 * import`): the run's entries written as NDJSON per resource type, published where the server can
 * fetch them (a loopback file server this run starts, or a base URL the caller publishes the folder
 * at), and `$import` driven to its result. Exactly-once comes from the ids, not from an outbox: each
 * resource's id is derived from its identity ({@link importId}), so importing the same export again
 * overwrites the same resources instead of adding copies. With a state directory the import's state
 * is kept there (`import-state.json`), so a run that stopped or died after writing the files or
 * after the kick-off is continued by the next run of the same export: the status URL polled again,
 * or the same files imported again (never a different export's: refused). The run's Provenance
 * names what the server reports it stored (see `import-provenance.ts`).
 *
 * See: https://github.com/smart-on-fhir/bulk-import/blob/master/import-pnp.md
 */
import { createReadStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BundleEntry, Reference } from 'fhir/r4';
import type { AuthProvider } from '../auth';
import { SYNC_ERROR_CODES, SyncError } from '../errors';
import type { SyncEvent } from '../events';
import type { PollSettings } from '../bulk-export/poll';
import type { RetryOptions } from '../retry';
import type { FhirTransport } from '../transport';
import type { ImportPlan } from '../write-mode';
import { bulkImport, type BulkImportSummary } from './import';
import { writeImportProvenance } from './import-provenance';
import { fileSha256, IMPORT_STATE_FILE, loadImportState, newImportState, saveImportState, sameFiles, type ImportState, type ImportStateFile } from './import-state';
import { writeImportFiles } from './ndjson';

/** How a run in `import` mode publishes its files and drives `$import` (`RunSyncOptions.import`). */
export interface RunImportOptions {
  /** The folder the NDJSON files go to. Default `import/` in the run's state directory. */
  dir?: string;
  /**
   * Where the server fetches the files: a base URL the caller publishes `dir` at (e.g. a storage
   * container the server is allowed to read), each file at `<filesBaseUrl>/<Type>.ndjson`. Default:
   * a file server this run starts on loopback (`http://127.0.0.1:<port>/`), for a server on this machine.
   */
  filesBaseUrl?: string;
  /** How the `$import` requests are authorized. Default none. */
  auth?: AuthProvider;
  /** Extra kick-off parameters (e.g. `{ mode: 'IncrementalLoad' }` for Azure Health Data Services). Default none. */
  parameters?: Record<string, string>;
  /** Plain `http://` to a FHIR server that is not loopback (as `createFhirTransport`'s). Default false. */
  allowInsecureHttp?: boolean;
  /** Polling of the import's status (see `PollSettings`). Default 1 s doubling to 30 s, at most 1 h. */
  poll?: Partial<PollSettings>;
}

/** What an import did, per resource type (counts only: no content). */
export interface ImportTypeCount {
  /** Resources in the file written for the type. */
  written: number;
  /** Resources the server reports it stored. */
  imported: number;
  /** Lines the server refused (its reasons are in its error files). */
  refused: number;
}

/** The import part of a run's summary (`RunSyncSummary.import`). */
export interface RunImportSummary {
  /** The folder holding the files. */
  dir: string;
  /** Counts per resource type. */
  byType: Record<string, ImportTypeCount>;
  /** References the import could not make literal (see `ImportFiles.unresolved`). */
  unresolved: number;
  /** The server's files of OperationOutcomes for refused lines (URLs on the server). */
  errorFiles: string[];
  /** The server's transaction time, when it gave one. */
  transactionTime?: string;
  /**
   * How an unfinished import of the same export was continued: its status URL `polled` again, or
   * its files (all, or those the server had not accounted for) `kicked-off-again`. Absent for a new import.
   */
  resumed?: 'polled' | 'kicked-off-again';
  /**
   * The Provenance of what the server stored: resources named (`targets`), stored resources left
   * out because their file's refused lines could not be told apart (`unattributed`), Provenance the
   * server did not take (`failed`: the next run sends them again). Absent with `provenance: false`.
   */
  provenance?: { targets: number; unattributed: number; failed: number };
}

/** What {@link runImport} returns: counts in the shape of a push's. */
export interface RunImportResult {
  /** How it wrote (`import`, configured). */
  plan: ImportPlan;
  /** Resources written to the files. */
  sent: number;
  /** Resources the server reports it stored. */
  confirmed: number;
  /** Lines the server refused. */
  deadLettered: number;
  /** HTTP requests to the FHIR server. */
  requests: number;
  /** How long it took, in ms. */
  elapsedMs: number;
  /** The run's Provenance on the server (`Type/id`). */
  provenance: string[];
  /** False when Provenance is still to write (the next run of the same export writes it). */
  finished: boolean;
  /** Counts per type and the server's error files. */
  import: RunImportSummary;
}

/** Options of {@link runImport}. */
export interface RunImportRunOptions extends RunImportOptions {
  /** The FHIR base URL. Required. */
  baseUrl: string;
  /** The run's entries. Required. */
  entries: Iterable<BundleEntry> | AsyncIterable<BundleEntry>;
  /** The folder, resolved. Required. */
  dir: string;
  /**
   * Where the import's state is kept (`import-state.json`): an unfinished import there is continued
   * when the entries make the same files, and refused (`sync.unfinished-run`) when they do not.
   * Default none: nothing is kept, nothing is continued.
   */
  stateDir?: string;
  /** The server for the run's Provenance. Default none: no Provenance. */
  transport?: FhirTransport;
  /** The Provenance's author and transmitter, or `false` for none. Default: transmitter `PeerKit sync`, no author. */
  provenance?: false | { author?: Reference; transmitter?: Reference };
  /** Check the CapabilityStatement offers `$import` first. Default true. */
  requireOffered?: boolean;
  /** Attempts and time limits of each request. Default `DEFAULT_RETRY`. */
  retry?: RetryOptions;
  /** Stops waiting (the import may go on on the server). Default none. */
  signal?: AbortSignal;
  /** Receives `queued`, `paused` (each status poll), `confirmed` and `dead-lettered` events. Default none. */
  onEvent?: (event: SyncEvent) => void;
  /** The clock in ms. Default `Date.now`. */
  now?: () => number;
}

/** Serves the folder's `<Type>.ndjson` files (nothing else) on loopback; resolves with its base URL. */
async function serveFolder(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const name = (req.url ?? '').slice(1);
    if (req.method !== 'GET' || !/^[A-Za-z]+\.ndjson$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    const stream = createReadStream(join(dir, name));
    stream.once('open', () => res.writeHead(200, { 'content-type': 'application/fhir+ndjson' }));
    stream.once('error', () => (res.headersSent ? res.destroy() : res.writeHead(404).end()));
    stream.pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The files of this run, written from the entries: as new ones, or checked against an unfinished import's. */
async function writeFiles(
  entries: RunImportRunOptions['entries'],
  dir: string,
  unfinished: ImportState | undefined,
): Promise<{ files: (ImportStateFile & { path: string })[]; resources: number; unresolved: number }> {
  // Continuing: the files are written aside and compared, so the ones the server may be reading are never touched.
  const target = unfinished === undefined ? dir : join(dir, '.resume-check');
  const written = await writeImportFiles(entries, { dir: target });
  const files: (ImportStateFile & { path: string })[] = [];
  for (const f of written.files) files.push({ type: f.type, file: f.file, count: f.count, sha256: (await fileSha256(f.path)) ?? '', path: join(dir, f.file) });
  if (unfinished !== undefined) {
    try {
      if (!sameFiles(unfinished.files, files)) {
        throw new SyncError(
          SYNC_ERROR_CODES.unfinishedRun,
          `holds an unfinished import of another export (its files differ from this export's): run it again with that export to finish it, or remove ${IMPORT_STATE_FILE}`,
        );
      }
      // A file missing or changed since (the folder cleaned): put this run's identical one in its place.
      for (const f of files) if ((await fileSha256(f.path)) !== f.sha256) await rename(join(target, f.file), f.path);
    } finally {
      await rm(target, { recursive: true, force: true });
    }
  }
  return { files, resources: written.resources, unresolved: written.unresolved };
}

/**
 * Writes the entries as import files, publishes them and drives `$import` to its result, then
 * writes the Provenance of what the server stored. With `stateDir`, continues an unfinished import
 * of the same export (see {@link RunImportRunOptions.stateDir}).
 *
 * @param options - the server, the entries, the folder and how the files are published
 * @returns counts per type and in all, shaped like a push's
 * @throws SyncError `sync.bulk-import-failed` when the server does not offer `$import`, refuses it or
 *   it fails; `sync.unfinished-run` when the state directory holds an unfinished import of another
 *   export; `sync.state-unusable` when its state file cannot be read
 * @example
 * const result = await runImport({ baseUrl, entries, dir: '.peerkit-sync/import', stateDir: '.peerkit-sync', transport });
 */
export async function runImport(options: RunImportRunOptions): Promise<RunImportResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const emit = (event: SyncEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not stop the run.
    }
  };
  const { stateDir } = options;
  const prior = stateDir === undefined ? undefined : await loadImportState(stateDir);
  if (prior === 'unreadable') throw new SyncError(SYNC_ERROR_CODES.stateUnusable, `${IMPORT_STATE_FILE} in the state directory cannot be read: remove it to start a new import`);
  const unfinished = prior !== undefined && !prior.done ? prior : undefined;
  const written = await writeFiles(options.entries, options.dir, unfinished);
  const state = unfinished ?? newImportState(written.files.map(({ type, file, count, sha256 }) => ({ type, file, count, sha256 })));
  const save = async (): Promise<void> => {
    if (stateDir !== undefined) await saveImportState(stateDir, state);
  };
  if (unfinished === undefined) await save();
  emit({ type: 'queued', count: written.resources, skipped: 0 });
  const plan: ImportPlan = { mode: 'import', reason: 'configured', batchSize: written.resources, maxBundleBytes: 0, concurrency: 1 };
  const byType: Record<string, ImportTypeCount> = {};
  for (const file of written.files) byType[file.type] = { written: file.count, imported: 0, refused: 0 };
  const errorUrls = new Map<string, string[]>();
  if (written.files.length === 0) {
    state.done = true;
    await save();
    return { plan, sent: 0, confirmed: 0, deadLettered: 0, requests: 0, elapsedMs: now() - started, provenance: [], finished: true, import: { dir: options.dir, byType, unresolved: written.unresolved, errorFiles: [] } };
  }
  const served = options.filesBaseUrl === undefined ? await serveFolder(options.dir) : undefined;
  const base = (options.filesBaseUrl ?? served?.url ?? '').replace(/\/$/, '');
  let requests = options.requireOffered === false ? 0 : 1;
  let resumed: RunImportSummary['resumed'];
  let last: BulkImportSummary | undefined;
  /** One `$import` of some of the files (continuing the saved status URL when asked); their counts replace the earlier ones. */
  const importFiles = async (files: readonly ImportStateFile[], continueSaved: boolean): Promise<boolean> => {
    let kickedOff = false;
    let saving: Promise<void> = Promise.resolve();
    try {
      last = await bulkImport({
        baseUrl: options.baseUrl,
        inputs: files.map((f) => ({ type: f.type, url: `${base}/${f.file}` })),
        ...(continueSaved && state.statusUrl !== undefined ? { statusUrl: state.statusUrl } : {}),
        ...(options.auth === undefined ? {} : { auth: options.auth }),
        ...(options.parameters === undefined ? {} : { parameters: options.parameters }),
        ...(options.poll === undefined ? {} : { poll: options.poll }),
        ...(options.retry === undefined ? {} : { retry: options.retry }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        allowInsecureHttp: options.allowInsecureHttp === true,
        // Asked once, before the first request of the run.
        requireOffered: continueSaved && options.requireOffered !== false,
        onEvent: (event) => {
          if (event.type === 'kick-off-again') requests++;
          else if (event.type === 'kicked-off') {
            kickedOff = true;
            requests++;
            state.statusUrl = event.statusUrl;
            saving = saving.then(save);
          } else if (event.type === 'waiting') {
            requests++;
            emit({ type: 'paused', delayMs: event.delayMs });
          } else if (event.type === 'done') requests++;
        },
        now,
      });
    } finally {
      await saving;
    }
    const typeOf = new Map(files.map((f) => [`${base}/${f.file}`, f.type]));
    const types = new Set(files.map((f) => f.type));
    for (const type of types) {
      byType[type] = { written: byType[type]?.written ?? 0, imported: 0, refused: 0 };
      errorUrls.set(type, []);
    }
    // By input URL, else by type (a result polled again names the URLs of the earlier run's file server).
    const fileType = (entry: { type?: string; inputUrl?: string }): string | undefined => {
      const type = typeOf.get(entry.inputUrl ?? '') ?? entry.type;
      return type !== undefined && types.has(type) ? type : undefined;
    };
    for (const out of last.output) {
      const type = fileType(out);
      if (type !== undefined) (byType[type] as ImportTypeCount).imported += out.count;
    }
    for (const error of last.errors) {
      const type = fileType({ ...(error.inputUrl === undefined ? {} : { inputUrl: error.inputUrl }) });
      if (type === undefined) continue;
      (byType[type] as ImportTypeCount).refused += error.count;
      errorUrls.get(type)?.push(error.url);
    }
    return kickedOff;
  };
  try {
    const kickedOff = await importFiles(state.files, true);
    if (unfinished !== undefined) resumed = kickedOff ? 'kicked-off-again' : 'polled';
    if (!kickedOff) {
      // A result polled again: files the server did not account for (it could not fetch them once the
      // earlier run's file server was gone, say) are imported again — idempotent, each under its id.
      const missing = state.files.filter((f) => {
        const counts = byType[f.type];
        return counts === undefined || counts.imported + counts.refused < f.count;
      });
      if (missing.length > 0) {
        await importFiles(missing, false);
        resumed = 'kicked-off-again';
      }
    }
  } finally {
    await served?.close();
  }
  const result = last as BulkImportSummary;
  const imported = Object.values(byType).reduce((sum, t) => sum + t.imported, 0);
  const refused = Object.values(byType).reduce((sum, t) => sum + t.refused, 0);
  emit({ type: 'confirmed', count: imported, created: 0, updated: imported });
  if (refused > 0) emit({ type: 'dead-lettered', count: refused, status: 200, code: 'import-refused' });
  let provenance: RunImportSummary['provenance'];
  let provenanceWritten: string[] = [];
  if (options.provenance !== false && options.transport !== undefined) {
    const wrote = await writeImportProvenance({
      transport: options.transport,
      runId: state.runId,
      files: written.files.map((f) => ({ path: f.path, written: f.count, imported: byType[f.type]?.imported ?? 0, errorUrls: errorUrls.get(f.type) ?? [] })),
      ...(options.provenance?.author === undefined ? {} : { author: options.provenance.author }),
      ...(options.provenance?.transmitter === undefined ? {} : { transmitter: options.provenance.transmitter }),
      ...(options.auth === undefined ? {} : { auth: options.auth }),
      ...(result.requiresAccessToken === undefined ? {} : { requiresAccessToken: result.requiresAccessToken }),
      allowInsecureHttp: options.allowInsecureHttp === true,
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      now,
    });
    provenance = { targets: wrote.targets, unattributed: wrote.unattributed, failed: wrote.failed };
    provenanceWritten = wrote.written;
    requests += wrote.requests;
  }
  const finished = (provenance?.failed ?? 0) === 0;
  if (finished) {
    state.done = true;
    await save();
  }
  return {
    plan,
    sent: written.resources,
    confirmed: imported,
    deadLettered: refused,
    requests,
    elapsedMs: now() - started,
    provenance: provenanceWritten,
    finished,
    import: {
      dir: options.dir,
      byType,
      unresolved: written.unresolved,
      errorFiles: [...errorUrls.values()].flat(),
      ...(result.transactionTime === undefined ? {} : { transactionTime: result.transactionTime }),
      ...(resumed === undefined ? {} : { resumed }),
      ...(provenance === undefined ? {} : { provenance }),
    },
  };
}
