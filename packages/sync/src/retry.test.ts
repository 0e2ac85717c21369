import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SyncError } from './errors';
import { backoffDelay, createRetryPolicy, DEFAULT_RETRY, parseRateLimit, parseRetryAfter, serverDelay } from './retry';

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
  it.each<[Record<string, string>, { remaining?: number; resetMs?: number }]>([
    [{ RateLimit: '"default";r=0;t=30' }, { remaining: 0, resetMs: 30_000 }],
    [{ RateLimit: 'limit=100, remaining=7, reset=12' }, { remaining: 7, resetMs: 12_000 }],
    [{ 'RateLimit-Remaining': '0', 'RateLimit-Reset': '9' }, { remaining: 0, resetMs: 9_000 }],
    [{ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '4' }, { remaining: 0, resetMs: 4_000 }],
    [{ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW / 1000 + 90) }, { remaining: 0, resetMs: 90_000 }],
    [{ 'Content-Type': 'application/fhir+json' }, {}],
  ])('reads %j', (headers, expected) => {
    expect(parseRateLimit(new Headers(headers), NOW)).toEqual(expected);
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
