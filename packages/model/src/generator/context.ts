/**
 * Working state of one generation (never shared between calls) and the small draws every builder uses.
 */
import type { RecoveryDomain, RoleLevel, SignatureMethod } from '../codes';
import type { Random } from '../internal/random';
import type { Peer } from '../peer';
import type { Specialist } from '../specialist';
import { DAY, type Clock } from './clock';
import { PROGRAMS } from './names-and-places';
import type { PlantedProblem, Resolved } from './options';

/** A specialist while the clinic is built: role, supervisor, languages and peers assigned. */
export interface SpecInfo {
  readonly index: number;
  readonly id: string;
  readonly role: RoleLevel;
  readonly supervisorId: string | undefined;
  readonly spanish: boolean;
  assigned: number;
  record?: Specialist;
}

interface PlanInfo {
  readonly id: string;
  readonly startDay: number;
  readonly endDay: number | undefined;
  /** Goals an encounter may address (proposed, active or on hold). */
  readonly workable: readonly { id: string; domain: RecoveryDomain }[];
}

interface ConsentInfo {
  readonly id: string;
  readonly from: number;
  readonly until: number;
}

/** A peer while the clinic is built: program, enrollment days, specialist, plan and consents in force. */
export interface PeerInfo {
  readonly index: number;
  readonly id: string;
  readonly youth: boolean;
  readonly program: (typeof PROGRAMS)[number];
  readonly enrollStart: number;
  readonly enrollEnd: number | undefined;
  readonly spec: SpecInfo;
  readonly record: Peer;
  plan?: PlanInfo;
  /** The plan before or after `plan` that covers the rest of the window (see `buildPlanHistory`). */
  otherPlan?: PlanInfo;
  consents: ConsentInfo[];
}

/** The state of one generation: the random stream, the clock, the options and what was built so far. */
export interface Ctx {
  readonly rng: Random;
  readonly clock: Clock;
  readonly o: Resolved;
  readonly specs: SpecInfo[];
  readonly supervisors: SpecInfo[];
  readonly peers: PeerInfo[];
  readonly planted: PlantedProblem[];
  readonly cancelRate: number;
  encounterSeq: number;
  groupSeq: number;
  referralSeq: number;
  consentSeq: number;
  encounterPlants: number;
  groupPlants: number;
}

const METHODS: readonly SignatureMethod[] = ['electronic', 'wet', 'verbal'];
const METHOD_WEIGHTS = [60, 30, 10];

/** A minute at or after `from`, within `days` days, in working hours (08:00 to 19:00) when it can be. */
export function workMinuteAfter(rng: Random, from: number, days: number): number {
  const t = (Math.floor(from / DAY) + rng.int(0, days)) * DAY + rng.int(8 * 60, 19 * 60);
  return t >= from ? t : from + rng.int(1, 60);
}

/** How a signature was given (mostly electronic). */
export function method(rng: Random): SignatureMethod {
  return rng.weighted(METHODS, METHOD_WEIGHTS);
}

/** Picks `min` to `max` distinct items of a short list. */
export function some<T>(rng: Random, items: readonly T[], min: number, max: number): T[] {
  return rng.sample(items, rng.int(min, max));
}

/** `true` when the peer is enrolled on `day`. */
export function isEnrolled(peer: PeerInfo, day: number): boolean {
  return day >= peer.enrollStart && (peer.enrollEnd === undefined || day <= peer.enrollEnd);
}

/** The peer's recovery plan in force on `day`, if any. */
export function planOn(peer: PeerInfo, day: number): PlanInfo | undefined {
  const plan = peer.plan;
  if (!plan || day < plan.startDay || (plan.endDay !== undefined && day > plan.endDay)) return undefined;
  return plan;
}

/**
 * The id of the peer's plan in force on `day`: the plan a draft renews (it stays in force while the
 * draft is written) or the plan that followed a completed one, else the main plan when its period
 * covers the day. (Only the main plan's goals are worked on in encounters.)
 */
export function planIdOn(peer: PeerInfo, day: number): string | undefined {
  const covering = (p: PlanInfo | undefined): p is PlanInfo => p !== undefined && day >= p.startDay && (p.endDay === undefined || day <= p.endDay);
  if (covering(peer.otherPlan)) return peer.otherPlan.id;
  return covering(peer.plan) ? peer.plan.id : undefined;
}

/** The id of a consent of the peer in force at `minute`, if any. */
export function consentAt(peer: PeerInfo, minute: number): string | undefined {
  for (const c of peer.consents) if (c.from <= minute && minute < c.until) return c.id;
  return undefined;
}
