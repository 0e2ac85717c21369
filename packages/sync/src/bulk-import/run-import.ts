/**
 * The `import` write mode of a run (`runSync({ writeMode: 'import' })`, `peerkit sync --write-mode
 * import`): the run's entries written as NDJSON per resource type, published where the server can
 * fetch them (a loopback file server this run starts, or a base URL the caller publishes the folder
 * at), and `$import` driven to its result. Exactly-once comes from the ids, not from an outbox: each
 * resource's id is derived from its identity ({@link importId}), so importing the same export again
 * overwrites the same resources instead of adding copies.
 *
 * See: https://github.com/smart-on-fhir/bulk-import/blob/master/import-pnp.md
 */
import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BundleEntry } from 'fhir/r4';
import type { AuthProvider } from '../auth';
import type { SyncEvent } from '../events';
import type { PollSettings } from '../bulk-export/poll';
import type { RetryOptions } from '../retry';
import type { ImportPlan } from '../write-mode';
import { bulkImport, type BulkImportSummary } from './import';
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

/**
 * Writes the entries as import files, publishes them and drives `$import` to its result.
 *
 * @param options - the server, the entries, the folder and how the files are published
 * @returns counts per type and in all, shaped like a push's
 * @throws SyncError `sync.bulk-import-failed` when the server does not offer `$import`, refuses it or it fails
 * @example
 * const result = await runImport({ baseUrl, entries, dir: '.peerkit-sync/import' });
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
  const written = await writeImportFiles(options.entries, { dir: options.dir });
  emit({ type: 'queued', count: written.resources, skipped: 0 });
  const plan: ImportPlan = { mode: 'import', reason: 'configured', batchSize: written.resources, maxBundleBytes: 0, concurrency: 1 };
  const byType: Record<string, ImportTypeCount> = {};
  for (const file of written.files) byType[file.type] = { written: file.count, imported: 0, refused: 0 };
  if (written.files.length === 0) {
    return { plan, sent: 0, confirmed: 0, deadLettered: 0, requests: 0, elapsedMs: now() - started, import: { dir: options.dir, byType, unresolved: written.unresolved, errorFiles: [] } };
  }
  const served = options.filesBaseUrl === undefined ? await serveFolder(options.dir) : undefined;
  const base = (options.filesBaseUrl ?? served?.url ?? '').replace(/\/$/, '');
  let result: BulkImportSummary;
  let polls = 0;
  try {
    result = await bulkImport({
      baseUrl: options.baseUrl,
      inputs: written.files.map((f) => ({ type: f.type, url: `${base}/${f.file}` })),
      ...(options.auth === undefined ? {} : { auth: options.auth }),
      ...(options.parameters === undefined ? {} : { parameters: options.parameters }),
      ...(options.poll === undefined ? {} : { poll: options.poll }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      allowInsecureHttp: options.allowInsecureHttp === true,
      requireOffered: options.requireOffered !== false,
      onEvent: (event) => {
        if (event.type === 'waiting') {
          polls++;
          emit({ type: 'paused', delayMs: event.delayMs });
        }
      },
      now,
    });
  } finally {
    await served?.close();
  }
  const inputType = new Map(written.files.map((f) => [`${base}/${f.file}`, f.type]));
  for (const out of result.output) {
    const type = byType[out.type];
    if (type !== undefined) type.imported += out.count;
  }
  for (const error of result.errors) {
    const type = byType[inputType.get(error.inputUrl ?? '') ?? ''];
    if (type !== undefined) type.refused += error.count;
  }
  emit({ type: 'confirmed', count: result.imported, created: 0, updated: result.imported });
  if (result.refused > 0) emit({ type: 'dead-lettered', count: result.refused, status: 200, code: 'import-refused' });
  return {
    plan,
    sent: written.resources,
    confirmed: result.imported,
    deadLettered: result.refused,
    // The CapabilityStatement (unless checked before), the kick-off, the status polls and the result.
    requests: (options.requireOffered === false ? 2 : 3) + polls,
    elapsedMs: now() - started,
    import: {
      dir: options.dir,
      byType,
      unresolved: written.unresolved,
      errorFiles: result.errors.map((e) => e.url),
      ...(result.transactionTime === undefined ? {} : { transactionTime: result.transactionTime }),
    },
  };
}
