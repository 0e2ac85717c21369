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
import type { CliIo } from '../cli-io';
import { EXIT_CODES } from '../exit-codes';
import { invalidFileError, UsageError } from '../internal/cli-error';
import { readClinicFile } from '../internal/clinic-file';
import { defineCommand } from '../internal/define-command';
import { readJsonFile, writeOutputFile } from '../internal/files';
import { formatCount, formatJson, formatTable, plural } from '../internal/format';

async function loadPack(file: string, io: CliIo): Promise<PayerPack> {
  const result = parsePayerPack(await readJsonFile(io, file, 'a payer pack', 'a payer pack is one JSON object'));
  if (!result.ok) throw invalidFileError(file, result.issues, 'payer pack');
  return result.value;
}

async function loadEvidence(file: string, io: CliIo): Promise<BillingEvidence> {
  const result = parseBillingEvidence(await readJsonFile(io, file, 'an evidence file', 'an evidence file is one JSON object'));
  if (!result.ok) throw invalidFileError(file, result.issues, 'evidence file');
  return result.value;
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
  extra: { invalid: number; claims: number; out?: string; csv?: string; csvRows: number },
): string {
  const out = [
    `${file}: billed under ${pack.id} ${pack.version} (${pack.name})`,
    `services under this pack: ${formatCount(summary.services)} (sessions and group attendances); not delivered: ${formatCount(summary.notDelivered)} (no-show, cancelled, absent)`,
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
  if (summary.notes.length > 0) out.push('', ...summary.notes.map((n) => `note: ${n}`));
  out.push('');
  if (extra.out !== undefined) out.push(`claims: ${plural(extra.claims, 'Claim')} written to ${extra.out}`);
  else out.push(`claims: ${plural(extra.claims, 'Claim')} (use --out to write them)`);
  if (extra.csv !== undefined) out.push(`csv: ${plural(extra.csvRows, 'line')} written to ${extra.csv}`);
  return `${out.join('\n')}\n`;
}

/** `peerkit bill`: bills a clinic export under a payer pack. */
export const billCommand = defineCommand({
  name: 'bill',
  summary: 'bill a clinic export under a payer pack: claim lines, checks, FHIR Claims, 837P CSV',
  description: `Bills the encounters and group sessions of a clinic export under a payer rule pack: claim lines
with units, modifiers and place of service, every pre-flight check, FHIR Claims and an 837P-ready CSV.`,
  usage: [
    'peerkit bill <clinic.ndjson> --payer <pack-id> [--pack <my-pack.json>] [--evidence <evidence.json>] [--out <claims.json>] [--csv <lines.csv>] [--include-held] [--strict] [--json]',
    'peerkit bill --list-packs [--pack <my-pack.json>] [--json]',
  ],
  arg: { name: '<clinic.ndjson>', oneAtATime: 'takes one clinic export at a time', optional: true },
  options: {
    payer: { type: 'string', value: '<pack-id>', help: 'pack to bill under; members whose payer it does not bill are counted, not billed' },
    pack: { type: 'string', value: '<file.json>', help: 'load your own pack (validated); --payer defaults to its id' },
    evidence: {
      type: 'string',
      value: '<file.json>',
      help: `diagnoses, orders and authorizations, initiating visits, other services, MUE
values from your EHR (a clinic export does not hold them)`,
    },
    out: { type: 'string', short: 'o', value: '<claims.json>', help: 'write a FHIR Bundle (collection) of professional Claims, one per member and month' },
    csv: { type: 'string', value: '<lines.csv>', help: 'write one CSV row per billable line (837P-ready; columns in the billing README)' },
    'include-held': { type: 'boolean', help: 'also write held lines, with their reasons, to the CSV' },
    strict: { type: 'boolean', help: 'hold lines whose payer rule needs evidence you did not supply (default: warn)' },
    'list-packs': { type: 'boolean', help: 'list the packs, one a line, id first (--json: the packs themselves)' },
  },
  json: 'print one JSON object with the summary, nothing else',
  notes: "Messages name fields and rules, never your records' values.",
  exits: {
    ok: 'every line is billable',
    problems: 'some lines are held (or some records invalid; they are skipped)',
    usage: 'usage error, unreadable input or an invalid pack',
  },
  async run({ arg: file, values, json }, io) {
    const custom = values.pack === undefined ? undefined : await loadPack(values.pack, io);
    // A custom pack with a shipped pack's id replaces it.
    const packs = [...PAYER_PACKS.filter((p) => p.id !== custom?.id), ...(custom ? [custom] : [])];

    if (values['list-packs']) {
      if (file !== undefined) throw new UsageError('--list-packs takes no file');
      io.stdout.write(listPacks(packs, json));
      return EXIT_CODES.ok;
    }
    if (file === undefined) throw new UsageError('bill needs the clinic export to bill');
    const payer = values.payer ?? custom?.id;
    if (payer === undefined) throw new UsageError('bill needs --payer <pack-id> (peerkit bill --list-packs lists them)');
    const pack = packs.find((p) => p.id === payer);
    if (!pack) throw new UsageError(`unknown pack '${payer}' (peerkit bill --list-packs lists them)`);
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
      await writeOutputFile(io, values.out, `${JSON.stringify(bundle, null, 2)}\n`);
    }
    const includeHeld = values['include-held'];
    if (values.csv !== undefined) {
      await writeOutputFile(io, values.csv, toClaimLinesCsv(billing, { includeHeld, specialists: context.specialists }));
    }

    const exitCode = summary.heldLines > 0 || report.invalid > 0 ? EXIT_CODES.problems : EXIT_CODES.ok;
    if (json) {
      const result = {
        file,
        pack: { id: pack.id, version: pack.version, name: pack.name },
        invalidLines: report.invalid,
        ...summary,
        claims: claims.length,
        ...(values.out === undefined ? {} : { out: values.out }),
        ...(values.csv === undefined ? {} : { csv: values.csv }),
        exitCode,
      };
      io.stdout.write(formatJson(result));
    } else {
      const csvRows = includeHeld ? summary.lines : summary.billableLines;
      io.stdout.write(
        humanReport(file, pack, summary, {
          invalid: report.invalid,
          claims: claims.length,
          csvRows,
          ...(values.out === undefined ? {} : { out: values.out }),
          ...(values.csv === undefined ? {} : { csv: values.csv }),
        }),
      );
    }
    return exitCode;
  },
});
