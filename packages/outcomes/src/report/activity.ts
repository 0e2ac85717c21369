/**
 * The activity of a program as contacts: one per completed one-on-one encounter and one per group
 * attendee present, each with its month, minutes, modality and setting. The raw material of the
 * report's counts; it holds a peer id only to count distinct people and never leaves the package.
 */
import { addMonths, datePart, periodKey, type ClinicRecord, type Modality, type Setting } from '@peerkit/model';

/** One contact of a peer with the program. */
export interface Contact {
  readonly peerId: string;
  /** `YYYY-MM-DD`, in the record's own offset. */
  readonly date: string;
  readonly minutes: number;
  readonly kind: 'one-on-one' | 'group';
  readonly modality: Modality;
  readonly setting: Setting;
}

const ATTENDED = new Set(['present', 'late', 'left-early']);

function minutesBetween(start: string, end: string | undefined): number {
  if (end === undefined) return 0;
  return Math.max(0, Math.round((Date.parse(end) - Date.parse(start)) / 60_000));
}

/**
 * The contacts of a clinic's records whose date falls inside `[start, end]` (either bound optional).
 *
 * @param records - the clinic's records (encounters and group sessions count)
 * @param start - first day counted (`YYYY-MM-DD`), or none
 * @param end - last day counted, or none
 */
export function contactsOf(records: readonly ClinicRecord[], start?: string, end?: string): Contact[] {
  const inside = (date: string): boolean => (start === undefined || date >= start) && (end === undefined || date <= end);
  const out: Contact[] = [];
  for (const record of records) {
    if (record.kind === 'encounter' && record.status === 'completed') {
      const date = datePart(record.start);
      if (!inside(date)) continue;
      out.push({
        peerId: record.peerId,
        date,
        minutes: record.durationMinutes ?? minutesBetween(record.start, record.end),
        kind: 'one-on-one',
        modality: record.modality,
        setting: record.setting,
      });
    } else if (record.kind === 'group-session' && record.status === 'completed') {
      const date = datePart(record.start);
      if (!inside(date)) continue;
      for (const attendee of record.attendees) {
        if (!ATTENDED.has(attendee.attendance)) continue;
        out.push({ peerId: attendee.peerId, date, minutes: attendee.minutesPresent ?? 0, kind: 'group', modality: record.modality, setting: record.setting });
      }
    }
  }
  return out;
}

/** The months from the month of `start` to the month of `end`, as `YYYY-MM`. */
export function monthsBetween(start: string, end: string): string[] {
  const months: string[] = [];
  for (let day = `${periodKey(start, 'month')}-01`; periodKey(day, 'month') <= periodKey(end, 'month'); day = addMonths(day, 1)) {
    months.push(periodKey(day, 'month'));
  }
  return months;
}
