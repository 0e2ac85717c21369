/**
 * CarePlan (+ its Goals, by reference or contained) → `recovery-plan` record, whoever wrote it (a
 * clinician's US Core CarePlan included). A CarePlan is a recovery plan when an activity carries a
 * peer-support or referral code of the import profile, or its category is one of the profile's
 * `recoveryPlanCategories`. A plan needs at least one goal in the input.
 *
 * See: https://hl7.org/fhir/R4/careplan.html; US Core CarePlan; MCC eCare Plan (fhir-mapping.md §1, §2.1).
 */
import type { PlanStatus } from '@peerkit/model';
import { GOAL_MAPPED, goalOf } from './goal';
import type { HostReadContext } from './internal/context';
import { dateOf, dateTimeOf, type HostTypeReader } from './internal/fields';
import type { HostEntry } from './internal/ingest';
import { lookup, obj, objs, type Json } from './internal/json';

/** Elements of a CarePlan the recovery plan carries. */
export const CARE_PLAN_MAPPED = ['status', 'intent', 'category', 'subject', 'period', 'created', 'author', 'goal', 'activity', 'contained', 'meta.lastUpdated'] as const;

/** R4 `CarePlan.status` → PeerKit plan status (`unknown` is read as a draft). */
const STATUS: Readonly<Record<string, PlanStatus>> = {
  draft: 'draft',
  active: 'active',
  'on-hold': 'on-hold',
  completed: 'completed',
  revoked: 'revoked',
};

function isRecoveryPlan(plan: Json, cx: HostReadContext): boolean {
  if (cx.match.recoveryPlanCategory(plan.category) !== undefined) return true;
  return objs(plan.activity).some((a) => {
    const code = obj(a.detail)?.code;
    return cx.match.peerSupport(code) !== undefined || cx.match.referral(code, undefined) !== undefined;
  });
}

function goalsOf(entry: HostEntry, cx: HostReadContext): { goals: Json[]; entries: HostEntry[]; defaulted: boolean } {
  const goals: Json[] = [];
  const entries: HostEntry[] = [];
  let defaulted = false;
  const references = objs(entry.resource.goal);
  for (let i = 0; i < references.length; i++) {
    const goal = cx.resolve(references[i], entry);
    if (goal === undefined || goal.type !== 'Goal' || entries.includes(goal)) continue;
    const read = goalOf(goal, cx);
    if ('problem' in read) {
      cx.report('host.element-skipped', entry, ['goal', i], `CarePlan.goal: ${read.problem}`);
      continue;
    }
    defaulted ||= read.defaulted.length > 0;
    goals.push(read.goal);
    entries.push(goal);
  }
  return { goals: goals.length > 30 ? goals.slice(0, 30) : goals, entries, defaulted };
}

/** Reads a recovery CarePlan with its Goals into a `recovery-plan` record. */
export const carePlanReader: HostTypeReader = {
  type: 'CarePlan',
  read(entry, cx) {
    const plan = entry.resource;
    if (!isRecoveryPlan(plan, cx)) {
      cx.report('host.not-peer-support', entry, ['activity'], 'CarePlan: no activity code or category the import profile marks as peer support or a recovery plan');
      return;
    }
    const status = lookup(STATUS, plan.status);
    const peerId = cx.peerIdOf(plan.subject, entry);
    const { goals, entries, defaulted: goalDomains } = goalsOf(entry, cx);
    if (peerId === undefined || goals.length === 0) {
      const missing = [...(peerId === undefined ? ['subject'] : []), ...(goals.length === 0 ? ['goal'] : [])];
      cx.report('host.required-missing', entry, [], `CarePlan: ${missing.join(' and ')} missing: a recovery plan needs its Patient and at least one Goal in the input`);
      return;
    }
    const defaulted: string[] = goalDomains ? ['goal domain'] : [];
    if (status === undefined) defaulted.push('status');
    const period = obj(plan.period);
    let created = dateTimeOf(plan.created) ?? dateTimeOf(obj(plan.meta)?.lastUpdated);
    const start = dateOf(period?.start) ?? dateOf(created);
    if (start === undefined) {
      cx.report('host.required-missing', entry, ['period', 'start'], 'CarePlan: neither period.start nor created is a date');
      return;
    }
    if (created === undefined) {
      created = `${start}T00:00:00Z`;
      defaulted.push('created');
    }
    let specialistId = cx.practitionerIdOf(plan.author, entry);
    if (specialistId === undefined) {
      specialistId = cx.profile.defaults.specialistId;
      defaulted.push('specialistId');
    }
    const end = dateOf(period?.end);
    cx.notePeerDate(peerId, start);
    cx.emit(
      'recovery-plan',
      entry,
      {
        kind: 'recovery-plan',
        id: cx.recordId(entry),
        peerId,
        specialistId,
        status: status ?? 'draft',
        created,
        period: end === undefined ? { start } : { start, end },
        strengths: [],
        goals,
        steps: [],
        supports: [],
        signatures: [],
      },
      { mapped: CARE_PLAN_MAPPED, parts: entries.map((goal) => ({ entry: goal, mapped: GOAL_MAPPED })), defaulted },
    );
  },
};
