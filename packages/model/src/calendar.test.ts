import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addDays,
  addMonths,
  ageOn,
  countBusinessDays,
  covers,
  datePart,
  dayOfWeek,
  daysBetween,
  daysInMonth,
  endOfMonth,
  fiscalYearOf,
  fromDateParts,
  fromEpochDay,
  isBusinessDay,
  isIsoDate,
  isLeapYear,
  periodBounds,
  periodKey,
  toDateParts,
  toEpochDay,
  type CalendarPeriod,
} from './calendar';

/** Any date from 1600 to 2600, as the `Date` object writes it (the reference the arithmetic must match). */
const anyDay = fc.integer({ min: toEpochDay('1600-01-01'), max: toEpochDay('2600-12-31') });
const viaDate = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

describe('isLeapYear', () => {
  it.each([
    ['divisible by 4', 2024, true],
    ['not divisible by 4', 2026, false],
    ['a century', 1900, false],
    ['a fourth century', 2000, true],
  ])('%s: %i', (_why, year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });
});

describe('daysInMonth', () => {
  it.each([
    ['January', 2026, 1, 31],
    ['February, common year', 2026, 2, 28],
    ['February, leap year', 2024, 2, 29],
    ['February, century', 1900, 2, 28],
    ['February, fourth century', 2000, 2, 29],
    ['April', 2026, 4, 30],
    ['June', 2026, 6, 30],
    ['September', 2026, 9, 30],
    ['November', 2026, 11, 30],
    ['December', 2026, 12, 31],
  ])('%s', (_why, year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });
});

describe('isIsoDate', () => {
  it.each([
    ['a date', '2026-03-14', true],
    ['February 29 of a leap year', '2024-02-29', true],
    ['February 29 of a common year', '2026-02-29', false],
    ['February 29 of 2000 (the year read whole: divisible by 400)', '2000-02-29', true],
    ['February 29 of 1900 (divisible by 100, not 400)', '1900-02-29', false],
    ['December 31', '2026-12-31', true],
    ['day 31 of a 30-day month', '2026-04-31', false],
    ['month 13', '2026-13-01', false],
    ['month 0', '2026-00-10', false],
    ['day 0', '2026-01-00', false],
    ['a date-time', '2026-03-14T10:00:00Z', false],
    ['US order', '03/14/2026', false],
    ['one-digit month', '2026-3-14', false],
    ['a number', 20260314, false],
    ['undefined', undefined, false],
  ])('%s', (_why, value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });
});

describe('toDateParts / fromDateParts', () => {
  it.each([
    ['a date', '2026-03-14', { year: 2026, month: 3, day: 14 }],
    ['a date-time (its date part)', '2026-03-14T23:30:00-05:00', { year: 2026, month: 3, day: 14 }],
    ['an early year', '0099-01-02', { year: 99, month: 1, day: 2 }],
  ])('%s', (_why, date, parts) => {
    expect(toDateParts(date)).toEqual(parts);
    expect(fromDateParts(parts)).toBe(date.slice(0, 10));
  });
});

describe('datePart', () => {
  it.each([
    ['a date', '2026-03-14', '2026-03-14'],
    ['a date-time keeps its local date', '2026-03-14T23:30:00-05:00', '2026-03-14'],
    ['a UTC date-time', '2026-03-15T04:30:00Z', '2026-03-15'],
  ])('%s', (_why, value, expected) => {
    expect(datePart(value)).toBe(expected);
  });
});

describe('toEpochDay / fromEpochDay', () => {
  it.each([
    ['the epoch', '1970-01-01', 0],
    ['the day after', '1970-01-02', 1],
    ['the day before', '1969-12-31', -1],
    ['a leap day', '2000-02-29', 11016],
    ['the generator default start', '2026-01-05', 20458],
    ['the first year of the generator', '1900-01-01', -25567],
  ])('%s', (_why, date, day) => {
    expect(toEpochDay(date)).toBe(day);
    expect(fromEpochDay(day)).toBe(date);
  });

  it('matches the Date object on every day from 1600 to 2600', () => {
    fc.assert(
      fc.property(anyDay, (day) => {
        expect(fromEpochDay(day)).toBe(viaDate(day));
        expect(toEpochDay(viaDate(day))).toBe(day);
      }),
    );
  });
});

describe('dayOfWeek', () => {
  it.each([
    ['a Thursday (the epoch)', '1970-01-01', 4],
    ['a Monday', '2026-01-05', 1],
    ['a Sunday', '2026-01-11', 0],
    ['a Saturday', '2026-01-10', 6],
    ['before the epoch', '1900-01-01', 1],
    ['a date-time', '2026-01-05T23:00:00-05:00', 1],
  ])('%s', (_why, date, weekday) => {
    expect(dayOfWeek(date)).toBe(weekday);
  });

  it('matches Date.prototype.getUTCDay', () => {
    fc.assert(
      fc.property(anyDay, (day) => {
        expect(dayOfWeek(fromEpochDay(day))).toBe(new Date(day * 86_400_000).getUTCDay());
      }),
    );
  });
});

describe('addDays / daysBetween', () => {
  it.each([
    ['into a leap day', '2024-02-28', 1, '2024-02-29'],
    ['over a leap day', '2024-02-28', 2, '2024-03-01'],
    ['over a common February end', '2026-02-28', 1, '2026-03-01'],
    ['over a year end', '2025-12-31', 1, '2026-01-01'],
    ['back over a year end', '2026-01-01', -1, '2025-12-31'],
    ['zero', '2026-03-14', 0, '2026-03-14'],
    ['a rolling 365-day window', '2026-03-14', -365, '2025-03-14'],
    ['a date-time', '2026-03-14T23:30:00-05:00', 1, '2026-03-15'],
  ])('%s', (_why, date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
    expect(daysBetween(date, expected)).toBe(n);
  });

  it('matches the Date object', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: -1000, max: 1000 }), (day, n) => {
        expect(addDays(viaDate(day), n)).toBe(viaDate(day + n));
      }),
    );
  });
});

describe('addMonths', () => {
  it.each([
    ['one month', '2026-01-15', 1, '2026-02-15'],
    ['clamped to a common February', '2026-01-31', 1, '2026-02-28'],
    ['clamped to a leap February', '2024-01-31', 1, '2024-02-29'],
    ['clamped to a 30-day month', '2026-03-31', 1, '2026-04-30'],
    ['over a year end', '2025-11-30', 3, '2026-02-28'],
    ['back over a year end', '2026-01-31', -2, '2025-11-30'],
    ['twelve months', '2024-02-29', 12, '2025-02-28'],
    ['back 12 months (a rolling window)', '2026-03-14', -12, '2025-03-14'],
    ['zero', '2026-03-14', 0, '2026-03-14'],
  ])('%s', (_why, date, n, expected) => {
    expect(addMonths(date, n)).toBe(expected);
  });
});

describe('endOfMonth', () => {
  it.each([
    ['a 31-day month', '2026-01-10', '2026-01-31'],
    ['a 30-day month', '2026-04-01', '2026-04-30'],
    ['a common February', '2026-02-01', '2026-02-28'],
    ['a leap February', '2024-02-10', '2024-02-29'],
    ['the last day itself', '2026-12-31', '2026-12-31'],
    ['a date-time', '2026-06-30T23:00:00-05:00', '2026-06-30'],
  ])('%s', (_why, date, expected) => {
    expect(endOfMonth(date)).toBe(expected);
  });
});

describe('ageOn', () => {
  it.each([
    ['the day before the birthday', '2008-06-15', '2026-06-14', 17],
    ['on the birthday', '2008-06-15', '2026-06-15', 18],
    ['the day after the birthday', '2008-06-15', '2026-06-16', 18],
    ['an earlier month', '2008-06-15', '2026-05-30', 17],
    ['a later month', '2008-06-15', '2026-07-01', 18],
    ['born on a leap day, February 28 of a common year', '2008-02-29', '2026-02-28', 17],
    ['born on a leap day, March 1 of a common year', '2008-02-29', '2026-03-01', 18],
    ['born on a leap day, a leap year', '2008-02-29', '2028-02-29', 20],
    ['on the birth date', '2026-03-14', '2026-03-14', 0],
    ['a date-time', '2008-06-15', '2026-06-15T08:00:00-05:00', 18],
  ])('%s', (_why, birth, date, age) => {
    expect(ageOn(birth, date)).toBe(age);
  });
});

describe('fiscalYearOf', () => {
  it.each([
    ['a calendar fiscal year', '2026-03-14', 1, 2026],
    ['a July year, before July', '2026-06-30', 7, 2025],
    ['a July year, on July 1', '2026-07-01', 7, 2026],
    ['an October year, before October', '2026-09-30', 10, 2025],
    ['an October year, in October', '2026-10-01', 10, 2026],
    ['a December year, in December', '2026-12-01', 12, 2026],
  ])('%s', (_why, date, startMonth, year) => {
    expect(fiscalYearOf(date, startMonth)).toBe(year);
  });
});

describe('periodKey / periodBounds', () => {
  const rows: [string, string, CalendarPeriod, string, string, string][] = [
    ['a day', '2026-03-14', 'day', '2026-03-14', '2026-03-14', '2026-03-14'],
    ['a day of a date-time', '2026-03-14T23:30:00-05:00', 'day', '2026-03-14', '2026-03-14', '2026-03-14'],
    ['a Saturday is in the week from Monday', '2026-03-14', 'week', '2026-W11', '2026-03-09', '2026-03-15'],
    ['a Sunday ends its week', '2026-03-15', 'week', '2026-W11', '2026-03-09', '2026-03-15'],
    ['a Monday starts its week', '2026-03-16', 'week', '2026-W12', '2026-03-16', '2026-03-22'],
    ['January 1 in the last week of the year before', '2027-01-01', 'week', '2026-W53', '2026-12-28', '2027-01-03'],
    ['December 29 in week 1 of the next year', '2025-12-29', 'week', '2026-W01', '2025-12-29', '2026-01-04'],
    ['January 1 on a Thursday is in week 1', '2026-01-01', 'week', '2026-W01', '2025-12-29', '2026-01-04'],
    ['a month', '2026-02-10', 'month', '2026-02', '2026-02-01', '2026-02-28'],
    ['a leap February', '2024-02-10', 'month', '2024-02', '2024-02-01', '2024-02-29'],
    ['the first quarter', '2026-03-31', 'quarter', '2026-Q1', '2026-01-01', '2026-03-31'],
    ['the second quarter', '2026-04-01', 'quarter', '2026-Q2', '2026-04-01', '2026-06-30'],
    ['the third quarter', '2026-08-15', 'quarter', '2026-Q3', '2026-07-01', '2026-09-30'],
    ['the fourth quarter', '2026-12-31', 'quarter', '2026-Q4', '2026-10-01', '2026-12-31'],
    ['a year', '2026-07-04', 'year', '2026', '2026-01-01', '2026-12-31'],
  ];
  it.each(rows)('%s', (_why, date, period, key, start, end) => {
    expect(periodKey(date, period)).toBe(key);
    expect(periodBounds(date, period)).toEqual({ start, end });
  });

  it('keys every day of a period the same, and its bounds hold it', () => {
    const periods: CalendarPeriod[] = ['day', 'week', 'month', 'quarter', 'year'];
    fc.assert(
      fc.property(anyDay, fc.constantFrom(...periods), (day, period) => {
        const date = fromEpochDay(day);
        const { start, end } = periodBounds(date, period);
        expect(start <= date && date <= end).toBe(true);
        expect(periodKey(start, period)).toBe(periodKey(date, period));
        expect(periodKey(end, period)).toBe(periodKey(date, period));
        expect(periodKey(addDays(start, -1), period)).not.toBe(periodKey(date, period));
        expect(periodKey(addDays(end, 1), period)).not.toBe(periodKey(date, period));
      }),
    );
  });
});

describe('isBusinessDay', () => {
  it.each([
    ['a Monday', '2026-01-05', undefined, true],
    ['a Friday', '2026-01-09', undefined, true],
    ['a Saturday', '2026-01-10', undefined, false],
    ['a Sunday', '2026-01-11', undefined, false],
    ['a holiday on a weekday', '2026-12-25', ['2026-12-25'], false],
    ['a weekday that is not a listed holiday', '2026-12-24', ['2026-12-25'], true],
    ['a date-time on a holiday', '2026-12-25T10:00:00-05:00', ['2026-12-25'], false],
  ])('%s', (_why, date, holidays, expected) => {
    expect(isBusinessDay(date, holidays ? { holidays } : undefined)).toBe(expected);
  });
});

describe('addBusinessDays', () => {
  it.each([
    ['Friday plus one is Monday', '2026-01-09', 1, undefined, '2026-01-12'],
    ['Monday plus five is the next Monday', '2026-01-05', 5, undefined, '2026-01-12'],
    ['Monday minus one is Friday', '2026-01-12', -1, undefined, '2026-01-09'],
    ['Saturday plus one is Monday', '2026-01-10', 1, undefined, '2026-01-12'],
    ['zero keeps a weekend day', '2026-01-10', 0, undefined, '2026-01-10'],
    ['a holiday is skipped', '2026-12-24', 1, ['2026-12-25'], '2026-12-28'],
    ['a holiday is skipped going back', '2026-12-28', -1, ['2026-12-25'], '2026-12-24'],
  ])('%s', (_why, date, n, holidays, expected) => {
    expect(addBusinessDays(date, n, holidays ? { holidays } : undefined)).toBe(expected);
  });
});

describe('countBusinessDays', () => {
  it.each([
    ['a Monday-to-Sunday week', '2026-01-05', '2026-01-11', undefined, 5],
    ['one business day', '2026-01-05', '2026-01-05', undefined, 1],
    ['one weekend day', '2026-01-10', '2026-01-10', undefined, 0],
    ['Friday to Monday', '2026-01-09', '2026-01-12', undefined, 2],
    ['end before start', '2026-01-12', '2026-01-05', undefined, 0],
    ['a month', '2026-03-01', '2026-03-31', undefined, 22],
    ['a weekday holiday in the range', '2026-12-21', '2026-12-31', ['2026-12-25'], 8],
    ['a weekend holiday does not count twice', '2026-12-21', '2026-12-31', ['2026-12-26'], 9],
    ['a holiday outside the range', '2026-12-21', '2026-12-24', ['2026-12-25'], 4],
    ['a holiday listed twice', '2026-12-21', '2026-12-31', ['2026-12-25', '2026-12-25'], 8],
  ])('%s', (_why, start, end, holidays, expected) => {
    expect(countBusinessDays(start, end, holidays ? { holidays } : undefined)).toBe(expected);
  });

  it('counts what isBusinessDay says, day by day', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 0, max: 60 }), fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 5 }), (day, length, offsets) => {
        const start = fromEpochDay(day);
        const end = fromEpochDay(day + length);
        const holidays = offsets.map((o) => fromEpochDay(day + o));
        let expected = 0;
        for (let d = day; d <= day + length; d++) if (isBusinessDay(fromEpochDay(d), { holidays })) expected += 1;
        expect(countBusinessDays(start, end, { holidays })).toBe(expected);
        if (expected > 0) {
          const before = addDays(start, -1);
          const last = addBusinessDays(before, expected, { holidays });
          expect(last <= end).toBe(true);
          expect(countBusinessDays(start, last, { holidays })).toBe(expected);
        }
      }),
    );
  });
});

describe('covers', () => {
  it.each([
    ['inside both bounds', '2026-03-14', '2026-01-01', '2026-12-31', true],
    ['on the start', '2026-01-01', '2026-01-01', '2026-12-31', true],
    ['on the end', '2026-12-31', '2026-01-01', '2026-12-31', true],
    ['before the start', '2025-12-31', '2026-01-01', '2026-12-31', false],
    ['after the end', '2027-01-01', '2026-01-01', '2026-12-31', false],
    ['no start', '1900-01-01', undefined, '2026-12-31', true],
    ['no end', '2999-01-01', '2026-01-01', undefined, true],
    ['no bounds', '2026-03-14', undefined, undefined, true],
    ['a date-time end covers its whole date', '2026-03-14', undefined, '2026-03-14T00:00:00-05:00', true],
    ['a date-time start covers its whole date', '2026-03-14', '2026-03-14T23:59:00-05:00', undefined, true],
    ['a date-time end the day before', '2026-03-14', undefined, '2026-03-13T23:59:00-05:00', false],
    ['a date-time date compares by its date', '2026-03-14T23:00:00-05:00', undefined, '2026-03-14', true],
  ])('%s', (_why, date, start, end, expected) => {
    expect(covers(date, start, end)).toBe(expected);
  });
});
