/**
 * The rate budget of a run: how fast it may write, so that it slows down before the server has to
 * say 429. Two sources, the stricter wins: the caller's caps (writes per second, requests per
 * second) and what the server reports about its quota (`RateLimit`, `RateLimit-Policy`,
 * `X-RateLimit-*`): the remaining quota is spread over the time to its reset, and the run pauses
 * until the reset while a reserve is still left, instead of running it down to zero.
 *
 * A small state machine over an explicit clock (`now` in, a wait out), like TanStack Query's
 * retryer: pure, so tests drive it with a fake clock.
 */
import { SYNC_ERROR_CODES, SyncError } from './errors';
import { parseRateLimit } from './retry';

/** Options of the rate budget (`rate` of `push`, `sync` and `runSync`); every field has a default. */
export interface RateBudgetOptions {
  /**
   * Most resources written per second, over every request of the run (a Bundle of 100 entries
   * counts 100). Default: none — no cap of PeerKit's own; the server's headers still pace the run.
   */
  writesPerSecond?: number;
  /**
   * Most write requests (Bundles, or single requests) per second. Default: none; with
   * `writeMode: 'auto'`, the Bundle request rate the server documents (`SERVER_LIMITS`, e.g. AWS
   * HealthLake's 10 per second per data store) for Bundle modes.
   */
  requestsPerSecond?: number;
  /** Writes that may go at once before `writesPerSecond` spaces them out. Default: one second's worth (at least 1). */
  burst?: number;
  /**
   * Share of a quota the server announces that is kept unused: when no more than this is left (and
   * never less than what the requests in flight may use), every request waits for the window to
   * reset — before the server would answer 429. Default 0.1.
   */
  reserve?: number;
}

/** A run's rate budget. */
export interface RateBudget {
  /**
   * Books a request that writes `writes` resources (0 for a search) and says how long it must
   * wait first, in ms (0: it may go now). Waits already booked by other requests count.
   */
  take(writes: number, now: number): number;
  /**
   * Reads the rate-limit headers of a response: how much quota each request uses, how fast the
   * rest may be used until its reset, and whether to pause now.
   *
   * @returns a pause for every request, in ms, when the quota left is down to the reserve; else 0
   */
  observe(headers: Headers, now: number): number;
}

/** What the budget remembers of one server quota. */
interface QuotaState {
  remaining: number;
  resetAt: number;
  /** Requests booked when it was seen. */
  requests: number;
  /** Units one request uses (estimated from successive answers; at least 1). */
  perRequest: number;
}

/** A pacing clock: the theoretical time the next unit is due (GCRA). */
interface Pacer {
  due: number;
  intervalMs: number;
  burst: number;
}

/** When a request of `cost` units may go on this pacer (never before `now`). */
function startOn(pacer: Pacer, cost: number, now: number): number {
  return Math.max(now, pacer.due + (Math.min(cost, pacer.burst) - pacer.burst) * pacer.intervalMs);
}

/** Books `cost` units at `start`: the next request is due that much later. */
function book(pacer: Pacer, cost: number, start: number): void {
  pacer.due = Math.max(pacer.due, start) + cost * pacer.intervalMs;
}

function checkRate(value: number | undefined, name: string, min: number, max = Number.POSITIVE_INFINITY): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= min && value <= max)) {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, `rate option ${name} must be a number from ${min}${Number.isFinite(max) ? ` to ${max}` : ''}`);
  }
}

/**
 * Creates a rate budget.
 *
 * @param options - caps and reserve; see {@link RateBudgetOptions}
 * @param inFlight - most requests in flight at once (the reserve is never less than their use). Default 1.
 * @returns the budget
 * @throws SyncError `sync.invalid-option` for a rate that is not a positive number, a burst below
 *   1 or a reserve outside [0, 1)
 * @example
 * const budget = createRateBudget({ writesPerSecond: 50 });
 * const wait = budget.take(100, Date.now()); // 0 for the first Bundle; the next one waits about 2 s
 *
 * See: https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/ (RateLimit, RateLimit-Policy);
 * the generic cell rate algorithm (ITU-T I.371) for the pacing.
 */
export function createRateBudget(options: RateBudgetOptions = {}, inFlight = 1): RateBudget {
  checkRate(options.writesPerSecond, 'writesPerSecond', Number.MIN_VALUE);
  checkRate(options.requestsPerSecond, 'requestsPerSecond', Number.MIN_VALUE);
  checkRate(options.burst, 'burst', 1);
  checkRate(options.reserve, 'reserve', 0, 0.99);
  const reserve = options.reserve ?? 0.1;
  const writes: Pacer | undefined =
    options.writesPerSecond === undefined
      ? undefined
      : { due: Number.NEGATIVE_INFINITY, intervalMs: 1000 / options.writesPerSecond, burst: options.burst ?? Math.max(1, options.writesPerSecond) };
  const requests: Pacer | undefined =
    options.requestsPerSecond === undefined ? undefined : { due: Number.NEGATIVE_INFINITY, intervalMs: 1000 / options.requestsPerSecond, burst: 1 };
  // Spacing the server's quota asks for (0: none known).
  const server: Pacer = { due: Number.NEGATIVE_INFINITY, intervalMs: 0, burst: 1 };
  const quotas = new Map<string, QuotaState>();
  let booked = 0;

  return {
    take(count, now) {
      const cost = Math.max(0, count);
      let start = now;
      if (writes !== undefined && cost > 0) start = Math.max(start, startOn(writes, cost, now));
      if (requests !== undefined && cost > 0) start = Math.max(start, startOn(requests, 1, now));
      if (server.intervalMs > 0) start = Math.max(start, startOn(server, 1, now));
      if (writes !== undefined && cost > 0) book(writes, cost, start);
      if (requests !== undefined && cost > 0) book(requests, 1, start);
      if (server.intervalMs > 0) book(server, 1, start);
      booked++;
      return start - now;
    },
    observe(headers, now) {
      const policies = (parseRateLimit(headers, now).policies ?? []).filter((p) => p.resetMs !== undefined);
      if (policies.length === 0) return 0;
      let pause = 0;
      let gap = 0;
      for (const policy of policies) {
        const resetMs = policy.resetMs ?? 0;
        const seen = quotas.get(policy.name);
        let perRequest = seen?.perRequest ?? 1;
        // The same window, less left: what the requests since then used.
        if (seen !== undefined && policy.remaining < seen.remaining && now < seen.resetAt) {
          perRequest = Math.max(1, (seen.remaining - policy.remaining) / Math.max(1, booked - seen.requests));
        }
        quotas.set(policy.name, { remaining: policy.remaining, resetAt: now + resetMs, requests: booked, perRequest });
        const kept = Math.max(Math.ceil(reserve * (policy.limit ?? 0)), perRequest * inFlight);
        const usable = policy.remaining - kept;
        if (usable < perRequest) pause = Math.max(pause, resetMs);
        else gap = Math.max(gap, (resetMs * perRequest) / usable);
      }
      server.intervalMs = pause > 0 ? 0 : gap;
      if (pause > 0) server.due = Number.NEGATIVE_INFINITY;
      return pause;
    },
  };
}
