import { formatPath, type Issue } from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { EXIT_CODES } from '../exit-codes';

/**
 * The one error the CLI throws on purpose. `main` prints its message (one line, prefixed
 * `peerkit: `), then its usage line if it has one, and returns its exit code; it never reaches the
 * user as a stack trace.
 */
export class CliError extends Error {
  override readonly name: string = 'CliError';

  /**
   * @param message - one line naming the problem; never a record value
   * @param exitCode - the exit code `main` returns (default {@link EXIT_CODES}.usage, 2)
   * @param usage - a usage line printed after the message, for a usage error
   */
  constructor(
    message: string,
    readonly exitCode: number = EXIT_CODES.usage,
    readonly usage?: string,
  ) {
    super(message);
  }
}

/**
 * A usage error (exit 2): the arguments are wrong. `main` prints the message, then the usage line;
 * thrown without one inside a command made by `defineCommand`, it gets that command's.
 */
export class UsageError extends CliError {
  override readonly name: string = 'UsageError';

  /**
   * @param message - one line naming the option or argument and the rule
   * @param usage - the command's usage line (default: filled in by `defineCommand`)
   */
  constructor(message: string, usage?: string) {
    super(message, EXIT_CODES.usage, usage);
  }
}

/**
 * An input file that was read but is not valid: one line naming the file and up to three of its
 * errors, each `path: message [code]` (paths and rules, never values), exit 2.
 *
 * @param file - the path as the user typed it
 * @param issues - the parser's issues (errors are shown; the others only when there is no error)
 * @param what - what the file should be, e.g. `payer pack`: the line then says `not a valid payer pack`
 * @returns the error to throw
 */
export function invalidFileError(file: string, issues: readonly Issue[], what?: string): CliError {
  const errors = issues.filter((i) => i.severity === 'error');
  const listed = errors.length > 0 ? errors : issues;
  const shown = listed.slice(0, 3).map((i) => `${formatPath(i.path) ? `${formatPath(i.path)}: ` : ''}${i.message} [${i.code}]`);
  const more = listed.length > 3 ? ` (+${listed.length - 3} more)` : '';
  const lead = what === undefined ? '' : `not a valid ${what}: `;
  return new CliError(`${file}: ${lead}${shown.join('; ') || 'invalid'}${more}`);
}

/**
 * Prints an error the one way the CLI prints errors: `peerkit: <message>` on standard error, then
 * the usage line for a usage error. Anything that is not a `CliError` is a bug and is rethrown.
 *
 * @param error - what a command threw
 * @param io - where to print
 * @returns the exit code to return (2 for a usage error or unreadable input)
 */
export function reportCliError(error: unknown, io: Pick<CliIo, 'stderr'>): number {
  if (!(error instanceof CliError)) throw error;
  io.stderr.write(`peerkit: ${error.message}\n${error.usage === undefined ? '' : `${error.usage}\n`}`);
  return error.exitCode;
}
