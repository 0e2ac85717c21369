import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateBudget, type RateBudgetOptions } from './rate-budget';

/** The waits of requests booked at the given times, each writing `writes` resources. */
function waits(options: RateBudgetOptions, requests: readonly [at: number, writes: number][]): number[] {
  const budget = createRateBudget(options);
  return requests.map(([at, writes]) => budget.take(writes, at));
}

describe('createRateBudget', () => {
  it.each<[string, RateBudgetOptions, [number, number][], number[]]>([
    ['no caps: nothing waits', {}, [[0, 100], [0, 100], [0, 100]], [0, 0, 0]],
    ['10 writes/s, burst 10: two Bundles of 5 go at once, the third waits 500 ms', { writesPerSecond: 10 }, [[0, 5], [0, 5], [0, 5]], [0, 0, 500]],
    ['a Bundle larger than the burst goes, and the next waits for its writes', { writesPerSecond: 10 }, [[0, 100], [0, 100]], [0, 10_000]],
    ['time passing refills the budget', { writesPerSecond: 10 }, [[0, 10], [1_000, 10], [1_500, 10]], [0, 0, 500]],
    ['a burst of 1 spaces every write', { writesPerSecond: 4, burst: 1 }, [[0, 1], [0, 1], [0, 1]], [0, 250, 500]],
    ['2 requests/s, whatever their size', { requestsPerSecond: 2 }, [[0, 100], [0, 1], [0, 50]], [0, 500, 1_000]],
    ['searches (0 writes) are not counted by the caps', { writesPerSecond: 1, requestsPerSecond: 1 }, [[0, 1], [0, 0], [0, 0]], [0, 0, 0]],
    ['the stricter cap wins', { writesPerSecond: 100, requestsPerSecond: 1 }, [[0, 10], [0, 10]], [0, 1_000]],
  ])('%s', (_, options, requests, expected) => {
    expect(waits(options, requests)).toEqual(expected);
  });

  it.each<[string, RateBudgetOptions]>([
    ['a rate of 0', { writesPerSecond: 0 }],
    ['a negative request rate', { requestsPerSecond: -1 }],
    ['a burst below 1', { burst: 0.5 }],
    ['a reserve of 1 (nothing usable)', { reserve: 1 }],
    ['a rate that is not a number', { writesPerSecond: Number.NaN }],
  ])('refuses %s with sync.invalid-option', (_, options) => {
    expect(() => createRateBudget(options)).toThrow(expect.objectContaining({ code: 'sync.invalid-option' }));
  });

  it('never lets more than burst + rate × elapsed writes through, for any arrival pattern', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 30 })), { minLength: 1, maxLength: 40 }),
        (rate, arrivals) => {
          const budget = createRateBudget({ writesPerSecond: rate });
          let now = 0;
          const starts: [number, number][] = [];
          for (const [gap, writes] of arrivals) {
            now += gap;
            starts.push([now + budget.take(writes, now), writes]);
          }
          // Writes started by any time t, beyond the first request, never exceed burst + rate × t.
          const sorted = [...starts].sort((a, b) => a[0] - b[0]);
          let total = 0;
          for (const [at, writes] of sorted) {
            total += writes;
            const first = sorted[0]?.[0] ?? 0;
            const allowed = Math.max(rate, 1) + (rate * (at - first)) / 1000 + 30;
            if (total > allowed + 1e-6) return false;
          }
          return true;
        },
      ),
    );
  });
});

describe('RateBudget.observe', () => {
  const headers = (remaining: number, reset: number, limit?: number): Headers =>
    new Headers({ ratelimit: `"default";r=${remaining};t=${reset}`, ...(limit === undefined ? {} : { 'ratelimit-policy': `"default";q=${limit};w=${reset}` }) });

  it('says nothing without rate-limit headers', () => {
    expect(createRateBudget().observe(new Headers({ 'content-type': 'application/fhir+json' }), 0)).toBe(0);
  });

  it('pauses until the reset once what is left is down to the reserve (10% of the quota), before zero', () => {
    const budget = createRateBudget({}, 1);
    expect(budget.observe(headers(50, 30, 100), 0)).toBe(0);
    expect(budget.observe(headers(10, 20, 100), 10_000)).toBe(20_000);
  });

  it('keeps as many units as the requests in flight may use, even with no announced quota', () => {
    const budget = createRateBudget({}, 4);
    // Four in flight may use four units: with four left, the next request waits for the reset.
    expect(budget.observe(headers(4, 7), 0)).toBe(7_000);
    expect(createRateBudget({}, 4).observe(headers(5, 7), 0)).toBe(0);
  });

  it('spreads what is left over the time to the reset', () => {
    const budget = createRateBudget({ reserve: 0 }, 1);
    expect(budget.observe(headers(11, 10), 0)).toBe(0);
    // 10 usable units, 10 s: one request every second.
    expect([budget.take(1, 0), budget.take(1, 0), budget.take(1, 0)]).toEqual([0, 1_000, 2_000]);
  });

  it('learns how many units a request uses (points, not requests) from successive answers', () => {
    const budget = createRateBudget({ reserve: 0 }, 1);
    budget.take(100, 0);
    expect(budget.observe(headers(1_000, 60), 0)).toBe(0);
    budget.take(100, 100);
    // 100 points per Bundle: 900 left is 9 Bundles, the reserve one Bundle's worth: 8 usable.
    expect(budget.observe(headers(900, 59), 1_000)).toBe(0);
    budget.take(100, 1_000);
    expect(budget.observe(headers(150, 58), 2_000)).toBe(58_000);
  });

  it('reads the most constrained of several policies (Medplum sends requests and FHIR interaction points)', () => {
    const budget = createRateBudget({}, 1);
    expect(budget.observe(new Headers({ ratelimit: '"requests";r=5000;t=60, "fhirInteractions";r=0;t=30' }), 0)).toBe(30_000);
  });

  it('reads X-RateLimit-* with an epoch reset', () => {
    const budget = createRateBudget({}, 1);
    expect(budget.observe(new Headers({ 'x-ratelimit-limit': '600', 'x-ratelimit-remaining': '30', 'x-ratelimit-reset': String(1_700_000_090) }), 1_700_000_000_000)).toBe(90_000);
  });
});
