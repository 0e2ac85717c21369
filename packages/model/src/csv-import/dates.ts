/**
 * Dates and times as a clinic's CSV export writes them (`03/14/2026`, `2:30 PM`), read with a small
 * token format, and local date-times turned into ISO 8601 with the clinic's offset: a fixed one
 * (`-05:00`) or an IANA time zone (`America/New_York`), whose offset is looked up for each local
 * date-time so daylight saving time is right. Pure: the offsets come from the runtime's `Intl`
 * time zone data, never from the clock.
 */
import { daysInMonth, fromDateParts, type DateParts } from '../calendar';

/** A local calendar date. */
export type LocalDate = DateParts;

/** A local wall-clock time. */
export interface LocalTime {
  hour: number;
  minute: number;
  second: number;
}

/** The tokens a format may use, longest first so `MM` wins over `M`. */
const TOKENS = ['YYYY', 'MM', 'M', 'DD', 'D', 'HH', 'H', 'hh', 'h', 'mm', 'ss', 'A', 'a'] as const;
type Token = (typeof TOKENS)[number];

const PATTERN: Record<Token, string> = {
  YYYY: '(\\d{4})',
  MM: '(\\d{2})',
  M: '(\\d{1,2})',
  DD: '(\\d{2})',
  D: '(\\d{1,2})',
  HH: '(\\d{2})',
  H: '(\\d{1,2})',
  hh: '(\\d{2})',
  h: '(\\d{1,2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
  A: '([AaPp][Mm])',
  a: '([AaPp][Mm])',
};

/** What a token sets. */
const PART: Record<Token, Part> = {
  YYYY: 'year',
  MM: 'month',
  M: 'month',
  DD: 'day',
  D: 'day',
  HH: 'hour24',
  H: 'hour24',
  hh: 'hour12',
  h: 'hour12',
  mm: 'minute',
  ss: 'second',
  A: 'meridiem',
  a: 'meridiem',
};

type Part = CsvCompiledFormat['parts'][number];

/**
 * A date, time or date-time format of a CSV mapping (`MM/DD/YYYY`, `h:mm A`), compiled by
 * `parseCsvMapping`: the format as written, an anchored regular expression and the part each
 * group sets.
 */
export interface CsvCompiledFormat {
  readonly source: string;
  readonly regex: RegExp;
  /** What each group of `regex` sets. */
  readonly parts: readonly ('year' | 'month' | 'day' | 'hour24' | 'hour12' | 'minute' | 'second' | 'meridiem')[];
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles a format such as `MM/DD/YYYY`, `h:mm A` or `YYYY-MM-DD HH:mm`. Tokens: `YYYY`, `MM`/`M`
 * (month, 2 digits / 1–2 digits), `DD`/`D`, `HH`/`H` (24-hour), `hh`/`h` (12-hour, needs `A`),
 * `mm`, `ss`, `A`/`a` (AM/PM, any case). Anything else is matched literally.
 *
 * @param format - the format
 * @param needs - which parts the format must have: a date, a time, or both
 * @returns the compiled format, or a message naming the rule it breaks
 */
export function compileFormat(format: string, needs: { date: boolean; time: boolean }): CsvCompiledFormat | string {
  let regex = '';
  const parts: Part[] = [];
  let literal = '';
  for (let i = 0; i < format.length; ) {
    const token = TOKENS.find((t) => format.startsWith(t, i));
    if (token === undefined) {
      literal += format[i];
      i += 1;
      continue;
    }
    regex += escapeRegex(literal);
    literal = '';
    regex += PATTERN[token];
    parts.push(PART[token]);
    i += token.length;
  }
  regex += escapeRegex(literal);
  const count = (p: Part): number => parts.filter((x) => x === p).length;
  for (const p of ['year', 'month', 'day', 'hour24', 'hour12', 'minute', 'second', 'meridiem'] as const) {
    if (count(p) > 1) return `uses the ${p === 'hour24' || p === 'hour12' ? 'hour' : p} twice`;
  }
  const hasDate = count('year') + count('month') + count('day') > 0;
  const hasTime = count('hour24') + count('hour12') + count('minute') + count('second') + count('meridiem') > 0;
  if (needs.date && (count('year') === 0 || count('month') === 0 || count('day') === 0)) return 'needs YYYY, M or MM, and D or DD';
  if (!needs.date && hasDate) return 'is a time format: it cannot hold a date';
  if (needs.time && (count('hour24') + count('hour12') === 0 || count('minute') === 0)) return 'needs an hour (H, HH, h or hh) and mm';
  if (!needs.time && hasTime) return 'is a date format: it cannot hold a time';
  if (count('hour24') > 0 && count('hour12') > 0) return 'uses both a 24-hour and a 12-hour hour';
  if (count('hour12') > 0 && count('meridiem') === 0) return 'uses a 12-hour hour (h or hh) without A';
  if (count('hour24') > 0 && count('meridiem') > 0) return 'uses A with a 24-hour hour (use h or hh)';
  return { source: format, regex: new RegExp(`^${regex}$`), parts };
}

/** Reads a cell with a compiled format; `undefined` when it does not match or names no real date/time. */
export function readWithFormat(text: string, format: CsvCompiledFormat): { date?: LocalDate; time?: LocalTime } | undefined {
  const match = format.regex.exec(text.trim());
  if (match === null) return undefined;
  const values: Partial<Record<Part, string>> = {};
  format.parts.forEach((part, i) => {
    const group = match[i + 1];
    if (group !== undefined) values[part] = group;
  });
  const out: { date?: LocalDate; time?: LocalTime } = {};
  if (values.year !== undefined && values.month !== undefined && values.day !== undefined) {
    const year = Number(values.year);
    const month = Number(values.month);
    const day = Number(values.day);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
    out.date = { year, month, day };
  }
  const hourText = values.hour24 ?? values.hour12;
  if (hourText !== undefined && values.minute !== undefined) {
    let hour = Number(hourText);
    const minute = Number(values.minute);
    const second = values.second === undefined ? 0 : Number(values.second);
    if (minute > 59 || second > 59) return undefined;
    if (values.hour12 !== undefined) {
      if (hour < 1 || hour > 12) return undefined;
      const pm = values.meridiem?.toLowerCase() === 'pm';
      hour = (hour % 12) + (pm ? 12 : 0);
    } else if (hour > 23) {
      return undefined;
    }
    out.time = { hour, minute, second };
  }
  return out;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The clinic's clock: a fixed offset (`-05:00`, `Z`) or an IANA time zone (`America/New_York`). */
export type ClinicTimeZone = { readonly offset: string } | { readonly timeZone: string };

/** `+HH:MM`, `-HH:MM` or `Z` (whole hours and minutes up to 14:00 either way). */
export const OFFSET_PATTERN = /^(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)$/;

/** True when `timeZone` is an IANA time zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The offset of an IANA zone at an instant, in minutes east of UTC. */
function zoneOffsetAt(timeZone: string, epochMs: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(epochMs))
    .find((p) => p.type === 'timeZoneName')?.value;
  // "GMT-05:00", or "GMT" for UTC itself.
  const m = /^GMT([+-]\d{2}):?(\d{2})?$/.exec(name ?? '');
  if (m === null) return 0;
  const hours = Number(m[1]);
  const minutes = Number(m[2] ?? '0');
  return hours * 60 + Math.sign(hours || 1) * minutes;
}

/**
 * A local date and time as ISO 8601 with the clinic's offset. With an IANA zone the offset is the
 * one in force at that local time; a local time that occurs twice (the hour repeated when clocks go
 * back) takes the earlier, and one that does not occur (skipped when clocks go forward) is read as
 * the offset before the change.
 *
 * @param date - the local date
 * @param time - the local time
 * @param zone - the clinic's offset or time zone
 * @returns e.g. `2026-03-14T14:30:00-04:00`
 */
export function toIsoDateTime(date: LocalDate, time: LocalTime, zone: ClinicTimeZone): string {
  const local = `${fromDateParts(date)}T${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}`;
  if ('offset' in zone) return `${local}${zone.offset === 'Z' ? 'Z' : formatOffset(offsetMinutes(zone.offset))}`;
  const asUtc = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute, time.second);
  // Try the offsets in force a day either side: the right one maps the instant back to this wall time.
  const candidates = [...new Set([zoneOffsetAt(zone.timeZone, asUtc - 86_400_000), zoneOffsetAt(zone.timeZone, asUtc + 86_400_000)])].sort((a, b) => b - a);
  const fits = candidates.filter((o) => zoneOffsetAt(zone.timeZone, asUtc - o * 60_000) === o);
  const offset = fits[0] ?? candidates[candidates.length - 1] ?? 0;
  return `${local}${formatOffset(offset)}`;
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Reads an ISO 8601 date-time (`2026-03-14T14:30:00-05:00`, or without offset when the clinic's zone
 * is known) and returns it with an offset.
 *
 * @returns the date-time, `'no-offset'` when it has none and no zone is given, or `undefined` when it is not one
 */
export function readIsoDateTime(text: string, zone: ClinicTimeZone | undefined): string | 'no-offset' | undefined {
  const m = ISO_DATE_TIME.exec(text.trim());
  if (m === null) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const time = { hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? '0') };
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > daysInMonth(date.year, date.month)) return undefined;
  if (time.hour > 23 || time.minute > 59 || time.second > 59) return undefined;
  const offset = m[7];
  if (offset !== undefined) {
    if (!OFFSET_PATTERN.test(offset)) return undefined;
    return toIsoDateTime(date, time, { offset });
  }
  if (zone === undefined) return 'no-offset';
  return toIsoDateTime(date, time, zone);
}
