import { formatPath } from '@peerkit/model';
import { createClinicChecker, RULE_CATEGORIES, ruleById, type ClinicCheckReport, type Finding } from '@peerkit/safeguards';
import { EXIT_CODES } from '../exit-codes';
import { readClinicFile } from '../internal/clinic-file';
import { parseDateOption } from '../internal/dates';
import { defineCommand } from '../internal/define-command';
import { formatCount, formatJson, formatTable, plural } from '../internal/format';
import { readPolicyFile } from '../internal/policy-file';

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

/** `peerkit check`: runs the boundary and scope rules over a clinic export. */
export const checkCommand = defineCommand({
  name: 'check',
  summary: 'check a clinic export against the boundary, scope and documentation rules',
  description: `Checks a clinic export (NDJSON) against the boundary and scope rules: scope of practice, dual
relationships, self-disclosure, crisis follow-up, confidentiality, credentials, supervision,
workload and documentation.`,
  arg: { name: '<file>', needs: 'the clinic export to check', oneAtATime: 'checks one file at a time' },
  options: {
    policy: { type: 'string', value: '<file>', help: 'a policy JSON (thresholds, term lists, working hours, disabled rules)' },
    'as-of': {
      type: 'string',
      value: '<YYYY-MM-DD>',
      help: `judge dates (expiry, overdue, unsigned) at this date (default: the latest
date of service in the export)`,
    },
    'max-findings': { type: 'integer', value: '<n>', default: 50, help: 'findings to list (default 50; --json lists all)' },
  },
  json: 'print one JSON object with counts and every finding, nothing else',
  notes: `Lines that are not valid records are skipped (run peerkit validate for them).
Findings name lines, fields and character spans, never the text of a note.`,
  exits: { ok: 'no error-severity finding', problems: 'at least one error-severity finding' },
  async run({ arg: file, values, json }, io) {
    const asOf = parseDateOption('--as-of', values['as-of']);
    const policy = await readPolicyFile(io, values.policy);
    const checker = createClinicChecker({ ...(policy === undefined ? {} : { policy }), ...(asOf === undefined ? {} : { asOf }) });
    const { report: read } = await readClinicFile(io, file, { maxIssues: 0, crossRecord: false, onRecord: (record, line) => checker.add(record, line) });

    const report = checker.finish();
    const exitCode = report.counts.bySeverity.error > 0 ? EXIT_CODES.problems : EXIT_CODES.ok;
    if (json) {
      const { asOf: judged, records, counts, findings, findingsOmitted } = report;
      io.stdout.write(formatJson({ file, asOf: judged ?? null, records, invalidLines: read.invalid, counts, findings, findingsOmitted, exitCode }));
    } else {
      io.stdout.write(human(file, report, read.invalid, values['max-findings']));
    }
    return exitCode;
  },
});
