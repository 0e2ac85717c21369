import { resolve } from 'node:path';
import {
  clinicToNdjson,
  codesOf,
  generateClinic,
  RECORD_KINDS,
  type GenerateClinicOptions,
  type GeneratedClinic,
} from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { parseCommandArgs, parseInteger } from '../internal/args';
import { CliError } from '../internal/cli-error';
import { writeAtomically, writeError } from '../internal/files';
import { formatCount, formatTable, plural } from '../internal/format';
import type { Command } from './command';

const USAGE =
  'usage: peerkit generate --seed <n> [--peers <n>] [--specialists <n>] [--weeks <n>] [--start <YYYY-MM-DD>] [--invalid <n>] [--out <file>]';

const HELP = `Writes a synthetic clinic export (NDJSON): every person, name and note is made up.
The same options always give the same bytes.

${USAGE}

Options:
  --seed <n>            seed of the random generator (required)
  --peers <n>           peers served (default 50)
  --specialists <n>     peer support specialists, at least 1 (default: one per 12 peers, at least 2)
  --weeks <n>           weeks of encounters, group sessions and referrals, 1 to 1040 (default 12)
  --start <date>        first day, YYYY-MM-DD (default 2026-01-05)
  --invalid <n>         broken lines to plant, for testing validators (default 0)
  --out <file>          file to write (default: standard output); written whole or not at all
  -h, --help            show this help
`;

/** `generateClinic: option weeks must be …` becomes `--weeks must be …`: the option as the user typed it. */
function asFlagMessage(message: string): string {
  const text = message.replace(/^generateClinic: /, '');
  const option = /^option (\w+) (.*)$/.exec(text);
  if (option?.[1] === undefined) return `generate: ${text}`;
  return `--${option[1].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${option[2] ?? ''}`;
}


function summary(clinic: GeneratedClinic, where: string): string {
  const counts = new Map<string, number>();
  for (const record of clinic.records) counts.set(record.kind, (counts.get(record.kind) ?? 0) + 1);
  const rows = codesOf(RECORD_KINDS)
    .filter((kind) => counts.has(kind))
    .map((kind) => [`  ${kind}`, formatCount(counts.get(kind) ?? 0)]);
  rows.push(['  total', formatCount(clinic.records.length)]);
  return [
    `peerkit: wrote ${plural(clinic.records.length, 'record')} to ${where}`,
    ...formatTable(rows, ['left', 'right']),
    `  invalid lines planted: ${formatCount(clinic.invalid.length)}`,
    `  problems planted in note text (for safeguard checks): ${formatCount(clinic.planted.length)}`,
    '',
  ].join('\n');
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      seed: { type: 'string' },
      peers: { type: 'string' },
      specialists: { type: 'string' },
      weeks: { type: 'string' },
      start: { type: 'string' },
      invalid: { type: 'string' },
      out: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CliError('generate takes no file argument; use --out <file>', 2, USAGE);
  if (values.seed === undefined) throw new CliError('generate needs --seed <n>', 2, USAGE);

  const options: GenerateClinicOptions = { seed: parseInteger('--seed', values.seed, USAGE) };
  if (values.peers !== undefined) options.peers = parseInteger('--peers', values.peers, USAGE);
  if (values.specialists !== undefined) options.specialists = parseInteger('--specialists', values.specialists, USAGE);
  if (values.weeks !== undefined) options.weeks = parseInteger('--weeks', values.weeks, USAGE);
  if (values.invalid !== undefined) options.invalid = parseInteger('--invalid', values.invalid, USAGE);
  if (values.start !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.start)) throw new CliError('--start must be a date, YYYY-MM-DD', 2, USAGE);
    options.start = values.start;
  }

  let clinic: GeneratedClinic;
  try {
    clinic = generateClinic(options);
  } catch (error) {
    // The generator names the option it rejects (a RangeError); anything else is a bug.
    if (error instanceof RangeError) throw new CliError(asFlagMessage(error.message), 2, USAGE);
    throw error;
  }
  const ndjson = clinicToNdjson(clinic);

  if (values.out === undefined) {
    io.stdout.write(ndjson);
    io.stderr.write(summary(clinic, 'standard output'));
    return 0;
  }
  try {
    await writeAtomically(resolve(io.cwd, values.out), ndjson);
  } catch (error) {
    // Only the file system's errors (with a `code`) are the user's; anything else is a bug.
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') throw error;
    throw writeError(values.out, code);
  }
  io.stderr.write(summary(clinic, values.out));
  return 0;
}

/** `peerkit generate`: writes a synthetic clinic export. */
export const generateCommand: Command = {
  name: 'generate',
  summary: 'write a synthetic clinic export (NDJSON) for demos and tests',
  usage: USAGE,
  run,
};
