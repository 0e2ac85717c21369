import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  createAccountingReport,
  createBreachScopeReport,
  formatAccountingReport,
  formatBreachScopeReport,
  toAccountingBundle,
  type DisclosureLedger,
} from '@peerkit/safeguards';
import { createFhirDisclosureLedger, openFileDisclosureLedger, SYNC_DISCLOSURE_LEDGER_FILE, SYNC_STATE_DIR, SyncError } from '@peerkit/sync';
import type { CliIo } from '../cli-io';
import { EXIT_CODES } from '../exit-codes';
import { CliError, UsageError } from '../internal/cli-error';
import { parseDateOption } from '../internal/dates';
import { defineCommand } from '../internal/define-command';
import { fileErrorCode, readError } from '../internal/files';
import { formatJson } from '../internal/format';
import { AUTH_OPTION, INSECURE_HTTP_OPTION, TIMEOUT_OPTION, transportFrom } from '../internal/server-options';

/** The ledger `peerkit sync` writes in its default state directory. */
const DEFAULT_LEDGER = join(SYNC_STATE_DIR, SYNC_DISCLOSURE_LEDGER_FILE);

/** An open ledger and how to close it; `where` names it in messages (the file, or `--server`). */
interface OpenLedger {
  readonly ledger: DisclosureLedger;
  readonly where: string;
  close(): Promise<void>;
}

/** Opens the ledger file, which must exist: reading never creates one. */
async function openFile(io: CliIo, file: string): Promise<OpenLedger> {
  const path = resolve(io.cwd, file);
  try {
    if (!(await stat(path)).isFile()) throw new CliError(`${file}: is not a file, not a disclosure ledger`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = fileErrorCode(error) ?? 'error';
    if (code === 'ENOENT') throw new CliError(`${file}: no such file (peerkit sync --disclosure consent:<recipient.json> writes it)`);
    throw readError(file, code, 'a disclosure ledger');
  }
  try {
    const ledger = await openFileDisclosureLedger({ path });
    return { ledger, where: file, close: () => ledger.close() };
  } catch (error) {
    if (error instanceof SyncError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
}

/** Runs a report over the ledger; a damaged ledger or a server that does not answer is one line (exit 2). */
async function readLedger<T>(open: OpenLedger, report: (ledger: DisclosureLedger) => Promise<T>): Promise<T> {
  try {
    return await report(open.ledger);
  } catch (error) {
    if (error instanceof SyncError) throw new CliError(`${open.where}: ${error.message}`);
    throw error;
  } finally {
    await open.close();
  }
}

/** `peerkit disclosures`: a patient's accounting of disclosures, or the scope of a breach, from the disclosure ledger. */
export const disclosuresCommand = defineCommand({
  name: 'disclosures',
  summary: "a patient's accounting of disclosures (42 CFR §2.25), or a breach's scope",
  description: `Reads the disclosure ledger (one AuditEvent per disclosure decision: the file peerkit sync
writes with --disclosure consent:…, or AuditEvents on a FHIR server) and prints a patient's list of
disclosures and the accounting for each look-back period of the 2024 Part 2 rule: with consent, 3
years (42 CFR §2.25(a)); treatment, payment and operations through an EHR, 3 years (§2.25(b),
awaiting HHS's update of 45 CFR §164.528: --tpo); an intermediary's list, 3 years (§2.24,
--intermediary). With --breach: which patients' records went to a recipient in a period, with
types and counts, to scope a breach notification.`,
  usage: [
    'peerkit disclosures --patient <token> [--from <date>] [--to <date>] [--as-of <date>] [--tpo ehr-only|all|none] [--intermediary] [--ledger <file> | --server <url>] [--fhir] [--json]',
    'peerkit disclosures --breach --recipient <token> --from <date> --to <date> [--ledger <file> | --server <url>] [--json]',
  ],
  noArgHint: 'use --patient <token> (or --breach --recipient <token>)',
  options: {
    patient: { type: 'string', value: '<token>', help: 'the patient: Patient/<id>, or an identifier system|value (|value: any)' },
    from: { type: 'string', value: '<date>', help: 'first day, YYYY-MM-DD (default: the look-back periods;\nrequired with --breach)' },
    to: { type: 'string', value: '<date>', help: 'last day, YYYY-MM-DD (default: --as-of; required with --breach)' },
    'as-of': { type: 'string', value: '<date>', help: "the date of the patient's request; the look-back periods end\nhere (default today, UTC)" },
    tpo: {
      type: 'string',
      value: '<mode>',
      choices: ['ehr-only', 'all', 'none'],
      default: 'ehr-only',
      help: `TPO disclosures in the accounting: ehr-only (default: those through an EHR,
or not recorded), all, none (§2.25(b) read as not yet in force)`,
    },
    intermediary: { type: 'boolean', help: 'add the list an intermediary gives under a general designation (§2.24)' },
    breach: { type: 'boolean', help: "list the patients whose records went to --recipient from --from to --to" },
    recipient: { type: 'string', value: '<token>', help: 'with --breach: the recipient, Organization/<id> or system|value' },
    ledger: { type: 'string', value: '<file>', help: `the ledger file (default ${DEFAULT_LEDGER},\nwhere peerkit sync writes it)` },
    server: { type: 'string', value: '<url>', help: 'read the ledger from AuditEvents on this FHIR server instead' },
    auth: AUTH_OPTION,
    timeout: TIMEOUT_OPTION,
    'insecure-http': INSECURE_HTTP_OPTION,
    fhir: { type: 'boolean', help: 'print the accounting as a FHIR Bundle: a List per section, the AuditEvents' },
  },
  json: 'print the report as one JSON object (--fhir: the FHIR Bundle)',
  notes: 'Output names resource types, counts, labels and the tokens the ledger holds, never content.',
  exits: { ok: 'the report was printed (also when it lists no disclosure)' },
  async run({ values, json }, io) {
    const from = parseDateOption('--from', values.from);
    const to = parseDateOption('--to', values.to);
    // The ledger records UTC instants: today is the UTC date unless the patient's request says otherwise.
    const asOf = parseDateOption('--as-of', values['as-of']) ?? new Date();
    if (from !== undefined && to !== undefined && from > to) throw new UsageError('--from must not be after --to');
    if (values.ledger !== undefined && values.server !== undefined) throw new UsageError('give --ledger or --server, not both');
    const { patient, recipient } = values;
    if (values.breach) {
      if (recipient === undefined || recipient === '') throw new UsageError('disclosures --breach needs --recipient <token>');
      if (from === undefined || to === undefined) throw new UsageError('disclosures --breach needs --from <date> and --to <date>');
      if (patient !== undefined) throw new UsageError('--breach lists every patient: leave out --patient');
      if (values.fhir) throw new UsageError('--fhir prints an accounting; a breach scope is JSON (--json) or text');
    } else {
      if (patient === undefined || patient === '') throw new UsageError('disclosures needs --patient <token> (or --breach --recipient <token>)');
      if (recipient !== undefined) throw new UsageError('--recipient goes with --breach');
    }

    const open: OpenLedger =
      values.server === undefined
        ? await openFile(io, values.ledger ?? DEFAULT_LEDGER)
        : {
            ledger: createFhirDisclosureLedger({
              transport: await transportFrom({ option: '--server', server: values.server, auth: values.auth, timeout: values.timeout, insecure: values['insecure-http'] }, io),
            }),
            where: '--server',
            close: async () => undefined,
          };

    if (values.breach) {
      const period = { recipient: recipient ?? '', from: from ?? '', to: to ?? '' };
      const scope = await readLedger(open, (ledger) => createBreachScopeReport(ledger, period));
      io.stdout.write(json ? formatJson(scope) : `${formatBreachScopeReport(scope)}\n`);
      return EXIT_CODES.ok;
    }
    const options = {
      patient: patient ?? '',
      asOf,
      tpoAccounting: values.tpo,
      intermediary: values.intermediary,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    };
    const report = await readLedger(open, (ledger) => createAccountingReport(ledger, options));
    if (values.fhir) io.stdout.write(formatJson(toAccountingBundle(report)));
    else io.stdout.write(json ? formatJson(report) : `${formatAccountingReport(report)}\n`);
    return EXIT_CODES.ok;
  },
});
