/**
 * RecoveryPlan: the person-directed plan, with goals in the peer's own words, steps, supports,
 * a crisis/safety plan and signatures.
 */
import { z } from 'zod';
import {
  codesOf,
  GOAL_ACHIEVEMENTS,
  GOAL_STATUSES,
  PLAN_STATUSES,
  RECOVERY_DOMAINS,
  STEP_OWNERS,
  STEP_STATUSES,
  SUPPORT_ROLES,
} from './codes';
import {
  contactSchema,
  dateSchema,
  dateTimeSchema,
  idSchema,
  longTextSchema,
  periodSchema,
  phoneSchema,
  shortTextSchema,
  signatureSchema,
} from './common';
import { instantMs } from './internal/instant';
import { createParser, datePart, duplicateIndexes, type Rule } from './internal/rules';
import type { Result } from './result';

/** A recovery goal, in the peer's own words. */
export const goalSchema = z.strictObject({
  /** Unique within the plan. */
  id: idSchema,
  /** The goal as the peer said it. */
  text: longTextSchema,
  domain: z.enum(codesOf(RECOVERY_DOMAINS)),
  status: z.enum(codesOf(GOAL_STATUSES)),
  achievement: z.enum(codesOf(GOAL_ACHIEVEMENTS)).optional(),
  start: dateSchema.optional(),
  /** Target date. */
  target: dateSchema.optional(),
  /** What success looks like, in measurable terms where the peer wants that. */
  measure: longTextSchema.optional(),
});
/** A recovery goal. */
export type Goal = z.output<typeof goalSchema>;

/** A step toward a goal, with its owner and due date. */
export const stepSchema = z.strictObject({
  id: idSchema,
  goalId: idSchema,
  description: longTextSchema,
  owner: z.enum(codesOf(STEP_OWNERS)),
  due: dateSchema.optional(),
  status: z.enum(codesOf(STEP_STATUSES)),
  completedOn: dateSchema.optional(),
});
/** A plan step. */
export type Step = z.output<typeof stepSchema>;

/** A person or group that supports the peer's recovery. */
export const supportSchema = z.strictObject({
  name: shortTextSchema,
  role: z.enum(codesOf(SUPPORT_ROLES)),
  phone: phoneSchema.optional(),
});
/** A support. */
export type Support = z.output<typeof supportSchema>;

/** The crisis and safety plan (Stanley–Brown style sections). */
export const crisisPlanSchema = z.strictObject({
  warningSigns: z.array(longTextSchema).min(1).max(30),
  copingStrategies: z.array(longTextSchema).min(1).max(30),
  /** People and places that help as distraction or support. */
  contacts: z.array(contactSchema).max(30).default([]),
  /** Professionals and crisis lines, e.g. 988. */
  professionalContacts: z.array(contactSchema).max(30).default([]),
  /** Steps to make the environment safer. */
  safeEnvironment: z.array(longTextSchema).max(30).default([]),
  reviewed: dateSchema,
});
/** A crisis/safety plan. */
export type CrisisPlan = z.output<typeof crisisPlanSchema>;

/** Schema of a `recovery-plan` record. */
export const recoveryPlanSchema = z.strictObject({
  kind: z.literal('recovery-plan'),
  id: idSchema,
  peerId: idSchema,
  specialistId: idSchema,
  programId: idSchema.optional(),
  status: z.enum(codesOf(PLAN_STATUSES)),
  created: dateTimeSchema,
  period: periodSchema,
  reviewDue: dateSchema.optional(),
  strengths: z.array(longTextSchema).max(30).default([]),
  goals: z.array(goalSchema).min(1).max(30),
  steps: z.array(stepSchema).max(200).default([]),
  supports: z.array(supportSchema).max(50).default([]),
  crisisPlan: crisisPlanSchema.optional(),
  signatures: z.array(signatureSchema).max(10).default([]),
});
/** A recovery plan record. */
export type RecoveryPlan = z.output<typeof recoveryPlanSchema>;

const inPeriod = (date: string, start: string, end: string | undefined): boolean =>
  date >= start && (end === undefined || date <= end);

const recoveryPlanRules: Rule<RecoveryPlan>[] = [
  {
    code: 'period.end-before-start',
    severity: 'error',
    message: 'period.end must not be before period.start',
    check: (p, report) => {
      if (p.period.end !== undefined && p.period.end < p.period.start) report(['period', 'end']);
    },
  },
  {
    code: 'plan.duplicate-id',
    severity: 'error',
    message: 'Goal and step ids must be unique within the plan',
    check: (p, report) => {
      for (const i of duplicateIndexes(p.goals, (g) => g.id)) report(['goals', i, 'id']);
      for (const i of duplicateIndexes(p.steps, (s) => s.id)) report(['steps', i, 'id']);
    },
  },
  {
    code: 'plan.goal-target-outside-period',
    severity: 'error',
    message: 'goals.target must fall inside the plan period',
    check: (p, report) => {
      p.goals.forEach((g, i) => {
        if (g.target !== undefined && !inPeriod(g.target, p.period.start, p.period.end)) report(['goals', i, 'target']);
      });
    },
  },
  {
    code: 'plan.goal-target-before-start',
    severity: 'error',
    message: 'goals.target must not be before goals.start',
    check: (p, report) => {
      p.goals.forEach((g, i) => {
        if (g.target !== undefined && g.start !== undefined && g.target < g.start) report(['goals', i, 'target']);
      });
    },
  },
  {
    code: 'plan.step-unknown-goal',
    severity: 'error',
    message: 'steps.goalId must name a goal of this plan',
    check: (p, report) => {
      const ids = new Set(p.goals.map((g) => g.id));
      p.steps.forEach((s, i) => {
        if (!ids.has(s.goalId)) report(['steps', i, 'goalId']);
      });
    },
  },
  {
    code: 'plan.step-due-outside-period',
    severity: 'warning',
    message: 'steps.due falls outside the plan period',
    check: (p, report) => {
      p.steps.forEach((s, i) => {
        if (s.due !== undefined && !inPeriod(s.due, p.period.start, p.period.end)) report(['steps', i, 'due']);
      });
    },
  },
  {
    code: 'plan.step-completion-mismatch',
    severity: 'error',
    message: 'steps.completedOn is set exactly when steps.status is completed',
    check: (p, report) => {
      p.steps.forEach((s, i) => {
        if ((s.status === 'completed') !== (s.completedOn !== undefined)) report(['steps', i, 'completedOn']);
      });
    },
  },
  {
    code: 'plan.review-before-start',
    severity: 'error',
    message: 'reviewDue must not be before period.start',
    check: (p, report) => {
      if (p.reviewDue !== undefined && p.reviewDue < p.period.start) report(['reviewDue']);
    },
  },
  {
    code: 'plan.signature-before-created',
    severity: 'error',
    message: 'signatures.signedAt must not be before created',
    check: (p, report) => {
      p.signatures.forEach((s, i) => {
        if (instantMs(s.signedAt) < instantMs(p.created)) report(['signatures', i, 'signedAt']);
      });
    },
  },
  {
    code: 'plan.peer-signature-missing',
    severity: 'warning',
    message: 'An active or completed plan should be signed by the peer (person-directed planning)',
    check: (p, report) => {
      const signedByPeer = p.signatures.some((s) => s.role === 'peer' || s.role === 'guardian');
      if ((p.status === 'active' || p.status === 'completed') && !signedByPeer) report(['signatures']);
    },
  },
  {
    code: 'plan.created-after-start',
    severity: 'information',
    message: 'created is after period.start (plan documented late)',
    check: (p, report) => {
      if (datePart(p.created) > p.period.start) report(['created']);
    },
  },
  {
    code: 'plan.crisis-plan-reviewed-before-created',
    severity: 'warning',
    message: 'crisisPlan.reviewed is before the plan was created',
    check: (p, report) => {
      if (p.crisisPlan && p.crisisPlan.reviewed < datePart(p.created)) report(['crisisPlan', 'reviewed']);
    },
  },
];

/**
 * Validates a `recovery-plan` record.
 *
 * @param input - any value, typically one parsed NDJSON line
 * @returns the plan, or issues naming each invalid field
 */
export const parseRecoveryPlan: (input: unknown) => Result<RecoveryPlan> = createParser(
  recoveryPlanSchema,
  recoveryPlanRules,
);
