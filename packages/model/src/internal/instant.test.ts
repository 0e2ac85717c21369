import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantMs } from './instant';

const two = (n: number): string => String(n).padStart(2, '0');

describe('instantMs', () => {
  it.each([
    ['an offset west of UTC', '2025-01-01T10:00:00-05:00'],
    ['UTC', '2025-01-01T10:00:00Z'],
    ['milliseconds', '2025-01-01T00:00:00.123Z'],
    ['milliseconds and an offset', '2025-01-01T00:00:00.007+05:30'],
    ['a fraction of one digit', '2025-01-01T00:00:00.1Z'],
    ['a fraction cut off at the end', '2025-01-01T00:00:00.1'],
    ['a fraction past milliseconds (ignored)', '2025-01-01T00:00:00.123456Z'],
    ['a fraction of 9s (not rounded up)', '2025-12-31T23:59:59.9999+00:00'],
    ['29 February in a leap year', '2024-02-29T12:00:00+01:00'],
    ['29 February in a century that is no leap year', '1900-02-29T12:00:00Z'],
    ['29 February of a 400th year', '2000-02-29T12:00:00Z'],
    ['30 February (rolled over by Date.parse)', '2025-02-30T00:00:00Z'],
    ['31 April', '2025-04-31T00:00:00Z'],
    ['a year below 100 (not moved to the 1900s)', '0050-01-01T00:00:00Z'],
    ['year 0 with an offset back into year -1', '0000-01-01T00:30:00+01:00'],
    ['the last instant of year 9999', '9999-12-31T23:59:59.999-23:59'],
    ['hour 24', '2025-01-01T24:00:00Z'],
    ['an offset of 24 hours', '2025-01-01T00:00:00+24:00'],
    ['an offset of -00:00', '2025-01-01T00:00:00-00:00'],
    ['a dot without a fraction', '2025-01-01T00:00:00.Z'],
    ['no offset (local time)', '2025-01-01T00:00:00'],
    ['a date alone', '2025-01-01'],
    ['minutes without seconds', '2025-01-01T10:00Z'],
    ['a compact offset', '2025-01-01T10:00:00+0500'],
    ['trailing text', '2025-01-01T10:00:00Zx'],
    ['a lowercase t', '2025-01-01t10:00:00Z'],
    ['second 60', '2025-06-30T23:59:60Z'],
    ['month 13', '2025-13-01T00:00:00Z'],
    ['day 0', '2025-01-00T00:00:00Z'],
    ['a sign in the year', '+2025-01-01T00:00:00Z'],
    ['an empty string', ''],
  ])('is Date.parse for %s', (_name, value) => {
    expect(Object.is(instantMs(value), Date.parse(value))).toBe(true);
  });

  it('is Date.parse for every date-time built from parts in and out of range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 61 }),
        fc.option(fc.oneof(fc.stringMatching(/^[0-9]{3}$/), fc.stringMatching(/^[0-9]{0,8}$/))),
        fc.constantFrom('Z', '+', '-', ''),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 60 }),
        (year, month, day, hour, minute, second, fraction, zone, offsetHour, offsetMinute) => {
          const offset = zone === '+' || zone === '-' ? `${zone}${two(offsetHour)}:${two(offsetMinute)}` : zone;
          const value = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}${fraction === null ? '' : `.${fraction}`}${offset}`;
          expect(Object.is(instantMs(value), Date.parse(value))).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('is Date.parse for any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.+Z-]{8,20}$/)), (value) => {
        expect(Object.is(instantMs(value), Date.parse(value))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});
