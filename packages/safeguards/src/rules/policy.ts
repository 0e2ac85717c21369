/**
 * The policy object of the boundary and scope rules: thresholds, term lists, working hours and
 * disabled rules. Every field has a default; most defaults are PeerKit policy defaults (a program
 * sets its own), and the README says which come from a source.
 */
import { fail, ok, type Issue, type IssueSeverity, type Result } from '@peerkit/model';
import { z } from 'zod';
import { fromZodIssues } from '@peerkit/model';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Must be a time HH:MM (24-hour)' });
const terms = z.array(z.string().min(2).max(100)).max(500);

const policySchema = z.strictObject({
  /** Rule ids to skip. */
  disabledRules: z.array(z.string().min(1).max(100)).max(200).default([]),
  /** Severity per rule id, replacing the catalog's. */
  severity: z.record(z.string().min(1).max(100), z.enum(['error', 'warning', 'information'])).default({}),
  /** Extra terms for the text rules (added to the built-in lists, matched whole-word, case-insensitive). */
  terms: z
    .strictObject({
      diagnoses: terms.default([]),
      medications: terms.default([]),
      crisis: terms.default([]),
      clinicalLanguage: terms.default([]),
    })
    .default({ diagnoses: [], medications: [], crisis: [], clinicalLanguage: [] }),
  /** When contacts are expected. Days: 0 = Sunday … 6 = Saturday. */
  workingHours: z
    .strictObject({
      days: z.array(z.int().min(0).max(6)).min(1).max(7).default([1, 2, 3, 4, 5]),
      start: time.default('08:00'),
      end: time.default('20:00'),
      /** Crisis contacts are not flagged outside hours. */
      exemptCrisis: z.boolean().default(true),
    })
    .default({ days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00', exemptCrisis: true }),
  workload: z
    .strictObject({
      /** Replaces every specialist's own caseloadLimit when set. */
      caseloadLimit: z.int().positive().max(1000).optional(),
      /** Most completed one-on-one contacts with the same peer on one day. */
      maxContactsPerPeerPerDay: z.int().positive().max(50).default(2),
    })
    .default({ maxContactsPerPeerPerDay: 2 }),
  credential: z
    .strictObject({
      /** Warn this many days before a certification expires. */
      expiringWithinDays: z.int().min(0).max(730).default(60),
      /** Report a lapsed certification (next to a current one) for this many days after it expired. */
      lapsedWithinDays: z.int().min(0).max(3650).default(365),
      /** Continuing-education hours required in each window. */
      ceHoursRequired: z.number().min(0).max(500).default(20),
      /** Of which ethics hours. */
      ceEthicsHoursRequired: z.number().min(0).max(100).default(0),
      /** The window, in months. */
      ceWindowMonths: z.int().min(1).max(60).default(24),
    })
    .default({ expiringWithinDays: 60, lapsedWithinDays: 365, ceHoursRequired: 20, ceEthicsHoursRequired: 0, ceWindowMonths: 24 }),
  supervision: z
    .strictObject({
      /** Most days between supervision contacts. */
      maxDaysBetween: z.int().min(1).max(365).default(30),
    })
    .default({ maxDaysBetween: 30 }),
  documentation: z
    .strictObject({
      /** Hours after the contact ends by which the note must be signed. */
      signatureDeadlineHours: z.int().min(1).max(24 * 60).default(72),
      /** Days after enrollment before an encounter needs an active recovery plan. */
      planGraceDays: z.int().min(0).max(365).default(30),
      /**
       * The signatures that make a plan agreed although its status still says `draft`: a draft
       * carrying all of them (a guardian's counts for the peer's), signed on or before a contact
       * inside its period, puts that contact under a plan. Empty: a draft never counts.
       * Default `['peer', 'specialist']` (PA OMHSAS-09-07 also requires a mental health
       * professional's: add `'clinician'`).
       */
      signedDraftCountsWith: z.array(z.enum(['peer', 'specialist', 'clinician'])).max(3).default(['peer', 'specialist']),
    })
    .default({ signatureDeadlineHours: 72, planGraceDays: 30, signedDraftCountsWith: ['peer', 'specialist'] }),
  /** Whether specialists may drive peers in their own vehicle. */
  personalVehicleTransport: z.enum(['allowed', 'forbidden']).default('forbidden'),
  /** Count historical crisis mentions ("years ago", "history of") as crisis indicators. */
  crisisIncludesHistory: z.boolean().default(false),
});

/** A validated policy, every field filled in. */
export type Policy = z.output<typeof policySchema>;
/** A policy as written (JSON): every field optional. */
export type PolicyInput = z.input<typeof policySchema>;

/** The defaults: `parsePolicy({})`. */
export const DEFAULT_POLICY: Policy = policySchema.parse({});

/**
 * Validates a policy and fills in the defaults. Unknown rule ids in `disabledRules` or `severity`
 * are reported when `ruleIds` is given.
 *
 * @param input - the policy, typically parsed JSON
 * @param ruleIds - the ids of the rule catalog (default: not checked)
 * @returns the complete policy, or issues naming each invalid field (never its value)
 * @example
 * const policy = parsePolicy({ workingHours: { days: [1, 2, 3, 4, 5, 6] }, disabledRules: ['workload.outside-hours'] });
 */
export function parsePolicy(input: unknown, ruleIds?: readonly string[]): Result<Policy> {
  const parsed = policySchema.safeParse(input);
  if (!parsed.success) return fail(fromZodIssues(parsed.error.issues, input));
  const issues: Issue[] = [];
  const policy = parsed.data;
  if (policy.workingHours.end <= policy.workingHours.start) {
    issues.push({ severity: 'error', code: 'policy.hours-reversed', path: ['workingHours', 'end'], message: 'workingHours.end must be after workingHours.start' });
  }
  if (policy.credential.ceEthicsHoursRequired > policy.credential.ceHoursRequired) {
    issues.push({
      severity: 'error',
      code: 'policy.ethics-over-total',
      path: ['credential', 'ceEthicsHoursRequired'],
      message: 'credential.ceEthicsHoursRequired must not exceed credential.ceHoursRequired',
    });
  }
  if (ruleIds) {
    policy.disabledRules.forEach((id, i) => {
      if (!ruleIds.includes(id)) issues.push({ severity: 'error', code: 'policy.unknown-rule', path: ['disabledRules', i], message: 'disabledRules names a rule id that is not in the catalog' });
    });
    for (const id of Object.keys(policy.severity)) {
      if (!ruleIds.includes(id)) issues.push({ severity: 'error', code: 'policy.unknown-rule', path: ['severity', id], message: 'severity names a rule id that is not in the catalog' });
    }
  }
  return issues.length > 0 ? fail(issues) : ok(policy);
}

/** The severity a rule reports with under a policy. */
export function severityFor(policy: Policy, rule: { id: string; severity: IssueSeverity }): IssueSeverity {
  return policy.severity[rule.id] ?? rule.severity;
}
