/**
 * The file `peerkit serve --cds-clients <file>` reads: the CDS clients (EHRs) the CDS Hooks service
 * trusts, each by its `iss` and its public keys (a JWK Set, or the `jku` URLs it may name). Each call
 * to a service then needs that client's signed JWT.
 *
 * See: https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import type { TrustedCdsClient } from '@peerkit/cds-hooks';
import type { CliIo } from '../cli-io';
import { CliError } from './cli-error';
import { readJsonFile } from './files';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A JWK Set URL the service may fetch keys from: https, or http on a loopback host only — keys
 * fetched over plain http elsewhere could be swapped on the way, which would defeat the trust list.
 */
function isKeySetUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** One client of the file, checked (a message naming the field when it is not one). */
function toClient(value: unknown, at: string): TrustedCdsClient | string {
  if (!isObject(value)) return `${at}: must be an object { "issuer", "jwks" or "jkuAllowList" }`;
  const { issuer, jwks, jkuAllowList } = value;
  if (typeof issuer !== 'string' || issuer.trim() === '') return `${at}.issuer: must be the client's iss (a non-empty string)`;
  if (jwks !== undefined && (!isObject(jwks) || !Array.isArray(jwks.keys) || !jwks.keys.every(isObject))) return `${at}.jwks: must be a JWK Set { "keys": [ … ] }`;
  if (jkuAllowList !== undefined && (!Array.isArray(jkuAllowList) || !jkuAllowList.every(isKeySetUrl))) {
    return `${at}.jkuAllowList: must be a list of https URLs (http only on loopback)`;
  }
  if (jwks === undefined && jkuAllowList === undefined) return `${at}: needs "jwks" or "jkuAllowList" (the client's public keys)`;
  return {
    issuer,
    ...(jwks === undefined ? {} : { jwks: jwks as unknown as NonNullable<TrustedCdsClient['jwks']> }),
    ...(jkuAllowList === undefined ? {} : { jkuAllowList: jkuAllowList as string[] }),
  };
}

/**
 * Reads and checks a `--cds-clients` file: a JSON array of `{ "issuer", "jwks"?, "jkuAllowList"? }`
 * (at least one client; each with `jwks` or `jkuAllowList`).
 *
 * @param io - the command's I/O (its working directory)
 * @param file - the file named on the command line
 * @returns the trusted clients
 * @throws CliError naming the file and the field (never a key or a value) when it cannot be read or is not that shape
 */
export async function readCdsClientsFile(io: CliIo, file: string): Promise<TrustedCdsClient[]> {
  const json = await readJsonFile(io, file, 'the trusted CDS clients');
  if (!Array.isArray(json) || json.length === 0) throw new CliError(`${file}: must be a JSON array of the trusted CDS clients (at least one)`);
  const clients: TrustedCdsClient[] = [];
  for (const [i, value] of json.entries()) {
    const client = toClient(value, `[${i}]`);
    if (typeof client === 'string') throw new CliError(`${file}: ${client}`);
    clients.push(client);
  }
  return clients;
}
