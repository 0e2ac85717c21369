import { fromFhir, toFhir, toTransactionBundles, type FhirMappingOptions } from '@peerkit/fhir';
import { formatPath, toClinicExport, type Issue } from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { CliError, UsageError } from '../internal/cli-error';
import { readClinicFile } from '../internal/clinic-file';
import { defineCommand } from '../internal/define-command';
import { readTextFile, writeOutputFile } from '../internal/files';
import { formatCount, formatJson, formatTable, plural } from '../internal/format';

/** Issues listed in the text summary; `--json` lists all. */
const SHOWN_ISSUES = { lines: 20, mapping: 20, fromFhir: 30 };

function issueLines(issues: readonly Issue[], max: number): string[] {
  const shown = issues.slice(0, max);
  const lines = formatTable(
    shown.map((i) => [i.line === undefined ? `[${String(i.path[0] ?? '-')}]` : `line ${i.line}`, formatPath(i.path.slice(i.line === undefined ? 1 : 0)) || '-', i.code, i.message]),
  );
  if (issues.length > max) lines.push(`… and ${formatCount(issues.length - max)} more (use --json for all)`);
  return lines;
}

/** Reads FHIR resources from NDJSON, a Bundle or a JSON array. */
async function readResources(file: string, io: CliIo): Promise<unknown[]> {
  const trimmed = (await readTextFile(io, file, 'a file of FHIR resources')).trim();
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

async function fromFhirFile(file: string, out: string, canonical: string | undefined, json: boolean, io: CliIo): Promise<ExitCode> {
  const resources = await readResources(file, io);
  const result = fromFhir(resources, canonical === undefined ? {} : { canonicalBase: canonical });
  const records = result.ok ? result.value : [];
  await writeOutputFile(io, out, toClinicExport(records));
  const problems = result.issues.filter((i) => i.severity !== 'information');
  const exitCode = problems.some((i) => i.severity === 'error') ? EXIT_CODES.problems : EXIT_CODES.ok;
  if (json) {
    io.stdout.write(formatJson({ fromFhir: file, out, resources: resources.length, records: records.length, issues: result.issues, exitCode }));
    return exitCode;
  }
  const info = result.issues.length - problems.length;
  const lines = [`${file}: ${plural(resources.length, 'resource')} read, ${plural(records.length, 'record')} written → ${out}`];
  if (problems.length > 0) lines.push(`${plural(problems.length, 'problem')} (resource index, path, code):`, ...issueLines(problems, SHOWN_ISSUES.fromFhir));
  if (info > 0) lines.push(`${plural(info, 'note')}: elements or resources PeerKit does not map were left out`);
  io.stderr.write(`${lines.join('\n')}\n`);
  return exitCode;
}

/** `peerkit fhir`: clinic export ↔ FHIR R4 resources. */
export const fhirCommand = defineCommand({
  name: 'fhir',
  summary: 'map a clinic export to FHIR R4 resources or a transaction Bundle, and back (--from-fhir)',
  description: 'Maps a clinic export to FHIR R4 resources, or FHIR resources back to a clinic export.',
  usage: [
    'peerkit fhir <clinic.ndjson> (--out <resources.ndjson> | --bundle <bundle.json>) [--canonical <url>] [--identifier-system <url>] [--include-lived-experience] [--json]',
    'peerkit fhir --from-fhir <resources.ndjson|bundle.json> --out <clinic.ndjson> [--json]',
  ],
  arg: { name: '<clinic.ndjson>', oneAtATime: 'maps one file at a time', optional: true },
  options: {
    out: { type: 'string', value: '<file>', help: 'NDJSON output: one FHIR resource per line (or, with --from-fhir, one record per line)' },
    bundle: { type: 'string', value: '<file>', help: 'a transaction Bundle (conditional writes on business identifiers) instead' },
    'from-fhir': { type: 'string', value: '<file>', help: 'read FHIR resources (NDJSON, a Bundle, or a JSON array) and write a clinic export' },
    canonical: { type: 'string', value: '<url>', help: 'canonical base of PeerKit profiles and CodeSystems (default https://peerkit.dev/fhir)' },
    'identifier-system': { type: 'string', value: '<url>', help: "base of business identifiers (default: the organization record's identifierSystem)" },
    'include-lived-experience': { type: 'boolean', help: "export specialists' lived-experience areas (private; default: left out)" },
  },
  json: `print one JSON object instead of the summary: what was read and written, resources by type,
and every issue`,
  notes: 'Messages name lines, paths and rules, never the values in your records.',
  exits: {
    ok: 'everything mapped',
    problems: 'some records or resources could not be mapped (the rest were written)',
  },
  async run({ arg: file, values, json }, io) {
    const from = values['from-fhir'];
    if (from !== undefined) {
      if (file !== undefined) throw new UsageError('with --from-fhir, give no clinic export argument');
      if (values.out === undefined) throw new UsageError('--from-fhir needs --out <clinic.ndjson>');
      return fromFhirFile(from, values.out, values.canonical, json, io);
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
