/**
 * Specialist: a peer support specialist, with certifications, continuing education and supervision.
 */
import { z } from 'zod';
import { codesOf, CREDENTIAL_TYPES, LIVED_EXPERIENCE_AREAS, ROLE_LEVELS, SPECIALIZATIONS } from './codes';
import {
  dateSchema,
  humanNameSchema,
  idSchema,
  identifierSchema,
  languageTagSchema,
  shortTextSchema,
  stateSchema,
} from './common';
import { createParser, duplicateIndexes, type Rule } from './internal/rules';
import type { Result } from './result';

/** A certification or credential held by a specialist. */
export const certificationSchema = z.strictObject({
  credential: z.enum(codesOf(CREDENTIAL_TYPES)),
  /** Certifying body, e.g. a state certification board. */
  issuer: shortTextSchema,
  /** Two-letter state for state credentials. */
  state: stateSchema.optional(),
  number: z.string().min(1).max(60),
  issued: dateSchema,
  /** Expiry date; most peer certifications renew every one to two years. */
  expires: dateSchema.optional(),
});
/** A certification. */
export type Certification = z.output<typeof certificationSchema>;

/** Continuing-education hours completed. */
export const continuingEducationSchema = z.strictObject({
  date: dateSchema,
  hours: z.number().positive().max(80),
  topic: shortTextSchema,
  /** `true` for ethics hours, which most boards require separately. */
  ethics: z.boolean().default(false),
});
/** A continuing-education entry. */
export type ContinuingEducation = z.output<typeof continuingEducationSchema>;

/** One supervision contact. */
export const supervisionEntrySchema = z.strictObject({
  date: dateSchema,
  /** Specialist id of the supervisor. */
  supervisorId: idSchema,
  minutes: z.int().positive().max(480),
  format: z.enum(['individual', 'group']),
});
/** A supervision log entry. */
export type SupervisionEntry = z.output<typeof supervisionEntrySchema>;

/** Schema of a `specialist` record. */
export const specialistSchema = z.strictObject({
  kind: z.literal('specialist'),
  id: idSchema,
  /** NPI (`http://hl7.org/fhir/sid/us-npi`), Medicaid provider id, staff id. */
  identifiers: z.array(identifierSchema).max(20).default([]),
  name: humanNameSchema,
  roleLevel: z.enum(codesOf(ROLE_LEVELS)),
  active: z.boolean(),
  organizationId: idSchema,
  hired: dateSchema.optional(),
  certifications: z.array(certificationSchema).max(20).default([]),
  continuingEducation: z.array(continuingEducationSchema).max(500).default([]),
  /** Specialist id of the assigned supervisor. */
  supervisorId: idSchema.optional(),
  supervisionLog: z.array(supervisionEntrySchema).max(2000).default([]),
  specializations: z.array(z.enum(codesOf(SPECIALIZATIONS))).max(20).default([]),
  /** Private: never exported to FHIR unless the caller opts in. */
  livedExperience: z.array(z.enum(codesOf(LIVED_EXPERIENCE_AREAS))).max(20).default([]),
  /** Languages in which the specialist provides services (BCP 47 tags, e.g. `en`, `es`). */
  languages: z.array(languageTagSchema).max(20).default([]),
  /** Most peers this specialist may carry at once. */
  caseloadLimit: z.int().positive().max(500),
});
/** A specialist record. */
export type Specialist = z.output<typeof specialistSchema>;

const specialistRules: Rule<Specialist>[] = [
  {
    code: 'specialist.certification-expires-before-issued',
    severity: 'error',
    message: 'certification.expires must be after certification.issued',
    check: (s, report) => {
      s.certifications.forEach((c, i) => {
        if (c.expires !== undefined && c.expires <= c.issued) report(['certifications', i, 'expires']);
      });
    },
  },
  {
    code: 'specialist.self-supervision',
    severity: 'error',
    message: 'A specialist cannot be their own supervisor',
    check: (s, report) => {
      if (s.supervisorId === s.id) report(['supervisorId']);
      s.supervisionLog.forEach((e, i) => {
        if (e.supervisorId === s.id) report(['supervisionLog', i, 'supervisorId']);
      });
    },
  },
  {
    code: 'specialist.supervisor-missing',
    severity: 'warning',
    message: 'Trainees and certified specialists need an assigned supervisor (supervisorId)',
    source: 'CMS SMDL #07-011 (supervision of peer support providers)',
    check: (s, report) => {
      if ((s.roleLevel === 'trainee' || s.roleLevel === 'specialist') && s.supervisorId === undefined) {
        report(['supervisorId']);
      }
    },
  },
  {
    code: 'specialist.certification-missing',
    severity: 'warning',
    message: 'A specialist above trainee level should hold at least one certification',
    check: (s, report) => {
      const certified = s.certifications.some((c) => c.credential !== 'training-completed');
      if (s.roleLevel !== 'trainee' && !certified) report(['certifications']);
    },
  },
  {
    code: 'specialist.duplicate-certification',
    severity: 'error',
    message: 'The same certification (credential and number) is listed twice',
    check: (s, report) => {
      for (const i of duplicateIndexes(s.certifications, (c) => `${c.credential}|${c.number}`)) {
        report(['certifications', i]);
      }
    },
  },
  {
    code: 'specialist.education-before-hire',
    severity: 'information',
    message: 'continuingEducation.date is before the hire date (hours earned elsewhere)',
    check: (s, report) => {
      const hired = s.hired;
      if (hired === undefined) return;
      s.continuingEducation.forEach((e, i) => {
        if (e.date < hired) report(['continuingEducation', i, 'date']);
      });
    },
  },
];

/**
 * Validates a `specialist` record.
 *
 * @param input - any value, typically one parsed NDJSON line
 * @returns the specialist, or issues naming each invalid field
 */
export const parseSpecialist: (input: unknown) => Result<Specialist> = createParser(specialistSchema, specialistRules);
