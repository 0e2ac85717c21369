import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateUnits,
  isUnitStrategy,
  monthlyUnits,
  UNIT_STRATEGIES,
  UNIT_STRATEGY_NAMES,
  unitsForDay,
  unitsForMinutes,
  type UnitStrategy,
} from './units';

/** Expands a reference table row `[from, to, units]` into one case per minute. */
function everyMinute(rows: readonly (readonly [number, number, number])[]): [number, number][] {
  return rows.flatMap(([from, to, units]) => Array.from({ length: to - from + 1 }, (_, i) => [from + i, units] as [number, number]));
}

// billing.md §1.2 B, Blue Cross of Idaho PAP228 table [S12b], verbatim.
const MIDPOINT_TABLE = [
  [0, 7, 0],
  [8, 22, 1],
  [23, 37, 2],
  [38, 52, 3],
  [53, 67, 4],
  [68, 82, 5],
  [83, 97, 6],
  [98, 112, 7],
  [113, 127, 8],
] as const;

// billing.md §1.2 C, Michigan rounding table for codes defined as "15 minutes" [S8].
const FULL_UNIT_TABLE = [
  [1, 14, 0],
  [15, 29, 1],
  [30, 44, 2],
  [45, 59, 3],
  [60, 74, 4],
  [120, 134, 8],
] as const;

// billing.md §1.2 C, codes defined as "up to 15 minutes" (ANY_PORTION) [S8].
const ANY_PORTION_TABLE = [
  [1, 15, 1],
  [16, 30, 2],
  [106, 120, 8],
] as const;

// billing.md §1.2 A, the CMS 8-minute rule for one service [S12]: under 8 = 0, 8–22 = 1, 23–37 = 2.
const CMS_SINGLE_TABLE = [
  [0, 7, 0],
  [8, 22, 1],
  [23, 37, 2],
] as const;

describe('unitsForMinutes', () => {
  it.each(everyMinute(MIDPOINT_TABLE))('MIDPOINT: %i minutes = %i units (PAP228 table)', (minutes, units) => {
    expect(unitsForMinutes(minutes, 'MIDPOINT')).toBe(units);
  });

  it('MIDPOINT follows the formula past two hours', () => {
    for (let m = 0; m <= 600; m++) expect(unitsForMinutes(m, 'MIDPOINT')).toBe(m < 8 ? 0 : Math.floor((m - 8) / 15) + 1);
  });

  it.each(everyMinute(FULL_UNIT_TABLE))('FULL_UNIT: %i minutes = %i units (Michigan table)', (minutes, units) => {
    expect(unitsForMinutes(minutes, 'FULL_UNIT')).toBe(units);
  });

  it.each(everyMinute(ANY_PORTION_TABLE))('ANY_PORTION: %i minutes = %i units (Michigan table)', (minutes, units) => {
    expect(unitsForMinutes(minutes, 'ANY_PORTION')).toBe(units);
  });

  it.each(everyMinute(CMS_SINGLE_TABLE))('CMS_TIMED_TOTAL, one service: %i minutes = %i units', (minutes, units) => {
    expect(unitsForMinutes(minutes, 'CMS_TIMED_TOTAL')).toBe(units);
  });

  it.each([
    [0, 'ANY_PORTION', 0],
    [37, 'MIDPOINT', 2],
    [37, 'FULL_UNIT', 2],
    [37, 'ANY_PORTION', 3],
    [37.9, 'FULL_UNIT', 2],
    [14.99, 'FULL_UNIT', 0],
  ] as const)('%f minutes under %s = %i units (part of a minute does not count)', (minutes, strategy, units) => {
    expect(unitsForMinutes(minutes, strategy)).toBe(units);
  });

  it.each([
    [29, 'MIDPOINT', 30, 1],
    [15, 'MIDPOINT', 30, 0],
    [16, 'MIDPOINT', 30, 1],
    [45, 'MIDPOINT', 30, 1],
    [46, 'MIDPOINT', 30, 2],
    [59, 'FULL_UNIT', 60, 0],
    [61, 'ANY_PORTION', 60, 2],
  ] as const)('%i minutes under %s with %i-minute units = %i', (minutes, strategy, unitMinutes, units) => {
    expect(unitsForMinutes(minutes, strategy, { unitMinutes })).toBe(units);
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('rejects %f minutes with a RangeError', (minutes) => {
    expect(() => unitsForMinutes(minutes, 'MIDPOINT')).toThrow(RangeError);
  });

  it.each([[0], [1.5], [-15]])('rejects unitMinutes %f with a RangeError', (unitMinutes) => {
    expect(() => unitsForMinutes(30, 'MIDPOINT', { unitMinutes })).toThrow(RangeError);
  });

  it('units never decrease as minutes grow, under every strategy and unit length (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...UNIT_STRATEGY_NAMES),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 120 }),
        (strategy, minutes, more, unitMinutes) => {
          expect(unitsForMinutes(minutes + more, strategy, { unitMinutes })).toBeGreaterThanOrEqual(
            unitsForMinutes(minutes, strategy, { unitMinutes }),
          );
        },
      ),
    );
  });
});

describe('allocateUnits', () => {
  it.each([
    // Two services of 7 minutes or less adding up to 8 or more: 1 unit, to the longer one [S12].
    [[5, 7], [0, 1]],
    [[7, 5], [1, 0]],
    [[4, 3], [0, 0]],
    [[4, 4], [1, 0]],
    // Total timed minutes set the units: 33 + 7 = 40 minutes = 3 units.
    [[33, 7], [2, 1]],
    [[20, 20], [2, 1]],
    [[20, 22], [1, 2]],
    [[8], [1]],
    [[], []],
  ] as const)('CMS_TIMED_TOTAL %j gives %j', (minutes, units) => {
    expect(allocateUnits(minutes, 'CMS_TIMED_TOTAL')).toEqual(units);
  });

  it.each([
    [[10, 10], 'FULL_UNIT', [1, 0]],
    [[10, 10], 'ANY_PORTION', [1, 1]],
    [[14, 14, 14], 'FULL_UNIT', [1, 1, 0]],
    [[1, 1, 1], 'ANY_PORTION', [1, 0, 0]],
  ] as const)('%j summed under %s gives %j', (minutes, strategy, units) => {
    expect(allocateUnits(minutes, strategy)).toEqual(units);
  });

  it('the units add up to those of the total minutes, and no service gets fewer than its whole units (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...UNIT_STRATEGY_NAMES),
        fc.array(fc.integer({ min: 0, max: 240 }), { maxLength: 8 }),
        (strategy: UnitStrategy, minutes) => {
          const units = allocateUnits(minutes, strategy);
          const total = minutes.reduce((s, m) => s + m, 0);
          expect(units.reduce((s, n) => s + n, 0)).toBe(unitsForMinutes(total, strategy));
          units.forEach((n, i) => expect(n).toBeGreaterThanOrEqual(Math.floor((minutes[i] ?? 0) / 15)));
        },
      ),
    );
  });
});

describe('unitsForDay', () => {
  it.each([
    ['CMS_TIMED_TOTAL adds up the day by itself', [5, 7], 'CMS_TIMED_TOTAL', {}, [0, 1]],
    ['MIDPOINT converts each service on its own', [5, 7], 'MIDPOINT', {}, [0, 0]],
    ['MIDPOINT adds up the day when the payer sums same-day minutes', [5, 7], 'MIDPOINT', { sumSameDay: true }, [0, 1]],
    ['ANY_PORTION converts each service on its own', [10, 10], 'ANY_PORTION', {}, [1, 1]],
    ['FULL_UNIT summed: only whole units of the total', [10, 10], 'FULL_UNIT', { sumSameDay: true }, [1, 0]],
    ['sumSameDay false does not stop CMS_TIMED_TOTAL adding up', [4, 4], 'CMS_TIMED_TOTAL', { sumSameDay: false }, [1, 0]],
    ['unit length applies either way', [30, 30], 'FULL_UNIT', { unitMinutes: 60 }, [0, 0]],
    ['unit length applies when summed', [30, 30], 'FULL_UNIT', { unitMinutes: 60, sumSameDay: true }, [1, 0]],
    ['no services, no units', [], 'MIDPOINT', {}, []],
  ] as const)('%s', (_name, minutes, strategy, options, units) => {
    expect(unitsForDay(minutes, strategy, options)).toEqual(units);
  });
});

describe('monthlyUnits', () => {
  const PIN = { baseMinutes: 60, baseMinimumMinutes: 60, addOnMinutes: 30, addOnMinimumMinutes: 30 };

  it.each([
    [0, 0, 0],
    [59, 0, 0],
    [60, 1, 0],
    [89, 1, 0],
    [90, 1, 1],
    [119, 1, 1],
    [120, 1, 2],
    [150, 1, 3],
  ])('G0140/G0146: %i minutes in the month = %i base + %i add-on units', (minutes, base, addOn) => {
    expect(monthlyUnits(minutes, PIN)).toEqual({ base, addOn });
  });

  it('honours a lower minimum when a payer sets one', () => {
    expect(monthlyUnits(31, { ...PIN, baseMinimumMinutes: 31 })).toEqual({ base: 1, addOn: 0 });
    expect(monthlyUnits(76, { ...PIN, addOnMinimumMinutes: 16 })).toEqual({ base: 1, addOn: 1 });
  });

  it('has no add-on when the rule has none', () => {
    expect(monthlyUnits(600, { baseMinutes: 60, baseMinimumMinutes: 60 })).toEqual({ base: 1, addOn: 0 });
  });
});

describe('UNIT_STRATEGIES', () => {
  it('names a source for every strategy', () => {
    for (const name of UNIT_STRATEGY_NAMES) expect(UNIT_STRATEGIES[name].source).toMatch(/S\d+/);
  });

  it.each([
    ['MIDPOINT', true],
    ['midpoint', false],
    ['toString', false],
    [42, false],
  ])('isUnitStrategy(%j) is %j', (value, expected) => {
    expect(isUnitStrategy(value)).toBe(expected);
  });
});
