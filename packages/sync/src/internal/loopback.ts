import { isIP } from 'node:net';
import { SYNC_ERROR_CODES, SyncError } from '../errors';

/** True for `localhost`, `127.0.0.0/8` and `::1`: names that never leave the machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(bare) || bare.toLowerCase().startsWith('::ffff:127.');
  return false;
}

/** The host as it appears in a URL: IPv6 addresses in brackets. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/**
 * Throws when `url` is plain `http://` to a host that is not loopback and the caller has not
 * allowed it: tokens and health data would cross the network in clear text.
 */
export function assertSafeUrl(url: string, what: string, allowInsecureHttp: boolean): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, `${what} is not a valid URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, `${what} must be an http(s) URL`);
  }
  if (parsed.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(parsed.hostname)) {
    throw new SyncError(
      SYNC_ERROR_CODES.insecureUrl,
      `${what} uses plain http:// to a host that is not loopback; use https:// (or allow insecure http explicitly)`,
    );
  }
  return parsed;
}
