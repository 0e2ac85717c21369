import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  codesOf,
  createClinicExportReport,
  formatPath,
  readClinicExport,
  RECORD_KINDS,
  type ClinicExportReport,
  type Issue,
} from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { parseCommandArgs, parseInteger } from '../internal/args';
import { CliError } from '../internal/cli-error';
import { formatCount, formatDuration, formatTable, plural } from '../internal/format';
import type { Command } from './command';

const USAGE = 'usage: peerkit validate <file> [--json] [--max-issues <n>]';

const HELP = `Checks a clinic export (NDJSON, one record per line) and reports every problem by line.

${USAGE}

Options:
  --json              print one JSON object with the counts and every issue, nothing else
  --max-issues <n>    issues to list (default 50; --json lists all)
  -h, --help          show this help

Exit codes: 0 every record is valid (warnings allowed), 1 some record is invalid,
2 usage error or a file that cannot be read as a clinic export.
Messages name lines, fields and rules, never the values in your records.
`;

/** What the bytes of a file looked like, for a useful message when no line is a JSON object. */
interface Sniffed {
  firstChar: string | undefined;
  hasNul: boolean;
  utf16: boolean;
}

/** Passes chunks through, noting the first non-blank character, NUL bytes and a UTF-16 byte-order mark. */
async function* sniff(source: AsyncIterable<Buffer>, seen: Sniffed): AsyncGenerator<Buffer> {
  let first = true;
  for await (const chunk of source) {
    if (first) {
      first = false;
      seen.utf16 = (chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff);
    }
    if (!seen.hasNul && chunk.includes(0)) seen.hasNul = true;
    // Leading whitespace and a UTF-8 byte-order mark (read as Latin-1 bytes) say nothing.
    seen.firstChar ??= chunk.toString('latin1').replace(/^[\s\xef\xbb\xbf]+/, '')[0];
    yield chunk;
  }
}

/** The message for a file system error code while reading `file`. */
function readError(file: string, code: string): CliError {
  switch (code) {
    case 'ENOENT':
      return new CliError(`${file}: no such file`);
    case 'EISDIR':
      return new CliError(`${file}: is a directory, not a clinic export file`);
    case 'ENOTDIR':
      return new CliError(`${file}: cannot read the file (a folder in its path is a file)`);
    case 'EACCES':
    case 'EPERM':
      return new CliError(`${file}: cannot read the file (permission denied)`);
    default:
      return new CliError(`${file}: cannot read the file (${code})`);
  }
}

function notNdjson(file: string, seen: Sniffed): CliError {
  if (seen.utf16) return new CliError(`${file}: is UTF-16 text; a clinic export must be UTF-8 NDJSON`);
  if (seen.hasNul) return new CliError(`${file}: is not a text file (it contains NUL bytes); a clinic export is NDJSON`);
  if (seen.firstChar === '[') {
    return new CliError(`${file}: is not NDJSON (a JSON array is not an NDJSON export: write one JSON object per line)`);
  }
  return new CliError(`${file}: is not NDJSON (no line is a JSON object; a clinic export has one JSON object per line)`);
}

function issueLines(issues: readonly Issue[]): string[] {
  return formatTable(
    issues.map((issue) => [
      `line ${issue.line === undefined ? '-' : String(issue.line)}`,
      formatPath(issue.path) || '-',
      issue.code,
      issue.message,
    ]),
  );
}

function humanReport(
  file: string,
  report: ClinicExportReport,
  ms: number,
): string {
  const { severityCounts: severities, issues, issuesOmitted: omitted } = report;
  const rows: string[][] = [['kind', 'valid', 'invalid']];
  let kindInvalid = 0;
  for (const kind of codesOf(RECORD_KINDS)) {
    const { valid, invalid } = report.byKind[kind];
    kindInvalid += invalid;
    if (valid + invalid > 0) rows.push([kind, formatCount(valid), formatCount(invalid)]);
  }
  // Lines that are not JSON, or have no known kind, are invalid without a kind to count them under.
  const unkinded = report.invalid - kindInvalid;
  if (unkinded > 0) rows.push(['(no known kind)', '-', formatCount(unkinded)]);
  rows.push(['total', formatCount(report.valid), formatCount(report.invalid)]);

  const out = [
    `${file}: ${plural(report.lines, 'line')} read`,
    '',
    ...formatTable(rows, ['left', 'right', 'right']),
    '',
    `valid: ${formatCount(report.valid)}  invalid: ${formatCount(report.invalid)}`,
    `issues: ${plural(severities.error, 'error')}, ${plural(severities.warning, 'warning')}, ${formatCount(severities.information)} information`,
  ];
  if (issues.length > 0) out.push('', ...issueLines(issues));
  if (omitted > 0) out.push(`… and ${formatCount(omitted)} more (use --json for all)`);
  out.push('', `checked in ${formatDuration(ms)}`);
  return `${out.join('\n')}\n`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { json: { type: 'boolean' }, 'max-issues': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new CliError('validate needs the file to check', 2, USAGE);
  if (extra.length > 0) throw new CliError('validate checks one file at a time', 2, USAGE);
  const maxIssues = values['max-issues'] === undefined ? 50 : parseInteger('--max-issues', values['max-issues'], USAGE);
  const json = values.json === true;

  const started = performance.now();
  const seen: Sniffed = { firstChar: undefined, hasNul: false, utf16: false };
  const report = createClinicExportReport({ maxIssues: json ? Number.POSITIVE_INFINITY : maxIssues });
  try {
    const stream = createReadStream(resolve(io.cwd, file));
    for await (const entry of readClinicExport(sniff(stream, seen))) report.add(entry);
  } catch (error) {
    // Only the file system's errors (with a `code`) are the user's; anything else is a bug.
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') throw error;
    throw readError(file, code);
  }
  const summary = report.finish();
  const tooLarge = summary.issueCounts['record.too-large'] ?? 0;
  // Lines too long to read say nothing about the format; judge by the others and the first bytes.
  if (summary.jsonLines === 0 && (summary.lines > tooLarge || seen.hasNul || seen.firstChar === '[')) {
    throw notNdjson(file, seen);
  }

  const exitCode = summary.invalid > 0 ? 1 : 0;
  if (json) {
    const { lines, valid, invalid, byKind, issueCounts, severityCounts, issues, issuesOmitted } = summary;
    const result = { file, lines, valid, invalid, byKind, issueCounts, severityCounts, issues, issuesOmitted, exitCode };
    io.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    io.stdout.write(humanReport(file, summary, performance.now() - started));
  }
  return exitCode;
}

/** `peerkit validate`: checks a clinic export and reports its issues by line. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a clinic export (NDJSON) and list its issues by line',
  usage: USAGE,
  run,
};
