/**
 * One sync run: queue the writes in the outbox (durably), push them, write the run's Provenance,
 * and close the run once everything is confirmed. A run that stops early (crash, outage, rate
 * limit) is continued with `resume: true`: nothing queued is lost, nothing confirmed is sent again.
 */
import type { BundleEntry, Reference } from 'fhir/r4';
import { SYNC_ERROR_CODES, SyncError } from './errors';
import { createEmitter } from './internal/emitter';
import { passGate, type Withheld } from './internal/gate';
import type { Outbox, OutboxEntry } from './outbox';
import type { StopReason } from './events';
import { provenanceCoverage, runProvenanceEntries, SYNC_RUN_TAG_SYSTEM } from './provenance';
import { pushOnly, startFedPush, type PushOptions, type PushSummary } from './push';

/** Options of {@link sync}. */
export interface SyncOptions extends PushOptions {
  /**
   * The writes: transaction Bundle entries (e.g. `toTransactionBundle(…).entry`), an entry before
   * the entries that refer to it. Read lazily, so a large input can be streamed. Not read when
   * resuming a run whose input was already queued whole. An entry (and its resource) must not be
   * changed once yielded: until it settles, the run sends the object it was given (kept in memory
   * beside the outbox's copy), so a change would send something other than what was journaled.
   */
  entries?: Iterable<BundleEntry> | AsyncIterable<BundleEntry>;
  /**
   * Continue the outbox's unfinished run. Default false: an unfinished run in the outbox is an
   * error (`sync.unfinished-run`), so two inputs are never mixed by accident.
   */
  resume?: boolean;
  /**
   * The disclosure gate: returns a reason (a stable code, never a value) to withhold an entry from
   * this server, or undefined to send it. Withheld entries are counted and reported, never queued.
   * Default: nothing is withheld (the clinic's own server). For another organization's server, pass
   * `createDisclosureGate({ consents, recipient, now })`: the peers' consents decide each entry.
   */
  withhold?: (entry: BundleEntry) => string | undefined;
  /**
   * The run's Provenance: `false` for none; otherwise its author and transmitter. Default: a
   * Provenance with the transmitter `PeerKit sync` and no author.
   */
  provenance?: false | { author?: Reference; transmitter?: Reference };
  /** Entries queued per outbox write (one fsync each). Default 500. */
  queueChunk?: number;
  /**
   * Most pending entries that can move (not waiting for another entry or stalled) at once:
   * queueing waits while the push catches up, so memory stays flat however large the input.
   * Default 5,000.
   */
  queueWindow?: number;
}

/** What a sync run did. Counts are of resources. */
export interface SyncSummary extends PushSummary {
  /** Entries queued by this call (not counting ones already in the outbox). */
  queued: number;
  /** Entries withheld by the disclosure gate, by reason. */
  withheld: number;
  /** Withheld entries by reason code. */
  withheldBy: Record<string, number>;
  /**
   * Provenance resources this call wrote for the run (their `Type/id`): for what landed, also when
   * it stopped part-way (those of a run stopped because the server could not take requests wait in
   * the outbox and go with the resume).
   */
  provenance: string[];
  /** True when the run is complete: every entry confirmed or dead-lettered, and the run closed. */
  finished: boolean;
}

/**
 * Runs a sync: queues `entries` in the outbox (or resumes the run there), pushes everything to the
 * server (see {@link push}), writes one Provenance per activity for what landed — also when the run
 * stops part-way (a resume then writes Provenance for the rest; no resource is named twice) — and
 * closes the run when nothing is left pending. Expected problems are in the summary, not thrown: dead
 * letters, withheld entries, and `stopped` when the server could not take everything.
 *
 * @param options - input, outbox, server and limits; see {@link SyncOptions}
 * @returns the summary
 * @throws SyncError `sync.unfinished-run` when the outbox holds an unfinished run and `resume` is not set
 * @example
 * const outbox = await openFileOutbox('.peerkit-sync');
 * const transport = createFhirTransport({ baseUrl: 'https://fhir.example.org/r4', auth });
 * const summary = await sync({ transport, outbox, entries: bundle.entry ?? [] });
 * await outbox.close();
 */
export async function sync(options: SyncOptions): Promise<SyncSummary> {
  const { outbox } = options;
  const emit = createEmitter(options.onEvent);
  // A run whose every entry settled but whose close did not happen (a crash at the very end).
  if (outbox.runId !== undefined && outbox.complete && outbox.counts().pending === 0 && options.resume !== true) {
    await outbox.finish();
  }
  if (outbox.runId !== undefined && options.resume !== true) {
    throw new SyncError(
      SYNC_ERROR_CODES.unfinishedRun,
      `the outbox holds an unfinished run (${outbox.counts().pending} entries pending); resume it or use another state directory`,
    );
  }

  const chunkSize = options.queueChunk ?? 500;
  const window = Math.max(options.queueWindow ?? 5000, chunkSize);
  let queued = 0;
  const tally: Withheld = { withheld: 0, withheldBy: {} };
  let summary: PushSummary;
  // The run's Provenance goes after its data (see writeProvenance); without Provenance, everything goes.
  const accept = options.provenance === false ? () => true : isData;
  if (outbox.complete) {
    summary = await pushOnly(options, accept);
  } else {
    // Queue and push at once: the outbox holds a bounded window of the input, not all of it.
    const engine = startFedPush(options, accept);
    let chunk: OutboxEntry[] = [];
    const flush = async (): Promise<void> => {
      if (chunk.length === 0) return;
      await engine.roomFor(window);
      const fresh = new Map<string, OutboxEntry>();
      for (const entry of chunk) if (!fresh.has(entry.key) && outbox.resolve(entry.key) === undefined) fresh.set(entry.key, entry);
      const added = await outbox.add(chunk);
      queued += added;
      engine.enqueue([...fresh.values()].filter((entry) => outbox.status(entry.key) === 'pending'));
      emit({ type: 'queued', count: added, skipped: chunk.length - added });
      chunk = [];
    };
    try {
      for await (const entry of passGate(options.entries ?? [], options.withhold, tally, emit)) {
        if (engine.stopped) break;
        chunk.push(entry);
        if (chunk.length >= chunkSize) await flush();
      }
      if (!engine.stopped) {
        await flush();
        // The whole input is queued: a resume need not read it again.
        if (outbox.runId !== undefined) await outbox.markComplete();
      }
    } catch (error) {
      // The input failed (an unreadable export, a mapping error): stop sending, let what is in
      // flight settle, then report the input's error. What was queued stays for a resume.
      engine.halt();
      await engine.result.catch(() => undefined);
      throw error;
    }
    engine.closeInput();
    summary = await engine.result;
  }

  const provenance =
    options.provenance === false || outbox.runId === undefined ? { summary, written: [] } : await writeProvenance(options, outbox.runId, summary);
  summary = provenance.summary;
  let finished = false;
  if (summary.stopped === undefined && summary.pending === 0 && (outbox.complete || outbox.runId === undefined)) {
    await outbox.finish();
    finished = true;
  }
  return { ...summary, queued, ...tally, provenance: provenance.written, finished };
}

/** True for the run's data, false for its own Provenance (sent apart, after the data). */
function isData(key: string): boolean {
  return !key.startsWith(`Provenance?_tag=${encodeURIComponent(SYNC_RUN_TAG_SYSTEM)}|`);
}

/** Stops after which the server is likely to take the Provenance now; after others it waits in the outbox for the resume. */
const SEND_PROVENANCE_AFTER = new Set<StopReason | undefined>([undefined, 'retries-exhausted']);

/** The outbox's keys: confirmed in the run, then pending. */
async function* outboxKeys(outbox: Outbox): AsyncGenerator<string> {
  for await (const confirmation of outbox.confirmations()) yield confirmation.key;
  yield* outbox.pendingKeys();
}

/**
 * Writes the run's Provenance for what landed and no Provenance of the run names yet — when the
 * run finished, and when it stopped part-way (then for what landed so far; a resume writes the
 * rest). The entries go into the outbox first (durable, exactly once); they are sent now unless
 * the run stopped because the server cannot take requests (down, rate-limited, unauthorized) or
 * was aborted: then with the resume. Only the Provenance is sent here, never the run's stalled
 * entries again.
 */
async function writeProvenance(options: SyncOptions, runId: string, ran: PushSummary): Promise<{ summary: PushSummary; written: string[] }> {
  const { outbox } = options;
  let summary = ran;
  const coverage = await provenanceCoverage(outboxKeys(outbox), runId);
  // An author the server refused (e.g. the clinic's Organization, dead-lettered in this run) cannot
  // be referred to: the Provenance then names only the transmitter.
  const author = options.provenance === false ? undefined : options.provenance?.author;
  const transmitter = options.provenance === false ? undefined : options.provenance?.transmitter;
  const authorRefused = author?.reference !== undefined && outbox.resolve(author.reference)?.state === 'dead-lettered';
  const keys: string[] = [];
  let fresh: OutboxEntry[] = [];
  for await (const entry of runProvenanceEntries({
    runId,
    confirmations: outbox.confirmations(),
    covered: coverage,
    recorded: new Date((options.now ?? Date.now)()).toISOString(),
    ...(author === undefined || authorRefused ? {} : { author }),
    ...(transmitter === undefined ? {} : { transmitter }),
  })) {
    keys.push(entry.key);
    if (outbox.status(entry.key) === undefined) fresh.push(entry);
    if (fresh.length >= 50) {
      await outbox.add(fresh);
      fresh = [];
    }
  }
  if (fresh.length > 0) await outbox.add(fresh);
  // This run's new Provenance, and any an earlier attempt queued but could not send.
  const waiting = new Set(outbox.pendingKeys().filter((key) => !isData(key)));
  if (waiting.size > 0 && SEND_PROVENANCE_AFTER.has(summary.stopped)) {
    const { onEvent: _quiet, ...rest } = options;
    // The same plan as the run's: no second look at the server's CapabilityStatement.
    const { plan } = summary;
    const more = await pushOnly(
      { ...rest, writeMode: plan.mode, batchSize: Math.max(1, plan.batchSize), maxBundleBytes: plan.maxBundleBytes, concurrency: plan.concurrency },
      (key) => waiting.has(key),
    );
    // The Provenance is the run's own record, not data: it adds no confirmations, but a refusal of
    // it is reported like any other (the letter is in the dead-letter file).
    summary = {
      ...summary,
      deadLettered: summary.deadLettered + more.deadLettered,
      retried: summary.retried + more.retried,
      requests: summary.requests + more.requests,
      ...(summary.stopped === undefined && more.stopped !== undefined ? { stopped: more.stopped } : {}),
    };
  }
  summary = { ...summary, pending: outbox.counts().pending };
  const written: string[] = [];
  for (const key of new Set([...keys, ...waiting])) {
    const location = outbox.location(key);
    if (location !== undefined) written.push(location);
  }
  return { summary, written };
}
