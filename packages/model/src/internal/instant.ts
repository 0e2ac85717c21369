/**
 * `instantMs`: `Date.parse` of a string, read without the engine's general date parser when the string
 * is in the standard's Date Time String Format with seconds and an offset
 * (`YYYY-MM-DDTHH:mm:ss[.sss](Z|±HH:mm)`, every part in range), whose value the standard fixes for
 * every engine. Rules compare such instants on every record; the general parser costs several times
 * the arithmetic below. Any other string (other fraction lengths, dates alone, no offset, a day past
 * the month's end, hour 24: forms whose reading the standard leaves to the engine) goes to
 * `Date.parse` itself, so the result is always `Date.parse(value)`.
 *
 * See: ECMA-262, Date Objects, "Date Time String Format" (and `MakeDay`, `MakeTime`); H. Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms" (`days_from_civil`).
 */

const DAY_MS = 86_400_000;

/** The value of `length` ASCII digits at `at`, or -1 when one of them is not a digit (or past the end). */
function digits(value: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) {
    const d = value.charCodeAt(i) - 48;
    // Past the end, `charCodeAt` is NaN: not a digit either.
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Hinnant's `days_from_civil`; any year). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `Date.parse(value)`, for every string (see the file comment for the form read directly).
 *
 * @param value - a date-time string
 * @returns the milliseconds since the epoch, or `NaN`, exactly as `Date.parse` returns them
 * @example
 * instantMs('2025-01-01T10:00:00-05:00'); // 1735743600000
 */
export function instantMs(value: string): number {
  const length = value.length;
  // `YYYY-MM-DDThh:mm:ss` then `Z` or `±hh:mm`, with an optional fraction between.
  if (length < 20 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 84) return Date.parse(value);
  if (value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58) return Date.parse(value);
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return Date.parse(value);
  }
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return Date.parse(value);
  let at = 19;
  let ms = 0;
  if (value.charCodeAt(at) === 46) {
    // Exactly three digits (`.sss`): any other length is read as the engine chooses.
    ms = digits(value, at + 1, 3);
    const after = value.charCodeAt(at + 4);
    if (ms < 0 || (after >= 48 && after <= 57)) return Date.parse(value);
    at += 4;
  }
  let offset = 0;
  const sign = value.charCodeAt(at);
  if (sign === 90) {
    if (at + 1 !== length) return Date.parse(value);
  } else if (sign === 43 || sign === 45) {
    if (at + 6 !== length || value.charCodeAt(at + 3) !== 58) return Date.parse(value);
    const offsetHour = digits(value, at + 1, 2);
    const offsetMinute = digits(value, at + 4, 2);
    if (offsetHour < 0 || offsetHour > 23 || offsetMinute < 0 || offsetMinute > 59) return Date.parse(value);
    offset = (sign === 43 ? 1 : -1) * (offsetHour * 60 + offsetMinute) * 60_000;
  } else {
    return Date.parse(value);
  }
  return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + ms - offset;
}
