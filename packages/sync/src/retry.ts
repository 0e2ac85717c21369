/**
 * When and how long to wait before trying a request again: exponential backoff with full jitter,
 * overridden by what the server says (`Retry-After`, the `RateLimit` headers).
 */
import { SYNC_ERROR_CODES, SyncError } from './errors';

/** Options of the retry policy; every field has a default. */
export interface RetryOptions {
  /** Tries per request, the first included. Default 8. */
  maxAttempts?: number;
  /** Backoff base: the cap of the first retry's delay, in ms. Default 500. */
  baseDelayMs?: number;
  /** Largest backoff delay, in ms. Default 30 000. */
  maxDelayMs?: number;
  /**
   * Longest wait a server may ask for (`Retry-After`, `RateLimit` reset), in ms. A longer ask ends
   * the run with the records still in the outbox (resume later). Default 300 000 (5 minutes).
   */
  maxServerDelayMs?: number;
  /** Time limit of one request, in ms (connection, upload and the whole response). Default 60 000. */
  timeoutMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxServerDelayMs: 300_000,
  timeoutMs: 60_000,
};

/**
 * Fills in the defaults of a retry policy and checks its values.
 *
 * @param options - the caller's options
 * @returns the complete policy
 * @throws SyncError (`sync.invalid-option`) for a value out of range
 * @example
 * const policy = createRetryPolicy({ maxAttempts: 5 });
 */
export function createRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY, ...definedOnly(options) };
  const check = (name: keyof RetryPolicy, min: number): void => {
    const value = policy[name];
    if (!Number.isFinite(value) || value < min) {
      throw new SyncError(SYNC_ERROR_CODES.invalidOption, `retry option ${name} must be a number of at least ${min}`);
    }
  };
  check('maxAttempts', 1);
  check('baseDelayMs', 0);
  check('maxDelayMs', 0);
  check('maxServerDelayMs', 0);
  check('timeoutMs', 1);
  if (!Number.isInteger(policy.maxAttempts)) {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'retry option maxAttempts must be a whole number');
  }
  return policy;
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The backoff before retry number `retry` (1 for the first retry): "full jitter", a uniform random
 * delay between 0 and `min(maxDelayMs, baseDelayMs × 2^(retry − 1))`.
 *
 * @param retry - 1 for the first retry, 2 for the second…
 * @param policy - the retry policy
 * @param random - a uniform random number in [0, 1) (default `Math.random`)
 * @returns the delay in ms
 * @example
 * backoffDelay(3, DEFAULT_RETRY, () => 0.5); // 1000: half of min(30 000, 500 × 4)
 *
 * See: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(retry - 1, 0), 52);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.floor(random() * cap);
}

/**
 * Parses a `Retry-After` header: delay-seconds or an HTTP-date (IMF-fixdate, and the obsolete
 * RFC 850 and asctime forms).
 *
 * @param value - the header value, or null when absent
 * @param now - the current time in ms since the epoch
 * @returns the wait in ms (0 for a date in the past), or undefined when absent or unreadable
 * @example
 * parseRetryAfter('120', Date.now()); // 120000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z')); // 60000
 *
 * See: RFC 9110 §10.2.3 (Retry-After), §5.6.7 (HTTP-date); RFC 6585 §4 (429 Too Many Requests)
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date names a weekday or month; bare numbers with signs or decimals are not valid.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** One quota a server reports (the IETF draft allows several in one `RateLimit` field). */
export interface RateLimitPolicy {
  /** The policy's name (`"default"`, Medplum's `"requests"` / `"fhirInteractions"`…); empty when the header names none. */
  name: string;
  /** Quota units left in the current window. */
  remaining: number;
  /** Time until the window resets, in ms. */
  resetMs?: number;
  /** The quota of a window (`RateLimit-Policy` `q`, `X-RateLimit-Limit`, draft -05/-06 `limit`). */
  limit?: number;
  /** The window, in ms (`RateLimit-Policy` `w`). */
  windowMs?: number;
}

/** What the rate-limit headers of a response say. */
export interface RateLimitInfo {
  /** Requests (or quota units) left in the current window: the fewest of any policy. */
  remaining?: number;
  /** Time until the window of that policy resets, in ms. */
  resetMs?: number;
  /** Every quota the headers report (present when there is at least one with a remaining count). */
  policies?: RateLimitPolicy[];
}

/** `key=value` or `key;value`-style parameters of a RateLimit field, keys lower-cased. */
function rateLimitParams(field: string): Map<string, number> {
  const params = new Map<string, number>();
  for (const match of field.matchAll(/(?:^|[\s,;])([a-zA-Z-]+)\s*=\s*"?(\d+)"?/g)) {
    const [, key, value] = match;
    if (key !== undefined && value !== undefined && !params.has(key.toLowerCase())) params.set(key.toLowerCase(), Number(value));
  }
  return params;
}

/**
 * The items of a structured `RateLimit` / `RateLimit-Policy` field (draft -08 and later:
 * `"name";r=0;t=30, "other";r=5;t=60`), each with its name and parameters; a draft -05/-06 field
 * (`limit=100, remaining=0, reset=30`) is one item without a name.
 */
function rateLimitItems(field: string): { name: string; params: Map<string, number> }[] {
  if (!/^\s*"/.test(field) && !/;\s*[a-z]+\s*=/i.test(field)) return [{ name: '', params: rateLimitParams(field) }];
  return field
    .split(',')
    .map((item) => ({ name: /^\s*"([^"]*)"/.exec(item)?.[1] ?? '', params: rateLimitParams(item.replace(/^\s*"[^"]*"/, '')) }))
    .filter((item) => item.params.size > 0);
}

/**
 * Reads the rate-limit headers servers send: the IETF `RateLimit` field (draft -08 and later:
 * `"policy";r=0;t=30`, several policies in one field as Medplum sends them; drafts -05/-06:
 * `limit=100, remaining=0, reset=30`) with `RateLimit-Policy` (`"policy";q=100;w=60`), the separate
 * `RateLimit-Remaining` / `RateLimit-Reset` / `RateLimit-Limit` fields of earlier drafts, and the
 * common `X-RateLimit-Remaining` / `X-RateLimit-Reset` (delta seconds, or epoch seconds when the
 * value is larger than 10⁹) / `X-RateLimit-Limit`. `remaining` and `resetMs` are the most
 * constrained policy's (fewest units left); `policies` lists each.
 *
 * @param headers - the response headers
 * @param now - the current time in ms since the epoch
 * @returns what they say; an empty object when they say nothing
 * @example
 * parseRateLimit(new Headers({ RateLimit: '"default";r=0;t=30' }), Date.now()); // { remaining: 0, resetMs: 30000, policies: [{ name: 'default', remaining: 0, resetMs: 30000 }] }
 *
 * See: https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/, https://www.medplum.com/docs/rate-limits
 */
export function parseRateLimit(headers: Headers, now: number): RateLimitInfo {
  const number = (name: string): number | undefined => {
    const value = headers.get(name)?.trim();
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  const quotas = new Map<string, Map<string, number>>();
  const policyField = headers.get('ratelimit-policy');
  if (policyField !== null) for (const { name, params } of rateLimitItems(policyField)) quotas.set(name, params);
  const policies: RateLimitPolicy[] = [];
  const field = headers.get('ratelimit');
  if (field !== null) {
    for (const { name, params } of rateLimitItems(field)) {
      const remaining = params.get('r') ?? params.get('remaining');
      if (remaining === undefined) continue;
      const reset = params.get('t') ?? params.get('reset');
      const quota = quotas.get(name) ?? (quotas.size === 1 ? [...quotas.values()][0] : undefined);
      const limit = params.get('limit') ?? quota?.get('q') ?? quota?.get('limit');
      const window = quota?.get('w');
      policies.push({
        name,
        remaining,
        ...(reset === undefined ? {} : { resetMs: reset * 1000 }),
        ...(limit === undefined ? {} : { limit }),
        ...(window === undefined ? {} : { windowMs: window * 1000 }),
      });
    }
  }
  if (policies.length === 0) {
    const remaining = number('ratelimit-remaining') ?? number('x-ratelimit-remaining');
    const delta = number('ratelimit-reset');
    const x = number('x-ratelimit-reset');
    const resetMs = delta !== undefined ? delta * 1000 : x === undefined ? undefined : x > 1e9 ? Math.max(0, x * 1000 - now) : x * 1000;
    // A reset without a remaining count still says when to try again (see serverDelay).
    if (remaining === undefined) return resetMs === undefined ? {} : { resetMs };
    const limit = number('ratelimit-limit') ?? number('x-ratelimit-limit');
    policies.push({ name: '', remaining, ...(resetMs === undefined ? {} : { resetMs }), ...(limit === undefined ? {} : { limit }) });
  }
  const [tightest] = [...policies].sort((a, b) => a.remaining - b.remaining);
  if (tightest === undefined) return {};
  return {
    remaining: tightest.remaining,
    ...(tightest.resetMs === undefined ? {} : { resetMs: tightest.resetMs }),
    policies,
  };
}

/**
 * How long the server asks a client to wait before its next request: `Retry-After` first, then the
 * reset of an exhausted rate limit.
 *
 * @param headers - the response headers
 * @param now - the current time in ms since the epoch
 * @returns the wait in ms, or undefined when the server says nothing
 * @example
 * serverDelay(new Headers({ 'Retry-After': '2' }), Date.now()); // 2000
 */
export function serverDelay(headers: Headers, now: number): number | undefined {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  const limit = parseRateLimit(headers, now);
  if (limit.resetMs !== undefined && (limit.remaining === undefined || limit.remaining === 0)) return limit.resetMs;
  return undefined;
}
