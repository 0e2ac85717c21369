/**
 * The exit codes of the `peerkit` command: what {@link main} resolves to and what the process exits
 * with. Every command uses these and no others; its `--help` says what 0, 1 and 2 mean for it.
 *
 * @example
 * if ((await main(['validate', 'clinic.ndjson'])) === EXIT_CODES.problems) console.log('fix the export');
 */
export const EXIT_CODES = {
  /** Done; the data has no error (warnings allowed). */
  ok: 0,
  /** Done as far as it could, but the data has problems (invalid records, held lines, error findings). */
  problems: 1,
  /** A usage error or input it cannot read: one `peerkit: ` line names it, nothing is written. */
  usage: 2,
  /** A bug in PeerKit (exit 70, EX_SOFTWARE, set by `bin/peerkit.mjs`): please report it. */
  internal: 70,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** What each exit code means in general, for `peerkit --help` and docs/cli.md. */
export const EXIT_CODE_MEANINGS: Readonly<Record<keyof typeof EXIT_CODES, string>> = {
  ok: 'success',
  problems: 'the data has problems (the command still did what it could)',
  usage: 'usage error or unreadable input',
  internal: 'internal error (a bug: please report it)',
};
