/**
 * A FHIR Bulk Data Access client for `$export`: kick-off at system, patient or group level with
 * `Prefer: respond-async`, polling the status URL (honouring `Retry-After`, reporting `X-Progress`),
 * then every NDJSON file of the manifest streamed line by line (with the token when
 * `requiresAccessToken`). With a state file it resumes after a crash: no second kick-off, no second
 * wait, and files continue after the lines already handed over.
 */
import type { Resource } from 'fhir/r4';
import type { AuthProvider } from '../auth';
import { SYNC_ERROR_CODES, SyncError } from '../errors';
import { sleep } from '../internal/sleep';
import { backoffDelay, createRetryPolicy, serverDelay, type RetryOptions, type RetryPolicy } from '../retry';
import { createBulkHttp, jsonOf, ndjsonLines, type BulkHttp, type BulkReply } from './http';
import { toManifest, type BulkManifest } from './manifest';
import { pollStep, type PollSettings } from './poll';
import { clearState, loadState, saveState, type BulkExportState } from './state';

/** Where an export starts: the whole system, every patient, or the members of one Group. */
export type BulkExportLevel = 'system' | 'patient' | { group: string };

/** Options of {@link bulkExport}. */
export interface BulkExportOptions {
  /** The server's FHIR base URL. Required. */
  baseUrl: string;
  /**
   * How requests are authorized. The token goes to the base URL's origin only — the kick-off, the
   * status URL, and the manifest's files when it says `requiresAccessToken` — never through a
   * redirect to another origin. Default: not at all.
   */
  auth?: AuthProvider;
  /**
   * Origins besides the base URL's that may receive the token with the manifest's files (when it
   * says `requiresAccessToken`): the server's own file host, e.g. `https://files.ehr.example.org`.
   * Never the status URL's. A file on another origin that requires the token fails the export
   * (`sync.bulk-export-failed`) instead of sending it there. Default none.
   */
  fileTokenOrigins?: readonly string[];
  /** `system` (`[base]/$export`), `patient` (`[base]/Patient/$export`) or `{ group: id }` (`[base]/Group/<id>/$export`). Default `system`. */
  level?: BulkExportLevel;
  /** `_type`: the resource types to export. Default: what the server exports. */
  types?: readonly string[];
  /** `_since`: only resources changed after this FHIR instant (an earlier export's `transactionTime`). Default: all. */
  since?: string;
  /**
   * A file keeping the export's state (status URL, manifest, lines handed over per file), so that a
   * run after a crash resumes the same export instead of kicking off again. Removed when the export
   * is done. Lines handed over since the last save (at most 500 per file) come again. Default: none.
   */
  stateFile?: string;
  /** Wait between polls when the server gives no `Retry-After`, in ms; it doubles up to `maxPollIntervalMs`. Default 2,000. */
  pollIntervalMs?: number;
  /** Longest wait between polls, in ms. Default 60,000. */
  maxPollIntervalMs?: number;
  /** Longest time to wait for the export to complete, in ms. Default 3,600,000 (an hour). */
  maxWaitMs?: number;
  /** Retries of failed requests (network, time limit, 429, 5xx), their backoff and time limit. Default `DEFAULT_RETRY`. */
  retry?: RetryOptions;
  /** Allow plain `http://` to a host that is not loopback. Default false. */
  allowInsecureHttp?: boolean;
  /** Delete the job on the server once every file is read (`DELETE` the status URL). Default true. */
  deleteWhenDone?: boolean;
  /** Stops the export (rejects with the signal's reason); the state file keeps where it was. */
  signal?: AbortSignal;
  /** Receives progress events (never resource content). Exceptions it throws are ignored. */
  onEvent?: (event: BulkExportEvent) => void;
  /** The clock in ms (default `Date.now`); for tests. */
  now?: () => number;
  /** Uniform random numbers in [0, 1) for jitter (default `Math.random`); for tests. */
  random?: () => number;
}

/** A progress event of an export. */
export type BulkExportEvent =
  /** The export was kicked off (`resumed`: an earlier run's export is continued instead). */
  | { type: 'kicked-off'; resumed: boolean }
  /** The export is not ready (or a poll failed): the next poll in `delayMs`; `progress` is the server's `X-Progress`. */
  | { type: 'waiting'; delayMs: number; progress?: string; failed: boolean }
  /** The manifest is in: how many data and error files. */
  | { type: 'ready'; files: number; errorFiles: number }
  /** A file was read to its end (`skipped`: lines an earlier run already handed over). */
  | { type: 'file'; resourceType: string; index: number; lines: number; skipped: number; invalid: number }
  /** A request failed and is tried again. */
  | { type: 'retried'; step: 'kick-off' | 'file'; status?: number; code?: string; delayMs: number };

/** What an export read. */
export interface BulkExportSummary {
  /** The server's snapshot time: pass it as `since` to the next, incremental export. */
  transactionTime: string;
  /** Data files read. */
  files: number;
  /** Resources handed over by this run (not counting lines skipped on resume). */
  resources: number;
  /** Lines that were not a JSON resource (left out). */
  invalid: number;
  /** Error files the manifest lists (OperationOutcomes about what could not be exported; not read). */
  errorFiles: number;
}

/** Lines between two saves of the state. */
const SAVE_EVERY = 500;

/** What the steps of one export share. */
interface ExportRun {
  readonly http: BulkHttp;
  readonly policy: RetryPolicy;
  readonly random: () => number;
  readonly now: () => number;
  readonly emit: (event: BulkExportEvent) => void;
  readonly signal: AbortSignal | undefined;
}

function fail(reason: string): SyncError {
  return new SyncError(SYNC_ERROR_CODES.bulkExportFailed, `Bulk Data export: ${reason}`);
}

/** The kick-off URL of the options: level, `_type`, `_since`. */
function kickOffUrl(base: URL, options: BulkExportOptions): string {
  const level = options.level ?? 'system';
  const path = level === 'system' ? '$export' : level === 'patient' ? 'Patient/$export' : `Group/${encodeURIComponent(level.group)}/$export`;
  const params = new URLSearchParams();
  if (options.types !== undefined && options.types.length > 0) params.set('_type', options.types.join(','));
  if (options.since !== undefined) params.set('_since', options.since);
  const query = params.toString();
  return `${base.href.replace(/\/+$/, '')}/${path}${query === '' ? '' : `?${query}`}`;
}

/** The step of a request that failed for good, in words (never a value). */
function refusal(step: string, reply: BulkReply): string {
  return reply.kind === 'response' ? `the server refused the ${step} (HTTP ${reply.status})` : `the ${step} got no answer (${reply.kind === 'network' ? reply.code : 'time limit'})`;
}

/** True for an answer worth trying again: none at all, 408, 429, 5xx. */
function retryable(reply: BulkReply): boolean {
  return reply.kind !== 'response' || reply.status === 408 || reply.status === 429 || reply.status >= 500;
}

/**
 * Exports resources from a FHIR server with the Bulk Data `$export` operation and yields them one
 * at a time, streamed from its NDJSON files (a file is never held whole). Feed it to
 * `@peerkit/fhir`'s `readHostFhir` to read the host's data into PeerKit records.
 *
 * - Kick-off: `GET [base]/$export` (or `Patient/$export`, `Group/<id>/$export`) with
 *   `Prefer: respond-async` and `Accept: application/fhir+json`; the 202's `Content-Location` is
 *   the status URL (the token is never sent to another origin).
 * - Polling: 202 waits for the server's `Retry-After` (else `pollIntervalMs`, doubling), reporting
 *   `X-Progress`; network errors, 429 and 5xx are retried with backoff; 404/410 on a resumed export
 *   kicks off again; `maxWaitMs` bounds the whole wait.
 * - Download: each `output` file with `Accept: application/fhir+ndjson`, the token when the manifest
 *   says `requiresAccessToken` and the file is on the base's origin (or one of `fileTokenOrigins`);
 *   redirects followed, the token dropped at the first hop to another origin; a download cut
 *   part-way continues after the lines already handed over.
 *
 * @param options - server, level, types and limits; see {@link BulkExportOptions}
 * @returns the resources, then (as the generator's return value) a {@link BulkExportSummary}
 * @throws SyncError `sync.bulk-export-failed` when the server refuses the kick-off, the export
 *   fails or does not complete within `maxWaitMs`, or a file cannot be read after every retry;
 *   `sync.insecure-url` for plain http to a host that is not loopback (a redirect's too);
 *   `sync.invalid-option` for a `fileTokenOrigins` entry that is not a URL
 * @example
 * const host = await readHostFhir(bulkExport({ baseUrl: 'https://ehr.example.org/fhir', auth, level: { group: 'peer-program' } }));
 *
 * See: https://hl7.org/fhir/uv/bulkdata/STU2/export.html
 */
export async function* bulkExport(options: BulkExportOptions): AsyncGenerator<Resource, BulkExportSummary, undefined> {
  const policy = createRetryPolicy(options.retry);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const emit = (event: BulkExportEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not stop the export.
    }
  };
  const http = createBulkHttp({
    baseUrl: options.baseUrl,
    timeoutMs: policy.timeoutMs,
    allowInsecureHttp: options.allowInsecureHttp === true,
    ...(options.auth === undefined ? {} : { auth: options.auth }),
    ...(options.fileTokenOrigins === undefined ? {} : { fileTokenOrigins: options.fileTokenOrigins }),
  });
  const signal = options.signal;
  const run: ExportRun = { http, policy, random, now, emit, signal };
  const request = kickOffUrl(http.base, options);
  const file = options.stateFile;
  const save = async (state: BulkExportState): Promise<void> => {
    if (file !== undefined) await saveState(file, state);
  };
  const loaded = file === undefined ? undefined : await loadState(file, request);
  let state: BulkExportState = loaded ?? { request, lines: [] };
  // An export an earlier run started may be gone from the server (expired): it is started again, once.
  let resumed = state.statusUrl !== undefined;
  const restart = async (): Promise<void> => {
    state = { request, lines: [], statusUrl: await kickOff(run, request) };
    await save(state);
  };
  const settings: PollSettings = {
    pollIntervalMs: options.pollIntervalMs ?? 2_000,
    maxPollIntervalMs: options.maxPollIntervalMs ?? 60_000,
    maxWaitMs: options.maxWaitMs ?? 3_600_000,
  };
  if (state.statusUrl === undefined) await restart();
  emit({ type: 'kicked-off', resumed });

  let resources = 0;
  let invalid = 0;
  for (;;) {
    if (state.manifest === undefined) {
      const manifest = await waitForManifest(run, state.statusUrl ?? '', settings);
      if (manifest === 'gone') {
        if (!resumed) throw fail('the export job disappeared from the server');
        resumed = false;
        await restart();
        continue;
      }
      state = { ...state, manifest };
      await save(state);
      emit({ type: 'ready', files: manifest.output.length, errorFiles: manifest.error.length });
    }
    const { manifest } = state;
    if (manifest === undefined) continue;
    let gone = false;
    for (let index = state.done ?? 0; index < manifest.output.length && !gone; index++) {
      const output = manifest.output[index] as BulkManifest['output'][number];
      const skip = state.lines[index] ?? 0;
      let handed = skip;
      let bad = 0;
      for (let attempt = 1; ; attempt++) {
        const reply = await http.send(output.url, { authorize: manifest.requiresAccessToken, file: true, headers: { accept: 'application/fhir+ndjson' }, ...(signal === undefined ? {} : { signal }) });
        let cut: BulkReply | undefined;
        if (reply.kind === 'response' && reply.status >= 200 && reply.status < 300 && reply.body !== null) {
          let seen = 0;
          try {
            for await (const line of ndjsonLines(reply.body)) {
              if (seen++ < handed) continue;
              let resource: unknown;
              try {
                resource = JSON.parse(line);
              } catch {
                resource = undefined;
              }
              handed++;
              state.lines[index] = handed;
              if (typeof (resource as { resourceType?: unknown } | undefined)?.resourceType !== 'string') {
                bad++;
                continue;
              }
              resources++;
              yield resource as Resource;
              if (handed % SAVE_EVERY === 0) await save(state);
            }
            break;
          } catch (error) {
            if (signal?.aborted === true) throw error;
            // The download was cut part-way: go again, after the lines already handed over.
            cut = { kind: 'network', code: 'ECONNRESET' };
          }
        } else {
          await (reply.kind === 'response' ? reply.body?.cancel() : undefined);
          if (resumed && reply.kind === 'response' && (reply.status === 404 || reply.status === 410)) {
            // The files of an export an earlier run started are gone (expired): start it again.
            gone = true;
            break;
          }
          if (!retryable(reply)) throw fail(refusal(`download of file ${index + 1}`, reply));
          cut = reply;
        }
        await retryAfter(run, 'file', `download of file ${index + 1}`, cut, attempt);
      }
      if (gone) break;
      state.lines[index] = handed;
      state.done = index + 1;
      await save(state);
      invalid += bad;
      emit({ type: 'file', resourceType: output.type, index, lines: handed - skip, skipped: skip, invalid: bad });
    }
    if (!gone) break;
    resumed = false;
    await restart();
  }
  const { manifest } = state;
  if (manifest === undefined) throw fail('the export ended without a manifest');

  if (options.deleteWhenDone !== false && state.statusUrl !== undefined) {
    // Best effort: the server drops expired jobs by itself.
    const reply = await http.send(state.statusUrl, { method: 'DELETE', authorize: true, ...(signal === undefined ? {} : { signal }) }).catch(() => undefined);
    if (reply?.kind === 'response') await reply.body?.cancel();
  }
  if (file !== undefined) await clearState(file);
  return { transactionTime: manifest.transactionTime, files: manifest.output.length, resources, invalid, errorFiles: manifest.error.length };
}

/**
 * After a failed request: gives up once it had `maxAttempts` (or the server asks for too long a
 * pause), else waits the server's `Retry-After` or the backoff, and says so.
 */
async function retryAfter(run: ExportRun, step: 'kick-off' | 'file', what: string, reply: BulkReply, attempt: number): Promise<void> {
  if (attempt >= run.policy.maxAttempts) throw fail(refusal(what, reply));
  const asked = reply.kind === 'response' ? serverDelay(reply.headers, run.now()) : undefined;
  if (asked !== undefined && asked > run.policy.maxServerDelayMs) throw fail('the server asked for a longer pause than maxServerDelayMs');
  const delayMs = asked ?? backoffDelay(attempt, run.policy, run.random);
  run.emit({ type: 'retried', step, ...(reply.kind === 'response' ? { status: reply.status } : {}), ...(reply.kind === 'network' ? { code: reply.code } : {}), delayMs });
  await sleep(delayMs, run.signal);
}

/** Kicks the export off; returns the status URL. */
async function kickOff(run: ExportRun, request: string): Promise<string> {
  const { http, signal } = run;
  for (let attempt = 1; ; attempt++) {
    const reply = await http.send(request, { authorize: true, headers: { accept: 'application/fhir+json', prefer: 'respond-async' }, ...(signal === undefined ? {} : { signal }) });
    if (reply.kind === 'response') await reply.body?.cancel();
    if (reply.kind === 'response' && reply.status === 202) {
      const location = reply.headers.get('content-location');
      if (location === null) throw fail('the kick-off answer has no Content-Location');
      return new URL(location, `${http.base.href.replace(/\/+$/, '')}/`).href;
    }
    if (reply.kind === 'response' && reply.status < 300) throw fail(`the server answered the kick-off with HTTP ${reply.status}, not 202 (an asynchronous export)`);
    if (!retryable(reply)) throw fail(refusal('kick-off', reply));
    await retryAfter(run, 'kick-off', 'kick-off', reply, attempt);
  }
}

/** Polls the status URL until the manifest is in (or the job is gone). */
async function waitForManifest(run: ExportRun, statusUrl: string, settings: PollSettings): Promise<BulkManifest | 'gone'> {
  const { http, policy, random, now, emit, signal } = run;
  const state = { startedAt: now(), intervalMs: settings.pollIntervalMs, failures: 0 };
  for (;;) {
    const reply = await http.send(statusUrl, { authorize: true, headers: { accept: 'application/json' }, ...(signal === undefined ? {} : { signal }) });
    const answer = reply.kind === 'response' ? { status: reply.status, headers: reply.headers } : undefined;
    const step = pollStep(answer, state, settings, policy, now(), random);
    if (step.next === 'manifest') {
      const manifest = toManifest(await jsonOf(reply.kind === 'response' ? reply.body : null));
      if (manifest === undefined) throw fail('the completed export answered without a readable manifest');
      return manifest;
    }
    if (reply.kind === 'response') await reply.body?.cancel();
    if (step.next === 'gone') return 'gone';
    if (step.next === 'fail') throw fail(step.reason);
    emit({ type: 'waiting', delayMs: step.delayMs, failed: step.failed, ...(step.progress === undefined ? {} : { progress: step.progress }) });
    await sleep(step.delayMs, signal);
  }
}
