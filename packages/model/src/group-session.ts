/**
 * GroupSession: a peer support group meeting with its facilitators, attendance and notes.
 */
import { z } from 'zod';
import {
  ATTENDANCE,
  codesOf,
  GROUP_SESSION_STATUSES,
  GROUP_TOPICS,
  MODALITIES,
  PROGRAM_TYPES,
  SETTINGS,
} from './codes';
import { dateTimeSchema, idSchema, noteSchema, shortTextSchema } from './common';
import { createParser, duplicateIndexes, minutesBetween, type Rule } from './internal/rules';
import type { Result } from './result';

/** One member's attendance at a group session. */
export const attendeeSchema = z.strictObject({
  peerId: idSchema,
  attendance: z.enum(codesOf(ATTENDANCE)),
  /** Minutes the member was present; at most the session's length. */
  minutesPresent: z.int().min(0).max(1440).optional(),
  /** The member's individual note. It must not name other members (the FHIR mapping redacts). */
  note: noteSchema.optional(),
});
/** An attendee. */
export type Attendee = z.output<typeof attendeeSchema>;

/** Schema of a `group-session` record. */
export const groupSessionSchema = z.strictObject({
  kind: z.literal('group-session'),
  id: idSchema,
  programId: idSchema,
  programType: z.enum(codesOf(PROGRAM_TYPES)),
  /** Specialist ids of the facilitators; the first is the lead. */
  facilitatorIds: z.array(idSchema).min(1).max(5),
  topic: z.enum(codesOf(GROUP_TOPICS)),
  title: shortTextSchema.optional(),
  status: z.enum(codesOf(GROUP_SESSION_STATUSES)),
  start: dateTimeSchema,
  end: dateTimeSchema,
  modality: z.enum(codesOf(MODALITIES)),
  setting: z.enum(codesOf(SETTINGS)),
  attendees: z.array(attendeeSchema).max(100),
  /** Note about the session as a whole (content covered), without member details. */
  groupNote: noteSchema.optional(),
});
/** A group session record. */
export type GroupSession = z.output<typeof groupSessionSchema>;

const attended = (a: Attendee): boolean => a.attendance === 'present' || a.attendance === 'late' || a.attendance === 'left-early';

const groupSessionRules: Rule<GroupSession>[] = [
  {
    code: 'group.end-before-start',
    severity: 'error',
    message: 'end must be after start',
    check: (g, report) => {
      if (minutesBetween(g.start, g.end) <= 0) report(['end']);
    },
  },
  {
    code: 'group.minutes-exceed-session',
    severity: 'error',
    message: "attendees.minutesPresent must not exceed the session's length",
    check: (g, report) => {
      const length = minutesBetween(g.start, g.end);
      g.attendees.forEach((a, i) => {
        if (a.minutesPresent !== undefined && length > 0 && a.minutesPresent > length) {
          report(['attendees', i, 'minutesPresent']);
        }
      });
    },
  },
  {
    code: 'group.duplicate-attendee',
    severity: 'error',
    message: 'A peer is listed twice in attendees',
    check: (g, report) => {
      for (const i of duplicateIndexes(g.attendees, (a) => a.peerId)) report(['attendees', i, 'peerId']);
    },
  },
  {
    code: 'group.duplicate-facilitator',
    severity: 'error',
    message: 'A specialist is listed twice in facilitatorIds',
    check: (g, report) => {
      for (const i of duplicateIndexes(g.facilitatorIds, (id) => id)) report(['facilitatorIds', i]);
    },
  },
  {
    code: 'group.absent-with-minutes',
    severity: 'error',
    message: 'An absent or excused attendee cannot have minutesPresent above 0 or a note of participation',
    check: (g, report) => {
      g.attendees.forEach((a, i) => {
        if (attended(a)) return;
        if (a.minutesPresent !== undefined && a.minutesPresent > 0) report(['attendees', i, 'minutesPresent']);
        if (a.note !== undefined) report(['attendees', i, 'note']);
      });
    },
  },
  {
    code: 'group.minutes-missing',
    severity: 'error',
    message: 'An attendee who was present needs minutesPresent',
    check: (g, report) => {
      if (g.status !== 'completed') return;
      g.attendees.forEach((a, i) => {
        if (attended(a) && a.minutesPresent === undefined) report(['attendees', i, 'minutesPresent']);
      });
    },
  },
  {
    code: 'group.cancelled-with-attendance',
    severity: 'error',
    message: 'A cancelled session cannot have attendees marked present',
    check: (g, report) => {
      if (g.status !== 'cancelled') return;
      g.attendees.forEach((a, i) => {
        if (attended(a)) report(['attendees', i, 'attendance']);
      });
    },
  },
  {
    code: 'group.note-missing',
    severity: 'error',
    message: "Each attendee who was present needs a note in their own record",
    source: "12VAC30-130-5160 to 5210 (progress note in each person's record)",
    check: (g, report) => {
      if (g.status !== 'completed') return;
      g.attendees.forEach((a, i) => {
        if (attended(a) && a.note === undefined) report(['attendees', i, 'note']);
      });
    },
  },
  {
    code: 'group.note-signer-not-facilitator',
    severity: 'error',
    message: 'Notes must be signed by one of the facilitators',
    check: (g, report) => {
      const facilitators = new Set(g.facilitatorIds);
      g.attendees.forEach((a, i) => {
        if (a.note?.signedBy !== undefined && !facilitators.has(a.note.signedBy)) report(['attendees', i, 'note', 'signedBy']);
      });
      if (g.groupNote?.signedBy !== undefined && !facilitators.has(g.groupNote.signedBy)) {
        report(['groupNote', 'signedBy']);
      }
    },
  },
  {
    code: 'group.no-attendees',
    severity: 'warning',
    message: 'A completed session has no attendee marked present',
    check: (g, report) => {
      if (g.status === 'completed' && !g.attendees.some(attended)) report(['attendees']);
    },
  },
];

/**
 * Validates a `group-session` record.
 *
 * @param input - any value, typically one parsed NDJSON line
 * @returns the session, or issues naming each invalid field
 */
export const parseGroupSession: (input: unknown) => Result<GroupSession> = createParser(
  groupSessionSchema,
  groupSessionRules,
);
