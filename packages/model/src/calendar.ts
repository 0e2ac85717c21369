/**
 * Calendar arithmetic on ISO 8601 dates (`YYYY-MM-DD`) as written: no time zones, no clock, no
 * `Date`. A date-time argument is read by its date part, local to its own offset. The calendar is the
 * proleptic Gregorian one, for years 0000 to 9999.
 *
 * One copy for every package: billing windows and caps, age rules, plan reviews, the generator.
 *
 * See: https://www.iso.org/iso-8601-date-and-time-format.html
 */

/** A calendar date's parts: `month` 1 to 12, `day` 1 to 31. */
export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A calendar period a date falls in: see {@link periodKey} and {@link periodBounds}. */
export type CalendarPeriod = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** The first and last day of a period, both included. */
export interface DateRange {
  readonly start: string;
  readonly end: string;
}

/** Options of the business-day functions. */
export interface BusinessDayOptions {
  /**
   * Dates (`YYYY-MM-DD`) that are not business days although they fall on a weekday, e.g. the
   * payer's or the program's holidays. Default: none. Saturdays and Sundays are never business days.
   */
  readonly holidays?: Iterable<string>;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * `true` for a Gregorian leap year.
 *
 * @param year - the year
 * @returns whether February of `year` has 29 days
 * @example
 * isLeapYear(2024); // true
 * isLeapYear(1900); // false
 */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The number of days in a month.
 *
 * @param year - the year
 * @param month - the month, 1 (January) to 12
 * @returns 28 to 31
 * @example
 * daysInMonth(2024, 2); // 29
 */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `true` when `value` is a real calendar date written `YYYY-MM-DD` (`2026-02-30` is not).
 *
 * @param value - anything
 * @returns whether it is a date the other functions here accept
 * @example
 * isIsoDate('2024-02-29'); // true
 * isIsoDate('2026-02-29'); // false
 */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  // The parts read from the digits the pattern checked (no substring or parts object per call).
  const month = digitsAt(value, 5, 7);
  const day = digitsAt(value, 8, 10);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(digitsAt(value, 0, 4), month);
}

/** The number the ASCII digits `value[start..end)` write. */
function digitsAt(value: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + value.charCodeAt(i) - 48;
  return n;
}

/**
 * The year, month and day of a date (or of a date-time's date part), as written. Does not check
 * that the date exists: use {@link isIsoDate} on untrusted input first.
 *
 * @param date - `YYYY-MM-DD` or an ISO date-time
 * @returns its parts
 * @example
 * toDateParts('2026-03-14'); // { year: 2026, month: 3, day: 14 }
 */
export function toDateParts(date: string): DateParts {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/**
 * Writes date parts as `YYYY-MM-DD`.
 *
 * @param parts - year, month (1 to 12) and day
 * @returns the date, zero-padded
 * @example
 * fromDateParts({ year: 2026, month: 3, day: 4 }); // '2026-03-04'
 */
export function fromDateParts(parts: DateParts): string {
  return `${String(parts.year).padStart(4, '0')}-${pad2(parts.month)}-${pad2(parts.day)}`;
}

/**
 * The calendar date part (`YYYY-MM-DD`) of an ISO date or date-time, as written (local to its offset).
 *
 * @param value - `2026-03-14` or `2026-03-14T23:30:00-05:00`
 * @returns `2026-03-14`
 * @example
 * datePart('2026-03-14T23:30:00-05:00'); // '2026-03-14'
 */
export function datePart(value: string): string {
  return value.slice(0, 10);
}

/**
 * Days since 1970-01-01 of a date (Howard Hinnant's `days_from_civil`): integer day arithmetic
 * without `Date`.
 *
 * @param date - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @returns the day number; negative before 1970
 * @example
 * toEpochDay('1970-01-02'); // 1
 * See: https://howardhinnant.github.io/date_algorithms.html#days_from_civil
 */
export function toEpochDay(date: string): number {
  const { year, month, day } = toDateParts(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The date of a day number from {@link toEpochDay} (Howard Hinnant's `civil_from_days`).
 *
 * @param days - days since 1970-01-01
 * @returns `YYYY-MM-DD`
 * @example
 * fromEpochDay(0); // '1970-01-01'
 * See: https://howardhinnant.github.io/date_algorithms.html#civil_from_days
 */
export function fromEpochDay(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return fromDateParts({ year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day });
}

/**
 * The day of the week.
 *
 * @param date - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @returns 0 (Sunday) to 6 (Saturday), as `Date.prototype.getDay`
 * @example
 * dayOfWeek('2026-01-05'); // 1 (Monday)
 */
export function dayOfWeek(date: string): number {
  return (((toEpochDay(date) + 4) % 7) + 7) % 7;
}

/**
 * `date` plus `n` days.
 *
 * @param date - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @param n - days to add; negative goes back
 * @returns `YYYY-MM-DD`
 * @example
 * addDays('2024-02-28', 2); // '2024-03-01'
 */
export function addDays(date: string, n: number): string {
  return fromEpochDay(toEpochDay(date) + n);
}

/**
 * Days from `from` to `to`: positive when `to` is later.
 *
 * @param from - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @param to - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @returns whole calendar days
 * @example
 * daysBetween('2026-01-30', '2026-02-02'); // 3
 */
export function daysBetween(from: string, to: string): number {
  return toEpochDay(to) - toEpochDay(from);
}

/**
 * `date` plus `n` months; the day is clamped to the month's last day (Jan 31 + 1 month = Feb 28 or 29).
 *
 * @param date - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @param n - months to add; negative goes back
 * @returns `YYYY-MM-DD`
 * @example
 * addMonths('2026-01-31', 1); // '2026-02-28'
 */
export function addMonths(date: string, n: number): string {
  const { year: y, month: m, day: d } = toDateParts(date);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return fromDateParts({ year, month, day: Math.min(d, daysInMonth(year, month)) });
}

/**
 * The last day of the month of `date`.
 *
 * @param date - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @returns `YYYY-MM-DD`
 * @example
 * endOfMonth('2024-02-10'); // '2024-02-29'
 */
export function endOfMonth(date: string): string {
  const { year, month } = toDateParts(date);
  return fromDateParts({ year, month, day: daysInMonth(year, month) });
}

/**
 * Whole years from `birthDate` to `date`. Someone born on February 29 turns a year older on
 * March 1 in common years.
 *
 * @param birthDate - `YYYY-MM-DD`
 * @param date - the date of service or of the rule, `YYYY-MM-DD` or an ISO date-time
 * @returns the age on that date
 * @example
 * ageOn('2008-06-15', '2026-06-14'); // 17
 */
export function ageOn(birthDate: string, date: string): number {
  const born = toDateParts(birthDate);
  const on = toDateParts(date);
  return on.year - born.year - (on.month < born.month || (on.month === born.month && on.day < born.day) ? 1 : 0);
}

/**
 * The fiscal year `date` falls in, named by the calendar year in which that fiscal year starts.
 *
 * @param date - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @param startMonth - the fiscal year's first month, 1 to 12 (1 = the calendar year)
 * @returns the year the fiscal year starts in (a July fiscal year from 2025-07-01 is 2025)
 * @example
 * fiscalYearOf('2026-03-14', 7); // 2025
 * fiscalYearOf('2026-07-01', 7); // 2026
 */
export function fiscalYearOf(date: string, startMonth: number): number {
  const { year, month } = toDateParts(date);
  return month >= startMonth ? year : year - 1;
}

/** ISO 8601 week: its week-numbering year and week number (1 to 53). */
function isoWeek(date: string): { year: number; week: number; monday: number } {
  const day = toEpochDay(date);
  const monday = day - ((dayOfWeek(date) + 6) % 7);
  // A week belongs to the year of its Thursday.
  const thursday = monday + 3;
  const year = toDateParts(fromEpochDay(thursday)).year;
  const week = Math.floor((thursday - toEpochDay(fromDateParts({ year, month: 1, day: 1 }))) / 7) + 1;
  return { year, week, monday };
}

/**
 * A key naming the period `date` falls in, sortable as text within one kind of period:
 * day `2026-03-14`, week `2026-W11`, month `2026-03`, quarter `2026-Q1`, year `2026`.
 *
 * Weeks are ISO 8601 weeks: Monday to Sunday, week 1 being the week with the year's first Thursday,
 * keyed by that week-numbering year (2027-01-01, a Friday, is in `2026-W53`).
 *
 * @param date - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @param period - the kind of period
 * @returns the period's key
 * @example
 * periodKey('2026-03-14', 'quarter'); // '2026-Q1'
 * See: https://en.wikipedia.org/wiki/ISO_week_date
 */
export function periodKey(date: string, period: CalendarPeriod): string {
  switch (period) {
    case 'day':
      return date.slice(0, 10);
    case 'month':
      return date.slice(0, 7);
    case 'year':
      return date.slice(0, 4);
    case 'quarter':
      return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
    case 'week': {
      const { year, week } = isoWeek(date);
      return `${String(year).padStart(4, '0')}-W${pad2(week)}`;
    }
  }
}

/**
 * The first and last day of the period `date` falls in. Weeks run Monday to Sunday (ISO 8601,
 * see {@link periodKey}); quarters start in January, April, July and October.
 *
 * @param date - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @param period - the kind of period
 * @returns both bounds as `YYYY-MM-DD`, included
 * @example
 * periodBounds('2026-03-14', 'week'); // { start: '2026-03-09', end: '2026-03-15' }
 */
export function periodBounds(date: string, period: CalendarPeriod): DateRange {
  const { year, month } = toDateParts(date);
  switch (period) {
    case 'day':
      return { start: date.slice(0, 10), end: date.slice(0, 10) };
    case 'week': {
      const { monday } = isoWeek(date);
      return { start: fromEpochDay(monday), end: fromEpochDay(monday + 6) };
    }
    case 'month':
      return { start: fromDateParts({ year, month, day: 1 }), end: endOfMonth(date) };
    case 'quarter': {
      const first = month - ((month - 1) % 3);
      return {
        start: fromDateParts({ year, month: first, day: 1 }),
        end: fromDateParts({ year, month: first + 2, day: daysInMonth(year, first + 2) }),
      };
    }
    case 'year':
      return { start: fromDateParts({ year, month: 1, day: 1 }), end: fromDateParts({ year, month: 12, day: 31 }) };
  }
}

function holidaySet(options: BusinessDayOptions | undefined): ReadonlySet<string> | undefined {
  const holidays = options?.holidays;
  if (holidays === undefined) return undefined;
  return holidays instanceof Set ? (holidays as ReadonlySet<string>) : new Set(holidays);
}

function isBusinessDayIn(date: string, holidays: ReadonlySet<string> | undefined): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !(holidays?.has(date.slice(0, 10)) ?? false);
}

/**
 * `true` for a Monday to Friday that is not one of `options.holidays`.
 *
 * @param date - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @param options - holidays; see {@link BusinessDayOptions}
 * @returns whether `date` is a business day
 * @example
 * isBusinessDay('2026-01-05'); // true (Monday)
 * isBusinessDay('2026-12-25', { holidays: ['2026-12-25'] }); // false
 */
export function isBusinessDay(date: string, options?: BusinessDayOptions): boolean {
  return isBusinessDayIn(date, holidaySet(options));
}

/**
 * The business day `n` business days after `date` (before it when `n` is negative). With `n` 0 it
 * returns `date` unchanged, business day or not.
 *
 * @param date - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @param n - business days to move
 * @param options - holidays; see {@link BusinessDayOptions}
 * @returns `YYYY-MM-DD`
 * @example
 * addBusinessDays('2026-01-09', 1); // '2026-01-12' (Friday to Monday)
 */
export function addBusinessDays(date: string, n: number, options?: BusinessDayOptions): string {
  const holidays = holidaySet(options);
  const step = n < 0 ? -1 : 1;
  let day = toEpochDay(date);
  let current = datePart(date);
  for (let left = Math.abs(n); left > 0; ) {
    day += step;
    current = fromEpochDay(day);
    if (isBusinessDayIn(current, holidays)) left -= 1;
  }
  return current;
}

/**
 * The number of business days from `start` to `end`, both included; 0 when `end` is before `start`.
 *
 * @param start - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @param end - `YYYY-MM-DD` or an ISO date-time (its date part)
 * @param options - holidays; see {@link BusinessDayOptions}
 * @returns the count
 * @example
 * countBusinessDays('2026-01-05', '2026-01-11'); // 5
 */
export function countBusinessDays(start: string, end: string, options?: BusinessDayOptions): number {
  const first = toEpochDay(start);
  const last = toEpochDay(end);
  if (last < first) return 0;
  // Whole weeks hold five each; walk only the remainder and the holidays.
  const span = last - first + 1;
  let count = Math.floor(span / 7) * 5;
  for (let day = first + span - (span % 7); day <= last; day++) {
    const weekday = (((day + 4) % 7) + 7) % 7;
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  const holidays = holidaySet(options);
  if (holidays) {
    for (const holiday of holidays) {
      const day = toEpochDay(holiday);
      if (day >= first && day <= last && isBusinessDayIn(holiday, undefined)) count -= 1;
    }
  }
  return count;
}

/**
 * `true` when `start <= date <= end` by calendar date; an absent bound is open. Date-times compare
 * by their date part, as written.
 *
 * @param date - `YYYY-MM-DD` or an ISO date-time
 * @param start - first date included, or `undefined`
 * @param end - last date included, or `undefined`
 * @returns whether the range covers the date
 * @example
 * covers('2026-03-14', '2026-01-01', undefined); // true
 * covers('2026-03-14', undefined, '2026-03-13T23:59:00-05:00'); // false
 */
export function covers(date: string, start: string | undefined, end: string | undefined): boolean {
  const day = datePart(date);
  return (start === undefined || datePart(start) <= day) && (end === undefined || day <= datePart(end));
}
