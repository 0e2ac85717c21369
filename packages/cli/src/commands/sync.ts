import { join, resolve } from 'node:path';
import type { Issue } from '@peerkit/model';
import type { DisclosureRecipient } from '@peerkit/safeguards';
import {
  parseSyncDisclosureFile,
  runSync,
  OUTBOX_FILES,
  SYNC_DISCLOSURE_LEDGER_FILE,
  SYNC_STATE_DIR,
  type RunSyncNoticeOptions,
  type RunSyncProgress,
  type RunSyncSummary,
  type SyncEvent,
} from '@peerkit/sync';
import type { CliIo } from '../cli-io';
import { EXIT_CODES } from '../exit-codes';
import { CliError } from '../internal/cli-error';
import { defineCommand } from '../internal/define-command';
import { readJsonFile } from '../internal/files';
import { formatCount, formatJson, formatTable } from '../internal/format';
import { AUTH_OPTION, authFrom, INSECURE_HTTP_OPTION, MAX_ATTEMPTS_OPTION, printableUrl, readNamedFile, TIMEOUT_OPTION, transportFrom } from '../internal/server-options';

/**
 * The recipient `--disclosure` names: none for `internal` (the default: the clinic's own server),
 * or the one in `consent:<recipient.json>`, with the §2.32 notice wording when the file sets `notice`.
 */
async function recipientFrom(spec: string | undefined, io: CliIo): Promise<{ recipient?: DisclosureRecipient; notice?: RunSyncNoticeOptions; file?: string }> {
  if (spec === undefined || spec === 'internal') return {};
  if (!spec.startsWith('consent:') || spec === 'consent:') throw new CliError('--disclosure must be internal or consent:<recipient.json>');
  const file = spec.slice('consent:'.length);
  const json = await readNamedFile(readJsonFile(io, file, 'a recipient'), `${file}: cannot read the recipient (a JSON file)`);
  const recipient = parseSyncDisclosureFile(json);
  if (!recipient.ok) {
    const first = recipient.issues[0];
    throw new CliError(`${file}: ${first === undefined ? 'invalid' : `${first.path.join('.') || '(root)'}: ${first.message}`}`);
  }
  return { ...recipient.value, file };
}

/** What the command line names, for the messages of a run that could not start. */
interface Names {
  file: string;
  state: string;
  recipientFile: string | undefined;
  /** True with --outbox (the run is in a hub's PostgreSQL outbox). */
  hub: boolean;
}

/** The message of each issue `runSync` returns, in the command line's words (by issue code). */
const FAILURES: Record<string, (issue: Issue, names: Names) => string> = {
  'sync.input-unreadable': (issue, { file }) => `${file}: ${issue.message}`,
  'sync.no-identifier-system': (issue, { file }) => `${file}: ${issue.message}`,
  'sync.invalid-option': (issue, { recipientFile }) => `${recipientFile ?? '--disclosure'}: ${issue.path.slice(1).join('.')}: ${issue.message}`,
  'sync.outbox-locked': (issue) => `--state: ${issue.message}`,
  'sync.outbox-corrupt': (issue) => `--state: ${issue.message}`,
  'sync.state-unusable': (issue) => `--state: ${issue.message}`,
  'sync.unfinished-run': (_issue, { state, hub }) =>
    hub ? '--outbox: the clinic has an unfinished run there; finish it with --resume' : `${state}: holds an unfinished run; finish it with --resume (or use another --state)`,
  'sync.unfinished-import': (_issue, { state }) =>
    `${state}: holds an unfinished --write-mode import run (import-state.json: done is false); finish it with --write-mode import and the same export before a REST run`,
  'sync.outbox-unreachable': (issue) => `--outbox: ${issue.message}`,
  'sync.disclosure-mismatch': (_issue, { recipientFile }) =>
    `--disclosure: the unfinished run was started with --disclosure ${recipientFile === undefined ? 'consent:<a recipient file>' : 'internal'}; resume it with the same`,
  'sync.bulk-import-failed': (issue) => `--write-mode import: ${issue.message}`,
  'sync.recipient-mismatch': () =>
    '--disclosure: the unfinished run was started with --disclosure consent:<a recipient file> (another recipient); resume it with the same',
};

/** A run that could not start, as the one-line error the command prints (exit 2). */
function failureOf(issues: readonly Issue[], names: Names): CliError {
  const [issue] = issues;
  if (issue === undefined) return new CliError('sync could not start');
  const message = FAILURES[issue.code];
  return new CliError(message === undefined ? `${issue.path.join('.')}: ${issue.message}` : message(issue, names));
}

/** Progress for people: a bar redrawn on a terminal, a line per tenth otherwise. */
function progress(io: CliIo): { onEvent: (e: SyncEvent, run: RunSyncProgress) => void; done: () => void } {
  const tty = io.stdout.isTTY === true;
  let confirmed = 0;
  let retried = 0;
  let dead = 0;
  let lastTenth = 0;
  let drawn = false;
  let resources = 0;
  const total = (): number => resources;
  const draw = (): void => {
    const all = Math.max(total(), 1);
    const width = 30;
    const filled = Math.min(width, Math.round((confirmed / all) * width));
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
    io.stderr.write(`\r${bar} ${formatCount(confirmed)}/${formatCount(total())} confirmed, ${formatCount(retried)} retried, ${formatCount(dead)} dead-lettered`);
    drawn = true;
  };
  return {
    onEvent(e, run) {
      resources = run.resources;
      if (e.type === 'confirmed') confirmed += e.count;
      else if (e.type === 'retried') retried += e.count;
      else if (e.type === 'dead-lettered') dead += e.count;
      if (tty) {
        draw();
        return;
      }
      if (e.type === 'retried') io.stderr.write(`peerkit: retrying ${e.count} (${e.status === undefined ? e.reason : `HTTP ${e.status}`})\n`);
      if (e.type === 'dead-lettered') io.stderr.write(`peerkit: ${e.count} refused (HTTP ${e.status}, ${e.code})\n`);
      if (e.type === 'paused') io.stderr.write(`peerkit: server asked to wait ${Math.ceil(e.delayMs / 1000)} s\n`);
      const tenth = Math.floor((confirmed / Math.max(total(), 1)) * 10);
      if (e.type === 'confirmed' && tenth > lastTenth) {
        lastTenth = tenth;
        io.stderr.write(`peerkit: ${formatCount(confirmed)}/${formatCount(total())} confirmed\n`);
      }
    },
    done() {
      if (drawn) io.stderr.write('\n');
    },
  };
}

function humanReport(file: string, server: string, summary: RunSyncSummary, deadLetterFile: string, ledgerFile: string): string {
  const rows = [
    ['  resources', formatCount(summary.resources)],
    ['  confirmed', formatCount(summary.confirmed)],
    ['  retried', formatCount(summary.retried)],
    ['  dead-lettered', formatCount(summary.deadLettered)],
    ['  withheld', formatCount(summary.withheld)],
    ['  still pending', formatCount(summary.pending)],
  ];
  const lines = [`peerkit: ${file} → ${server}`, ...formatTable(rows, ['left', 'right'])];
  if (summary.invalidRecords > 0) lines.push(`  ${formatCount(summary.invalidRecords)} invalid records were not sent (peerkit validate ${file} lists them)`);
  if (summary.unmappedRecords > 0) lines.push(`  ${formatCount(summary.unmappedRecords)} records could not be mapped (their peer is not in the export)`);
  if (summary.withheld > 0) {
    const reasons = Object.entries(summary.withheldBy).sort(([a], [b]) => a.localeCompare(b));
    lines.push(`  withheld by the consents (not sent): ${reasons.map(([reason, n]) => `${reason} ${formatCount(n)}`).join(', ')}`);
  }
  if (summary.deadLettered > 0 && summary.import === undefined) lines.push(`  refused entries and the server's reasons: ${summary.hubRun === undefined ? deadLetterFile : `in the outbox, ${summary.deadLetterFile}`}`);
  if (summary.hubRun !== undefined) lines.push(`  hub run ${summary.hubRun}, sent by ${formatCount(summary.workers ?? 1)} ${summary.workers === 1 ? 'worker' : 'workers'} in this process`);
  lines.push(`  written as ${summary.plan.mode} (${summary.plan.reason}), ${summary.rate.writesPerSecond.toFixed(1)} resources/s${summary.rate.throttled > 0 ? `, ${formatCount(summary.rate.throttled)} throttled` : ''}`);
  if (summary.import !== undefined) {
    const types = Object.entries(summary.import.byType).sort(([a], [b]) => a.localeCompare(b));
    lines.push(`  imported per type: ${types.map(([type, n]) => `${type} ${formatCount(n.imported)}/${formatCount(n.written)}${n.refused > 0 ? ` (${formatCount(n.refused)} refused)` : ''}`).join(', ')}`);
    if (summary.import.errorFiles.length > 0) lines.push(`  refused lines and the server's reasons: ${formatCount(summary.import.errorFiles.length)} error files on the server (--json lists them)`);
  }
  if (summary.ledgerEntries > 0) {
    lines.push(`  disclosure ledger: ${formatCount(summary.ledgerEntries)} ${summary.ledgerEntries === 1 ? 'entry' : 'entries'}${summary.ledgerFile === undefined ? '' : ` in ${ledgerFile}`} (peerkit disclosures --patient <token> lists them)`);
  }
  if (summary.stopped !== undefined) {
    const why = {
      'server-unavailable': 'the server kept failing',
      'rate-limited': 'the server asked to wait longer than allowed',
      unauthorized: 'the server refused the credentials',
      aborted: 'interrupted',
      'retries-exhausted': 'some entries kept failing',
    }[summary.stopped];
    lines.push(`  stopped early (${why}); run again with --resume to finish`);
  }
  return `${lines.join('\n')}\n`;
}

/** `peerkit sync`: sends a clinic export to a FHIR server, exactly once, resumably. */
export const syncCommand = defineCommand({
  name: 'sync',
  summary: 'send a clinic export to a FHIR R4 server, each resource exactly once (resumable)',
  description: `Sends a clinic export to a FHIR R4 server, each resource exactly once, through a durable
outbox: an interrupted run (crash, outage, rate limit, Ctrl+C) loses nothing; run it again with
--resume to finish. Writes are conditional on business identifiers, so a second run creates nothing new.
With --outbox postgres://… the outbox is a hub's PostgreSQL database: the export is queued there as
the clinic's run and sent by --workers workers, here and on other machines (docs/running-a-hub.md).
With --write-mode import the export is written as NDJSON per resource type (--import-files) and
sent with FHIR Bulk Data $import where the server offers it; each resource's id comes from its
identity, so importing the same export again leaves one copy of each (docs/sync.md).`,
  usage: [
    'peerkit sync <file> --server <url> [--auth bearer|smart:<config.json>] [--disclosure internal|consent:<recipient.json>] [--write-mode transaction|batch|single|auto|import [--import-files <dir>] [--import-base-url <url>]] [--batch 100] [--max-bundle-bytes <n>] [--concurrency <n>] [--rate <writes/s>] [--state <dir>] [--outbox postgres://… [--workers 4]] [--resume] [--json]',
  ],
  arg: { name: '<file>', needs: 'the clinic export file', oneAtATime: 'sends one file at a time' },
  options: {
    server: { type: 'string', value: '<url>', required: true, help: 'the FHIR base URL (https://…; plain http:// only to this machine)' },
    auth: AUTH_OPTION,
    disclosure: {
      type: 'string',
      value: '<mode>',
      help: `internal (default): the server is the clinic's own; nothing is withheld
consent:<file>: the server belongs to another organization: each resource
goes only if its peer's consents in the export permit this recipient and
purpose; the rest is withheld and counted. <file> is JSON: { "actor":
[{ "system", "value" }], "purposeOfUse": ["TREAT"] } (as in peerkit consent
--request, without patient); --resume needs the --disclosure the run was
started with. The decisions go to the disclosure ledger, one entry per
patient, in <state>/disclosures.ndjson (peerkit disclosures reads it)`,
    },
    'write-mode': {
      type: 'string',
      value: '<mode>',
      choices: ['transaction', 'batch', 'single', 'auto', 'import'],
      default: 'transaction',
      help: `how writes travel: transaction Bundles (default), batch Bundles, single
(one conditional request per resource), or auto (read the server's
CapabilityStatement: the first of those it supports, within its
documented limits), or import (NDJSON files and $import, where the
server's CapabilityStatement offers it; auto never picks it; not with
--disclosure consent:…, --outbox or over an unfinished REST run; a REST
run over an unfinished import in --state is refused the same way)`,
    },
    'import-files': {
      type: 'string',
      value: '<dir>',
      help: `with --write-mode import: the folder the NDJSON files go to (default
<state>/import)`,
    },
    'import-base-url': {
      type: 'string',
      value: '<url>',
      help: `with --write-mode import: the URL the server fetches the files from,
where you publish --import-files (default: a file server this run starts
on 127.0.0.1, for a server on this machine)`,
    },
    batch: { type: 'integer', value: '<n>', default: 100, min: 1, max: 10_000, help: 'resources per Bundle (default 100; auto: at most the server\'s limit)' },
    'max-bundle-bytes': {
      type: 'integer',
      value: '<n>',
      min: 1024,
      max: 1_073_741_824,
      help: 'largest Bundle body, in bytes (default 1048576; auto: at most the server\'s)',
    },
    concurrency: { type: 'integer', value: '<n>', min: 1, max: 64, help: 'requests in flight at once: Bundles, or single requests (default 4, 16 with --write-mode single)' },
    rate: {
      type: 'integer',
      value: '<writes/s>',
      min: 1,
      max: 1_000_000,
      help: `most resources written per second (default: no cap of PeerKit's own; the
server's rate-limit headers are always followed)`,
    },
    state: { type: 'string', value: '<dir>', default: SYNC_STATE_DIR, help: `outbox and dead-letter file (default ${SYNC_STATE_DIR})` },
    outbox: {
      type: 'string',
      value: '<url>',
      help: `a hub's PostgreSQL outbox (postgres://user@host:5432/db; the password
from PGPASSWORD or ~/.pgpass, not the command line) instead of the
file outbox in --state: the export is queued there as the clinic's run and
sent by --workers workers; workers on other machines may share it`,
    },
    workers: {
      type: 'integer',
      value: '<n>',
      default: 1,
      min: 0,
      max: 64,
      help: `with --outbox: workers in this process, each claiming and sending on
its own (default 1; 0: only queue the run and wait while other workers send
it); --rate is shared among them`,
    },
    resume: { type: 'boolean', help: 'finish the unfinished run in --state' },
    timeout: TIMEOUT_OPTION,
    'max-attempts': MAX_ATTEMPTS_OPTION,
    'insecure-http': INSECURE_HTTP_OPTION,
    'no-provenance': {
      type: 'boolean',
      help: `do not write the run's Provenance (by default each run writes one:
author the export's organization, transmitter PeerKit sync)`,
    },
  },
  json: 'print one JSON summary object, nothing else, on standard output',
  notes: 'Output names counts, resource types and statuses, never record values or tokens.',
  exits: {
    ok: 'every resource confirmed (or withheld)',
    problems: 'some were refused (see the dead-letter file), could not be mapped, or are still waiting (run again with --resume)',
  },
  async run({ arg: file, values, json }, io) {
    const { server, state, outbox } = values;
    if (outbox !== undefined && !/^postgres(ql)?:\/\//.test(outbox)) throw new CliError('--outbox must be a postgres:// URL');
    const timeoutMs = values.timeout * 1000;
    const transport = await transportFrom({ option: '--server', server, auth: values.auth, timeout: values.timeout, insecure: values['insecure-http'] }, io);
    const { recipient, notice, file: recipientFile } = await recipientFrom(values.disclosure, io);
    const importing = values['write-mode'] === 'import';
    if (!importing && (values['import-files'] !== undefined || values['import-base-url'] !== undefined)) throw new CliError('--import-files and --import-base-url go with --write-mode import');
    const importAuth = importing ? await authFrom(values.auth, io, values['insecure-http']) : undefined;

    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const shown = progress(io);
    let result;
    try {
      result = await runSync({
        file: resolve(io.cwd, file),
        transport,
        stateDir: resolve(io.cwd, state),
        resume: values.resume,
        writeMode: values['write-mode'],
        batchSize: values.batch,
        ...(values.concurrency === undefined ? {} : { concurrency: values.concurrency }),
        ...(values['max-bundle-bytes'] === undefined ? {} : { maxBundleBytes: values['max-bundle-bytes'] }),
        ...(values.rate === undefined ? {} : { rate: { writesPerSecond: values.rate } }),
        retry: { timeoutMs, maxAttempts: values['max-attempts'] },
        signal: controller.signal,
        ...(json ? {} : { onEvent: shown.onEvent }),
        ...(recipient === undefined ? {} : { recipient }),
        ...(notice === undefined ? {} : { notice }),
        ...(values['no-provenance'] ? { provenance: false } : {}),
        ...(outbox === undefined ? {} : { hub: { outbox, workers: values.workers } }),
        ...(importing
          ? {
              import: {
                allowInsecureHttp: values['insecure-http'],
                ...(importAuth === undefined ? {} : { auth: importAuth }),
                ...(values['import-files'] === undefined ? {} : { dir: resolve(io.cwd, values['import-files']) }),
                ...(values['import-base-url'] === undefined ? {} : { filesBaseUrl: values['import-base-url'] }),
              },
            }
          : {}),
      });
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      shown.done();
    }
    if (!result.ok) throw failureOf(result.issues, { file, state, recipientFile, hub: outbox !== undefined });
    const summary = result.value;
    const exitCode = summary.complete ? EXIT_CODES.ok : EXIT_CODES.problems;
    const deadLetterFile = join(state, OUTBOX_FILES.deadLetter);
    const ledgerFile = join(state, SYNC_DISCLOSURE_LEDGER_FILE);
    if (!json) {
      io.stdout.write(humanReport(file, printableUrl(server), summary, deadLetterFile, ledgerFile));
      return exitCode;
    }
    io.stdout.write(
      formatJson({
        file,
        server: printableUrl(server),
        records: summary.records,
        invalidRecords: summary.invalidRecords,
        unmappedRecords: summary.unmappedRecords,
        resources: summary.resources,
        queued: summary.queued,
        sent: summary.sent,
        confirmed: summary.confirmed,
        retried: summary.retried,
        reconciled: summary.reconciled,
        deadLettered: summary.deadLettered,
        withheld: summary.withheld,
        withheldBy: summary.withheldBy,
        disclosure: summary.disclosure,
        ledgerEntries: summary.ledgerEntries,
        ledgerFile: summary.ledgerFile === undefined ? null : ledgerFile,
        plan: summary.plan,
        rate: summary.rate,
        pending: summary.pending,
        stopped: summary.stopped ?? null,
        provenance: summary.provenance.length,
        deadLetterFile: summary.deadLettered > 0 && summary.hubRun === undefined ? deadLetterFile : null,
        hubRun: summary.hubRun ?? null,
        workers: summary.workers ?? null,
        import: summary.import === undefined ? null : { byType: summary.import.byType, unresolved: summary.import.unresolved, errorFiles: summary.import.errorFiles },
        exitCode,
      }),
    );
    return exitCode;
  },
});
