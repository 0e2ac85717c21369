/**
 * The generator's clock: days since 1970-01-01 (see `../calendar`) and minutes since then, local
 * time at a fixed UTC-05:00 offset, with the day and time strings cached.
 */
import { dayOfWeek, fromEpochDay } from '../calendar';

/** Minutes in a day. */
export const DAY = 1440;
const OFFSET = '-05:00';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Formats days and minutes, caching the strings of the days around the window. */
export class Clock {
  readonly endDay: number;
  readonly endMinute: number;
  private readonly cacheFrom: number;
  private readonly cache: (string | undefined)[];
  private readonly times: string[];

  constructor(
    readonly startDay: number,
    days: number,
  ) {
    this.endDay = startDay + days - 1;
    this.endMinute = (this.endDay + 1) * DAY - 1;
    this.cacheFrom = startDay - 1200;
    this.cache = new Array<string | undefined>(days + 2400);
    this.times = new Array<string>(DAY);
    for (let m = 0; m < DAY; m++) this.times[m] = `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`;
  }

  date(day: number): string {
    const i = day - this.cacheFrom;
    if (i < 0 || i >= this.cache.length) return fromEpochDay(day);
    return (this.cache[i] ??= fromEpochDay(day));
  }

  dateTime(minute: number): string {
    const day = Math.floor(minute / DAY);
    return `${this.date(day)}T${this.times[minute - day * DAY] as string}:00${OFFSET}`;
  }

  /** 0 = Sunday … 6 = Saturday. */
  weekday(day: number): number {
    return dayOfWeek(this.date(day));
  }
}
