import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { formatPath, readClinicExport } from '@peerkit/model';
import { createClinicChecker, RULE_CATEGORIES, ruleById, type ClinicCheckReport, type Finding } from '@peerkit/safeguards';
import type { CliIo } from '../cli-io';
import { parseCommandArgs, parseInteger } from '../internal/args';
import { CliError } from '../internal/cli-error';
import { formatCount, formatTable, plural } from '../internal/format';
import type { Command } from './command';
import { readPolicy } from './lint-note';

const USAGE = 'usage: peerkit check <file> [--policy <file>] [--json] [--as-of <YYYY-MM-DD>] [--max-findings <n>]';

const HELP = `Checks a clinic export (NDJSON) against the boundary and scope rules: scope of practice, dual
relationships, self-disclosure, crisis follow-up, confidentiality, credentials, supervision,
workload and documentation.

${USAGE}

Options:
  --policy <file>       a policy JSON (thresholds, term lists, working hours, disabled rules)
  --json                print one JSON object with counts and every finding, nothing else
  --as-of <date>        judge dates (expiry, overdue, unsigned) at this date (default: the latest
                        date of service in the export)
  --max-findings <n>    findings to list (default 50; --json lists all)
  -h, --help            show this help

Lines that are not valid records are skipped (run peerkit validate for them).
Findings name lines, fields and character spans, never the text of a note.
Exit codes: 0 no error-severity finding, 1 at least one, 2 usage error or unreadable input.
`;

function where(f: Finding): string {
  const path = formatPath(f.path) || '-';
  return f.start === undefined ? path : `${path}[${f.start}-${f.end ?? f.start}]`;
}

function human(file: string, report: ClinicCheckReport, invalid: number, max: number): string {
  const { counts } = report;
  const out = [
    `${file}: ${plural(report.records, 'record')} checked${invalid > 0 ? `, ${plural(invalid, 'invalid line')} skipped (see peerkit validate)` : ''}; as of ${report.asOf ?? '-'}`,
    `findings: ${plural(counts.bySeverity.error, 'error')}, ${plural(counts.bySeverity.warning, 'warning')}, ${formatCount(counts.bySeverity.information)} information`,
    '',
    ...formatTable([['category', 'findings'], ...RULE_CATEGORIES.map((c) => [c, formatCount(counts.byCategory[c])])], ['left', 'right']),
  ];
  const rules = Object.entries(counts.byRule).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (rules.length > 0) {
    out.push('', ...formatTable([['rule', 'category', 'severity', 'findings'], ...rules.map(([id, n]) => [id, ruleById(id).category, ruleById(id).severity, formatCount(n)])], ['left', 'left', 'left', 'right']));
  }
  const shown = report.findings.slice(0, max);
  if (shown.length > 0) {
    out.push(
      '',
      ...formatTable(
        shown.map((f) => [`line ${f.line ?? '-'}`, `${f.recordKind ?? '-'} ${f.recordId ?? ''}`.trim(), where(f), f.severity, f.rule, f.message]),
      ),
    );
  }
  const hidden = report.findings.length - shown.length + report.findingsOmitted;
  if (hidden > 0) out.push(`… and ${formatCount(hidden)} more (use --json for all)`);
  return `${out.join('\n')}\n`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      policy: { type: 'string' },
      json: { type: 'boolean' },
      'as-of': { type: 'string' },
      'max-findings': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new CliError('check needs the clinic export to check', 2, USAGE);
  if (extra.length > 0) throw new CliError('check checks one file at a time', 2, USAGE);
  const asOf = values['as-of'];
  if (asOf !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf)))) {
    throw new CliError('--as-of must be a date YYYY-MM-DD', 2, USAGE);
  }
  const max = values['max-findings'] === undefined ? 50 : parseInteger('--max-findings', values['max-findings'], USAGE);
  const policy = await readPolicy(values.policy, io.cwd);

  const options: Parameters<typeof createClinicChecker>[0] = {};
  if (policy !== undefined) options.policy = policy;
  if (asOf !== undefined) options.asOf = asOf;
  const checker = createClinicChecker(options);
  let lines = 0;
  let jsonLines = 0;
  let invalid = 0;
  try {
    for await (const entry of readClinicExport(createReadStream(resolve(io.cwd, file)))) {
      lines += 1;
      const unreadable = entry.result.issues.some((i) => i.code === 'record.invalid-json' || i.code === 'record.not-object' || i.code === 'record.too-large');
      if (!unreadable) jsonLines += 1;
      if (entry.result.ok) checker.add(entry.result.value, entry.line);
      else invalid += 1;
    }
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') throw error;
    if (code === 'ENOENT') throw new CliError(`${file}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${file}: is a directory, not a clinic export file`);
    throw new CliError(`${file}: cannot read the file (${code})`);
  }
  if (lines > 0 && jsonLines === 0) throw new CliError(`${file}: is not NDJSON (no line is a JSON object; a clinic export has one JSON object per line)`);

  const report = checker.finish();
  const exitCode = report.counts.bySeverity.error > 0 ? 1 : 0;
  if (values.json) {
    const { asOf: judged, records, counts, findings, findingsOmitted } = report;
    io.stdout.write(`${JSON.stringify({ file, asOf: judged ?? null, records, invalidLines: invalid, counts, findings, findingsOmitted, exitCode })}\n`);
  } else {
    io.stdout.write(human(file, report, invalid, max));
  }
  return exitCode;
}

/** `peerkit check`: runs the boundary and scope rules over a clinic export. */
export const checkCommand: Command = {
  name: 'check',
  summary: 'check a clinic export against the boundary, scope and documentation rules',
  usage: USAGE,
  run,
};
