/**
 * Peer: the person receiving peer support. The host EHR owns the Patient; PeerKit keeps a reference
 * to it and only what the rules need (birth date for age rules, program enrollments, coverage).
 */
import { z } from 'zod';
import { codesOf, PROGRAM_TYPES } from './codes';
import { dateSchema, idSchema, identifierSchema, languageTagSchema, patientReferenceSchema } from './common';
import { createParser, duplicateIndexes, type Rule } from './internal/rules';
import type { Result } from './result';

/** Reference to the host EHR's Patient: a `Patient/<id>` reference, an identifier, or both. */
export const patientRefSchema = z.strictObject({
  reference: patientReferenceSchema.optional(),
  identifier: identifierSchema.optional(),
});
/** A patient reference. */
export type PatientRef = z.output<typeof patientRefSchema>;

/** Enrollment in one of the organization's programs. */
export const enrollmentSchema = z.strictObject({
  programId: idSchema,
  /** The program's type, repeated here so Part 2 handling needs no lookup. */
  programType: z.enum(codesOf(PROGRAM_TYPES)),
  start: dateSchema,
  end: dateSchema.optional(),
});
/** A program enrollment. */
export type Enrollment = z.output<typeof enrollmentSchema>;

/** Health coverage used for billing. */
export const coverageSchema = z.strictObject({
  /** Payer id, e.g. a payer rule pack id such as `medicaid-generic`. */
  payerId: z.string().min(1).max(100),
  memberId: z.string().min(1).max(60),
  start: dateSchema,
  end: dateSchema.optional(),
});
/** A coverage entry. */
export type Coverage = z.output<typeof coverageSchema>;

/** Schema of a `peer` record. */
export const peerSchema = z.strictObject({
  kind: z.literal('peer'),
  id: idSchema,
  patient: patientRefSchema,
  /** For age rules (youth programs, payer age limits). */
  birthDate: dateSchema.optional(),
  enrollments: z.array(enrollmentSchema).min(1).max(50),
  coverage: z.array(coverageSchema).max(20).default([]),
  /** Specialist id of the primary peer specialist. */
  primarySpecialistId: idSchema.optional(),
  /** BCP 47 tag of the preferred language. */
  preferredLanguage: languageTagSchema.optional(),
});
/** A peer record. */
export type Peer = z.output<typeof peerSchema>;

const peerRules: Rule<Peer>[] = [
  {
    code: 'peer.patient-unidentified',
    severity: 'error',
    message: 'patient needs a reference or an identifier',
    check: (p, report) => {
      if (p.patient.reference === undefined && p.patient.identifier === undefined) report(['patient']);
    },
  },
  {
    code: 'period.end-before-start',
    severity: 'error',
    message: 'end must not be before start',
    check: (p, report) => {
      p.enrollments.forEach((e, i) => {
        if (e.end !== undefined && e.end < e.start) report(['enrollments', i, 'end']);
      });
      p.coverage.forEach((c, i) => {
        if (c.end !== undefined && c.end < c.start) report(['coverage', i, 'end']);
      });
    },
  },
  {
    code: 'peer.enrollment-before-birth',
    severity: 'error',
    message: 'enrollments.start is before birthDate',
    check: (p, report) => {
      const born = p.birthDate;
      if (born === undefined) return;
      p.enrollments.forEach((e, i) => {
        if (e.start < born) report(['enrollments', i, 'start']);
      });
    },
  },
  {
    code: 'peer.overlapping-enrollment',
    severity: 'warning',
    message: 'The same program has overlapping enrollments',
    check: (p, report) => {
      p.enrollments.forEach((a, i) => {
        for (let j = 0; j < i; j++) {
          const b = p.enrollments[j];
          if (!b || b.programId !== a.programId) continue;
          const overlaps = (a.end === undefined || a.end >= b.start) && (b.end === undefined || b.end >= a.start);
          if (overlaps) report(['enrollments', i]);
        }
      });
    },
  },
  {
    code: 'peer.duplicate-coverage',
    severity: 'error',
    message: 'The same payer membership is listed twice with the same start',
    check: (p, report) => {
      for (const i of duplicateIndexes(p.coverage, (c) => `${c.payerId}|${c.memberId}|${c.start}`)) {
        report(['coverage', i]);
      }
    },
  },
];

/**
 * Validates a `peer` record.
 *
 * @param input - any value, typically one parsed NDJSON line
 * @returns the peer, or issues naming each invalid field
 */
export const parsePeer: (input: unknown) => Result<Peer> = createParser(peerSchema, peerRules);
