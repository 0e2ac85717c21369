/**
 * PeerEncounter: one contact between a specialist and a peer, with its progress note.
 */
import { z } from 'zod';
import {
  ACTIVITIES,
  codesOf,
  CRISIS_ACTIONS,
  ENCOUNTER_STATUSES,
  MODALITIES,
  PROGRAM_TYPES,
  SETTINGS,
} from './codes';
import { dateTimeSchema, idSchema, noteSchema, shortTextSchema } from './common';
import { instantMs } from './internal/instant';
import { createParser, minutesBetween, type Rule } from './internal/rules';
import type { Result } from './result';

/** Crisis indication and what was done about it. */
export const crisisSchema = z.strictObject({
  /** `true` when the peer was in crisis or disclosed risk during the contact. */
  indicated: z.boolean(),
  actions: z.array(z.enum(codesOf(CRISIS_ACTIONS))).max(10).default([]),
  /** Referral id when the crisis led to a referral. */
  referralId: idSchema.optional(),
});
/** A crisis indication. */
export type Crisis = z.output<typeof crisisSchema>;

/** Schema of an `encounter` record (a one-on-one peer encounter). */
export const peerEncounterSchema = z.strictObject({
  kind: z.literal('encounter'),
  id: idSchema,
  peerId: idSchema,
  specialistId: idSchema,
  programId: idSchema,
  /** The program's type; substance-use and co-occurring programs may be under 42 CFR Part 2. */
  programType: z.enum(codesOf(PROGRAM_TYPES)),
  status: z.enum(codesOf(ENCOUNTER_STATUSES)),
  start: dateTimeSchema,
  end: dateTimeSchema.optional(),
  /** Minutes of direct service; at most the time between start and end. */
  durationMinutes: z.int().min(0).max(1440).optional(),
  modality: z.enum(codesOf(MODALITIES)),
  setting: z.enum(codesOf(SETTINGS)),
  activities: z.array(z.enum(codesOf(ACTIVITIES))).max(20).default([]),
  /** Recovery plan this contact worked on. */
  planId: idSchema.optional(),
  /** Goal ids (of `planId`) addressed during the contact. */
  goalIds: z.array(idSchema).max(30).default([]),
  note: noteSchema.optional(),
  crisis: crisisSchema.optional(),
  /** Why the contact did not happen (no-show or cancelled). */
  statusReason: shortTextSchema.optional(),
  referralIds: z.array(idSchema).max(30).default([]),
});
/** A peer encounter record. */
export type PeerEncounter = z.output<typeof peerEncounterSchema>;

/** Tolerance, in minutes, between a stated duration and the start/end span (rounding of clocks). */
const DURATION_TOLERANCE_MINUTES = 1;

const held = (e: PeerEncounter): boolean => e.status === 'completed';

const peerEncounterRules: Rule<PeerEncounter>[] = [
  {
    code: 'encounter.end-before-start',
    severity: 'error',
    message: 'end must be after start',
    check: (e, report) => {
      if (e.end !== undefined && minutesBetween(e.start, e.end) <= 0) report(['end']);
    },
  },
  {
    code: 'encounter.duration-exceeds-span',
    severity: 'error',
    message: 'durationMinutes must not exceed the time between start and end',
    check: (e, report) => {
      if (e.end === undefined || e.durationMinutes === undefined) return;
      const span = minutesBetween(e.start, e.end);
      if (span > 0 && e.durationMinutes > span + DURATION_TOLERANCE_MINUTES) report(['durationMinutes']);
    },
  },
  {
    code: 'encounter.duration-missing',
    severity: 'error',
    message: 'A completed encounter needs end or durationMinutes',
    check: (e, report) => {
      if (held(e) && e.end === undefined && e.durationMinutes === undefined) report(['end']);
    },
  },
  {
    code: 'encounter.not-held-with-service',
    severity: 'error',
    message: 'A no-show or cancelled encounter cannot record service minutes or activities',
    check: (e, report) => {
      if (held(e)) return;
      if (e.durationMinutes !== undefined && e.durationMinutes > 0) report(['durationMinutes']);
      if (e.activities.length > 0) report(['activities']);
    },
  },
  {
    code: 'encounter.status-reason-missing',
    severity: 'warning',
    message: 'A no-show or cancelled encounter should say why (statusReason)',
    check: (e, report) => {
      if (!held(e) && e.statusReason === undefined) report(['statusReason']);
    },
  },
  {
    code: 'encounter.activities-missing',
    severity: 'error',
    message: 'A completed encounter must list at least one activity',
    check: (e, report) => {
      if (held(e) && e.activities.length === 0) report(['activities']);
    },
  },
  {
    code: 'encounter.note-missing',
    severity: 'error',
    message: 'A completed encounter must have a progress note',
    source: '12VAC30-130-5160 to 5210 (progress note in each person\'s record); CMS SMDL #07-011',
    check: (e, report) => {
      if (held(e) && e.note === undefined) report(['note']);
    },
  },
  {
    code: 'encounter.note-unsigned',
    severity: 'warning',
    message: 'note.signedAt and note.signedBy are missing: the note is an unsigned draft',
    check: (e, report) => {
      if (e.note !== undefined && (e.note.signedAt === undefined || e.note.signedBy === undefined)) {
        report(['note', 'signedAt']);
      }
    },
  },
  {
    code: 'encounter.note-signed-before-start',
    severity: 'error',
    message: 'note.signedAt must not be before the encounter started',
    check: (e, report) => {
      if (e.note?.signedAt !== undefined && instantMs(e.note.signedAt) < instantMs(e.start)) {
        report(['note', 'signedAt']);
      }
    },
  },
  {
    code: 'encounter.note-signer-mismatch',
    severity: 'error',
    message: 'note.signedBy must be the encounter specialist',
    check: (e, report) => {
      if (e.note?.signedBy !== undefined && e.note.signedBy !== e.specialistId) report(['note', 'signedBy']);
    },
  },
  {
    code: 'encounter.cosign-incomplete',
    severity: 'error',
    message: 'note.cosignedBy and note.cosignedAt go together, after note.signedAt, by someone other than the author',
    check: (e, report) => {
      const n = e.note;
      if (!n) return;
      if ((n.cosignedBy === undefined) !== (n.cosignedAt === undefined)) report(['note', 'cosignedBy']);
      else if (n.cosignedBy !== undefined && n.cosignedBy === n.signedBy) report(['note', 'cosignedBy']);
      else if (
        n.cosignedAt !== undefined &&
        (n.signedAt === undefined || instantMs(n.cosignedAt) < instantMs(n.signedAt))
      ) {
        report(['note', 'cosignedAt']);
      }
    },
  },
  {
    code: 'encounter.crisis-action-missing',
    severity: 'error',
    message: 'crisis.indicated requires at least one crisis.actions entry',
    check: (e, report) => {
      if (e.crisis?.indicated && e.crisis.actions.length === 0) report(['crisis', 'actions']);
    },
  },
  {
    code: 'encounter.crisis-activity-missing',
    severity: 'warning',
    message: 'crisis.indicated but crisis-support is not among activities',
    check: (e, report) => {
      if (held(e) && e.crisis?.indicated && !e.activities.includes('crisis-support')) report(['activities']);
    },
  },
  {
    code: 'encounter.goals-without-plan',
    severity: 'error',
    message: 'goalIds requires planId',
    check: (e, report) => {
      if (e.goalIds.length > 0 && e.planId === undefined) report(['planId']);
    },
  },
  {
    code: 'encounter.setting-modality-mismatch',
    severity: 'warning',
    message: 'setting street-outreach or mobile-unit implies an in-person modality',
    check: (e, report) => {
      if ((e.setting === 'street-outreach' || e.setting === 'mobile-unit') && e.modality !== 'in-person') {
        report(['setting']);
      }
    },
  },
];

/**
 * Validates an `encounter` record.
 *
 * @param input - any value, typically one parsed NDJSON line
 * @returns the encounter, or issues naming each invalid field
 */
export const parsePeerEncounter: (input: unknown) => Result<PeerEncounter> = createParser(
  peerEncounterSchema,
  peerEncounterRules,
);
