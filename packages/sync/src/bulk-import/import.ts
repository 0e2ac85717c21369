/**
 * Push with FHIR Bulk Data `$import`: the kick-off (`POST [base]/$import`, a `Parameters` body
 * naming each NDJSON file by type and URL, `Prefer: respond-async`), polling the status URL
 * (`Retry-After`, `X-Progress`, the same rules as `$export`'s), and the result: resources stored per
 * file, and the files of OperationOutcomes for refused lines. Driven only where the server's
 * CapabilityStatement offers the operation `import` (configurable).
 *
 * See: https://github.com/smart-on-fhir/bulk-import/blob/master/import-pnp.md,
 * https://learn.microsoft.com/en-us/azure/healthcare-apis/fhir/import-data
 */
import type { CapabilityStatement } from 'fhir/r4';
import type { AuthProvider } from '../auth';
import { createBulkHttp, jsonOf, type BulkReply } from '../bulk-export/http';
import { pollStep, type PollSettings } from '../bulk-export/poll';
import { SYNC_ERROR_CODES, SyncError } from '../errors';
import { sleep } from '../internal/sleep';
import { createRetryPolicy, type RetryOptions } from '../retry';

/** One file to import: its resource type and where the server fetches it. */
export interface BulkImportInput {
  type: string;
  url: string;
}

/** Progress of an import. */
export type BulkImportEvent =
  | { type: 'kicked-off'; statusUrl: string }
  | { type: 'resumed'; statusUrl: string }
  | { type: 'kick-off-again'; reason: 'gone' | 'failed' }
  | { type: 'waiting'; delayMs: number; progress?: string }
  | { type: 'done'; imported: number; refused: number };

/** Options of {@link bulkImport}. */
export interface BulkImportOptions {
  /** The FHIR base URL. Required. */
  baseUrl: string;
  /** The files (e.g. `writeImportFiles`' files at URLs the server can reach). Required, at least one. */
  inputs: readonly BulkImportInput[];
  /** How requests are authorized (`bearerToken`, `smartBackendServices`). Default: none. */
  auth?: AuthProvider;
  /**
   * Kick off only when the CapabilityStatement (`GET [base]/metadata`) lists the operation `import`;
   * `false` kicks off without asking. Default true.
   */
  requireOffered?: boolean;
  /**
   * The status URL of an import kicked off before (by a run that stopped or died): polled instead
   * of kicking off. When the server no longer knows it (404 / 410) or reports it failed, the same
   * files are kicked off again. Default none.
   */
  statusUrl?: string;
  /** Extra kick-off parameters, e.g. `{ mode: 'IncrementalLoad' }` for Azure Health Data Services. Default none. */
  parameters?: Record<string, string>;
  /** Polling: interval without `Retry-After` (default 1 s, doubling to 30 s) and the longest wait (default 1 h). */
  poll?: Partial<PollSettings>;
  /** Attempts and time limits of each request (see `RetryOptions`). Default `DEFAULT_RETRY`. */
  retry?: RetryOptions;
  /** Plain `http://` to a host that is not loopback. Default false. */
  allowInsecureHttp?: boolean;
  /** Stops waiting (the import may go on on the server). */
  signal?: AbortSignal;
  /** Receives progress events. */
  onEvent?: (event: BulkImportEvent) => void;
  /** The clock in ms (default `Date.now`); for tests. */
  now?: () => number;
  /** Uniform random numbers in [0, 1) for the backoff's jitter (default `Math.random`); for tests. */
  random?: () => number;
}

/** What an import did, as the server reports it. */
export interface BulkImportSummary {
  /** The server's transaction time. */
  transactionTime?: string;
  /** Whether the error files need the access token (the manifest's `requiresAccessToken`). */
  requiresAccessToken?: boolean;
  /** The status URL the result came from. */
  statusUrl: string;
  /** Resources stored, per input file. */
  output: { type: string; count: number; inputUrl: string }[];
  /** Files of OperationOutcomes for refused lines, per input file. */
  errors: { count: number; inputUrl?: string; url: string }[];
  /** Resources stored, in all. */
  imported: number;
  /** Lines refused, in all. */
  refused: number;
}

/**
 * True when a CapabilityStatement offers the system operation `import`.
 *
 * @param statement - the server's CapabilityStatement
 * @returns whether `$import` is offered
 */
export function offersImport(statement: CapabilityStatement | undefined): boolean {
  return (statement?.rest ?? []).some((rest) => (rest.operation ?? []).some((op) => op.name === 'import' || op.name === '$import'));
}

function failed(reason: string): SyncError {
  return new SyncError(SYNC_ERROR_CODES.bulkImportFailed, reason);
}

/** The kick-off body: the files and the extra parameters. */
function kickOffBody(options: BulkImportOptions): string {
  return JSON.stringify({
    resourceType: 'Parameters',
    parameter: [
      { name: 'inputFormat', valueCode: 'application/fhir+ndjson' },
      ...Object.entries(options.parameters ?? {}).map(([name, value]) => ({ name, valueString: value })),
      ...options.inputs.map((input) => ({ name: 'input', part: [{ name: 'type', valueCode: input.type }, { name: 'url', valueUrl: input.url }] })),
    ],
  });
}

/**
 * Imports NDJSON files into a server with `$import`: checks the server offers it, kicks off, waits
 * (honouring `Retry-After`, reporting `X-Progress`), and returns what the server stored and refused.
 *
 * @param options - the server, the files and the limits; see {@link BulkImportOptions}
 * @returns the server's result
 * @throws SyncError `sync.bulk-import-failed` when the server does not offer `$import`, refuses the
 *   kick-off, the import fails on the server, or it does not finish within `poll.maxWaitMs`
 * @example
 * const { files } = await writeImportFiles(entries, { dir: 'out/import' });
 * const summary = await bulkImport({ baseUrl, inputs: files.map((f) => ({ type: f.type, url: `${filesBase}/${f.file}` })) });
 */
export async function bulkImport(options: BulkImportOptions): Promise<BulkImportSummary> {
  if (options.inputs.length === 0) throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'inputs must name at least one file');
  const policy = createRetryPolicy(options.retry);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const { signal } = options;
  const http = createBulkHttp({
    baseUrl: options.baseUrl,
    ...(options.auth === undefined ? {} : { auth: options.auth }),
    timeoutMs: policy.timeoutMs,
    allowInsecureHttp: options.allowInsecureHttp === true,
    failureCode: SYNC_ERROR_CODES.bulkImportFailed,
  });
  const base = http.base.href.replace(/\/$/, '');
  const emit = (event: BulkImportEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not stop the import.
    }
  };
  const request = (url: string, extra: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }): Promise<BulkReply> =>
    http.send(url, { authorize: true, ...extra, ...(signal === undefined ? {} : { signal }) });

  if (options.requireOffered !== false) {
    const reply = await request(`${base}/metadata`, { headers: { accept: 'application/fhir+json' } });
    const statement = reply.kind === 'response' && reply.status === 200 ? ((await jsonOf(reply.body)) as CapabilityStatement | undefined) : undefined;
    if (!offersImport(statement)) throw failed('the server does not offer $import in its CapabilityStatement');
  }

  const kickOff = async (): Promise<string> => {
    const reply = await request(`${base}/$import`, {
      method: 'POST',
      headers: { accept: 'application/fhir+json', 'content-type': 'application/fhir+json', prefer: 'respond-async' },
      body: kickOffBody(options),
    });
    if (reply.kind !== 'response') throw failed(`the $import kick-off did not get an answer (${reply.kind === 'network' ? reply.code : 'timeout'})`);
    await reply.body?.cancel();
    const location = reply.headers.get('content-location');
    if (reply.status !== 202 || location === null) throw failed(`the server refused the $import kick-off (HTTP ${reply.status})`);
    // Relative to the base; on another origin it never gets the token (polling it fails, coded).
    const statusUrl = new URL(location, `${base}/`).href;
    emit({ type: 'kicked-off', statusUrl });
    return statusUrl;
  };

  const settings: PollSettings = { pollIntervalMs: 1000, maxPollIntervalMs: 30_000, maxWaitMs: 3_600_000, ...options.poll };
  /** Polls a status URL to its result, or to `gone` / a failure. */
  const poll = async (statusUrl: string): Promise<BulkImportSummary | { gone: true } | { fail: string }> => {
    const state = { startedAt: now(), intervalMs: settings.pollIntervalMs, failures: 0 };
    for (;;) {
      const reply = await request(statusUrl, { headers: { accept: 'application/json' } });
      const answer = reply.kind === 'response' ? reply : undefined;
      const step = pollStep(answer, state, settings, policy, now(), random);
      if (step.next === 'manifest') {
        const body = (await jsonOf(answer?.body ?? null)) as
          | { transactionTime?: string; requiresAccessToken?: boolean; output?: BulkImportSummary['output']; error?: BulkImportSummary['errors'] }
          | undefined;
        const output = body?.output ?? [];
        const errors = body?.error ?? [];
        const summary: BulkImportSummary = {
          ...(body?.transactionTime === undefined ? {} : { transactionTime: body.transactionTime }),
          ...(typeof body?.requiresAccessToken === 'boolean' ? { requiresAccessToken: body.requiresAccessToken } : {}),
          statusUrl,
          output,
          errors,
          imported: output.reduce((sum, o) => sum + o.count, 0),
          refused: errors.reduce((sum, e) => sum + e.count, 0),
        };
        emit({ type: 'done', imported: summary.imported, refused: summary.refused });
        return summary;
      }
      await answer?.body?.cancel();
      if (step.next === 'gone') return { gone: true };
      if (step.next === 'fail') return { fail: step.reason.replace('export', 'import') };
      emit({ type: 'waiting', delayMs: step.delayMs, ...(step.progress === undefined ? {} : { progress: step.progress }) });
      await sleep(step.delayMs, signal);
    }
  };

  if (options.statusUrl !== undefined) {
    emit({ type: 'resumed', statusUrl: options.statusUrl });
    const earlier = await poll(options.statusUrl);
    if ('output' in earlier) return earlier;
    // The server lost the job, or it failed: the same files again (each resource under its own id).
    emit({ type: 'kick-off-again', reason: 'gone' in earlier ? 'gone' : 'failed' });
  }
  const outcome = await poll(await kickOff());
  if ('gone' in outcome) throw failed('the import status is gone (HTTP 404 or 410)');
  if ('fail' in outcome) throw failed(outcome.fail);
  return outcome;
}
