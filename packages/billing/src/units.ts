/**
 * Minutes to billing units. HCPCS gives H0038 only "per 15 minutes"; how minutes round to units is a
 * payer setting, so every strategy the billing reference names is here and a payer pack picks one.
 *
 * See: reference/billing.md §1.2 (sources S8, S12, S12b)
 */

/** One way of turning minutes into units. */
export interface UnitStrategyInfo {
  /** One line: what the rule does. */
  readonly summary: string;
  /** `true` when the rule itself adds up the minutes of a member's same-day services before converting. */
  readonly sumsSameDay: boolean;
  /** Where the rule comes from. */
  readonly source: string;
}

/**
 * The minutes-to-units strategies, keyed by name.
 *
 * - `CMS_TIMED_TOTAL`: the CMS "8-minute rule": the total timed minutes of the day set the units
 *   (8–22 = 1, 23–37 = 2, …); nothing under 8 minutes; units go to the services with the most minutes.
 * - `MIDPOINT`: per service, a unit is attained when its midpoint is passed (0–7 = 0, 8–22 = 1, …).
 * - `FULL_UNIT`: only whole units count (1–14 = 0, 15–29 = 1, …).
 * - `ANY_PORTION`: any part of a unit counts ("up to 15 minutes": 1–15 = 1, 16–30 = 2, …).
 *
 * See: reference/billing.md §1.2 A–C
 */
export const UNIT_STRATEGIES = {
  CMS_TIMED_TOTAL: {
    summary: 'Total timed minutes of the day set the units (8-minute rule); units go to the longest services',
    sumsSameDay: true,
    source: 'Medicare Claims Processing Manual (Pub. 100-04) ch. 5 §20.2 [billing.md S12]',
  },
  MIDPOINT: {
    summary: 'Per service, a unit is attained when its midpoint is passed (8-22 min = 1 unit for 15-minute units)',
    sumsSameDay: false,
    source: 'Blue Cross of Idaho policy PAP228, "per CPT and CMS requirements" [billing.md S12b]',
  },
  FULL_UNIT: {
    summary: 'Only whole units count (15-29 min = 1 unit); under one unit is not reported',
    sumsSameDay: false,
    source: 'Michigan PIHP/CMHSP encounter reporting rounding table, codes defined as "15 minutes" [billing.md S8]',
  },
  ANY_PORTION: {
    summary: 'Any part of a unit counts (1-15 min = 1 unit), for codes defined as "up to 15 minutes"',
    sumsSameDay: false,
    source: 'Michigan PIHP/CMHSP encounter reporting rounding table, codes defined as "up to 15 minutes" [billing.md S8]',
  },
} as const satisfies Record<string, UnitStrategyInfo>;

/** Name of a minutes-to-units strategy; see {@link UNIT_STRATEGIES}. */
export type UnitStrategy = keyof typeof UNIT_STRATEGIES;

/** The strategy names, in the order of {@link UNIT_STRATEGIES}. */
export const UNIT_STRATEGY_NAMES = Object.keys(UNIT_STRATEGIES) as readonly UnitStrategy[];

/** `true` when `value` names a strategy of {@link UNIT_STRATEGIES}. */
export function isUnitStrategy(value: unknown): value is UnitStrategy {
  return typeof value === 'string' && Object.hasOwn(UNIT_STRATEGIES, value);
}

/** Options of {@link unitsForMinutes} and {@link allocateUnits}. */
export interface UnitOptions {
  /** Minutes in one unit. Default 15 (H0038 "per 15 minutes", billing.md §1.1). */
  unitMinutes?: number;
}

function checkUnitMinutes(unitMinutes: number): number {
  if (!Number.isInteger(unitMinutes) || unitMinutes < 1) {
    throw new RangeError('unitMinutes must be a whole number of at least 1');
  }
  return unitMinutes;
}

function wholeMinutes(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError('minutes must be a finite number of at least 0');
  // Part of a minute is not a minute of service.
  return Math.floor(minutes);
}

function unitsOf(minutes: number, strategy: UnitStrategy, u: number): number {
  switch (strategy) {
    case 'CMS_TIMED_TOTAL':
    case 'MIDPOINT':
      // A unit is attained once its midpoint is passed: for u = 15, floor((m + 7) / 15).
      return Math.floor((2 * minutes + u - 1) / (2 * u));
    case 'FULL_UNIT':
      return Math.floor(minutes / u);
    case 'ANY_PORTION':
      return Math.ceil(minutes / u);
  }
}

/**
 * Units for one service (or, under `CMS_TIMED_TOTAL`, for a day's total timed minutes).
 *
 * @param minutes - minutes of service, at least 0; a part of a minute does not count
 * @param strategy - one of {@link UNIT_STRATEGIES}
 * @param options - see {@link UnitOptions}
 * @returns whole units, never negative; 0 means "do not report"
 * @throws RangeError when `minutes` or `unitMinutes` is out of range
 * @example
 * unitsForMinutes(37, 'MIDPOINT'); // 2
 * unitsForMinutes(37, 'FULL_UNIT'); // 2
 * unitsForMinutes(37, 'ANY_PORTION'); // 3
 * See: reference/billing.md §1.2
 */
export function unitsForMinutes(minutes: number, strategy: UnitStrategy, options: UnitOptions = {}): number {
  return unitsOf(wholeMinutes(minutes), strategy, checkUnitMinutes(options.unitMinutes ?? 15));
}

/**
 * Units for several services of one member on one day when their minutes are added up before
 * converting (always under `CMS_TIMED_TOTAL`; under another strategy when the payer sums same-day
 * sessions). The total sets the units; each service first gets its whole units, then the remaining
 * units go to the services with the most minutes left over (ties: the longer service, then the
 * earlier one). So two services of 7 minutes or less that add up to 8 or more give one unit, to the
 * longer service, as CMS describes.
 *
 * @param minutes - minutes of each service, in the day's order
 * @param strategy - one of {@link UNIT_STRATEGIES}
 * @param options - see {@link UnitOptions}
 * @returns units per service, same order; their sum is `unitsForMinutes(sum of minutes)`
 * @example
 * allocateUnits([5, 7], 'CMS_TIMED_TOTAL'); // [0, 1]
 * allocateUnits([33, 7], 'CMS_TIMED_TOTAL'); // [2, 1]: 40 minutes = 3 units
 * See: reference/billing.md §1.2 A (S12)
 */
export function allocateUnits(minutes: readonly number[], strategy: UnitStrategy, options: UnitOptions = {}): number[] {
  const u = checkUnitMinutes(options.unitMinutes ?? 15);
  const whole = minutes.map(wholeMinutes);
  const total = unitsOf(
    whole.reduce((sum, m) => sum + m, 0),
    strategy,
    u,
  );
  const units = whole.map((m) => Math.floor(m / u));
  let remaining = total - units.reduce((sum, n) => sum + n, 0);
  if (remaining <= 0) return units;
  const order = whole
    .map((m, index) => ({ index, rest: m % u, m }))
    .sort((a, b) => b.rest - a.rest || b.m - a.m || a.index - b.index);
  // The remainder is never more than the number of services; loop anyway rather than assume.
  for (let i = 0; remaining > 0; i = (i + 1) % order.length, remaining--) {
    const at = order[i]?.index ?? 0;
    units[at] = (units[at] ?? 0) + 1;
  }
  return units;
}

/** Options of {@link unitsForDay}. */
export interface DayUnitOptions extends UnitOptions {
  /**
   * Add up the day's minutes before converting even when the strategy itself does not (a payer
   * that sums same-day sessions). Default false: only `CMS_TIMED_TOTAL` adds them up.
   */
  sumSameDay?: boolean;
}

/**
 * Units for one member's services of one code on one day: their minutes added up and the units
 * allocated ({@link allocateUnits}) when the strategy or the payer sums same-day minutes, else each
 * service on its own ({@link unitsForMinutes}).
 *
 * @param minutes - minutes of each service, in the day's order
 * @param strategy - one of {@link UNIT_STRATEGIES}
 * @param options - see {@link DayUnitOptions}
 * @returns units per service, same order
 * @throws RangeError when a minutes value or `unitMinutes` is out of range
 * @example
 * unitsForDay([5, 7], 'CMS_TIMED_TOTAL'); // [0, 1]: 12 minutes together make one unit
 * unitsForDay([5, 7], 'MIDPOINT'); // [0, 0]
 * unitsForDay([5, 7], 'MIDPOINT', { sumSameDay: true }); // [0, 1]
 * See: reference/billing.md §1.2
 */
export function unitsForDay(minutes: readonly number[], strategy: UnitStrategy, options: DayUnitOptions = {}): number[] {
  const unitOptions = options.unitMinutes === undefined ? {} : { unitMinutes: options.unitMinutes };
  if (options.sumSameDay === true || UNIT_STRATEGIES[strategy].sumsSameDay) return allocateUnits(minutes, strategy, unitOptions);
  return minutes.map((m) => unitsForMinutes(m, strategy, unitOptions));
}

/** Settings of {@link monthlyUnits}: a base code for the first block of a month and an add-on for each further block. */
export interface MonthlyUnitRule {
  /** Minutes the base code stands for (G0140: 60). */
  baseMinutes: number;
  /** Fewest minutes in the month to bill the base code (suggested default: `baseMinutes`). */
  baseMinimumMinutes: number;
  /** Minutes one add-on unit stands for (G0146: 30); omit when there is no add-on code. */
  addOnMinutes?: number;
  /** Fewest minutes past the base block to bill one add-on unit (suggested default: `addOnMinutes`). */
  addOnMinimumMinutes?: number;
}

/**
 * Units of a monthly time-based code pair, e.g. Medicare PIN peer support: G0140 for the first
 * 60 minutes of a calendar month and G0146 for each further 30.
 *
 * @param totalMinutes - the member's minutes in the calendar month
 * @param rule - see {@link MonthlyUnitRule}
 * @returns `base` (0 or 1) and `addOn` units; no add-on without the base
 * @example
 * monthlyUnits(125, { baseMinutes: 60, baseMinimumMinutes: 60, addOnMinutes: 30, addOnMinimumMinutes: 30 });
 * // { base: 1, addOn: 2 }
 * See: reference/billing.md §2 and §2.1 (S15; minimum minutes UNVERIFIED)
 */
export function monthlyUnits(totalMinutes: number, rule: MonthlyUnitRule): { base: number; addOn: number } {
  const m = wholeMinutes(totalMinutes);
  if (m < rule.baseMinimumMinutes) return { base: 0, addOn: 0 };
  const step = rule.addOnMinutes;
  if (step === undefined) return { base: 1, addOn: 0 };
  checkUnitMinutes(step);
  const past = m - rule.baseMinutes;
  const minimum = rule.addOnMinimumMinutes ?? step;
  if (past < minimum) return { base: 1, addOn: 0 };
  return { base: 1, addOn: Math.floor((past - minimum) / step) + 1 };
}
