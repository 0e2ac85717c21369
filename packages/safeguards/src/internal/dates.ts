/**
 * FHIR date and dateTime values as instant ranges, so a period ending on `2026-05-01` includes the
 * whole of that day and a request dated `2026-05-01` falls inside a period starting that day.
 * Values without a time zone are read as UTC. Also instants and times of day as written, for the
 * record rules; calendar arithmetic on dates is `@peerkit/model`'s calendar.
 *
 * See: https://hl7.org/fhir/R4/datatypes.html#dateTime
 */
import { daysInMonth } from '@peerkit/model';

/** The first and last millisecond a FHIR date or dateTime stands for. */
export interface InstantRange {
  readonly low: number;
  readonly high: number;
}

const FHIR_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const FHIR_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?$/;

/**
 * `true` for a FHIR `date` (YYYY, YYYY-MM, YYYY-MM-DD) or `dateTime` string, as the consent request,
 * `readConsents` and `decideConsent`'s `now` take them.
 *
 * @param value - the text to check
 * @returns whether it is written as a FHIR date or dateTime
 * @example
 * isFhirDateTime('2026-05-01'); // true
 * isFhirDateTime('2026-05-01T10:00:00-05:00'); // true
 * isFhirDateTime('05/01/2026'); // false
 * See: https://hl7.org/fhir/R4/datatypes.html#dateTime
 */
export function isFhirDateTime(value: string): boolean {
  return FHIR_DATE.test(value) || FHIR_DATE_TIME.test(value);
}

/**
 * The range a FHIR date or dateTime covers, or `undefined` when it is not one.
 *
 * @param value - `2026`, `2026-05`, `2026-05-01` or `2026-05-01T10:00:00-05:00`
 */
export function toRange(value: string | undefined): InstantRange | undefined {
  if (value === undefined) return undefined;
  // Fast path for the common YYYY-MM-DD.
  if (value.length === 10 && value.charCodeAt(4) === 45 && value.charCodeAt(7) === 45) {
    const year = Number(value.slice(0, 4));
    const month = Number(value.slice(5, 7)) - 1;
    const day = Number(value.slice(8, 10));
    if (Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) && month >= 0 && month <= 11 && day >= 1) {
      if (day <= daysInMonth(year, month + 1)) {
        const low = Date.UTC(year, month, day);
        return { low, high: low + 86_399_999 };
      }
    }
    return undefined;
  }
  const date = FHIR_DATE.exec(value);
  if (date) {
    const year = Number(date[1]);
    const month = date[2] === undefined ? undefined : Number(date[2]) - 1;
    const day = date[3] === undefined ? undefined : Number(date[3]);
    if (month !== undefined && (month < 0 || month > 11)) return undefined;
    if (day !== undefined && (day < 1 || day > 31)) return undefined;
    const low = Date.UTC(year, month ?? 0, day ?? 1);
    const high =
      day !== undefined
        ? Date.UTC(year, month ?? 0, day + 1) - 1
        : month !== undefined
          ? Date.UTC(year, month + 1, 1) - 1
          : Date.UTC(year + 1, 0, 1) - 1;
    // Date.UTC rolls 2026-02-31 over into March: reject such dates.
    if (day !== undefined && new Date(low).getUTCDate() !== day) return undefined;
    return { low, high };
  }
  if (!FHIR_DATE_TIME.test(value)) return undefined;
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  if (Number.isNaN(ms)) return undefined;
  // A dateTime without seconds covers its whole minute.
  const minuteOnly = /T\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})?$/.test(value);
  return { low: ms, high: minuteOnly ? ms + 59_999 : ms };
}

/** Where an instant range lies relative to a period. */
export type PeriodPosition = 'before' | 'within' | 'after';

/**
 * Where `at` lies relative to `[start, end]`; either bound may be absent (open).
 *
 * @param at - the moment, as a range (a date covers its whole day)
 * @param start - period start (inclusive)
 * @param end - period end (inclusive: a date end includes that whole day)
 */
export function positionIn(at: InstantRange, start: string | undefined, end: string | undefined): PeriodPosition {
  const s = toRange(start);
  const e = toRange(end);
  if (s && at.low < s.low) return 'before';
  if (e && at.high > e.high) return 'after';
  return 'within';
}

/** How a data period relates to a rule's data period. */
export type PeriodOverlap = 'inside' | 'disjoint' | 'partial';

/**
 * How `[aStart, aEnd]` relates to `[bStart, bEnd]` (absent bounds are open).
 *
 * @returns `inside` when a lies wholly within b, `disjoint` when they do not meet, else `partial`
 */
export function periodOverlap(
  aStart: string | undefined,
  aEnd: string | undefined,
  bStart: string | undefined,
  bEnd: string | undefined,
): PeriodOverlap {
  const aLow = toRange(aStart)?.low ?? Number.NEGATIVE_INFINITY;
  const aHigh = toRange(aEnd)?.high ?? Number.POSITIVE_INFINITY;
  const bLow = toRange(bStart)?.low ?? Number.NEGATIVE_INFINITY;
  const bHigh = toRange(bEnd)?.high ?? Number.POSITIVE_INFINITY;
  if (aHigh < bLow || aLow > bHigh) return 'disjoint';
  if (aLow >= bLow && aHigh <= bHigh) return 'inside';
  return 'partial';
}

/** Milliseconds of a `YYYY-MM-DD` date (UTC midnight) or an ISO date-time. */
export function toMs(value: string): number {
  return value.length === 10 ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
}

/** Minutes after local midnight as written, from an ISO date-time (`…T14:30…` → 870). */
export function localMinutes(value: string): number {
  const m = /T(\d{2}):(\d{2})/.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
}

/** `HH:MM` as minutes after midnight. */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}
