import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from '../retry';
import { pollStep, type PollState, type PollStep } from './poll';

const settings = { pollIntervalMs: 1_000, maxPollIntervalMs: 4_000, maxWaitMs: 60_000 };
const policy = { ...DEFAULT_RETRY, maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 };
const half = (): number => 0.5;

/** The steps of a sequence of answers (undefined: no answer), from a fresh state at time 0. */
function steps(answers: ({ status: number; headers?: Record<string, string> } | undefined)[], now = (i: number): number => i * 1_000): PollStep[] {
  const state: PollState = { startedAt: 0, intervalMs: settings.pollIntervalMs, failures: 0 };
  return answers.map((a, i) => pollStep(a === undefined ? undefined : { status: a.status, headers: new Headers(a.headers) }, state, settings, policy, now(i), half));
}

describe('pollStep', () => {
  it.each<[string, ({ status: number; headers?: Record<string, string> } | undefined)[], PollStep[]]>([
    ['ready at once', [{ status: 200 }], [{ next: 'manifest' }]],
    [
      '202 with Retry-After and X-Progress: waits as asked',
      [{ status: 202, headers: { 'retry-after': '7', 'x-progress': '40%' } }],
      [{ next: 'wait', delayMs: 7_000, progress: '40%', failed: false }],
    ],
    [
      '202 without Retry-After: the interval doubles up to its cap',
      [{ status: 202 }, { status: 202 }, { status: 202 }, { status: 202 }],
      [1_000, 2_000, 4_000, 4_000].map((delayMs) => ({ next: 'wait', delayMs, failed: false }) as PollStep),
    ],
    [
      'failures back off with jitter, and a 202 clears them',
      [undefined, { status: 503 }, { status: 202, headers: { 'retry-after': '1' } }, { status: 500 }],
      [
        { next: 'wait', delayMs: 50, failed: true },
        { next: 'wait', delayMs: 100, failed: true },
        { next: 'wait', delayMs: 1_000, failed: false },
        { next: 'wait', delayMs: 50, failed: true },
      ],
    ],
    [
      'too many failures in a row: gives up',
      [{ status: 500 }, { status: 500 }, { status: 500 }],
      [{ next: 'wait', delayMs: 50, failed: true }, { next: 'wait', delayMs: 100, failed: true }, { next: 'fail', reason: 'the export status kept failing after every retry' }],
    ],
    ['429 with Retry-After waits as asked', [{ status: 429, headers: { 'retry-after': '2' } }], [{ next: 'wait', delayMs: 2_000, failed: true }]],
    ['the job is gone (404, 410)', [{ status: 404 }, { status: 410 }], [{ next: 'gone' }, { next: 'gone' }]],
    ['the export failed (a 4xx)', [{ status: 400 }], [{ next: 'fail', reason: 'the export failed on the server (HTTP 400)' }]],
  ])('%s', (_, answers, expected) => {
    expect(steps(answers)).toEqual(expected);
  });

  it('gives up once a wait would go past maxWaitMs', () => {
    expect(steps([{ status: 202, headers: { 'retry-after': '30' } }, { status: 202, headers: { 'retry-after': '30' } }], (i) => i * 40_000)).toEqual([
      { next: 'wait', delayMs: 30_000, failed: false },
      { next: 'fail', reason: 'the export did not complete within maxWaitMs' },
    ]);
  });
});
