import { performance } from 'node:perf_hooks';
import {
  codesOf,
  formatPath,
  RECORD_KINDS,
  type ClinicExportReport,
  type Issue,
} from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { parseCommandArgs, parseInteger } from '../internal/args';
import { CliError } from '../internal/cli-error';
import { readClinicFile } from '../internal/clinic-file';
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
  const { report: summary } = await readClinicFile(io, file, { maxIssues: json ? Number.POSITIVE_INFINITY : maxIssues });

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
