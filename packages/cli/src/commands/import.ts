import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { importCsv, parseCsvMapping, toClinicExport, type CsvImportIssue, type CsvImportResult, type CsvMapping, type Result } from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { EXIT_CODES } from '../exit-codes';
import { CliError, UsageError } from '../internal/cli-error';
import { defineCommand } from '../internal/define-command';
import { fileErrorCode, readError, readJsonFile, writeOutputFile } from '../internal/files';
import { formatCount, formatDuration, formatJson, formatTable, plural } from '../internal/format';

/** Reads and checks the mapping file: any problem is one `peerkit: ` line, exit 2. */
async function readMapping(file: string, io: CliIo): Promise<CsvMapping> {
  const mapping = parseCsvMapping(await readJsonFile(io, file, 'a mapping file', 'a mapping file is one JSON object'));
  if (!mapping.ok) throw new CliError(`${file}: ${mapping.issues[0]?.message ?? 'not a valid mapping'}`);
  return mapping.value;
}

/** Streams the CSV file into the library's import; a file it cannot read or import is one `peerkit: ` line. */
async function importFile(file: string, mapping: CsvMapping, mapFile: string, io: CliIo): Promise<CsvImportResult> {
  let imported: Result<CsvImportResult>;
  try {
    imported = await importCsv(createReadStream(resolve(io.cwd, file)), mapping);
  } catch (error) {
    const code = fileErrorCode(error);
    if (code === undefined) throw error;
    throw readError(file, code, 'a CSV file');
  }
  if (imported.ok) return imported.value;
  const issue = imported.issues[0];
  // A path points into the mapping (a column the CSV lacks, a bad record); an empty one at the CSV.
  if (issue !== undefined && issue.path.length > 0) throw new CliError(`${mapFile}: ${issue.message} (${file})`);
  throw new CliError(`${file}: ${issue?.message ?? 'cannot be imported'}`);
}

function issueLines(issues: readonly CsvImportIssue[]): string[] {
  return formatTable(
    issues.map((i) => [
      i.line === i.row ? `row ${i.row}` : `row ${i.row} (line ${i.line})`,
      i.column ?? '-',
      i.field,
      i.code,
      i.message,
    ]),
  );
}

function humanReport(file: string, out: string | undefined, result: CsvImportResult, maxIssues: number, ms: number): string {
  const errors = result.issues.filter((i) => i.severity === 'error');
  const warnings = result.issues.length - errors.length;
  const kinds = Object.entries(result.byKind).map(([kind, n]) => `${formatCount(n)} ${kind}`);
  const lines = [
    `${file}: ${plural(result.rows, 'row')} read, ${formatCount(result.imported)} imported, ${formatCount(result.rejected)} rejected`,
    `wrote ${plural(result.records.length, 'record')}${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''} to ${out ?? 'standard output'}`,
    `issues: ${plural(errors.length, 'error')}, ${plural(warnings, 'warning')}`,
  ];
  // Errors first (they explain the rejected rows), then warnings, each in row order.
  const ordered = [...errors, ...result.issues.filter((i) => i.severity !== 'error')];
  if (ordered.length > 0) lines.push('', ...issueLines(ordered.slice(0, maxIssues)));
  if (ordered.length > maxIssues) lines.push(`… and ${formatCount(ordered.length - maxIssues)} more (use --json for all)`);
  lines.push('', `imported in ${formatDuration(ms)}`);
  return `${lines.join('\n')}\n`;
}

/** `peerkit import`: a clinic's CSV export of encounters → a clinic export, through a mapping file. */
export const importCommand = defineCommand({
  name: 'import',
  summary: 'read a CSV export of encounters into a clinic export, through a mapping file',
  description: `Reads a clinic's CSV export of encounters and writes a clinic export (NDJSON), through a
mapping file that says which column feeds which field, how codes, dates and times are written and
the clinic's time zone (format: packages/cli/README.md, "peerkit import"). Bad rows are reported by
row, column, field and rule and left out; the good rows are still written.`,
  arg: { name: '<encounters.csv>', needs: 'the CSV file to read', oneAtATime: 'reads one CSV file at a time' },
  options: {
    map: { type: 'string', value: '<mapping.json>', required: true, help: 'the mapping (JSON, format "peerkit-csv-mapping/1")' },
    out: { type: 'string', value: '<clinic.ndjson>', help: 'the clinic export to write (default: standard output)' },
    'max-issues': { type: 'integer', value: '<n>', default: 50, help: 'issues to list (default 50; --json lists all)' },
  },
  json: `print one JSON object with the counts and every issue on standard output
(needs --out)`,
  notes: 'Messages name rows, columns, fields and rules, never the values in your cells.',
  exits: {
    ok: 'every row imported (warnings allowed)',
    problems: 'some rows have errors (the others were written)',
    usage: 'usage error, unreadable file or bad mapping',
  },
  async run({ arg: file, values: { map, out, 'max-issues': maxIssues }, json }, io) {
    if (json && out === undefined) throw new UsageError('--json needs --out (standard output holds the JSON report)');

    const started = performance.now();
    const mapping = await readMapping(map, io);
    const result = await importFile(file, mapping, map, io);
    const ndjson = toClinicExport(result.records);
    if (out === undefined) io.stdout.write(ndjson);
    else await writeOutputFile(io, out, ndjson);

    const exitCode = result.issues.some((i) => i.severity === 'error') ? EXIT_CODES.problems : EXIT_CODES.ok;
    if (json) {
      const { rows, imported, rejected, byKind } = result;
      // The report's issues are { row, line, column, field, code, severity, message }, as documented.
      const issues = result.issues.map(({ path: _path, ...issue }) => issue);
      io.stdout.write(formatJson({ file, out, rows, imported, rejected, records: result.records.length, byKind, issues, exitCode }));
    } else {
      io.stderr.write(humanReport(file, out, result, maxIssues, performance.now() - started));
    }
    return exitCode;
  },
});
