import type { CliIo } from '../cli-io';
import { EXIT_CODES } from '../exit-codes';
import { CliError, UsageError } from '../internal/cli-error';
import { defineCommand } from '../internal/define-command';
import { fileErrorCode } from '../internal/files';
import { formatJson } from '../internal/format';
import { readCdsClientsFile } from '../internal/cds-clients-file';
import { loadFhirFile } from '../internal/serve-load';
import { startServeStack, type ServeStack } from '../internal/serve-stack';

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

/** The port of a companion server: given, else the FHIR port plus `offset` (0 stays 0: any free port). */
function companionPort(given: number | undefined, port: number, offset: number): number {
  if (given !== undefined) return given;
  return port === 0 ? 0 : Math.min(port + offset, 65535);
}

/** The servers' URLs: the FHIR base URL, then one `name: URL` line each (or one JSON line); notes on stderr. */
function printStack(stack: ServeStack, host: string, json: boolean, io: CliIo): void {
  const { fhir, smart, app, appProblem, cds } = stack;
  if (json) {
    io.stdout.write(
      formatJson({
        baseUrl: fhir.baseUrl,
        host,
        port: fhir.port,
        ...(smart === undefined
          ? {}
          : {
              smart: {
                issuer: smart.issuer,
                launcherUrl: smart.launcherUrl,
                smartConfigurationUrl: `${fhir.baseUrl}/.well-known/smart-configuration`,
              },
              app: app ?? { problem: appProblem },
            }),
        ...(cds === undefined ? {} : { cdsHooks: { discoveryUrl: `${cds.baseUrl}/cds-services` } }),
      }),
    );
  } else {
    const lines = [fhir.baseUrl];
    if (smart !== undefined) {
      lines.push(`authorization server: ${smart.issuer}`, `EHR launcher: ${smart.launcherUrl}`, `SMART configuration: ${fhir.baseUrl}/.well-known/smart-configuration`);
      if (app !== undefined) lines.push(`workspace app: ${app.launchUrl}`);
    }
    if (cds !== undefined) lines.push(`CDS Hooks discovery: ${cds.baseUrl}/cds-services`);
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  if (smart !== undefined) {
    io.stderr.write('peerkit: SMART on: every FHIR request needs a bearer token; the sign-in is development-only (synthetic users, no password)\n');
    if (appProblem !== undefined) io.stderr.write(`peerkit: workspace app not served: ${appProblem}\n`);
  }
}

/** `peerkit serve`: runs the embedded FHIR server (and, on request, SMART and CDS Hooks) until interrupted. */
export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'run the embedded FHIR R4 server (in memory) until interrupted; with --auth smart, SMART App Launch too',
  description: `Runs the embedded FHIR R4 server (Medplum's FHIR engine, in memory) until interrupted.
Prints the FHIR base URL as its first line on standard output, e.g. http://127.0.0.1:8080/fhir.
Every write is validated; the data is lost when the server stops. For development and tests.
With --auth smart it also starts PeerKit's development SMART authorization server with its EHR
launcher page, serves the peer workspace app (when @peerkit/workspace is built) registered with it,
and the FHIR server then requires a bearer token and enforces its scopes. --cds-hooks starts the CDS
Hooks service: with --cds-clients, each call to a service needs a JWT signed by one of the trusted
CDS clients (CDS Hooks 2.0, "Trusting CDS Clients"); without it the service is open, which only
plain --cds-hooks (no --auth) allows — with --auth smart it is required, so nothing is left open
while the FHIR server requires tokens. Each is printed on a line of its own after the FHIR base
URL, as "name: URL".`,
  options: {
    port: { type: 'integer', value: '<n>', default: 8080, max: 65535, help: 'TCP port (default 8080; 0 picks a free one)' },
    host: { type: 'string', value: '<address>', default: '127.0.0.1', help: 'loopback interface to listen on (default 127.0.0.1; also ::1, localhost)' },
    auth: { type: 'string', value: '<mode>', choices: ['smart'], help: 'smart: SMART App Launch (authorization server, EHR launcher, workspace app); default none' },
    'cds-hooks': { type: 'boolean', help: 'also run the CDS Hooks service (open without --cds-clients: loopback development)' },
    'cds-clients': {
      type: 'string',
      value: '<file>',
      help: `with --cds-hooks: the CDS clients trusted to call it, JSON [{ "issuer",
"jwks": { "keys": [ … ] } or "jkuAllowList": [ "https://…" ] }]; each call
then needs the client's signed JWT. Required with --auth smart`,
    },
    'auth-port': { type: 'integer', value: '<n>', max: 65535, help: 'port of the authorization server (default --port + 1; 0 with --port 0)' },
    'app-port': { type: 'integer', value: '<n>', max: 65535, help: 'port of the workspace app (default --port + 2; 0 with --port 0)' },
    'cds-port': { type: 'integer', value: '<n>', max: 65535, help: 'port of the CDS Hooks service (default --port + 3; 0 with --port 0)' },
    load: {
      type: 'string',
      value: '<file>',
      help: `FHIR resources to load before the URLs are printed: NDJSON (one resource a line),
a resource, an array or a Bundle (a transaction or batch is posted as is); each
resource PUT by id, else POSTed (under --auth smart with a development system token)`,
    },
  },
  json: 'print one JSON line { "baseUrl", "host", "port", "smart"?, "app"?, "cdsHooks"? } instead of the URLs',
  notes: 'Stop it with Ctrl+C (SIGINT) or SIGTERM: requests in flight finish, then it exits 0.',
  exits: { ok: 'stopped by SIGINT or SIGTERM' },
  async run({ values, json }, io) {
    const { port, host } = values;
    const ports = {
      authPort: companionPort(values['auth-port'], port, 1),
      appPort: companionPort(values['app-port'], port, 2),
      cdsPort: companionPort(values['cds-port'], port, 3),
    };
    const clientsFile = values['cds-clients'];
    if (clientsFile !== undefined && !values['cds-hooks']) throw new UsageError('--cds-clients goes with --cds-hooks');
    if (values['cds-hooks'] && values.auth === 'smart' && clientsFile === undefined) {
      throw new UsageError('--cds-hooks with --auth smart needs --cds-clients <file>: the CDS clients trusted to call it (the FHIR server requires tokens, so the CDS service is not left open)');
    }
    const cdsClients = clientsFile === undefined ? undefined : await readCdsClientsFile(io, clientsFile);
    let stack: ServeStack;
    try {
      stack = await startServeStack({ host, port, smart: values.auth === 'smart', cdsHooks: values['cds-hooks'], ...(cdsClients === undefined ? {} : { cdsClients }), ...ports });
    } catch (error) {
      if (error instanceof RangeError) {
        throw new UsageError('--host must be a loopback address (127.0.0.1, ::1 or localhost): the servers are for development');
      }
      const code = fileErrorCode(error);
      if (code === undefined) throw error;
      const failed = (error as { port?: unknown }).port;
      throw listenError(typeof failed === 'number' ? failed : port, host, code);
    }
    if (values.load !== undefined) {
      try {
        const token = await stack.smart?.issueAccessToken({ scope: 'system/*.cruds', expiresInSeconds: 3600 });
        const written = await loadFhirFile(io, values.load, stack.fhir.baseUrl, token);
        io.stderr.write(`peerkit: loaded ${written} FHIR resource${written === 1 ? '' : 's'} from ${values.load}\n`);
      } catch (error) {
        await stack.close();
        throw error;
      }
    }
    const stopped = interrupted();
    printStack(stack, host, json, io);
    io.stderr.write('peerkit: FHIR R4 server running (in memory, validating every write); Ctrl+C stops it\n');
    await stopped;
    await stack.close();
    io.stderr.write('peerkit: server stopped\n');
    return EXIT_CODES.ok;
  },
});
