import { extname } from 'node:path';
import { billEncounters, collectBillingRecords, PAYER_PACKS, summarizeBilling } from '@peerkit/billing';
import { createProgramReport, isSuppressed, type Cell, type ProgramReport } from '@peerkit/outcomes';
import { checkClinic } from '@peerkit/safeguards';
import { EXIT_CODES } from '../exit-codes';
import { UsageError } from '../internal/cli-error';
import { readClinicFile } from '../internal/clinic-file';
import { defineCommand } from '../internal/define-command';
import { writeOutputFile } from '../internal/files';
import { formatCount, formatJson, plural } from '../internal/format';
import { readJsonLines } from '../internal/ndjson';

/** `report.html` → `report.json`: the JSON twin, beside the page. */
function twinOf(out: string): string {
  const ext = extname(out);
  return `${ext === '' ? out : out.slice(0, -ext.length)}.json`;
}

const cell = (value: Cell): string => (isSuppressed(value) ? 'suppressed' : formatCount(value));

function humanReport(file: string, report: ProgramReport, written: { out: string; twin: string; invalid: number; responses: number; unreadable: number }): string {
  const { period, totals, suppression } = report;
  const out = [
    `${file}: program report${period === undefined ? ' (no service in the export)' : ` ${period.start} to ${period.end}`}`,
    `  contacts ${cell(totals.contacts)}, minutes ${cell(totals.minutes)}, people served ${cell(totals.peopleServed)}`,
  ];
  if (written.responses > 0 || written.unreadable > 0) {
    const changes = report.outcomes.map((o) => o.instrumentId).join(', ');
    out.push(`  responses: ${formatCount(written.responses)} read${written.unreadable > 0 ? `, ${plural(written.unreadable, 'line')} not JSON (skipped)` : ''}${changes === '' ? '' : `; change reported for ${changes}`}`);
  }
  if (written.invalid > 0) out.push(`  skipped: ${plural(written.invalid, 'invalid line')} (peerkit validate lists them)`);
  out.push(
    `  counts from 1 to ${formatCount(suppression.minCellSize - 1)} suppressed: ${plural(suppression.suppressedCells, 'cell')}`,
    `report: ${written.out} (its JSON: ${written.twin})`,
  );
  return `${out.join('\n')}\n`;
}

/** `peerkit report`: the de-identified program report, as one HTML page and its JSON. */
export const reportCommand = defineCommand({
  name: 'report',
  summary: 'write the de-identified program report: one HTML page with charts, and its JSON',
  description: `Writes the program report of a clinic export: contacts and minutes per month, people served,
modality and setting mix, the referral closed-loop rate, the change in instrument scores (with
--responses), the billing summary under the shipped payer packs and the safeguard findings by
category. Aggregates only: small counts are suppressed. One self-contained HTML page (charts as
inline SVG, no script, opens offline) and its JSON beside it (report.html → report.json).`,
  arg: { name: '<clinic.ndjson>', needs: 'the clinic export to report on', oneAtATime: 'reports on one file at a time' },
  options: {
    out: { type: 'string', short: 'o', value: '<report.html>', required: true, help: 'the HTML page to write; its JSON goes beside it (.json)' },
    responses: { type: 'string', value: '<responses.ndjson>', help: 'instrument responses (QuestionnaireResponses, one a line) for the outcome change' },
    'min-cell-size': { type: 'integer', value: '<n>', default: 11, min: 1, max: 1000, help: 'smallest count shown; smaller ones are suppressed (default 11)' },
    title: { type: 'string', value: '<text>', help: "the report's title (default 'Peer support program report')" },
  },
  json: 'print the report itself (the JSON written beside the page) with what was written, nothing else',
  notes: 'The report holds counts, sums, means, months and codes: no name, id, date of a person or free text.',
  exits: {
    ok: 'the report was written',
    problems: 'the report was written, but some lines of the export or the responses were skipped',
  },
  async run({ arg: file, values, json }, io) {
    const out = values.out;
    if (extname(out).toLowerCase() === '.json') throw new UsageError('--out is the HTML page (report.html); its JSON is written beside it');
    const { report: read, records } = await readClinicFile(io, file, { keepRecords: true, maxIssues: 0, crossRecord: false });
    const responses = values.responses === undefined ? undefined : await readJsonLines(io, values.responses, 'a file of QuestionnaireResponses', 'outcomes.response-invalid');

    const { encounters, ...context } = collectBillingRecords(records);
    const billing = summarizeBilling(billEncounters(encounters, { ...context, packs: PAYER_PACKS }));
    const report = createProgramReport(
      records,
      (responses?.values ?? []).map((r) => r.value),
      {
        billing,
        findings: checkClinic(records).findings,
        minCellSize: values['min-cell-size'],
        ...(values.title === undefined ? {} : { title: values.title }),
      },
    );
    // Vega draws the charts: loaded only by this command.
    const { renderProgramReportHtml } = await import('@peerkit/outcomes/html');
    const twin = twinOf(out);
    await writeOutputFile(io, out, await renderProgramReportHtml(report));
    await writeOutputFile(io, twin, `${JSON.stringify(report, null, 2)}\n`);

    const unreadable = responses?.invalid.length ?? 0;
    const exitCode = read.invalid > 0 || unreadable > 0 ? EXIT_CODES.problems : EXIT_CODES.ok;
    if (json) {
      io.stdout.write(formatJson({ file, out, json: twin, invalidLines: read.invalid, responses: responses?.values.length ?? 0, unreadableResponses: responses?.invalid ?? [], report, exitCode }));
    } else {
      io.stdout.write(humanReport(file, report, { out, twin, invalid: read.invalid, responses: responses?.values.length ?? 0, unreadable }));
    }
    return exitCode;
  },
});
