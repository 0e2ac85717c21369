/** Calendar arithmetic on `YYYY-MM-DD` strings (UTC-free: dates as written). */

const DAY_MS = 86_400_000;

function parts(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function format(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The calendar date part of an ISO date or date-time, as written (local to its offset). */
export function datePart(value: string): string {
  return value.slice(0, 10);
}

/** `date` plus `n` months; the day is clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return format(year, month, Math.min(d, daysInMonth(year, month)));
}

/** `date` plus `n` days. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = parts(date);
  const t = new Date(Date.UTC(y, m - 1, d) + n * DAY_MS);
  return format(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Last day of the month of `date`. */
export function endOfMonth(date: string): string {
  const [y, m] = parts(date);
  return format(y, m, daysInMonth(y, m));
}

/** Whole years from `birthDate` to `date`. */
export function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = parts(birthDate);
  const [y, m, d] = parts(date);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Year in which the fiscal year containing `date` starts, for a fiscal year starting in `startMonth`. */
export function fiscalYearOf(date: string, startMonth: number): number {
  const [y, m] = parts(date);
  return m >= startMonth ? y : y - 1;
}

/** `true` when `start <= date <= end` (an absent bound is open). Dates or date-times compare by date. */
export function covers(date: string, start: string | undefined, end: string | undefined): boolean {
  return (start === undefined || datePart(start) <= date) && (end === undefined || date <= datePart(end));
}
