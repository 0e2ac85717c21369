/**
 * The first step of a run: how it writes. With `writeMode: 'auto'` it reads the server's
 * CapabilityStatement, chooses the mode and keeps Bundles within the limits the server documents;
 * otherwise it takes the caller's mode and sizes as they are.
 */
import { createRateBudget } from '../rate-budget';
import { serverLimitsFor } from '../server-limits';
import { chooseWriteMode, readServerCapabilities, type ServerCapabilities, type WritePlan } from '../write-mode';
import type { PushContext } from './context';
import type { PushOptions } from './options';

/**
 * Makes the run's plan, sets it on the context and reports it (`planned`).
 *
 * @param ctx - the run (its sizes are the caller's or the defaults)
 * @param options - the caller's options: `writeMode` and which sizes were given
 * @returns the plan
 */
export async function planWrites(ctx: PushContext, options: PushOptions): Promise<WritePlan> {
  const requested = options.writeMode ?? 'transaction';
  let capabilities: ServerCapabilities | undefined;
  if (requested === 'auto') {
    capabilities = await readServerCapabilities(ctx.transport, ctx.signal === undefined ? {} : { signal: ctx.signal });
    ctx.summary.requests++;
  }
  const { mode, reason } = chooseWriteMode(capabilities, requested);
  const limits = serverLimitsFor(capabilities);
  ctx.mode = mode;
  ctx.batchSize = Math.min(ctx.batchSize, limits?.maxEntries?.value ?? Number.POSITIVE_INFINITY);
  ctx.maxBundleBytes = Math.min(ctx.maxBundleBytes, limits?.maxBytes?.value ?? Number.POSITIVE_INFINITY);
  if (options.concurrency === undefined && mode === 'single') ctx.concurrency = 16;
  // A documented Bundle request rate applies to Bundles; the caller's own cap wins.
  const requestsPerSecond = options.rate?.requestsPerSecond ?? (mode === 'single' ? undefined : limits?.bundleRequestsPerSecond?.value);
  const { writesPerSecond } = options.rate ?? {};
  ctx.budget = options.budget ?? createRateBudget({ ...options.rate, ...(requestsPerSecond === undefined ? {} : { requestsPerSecond }) }, ctx.concurrency);
  const plan: WritePlan = {
    mode,
    reason,
    batchSize: mode === 'single' ? 1 : ctx.batchSize,
    maxBundleBytes: ctx.maxBundleBytes,
    concurrency: ctx.concurrency,
    ...(limits === undefined ? {} : { server: limits.id }),
    ...(writesPerSecond === undefined ? {} : { writesPerSecond }),
    ...(requestsPerSecond === undefined ? {} : { requestsPerSecond }),
  };
  ctx.summary.plan = plan;
  ctx.emit({ type: 'planned', ...plan });
  return plan;
}
