/**
 * A whole sync run of a clinic export file, as `peerkit sync` does it: the export read (and
 * counted), its consents behind the disclosure gate, each gate decision in the disclosure ledger,
 * the outbox in a state directory, a resumed run held to the disclosure mode it started with, and
 * the run's Provenance authored by the clinic.
 */
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fail, ok, type Err, type IssuePath, type Result } from '@peerkit/model';
import type { DisclosureLedger, DisclosureRecipient } from '@peerkit/safeguards';
import type { Consent, Reference } from 'fhir/r4';
import { runSyncImport, toImportSyncSummary, type RunImportOptions, type RunImportSummary } from './bulk-import';
import { unfinishedImportError } from './bulk-import/import-state';
import { readSyncConsents, streamSyncEntries } from './clinic';
import { createDisclosureGate, readRecordedPositions, type SyncDisclosureGate } from './disclosure';
import { openFileDisclosureLedger } from './disclosure-ledger';
import { SYNC_ERROR_CODES, SyncError, type SyncErrorCode } from './errors';
import type { SyncEvent } from './events';
import { openFileOutbox, OUTBOX_FILES } from './file-outbox';
import { HUB_TABLES, hubSync, openPgOutbox, type PgOutbox } from './hub';
import { checkReadable, exportOrganization, recordSource } from './internal/clinic-file';
import { checkDisclosureMode, clearDisclosureMode, disclosureMode, parseSyncNotice, type RunSyncNoticeOptions } from './internal/disclosure-mode';
import type { Outbox } from './outbox';
import type { RateBudgetOptions } from './rate-budget';
import type { RetryOptions } from './retry';
import { sync, type SyncOptions, type SyncSummary } from './sync';
import type { FhirTransport } from './transport';
import type { ImportPlan, RunWriteMode, WritePlan } from './write-mode';

/** The state directory `runSync` (and `peerkit sync`) uses when none is given. */
export const SYNC_STATE_DIR = '.peerkit-sync';

/** The disclosure ledger file `runSync` keeps in its state directory by default (`peerkit disclosures` reads it). */
export const SYNC_DISCLOSURE_LEDGER_FILE = 'disclosures.ndjson';

/** How far a run is, given to {@link RunSyncOptions.onEvent} with each event. */
export interface RunSyncProgress {
  /** Resources in this run so far: those queued, or (resuming) at least those left plus done. */
  resources: number;
}

/** Where a hub keeps the run: {@link RunSyncOptions.hub}. */
export interface RunSyncHubOptions {
  /**
   * The PostgreSQL outbox: a `postgres://user:password@host:port/database` URL (opened and closed
   * by the run; its schema created or migrated), or one you opened (`openPgOutbox`). Required.
   */
  outbox: string | PgOutbox;
  /**
   * Workers this run starts in this process, each claiming and sending on its own; `0` queues the
   * run and waits while workers elsewhere (`runHubWorker`) send it. Default 1. A `rate` is shared
   * among them.
   */
  workers?: number;
  /**
   * The clinic the run belongs to (one unfinished run per clinic). Default: the export's
   * Organization by its conditional reference, else the export file's name.
   */
  clinic?: string;
  /** How long a claim outlives a worker that died, in ms (opening the outbox here). Default 30,000. */
  leaseMs?: number;
  /** Most entries per claim. Default 500. */
  claimSize?: number;
}

/** Options of {@link runSync}. */
export interface RunSyncOptions {
  /** The clinic export (NDJSON) to send. Required. Read several times, never held in memory whole. */
  file: string;
  /** The server, with its auth and time limit (`createFhirTransport`). Required. */
  transport: FhirTransport;
  /**
   * The state directory: the outbox, `dead-letter.ndjson`, the scratch indexes and the run's
   * disclosure mode. Default {@link SYNC_STATE_DIR} (`.peerkit-sync`, in the working directory).
   */
  stateDir?: string;
  /**
   * Finish the unfinished run in `stateDir`. Default false: an unfinished run there is the issue
   * `sync.unfinished-run`, so two inputs are never mixed by accident.
   */
  resume?: boolean;
  /**
   * The recipient the server stands for, when it is another organization's (`parseDisclosureRecipient`):
   * each resource goes only if its peer's consents in the export permit this recipient and purpose;
   * the rest is withheld and counted by reason. A resumed run must name the same recipient it
   * started with. Default: none — the clinic's own server (internal use), nothing withheld.
   */
  recipient?: DisclosureRecipient;
  /**
   * Where the gate's decisions go (42 CFR §2.25), with a `recipient`: one AuditEvent per patient the
   * run decided (decision, deciding consents, counts by type, withheld counts by reason; never
   * content), appended once the run has gated its whole input (or stops reading it), before the
   * input is marked queued whole. A ledger you opened (`createFhirDisclosureLedger`, …), or `false`
   * for none. Default: the append-only file {@link SYNC_DISCLOSURE_LEDGER_FILE} in `stateDir`,
   * opened and closed by the run. A resumed run (file outbox or hub) records only the decisions its
   * earlier attempts did not (the entries carry the run and how far into the input they go).
   */
  ledger?: DisclosureLedger | false;
  /**
   * How the 42 CFR §2.32 notice reads that a gated run (with a `recipient`) sends with Part 2 data:
   * `statement`: `statement-1`, `statement-2`, or the program's own `{ text, source }` (its
   * citation). Checked: bad values are `sync.invalid-option` issues on `notice.…`. A resumed run
   * must name the wording it started with. Default `statement-2`, the regulation's statement with
   * its citation (§2.32(a)(2)).
   */
  notice?: RunSyncNoticeOptions;
  /**
   * The run's Provenance: `false` for none; otherwise its author and transmitter. Default: author
   * the export's (first) Organization by its conditional reference (none when the export has no
   * organization), transmitter `PeerKit sync`.
   */
  provenance?: false | { author?: Reference; transmitter?: Reference };
  /**
   * How writes travel: `transaction` Bundles (the default, as before write modes existed), `batch`
   * Bundles, `single` (one conditional request per resource), or `auto` (read the server's
   * CapabilityStatement, use the first it supports of those three and keep to its documented
   * Bundle limits), or `import`: NDJSON files per resource type and FHIR Bulk Data `$import`, where
   * the server offers it (`auto` never picks it; see `RunWriteMode` and {@link RunSyncOptions.import}).
   */
  writeMode?: RunWriteMode | 'auto';
  /**
   * With `writeMode: 'import'`: where the files go (default `import/` in `stateDir`), where the
   * server fetches them (default a loopback file server this run starts), `$import`'s auth and
   * parameters. See `RunImportOptions`. Default: those defaults.
   */
  import?: RunImportOptions;
  /** Resources per Bundle. Default 100 (lowered to the server's documented limit with `auto`). */
  batchSize?: number;
  /** Largest Bundle body, in bytes. Default 1 MiB (lowered to the server's documented limit with `auto`). */
  maxBundleBytes?: number;
  /** Requests in flight at once. Default 4 (16 in `single` mode). */
  concurrency?: number;
  /** Backoff, attempts and time limits. Default {@link DEFAULT_RETRY} (8 attempts, 60 s per request). */
  retry?: RetryOptions;
  /**
   * The rate budget: `writesPerSecond`, `requestsPerSecond`, `burst`, `reserve` (see
   * `RateBudgetOptions`). Default: no cap of PeerKit's own; the server's rate-limit headers are
   * always followed, pausing before its quota runs out.
   */
  rate?: RateBudgetOptions;
  /** Stops the run; what is not confirmed stays in the outbox for `resume`. Default: none. */
  signal?: AbortSignal;
  /**
   * Receives progress events, with the run's size so far (for a progress bar). Exceptions it
   * throws are ignored. Default: none.
   */
  onEvent?: (event: SyncEvent, progress: RunSyncProgress) => void;
  /** The clock in ms, for the consents' evaluation and the Provenance. Default `Date.now`. */
  now?: () => number;
  /**
   * Queue the run in a hub's PostgreSQL outbox instead of the state directory's file outbox, and
   * send it with several workers (see {@link RunSyncHubOptions}). The state directory still holds
   * the scratch files and the disclosure ledger. Default: none — the file outbox.
   */
  hub?: RunSyncHubOptions;
}

/** What a run did: the sync's counts, with the export's and the run's. Counts are of resources unless named records. */
export interface RunSyncSummary extends Omit<SyncSummary, 'plan'> {
  /** How it wrote: a REST write plan, or `import`. */
  plan: WritePlan | ImportPlan;
  /** With `writeMode: 'import'`: counts per resource type and the server's error files. */
  import?: RunImportSummary;
  /** Valid records in the export (0 when a resumed run did not read it again). */
  records: number;
  /** Lines of the export that are not valid records (not sent). */
  invalidRecords: number;
  /** Records that could not be mapped to FHIR (their peer is not in the export). */
  unmappedRecords: number;
  /** Resources in this run: those queued now, or (resuming a run queued whole) those left plus done. */
  resources: number;
  /** `internal` (nothing withheld) or `consent` (the peers' consents decided). */
  disclosure: 'internal' | 'consent';
  /** Disclosure ledger entries this run appended (one per patient it decided); 0 without a ledger. */
  ledgerEntries: number;
  /** The file ledger the run wrote to by default; `undefined` with no recipient or another ledger. */
  ledgerFile?: string;
  /** The dead-letter file: entries the server refused, with its reasons. */
  deadLetterFile: string;
  /** True when every record went: nothing pending or dead-lettered, no invalid or unmapped record. */
  complete: boolean;
  /** The run's id in the hub's PostgreSQL outbox (with `hub`); its dead letters are rows there, not a file. */
  hubRun?: string;
  /** Workers this call ran (with `hub`). */
  workers?: number;
}

/** A failed run: one error issue on the option it is about. */
function failure(code: SyncErrorCode, path: IssuePath, message: string): Err {
  return fail([{ severity: 'error', code, path, message }]);
}

/**
 * An expected SyncError of a run as its failure: the export gives no identifier system (`file`),
 * the state directory (or the hub, for the clinic) holds an unfinished run (`stateDir`), a hub run
 * resumed through another gate (`recipient`). Anything else is thrown again.
 */
function expectedFailure(error: unknown): Err {
  if (error instanceof SyncError && error.code === SYNC_ERROR_CODES.noIdentifierSystem) {
    return failure(error.code, ['file'], 'cannot be mapped to FHIR: it needs an organization record (the identifier system)');
  }
  if (error instanceof SyncError && error.code === SYNC_ERROR_CODES.unfinishedRun) return failure(error.code, ['stateDir'], error.message);
  // A hub run resumed through another gate than it started with (the file outbox checks before the run).
  if (error instanceof SyncError && (error.code === SYNC_ERROR_CODES.disclosureMismatch || error.code === SYNC_ERROR_CODES.recipientMismatch)) {
    return failure(error.code, ['recipient'], error.message);
  }
  throw error;
}

/** Opens the outbox in the state directory; a lock, damage or file-system error is a failure on `stateDir`. */
async function openState(stateDir: string): Promise<Result<Outbox>> {
  try {
    return ok(await openFileOutbox(stateDir));
  } catch (error) {
    if (error instanceof SyncError) return failure(error.code, ['stateDir'], error.message);
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') throw error;
    return failure(SYNC_ERROR_CODES.stateUnusable, ['stateDir'], `cannot use the directory (${code})`);
  }
}

/** Opens the hub's PostgreSQL outbox (or takes the caller's); an unreachable database is a failure on `hub.outbox`. */
async function openHub(hub: RunSyncHubOptions, stateDir: string): Promise<Result<{ outbox: PgOutbox; close: () => Promise<void> }>> {
  try {
    // The scratch files and the ledger stay local.
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') throw error;
    return failure(SYNC_ERROR_CODES.stateUnusable, ['stateDir'], `cannot use the directory (${code})`);
  }
  if (typeof hub.outbox !== 'string') return ok({ outbox: hub.outbox, close: async () => undefined });
  try {
    const outbox = await openPgOutbox({ connectionString: hub.outbox, ...(hub.leaseMs === undefined ? {} : { leaseMs: hub.leaseMs }) });
    return ok({ outbox, close: () => outbox.close() });
  } catch (error) {
    if (error instanceof SyncError) return failure(error.code, ['hub', 'outbox'], error.message);
    throw error;
  }
}

/** The run's ledger: the caller's, none (`false`), or the default file in the state directory (opened here, closed after the run). */
async function openLedger(
  option: DisclosureLedger | false | undefined,
  stateDir: string,
): Promise<Result<{ ledger?: DisclosureLedger; file?: string; close: () => Promise<void> }>> {
  const none = async (): Promise<void> => undefined;
  if (option === false) return ok({ close: none });
  if (option !== undefined) return ok({ ledger: option, close: none });
  const file = join(stateDir, SYNC_DISCLOSURE_LEDGER_FILE);
  try {
    const opened = await openFileDisclosureLedger({ path: file });
    return ok({ ledger: opened, file, close: () => opened.close() });
  } catch (error) {
    if (error instanceof SyncError) return failure(error.code, ['stateDir'], error.message);
    throw error;
  }
}

/** A ledger that could not take the run's decisions: the run fails on `ledger` (what was queued stays for a resume). */
function ledgerFailure(error: unknown): Err {
  if (error instanceof SyncError) return failure(error.code, ['ledger'], `the disclosure ledger could not record the run's decisions (${error.message})`);
  throw error;
}

/** The input, then `flush`: once it has all been read, or when reading it stops early or fails. */
async function* thenFlush<T>(source: AsyncIterable<T>, flush: () => Promise<void>): AsyncGenerator<T> {
  try {
    yield* source;
  } finally {
    await flush();
  }
}

/**
 * Sends a clinic export file to a FHIR server, each resource exactly once, resumably — the run
 * `peerkit sync` makes. Reads the export (counting invalid records), gates it by the peers'
 * consents when the server is another organization's (`recipient`) and records the gate's decisions
 * in the disclosure ledger (`ledger`), queues it in the outbox in `stateDir`, pushes it ({@link sync}), writes the run's Provenance (author the export's
 * Organization, transmitter PeerKit sync) and closes the run when nothing is left.
 *
 * Expected failures are issues (codes from {@link SYNC_ERROR_CODES}, each on the option it is
 * about): `sync.input-unreadable` (`file`), `sync.no-identifier-system` (`file`: no organization
 * record), `sync.invalid-option` (`recipient.actor` empty, or a `notice.…` field), `sync.outbox-locked`,
 * `sync.outbox-corrupt`, `sync.state-unusable`, `sync.unfinished-run` (`stateDir`),
 * `sync.unfinished-import` (`stateDir`: a REST run over an import-mode run whose
 * `import-state.json` is not done; finish that with `writeMode: 'import'` first),
 * `sync.disclosure-mismatch`, `sync.recipient-mismatch` (`recipient`: a resume through another
 * gate than the run started with), the ledger's error code on `ledger` when it could not record the
 * run's decisions. Refused, withheld and pending resources are counts in the
 * summary, not failures.
 *
 * @param options - the export, the server, the state directory and limits; see {@link RunSyncOptions}
 * @returns the run's summary, or the issues that kept it from starting
 * @example
 * const transport = createFhirTransport({ baseUrl: 'https://fhir.example.org/r4', auth: bearerToken(token) });
 * const result = await runSync({ file: 'clinic.ndjson', transport, stateDir: '.peerkit-sync' });
 * if (!result.ok) console.error(result.issues.map((i) => `${i.code} at ${i.path.join('.')}`));
 * else if (!result.value.complete) console.error(`${result.value.pending} pending: run again with resume: true`);
 */
export async function runSync(options: RunSyncOptions): Promise<Result<RunSyncSummary>> {
  const { file, recipient } = options;
  const stateDir = options.stateDir ?? SYNC_STATE_DIR;
  const resume = options.resume === true;
  const unreadable = await checkReadable(file);
  if (unreadable !== undefined) {
    return failure(SYNC_ERROR_CODES.inputUnreadable, ['file'], unreadable.missing ? 'no such file' : `cannot read the file (${unreadable.code})`);
  }
  if (recipient !== undefined && recipient.actor.length === 0) {
    return failure(SYNC_ERROR_CODES.invalidOption, ['recipient', 'actor'], 'name the recipient the server stands for');
  }
  const notice = options.notice === undefined ? undefined : parseSyncNotice(options.notice, ['notice']);
  if (notice !== undefined && !notice.ok) return notice;
  const noticeOptions = notice?.value;
  if (options.writeMode !== 'import') {
    // A REST run never races an import-mode run of the same state directory (see unfinishedImportError).
    const importing = await unfinishedImportError(stateDir);
    if (importing !== undefined) return failure(importing.code, ['stateDir'], importing.message);
  }

  const { source, counts } = recordSource(file);
  let consents: Consent[] | undefined;
  if (recipient !== undefined) {
    try {
      consents = await readSyncConsents(source);
    } catch (error) {
      return expectedFailure(error);
    }
  }
  const author = options.provenance === false || options.provenance?.author !== undefined ? undefined : await exportOrganization(file);
  const provenance =
    options.provenance === false
      ? false
      : { ...(author === undefined ? {} : { author }), ...options.provenance };
  let unmapped = 0;
  const entries = streamSyncEntries(source, {
    // The reference map lives beside the outbox, on disk: memory stays flat for any export.
    scratchDir: stateDir,
    onIssue: (issue) => {
      if (issue.code === 'fhir.unknown-peer') unmapped++;
    },
  });

  if (options.writeMode === 'import') {
    // The Provenance as a REST run's: authored by the export's Organization unless given.
    const imported = await runSyncImport({ ...options, provenance }, stateDir, entries);
    if (!imported.ok) return imported;
    const { value } = imported;
    return ok({
      ...toImportSyncSummary(value),
      records: counts.records,
      invalidRecords: counts.invalid,
      unmappedRecords: unmapped,
      resources: value.sent,
      disclosure: 'internal',
      ledgerEntries: 0,
      // Refused lines are in the server's error files (`import.errorFiles`), not a local file.
      deadLetterFile: join(stateDir, OUTBOX_FILES.deadLetter),
      complete: value.finished && value.deadLettered === 0 && counts.invalid === 0 && unmapped === 0,
      import: value.import,
    });
  }
  const hub = options.hub === undefined ? undefined : await openHub(options.hub, stateDir);
  if (hub !== undefined && !hub.ok) return hub;
  const opened = hub === undefined ? await openState(stateDir) : undefined;
  if (opened !== undefined && !opened.ok) return opened;
  const outbox = opened?.value;
  const closeOutbox = async (): Promise<void> => {
    await outbox?.close();
    if (hub?.ok === true) await hub.value.close();
  };
  const ledger = recipient === undefined ? undefined : await openLedger(options.ledger, stateDir);
  if (ledger !== undefined && !ledger.ok) {
    await closeOutbox();
    return ledger;
  }
  /** The hub run's id, once hubSync has started or resumed it. */
  let hubRun: string | undefined;
  const hubClinic = async (): Promise<string> =>
    options.hub?.clinic ?? (provenance !== false ? provenance.author?.reference : undefined) ?? (await exportOrganization(file))?.reference ?? basename(file);
  let withhold: SyncDisclosureGate | undefined;
  if (recipient !== undefined && consents !== undefined) {
    const now = new Date((options.now ?? Date.now)());
    const decisions = ledger?.value.ledger;
    // A resumed run records in the ledger only what its earlier attempts did not (each decision once):
    // the file outbox's run, or the clinic's unfinished run in the hub (its id once hubSync has it).
    const resumed = outbox?.runId ?? (hub?.ok === true && resume ? (await hub.value.outbox.findRun(await hubClinic()))?.id : undefined);
    const run = decisions === undefined ? undefined : { id: () => outbox?.runId ?? hubRun, recorded: resume && resumed !== undefined ? await readRecordedPositions(decisions, resumed) : undefined };
    withhold = createDisclosureGate({ consents, recipient, now, ...(noticeOptions?.statement === undefined ? {} : { notice: { statement: noticeOptions.statement } }), ...(decisions === undefined ? {} : { ledger: decisions }), ...(run === undefined ? {} : { run }) });
  }
  // The ledger gets the gate's decisions once the input is read, whether whole or not.
  let ledgerEntries = 0;
  let ledgerError: unknown;
  const flushLedger = async (): Promise<void> => {
    try {
      ledgerEntries += (await withhold?.flush()) ?? 0;
    } catch (error) {
      ledgerError = error;
      throw error;
    }
  };
  // Resources in this run: those queued now, or (resuming a fully queued run) those left plus done.
  let resources = 0;
  const start = outbox?.counts() ?? { pending: 0, confirmed: 0 };
  const total = (): number => Math.max(resources, start.pending + start.confirmed);
  let summary: SyncSummary;
  try {
    if (outbox !== undefined) {
      const mismatch = await checkDisclosureMode(stateDir, outbox, resume, disclosureMode(recipient, noticeOptions));
      if (mismatch !== undefined) return fail([mismatch]);
    }
    const common: Omit<SyncOptions, 'outbox'> = {
      transport: options.transport,
      // Gated: the §2.32 notices go with the Part 2 data they cover; the ledger gets the decisions.
      entries: withhold === undefined ? entries : thenFlush(withhold.withNotices(entries), flushLedger),
      resume,
      provenance,
      onEvent: (event: SyncEvent) => {
        if (event.type === 'queued') resources += event.count + event.skipped;
        options.onEvent?.(event, { resources: total() });
      },
      ...(options.writeMode === undefined ? {} : { writeMode: options.writeMode }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.maxBundleBytes === undefined ? {} : { maxBundleBytes: options.maxBundleBytes }),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(options.rate === undefined ? {} : { rate: options.rate }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(withhold === undefined ? {} : { withhold }),
    };
    if (outbox !== undefined) {
      summary = await sync({ ...common, outbox });
    } else {
      const { outbox: pgOutbox } = (hub as { value: { outbox: PgOutbox } }).value;
      const hubOptions = options.hub as RunSyncHubOptions;
      const ran = await hubSync({
        ...common,
        outbox: pgOutbox,
        clinic: await hubClinic(),
        disclosure: disclosureMode(recipient, noticeOptions),
        onRun: (id) => (hubRun = id),
        ...(hubOptions.workers === undefined ? {} : { workers: hubOptions.workers }),
        ...(hubOptions.claimSize === undefined ? {} : { claimSize: hubOptions.claimSize }),
      });
      hubRun = ran.run;
      resources = Math.max(resources, ran.confirmed + ran.deadLettered + ran.pending);
      summary = ran;
    }
    // A resumed run whose input was queued whole reads nothing: nothing to record.
    await flushLedger();
  } catch (error) {
    return ledgerError === undefined ? expectedFailure(error) : ledgerFailure(ledgerError);
  } finally {
    await closeOutbox();
    if (ledger?.ok === true) await ledger.value.close();
  }

  if (summary.finished && outbox !== undefined) await clearDisclosureMode(stateDir);
  const complete = summary.pending === 0 && summary.deadLettered === 0 && counts.invalid === 0 && unmapped === 0;
  return ok({
    ...summary,
    records: counts.records,
    invalidRecords: counts.invalid,
    unmappedRecords: unmapped,
    resources: total(),
    disclosure: recipient === undefined ? 'internal' : 'consent',
    ledgerEntries,
    ...(ledger?.ok === true && ledger.value.file !== undefined ? { ledgerFile: ledger.value.file } : {}),
    deadLetterFile: hubRun === undefined ? join(stateDir, OUTBOX_FILES.deadLetter) : `${HUB_TABLES.entries} (run ${hubRun}, state dead)`,
    complete,
    ...(hubRun === undefined ? {} : { hubRun, workers: options.hub?.workers ?? 1 }),
  });
}
