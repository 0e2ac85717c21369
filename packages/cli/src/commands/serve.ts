import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { EXIT_CODES } from '../exit-codes';
import { CliError, UsageError } from '../internal/cli-error';
import { defineCommand } from '../internal/define-command';
import { fileErrorCode } from '../internal/files';
import { formatJson } from '../internal/format';

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

/** `peerkit serve`: runs the embedded FHIR server until interrupted. */
export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'run the embedded FHIR R4 server (in memory) until interrupted',
  description: `Runs the embedded FHIR R4 server (Medplum's FHIR engine, in memory) until interrupted.
Prints the FHIR base URL as its first line on standard output, e.g. http://127.0.0.1:8080/fhir.
Every write is validated; the data is lost when the server stops. For development and tests.`,
  options: {
    port: { type: 'integer', value: '<n>', default: 8080, max: 65535, help: 'TCP port (default 8080; 0 picks a free one)' },
    host: { type: 'string', value: '<address>', default: '127.0.0.1', help: 'loopback interface to listen on (default 127.0.0.1; also ::1, localhost)' },
  },
  json: 'print { "baseUrl", "host", "port" } as the first line instead of the bare URL',
  notes: 'Stop it with Ctrl+C (SIGINT) or SIGTERM: requests in flight finish, then it exits 0.',
  exits: { ok: 'stopped by SIGINT or SIGTERM' },
  async run({ values: { port, host }, json }, io) {
    let server: FhirServer;
    try {
      server = await startFhirServer({ port, host });
    } catch (error) {
      if (error instanceof RangeError) {
        throw new UsageError('--host must be a loopback address (127.0.0.1, ::1 or localhost): the server has no authentication');
      }
      const code = fileErrorCode(error);
      if (code === undefined) throw error;
      throw listenError(port, host, code);
    }
    const stopped = interrupted();
    io.stdout.write(json ? formatJson({ baseUrl: server.baseUrl, host, port: server.port }) : `${server.baseUrl}\n`);
    io.stderr.write('peerkit: FHIR R4 server running (in memory, validating every write); Ctrl+C stops it\n');
    await stopped;
    await server.close();
    io.stderr.write('peerkit: server stopped\n');
    return EXIT_CODES.ok;
  },
});
