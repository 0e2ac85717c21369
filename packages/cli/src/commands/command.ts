import type { CliIo } from '../cli-io';

/**
 * One verb of the `peerkit` command, as `main` runs it. New commands are made with `defineCommand`
 * (src/internal/define-command.ts), which builds this from a table entry; `import` and `sync` still
 * implement it by hand.
 */
export interface Command {
  /** The verb, e.g. `validate`. */
  readonly name: string;
  /** One line for `peerkit --help`. */
  readonly summary: string;
  /** The usage line printed after a usage error. */
  readonly usage: string;
  /** Runs the verb with the arguments after its name; resolves to the exit code. Throws only `CliError`. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
