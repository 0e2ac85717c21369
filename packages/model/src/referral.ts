/**
 * Referral: linkage to a community resource, a crisis service (988, mobile crisis) or a clinical
 * service, tracked to closure (Gravity SDOH closed-loop pattern).
 */
import { z } from 'zod';
import {
  codesOf,
  REFERRAL_CATEGORIES,
  REFERRAL_OUTCOMES,
  REFERRAL_STATUSES,
  REFERRAL_TARGET_TYPES,
  REFERRAL_URGENCIES,
} from './codes';
import { dateTimeSchema, idSchema, longTextSchema, phoneSchema, shortTextSchema } from './common';
import { instantMs } from './internal/instant';
import { createParser, type Rule } from './internal/rules';
import type { Result } from './result';

/** The service the peer is referred to. */
export const referralTargetSchema = z.strictObject({
  type: z.enum(codesOf(REFERRAL_TARGET_TYPES)),
  category: z.enum(codesOf(REFERRAL_CATEGORIES)),
  organizationName: shortTextSchema,
  phone: phoneSchema.optional(),
});
/** A referral target. */
export type ReferralTarget = z.output<typeof referralTargetSchema>;

/** Schema of a `referral` record. */
export const referralSchema = z.strictObject({
  kind: z.literal('referral'),
  id: idSchema,
  peerId: idSchema,
  specialistId: idSchema,
  created: dateTimeSchema,
  target: referralTargetSchema,
  reason: longTextSchema.optional(),
  urgency: z.enum(codesOf(REFERRAL_URGENCIES)),
  status: z.enum(codesOf(REFERRAL_STATUSES)),
  /** Plan and goal this referral works toward. */
  planId: idSchema.optional(),
  goalId: idSchema.optional(),
  /** Consent under which the peer's information is shared with the service. */
  consentId: idSchema.optional(),
  /** Encounter during which the referral was made. */
  encounterId: idSchema.optional(),
  closedAt: dateTimeSchema.optional(),
  outcome: z.enum(codesOf(REFERRAL_OUTCOMES)).optional(),
  /** Why the referral is in its status (required by the Gravity Task when a reason is sent). */
  statusReason: shortTextSchema.optional(),
});
/** A referral record. */
export type Referral = z.output<typeof referralSchema>;

const CLOSED = new Set(['completed', 'failed', 'cancelled', 'rejected']);

const referralRules: Rule<Referral>[] = [
  {
    code: 'referral.closure-missing',
    severity: 'error',
    message: 'A closed referral (completed, failed, cancelled, rejected) needs closedAt',
    check: (r, report) => {
      if (CLOSED.has(r.status) && r.closedAt === undefined) report(['closedAt']);
    },
  },
  {
    code: 'referral.closed-while-open',
    severity: 'error',
    message: 'closedAt is set but status is still open',
    check: (r, report) => {
      if (!CLOSED.has(r.status) && r.closedAt !== undefined) report(['closedAt']);
    },
  },
  {
    code: 'referral.closed-before-created',
    severity: 'error',
    message: 'closedAt must not be before created',
    check: (r, report) => {
      if (r.closedAt !== undefined && instantMs(r.closedAt) < instantMs(r.created)) report(['closedAt']);
    },
  },
  {
    code: 'referral.outcome-missing',
    severity: 'warning',
    message: 'A completed referral should record its outcome (closing the loop)',
    check: (r, report) => {
      if (r.status === 'completed' && r.outcome === undefined) report(['outcome']);
    },
  },
  {
    code: 'referral.crisis-routine',
    severity: 'warning',
    message: 'A referral to a crisis service should not be routine urgency',
    check: (r, report) => {
      if (r.target.type === 'crisis-service' && r.urgency === 'routine') report(['urgency']);
    },
  },
  {
    code: 'referral.goal-without-plan',
    severity: 'error',
    message: 'goalId requires planId',
    check: (r, report) => {
      if (r.goalId !== undefined && r.planId === undefined) report(['planId']);
    },
  },
];

/**
 * Validates a `referral` record.
 *
 * @param input - any value, typically one parsed NDJSON line
 * @returns the referral, or issues naming each invalid field
 */
export const parseReferral: (input: unknown) => Result<Referral> = createParser(referralSchema, referralRules);
