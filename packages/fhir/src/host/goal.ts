/**
 * Goal → a goal of its CarePlan's recovery plan (the CarePlan reader takes those), or, for a Goal no
 * CarePlan of the input holds, a `goal` record of its own. Any author: `expressedBy` the Patient or not
 * (the MCC pattern marks patient-authored goals, but a plan goal does not need it). The recovery
 * domain comes from a Gravity SDOH category, else the profile default.
 *
 * See: https://hl7.org/fhir/R4/goal.html; US Core Goal; fhir-mapping.md §2.1 (SDOH categories, MCC
 * goal-acceptance); SAMHSA's working definition of recovery (health, home, purpose, community).
 */
import { GOAL_ACHIEVEMENTS, type GoalStatus, type RecoveryDomain } from '@peerkit/model';
import type { HostReadContext } from './internal/context';
import { dateOf, textOf, type HostTypeReader } from './internal/fields';
import type { HostEntry } from './internal/ingest';
import { codeIn, codings, lookup, obj, objs, str, type Json } from './internal/json';
import { SYSTEMS } from '../systems';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Elements of a Goal a recovery goal carries. */
export const GOAL_MAPPED = ['lifecycleStatus', 'achievementStatus', 'description', 'category', 'startDate', 'target', 'subject', 'expressedBy'] as const;

/** R4 `Goal.lifecycleStatus` → PeerKit goal status (`planned` is not yet active; `rejected` ends it). */
const STATUS: Readonly<Record<string, GoalStatus>> = {
  proposed: 'proposed',
  planned: 'proposed',
  accepted: 'active',
  active: 'active',
  'on-hold': 'on-hold',
  completed: 'completed',
  cancelled: 'cancelled',
  rejected: 'cancelled',
};

/** Gravity SDOH categories → recovery domain (a PeerKit mapping onto SAMHSA's four dimensions). */
const DOMAIN_OF_SDOH: Readonly<Record<string, RecoveryDomain>> = {
  'housing-instability': 'home',
  homelessness: 'home',
  'inadequate-housing': 'home',
  'food-insecurity': 'health',
  'employment-status': 'purpose',
  'educational-attainment': 'purpose',
  'financial-insecurity': 'purpose',
  'social-connection': 'community',
};

/** A goal read from a Goal, or why it cannot be read. */
export type GoalRead = { readonly goal: Json; readonly defaulted: string[] } | { readonly problem: string; readonly element: readonly string[] };

/** Reads a Goal (top-level or contained) into a recovery goal. */
export function goalOf(entry: HostEntry, cx: HostReadContext): GoalRead {
  const g = entry.resource;
  const status = lookup(STATUS, g.lifecycleStatus);
  if (status === undefined) return { problem: 'Goal: lifecycleStatus is missing or not an R4 code', element: ['lifecycleStatus'] };
  const description = obj(g.description);
  const text = textOf(description?.text, 20_000) ?? textOf(codings(description)[0]?.display, 20_000);
  if (text === undefined) return { problem: 'Goal: description has neither text nor a coding display', element: ['description'] };
  const id = str(g.id);
  const sdoh = codeIn(g.category, SYSTEMS.sdohTemporary);
  const domain = sdoh === undefined ? undefined : DOMAIN_OF_SDOH[sdoh];
  const achievement = codeIn(g.achievementStatus, SYSTEMS.goalAchievement);
  const start = dateOf(g.startDate);
  const target = dateOf(objs(g.target)[0]?.dueDate);
  const goal: Json = { id: id !== undefined && ID.test(id) ? id : cx.recordId(entry), text, domain: domain ?? cx.profile.defaults.goalDomain, status };
  // Optional fields in their place in the model's key order (a spread builds an object for each).
  if (achievement !== undefined && GOAL_ACHIEVEMENTS.some((a) => a.code === achievement)) goal.achievement = achievement;
  if (start !== undefined) goal.start = start;
  if (target !== undefined) goal.target = target;
  return { goal, defaulted: domain === undefined ? ['goal domain'] : [] };
}

/** Reads a Goal that no recovery plan took into a `goal` record. */
export const goalReader: HostTypeReader = {
  type: 'Goal',
  read(entry, cx) {
    const read = goalOf(entry, cx);
    if ('problem' in read) {
      cx.report('host.required-missing', entry, read.element, read.problem);
      return;
    }
    const peerId = cx.peerIdOf(entry.resource.subject, entry);
    if (peerId === undefined) {
      cx.report('host.required-missing', entry, ['subject'], 'Goal: subject is not a Patient reference');
      return;
    }
    cx.notePeerDate(peerId, read.goal.start);
    cx.emit('goal', entry, { peerId, goal: read.goal }, { mapped: GOAL_MAPPED, defaulted: read.defaulted });
  },
};
