import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SyncError } from './errors';
import { backoffDelay, createRetryPolicy, DEFAULT_RETRY, parseRateLimit, parseRetryAfter, serverDelay, type RateLimitInfo } from './retry';

const NOW = Date.parse('2015-10-21T07:27:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 5 ', 5_000],
    ['Wed, 21 Oct 2015 07:28:00 GMT', 60_000],
    ['Wednesday, 21-Oct-15 07:28:00 GMT', 60_000],
    ['Wed Oct 21 07:28:00 2015', 60_000],
    ['Wed, 21 Oct 2015 07:26:00 GMT', 0],
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it.each([null, undefined, '', '-5', '1.5', 'soon', '2015-13-45'])('returns undefined for %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  it('never throws and never returns a negative delay, whatever the header', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const ms = parseRetryAfter(value, NOW);
        return ms === undefined || (Number.isFinite(ms) && ms >= 0);
      }),
    );
  });
});

describe('parseRateLimit', () => {
  it.each<[Record<string, string>, RateLimitInfo]>([
    [{ RateLimit: '"default";r=0;t=30' }, { remaining: 0, resetMs: 30_000, policies: [{ name: 'default', remaining: 0, resetMs: 30_000 }] }],
    [{ RateLimit: 'limit=100, remaining=7, reset=12' }, { remaining: 7, resetMs: 12_000, policies: [{ name: '', remaining: 7, resetMs: 12_000, limit: 100 }] }],
    [{ 'RateLimit-Remaining': '0', 'RateLimit-Reset': '9' }, { remaining: 0, resetMs: 9_000, policies: [{ name: '', remaining: 0, resetMs: 9_000 }] }],
    [{ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '4' }, { remaining: 0, resetMs: 4_000, policies: [{ name: '', remaining: 0, resetMs: 4_000 }] }],
    [
      { 'X-RateLimit-Limit': '600', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW / 1000 + 90) },
      { remaining: 0, resetMs: 90_000, policies: [{ name: '', remaining: 0, resetMs: 90_000, limit: 600 }] },
    ],
    [
      // Medplum: two policies in one field (requests per IP, FHIR interaction points per user).
      { RateLimit: '"requests";r=59999;t=60, "fhirInteractions";r=49894;t=45' },
      {
        remaining: 49894,
        resetMs: 45_000,
        policies: [
          { name: 'requests', remaining: 59999, resetMs: 60_000 },
          { name: 'fhirInteractions', remaining: 49894, resetMs: 45_000 },
        ],
      },
    ],
    [
      { RateLimit: '"day";r=5;t=3600', 'RateLimit-Policy': '"day";q=100;w=86400' },
      { remaining: 5, resetMs: 3_600_000, policies: [{ name: 'day', remaining: 5, resetMs: 3_600_000, limit: 100, windowMs: 86_400_000 }] },
    ],
    [{ 'Content-Type': 'application/fhir+json' }, {}],
  ])('reads %j', (headers, expected) => {
    expect(parseRateLimit(new Headers(headers), NOW)).toEqual(expected);
  });

  it('never throws, whatever the fields say', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (ratelimit, policy, remaining) => {
        const info = parseRateLimit(new Headers({ ratelimit: ratelimit.replace(/[\r\n\0]/g, ''), 'ratelimit-policy': policy.replace(/[\r\n\0]/g, ''), 'x-ratelimit-remaining': remaining.replace(/[\r\n\0]/g, '') }), NOW);
        return info.remaining === undefined || info.remaining >= 0;
      }),
    );
  });
});

describe('serverDelay', () => {
  it.each<[Record<string, string>, number | undefined]>([
    [{ 'Retry-After': '2', RateLimit: '"d";r=0;t=60' }, 2_000],
    [{ RateLimit: '"d";r=0;t=60' }, 60_000],
    [{ RateLimit: '"d";r=5;t=60' }, undefined],
    [{ 'RateLimit-Reset': '3' }, 3_000],
    [{}, undefined],
  ])('prefers Retry-After, then an exhausted limit: %j', (headers, expected) => {
    expect(serverDelay(new Headers(headers), NOW)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  it('stays within [0, min(maxDelayMs, baseDelayMs × 2^(retry−1))) for any retry and random draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, r) => {
        const delay = backoffDelay(retry, DEFAULT_RETRY, () => r);
        const cap = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (retry - 1));
        return Number.isInteger(delay) && delay >= 0 && (delay < cap || cap === 0);
      }),
    );
  });

  it.each([
    [1, 250],
    [2, 500],
    [3, 1000],
    [20, 15_000],
  ])('retry %i with a random draw of 0.5 waits %i ms', (retry, ms) => {
    expect(backoffDelay(retry, DEFAULT_RETRY, () => 0.5)).toBe(ms);
  });
});

describe('createRetryPolicy', () => {
  it('fills in the defaults and keeps given values', () => {
    expect(createRetryPolicy({ maxAttempts: 3 })).toEqual({ ...DEFAULT_RETRY, maxAttempts: 3 });
  });

  it.each([{ maxAttempts: 0 }, { maxAttempts: 1.5 }, { timeoutMs: 0 }, { baseDelayMs: -1 }, { maxDelayMs: Number.NaN }])(
    'refuses %j with a SyncError naming the option',
    (options) => {
      expect(() => createRetryPolicy(options)).toThrow(SyncError);
      expect(() => createRetryPolicy(options)).toThrow(Object.keys(options)[0] as string);
    },
  );
});
