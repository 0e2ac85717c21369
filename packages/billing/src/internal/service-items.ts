import {
  datePart,
  type Activity,
  type GroupSession,
  type IssuePath,
  type Modality,
  type PeerEncounter,
  type ProgramType,
  type Setting,
} from '@peerkit/model';
import type { ServiceRef } from '../claim-line';

/** One billable occurrence: a held one-on-one encounter, or one member's attendance at a group session. */
export interface ServiceItem {
  readonly ref: ServiceRef;
  /** Path of the record (or attendee) in the `encounters` argument. */
  readonly path: IssuePath;
  readonly session: 'individual' | 'group';
  readonly peerId: string;
  /** Rendering specialist: the encounter's, or the group's lead facilitator. */
  readonly specialistId: string;
  readonly programId: string;
  readonly programType: ProgramType;
  readonly modality: Modality;
  readonly setting: Setting;
  /** Date-times as written. */
  readonly start: string;
  readonly end: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Date of service (local date of `start`). */
  readonly date: string;
  readonly minutes: number;
  readonly activities: readonly Activity[];
  /** Members present at the group session. */
  readonly present: number;
  readonly facilitators: number;
}

const ATTENDED = new Set(['present', 'late', 'left-early']);

function isoAt(startMs: number, start: string, minutes: number): string {
  // Keep the start's offset so the end reads in the same local time.
  const offset = /([+-]\d{2}):(\d{2})$/.exec(start);
  if (!offset) return new Date(startMs + minutes * 60_000).toISOString();
  const sign = offset[1]?.startsWith('-') ? -1 : 1;
  const shift = sign * (Math.abs(Number(offset[1])) * 60 + Number(offset[2])) * 60_000;
  const local = new Date(startMs + minutes * 60_000 + shift).toISOString().slice(0, 19);
  return `${local}${offset[0]}`;
}

/**
 * Expands encounters and group sessions into service items. No-shows, cancellations and absent
 * group members are counted in `notDelivered`.
 */
export function expandServices(encounters: readonly (PeerEncounter | GroupSession)[]): { items: ServiceItem[]; notDelivered: number } {
  const items: ServiceItem[] = [];
  let notDelivered = 0;
  encounters.forEach((record, index) => {
    const startMs = Date.parse(record.start);
    if (record.kind === 'encounter') {
      if (record.status !== 'completed') {
        notDelivered += 1;
        return;
      }
      const span = record.end === undefined ? undefined : Math.floor((Date.parse(record.end) - startMs) / 60_000);
      const minutes = Math.max(0, record.durationMinutes ?? span ?? 0);
      const end = record.end ?? isoAt(startMs, record.start, minutes);
      items.push({
        ref: { kind: 'encounter', id: record.id },
        path: ['encounters', index],
        session: 'individual',
        peerId: record.peerId,
        specialistId: record.specialistId,
        programId: record.programId,
        programType: record.programType,
        modality: record.modality,
        setting: record.setting,
        start: record.start,
        end,
        startMs,
        endMs: Date.parse(end),
        date: datePart(record.start),
        minutes,
        activities: record.activities,
        present: 1,
        facilitators: 1,
      });
      return;
    }
    if (record.status !== 'completed') {
      notDelivered += 1;
      return;
    }
    const present = record.attendees.filter((a) => ATTENDED.has(a.attendance)).length;
    const endMs = Date.parse(record.end);
    record.attendees.forEach((attendee, j) => {
      if (!ATTENDED.has(attendee.attendance)) {
        notDelivered += 1;
        return;
      }
      items.push({
        ref: { kind: 'group-session', id: record.id },
        path: ['encounters', index, 'attendees', j],
        session: 'group',
        peerId: attendee.peerId,
        specialistId: record.facilitatorIds[0] ?? '',
        programId: record.programId,
        programType: record.programType,
        modality: record.modality,
        setting: record.setting,
        start: record.start,
        end: record.end,
        startMs,
        endMs,
        date: datePart(record.start),
        minutes: Math.max(0, attendee.minutesPresent ?? 0),
        activities: [],
        present,
        facilitators: record.facilitatorIds.length,
      });
    });
  });
  return { items, notDelivered };
}

/**
 * Items that overlap an earlier service of the same member (by start, then record id): the same
 * minutes cannot be billed twice, so the later one is flagged.
 */
export function findOverlaps(items: readonly ServiceItem[]): Set<ServiceItem> {
  const byPeer = new Map<string, ServiceItem[]>();
  for (const item of items) {
    const list = byPeer.get(item.peerId);
    if (list) list.push(item);
    else byPeer.set(item.peerId, [item]);
  }
  const flagged = new Set<ServiceItem>();
  for (const list of byPeer.values()) {
    list.sort((a, b) => a.startMs - b.startMs || (a.ref.id < b.ref.id ? -1 : a.ref.id > b.ref.id ? 1 : 0));
    let latestEnd = Number.NEGATIVE_INFINITY;
    for (const item of list) {
      if (item.startMs < latestEnd && item.minutes > 0) flagged.add(item);
      latestEnd = Math.max(latestEnd, item.endMs);
    }
  }
  return flagged;
}
