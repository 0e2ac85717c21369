import {
  parseImportProfile,
  toFhir,
  toTransactionBundles,
  type FhirMappingOptions,
  type HostContextItem,
  type HostReadResult,
  type HostRecord,
  type ImportProfile,
  type ReadHostOptions,
} from '@peerkit/fhir';
import { codesOf, formatPath, RECORD_KINDS, toClinicExport, type Finding, type Issue } from '@peerkit/model';
import { readPatientFromServer, SYNC_ERROR_CODES, SyncError, type ReadPatientResult } from '@peerkit/sync';
import type { CliIo } from '../cli-io';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { CliError, invalidFileError, UsageError } from '../internal/cli-error';
import { readClinicFile } from '../internal/clinic-file';
import { parseDateOption, today } from '../internal/dates';
import { defineCommand } from '../internal/define-command';
import { readJsonFile, writeOutputFile } from '../internal/files';
import { formatCount, formatFindingsByCode, formatJson, formatTable, plural } from '../internal/format';
import { partsOutput, streamHostFiles } from '../internal/host-input';
import {
  AUTH_OPTION,
  INSECURE_HTTP_OPTION,
  MAX_ATTEMPTS_OPTION,
  printableUrl,
  TIMEOUT_OPTION,
  transportFrom,
  type ServerOptions,
} from '../internal/server-options';

/** Issues listed in the text summary; `--json` lists all. */
const SHOWN_ISSUES = { lines: 20, mapping: 20 };

function issueLines(issues: readonly Issue[], max: number): string[] {
  const shown = issues.slice(0, max);
  const lines = formatTable(
    shown.map((i) => [i.line === undefined ? `[${String(i.path[0] ?? '-')}]` : `line ${i.line}`, formatPath(i.path.slice(i.line === undefined ? 1 : 0)) || '-', i.code, i.message]),
  );
  if (issues.length > max) lines.push(`… and ${formatCount(issues.length - max)} more (use --json for all)`);
  return lines;
}

/** Where `toFhirFiles` writes: NDJSON (`out`) or one transaction Bundle (`bundle`). */
type FhirTarget = { out: string } | { bundle: string };

async function toFhirFiles(file: string, target: FhirTarget, options: FhirMappingOptions, json: boolean, io: CliIo): Promise<ExitCode> {
  const { report, records } = await readClinicFile(io, file, { keepRecords: true, maxIssues: json ? Number.POSITIVE_INFINITY : SHOWN_ISSUES.lines });
  const mapped = toFhir(records, options);
  if (!mapped.ok) throw new CliError(mapped.issues[0]?.message ?? 'mapping failed');
  if ('bundle' in target) {
    const [single] = toTransactionBundles(mapped.value);
    await writeOutputFile(io, target.bundle, `${JSON.stringify(single ?? { resourceType: 'Bundle', type: 'transaction', entry: [] })}\n`);
  } else {
    await writeOutputFile(io, target.out, toClinicExport(mapped.value));
  }
  const byType = new Map<string, number>();
  for (const r of mapped.value) byType.set(r.resourceType, (byType.get(r.resourceType) ?? 0) + 1);
  const types = [...byType].sort(([a], [b]) => a.localeCompare(b));
  const lineErrors = report.issues.filter((i) => i.severity === 'error');
  const exitCode = report.invalid > 0 || mapped.issues.some((i) => i.severity !== 'information') ? EXIT_CODES.problems : EXIT_CODES.ok;
  if (json) {
    io.stdout.write(
      formatJson({
        file,
        ...target,
        records: records.length,
        resources: mapped.value.length,
        byType: Object.fromEntries(types),
        invalidLines: report.invalid,
        lineIssues: lineErrors,
        mappingIssues: mapped.issues,
        exitCode,
      }),
    );
    return exitCode;
  }
  const where = 'bundle' in target ? `${target.bundle} (transaction Bundle)` : target.out;
  const lines = [
    `${file}: ${plural(records.length, 'valid record')} mapped to ${plural(mapped.value.length, 'FHIR resource')} → ${where}`,
    ...formatTable(types.map(([type, n]) => [`  ${type}`, formatCount(n)]), ['left', 'right']),
  ];
  if (report.invalid > 0) {
    lines.push(`${plural(report.invalid, 'invalid line')} skipped (peerkit validate ${file} lists them):`, ...issueLines(lineErrors, SHOWN_ISSUES.lines));
  }
  if (mapped.issues.length > 0) lines.push(`${plural(mapped.issues.length, 'record')} not mapped:`, ...issueLines(mapped.issues, SHOWN_ISSUES.mapping));
  io.stderr.write(`${lines.join('\n')}\n`);
  return exitCode;
}

/** The record kinds written to `--out`: the clinic's own. */
const CLINIC_KINDS: ReadonlySet<string> = new Set(codesOf(RECORD_KINDS));

/** Where a record's main resource is in the input: `Goal at Encounter.ndjson line 3`. */
function sourceOf(record: HostRecord): string {
  const [main] = record.sources;
  if (main === undefined) return '-';
  const at = formatPath(main.path);
  return `${main.resourceType}${at === '' ? '' : ` at ${at}`}${main.line === undefined ? '' : ` line ${main.line}`}`;
}

/** Counts by key, sorted by key. */
const sortedCounts = (counts: ReadonlyMap<string, number>): [string, number][] => [...counts].sort(([a], [b]) => a.localeCompare(b));

const increment = (counts: Map<string, number>, key: string): void => void counts.set(key, (counts.get(key) ?? 0) + 1);

/**
 * What a host read gave, summed up result by result (a streamed read hands over one per window): the
 * counts and lists the report needs, every finding, and, for `--json` (which prints them uncut), every
 * record and context item. The clinic's records go to `--out` as each result comes, not kept here.
 */
class HostTally {
  readonly records: HostRecord[] = [];
  readonly context: HostContextItem[] = [];
  readonly findings: Finding[] = [];
  /** Records read, written to `--out` (by kind), and written with `valid: false`. */
  read = 0;
  written = 0;
  incomplete = 0;
  readonly writtenByKind = new Map<string, number>();
  /** Parts not written (their whole is not in the input): kind and where the main resource is. */
  readonly parts: [kind: string, source: string][] = [];
  readonly contextByKind = new Map<string, number>();

  /** @param keep - keep every record and context item (for `--json`) */
  constructor(private readonly keep: boolean) {}

  /** Adds a result; returns its clinic records, to be written. */
  add(result: HostReadResult): HostRecord[] {
    const clinic: HostRecord[] = [];
    for (const record of result.records) {
      if (!CLINIC_KINDS.has(record.kind)) {
        this.parts.push([record.kind, sourceOf(record)]);
        continue;
      }
      clinic.push(record);
      increment(this.writtenByKind, record.kind);
      if (!record.valid) this.incomplete++;
    }
    for (const item of result.context) increment(this.contextByKind, item.kind);
    this.read += result.records.length;
    this.written += clinic.length;
    this.findings.push(...result.findings);
    if (this.keep) {
      this.records.push(...result.records);
      this.context.push(...result.context);
    }
    return clinic;
  }

  /** Exit 1 on an error finding or no record read. */
  get exitCode(): ExitCode {
    return this.read === 0 || this.findings.some((f) => f.severity === 'error') ? EXIT_CODES.problems : EXIT_CODES.ok;
  }
}

/**
 * Reads into a tally, writing each result's clinic records to `out` as it comes; the file is put in
 * place whole once the read is done (a read that fails leaves `out` as it was).
 *
 * @param read - the read, handing each result to the function it is given
 */
async function readIntoOut<T>(io: CliIo, out: string, keep: boolean, read: (onResult: (result: HostReadResult) => Promise<void>) => Promise<T>): Promise<{ tally: HostTally; value: T }> {
  const tally = new HostTally(keep);
  const output = partsOutput(io, out);
  try {
    const value = await read((result) => output.write(toClinicExport(tally.add(result).map((r) => r.record))));
    await output.commit();
    return { tally, value };
  } catch (error) {
    await output.abort();
    throw error;
  }
}

/** The text report of a host read: records by kind, the parts not written, context and findings by code. */
function hostReport(lead: string, tally: HostTally, out: string): string {
  const lines = [`${lead}: ${plural(tally.read, 'record')} read, ${plural(tally.written, 'record')} written → ${out}`];
  lines.push(...formatTable(sortedCounts(tally.writtenByKind).map(([kind, n]) => [`  ${kind}`, formatCount(n)]), ['left', 'right']));
  if (tally.incomplete > 0) lines.push(`  ${plural(tally.incomplete, 'record')} kept with valid: false: the host's data does not satisfy PeerKit rules (peerkit validate ${out} lists them)`);
  if (tally.parts.length > 0) {
    lines.push(`${plural(tally.parts.length, 'part')} not written (their whole is not in the input; --json has them):`);
    lines.push(...formatTable(tally.parts.map(([kind, source]) => [`  ${kind}`, source])));
  }
  if (tally.contextByKind.size > 0) lines.push(`context (used by the records, not written): ${sortedCounts(tally.contextByKind).map(([kind, n]) => `${formatCount(n)} ${kind}`).join(', ')}`);
  if (tally.findings.length > 0) lines.push('findings by code:', ...formatFindingsByCode(tally.findings));
  if (tally.read === 0) lines.push('nothing written: no PeerKit record in the input (the findings say why)');
  else if (tally.written === 0) lines.push(`nothing written to ${out}: the input holds only parts whose whole (a plan, an encounter, an organization) is not in it`);
  return `${lines.join('\n')}\n`;
}

/** What `--json` prints for a host read: what was read and written, and the result uncut. */
function hostJson(tally: HostTally, out: string, read: Record<string, unknown>): string {
  const { records, context, findings } = tally;
  return formatJson({ ...read, out, written: tally.written, parts: tally.parts.length, records, context, findings, exitCode: tally.exitCode });
}

/** The import profile `--profile` names (validated), or the US Core default. */
async function loadProfile(io: CliIo, file: string | undefined): Promise<ImportProfile | undefined> {
  if (file === undefined) return undefined;
  const result = parseImportProfile(await readJsonFile(io, file, 'an import profile', 'an import profile is one JSON object'));
  if (!result.ok) throw invalidFileError(file, result.issues, 'import profile');
  return result.value;
}

interface HostOptions {
  readonly out: string;
  readonly read: ReadHostOptions;
  readonly json: boolean;
}

/** `--from-fhir`: NDJSON files and Bulk export directories are streamed (bounded memory but for `--json`, which prints everything). */
async function fromFhirFiles(input: string, options: HostOptions, io: CliIo): Promise<ExitCode> {
  const { tally, value: read } = await readIntoOut(io, options.out, options.json, (onResult) => streamHostFiles(io, input, options.read, onResult));
  if (options.json) io.stdout.write(hostJson(tally, options.out, { fromFhir: input, files: read.files }));
  else io.stderr.write(hostReport(read.directory ? `${input} (${plural(read.files.length, 'file')})` : input, tally, options.out));
  return tally.exitCode;
}

async function fromServer(server: ServerOptions & { patient: string; maxAttempts: number }, options: HostOptions, io: CliIo): Promise<ExitCode> {
  const transport = await transportFrom(server, io);
  let result: ReadPatientResult;
  try {
    result = await readPatientFromServer({
      transport,
      patient: server.patient,
      retry: { timeoutMs: server.timeout * 1000, maxAttempts: server.maxAttempts },
      ...options.read,
    });
  } catch (error) {
    if (!(error instanceof SyncError)) throw error;
    if (error.code === SYNC_ERROR_CODES.invalidOption) throw new UsageError(`--patient: ${error.message}`);
    throw new CliError(`${printableUrl(server.server)}: ${error.message}`);
  }
  const { tally } = await readIntoOut(io, options.out, options.json, (onResult) => onResult(result));
  const lead = `${printableUrl(server.server)}: ${plural(result.requests, 'request')}, ${plural(result.resources, 'resource')} received`;
  if (options.json) {
    io.stdout.write(hostJson(tally, options.out, { fromServer: printableUrl(server.server), patient: result.patient ?? null, requests: result.requests, resources: result.resources }));
  } else {
    io.stderr.write(hostReport(lead, tally, options.out));
  }
  return tally.exitCode;
}

/** The three ways of running `fhir`, by what they read. */
type FhirMode = 'clinic export' | '--from-fhir' | '--from-server';

/** Options (without a default) that go with some ways only. */
const MODES_OF: Readonly<Record<string, readonly FhirMode[]>> = {
  bundle: ['clinic export'],
  'identifier-system': ['clinic export'],
  'include-lived-experience': ['clinic export'],
  profile: ['--from-fhir', '--from-server'],
  'as-of': ['--from-fhir', '--from-server'],
  patient: ['--from-server'],
  auth: ['--from-server'],
  'insecure-http': ['--from-server'],
};

/** A usage error for the first option given that does not go with `mode`. */
function checkModeOptions(mode: FhirMode, values: Readonly<Record<string, unknown>>): void {
  for (const [name, modes] of Object.entries(MODES_OF)) {
    const given = values[name] !== undefined && values[name] !== false;
    if (given && !modes.includes(mode)) throw new UsageError(`--${name} goes with ${modes.map((m) => (m === 'clinic export' ? 'a clinic export argument' : m)).join(' or ')}`);
  }
}

/** `peerkit fhir`: clinic export ↔ FHIR R4 resources; a host EHR's FHIR (files or its server) → clinic export. */
export const fhirCommand = defineCommand({
  name: 'fhir',
  summary: "map a clinic export to FHIR R4 and back; read a host EHR's FHIR (files or its server) into records",
  description: `Maps a clinic export to FHIR R4 resources (or a transaction Bundle), or reads FHIR back into a
clinic export: a host EHR's own FHIR (US Core and plain R4: a Bundle, a resource, NDJSON, a Bulk Data
export directory), PeerKit's own output (read losslessly), or one patient's record from the host's
FHIR server.`,
  usage: [
    'peerkit fhir <clinic.ndjson> (--out <resources.ndjson> | --bundle <bundle.json>) [--canonical <url>] [--identifier-system <url>] [--include-lived-experience] [--json]',
    'peerkit fhir --from-fhir <file|dir> --out <clinic.ndjson> [--profile <import-profile.json>] [--as-of <YYYY-MM-DD>] [--canonical <url>] [--json]',
    'peerkit fhir --from-server <base> --patient <id|system|value> --out <clinic.ndjson> [--profile <import-profile.json>] [--as-of <YYYY-MM-DD>] [--auth bearer|smart:<config.json>] [--timeout 60] [--max-attempts 8] [--insecure-http] [--json]',
  ],
  arg: { name: '<clinic.ndjson>', oneAtATime: 'maps one file at a time', optional: true },
  options: {
    out: { type: 'string', value: '<file>', help: 'NDJSON output: one FHIR resource per line (or, reading FHIR, one record per line)' },
    bundle: { type: 'string', value: '<file>', help: 'a transaction Bundle (conditional writes on business identifiers) instead' },
    'from-fhir': {
      type: 'string',
      value: '<file|dir>',
      help: `read FHIR and write a clinic export: a .json file (a Bundle, a resource, an
array), a .ndjson file, or a directory (a Bulk export: its .ndjson files and
its .json files such as the manifest, read as one input)`,
    },
    'from-server': { type: 'string', value: '<base>', help: "read one patient's record from the host's FHIR server at <base> and write a clinic export" },
    patient: {
      type: 'string',
      value: '<id|system|value>',
      help: 'with --from-server: the Patient id, or an identifier system|value (an MRN)',
    },
    profile: {
      type: 'string',
      value: '<import-profile.json>',
      help: "the host's import profile: its codes, MRN systems and defaults (default US Core)",
    },
    'as-of': {
      type: 'string',
      value: '<YYYY-MM-DD>',
      help: `the import date: a peer's enrollment starts here when the input shows no
earlier service (default today)`,
    },
    canonical: { type: 'string', value: '<url>', help: 'canonical base of PeerKit profiles and CodeSystems (default https://peerkit.dev/fhir)' },
    'identifier-system': { type: 'string', value: '<url>', help: "base of business identifiers (default: the organization record's identifierSystem)" },
    'include-lived-experience': { type: 'boolean', help: "export specialists' lived-experience areas (private; default: left out)" },
    auth: AUTH_OPTION,
    timeout: TIMEOUT_OPTION,
    'max-attempts': MAX_ATTEMPTS_OPTION,
    'insecure-http': INSECURE_HTTP_OPTION,
  },
  json: `print one JSON object instead of the summary: what was read and written, resources by type,
and every issue; reading FHIR: { records, context, findings } in full`,
  notes: `Reading FHIR, the clinic's records (peer, specialist, organization, recovery-plan, encounter,
group-session, consent, referral) are written to --out; parts whose whole is not in the input
(a goal, a note, a program) are listed, not written. Findings are grouped by code.
Messages name lines, paths and rules, never the values in your records.`,
  exits: {
    ok: 'everything mapped (reading FHIR: no error finding and some record read)',
    problems: 'some records or resources could not be mapped (the rest were written); reading FHIR: an error finding, or no record read',
    usage: 'usage error, unreadable input, an invalid import profile or a server that keeps failing',
  },
  async run({ arg: file, values, json }, io) {
    const from = values['from-fhir'];
    const server = values['from-server'];
    if (from !== undefined && server !== undefined) throw new UsageError('give one of --from-fhir or --from-server');
    const mode: FhirMode = server !== undefined ? '--from-server' : from !== undefined ? '--from-fhir' : 'clinic export';
    checkModeOptions(mode, values);
    if (mode !== 'clinic export') {
      if (file !== undefined) throw new UsageError(`with ${mode}, give no clinic export argument`);
      if (values.out === undefined) throw new UsageError(`${mode} needs --out <clinic.ndjson>`);
      const profile = await loadProfile(io, values.profile);
      const read: ReadHostOptions = {
        asOf: parseDateOption('--as-of', values['as-of']) ?? today(),
        ...(profile === undefined ? {} : { profile }),
        ...(values.canonical === undefined ? {} : { canonicalBase: values.canonical }),
      };
      const options = { out: values.out, read, json };
      if (from !== undefined) return fromFhirFiles(from, options, io);
      const { timeout, auth, patient } = values;
      if (server === undefined || patient === undefined) throw new UsageError('--from-server needs --patient <id|system|value>');
      return fromServer({ option: '--from-server', server, auth, timeout, insecure: values['insecure-http'], patient, maxAttempts: values['max-attempts'] }, options, io);
    }
    if (file === undefined) throw new UsageError('fhir needs the clinic export to map');
    const { out, bundle } = values;
    const target: FhirTarget | undefined =
      out !== undefined && bundle === undefined ? { out } : bundle !== undefined && out === undefined ? { bundle } : undefined;
    if (target === undefined) throw new UsageError('give exactly one of --out or --bundle');
    const options: FhirMappingOptions = {};
    if (values.canonical !== undefined) options.canonicalBase = values.canonical;
    if (values['identifier-system'] !== undefined) options.identifierSystem = values['identifier-system'];
    if (values['include-lived-experience']) options.includeLivedExperience = true;
    return toFhirFiles(file, target, options, json, io);
  },
});
