/**
 * Organization: the agency that delivers peer support, with its programs.
 */
import { z } from 'zod';
import { codesOf, PROGRAM_TYPES } from './codes';
import { dateSchema, idSchema, identifierSchema, phoneSchema, shortTextSchema, stateSchema } from './common';
import { createParser, duplicateIndexes, type Rule } from './internal/rules';
import type { Result } from './result';

/** A program of the organization (e.g. an opioid recovery program). */
export const programSchema = z.strictObject({
  id: idSchema,
  name: shortTextSchema,
  type: z.enum(codesOf(PROGRAM_TYPES)),
  /**
   * `true` when the program is a federally assisted SUD program under 42 CFR Part 2: its records
   * carry Part 2 protections and security labels.
   */
  part2: z.boolean(),
  start: dateSchema.optional(),
});
/** A program. */
export type Program = z.output<typeof programSchema>;

/** Schema of an `organization` record. */
export const organizationSchema = z.strictObject({
  kind: z.literal('organization'),
  id: idSchema,
  name: shortTextSchema,
  /** Business identifiers: NPI (`http://hl7.org/fhir/sid/us-npi`), TIN, state license. */
  identifiers: z.array(identifierSchema).max(20).default([]),
  /**
   * Base URI under which the organization issues record identifiers; the FHIR mapping builds
   * business identifiers from it.
   */
  identifierSystem: z.url().max(500),
  /** Two-letter US state or territory code where services are delivered. */
  state: stateSchema,
  phone: phoneSchema.optional(),
  programs: z.array(programSchema).min(1).max(100),
});
/** An organization record. */
export type Organization = z.output<typeof organizationSchema>;

const organizationRules: Rule<Organization>[] = [
  {
    code: 'organization.duplicate-program',
    severity: 'error',
    message: 'Program ids must be unique within the organization',
    check: (org, report) => {
      for (const i of duplicateIndexes(org.programs, (p) => p.id)) report(['programs', i, 'id']);
    },
  },
  {
    code: 'organization.part2-program-type',
    severity: 'error',
    message: 'A 42 CFR Part 2 program must be a substance-use or co-occurring program',
    source: '42 CFR §2.11 (definition of "program")',
    check: (org, report) => {
      org.programs.forEach((p, i) => {
        if (p.part2 && p.type === 'mental-health') report(['programs', i, 'part2']);
      });
    },
  },
];

/**
 * Validates an `organization` record.
 *
 * @param input - any value, typically one parsed NDJSON line
 * @returns the organization, or issues naming each invalid field
 */
export const parseOrganization: (input: unknown) => Result<Organization> = createParser(
  organizationSchema,
  organizationRules,
);
