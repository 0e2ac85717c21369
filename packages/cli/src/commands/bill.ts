import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  BILLING_CHECKS,
  billEncounters,
  collectBillingRecords,
  parseBillingEvidence,
  parsePayerPack,
  PAYER_PACKS,
  summarizeBilling,
  toClaimLinesCsv,
  toFhirClaims,
  type BillingCheck,
  type BillingEvidence,
  type BillingSummary,
  type NotBilled,
  type PayerPack,
} from '@peerkit/billing';
import { formatPath, type Issue } from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { parseCommandArgs } from '../internal/args';
import { CliError } from '../internal/cli-error';
import { readClinicFile } from '../internal/clinic-file';
import { writeAtomically, writeError } from '../internal/files';
import { formatCount, formatTable, plural } from '../internal/format';
import type { Command } from './command';

const USAGE =
  'usage: peerkit bill <clinic.ndjson> --payer <pack-id> [--pack <my-pack.json>] [--evidence <evidence.json>] [--out <claims.json>] [--csv <lines.csv>] [--include-held] [--strict] [--json]\n' +
  '       peerkit bill --list-packs [--pack <my-pack.json>] [--json]';

const HELP = `Bills the encounters and group sessions of a clinic export under a payer rule pack: claim lines
with units, modifiers and place of service, every pre-flight check, FHIR Claims and an 837P-ready CSV.

${USAGE}

Options:
  --payer <pack-id>          pack to bill under; members whose payer it does not bill are counted, not billed
  --pack <file.json>         load your own pack (validated); --payer defaults to its id
  --evidence <file.json>     diagnoses, orders and authorizations, initiating visits, other services, MUE
                             values from your EHR (a clinic export does not hold them)
  --out <claims.json>        write a FHIR Bundle (collection) of professional Claims, one per member and month
  --csv <lines.csv>          write one CSV row per billable line (837P-ready; columns in the billing README)
  --include-held             also write held lines, with their reasons, to the CSV
  --strict                   hold lines whose payer rule needs evidence you did not supply (default: warn)
  --list-packs               list the packs, one a line, id first (--json: the packs themselves)
  --json                     print one JSON object with the summary, nothing else
  -h, --help                 show this help

Exit codes: 0 every line is billable, 1 some lines are held (or some records invalid; they are skipped),
2 usage error, unreadable input or an invalid pack. Messages name fields and rules, never your records' values.
`;

async function readJsonFile(file: string, io: CliIo, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT') throw new CliError(`${file}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${file}: is a directory, not ${what}`);
    throw new CliError(`${file}: cannot read the file (${typeof code === 'string' ? code : 'error'})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's message quotes the input; never pass it on.
    throw new CliError(`${file}: is not valid JSON (${what} is one JSON object)`);
  }
}

/** One line naming the first issues of an invalid file, e.g. a pack. */
function issuesLine(file: string, what: string, issues: readonly Issue[]): CliError {
  const errors = issues.filter((i) => i.severity === 'error');
  const shown = errors.slice(0, 3).map((i) => `${formatPath(i.path) || '(whole file)'}: ${i.message} [${i.code}]`);
  const more = errors.length > 3 ? ` (+${errors.length - 3} more)` : '';
  return new CliError(`${file}: not a valid ${what}: ${shown.join('; ')}${more}`);
}

async function loadPack(file: string, io: CliIo): Promise<PayerPack> {
  const result = parsePayerPack(await readJsonFile(file, io, 'a payer pack'));
  if (!result.ok) throw issuesLine(file, 'payer pack', result.issues);
  return result.value;
}

async function loadEvidence(file: string, io: CliIo): Promise<BillingEvidence> {
  const result = parseBillingEvidence(await readJsonFile(file, io, 'an evidence file'));
  if (!result.ok) throw issuesLine(file, 'evidence file', result.issues);
  return result.value;
}

async function write(file: string, text: string, io: CliIo): Promise<void> {
  try {
    await writeAtomically(resolve(io.cwd, file), text);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') throw error;
    throw writeError(file, code);
  }
}

function listPacks(packs: readonly PayerPack[], json: boolean): string {
  if (json) return `${JSON.stringify(packs, null, 2)}\n`;
  const rows = packs.map((p) => [p.id, p.version, p.state ?? '--', p.name]);
  return `${formatTable(rows).join('\n')}\n`;
}

function notBilledLine(n: NotBilled): string {
  const counts = `${plural(n.peers, 'member')}, ${plural(n.services, 'service')}, ${formatCount(n.minutes)} minutes`;
  switch (n.reason) {
    case 'no-pack':
      return `  payer ${n.payerId ?? '?'}: not billed by this pack (${counts})`;
    case 'no-coverage':
      return `  no coverage on the date of service (${counts})`;
    case 'unknown-peer':
      return `  peer not in the export (${counts})`;
  }
}

function byCheck(counts: Partial<Record<BillingCheck, number>>): string[] {
  const rows = (Object.keys(BILLING_CHECKS) as BillingCheck[])
    .filter((check) => (counts[check] ?? 0) > 0)
    .map((check) => [`  ${check}`, formatCount(counts[check] ?? 0), BILLING_CHECKS[check].summary]);
  return formatTable(rows, ['left', 'right', 'left']);
}

function humanReport(
  file: string,
  pack: PayerPack,
  summary: BillingSummary,
  extra: { services: number; invalid: number; claims: number; runNotes: string[]; out?: string; csv?: string; csvRows: number },
): string {
  const out = [
    `${file}: billed under ${pack.id} ${pack.version} (${pack.name})`,
    `services under this pack: ${formatCount(extra.services)} (sessions and group attendances); not delivered: ${formatCount(summary.notDelivered)} (no-show, cancelled, absent)`,
  ];
  if (extra.invalid > 0) out.push(`skipped: ${plural(extra.invalid, 'invalid line')} (peerkit validate lists them)`);
  out.push(
    '',
    ...formatTable(
      [
        ['', 'billable', 'held'],
        ['lines', formatCount(summary.billableLines), formatCount(summary.heldLines)],
        ['units', formatCount(summary.units), formatCount(summary.heldUnits)],
      ],
      ['left', 'right', 'right'],
    ),
  );
  const codes = Object.entries(summary.unitsByCodeAndModifiers).sort(([a], [b]) => (a < b ? -1 : 1));
  if (codes.length > 0) {
    out.push('', 'units by code:', ...formatTable(codes.map(([code, units]) => [`  ${code}`, formatCount(units)]), ['left', 'right']));
  }
  if (summary.heldLines > 0) out.push('', 'held lines by reason:', ...byCheck(summary.heldByReason));
  if (Object.keys(summary.warningsByCheck).length > 0) {
    out.push('', 'lines with warnings (billed; confirm before submission):', ...byCheck(summary.warningsByCheck));
  }
  if (summary.notBilled.length > 0) out.push('', 'not billed:', ...summary.notBilled.map(notBilledLine));
  if (extra.runNotes.length > 0) out.push('', ...extra.runNotes.map((n) => `note: ${n}`));
  out.push('');
  if (extra.out !== undefined) out.push(`claims: ${plural(extra.claims, 'Claim')} written to ${extra.out}`);
  else out.push(`claims: ${plural(extra.claims, 'Claim')} (use --out to write them)`);
  if (extra.csv !== undefined) out.push(`csv: ${plural(extra.csvRows, 'line')} written to ${extra.csv}`);
  return `${out.join('\n')}\n`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      payer: { type: 'string' },
      pack: { type: 'string' },
      evidence: { type: 'string' },
      out: { type: 'string', short: 'o' },
      csv: { type: 'string' },
      'include-held': { type: 'boolean' },
      strict: { type: 'boolean' },
      'list-packs': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const json = values.json === true;
  const custom = values.pack === undefined ? undefined : await loadPack(values.pack, io);
  // A custom pack with a shipped pack's id replaces it.
  const packs = [...PAYER_PACKS.filter((p) => p.id !== custom?.id), ...(custom ? [custom] : [])];

  if (values['list-packs']) {
    if (positionals.length > 0) throw new CliError('--list-packs takes no file', 2, USAGE);
    io.stdout.write(listPacks(packs, json));
    return 0;
  }
  const [file, ...rest] = positionals;
  if (file === undefined) throw new CliError('bill needs the clinic export to bill', 2, USAGE);
  if (rest.length > 0) throw new CliError('bill takes one clinic export at a time', 2, USAGE);
  const payer = values.payer ?? custom?.id;
  if (payer === undefined) throw new CliError('bill needs --payer <pack-id> (peerkit bill --list-packs lists them)', 2, USAGE);
  const pack = packs.find((p) => p.id === payer);
  if (!pack) throw new CliError(`unknown pack '${payer}' (peerkit bill --list-packs lists them)`, 2, USAGE);
  const evidence = values.evidence === undefined ? undefined : await loadEvidence(values.evidence, io);

  const { report, records } = await readClinicFile(io, file, { keepRecords: true, maxIssues: 0, crossRecord: false });
  const { encounters, ...context } = collectBillingRecords(records);
  const billing = billEncounters(encounters, {
    ...context,
    packs: [pack],
    ...(evidence ? { evidence } : {}),
    missingEvidence: values.strict ? 'hold' : 'warn',
  });
  const summary = summarizeBilling(billing);
  const fhirOptions = context.organization ? { organizationId: context.organization.id } : {};
  const claims = toFhirClaims(billing, fhirOptions);

  if (values.out !== undefined) {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: claims.map((resource) => ({ resource })) };
    await write(values.out, `${JSON.stringify(bundle, null, 2)}\n`, io);
  }
  const includeHeld = values['include-held'] === true;
  if (values.csv !== undefined) {
    await write(values.csv, toClaimLinesCsv(billing, { includeHeld, specialists: context.specialists }), io);
  }

  const services = billing.lines.reduce((n, l) => n + (l.splitFrom === undefined ? l.services.length : 0), 0);
  const exitCode = summary.heldLines > 0 || report.invalid > 0 ? 1 : 0;
  const runNotes = [...new Set(billing.findings.filter((f) => f.check !== 'COVERAGE').map((f) => f.message))];
  if (json) {
    const result = {
      file,
      pack: { id: pack.id, version: pack.version, name: pack.name },
      invalidLines: report.invalid,
      ...summary,
      notes: runNotes,
      claims: claims.length,
      ...(values.out === undefined ? {} : { out: values.out }),
      ...(values.csv === undefined ? {} : { csv: values.csv }),
      exitCode,
    };
    io.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const csvRows = includeHeld ? summary.lines : summary.billableLines;
    io.stdout.write(
      humanReport(file, pack, summary, {
        services,
        invalid: report.invalid,
        claims: claims.length,
        runNotes,
        csvRows,
        ...(values.out === undefined ? {} : { out: values.out }),
        ...(values.csv === undefined ? {} : { csv: values.csv }),
      }),
    );
  }
  return exitCode;
}

/** `peerkit bill`: bills a clinic export under a payer pack. */
export const billCommand: Command = {
  name: 'bill',
  summary: 'bill a clinic export under a payer pack: claim lines, checks, FHIR Claims, 837P CSV',
  usage: USAGE,
  run,
};
