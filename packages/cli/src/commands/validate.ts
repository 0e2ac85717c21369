import { performance } from 'node:perf_hooks';
import {
  codesOf,
  formatPath,
  RECORD_KINDS,
  type ClinicExportReport,
  type Issue,
} from '@peerkit/model';
import { EXIT_CODES } from '../exit-codes';
import { readClinicFile } from '../internal/clinic-file';
import { defineCommand } from '../internal/define-command';
import { formatCount, formatDuration, formatJson, formatTable, plural } from '../internal/format';

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

/** `peerkit validate`: checks a clinic export and reports its issues by line. */
export const validateCommand = defineCommand({
  name: 'validate',
  summary: 'check a clinic export (NDJSON) and list its issues by line',
  description: 'Checks a clinic export (NDJSON, one record per line) and reports every problem by line.',
  arg: { name: '<file>', needs: 'the file to check', oneAtATime: 'checks one file at a time' },
  options: {
    'max-issues': { type: 'integer', value: '<n>', default: 50, help: 'issues to list (default 50; --json lists all)' },
  },
  json: 'print one JSON object with the counts and every issue, nothing else',
  notes: 'Messages name lines, fields and rules, never the values in your records.',
  exits: {
    ok: 'every record is valid (warnings allowed)',
    problems: 'some record is invalid',
    usage: 'usage error or a file that cannot be read as a clinic export',
  },
  async run({ arg: file, values, json }, io) {
    const started = performance.now();
    const { report: summary } = await readClinicFile(io, file, { maxIssues: json ? Number.POSITIVE_INFINITY : values['max-issues'] });
    const exitCode = summary.invalid > 0 ? EXIT_CODES.problems : EXIT_CODES.ok;
    if (json) {
      const { lines, valid, invalid, byKind, issueCounts, severityCounts, issues, issuesOmitted } = summary;
      io.stdout.write(formatJson({ file, lines, valid, invalid, byKind, issueCounts, severityCounts, issues, issuesOmitted, exitCode }));
    } else {
      io.stdout.write(humanReport(file, summary, performance.now() - started));
    }
    return exitCode;
  },
});
