import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { importCsv, parseCsvMapping, toClinicExport, type CsvImportIssue, type CsvImportResult, type CsvMapping, type Result } from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { parseCommandArgs, parseInteger } from '../internal/args';
import { CliError } from '../internal/cli-error';
import { writeAtomically, writeError } from '../internal/files';
import { formatCount, formatDuration, formatTable, plural } from '../internal/format';
import type { Command } from './command';

const USAGE = 'usage: peerkit import <encounters.csv> --map <mapping.json> [--out <clinic.ndjson>] [--json] [--max-issues <n>]';

const HELP = `Reads a clinic's CSV export of encounters and writes a clinic export (NDJSON), through a
mapping file that says which column feeds which field, how codes, dates and times are written and
the clinic's time zone (format: packages/cli/README.md, "peerkit import"). Bad rows are reported by
row, column, field and rule and left out; the good rows are still written.

${USAGE}

Options:
  --map <file>        the mapping (JSON, format "peerkit-csv-mapping/1")
  --out <file>        the clinic export to write (default: standard output)
  --json              print one JSON object with the counts and every issue on standard output
                      (needs --out)
  --max-issues <n>    issues to list (default 50; --json lists all)
  -h, --help          show this help

Exit codes: 0 every row imported (warnings allowed), 1 some rows have errors (the others were
written), 2 usage error, unreadable file or bad mapping. Messages name rows, columns, fields and
rules, never the values in your cells.
`;

/** Reads and checks the mapping file: any problem is one `peerkit: ` line, exit 2. */
async function readMapping(file: string, io: CliIo): Promise<CsvMapping> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT') throw new CliError(`${file}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${file}: is a directory, not a mapping file`);
    throw new CliError(`${file}: cannot read the file (${typeof code === 'string' ? code : 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new CliError(`${file}: is not valid JSON (a mapping file is one JSON object)`);
  }
  const mapping = parseCsvMapping(json);
  if (!mapping.ok) throw new CliError(`${file}: ${mapping.issues[0]?.message ?? 'not a valid mapping'}`);
  return mapping.value;
}

function readError(file: string, code: string): CliError {
  switch (code) {
    case 'ENOENT':
      return new CliError(`${file}: no such file`);
    case 'EISDIR':
      return new CliError(`${file}: is a directory, not a CSV file`);
    case 'EACCES':
    case 'EPERM':
      return new CliError(`${file}: cannot read the file (permission denied)`);
    default:
      return new CliError(`${file}: cannot read the file (${code})`);
  }
}

/** Streams the CSV file into the library's import; a file it cannot read or import is one `peerkit: ` line. */
async function importFile(file: string, mapping: CsvMapping, mapFile: string, io: CliIo): Promise<CsvImportResult> {
  let imported: Result<CsvImportResult>;
  try {
    imported = await importCsv(createReadStream(resolve(io.cwd, file)), mapping);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') throw error;
    throw readError(file, code);
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

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      map: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      'max-issues': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new CliError('import needs the CSV file to read', 2, USAGE);
  if (extra.length > 0) throw new CliError('import reads one CSV file at a time', 2, USAGE);
  if (values.map === undefined) throw new CliError('import needs --map <mapping.json>', 2, USAGE);
  const json = values.json === true;
  if (json && values.out === undefined) throw new CliError('--json needs --out (standard output holds the JSON report)', 2, USAGE);
  const maxIssues = values['max-issues'] === undefined ? 50 : parseInteger('--max-issues', values['max-issues'], USAGE);

  const started = performance.now();
  const mapping = await readMapping(values.map, io);
  const result = await importFile(file, mapping, values.map, io);
  const ndjson = toClinicExport(result.records);
  if (values.out === undefined) {
    io.stdout.write(ndjson);
  } else {
    try {
      await writeAtomically(resolve(io.cwd, values.out), ndjson);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code !== 'string') throw error;
      throw writeError(values.out, code);
    }
  }

  const exitCode = result.issues.some((i) => i.severity === 'error') ? 1 : 0;
  if (json) {
    const { rows, imported, rejected, byKind } = result;
    // The report's issues are { row, line, column, field, code, severity, message }, as documented.
    const issues = result.issues.map(({ path: _path, ...issue }) => issue);
    io.stdout.write(`${JSON.stringify({ file, out: values.out, rows, imported, rejected, records: result.records.length, byKind, issues, exitCode })}\n`);
  } else {
    io.stderr.write(humanReport(file, values.out, result, maxIssues, performance.now() - started));
  }
  return exitCode;
}

/** `peerkit import`: a clinic's CSV export of encounters → a clinic export, through a mapping file. */
export const importCommand: Command = {
  name: 'import',
  summary: 'read a CSV export of encounters into a clinic export, through a mapping file',
  usage: USAGE,
  run,
};
