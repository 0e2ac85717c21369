import { bearerToken, createFhirTransport, smartBackendServices, SyncError, type AuthProvider, type FhirTransport } from '@peerkit/sync';
import type { CliIo } from '../cli-io';
import { CliError, UsageError } from './cli-error';
import type { BooleanOption, IntegerOption, StringOption } from './define-command';
import { readJsonFile, readTextFile } from './files';

/** Environment variable holding the bearer token (never a command-line argument: others can read those). */
export const TOKEN_ENV = 'PEERKIT_FHIR_TOKEN';

/** `--auth <method>`: how a command that talks to a FHIR server authenticates. */
export const AUTH_OPTION = {
  type: 'string',
  value: '<method>',
  help: `how to authenticate (default: no credentials):
bearer: send the token in $${TOKEN_ENV}
smart:<file>: SMART Backend Services; <file> is JSON: { "tokenUrl",
"clientId", "alg": "RS384"|"ES384", "kid", "privateKeyFile" (PKCS #8 PEM),
"scope"? }`,
} as const satisfies StringOption;

/** `--timeout <s>`: the time limit of one request. */
export const TIMEOUT_OPTION = {
  type: 'integer',
  value: '<s>',
  default: 60,
  min: 1,
  max: 3600,
  help: 'time limit of one request, in seconds (default 60)',
} as const satisfies IntegerOption;

/** `--max-attempts <n>`: tries per request. */
export const MAX_ATTEMPTS_OPTION = {
  type: 'integer',
  value: '<n>',
  default: 8,
  min: 1,
  max: 100,
  help: 'tries per request before the run stops (default 8)',
} as const satisfies IntegerOption;

/** `--insecure-http`: plain http:// to another machine. */
export const INSECURE_HTTP_OPTION = {
  type: 'boolean',
  help: 'allow plain http:// to another machine (tokens and data in clear text)',
} as const satisfies BooleanOption;

/** A SMART Backend Services configuration file. */
interface SmartConfig {
  tokenUrl?: unknown;
  clientId?: unknown;
  alg?: unknown;
  kid?: unknown;
  privateKeyFile?: unknown;
  scope?: unknown;
}

/** Reads a file an option names; any failure to read it is one line, `message`. */
export async function readNamedFile<T>(read: Promise<T>, message: string): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof CliError) throw new CliError(message);
    throw error;
  }
}

/**
 * The credentials `--auth` names: none (`none` or not given), the bearer token in
 * {@link TOKEN_ENV}, or SMART Backend Services from `smart:<config.json>`.
 *
 * @param spec - the option's value
 * @param io - for the working directory
 * @param insecure - `--insecure-http` was given (the token endpoint may then be plain http)
 * @returns the auth provider, or undefined for none
 */
export async function authFrom(spec: string | undefined, io: CliIo, insecure: boolean): Promise<AuthProvider | undefined> {
  if (spec === undefined || spec === 'none') return undefined;
  if (spec === 'bearer') {
    const token = process.env[TOKEN_ENV];
    if (token === undefined || token.trim() === '') throw new UsageError(`--auth bearer needs the token in $${TOKEN_ENV}`);
    return bearerToken(token);
  }
  if (spec.startsWith('smart:')) {
    const file = spec.slice('smart:'.length);
    const json = await readNamedFile(readJsonFile(io, file, 'a SMART configuration'), `${file}: cannot read the SMART configuration (a JSON file)`);
    const config: SmartConfig = typeof json === 'object' && json !== null ? json : {};
    const text = (value: unknown): value is string => typeof value === 'string' && value !== '';
    if (!text(config.tokenUrl) || !text(config.clientId) || !text(config.kid) || !text(config.privateKeyFile)) {
      throw new CliError(`${file}: needs tokenUrl, clientId, kid and privateKeyFile`);
    }
    if (config.alg !== 'RS384' && config.alg !== 'ES384') throw new CliError(`${file}: alg must be RS384 or ES384`);
    const privateKey = await readNamedFile(readTextFile(io, config.privateKeyFile, 'a private key'), `${file}: cannot read privateKeyFile`);
    return smartBackendServices({
      tokenUrl: config.tokenUrl,
      clientId: config.clientId,
      kid: config.kid,
      alg: config.alg,
      privateKey,
      allowInsecureHttp: insecure,
      ...(text(config.scope) ? { scope: config.scope } : {}),
    });
  }
  throw new UsageError(`--auth must be bearer or smart:<config.json>`);
}

/** What {@link transportFrom} takes: the server options as parsed. */
export interface ServerOptions {
  /** The option that names the server, for its messages, e.g. `--server`. */
  readonly option: string;
  /** The FHIR base URL. */
  readonly server: string;
  /** `--auth`. */
  readonly auth: string | undefined;
  /** `--timeout`, in seconds. */
  readonly timeout: number;
  /** `--insecure-http`. */
  readonly insecure: boolean;
}

/**
 * The FHIR transport for the server options: credentials from `--auth`, the time limit, the TLS rule;
 * a URL the transport refuses is a usage error naming the option.
 *
 * @param options - see {@link ServerOptions}
 * @param io - for the working directory (the SMART configuration)
 * @returns the transport
 */
export async function transportFrom(options: ServerOptions, io: CliIo): Promise<FhirTransport> {
  const { option, server, timeout, insecure } = options;
  const auth = await authFrom(options.auth, io, insecure);
  try {
    return createFhirTransport({ baseUrl: server, timeoutMs: timeout * 1000, allowInsecureHttp: insecure, ...(auth === undefined ? {} : { auth }) });
  } catch (error) {
    if (error instanceof SyncError) {
      throw new UsageError(error.code === 'sync.insecure-url' ? `${option} uses plain http:// to another machine; use https:// (or --insecure-http)` : `${option}: ${error.message}`);
    }
    throw error;
  }
}

/** The server as it may be printed: no user info, no query. */
export function printableUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
