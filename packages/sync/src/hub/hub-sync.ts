/**
 * One clinic's sync run through the PostgreSQL outbox: queue the clinic's writes as a run of the
 * hub, let workers send them (here, in other processes, on other machines), write the run's
 * Provenance for what landed, and close the run once nothing is left — `sync`, for hubs.
 */
import { SYNC_ERROR_CODES, SyncError } from '../errors';
import type { StopReason } from '../events';
import { createEmitter } from '../internal/emitter';
import { passGate, type Withheld } from '../internal/gate';
import type { OutboxEntry } from '../outbox';
import { provenanceCoverage, runProvenanceEntries } from '../provenance';
import type { PushSummary } from '../push';
import type { RateBudgetOptions } from '../rate-budget';
import type { SyncOptions, SyncSummary } from '../sync';
import type { PgOutbox } from './pg-outbox';
import { runHubWorker, type HubWorkerSummary } from './worker';

/** Options of {@link hubSync}: those of `sync` with the PostgreSQL outbox and the workers. */
export interface HubSyncOptions extends Omit<SyncOptions, 'outbox' | 'queueWindow'> {
  /** The PostgreSQL outbox (`openPgOutbox`). Required. */
  outbox: PgOutbox;
  /** The clinic the run belongs to (one unfinished run per clinic). Required. */
  clinic: string;
  /**
   * Workers this call runs, each claiming and sending on its own (in this process: more cores or
   * machines take `runHubWorker` in other processes). `0`: this call only queues, writes the
   * Provenance and waits while other processes send. Default 1. A `rate` is the run's: each worker
   * keeps to its share (`writesPerSecond / workers`).
   */
  workers?: number;
  /** Most entries per claim. Default 500. */
  claimSize?: number;
  /** How often idle workers (and a call with no workers) look for work, in ms. Default 200. */
  pollMs?: number;
  /** The run's disclosure mode (`internal`, or `consent:` and a hash): a resumed run must match. Default `internal`. */
  disclosure?: string;
  /**
   * Receives the run's id once it is known (started or resumed), before the input is read: a
   * disclosure gate positions its ledger entries in this run (`SyncGateRun.id`). Default: none.
   */
  onRun?: (id: string) => void;
}

/** What a hub run did: the counts of `sync`, with the run's id. */
export interface HubSyncSummary extends SyncSummary {
  /** The run's id in the hub. */
  run: string;
  /** Workers of this call, and what each did. */
  workers: HubWorkerSummary[];
}

/** A worker's share of the run's rate budget: its caps divided among the workers (bursts too). */
export function shareOf(rate: RateBudgetOptions, workers: number): RateBudgetOptions {
  const share = (value: number | undefined): number | undefined => (value === undefined ? undefined : value / workers);
  const writesPerSecond = share(rate.writesPerSecond);
  const requestsPerSecond = share(rate.requestsPerSecond);
  const burst = rate.burst === undefined ? undefined : Math.max(1, Math.floor(rate.burst / workers));
  return {
    ...rate,
    ...(writesPerSecond === undefined ? {} : { writesPerSecond }),
    ...(requestsPerSecond === undefined ? {} : { requestsPerSecond }),
    ...(burst === undefined ? {} : { burst }),
  };
}

/** Two rounds of one worker, as one. */
function merge(first: HubWorkerSummary | undefined, then: HubWorkerSummary): HubWorkerSummary {
  if (first === undefined) return then;
  const sum = { ...first };
  for (const key of ['claims', 'sent', 'confirmed', 'retried', 'deadLettered', 'reconciled', 'requests', 'pacedMs', 'pausedMs', 'throttled'] as const) sum[key] += then[key];
  const plan = first.plan ?? then.plan;
  const stopped = then.stopped ?? first.stopped;
  delete sum.stopped;
  return { ...sum, ...(plan === undefined ? {} : { plan }), ...(stopped === undefined ? {} : { stopped }) };
}

/** Stops after which the server is likely to take the Provenance now; after others it waits for the resume. */
const SEND_PROVENANCE_AFTER = new Set<StopReason | undefined>([undefined, 'retries-exhausted']);

/**
 * Runs one clinic's sync through the PostgreSQL outbox. Queues `entries` as the clinic's run (or
 * resumes its unfinished run), runs `workers` workers on it while it is queued, writes one
 * Provenance per activity for what landed (also when the run stops part-way; a resume writes the
 * rest, no resource named twice), and closes the run when nothing of it is pending.
 *
 * @param options - input, outbox, clinic, workers, server and limits; see {@link HubSyncOptions}
 * @returns the summary: counts of the run (all its workers', wherever they ran)
 * @throws SyncError `sync.unfinished-run` when the clinic has an unfinished run and `resume` is not
 *   set; `sync.disclosure-mismatch` / `sync.recipient-mismatch` when a resume names another
 *   disclosure mode than the run started with
 * @example
 * const outbox = await openPgOutbox({ connectionString });
 * const summary = await hubSync({ outbox, clinic: 'clinic-7', entries, transport, workers: 4 });
 */
export async function hubSync(options: HubSyncOptions): Promise<HubSyncSummary> {
  const { outbox, clinic } = options;
  const emit = createEmitter(options.onEvent);
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 0) throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'workers must be a whole number, at least 0');
  const disclosure = options.disclosure ?? 'internal';
  const started = Date.now();
  let run = await outbox.findRun(clinic);
  if (run !== undefined && options.resume !== true) {
    throw new SyncError(SYNC_ERROR_CODES.unfinishedRun, 'the clinic has an unfinished run in the PostgreSQL outbox; resume it');
  }
  if (run !== undefined && run.disclosure !== disclosure) {
    const both = run.disclosure.startsWith('consent:') && disclosure.startsWith('consent:');
    throw new SyncError(
      both ? SYNC_ERROR_CODES.recipientMismatch : SYNC_ERROR_CODES.disclosureMismatch,
      both ? 'the unfinished run was started with another recipient; resume it with the same' : 'the unfinished run was started with another disclosure mode; resume it the same way',
    );
  }
  if (run !== undefined) await outbox.resetClaims(run.id);
  run ??= await outbox.startRun(clinic, disclosure);
  const runId = run.id;
  options.onRun?.(runId);

  const { outbox: _outbox, clinic: _clinic, entries: _entries, withhold, provenance: provenanceOption, onRun: _onRun, ...rest } = options;
  // The caller's rate is the run's: each of this call's workers keeps to its share.
  const pushOptions = { ...rest, ...(options.rate === undefined ? {} : { rate: shareOf(options.rate, Math.max(1, workers)) }) };
  const halt = new AbortController();
  const onAbort = (): void => halt.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted === true) halt.abort();
  const startWorkers = (): Promise<HubWorkerSummary[]> =>
    Promise.all(
      Array.from({ length: workers }, () =>
        runHubWorker({ ...pushOptions, outbox, run: runId, signal: halt.signal, ...(options.claimSize === undefined ? {} : { claimSize: options.claimSize }), ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }) }),
      ),
    );
  /** With no workers of its own, the call waits while other processes send (until the run is drained or cannot move). */
  const waitForOthers = async (): Promise<void> => {
    let stuck = 0;
    while (!halt.signal.aborted) {
      const counts = await outbox.counts(runId);
      if (counts.pending === 0 && counts.queueing === 0) return;
      stuck = counts.leased === 0 && counts.retryLater === 0 && counts.queueing === 0 && counts.pending === counts.exhausted ? stuck + 1 : 0;
      if (stuck >= 2) return;
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
    }
  };

  let queued = 0;
  const tally: Withheld = { withheld: 0, withheldBy: {} };
  const done: HubWorkerSummary[] = [];
  try {
    const running = startWorkers();
    // A worker failure (the database went away) must not go unhandled while the input is queued.
    running.catch(() => halt.abort());
    try {
      if (!run.complete) {
        const chunkSize = options.queueChunk ?? 500;
        let chunk: OutboxEntry[] = [];
        const flush = async (): Promise<void> => {
          if (chunk.length === 0) return;
          const added = await outbox.add(runId, chunk);
          queued += added;
          emit({ type: 'queued', count: added, skipped: chunk.length - added });
          chunk = [];
        };
        for await (const entry of passGate(options.entries ?? [], withhold, tally, emit)) {
          if (halt.signal.aborted) break;
          chunk.push(entry);
          if (chunk.length >= chunkSize) await flush();
        }
        if (!halt.signal.aborted) {
          await flush();
          // The whole input is queued: entries still waiting for an unknown urn:uuid can now go (and be refused).
          await outbox.markComplete(runId);
        }
      }
    } catch (error) {
      halt.abort();
      await running.catch(() => undefined);
      throw error;
    }
    done.push(...(await running));
    if (workers === 0) await waitForOthers();

    // The run's Provenance, for what landed and no Provenance of the run names yet.
    const stopped = done.find((w) => w.stopped !== undefined && w.stopped !== 'retries-exhausted')?.stopped ?? done.find((w) => w.stopped !== undefined)?.stopped;
    const before = await outbox.counts(runId);
    const provenance: string[] = [];
    if (provenanceOption !== false && before.confirmed > 0) {
      const author = provenanceOption?.author;
      const authorRefused = author?.reference !== undefined && (await outbox.stateOf(runId, author.reference)) === 'dead-lettered';
      const covered = await provenanceCoverage(outbox.keys(runId), runId);
      const fresh: OutboxEntry[] = [];
      for await (const entry of runProvenanceEntries({
        runId,
        confirmations: outbox.confirmations(runId),
        covered,
        recorded: new Date((options.now ?? Date.now)()).toISOString(),
        ...(author === undefined || authorRefused ? {} : { author }),
        ...(provenanceOption?.transmitter === undefined ? {} : { transmitter: provenanceOption.transmitter }),
      })) {
        fresh.push(entry);
        provenance.push(entry.key);
      }
      if (fresh.length > 0) await outbox.add(runId, fresh);
      if (SEND_PROVENANCE_AFTER.has(stopped) && !halt.signal.aborted) {
        (await startWorkers()).forEach((more, i) => (done[i] = merge(done[i], more)));
        if (workers === 0) await waitForOthers();
      }
    }

    const counts = await outbox.counts(runId);
    const finished = counts.pending === 0 && (await outbox.finishRun(runId));
    const total = (key: keyof Omit<HubWorkerSummary, 'plan' | 'stopped'>): number => done.reduce((sum, w) => sum + w[key], 0);
    const plan = done.find((w) => w.plan !== undefined)?.plan ?? { mode: options.writeMode === 'auto' || options.writeMode === undefined ? 'transaction' : options.writeMode, reason: 'configured', batchSize: options.batchSize ?? 100, maxBundleBytes: options.maxBundleBytes ?? 1_048_576, concurrency: options.concurrency ?? 4 };
    const elapsedMs = Math.max(0, Date.now() - started);
    const lastStop = finished ? undefined : (stopped ?? (counts.pending > 0 ? (halt.signal.aborted ? 'aborted' : 'retries-exhausted') : undefined));
    const summary: PushSummary = {
      plan,
      sent: total('sent'),
      confirmed: counts.confirmed,
      retried: total('retried'),
      deadLettered: counts.deadLettered,
      pending: counts.pending,
      reconciled: total('reconciled'),
      requests: total('requests'),
      rate: {
        writesPerSecond: elapsedMs === 0 ? 0 : ((counts.confirmed - counts.provenance) * 1000) / elapsedMs,
        elapsedMs,
        pacedMs: total('pacedMs'),
        pausedMs: total('pausedMs'),
        throttled: total('throttled'),
      },
      ...(lastStop === undefined ? {} : { stopped: lastStop }),
    };
    // The Provenance written (those confirmed), as `Type/id`.
    const keys = new Set(provenance);
    const written: string[] = [];
    if (keys.size > 0) for await (const c of outbox.confirmations(runId)) if (keys.has(c.key)) written.push(c.location);
    return { ...summary, confirmed: counts.confirmed - counts.provenance, queued, ...tally, provenance: written, finished, run: runId, workers: done };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
