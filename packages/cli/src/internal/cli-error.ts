/**
 * The one error the CLI throws on purpose. `main` prints its message (one line, prefixed
 * `peerkit: `) and returns its exit code; it never reaches the user as a stack trace.
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  /**
   * @param message - one line naming the problem; never a record value
   * @param exitCode - the exit code `main` returns (default 2)
   * @param usage - a usage line printed after the message, for a usage error
   */
  constructor(
    message: string,
    readonly exitCode = 2,
    readonly usage?: string,
  ) {
    super(message);
  }
}

/** A usage error (exit 2): the message, then the command's usage line. */
export function usageError(message: string, usage: string): CliError {
  return new CliError(message, 2, usage);
}
