/**
 * Where the `peerkit` command reads and writes: the process by default, a fake in tests or when a
 * host runs the CLI in-process.
 */
export interface CliIo {
  /** Command output (reports, NDJSON, `--json` objects). `isTTY` tells a terminal from a pipe. */
  stdout: {
    /** Writes text as given (no newline added). */
    write(s: string): unknown;
    isTTY?: boolean;
  };
  /** Messages and summaries: one line per problem, prefixed `peerkit: `. */
  stderr: {
    /** Writes text as given (no newline added). */
    write(s: string): unknown;
  };
  /** The directory relative paths are resolved against. */
  cwd: string;
}
