import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit';

/** A write that records each call and finishes when told to. */
function gatedWrite(): { calls: number[][]; release: () => void; write: (items: number[]) => Promise<void>; failNext: () => void } {
  const calls: number[][] = [];
  let gates: (() => void)[] = [];
  let fail = false;
  return {
    calls,
    release: () => {
      const open = gates;
      gates = [];
      for (const g of open) g();
    },
    failNext: () => (fail = true),
    write: (items) => {
      calls.push(items);
      const failing = fail;
      fail = false;
      return new Promise((resolve, reject) => gates.push(() => (failing ? reject(new Error('disk full')) : resolve())));
    },
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('groupCommit', () => {
  it('writes the first call alone, then everything asked for meanwhile in one write', async () => {
    const gated = gatedWrite();
    const commit = groupCommit(gated.write);
    const done: number[] = [];
    const first = commit([1]).then(() => done.push(1));
    const second = commit([2]).then(() => done.push(2));
    const third = commit([3, 4]).then(() => done.push(3));
    await tick();
    expect(gated.calls).toEqual([[1]]);
    expect(done).toEqual([]);
    gated.release();
    await first;
    await tick();
    expect(gated.calls).toEqual([[1], [2, 3, 4]]);
    // Not acknowledged before their own write finished.
    expect(done).toEqual([1]);
    gated.release();
    await Promise.all([second, third]);
    expect(done).toEqual([1, 2, 3]);
  });

  it('rejects every caller of a failed group, and the next call writes again', async () => {
    const gated = gatedWrite();
    const commit = groupCommit(gated.write);
    const first = commit([1]);
    await tick();
    gated.failNext();
    const second = commit([2]);
    const third = commit([3]);
    gated.release();
    await first;
    await tick();
    gated.release();
    await expect(second).rejects.toThrow('disk full');
    await expect(third).rejects.toThrow('disk full');
    const fourth = commit([4]);
    await tick();
    gated.release();
    await fourth;
    expect(gated.calls).toEqual([[1], [2, 3], [4]]);
  });

  it('starts a new write for a call made after the queue ran empty', async () => {
    const gated = gatedWrite();
    const commit = groupCommit(gated.write);
    const first = commit([1]);
    await tick();
    gated.release();
    await first;
    const second = commit([2]);
    await tick();
    expect(gated.calls).toEqual([[1], [2]]);
    gated.release();
    await second;
  });
});
