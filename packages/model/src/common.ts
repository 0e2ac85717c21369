/**
 * Building blocks shared by every entity schema: ids, dates, identifiers, names, periods, notes.
 */
import { z } from 'zod';
import { codesOf, CONSENT_SIGNERS, SIGNATURE_METHODS, SIGNER_ROLES } from './codes';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const STATE = /^[A-Z]{2}$/;
const PHONE = /^[0-9+()\-. x]{3,40}$/;
const PATIENT_REFERENCE = /^Patient\/[A-Za-z0-9\-.]{1,64}$/;
const NOT_BLANK = /\S/;
const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

/** The text patterns of the schemas, each with the description an issue message uses. */
export const PATTERNS: readonly { pattern: RegExp; description: string }[] = [
  { pattern: ID, description: 'an id (letters, digits, "-" and ".", at most 64 characters)' },
  { pattern: STATE, description: 'a two-letter upper-case state code' },
  { pattern: PHONE, description: 'a phone number (digits, spaces and + ( ) - . x)' },
  { pattern: PATIENT_REFERENCE, description: 'a reference of the form Patient/<id>' },
  { pattern: LANGUAGE_TAG, description: 'a BCP 47 language tag (e.g. en, es-MX)' },
  { pattern: NOT_BLANK, description: 'text with at least one non-space character' },
];

/** A record id: the FHIR `id` rules (letters, digits, `-` and `.`, at most 64 characters). */
export const idSchema = z.string().regex(ID);

/** A two-letter US state or territory code. */
export const stateSchema = z.string().regex(STATE);

/** A BCP 47 language tag, e.g. `en` or `es-MX`. */
export const languageTagSchema = z.string().regex(LANGUAGE_TAG);

/** A reference to the host EHR's Patient, `Patient/<id>`. */
export const patientReferenceSchema = z.string().regex(PATIENT_REFERENCE);

/** A calendar date, `YYYY-MM-DD`. */
export const dateSchema = z.iso.date();

/** A date-time with a time zone offset or `Z`, e.g. `2026-03-02T14:30:00-05:00`. */
export const dateTimeSchema = z.iso.datetime({ offset: true });

/** Short free text (names, titles): 1 to 200 characters, not blank. Kept as written (not trimmed). */
export const shortTextSchema = z.string().max(200).regex(NOT_BLANK);

/** Long free text (notes, descriptions): 1 to 20,000 characters, not blank. Kept as written (not trimmed). */
export const longTextSchema = z.string().max(20_000).regex(NOT_BLANK);

/** A business identifier, as in FHIR `Identifier` (system URI + value). */
export const identifierSchema = z.strictObject({
  system: z.string().min(1).max(500).optional(),
  value: z.string().min(1).max(200),
});
/** A business identifier. */
export type Identifier = z.output<typeof identifierSchema>;

/** A person's name: given names and family name, or a display text. */
export const humanNameSchema = z.strictObject({
  given: z.array(shortTextSchema).min(1).max(5),
  family: shortTextSchema,
  display: shortTextSchema.optional(),
});
/** A person's name. */
export type HumanName = z.output<typeof humanNameSchema>;

/** A date range; `end` is optional (open-ended). */
export const periodSchema = z.strictObject({
  start: dateSchema,
  end: dateSchema.optional(),
});
/** A date range. */
export type Period = z.output<typeof periodSchema>;

/** A phone number as written (digits, spaces, `+`, `-`, `(`, `)`, `.`, `x` for extensions). */
export const phoneSchema = z.string().regex(PHONE);

/** A person to contact (support, crisis contact). */
export const contactSchema = z.strictObject({
  name: shortTextSchema,
  relationship: shortTextSchema.optional(),
  phone: phoneSchema.optional(),
});
/** A person to contact. */
export type Contact = z.output<typeof contactSchema>;

/** A signature on a plan: who signed, in which role, when and how. */
export const signatureSchema = z.strictObject({
  role: z.enum(codesOf(SIGNER_ROLES)),
  /** The signer's record id when the signer is a specialist in the export. */
  signerId: idSchema.optional(),
  signedAt: dateTimeSchema,
  method: z.enum(codesOf(SIGNATURE_METHODS)),
});
/** A signature. */
export type Signature = z.output<typeof signatureSchema>;

/** A progress note with its signature and, for trainees, the supervisor's co-signature. */
export const noteSchema = z.strictObject({
  text: longTextSchema,
  /** When the author signed the note. Unsigned notes are drafts. */
  signedAt: dateTimeSchema.optional(),
  /** Specialist id of the author. */
  signedBy: idSchema.optional(),
  cosignedAt: dateTimeSchema.optional(),
  /** Specialist id of the co-signing supervisor. */
  cosignedBy: idSchema.optional(),
});
/** A progress note. */
export type Note = z.output<typeof noteSchema>;

/** Who signed a consent and when. */
export const consentSignatureSchema = z.strictObject({
  signer: z.enum(codesOf(CONSENT_SIGNERS)),
  signedAt: dateTimeSchema,
  method: z.enum(codesOf(SIGNATURE_METHODS)),
});
/** A consent signature. */
export type ConsentSignature = z.output<typeof consentSignatureSchema>;
