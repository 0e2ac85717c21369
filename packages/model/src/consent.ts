/**
 * Consent: a peer's consent to disclose records — a 42 CFR Part 2 consent (to named recipients or a
 * single consent for treatment, payment and health care operations) or a HIPAA authorization.
 *
 * The schema holds every element 42 CFR §2.31(a) asks for but keeps most of them optional, so an
 * incomplete consent is still a record: the safeguards package reports each missing element.
 */
import { z } from 'zod';
import { covers } from './calendar';
import { codesOf, CONSENT_KINDS, CONSENT_PURPOSES, CONSENT_STATUSES, DATA_CATEGORIES, RECIPIENT_TYPES, SIGNATURE_METHODS } from './codes';
import {
  consentSignatureSchema,
  dateSchema,
  dateTimeSchema,
  idSchema,
  identifierSchema,
  longTextSchema,
  periodSchema,
  shortTextSchema,
} from './common';
import { instantMs } from './internal/instant';
import { createParser, datePart, type Rule } from './internal/rules';
import type { Result } from './result';

/** Who may receive the information: a named individual or organization, or a general designation. */
export const recipientSchema = z.strictObject({
  type: z.enum(codesOf(RECIPIENT_TYPES)),
  name: shortTextSchema.optional(),
  identifier: identifierSchema.optional(),
  /** For a general designation, e.g. "my treating providers". */
  description: shortTextSchema.optional(),
});
/** A consent recipient. */
export type Recipient = z.output<typeof recipientSchema>;

/** Who may make the disclosure (§2.31(a)(2)). */
export const discloserSchema = z.strictObject({
  name: shortTextSchema,
  organizationId: idSchema.optional(),
});
/** A discloser. */
export type Discloser = z.output<typeof discloserSchema>;

/** When the consent ends: a date, an event or condition, or both (§2.31(a)(7)). */
export const expirationSchema = z.strictObject({
  date: dateSchema.optional(),
  event: shortTextSchema.optional(),
});
/** A consent expiration. */
export type Expiration = z.output<typeof expirationSchema>;

/** A revocation: when and how the peer revoked the consent. */
export const revocationSchema = z.strictObject({
  date: dateTimeSchema,
  method: z.enum(codesOf(SIGNATURE_METHODS)),
});
/** A revocation. */
export type Revocation = z.output<typeof revocationSchema>;

/** Schema of a `consent` record. */
export const consentSchema = z.strictObject({
  kind: z.literal('consent'),
  id: idSchema,
  peerId: idSchema,
  consentKind: z.enum(codesOf(CONSENT_KINDS)),
  status: z.enum(codesOf(CONSENT_STATUSES)),
  discloser: discloserSchema.optional(),
  recipients: z.array(recipientSchema).max(50).default([]),
  purposes: z.array(z.enum(codesOf(CONSENT_PURPOSES))).max(10).default([]),
  /** Categories of information covered (§2.31(a)(3): how much and what kind). */
  dataCategories: z.array(z.enum(codesOf(DATA_CATEGORIES))).max(20).default([]),
  /** The same in the consent form's words. */
  informationDescription: longTextSchema.optional(),
  /** When the consent is in effect. */
  period: periodSchema,
  expiration: expirationSchema.optional(),
  /** The form states the right to revoke and its exceptions (§2.31(a)(6)). */
  rightToRevokeStatement: z.boolean().default(false),
  /** The notice prohibiting redisclosure accompanies disclosures (§2.32). */
  redisclosureNotice: z.boolean().default(false),
  signature: consentSignatureSchema.optional(),
  revocation: revocationSchema.optional(),
});
/** A consent record. */
export type Consent = z.output<typeof consentSchema>;

const PART2 = '42 CFR §2.31';

const consentRules: Rule<Consent>[] = [
  {
    code: 'period.end-before-start',
    severity: 'error',
    message: 'period.end must not be before period.start',
    check: (c, report) => {
      if (c.period.end !== undefined && c.period.end < c.period.start) report(['period', 'end']);
    },
  },
  {
    code: 'consent.signature-missing',
    severity: 'error',
    message: 'An active or revoked consent must carry its signature (signer, date signed)',
    source: `${PART2}(a)(8)-(9)`,
    check: (c, report) => {
      if ((c.status === 'active' || c.status === 'revoked') && c.signature === undefined) report(['signature']);
    },
  },
  {
    code: 'consent.expiry-before-signature',
    severity: 'error',
    message: 'expiration.date must be after the date signed',
    check: (c, report) => {
      if (c.expiration?.date !== undefined && c.signature && c.expiration.date <= datePart(c.signature.signedAt)) {
        report(['expiration', 'date']);
      }
    },
  },
  {
    code: 'consent.period-after-expiry',
    severity: 'error',
    message: 'period.end must not be after expiration.date',
    check: (c, report) => {
      const expires = c.expiration?.date;
      if (expires !== undefined && c.period.end !== undefined && c.period.end > expires) report(['period', 'end']);
    },
  },
  {
    code: 'consent.revocation-missing',
    severity: 'error',
    message: 'A revoked consent must record revocation.date',
    source: '42 CFR §2.31(a)(6) (right to revoke)',
    check: (c, report) => {
      if (c.status === 'revoked' && c.revocation === undefined) report(['revocation']);
    },
  },
  {
    code: 'consent.revocation-status-mismatch',
    severity: 'error',
    message: 'revocation is set but status is not revoked',
    check: (c, report) => {
      if (c.revocation !== undefined && c.status !== 'revoked') report(['status']);
    },
  },
  {
    code: 'consent.revoked-before-signed',
    severity: 'error',
    message: 'revocation.date must not be before the date signed',
    check: (c, report) => {
      if (c.revocation && c.signature && instantMs(c.revocation.date) < instantMs(c.signature.signedAt)) {
        report(['revocation', 'date']);
      }
    },
  },
  {
    code: 'consent.effective-before-signed',
    severity: 'warning',
    message: 'period.start is before the date signed: a consent cannot authorize earlier disclosures',
    check: (c, report) => {
      if (c.signature && c.period.start < datePart(c.signature.signedAt)) report(['period', 'start']);
    },
  },
  {
    code: 'consent.recipient-incomplete',
    severity: 'error',
    message: 'A named recipient needs a name or identifier; a general designation needs a description',
    source: `${PART2}(a)(4)`,
    check: (c, report) => {
      c.recipients.forEach((r, i) => {
        const named = r.name !== undefined || r.identifier !== undefined;
        if (r.type === 'general-designation' ? r.description === undefined : !named) report(['recipients', i]);
      });
    },
  },
  {
    code: 'consent.tpo-purpose',
    severity: 'error',
    message: 'A part2-tpo consent covers treatment, payment and health care operations only',
    source: '42 CFR §2.33(b) (2024 rule: single consent for all future uses for TPO)',
    check: (c, report) => {
      if (c.consentKind !== 'part2-tpo') return;
      c.purposes.forEach((p, i) => {
        if (p !== 'treatment' && p !== 'payment' && p !== 'operations') report(['purposes', i]);
      });
    },
  },
];

/**
 * Validates a `consent` record.
 *
 * @param input - any value, typically one parsed NDJSON line
 * @returns the consent, or issues naming each invalid field
 */
export const parseConsent: (input: unknown) => Result<Consent> = createParser(consentSchema, consentRules);

/**
 * `true` when a consent is in force at a date or an instant: active (or revoked only later), signed
 * by then, inside its period and not past its expiration date. At a date (`YYYY-MM-DD`) the
 * signature and revocation count by their date part (signed that day counts, revoked that day does
 * not); at a date-time they count as instants.
 *
 * @param consent - a consent record
 * @param at - `YYYY-MM-DD` or an ISO date-time with offset
 * @returns whether the consent authorizes disclosures at `at`
 * @example
 * isConsentInForce(consent, '2026-03-14'); // true for an active, signed consent whose period covers the date
 * See: 42 CFR §2.31(a)(6)-(9) (revocation, expiration, signature, date signed)
 */
export function isConsentInForce(consent: Consent, at: string): boolean {
  const { signature, revocation, expiration, period } = consent;
  if ((consent.status !== 'active' && consent.status !== 'revoked') || signature === undefined) return false;
  if (consent.status === 'revoked' && revocation === undefined) return false;
  const day = datePart(at);
  const instant = at.length > 10;
  const signed = instant ? Date.parse(signature.signedAt) <= Date.parse(at) : datePart(signature.signedAt) <= day;
  const revoked = revocation !== undefined && (instant ? Date.parse(revocation.date) <= Date.parse(at) : datePart(revocation.date) <= day);
  return signed && !revoked && covers(day, period.start, period.end) && (expiration?.date === undefined || day <= expiration.date);
}
