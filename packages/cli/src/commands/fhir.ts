import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fromFhir, toFhir, toTransactionBundles, type FhirMappingOptions } from '@peerkit/fhir';
import { formatPath, toClinicExport, type Issue } from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { parseCommandArgs } from '../internal/args';
import { CliError } from '../internal/cli-error';
import { readClinicFile } from '../internal/clinic-file';
import { writeAtomically, writeError } from '../internal/files';
import { formatCount, formatTable, plural } from '../internal/format';
import type { Command } from './command';

const USAGE =
  'usage: peerkit fhir <clinic.ndjson> (--out <resources.ndjson> | --bundle <bundle.json>) [--canonical <url>] [--identifier-system <url>] [--include-lived-experience]\n' +
  '       peerkit fhir --from-fhir <resources.ndjson|bundle.json> --out <clinic.ndjson>';

const HELP = `Maps a clinic export to FHIR R4 resources, or FHIR resources back to a clinic export.

${USAGE}

Options:
  --out <file>                  NDJSON output: one FHIR resource per line (or, with --from-fhir, one record per line)
  --bundle <file>               a transaction Bundle (conditional writes on business identifiers) instead
  --from-fhir <file>            read FHIR resources (NDJSON, a Bundle, or a JSON array) and write a clinic export
  --canonical <url>             canonical base of PeerKit profiles and CodeSystems (default https://peerkit.dev/fhir)
  --identifier-system <url>     base of business identifiers (default: the organization record's identifierSystem)
  --include-lived-experience    export specialists' lived-experience areas (private; default: left out)
  -h, --help                    show this help

Exit codes: 0 everything mapped, 1 some records or resources could not be mapped (the rest were written),
2 usage error or unreadable input. Messages name lines, paths and rules, never the values in your records.
`;

function issueLines(issues: readonly Issue[], max: number): string[] {
  const shown = issues.slice(0, max);
  const lines = formatTable(
    shown.map((i) => [i.line === undefined ? `[${String(i.path[0] ?? '-')}]` : `line ${i.line}`, formatPath(i.path.slice(i.line === undefined ? 1 : 0)) || '-', i.code, i.message]),
  );
  if (issues.length > max) lines.push(`… and ${formatCount(issues.length - max)} more`);
  return lines;
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

/** Reads FHIR resources from NDJSON, a Bundle or a JSON array. */
async function readResources(file: string, io: CliIo): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT') throw new CliError(`${file}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${file}: is a directory, not a file of FHIR resources`);
    throw new CliError(`${file}: cannot read the file (${typeof code === 'string' ? code : 'error'})`);
  }
  const trimmed = text.trim();
  try {
    const whole: unknown = JSON.parse(trimmed);
    if (Array.isArray(whole)) return whole;
    const bundle = whole as { resourceType?: unknown; entry?: { resource?: unknown }[] };
    if (bundle.resourceType === 'Bundle') return (bundle.entry ?? []).map((e) => e.resource);
    return [whole];
  } catch {
    // Not one JSON document: NDJSON, one resource per line.
  }
  const resources: unknown[] = [];
  const lines = trimmed === '' ? [] : trimmed.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      resources.push(JSON.parse(line));
    } catch {
      throw new CliError(`${file}: line ${i + 1} is not valid JSON (expected NDJSON, a Bundle or a JSON array of FHIR resources)`);
    }
  });
  return resources;
}

async function toFhirFiles(file: string, out: string | undefined, bundle: string | undefined, options: FhirMappingOptions, io: CliIo): Promise<number> {
  const { report, records } = await readClinicFile(io, file, { keepRecords: true, maxIssues: 20 });
  const mapped = toFhir(records, options);
  if (!mapped.ok) {
    io.stderr.write(`peerkit: ${mapped.issues[0]?.message ?? 'mapping failed'}\n`);
    return 2;
  }
  if (bundle !== undefined) {
    const [single] = toTransactionBundles(mapped.value);
    await write(bundle, `${JSON.stringify(single ?? { resourceType: 'Bundle', type: 'transaction', entry: [] })}\n`, io);
  } else if (out !== undefined) {
    await write(out, toClinicExport(mapped.value), io);
  }
  const byType = new Map<string, number>();
  for (const r of mapped.value) byType.set(r.resourceType, (byType.get(r.resourceType) ?? 0) + 1);
  const lines = [
    `${file}: ${plural(records.length, 'valid record')} mapped to ${plural(mapped.value.length, 'FHIR resource')} → ${bundle ?? out ?? ''}${bundle ? ' (transaction Bundle)' : ''}`,
    ...formatTable([...byType].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => [`  ${type}`, formatCount(n)]), ['left', 'right']),
  ];
  if (report.invalid > 0) {
    lines.push(`${plural(report.invalid, 'invalid line')} skipped (peerkit validate ${file} lists them):`, ...issueLines(report.issues.filter((i) => i.severity === 'error'), 20));
  }
  if (mapped.issues.length > 0) lines.push(`${plural(mapped.issues.length, 'record')} not mapped:`, ...issueLines(mapped.issues, 20));
  io.stderr.write(`${lines.join('\n')}\n`);
  return report.invalid > 0 || mapped.issues.some((i) => i.severity !== 'information') ? 1 : 0;
}

async function fromFhirFile(file: string, out: string, canonical: string | undefined, io: CliIo): Promise<number> {
  const resources = await readResources(file, io);
  const result = fromFhir(resources, canonical === undefined ? {} : { canonicalBase: canonical });
  const records = result.ok ? result.value : [];
  await write(out, toClinicExport(records), io);
  const problems = result.issues.filter((i) => i.severity !== 'information');
  const info = result.issues.length - problems.length;
  const lines = [`${file}: ${plural(resources.length, 'resource')} read, ${plural(records.length, 'record')} written → ${out}`];
  if (problems.length > 0) lines.push(`${plural(problems.length, 'problem')} (resource index, path, code):`, ...issueLines(problems, 30));
  if (info > 0) lines.push(`${plural(info, 'note')}: elements or resources PeerKit does not map were left out`);
  io.stderr.write(`${lines.join('\n')}\n`);
  return problems.some((i) => i.severity === 'error') ? 1 : 0;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      out: { type: 'string' },
      bundle: { type: 'string' },
      'from-fhir': { type: 'string' },
      canonical: { type: 'string' },
      'identifier-system': { type: 'string' },
      'include-lived-experience': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const from = values['from-fhir'];
  if (from !== undefined) {
    if (positionals.length > 0) throw new CliError('with --from-fhir, give no clinic export argument', 2, USAGE);
    if (values.out === undefined) throw new CliError('--from-fhir needs --out <clinic.ndjson>', 2, USAGE);
    return fromFhirFile(from, values.out, values.canonical, io);
  }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new CliError('fhir needs the clinic export to map', 2, USAGE);
  if (extra.length > 0) throw new CliError('fhir maps one file at a time', 2, USAGE);
  if ((values.out === undefined) === (values.bundle === undefined)) throw new CliError('give exactly one of --out or --bundle', 2, USAGE);
  const options: FhirMappingOptions = {};
  if (values.canonical !== undefined) options.canonicalBase = values.canonical;
  if (values['identifier-system'] !== undefined) options.identifierSystem = values['identifier-system'];
  if (values['include-lived-experience']) options.includeLivedExperience = true;
  return toFhirFiles(file, values.out, values.bundle, options, io);
}

/** `peerkit fhir`: clinic export ↔ FHIR R4 resources. */
export const fhirCommand: Command = {
  name: 'fhir',
  summary: 'map a clinic export to FHIR R4 resources or a transaction Bundle, and back (--from-fhir)',
  usage: USAGE,
  run,
};
