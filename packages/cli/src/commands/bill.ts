import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  BILLING_CHECKS,
  billedUnitsOf,
  billEncounters,
  collectBillingRecords,
  matchRemittance,
  mergeBillingEvidence,
  parseBillingEvidence,
  parsePayerPack,
  PAYER_PACKS,
  planLedgerClaims,
  readBillingLedger,
  summarizeBilling,
  summarizeDenials,
  toClaimLinesCsv,
  toFhirClaims,
  toBillingFacts,
  toProfessionalClaims,
  type BillingCheck,
  type BillingLedgerState,
  type LedgerPlan,
  type BillingEvidence,
  type BillingRun,
  type BillingSummary,
  type DenialReason,
  type HostBillingSummary,
  type NotBilled,
  type OmittedClaim,
  type PayerPack,
  type RemittanceMatch,
} from '@peerkit/billing';
import { parseX12Remittance, toX12Professional, type X12File } from '@peerkit/billing/x12';
import { parseImportProfile, type HostReadResult, type ImportProfile } from '@peerkit/fhir';
import { endOfMonth, type Finding, type GroupSession, type Issue, type Organization, type PeerEncounter, type Specialist } from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { CliError, invalidFileError, UsageError } from '../internal/cli-error';
import { readClaimsConfig, type ClaimsConfig } from '../internal/claims-config';
import { monthsCovered, type LedgerInput } from '../internal/billing-ledger';
import { openBillingLedger } from '../internal/billing-ledger-open';
import { hostFhirLines, loadImportProfile, payerIdsOf, type HostFhirOutput } from '../internal/bill-host-fhir';
import { readClinicFile } from '../internal/clinic-file';
import { thisMinute, today } from '../internal/dates';
import { defineCommand } from '../internal/define-command';
import { fileErrorCode, readJsonFile, readTextFile, writeError, writeOutputFile } from '../internal/files';
import { formatCount, formatFindingsByCode, formatJson, formatTable, plural } from '../internal/format';
import { readHostFiles } from '../internal/host-input';

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

/** One 837P file written: where, and what `toX12Professional` says it holds (its text left out). */
type WrittenX12 = Omit<X12File, 'text'> & { file: string };

/** What `--837p` wrote: the files, the claims left out and why, the other warnings; with `--ledger`, what it planned. */
interface X12Output {
  dir: string;
  files: WrittenX12[];
  omitted: OmittedClaim[];
  issues: Issue[];
  ledger?: { file: string; covers: { start: string; end: string }; counts: LedgerPlan['counts'] };
}


interface X12Input {
  run: BillingRun;
  config: ClaimsConfig;
  organization: Organization | undefined;
  specialists: readonly Specialist[];
  evidence: BillingEvidence | undefined;
  interchangeControlNumber: number;
  production: boolean;
  ledger?: LedgerInput;
}

/** Writes one 837P per payer into `dir` (made if missing): `837p-<payer>-<ISA13>.x12`. */
async function write837p(io: CliIo, dir: string, input: X12Input): Promise<X12Output> {
  const { run, config, organization, specialists, evidence } = input;
  const claims = toProfessionalClaims(run, {
    ...config,
    ...(organization === undefined ? {} : { organization }),
    specialists,
    ...(evidence === undefined ? {} : { evidence }),
  });
  const plan =
    input.ledger === undefined
      ? undefined
      : planLedgerClaims(claims, input.ledger.state, {
          covers: input.ledger.covers,
          recorded: new Date().toISOString(),
          members: config.members,
          lines: run.lines,
          ...(config.payers ? { payers: config.payers } : {}),
        });
  const files = toX12Professional(plan?.claims ?? claims, {
    interchangeControlNumber: input.interchangeControlNumber,
    createdAt: thisMinute(),
    usage: input.production ? 'P' : 'T',
  });
  // The one error: no billing provider name or NPI, in the config or the export's organization.
  if (!files.ok) throw new CliError(`--claims-config: billingProvider needs a name and a ten-digit NPI (npi), or the export's organization record its NPI`);
  try {
    await mkdir(resolve(io.cwd, dir), { recursive: true });
  } catch (error) {
    const code = fileErrorCode(error);
    if (code === undefined) throw error;
    throw writeError(dir, code);
  }
  const written: WrittenX12[] = [];
  for (const { text, ...file } of files.value) {
    const name = join(dir, `837p-${file.payerId}-${file.interchangeControlNumber}.x12`);
    await writeOutputFile(io, name, text);
    written.push({ file: name, ...file });
  }
  if (plan === undefined || input.ledger === undefined) return { dir, files: written, omitted: claims.omitted, issues: claims.issues };
  // The ledger learns what was sent only once every file is written.
  await input.ledger.ledger.append(plan.entries);
  return {
    dir,
    files: written,
    omitted: plan.claims.omitted,
    issues: plan.claims.issues,
    ledger: { file: input.ledger.ledger.file, covers: input.ledger.covers, counts: plan.counts },
  };
}

/** What `--835` read: the remittances matched to the run's lines, and the denials by reason. */
interface RemittanceOutput {
  file: string;
  remittances: number;
  match: RemittanceMatch;
  denials: DenialReason[];
}

async function readRemittance(io: CliIo, file: string, run: BillingRun, ledger: LedgerInput | undefined): Promise<RemittanceOutput> {
  const parsed = parseX12Remittance(await readTextFile(io, file, 'an X12 835 remittance'));
  if (!parsed.ok) throw invalidFileError(file, parsed.issues, 'X12 835 remittance');
  if (ledger === undefined) {
    const match = matchRemittance(parsed.value, run);
    return { file, remittances: parsed.value.length, match, denials: summarizeDenials(match) };
  }
  // With the ledger, CLP01 names the claims as the ledger numbered them; their payer claim numbers (CLP07) go into it.
  const sent = [...ledger.state.claims.values()].flat().map((e) => ({ controlNumber: e.claim.controlNumber, lineIds: e.claim.lines.map((l) => l.lineId) }));
  const match = matchRemittance(parsed.value, run, sent);
  const known = new Set(sent.map((c) => c.controlNumber));
  const recorded = new Date().toISOString();
  await ledger.ledger.append(
    parsed.value.flatMap((r) =>
      r.claims.flatMap((c) =>
        c.payerClaimNumber === undefined || !known.has(c.controlNumber) || ledger.state.payerNumbers.get(c.controlNumber) === c.payerClaimNumber
          ? []
          : [{ kind: 'payer-claim-number' as const, recorded, controlNumber: c.controlNumber, payerClaimNumber: c.payerClaimNumber }],
      ),
    ),
  );
  return { file, remittances: parsed.value.length, match, denials: summarizeDenials(match) };
}

function x12Lines(x12: X12Output): string[] {
  const claims = x12.files.reduce((n, f) => n + f.claimControlNumbers.length, 0);
  const lines = x12.files.reduce((n, f) => n + f.lineIds.length, 0);
  const out = [
    x12.files.length === 0
      ? `837P: no file written to ${x12.dir} (${x12.omitted.length > 0 ? 'every claim was left out' : 'no billable line'})`
      : `837P: ${plural(x12.files.length, 'file')} written to ${x12.dir} (${plural(claims, 'claim')}, ${plural(lines, 'line')}), one per payer:`,
    ...formatTable(x12.files.map((f) => [`  ${f.file}`, f.payerId, plural(f.claimControlNumbers.length, 'claim'), plural(f.lineIds.length, 'line')]), ['left', 'left', 'right', 'right']),
  ];
  if (x12.ledger !== undefined) {
    const { counts, file } = x12.ledger;
    out.push(
      `ledger ${file}: ${plural(counts.original, 'new claim')}, ${plural(counts.replacement, 'replacement')} (7), ${plural(counts.void, 'void')} (8); ${plural(counts.unchangedLines, 'line')} billed before, not sent again`,
    );
  }
  if (x12.omitted.length > 0) {
    const reasons = [...new Set(x12.omitted.map((o) => o.reason))].map((r) => `${r} ${formatCount(x12.omitted.filter((o) => o.reason === r).length)}`);
    out.push(`claims left out: ${formatCount(x12.omitted.length)} (${reasons.join(', ')}); fix the claims config or the evidence and run again`);
  }
  if (x12.issues.length > 0) out.push(...formatFindingsByCode(x12.issues));
  return out;
}

const money = (n: number): string => n.toFixed(2);

function remittanceLines(r: RemittanceOutput): string[] {
  const { match, denials } = r;
  const count = (outcome: string): string => formatCount(match.lines.filter((l) => l.outcome === outcome).length);
  const out = [
    `835: ${r.file}: ${plural(r.remittances, 'remittance')}, ${plural(match.lines.length, 'line')} remitted: ${count('paid')} paid, ${count('partial')} partial, ${count('denied')} denied, ${count('reversed')} reversed; ${plural(match.pending.length, 'billable line')} not remitted yet`,
  ];
  if (denials.length > 0) {
    out.push(
      'denied and reduced lines by reason:',
      ...formatTable(
        denials.map((d) => [`  ${d.group}-${d.reason}`, plural(d.lines, 'line'), money(d.amount), d.reasonMeaning ?? '(a code PeerKit does not list)']),
        ['left', 'right', 'right', 'left'],
      ),
    );
  }
  const unmatched = match.unmatchedClaims.length + match.unmatchedServices.length;
  if (unmatched > 0) {
    out.push(`not matched: ${plural(match.unmatchedClaims.length, 'claim')}, ${plural(match.unmatchedServices.length, 'service')} of the remittance name nothing billed here (--json lists them)`);
  }
  if (match.issues.length > 0) out.push(...formatFindingsByCode(match.issues));
  return out;
}

/** `true` when a remittance denied, reduced or reversed a line, or names what was not billed here. */
function remittanceProblems(r: RemittanceOutput): boolean {
  const { match } = r;
  return match.lines.some((l) => l.outcome !== 'paid') || match.unmatchedClaims.length > 0 || match.unmatchedServices.length > 0;
}

/** `peerkit bill`: bills a clinic export under a payer pack. */
export const billCommand = defineCommand({
  name: 'bill',
  summary: 'bill a clinic export under a payer pack: claim lines, checks, FHIR Claims, 837P CSV',
  description: `Bills the encounters and group sessions of a clinic export under a payer rule pack: claim lines
with units, modifiers and place of service, every pre-flight check, FHIR Claims and an 837P-ready CSV.`,
  usage: [
    'peerkit bill <clinic.ndjson> --payer <pack-id> [--pack <my-pack.json>] [--host-fhir <file|dir> [--profile <import-profile.json>]] [--evidence <evidence.json>] [--out <claims.json>] [--csv <lines.csv>] [--include-held] [--strict] [--json]',
    'peerkit bill <clinic.ndjson> --payer <pack-id> --837p <dir> --claims-config <claims-config.json> [--ledger <ledger.ndjson|pg-url>] [--control-number <n>] [--production] [--host-fhir <file|dir>] [--evidence <evidence.json>] [--json]',
    'peerkit bill <clinic.ndjson> --payer <pack-id> --835 <remittance.835> [--ledger <ledger.ndjson|pg-url>] [--host-fhir <file|dir>] [--evidence <evidence.json>] [--json]',
    'peerkit bill --list-packs [--pack <my-pack.json>] [--json]',
  ],
  arg: { name: '<clinic.ndjson>', oneAtATime: 'takes one clinic export at a time', optional: true },
  options: {
    payer: { type: 'string', value: '<pack-id>', help: 'pack to bill under; members whose payer it does not bill are counted, not billed' },
    pack: { type: 'string', value: '<file.json>', help: 'load your own pack (validated); --payer defaults to its id' },
    'host-fhir': {
      type: 'string',
      value: '<file|dir>',
      help: `read the billing facts from your EHR's FHIR (as peerkit fhir --from-fhir reads it:
a Bundle, NDJSON, a Bulk export directory): Coverage (payer, member id,
period), Condition (ICD-10-CM diagnoses), ServiceRequest (orders for peer
support), ClaimResponse (prior authorizations, preAuthRef)`,
    },
    profile: {
      type: 'string',
      value: '<import-profile.json>',
      help: "with --host-fhir: the host's import profile (default US Core)",
    },
    evidence: {
      type: 'string',
      value: '<file.json>',
      help: `diagnoses, orders and authorizations, initiating visits, other services, MUE
values from your EHR (a clinic export does not hold them); with --host-fhir it
adds to what the host's FHIR gives`,
    },
    out: { type: 'string', short: 'o', value: '<claims.json>', help: 'write a FHIR Bundle (collection) of professional Claims, one per member and month' },
    csv: { type: 'string', value: '<lines.csv>', help: 'write one CSV row per billable line (837P-ready; columns in the billing README)' },
    'include-held': { type: 'boolean', help: 'also write held lines, with their reasons, to the CSV' },
    strict: { type: 'boolean', help: 'hold lines whose payer rule needs evidence you did not supply (default: warn)' },
    '837p': {
      type: 'string',
      value: '<dir>',
      help: `write the billable lines as X12 837P (005010X222A1) files into <dir>, one per
payer: 837p-<payer>-<ISA13>.x12 (needs --claims-config)`,
    },
    'claims-config': {
      type: 'string',
      value: '<file.json>',
      help: `for --837p: { "submitter": { "name", "id", "contactName", "phone" },
"receiver": { "name", "id" }, "billingProvider": { "taxId", "address",
"name"?, "npi"?, "taxonomy"? }, "members": { <peer id>: { "lastName",
"firstName", "birthDate", "gender", "address" } }, "payers"?: { <payer id>:
{ "name", "id", "claimFilingIndicator"? } }, "chargePerUnit"?: { <code>: 15 },
"payToAddress"?, "renderingTaxonomy"? }; an address is { "line1", "line2"?,
"city", "state", "postalCode" }`,
    },
    'control-number': {
      type: 'integer',
      value: '<n>',
      default: 1,
      min: 1,
      max: 999_999_999,
      help: 'ISA13 of the first 837P file; each further file takes the next (default 1)',
    },
    production: { type: 'boolean', help: 'mark the 837P files for production (ISA15 P; default T, test)' },
    ledger: {
      type: 'string',
      value: '<ledger.ndjson|pg-url>',
      help: `the billing ledger, an append-only file of what was billed (made on first
use), or a postgres://user@host:port/db URL (its table made on first use; a run
holds the ledger until it ends, so runs in several processes take turns): earlier
runs' units count toward caps; with --837p only new services are sent, a claim
whose services changed is replaced (7) and one whose services disappeared from
the export's months is voided (8); --835 records the payer's claim numbers in it`,
    },
    '835': {
      type: 'string',
      value: '<file>',
      help: `read an X12 835 remittance and match it to the lines (CLP01, REF*6R): each
line paid, reduced or denied, and the denials by reason`,
    },
    'list-packs': { type: 'boolean', help: 'list the packs, one a line, id first (--json: the packs themselves)' },
  },
  json: 'print one JSON object with the summary (and the 837P files, the remittance match), nothing else',
  notes: `Nothing is sent: the 837P files are for your clearinghouse. A claim whose member has no
demographics in the claims config, whose lines have no diagnosis (--evidence) or no charge is left
out and counted by reason. Messages name fields and rules, never your records' values.`,
  exits: {
    ok: 'every line is billable (every claim written, every remitted line paid)',
    problems: 'some lines are held (or some records invalid; they are skipped), claims were left out of the 837P, or the 835 denied, reduced or did not match lines',
    usage: 'usage error, unreadable input, an invalid pack, claims config or 835',
  },
  async run({ arg: file, values, json }, io) {
    const custom = values.pack === undefined ? undefined : await loadPack(values.pack, io);
    // A custom pack with a shipped pack's id replaces it.
    const packs = [...PAYER_PACKS.filter((p) => p.id !== custom?.id), ...(custom ? [custom] : [])];

    const x12Dir = values['837p'];
    if (x12Dir !== undefined && values['claims-config'] === undefined) throw new UsageError('--837p needs --claims-config <file.json>');
    if (x12Dir === undefined && values['claims-config'] !== undefined) throw new UsageError('--claims-config goes with --837p <dir>');
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
    const fileEvidence = values.evidence === undefined ? undefined : await loadEvidence(values.evidence, io);
    const claimsConfig = values['claims-config'] === undefined ? undefined : await readClaimsConfig(io, values['claims-config']);

    const hostInput = values['host-fhir'];
    if (values.profile !== undefined && hostInput === undefined) throw new UsageError('--profile goes with --host-fhir <file|dir>');
    const profile = values.profile === undefined ? undefined : await loadImportProfile(values.profile, io);

    const { report, records } = await readClinicFile(io, file, { keepRecords: true, maxIssues: 0, crossRecord: false });
    const { encounters, ...exported } = collectBillingRecords(records);
    let context = exported;
    let evidence = fileEvidence;
    let host: HostFhirOutput | undefined;
    if (hostInput !== undefined) {
      const { result, read }: { result: HostReadResult; read: { files: readonly string[] } } = await readHostFiles(io, hostInput, {
        asOf: today(),
        ...(profile === undefined ? {} : { profile }),
      });
      const facts = toBillingFacts(result, { peers: exported.peers, packs: [pack], payerIds: payerIdsOf(claimsConfig) });
      context = { ...exported, peers: facts.peers };
      evidence = mergeBillingEvidence(facts.evidence, fileEvidence);
      host = { input: hostInput, files: read.files, used: facts.summary, issues: facts.issues, findings: result.findings.filter((f) => f.severity !== 'information') };
    }
    const billWith = async (ledger: LedgerInput | undefined): Promise<ExitCode> => {
      const billing = billEncounters(encounters, {
        ...context,
        ...(ledger === undefined ? {} : { billed: billedUnitsOf(ledger.state) }),
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

      const x12 =
        x12Dir === undefined || claimsConfig === undefined
          ? undefined
          : await write837p(io, x12Dir, {
              run: billing,
              config: claimsConfig,
              organization: context.organization,
              specialists: context.specialists,
              evidence,
              interchangeControlNumber: values['control-number'],
              production: values.production,
              ...(ledger === undefined ? {} : { ledger }),
            });
      const remittance = values['835'] === undefined ? undefined : await readRemittance(io, values['835'], billing, ledger);

      const problems =
        summary.heldLines > 0 ||
        report.invalid > 0 ||
        (host?.findings.some((f) => f.severity === 'error') ?? false) || (x12?.omitted.length ?? 0) > 0 || (remittance !== undefined && remittanceProblems(remittance));
      const exitCode = problems ? EXIT_CODES.problems : EXIT_CODES.ok;
      if (json) {
        const result = {
          file,
          pack: { id: pack.id, version: pack.version, name: pack.name },
          invalidLines: report.invalid,
          ...summary,
          claims: claims.length,
          ...(values.out === undefined ? {} : { out: values.out }),
          ...(values.csv === undefined ? {} : { csv: values.csv }),
          ...(host === undefined ? {} : { hostFhir: host }),
          ...(x12 === undefined ? {} : { x12 }),
          ...(remittance === undefined ? {} : { remittance }),
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
        const more = [...(host === undefined ? [] : hostFhirLines(host)), ...(x12 === undefined ? [] : x12Lines(x12)), ...(remittance === undefined ? [] : remittanceLines(remittance))];
        if (more.length > 0) io.stdout.write(`${more.join('\n')}\n`);
      }
      return exitCode;
    };
    const opened = values.ledger === undefined ? undefined : await openBillingLedger(io, values.ledger);
    try {
      const covers = monthsCovered(encounters) ?? { start: '0001-01-01', end: '0001-01-01' };
      const ledger: LedgerInput | undefined = opened === undefined ? undefined : { ledger: opened, state: await readBillingLedger(opened.entries()), covers };
      return await billWith(ledger);
    } finally {
      // A PostgreSQL ledger is held for the run (read, plan, append): let it go whatever happened.
      await opened?.close();
    }
  },
});
