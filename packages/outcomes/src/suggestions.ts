/**
 * Recovery-plan goal suggestions from low BARC-10 answers. A suggestion is data for the specialist:
 * a question to ask and an example in first person that the peer replaces with their own words. It is
 * never applied by itself: {@link acceptGoalSuggestion} adds a goal only with the peer's own text.
 */
import { fail, parseRecoveryPlan, type Issue, type RecoveryDomain, type RecoveryPlan, type Result } from '@peerkit/model';
import type { InstrumentDefinition } from './instrument';
import type { InstrumentScore } from './score';

/** A suggested goal: where it comes from, a question and an example, and what the plan already has. */
export interface GoalSuggestion {
  readonly instrumentId: string;
  /** The item with the low answer. */
  readonly linkId: string;
  /** The item's short label. */
  readonly label: string;
  /** The instrument's domain of the item (BARC-10: its ARC subscale). */
  readonly domain?: string;
  /** The recovery-plan domain the goal would be in. */
  readonly recoveryDomain: RecoveryDomain;
  /** The answer that triggered it. */
  readonly value: number;
  /** A question the specialist can ask, to hear the goal in the peer's words. */
  readonly prompt: string;
  /** An example goal in first person; the peer's own words replace it. */
  readonly example: string;
  /** Ids of the plan's open goals already in this recovery domain. */
  readonly existingGoalIds: readonly string[];
  /** `QuestionnaireResponse.id` of the scored response, when it had one. */
  readonly responseId?: string;
  /** The plan's peer, when a plan was given. */
  readonly peerId?: string;
}

/** Options of {@link suggestPlanGoals}. */
export interface SuggestGoalsOptions {
  /** An answer at or below this is low. Default 3: the disagree half of the BARC-10 1–6 scale. */
  lowAtOrBelow?: number;
  /** The peer's current plan: its open goals in the same domain are listed with each suggestion. Default: none. */
  plan?: RecoveryPlan;
  /** Most suggestions, lowest answers first. Default: all. */
  max?: number;
}

/** Prompts and examples by ARC domain (BARC-10 items), in plain words a peer would use. */
const BY_DOMAIN: Readonly<Record<string, readonly [prompt: string, example: string]>> = {
  'substance-use-and-sobriety': ['Besides using, what matters most to you right now?', 'I want to spend my time on what matters to me, like …'],
  'psychological-health': ['What would make your days feel better?', 'I want to feel more at peace with my life.'],
  'physical-health': ['What would give you more energy day to day?', 'I want enough energy to get through my day.'],
  'citizenship-and-community': ['Where do you feel you belong, or would like to?', 'I want to feel part of my neighborhood.'],
  'social-support': ['Who could you lean on, and who would you like in your corner?', 'I want people around me who back my recovery.'],
  'meaningful-activities': ['What would make your life feel full without alcohol or drugs?', 'I want to do things that feel worthwhile to me.'],
  'housing-and-safety': ['What would make where you live better for your recovery?', 'I want a place to live where I feel safe and can stay well.'],
  'risk-taking': ['Which choices would you like to feel more in charge of?', 'I want to feel in charge of the choices I make.'],
  'coping-and-life-functioning': ['Which appointments or services feel hard to deal with?', 'I want to feel comfortable dealing with services and appointments.'],
  'recovery-experience': ['What would progress look like to you?', 'I want to see for myself that I am moving forward.'],
};

/** Prompts and examples by recovery domain, for items of a program's instrument without an ARC domain. */
const BY_RECOVERY_DOMAIN: Readonly<Record<RecoveryDomain, readonly [prompt: string, example: string]>> = {
  health: ['What would help you feel well, in body and mind?', 'I want to take care of my health in a way that works for me.'],
  home: ['What would make your home a better place for your recovery?', 'I want a safe, steady place to live.'],
  purpose: ['What would make your days feel meaningful?', 'I want to spend my days doing something that matters to me.'],
  community: ['Who and where do you want to be connected to?', 'I want people and places where I belong.'],
};

/**
 * Suggests recovery-plan goals from the low answers of a score (items that name a recovery domain:
 * all ten BARC-10 items). Lowest answers first; ties in the instrument's order.
 *
 * @param score - from `scoreQuestionnaireResponse`
 * @param instrument - the instrument it was scored with (e.g. `BARC_10`)
 * @param options - what counts as low, the current plan, how many
 * @returns suggestions; empty when nothing is low
 * @example
 * for (const s of suggestPlanGoals(score, BARC_10, { plan })) console.log(s.recoveryDomain, s.prompt);
 */
export function suggestPlanGoals(score: InstrumentScore, instrument: InstrumentDefinition, options: SuggestGoalsOptions = {}): GoalSuggestion[] {
  const low = options.lowAtOrBelow ?? 3;
  const plan = options.plan;
  const values = new Map(score.items.map((item) => [item.linkId, item.value]));
  const out: GoalSuggestion[] = [];
  for (const item of instrument.items) {
    const value = values.get(item.linkId);
    if (value === undefined || value > low || item.recoveryDomain === undefined) continue;
    const domain = item.recoveryDomain;
    const [prompt, example] = (item.domain !== undefined ? BY_DOMAIN[item.domain] : undefined) ?? BY_RECOVERY_DOMAIN[domain];
    const suggestion: { -readonly [K in keyof GoalSuggestion]: GoalSuggestion[K] } = {
      instrumentId: instrument.id,
      linkId: item.linkId,
      label: item.label,
      recoveryDomain: domain,
      value,
      prompt,
      example,
      existingGoalIds: plan ? plan.goals.filter((g) => g.domain === domain && (g.status === 'active' || g.status === 'proposed' || g.status === 'on-hold')).map((g) => g.id) : [],
    };
    if (item.domain !== undefined) suggestion.domain = item.domain;
    if (score.responseId !== undefined) suggestion.responseId = score.responseId;
    if (plan) suggestion.peerId = plan.peerId;
    out.push(suggestion);
  }
  out.sort((a, b) => a.value - b.value);
  return options.max === undefined ? out : out.slice(0, options.max);
}

/** What the specialist and peer decided when accepting a suggestion. */
export interface GoalAcceptance {
  /** Id of the new goal, unique in the plan. */
  goalId: string;
  /** The goal in the peer's own words (required: the example is never used). */
  text: string;
  /** Goal status. Default `proposed`. */
  status?: 'proposed' | 'active';
  /** Start date (`YYYY-MM-DD`). Default: none. */
  start?: string;
  /** Target date (`YYYY-MM-DD`), inside the plan period. Default: none. */
  target?: string;
}

/**
 * Adds an accepted suggestion to a plan as a new goal in the suggestion's recovery domain, with the
 * peer's own words. Returns a new plan (the input is not changed), validated like any plan.
 *
 * @param plan - the peer's recovery plan
 * @param suggestion - from {@link suggestPlanGoals}
 * @param acceptance - goal id, the peer's words, status and dates
 * @returns the plan with the goal, or issues (`outcomes.suggestion-*`, or the plan's own)
 * @example
 * const r = acceptGoalSuggestion(plan, s, { goalId: 'g-home-2', text: 'Find a sober living place near my job' });
 */
export function acceptGoalSuggestion(plan: RecoveryPlan, suggestion: GoalSuggestion, acceptance: GoalAcceptance): Result<RecoveryPlan> {
  const issues: Issue[] = [];
  if (acceptance.text.trim() === '') issues.push({ severity: 'error', code: 'outcomes.suggestion-goal-text', path: ['text'], message: "text must hold the goal in the peer's own words" });
  if (plan.goals.some((g) => g.id === acceptance.goalId)) issues.push({ severity: 'error', code: 'outcomes.suggestion-goal-id', path: ['goalId'], message: 'goalId is already used in the plan' });
  if (suggestion.peerId !== undefined && suggestion.peerId !== plan.peerId) {
    issues.push({ severity: 'error', code: 'outcomes.suggestion-plan-mismatch', path: ['peerId'], message: "The suggestion was made for another peer than the plan's" });
  }
  if (issues.length > 0) return fail(issues);
  const goal: RecoveryPlan['goals'][number] = {
    id: acceptance.goalId,
    text: acceptance.text,
    domain: suggestion.recoveryDomain,
    status: acceptance.status ?? 'proposed',
    ...(acceptance.start !== undefined ? { start: acceptance.start } : {}),
    ...(acceptance.target !== undefined ? { target: acceptance.target } : {}),
  };
  return parseRecoveryPlan({ ...plan, goals: [...plan.goals, goal] });
}
