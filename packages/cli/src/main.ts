import { version } from '../package.json';
import type { CliIo } from './cli-io';
import { fhirCommand } from './commands/fhir';
import { generateCommand } from './commands/generate';
import { igCommand } from './commands/ig';
import { serveCommand } from './commands/serve';
import { syncCommand } from './commands/sync';
import { validateCommand } from './commands/validate';
import { billCommand } from './commands/bill';
import { unitsCommand } from './commands/units';
import { checkCommand } from './commands/check';
import { consentCommand } from './commands/consent';
import { disclosuresCommand } from './commands/disclosures';
import { lintNoteCommand } from './commands/lint-note';
import { importCommand } from './commands/import';
import { scoreCommand } from './commands/score';
import { reportCommand } from './commands/report';
import { EXIT_CODE_MEANINGS, EXIT_CODES } from './exit-codes';
import { reportCliError, UsageError } from './internal/cli-error';
import type { Command } from './internal/define-command';
import { formatTable } from './internal/format';

/** The commands, in `peerkit --help` order, each made by `defineCommand`. */
export const COMMANDS: readonly Command[] = [
  generateCommand,
  validateCommand,
  importCommand,
  fhirCommand,
  igCommand,
  serveCommand,
  syncCommand,
  billCommand,
  unitsCommand,
  consentCommand,
  disclosuresCommand,
  checkCommand,
  lintNoteCommand,
  scoreCommand,
  reportCommand,
];

const USAGE = 'usage: peerkit <command> [options]   (peerkit --help lists the commands)';

function help(): string {
  const commands = formatTable(COMMANDS.map((c) => [`  ${c.name}`, c.summary]));
  const exitCodes = formatTable(Object.entries(EXIT_CODES).map(([name, code]) => [`  ${code}`, EXIT_CODE_MEANINGS[name as keyof typeof EXIT_CODES]]));
  return `peerkit ${version}: peer support data for EHRs, on FHIR R4

usage: peerkit <command> [options]

Commands:
${commands.join('\n')}

Options:
  -h, --help       show this help (peerkit <command> --help for a command's options)
  --version        print the version

Every command takes --json: one JSON object on standard output instead of the report, nothing
else there, every list in full.

Exit codes:
${exitCodes.join('\n')}
`;
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

/**
 * Runs the `peerkit` command; resolves to the exit code. Never throws for user errors: those are
 * printed to `io.stderr` as one line prefixed `peerkit: ` (then the usage line, for a usage error)
 * and give exit code 2.
 *
 * @param argv - the arguments after `peerkit`, e.g. `['validate', 'clinic.ndjson', '--json']`
 * @param io - standard streams and working directory (default: the current process's)
 * @returns one of {@link EXIT_CODES}: 0 on success, 1 when the data checked has problems, 2 for a
 *   usage error or unreadable input
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === '--help' || first === '-h') {
      io.stdout.write(help());
      return EXIT_CODES.ok;
    }
    if (first === '--version') {
      io.stdout.write(`${version}\n`);
      return EXIT_CODES.ok;
    }
    if (first === undefined) throw new UsageError('no command given', USAGE);
    const command = COMMANDS.find((c) => c.name === first);
    if (command === undefined) {
      const what = first.startsWith('-') ? 'option' : 'command';
      throw new UsageError(`unknown ${what} '${first}'`, USAGE);
    }
    return await command.run(rest, io);
  } catch (error) {
    return reportCliError(error, io);
  }
}
