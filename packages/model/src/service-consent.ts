/**
 * Service consent: a peer's consent to receive a service — as Medicare requires before principal
 * illness navigation – peer support (G0140/G0146: written or verbal, documented in the record) and as
 * some Medicaid plans require. It is not a disclosure consent (`consent` records say who may receive
 * the peer's information): consenting to a service discloses nothing, and a disclosure consent is not
 * consent to a service.
 *
 * See: reference/billing.md §2.1 (PIN consent, [S16]); CY2024 Medicare PFS final rule (PIN)
 */
import { z } from 'zod';
import { covers } from './calendar';
import { codesOf, CONSENT_STATUSES } from './codes';
import { consentSignatureSchema, idSchema, periodSchema } from './common';
import { revocationSchema } from './consent';
import { createParser, datePart, type Rule } from './internal/rules';
import type { Result } from './result';

/** Schema of a `service-consent` record. */
export const serviceConsentSchema = z.strictObject({
  kind: z.literal('service-consent'),
  id: idSchema,
  peerId: idSchema,
  /** The program the service is delivered in; any program of the peer when absent. */
  programId: idSchema.optional(),
  /** HCPCS codes of the services consented to (e.g. `G0140`, `G0146`); every peer support service when empty. */
  services: z.array(z.string().regex(/^[A-Z0-9]{5}$/, { error: 'Must be a HCPCS code (5 letters or digits)' })).max(20).default([]),
  /** `active`, `draft` (not yet given), `rejected` (the peer declined) or `revoked`. */
  status: z.enum(codesOf(CONSENT_STATUSES)),
  /** When the consent is in effect. */
  period: periodSchema,
  /** Who gave it, when and how: written (`wet`, `electronic`) or `verbal`, documented. */
  signature: consentSignatureSchema.optional(),
  /** Specialist who documented it. */
  documentedBy: idSchema.optional(),
  /** The peer was told that cost sharing applies (Medicare coinsurance) and that they may stop at any time. */
  costSharingExplained: z.boolean().default(false),
  revocation: revocationSchema.optional(),
});
/** A service consent record. */
export type ServiceConsent = z.output<typeof serviceConsentSchema>;

const serviceConsentRules: Rule<ServiceConsent>[] = [
  {
    code: 'period.end-before-start',
    severity: 'error',
    message: 'period.end must not be before period.start',
    check: (c, report) => {
      if (c.period.end !== undefined && c.period.end < c.period.start) report(['period', 'end']);
    },
  },
  {
    code: 'service-consent.signature-missing',
    severity: 'error',
    message: 'An active or revoked service consent says when and how it was given (signature)',
    check: (c, report) => {
      if ((c.status === 'active' || c.status === 'revoked') && c.signature === undefined) report(['signature']);
    },
  },
  {
    code: 'service-consent.revocation-missing',
    severity: 'error',
    message: 'A revoked service consent has a revocation date',
    check: (c, report) => {
      if (c.status === 'revoked' && c.revocation === undefined) report(['revocation']);
    },
  },
  {
    code: 'service-consent.revocation-status-mismatch',
    severity: 'error',
    message: 'A revocation is recorded but the status is not revoked',
    check: (c, report) => {
      if (c.revocation !== undefined && c.status !== 'revoked') report(['status']);
    },
  },
];

/**
 * Validates a `service-consent` record.
 *
 * @param input - any value, typically one parsed NDJSON line
 * @returns the service consent, or issues naming each invalid field
 * @example
 * parseServiceConsent({ kind: 'service-consent', id: 'sc-1', peerId: 'peer-1', status: 'active', period: { start: '2026-01-05' },
 *   services: ['G0140', 'G0146'], signature: { signer: 'peer', signedAt: '2026-01-05T10:00:00-05:00', method: 'verbal' } }).ok; // true
 */
export const parseServiceConsent: (input: unknown) => Result<ServiceConsent> = createParser(serviceConsentSchema, serviceConsentRules);

/**
 * `true` when a service consent covers a service on a date: given (active, or revoked only later) by
 * then, inside its period, and for the service's code (or for every service).
 *
 * @param consent - a service consent record
 * @param date - the date of service, `YYYY-MM-DD`
 * @param code - the service's HCPCS code; any code when absent
 * @returns whether the peer had consented to the service on that date
 * @example
 * isServiceConsentInForce(consent, '2026-02-10', 'G0140');
 * See: reference/billing.md §2.1 [S16]
 */
export function isServiceConsentInForce(consent: ServiceConsent, date: string, code?: string): boolean {
  const { signature, revocation, period } = consent;
  if ((consent.status !== 'active' && consent.status !== 'revoked') || signature === undefined) return false;
  if (consent.status === 'revoked' && (revocation === undefined || datePart(revocation.date) <= date)) return false;
  if (datePart(signature.signedAt) > date || !covers(date, period.start, period.end)) return false;
  return code === undefined || consent.services.length === 0 || consent.services.includes(code);
}
