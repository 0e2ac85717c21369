import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSuppressed, Suppressor, type Cell } from './suppression';

const S = { suppressed: true } as const;
const show = (cells: readonly Cell[]): (number | string)[] => cells.map((c) => (isSuppressed(c) ? 'S' : c));

describe('Suppressor', () => {
  it.each([
    ['nothing small: all shown', [20, 30, 0], [20, 30, 0], 50],
    ['zero is shown', [0, 0, 25], [0, 0, 25], 25],
    ['one small cell: it and the next smallest are hidden', [3, 40, 20], ['S', 40, 'S'], 63],
    ['two small cells adding to 11 or more: only they are hidden', [5, 6, 40], ['S', 'S', 40], 51],
    ['two small cells adding to less than 11: a third is hidden', [2, 3, 40, 50], ['S', 'S', 'S', 50], 95],
    ['one small cell and only zeros: the total goes too', [4, 0, 0], ['S', 0, 0], 'S'],
    ['a small total: everything small is hidden', [1, 2], ['S', 'S'], 'S'],
    ['exactly 11 is shown', [11, 12], [11, 12], 23],
  ] as const)('%s', (_, values, cells, total) => {
    const table = new Suppressor(11).table(values);
    expect(show(table.cells)).toEqual(cells);
    expect(isSuppressed(table.total) ? 'S' : table.total).toBe(total);
  });

  it('suppresses a single count from 1 to k-1, not 0 or k', () => {
    const s = new Suppressor(11);
    expect([0, 1, 10, 11].map((v) => s.count(v))).toEqual([0, S, S, 11]);
    expect(s.suppressedCells).toBe(2);
  });

  it('hides a derived value when a count it comes from is hidden', () => {
    const s = new Suppressor(11);
    expect(s.derived(120, 12)).toBe(120);
    expect(s.derived(120, S, 12)).toEqual(S);
  });

  it('never shows a count from 1 to k-1, nor leaves one to be worked out from the total (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 2, max: 20 }), (values, k) => {
        const table = new Suppressor(k).table(values);
        const shown = table.cells.filter((c): c is number => !isSuppressed(c));
        if (shown.some((v) => v >= 1 && v < k)) return false;
        if (isSuppressed(table.total)) return true;
        const hiddenMass = values.reduce((sum, v, i) => sum + (isSuppressed(table.cells[i]) ? v : 0), 0);
        return hiddenMass === 0 || hiddenMass >= k;
      }),
    );
  });
});
