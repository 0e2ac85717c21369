import {
  clinicToNdjson,
  codesOf,
  toClinicExport,
  generateClinic,
  RECORD_KINDS,
  type GenerateClinicOptions,
  type GeneratedClinic,
  type RecordKind,
} from '@peerkit/model';
import { generateInstrumentResponses } from '@peerkit/outcomes';
import { EXIT_CODES } from '../exit-codes';
import { UsageError } from '../internal/cli-error';
import { defineCommand } from '../internal/define-command';
import { writeOutputFile } from '../internal/files';
import { formatCount, formatJson, formatTable, plural } from '../internal/format';

/** `generateClinic: option weeks must be …` becomes `--weeks must be …`: the option as the user typed it. */
function asFlagMessage(message: string): string {
  const text = message.replace(/^generateClinic: /, '');
  const option = /^option (\w+) (.*)$/.exec(text);
  if (option?.[1] === undefined) return `generate: ${text}`;
  return `--${option[1].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${option[2] ?? ''}`;
}

/** Records by kind, in the export's kind order. */
function countByKind(clinic: GeneratedClinic): Partial<Record<RecordKind, number>> {
  const counts: Partial<Record<RecordKind, number>> = {};
  for (const record of clinic.records) counts[record.kind] = (counts[record.kind] ?? 0) + 1;
  return Object.fromEntries(codesOf(RECORD_KINDS).filter((kind) => counts[kind] !== undefined).map((kind) => [kind, counts[kind]]));
}

function summary(clinic: GeneratedClinic, where: string, responses?: { file: string; count: number }): string {
  const rows = Object.entries(countByKind(clinic)).map(([kind, n]) => [`  ${kind}`, formatCount(n)]);
  rows.push(['  total', formatCount(clinic.records.length)]);
  return [
    `peerkit: wrote ${plural(clinic.records.length, 'record')} to ${where}`,
    ...formatTable(rows, ['left', 'right']),
    `  invalid lines planted: ${formatCount(clinic.invalid.length)}`,
    `  problems planted in note text (for safeguard checks): ${formatCount(clinic.planted.length)}`,
    ...(responses === undefined ? [] : [`peerkit: wrote ${plural(responses.count, 'instrument response')} to ${responses.file}`]),
    '',
  ].join('\n');
}

/** `peerkit generate`: writes a synthetic clinic export. */
export const generateCommand = defineCommand({
  name: 'generate',
  summary: 'write a synthetic clinic export (NDJSON) for demos and tests',
  description: `Writes a synthetic clinic export (NDJSON): every person, name and note is made up.
The same options always give the same bytes.`,
  noArgHint: 'use --out <file>',
  options: {
    seed: { type: 'integer', value: '<n>', required: true, help: 'seed of the random generator (required)' },
    peers: { type: 'integer', value: '<n>', help: 'peers served (default 50)' },
    specialists: { type: 'integer', value: '<n>', help: 'peer support specialists, at least 1 (default: one per 12 peers, at least 2)' },
    weeks: { type: 'integer', value: '<n>', help: 'weeks of encounters, group sessions and referrals, 1 to 1040 (default 12)' },
    start: { type: 'string', value: '<YYYY-MM-DD>', help: 'first day (default 2026-01-05)' },
    invalid: { type: 'integer', value: '<n>', help: 'broken lines to plant, for testing validators (default 0)' },
    out: { type: 'string', short: 'o', value: '<file>', help: 'file to write (default: standard output); written whole or not at all' },
    responses: {
      type: 'string',
      value: '<file>',
      help: `also write instrument responses (BARC-10, PHQ-9, GAD-7 QuestionnaireResponses,
one a line) answered at the clinic's encounters, improving, flat or worsening
by the same seed (for peerkit score and peerkit report)`,
    },
  },
  json: 'print one JSON object with the records by kind and the lines planted, nothing else (needs --out)',
  exits: { ok: 'the export was written' },
  async run({ values, json }, io) {
    if (json && values.out === undefined) throw new UsageError('--json needs --out <file> (without it the export goes to standard output)');
    const options: GenerateClinicOptions = { seed: values.seed };
    if (values.peers !== undefined) options.peers = values.peers;
    if (values.specialists !== undefined) options.specialists = values.specialists;
    if (values.weeks !== undefined) options.weeks = values.weeks;
    if (values.invalid !== undefined) options.invalid = values.invalid;
    if (values.start !== undefined) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(values.start)) throw new UsageError('--start must be a date, YYYY-MM-DD');
      options.start = values.start;
    }

    let clinic: GeneratedClinic;
    try {
      clinic = generateClinic(options);
    } catch (error) {
      // The generator names the option it rejects (a RangeError); anything else is a bug.
      if (error instanceof RangeError) throw new UsageError(asFlagMessage(error.message));
      throw error;
    }
    const ndjson = clinicToNdjson(clinic);
    const responses = values.responses === undefined ? undefined : generateInstrumentResponses(clinic, { seed: values.seed }).map((g) => g.response);
    if (values.responses !== undefined && responses !== undefined) await writeOutputFile(io, values.responses, toClinicExport(responses));

    const written = values.responses === undefined ? undefined : { file: values.responses, count: responses?.length ?? 0 };
    if (values.out === undefined) {
      io.stdout.write(ndjson);
      io.stderr.write(summary(clinic, 'standard output', written));
      return EXIT_CODES.ok;
    }
    await writeOutputFile(io, values.out, ndjson);
    if (json) {
      const { records, invalid, planted } = clinic;
      const more = written === undefined ? {} : { responses: written };
      io.stdout.write(
        formatJson({ out: values.out, records: records.length, byKind: countByKind(clinic), invalidLines: invalid.length, plantedProblems: planted.length, ...more, exitCode: EXIT_CODES.ok }),
      );
    } else {
      io.stderr.write(summary(clinic, values.out, written));
    }
    return EXIT_CODES.ok;
  },
});
