import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import type { CliIo } from '../cli-io';
import { parseCommandArgs, parseInteger } from '../internal/args';
import { CliError } from '../internal/cli-error';
import type { Command } from './command';

const USAGE = 'usage: peerkit serve [--port <n>] [--host <address>]';

const HELP = `Runs the embedded FHIR R4 server (Medplum's FHIR engine, in memory) until interrupted.
Prints the FHIR base URL as its first line on standard output, e.g. http://127.0.0.1:8080/fhir.
Every write is validated; the data is lost when the server stops. For development and tests.

${USAGE}

Options:
  --port <n>           TCP port (default 8080; 0 picks a free one)
  --host <address>     loopback interface to listen on (default 127.0.0.1; also ::1, localhost)
  -h, --help           show this help

Stop it with Ctrl+C (SIGINT) or SIGTERM: requests in flight finish, then it exits 0.
`;

/** The message for a listen error code. */
function listenError(port: number, host: string, code: string): CliError {
  switch (code) {
    case 'EADDRINUSE':
      return new CliError(`cannot listen on ${host} port ${port}: the port is in use (try --port 0)`);
    case 'EACCES':
    case 'EPERM':
      return new CliError(`cannot listen on ${host} port ${port} (permission denied)`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new CliError(`cannot listen on ${host}: no such local address`);
    default:
      return new CliError(`cannot listen on ${host} port ${port} (${code})`);
  }
}

/** Resolves with the name of the first SIGINT or SIGTERM. */
function interrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CliError('serve takes no file argument', 2, USAGE);
  const port = values.port === undefined ? 8080 : parseInteger('--port', values.port, USAGE, { max: 65535 });
  const host = values.host ?? '127.0.0.1';

  let server: FhirServer;
  try {
    server = await startFhirServer({ port, host });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new CliError('--host must be a loopback address (127.0.0.1, ::1 or localhost): the server has no authentication', 2, USAGE);
    }
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') throw error;
    throw listenError(port, host, code);
  }
  const stopped = interrupted();
  io.stdout.write(`${server.baseUrl}\n`);
  io.stderr.write('peerkit: FHIR R4 server running (in memory, validating every write); Ctrl+C stops it\n');
  await stopped;
  await server.close();
  io.stderr.write('peerkit: server stopped\n');
  return 0;
}

/** `peerkit serve`: runs the embedded FHIR server until interrupted. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the embedded FHIR R4 server (in memory) until interrupted',
  usage: USAGE,
  run,
};
