import { isIsoDate } from '@peerkit/model';
import { UsageError } from './cli-error';

/**
 * Checks a date option's value: a calendar date `YYYY-MM-DD`, or a `UsageError` naming the option.
 *
 * @param option - the option as the user writes it, e.g. `--as-of`
 * @param raw - the value given, or undefined when the option is not given
 * @returns the date, or undefined when not given
 * @example
 * parseDateOption('--as-of', '2025-04-01'); // '2025-04-01'
 */
export function parseDateOption(option: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!isIsoDate(raw)) throw new UsageError(`${option} must be a date YYYY-MM-DD`);
  return raw;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Today's date on this machine's clock and time zone, `YYYY-MM-DD`. */
export function today(now = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** This minute on this machine's clock and time zone, `YYYY-MM-DDTHH:MM`. */
export function thisMinute(now = new Date()): string {
  return `${today(now)}T${pad(now.getHours())}:${pad(now.getMinutes())}`;
}
