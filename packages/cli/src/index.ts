/**
 * @peerkit/cli — the `peerkit` command: `peerkit generate` writes a synthetic clinic export,
 * `peerkit validate` checks one. Also callable in-process through {@link main}.
 *
 * @packageDocumentation
 */
export { main } from './main';
export type { CliIo } from './cli-io';
export { EXIT_CODES } from './exit-codes';
export type { ExitCode } from './exit-codes';
