import { describe, expect, it } from 'vitest';
import { dateOf, dateTimeOf } from './fields';

describe('dateTimeOf', () => {
  it.each([
    ['a date-time with Z', '2025-03-04T10:00:00Z', '2025-03-04T10:00:00Z'],
    ['a date-time with an offset and fractions', '2025-03-04T10:00:00.250-05:00', '2025-03-04T10:00:00.250-05:00'],
    ['29 February of a leap year', '2024-02-29T10:00:00Z', '2024-02-29T10:00:00Z'],
    ['29 February of 2000 (leap: divisible by 400)', '2000-02-29T10:00:00Z', '2000-02-29T10:00:00Z'],
    ['31 December', '2025-12-31T23:59:59+14:00', '2025-12-31T23:59:59+14:00'],
    ['29 February of a common year', '2025-02-29T10:00:00Z', undefined],
    ['29 February of 1900 (not leap: divisible by 100)', '1900-02-29T10:00:00Z', undefined],
    ['31 April', '2025-04-31T10:00:00Z', undefined],
    ['month 13', '2025-13-01T10:00:00Z', undefined],
    ['month 00', '2025-00-10T10:00:00Z', undefined],
    ['day 00', '2025-03-00T10:00:00Z', undefined],
    ['no time zone', '2025-03-04T10:00:00', undefined],
    ['a date only', '2025-03-04', undefined],
    ['not a string', 20250304, undefined],
  ])('%s', (_name, value, expected) => {
    expect(dateTimeOf(value)).toBe(expected);
  });
});

describe('dateOf', () => {
  it.each([
    ['a date', '2025-03-04', '2025-03-04'],
    ['the date of a date-time', '2025-03-04T10:00:00Z', '2025-03-04'],
    ['a partial date', '2025-03', undefined],
    ['a date that does not exist', '2025-02-30', undefined],
    ['a date followed by something else than a time', '2025-03-04x', undefined],
  ])('%s', (_name, value, expected) => {
    expect(dateOf(value)).toBe(expected);
  });
});
