import type { RecoveryPlan } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { allAt, responseOf } from './__fixtures__/fhir';
import { BARC_10 } from './instruments/barc-10';
import { PHQ_9 } from './instruments/phq-9';
import { scoreQuestionnaireResponse, type InstrumentScore } from './score';
import { acceptGoalSuggestion, suggestPlanGoals } from './suggestions';

function barc(values: Record<string, number>): InstrumentScore {
  const result = scoreQuestionnaireResponse(responseOf(BARC_10, { ...allAt(BARC_10, 5), ...values }), BARC_10);
  if (!result.ok) throw new Error('fixture');
  return result.value;
}

const plan: RecoveryPlan = {
  kind: 'recovery-plan',
  id: 'plan-1',
  peerId: 'peer-1',
  specialistId: 'spec-1',
  status: 'active',
  created: '2026-01-05T10:00:00-05:00',
  period: { start: '2026-01-05', end: '2026-12-31' },
  strengths: [],
  goals: [{ id: 'g-1', text: 'Keep my apartment', domain: 'home', status: 'active' }],
  steps: [],
  supports: [],
  signatures: [],
};

describe('suggestPlanGoals', () => {
  it('suggests nothing when no answer is low', () => {
    expect(suggestPlanGoals(barc({}), BARC_10)).toEqual([]);
  });

  it.each([
    ['barc10-7', 'home', 'housing-and-safety'],
    ['barc10-5', 'community', 'social-support'],
    ['barc10-6', 'purpose', 'meaningful-activities'],
    ['barc10-3', 'health', 'physical-health'],
  ])('a low %s suggests a %s goal (%s)', (linkId, recoveryDomain, domain) => {
    const [suggestion] = suggestPlanGoals(barc({ [linkId]: 2 }), BARC_10);
    expect(suggestion).toMatchObject({ linkId, recoveryDomain, domain, value: 2, instrumentId: 'barc-10', responseId: 'qr-barc-10-1' });
    expect(suggestion?.prompt).toMatch(/\?$/);
    expect(suggestion?.example).toMatch(/^I /);
  });

  it('lists lowest answers first, honours the threshold and the maximum', () => {
    const score = barc({ 'barc10-2': 3, 'barc10-7': 1, 'barc10-9': 4 });
    expect(suggestPlanGoals(score, BARC_10).map((s) => s.linkId)).toEqual(['barc10-7', 'barc10-2']);
    expect(suggestPlanGoals(score, BARC_10, { lowAtOrBelow: 4 }).map((s) => s.linkId)).toEqual(['barc10-7', 'barc10-2', 'barc10-9']);
    expect(suggestPlanGoals(score, BARC_10, { max: 1 })).toHaveLength(1);
  });

  it("names the plan's open goals in the same domain, and the plan's peer", () => {
    const [suggestion] = suggestPlanGoals(barc({ 'barc10-7': 1 }), BARC_10, { plan });
    expect(suggestion).toMatchObject({ existingGoalIds: ['g-1'], peerId: 'peer-1' });
  });

  it('suggests nothing from items without a recovery domain (PHQ-9)', () => {
    const result = scoreQuestionnaireResponse(responseOf(PHQ_9, allAt(PHQ_9, 0)), PHQ_9);
    expect(result.ok && suggestPlanGoals(result.value, PHQ_9, { lowAtOrBelow: 3 })).toEqual([]);
  });
});

describe('acceptGoalSuggestion', () => {
  const [suggestion] = suggestPlanGoals(barc({ 'barc10-5': 1 }), BARC_10, { plan });
  if (!suggestion) throw new Error('fixture');

  it("adds a proposed goal in the peer's own words and leaves the plan unchanged", () => {
    const before = JSON.stringify(plan);
    const result = acceptGoalSuggestion(plan, suggestion, { goalId: 'g-2', text: 'Call my sister every Sunday' });
    expect(result.ok && result.value.goals[1]).toEqual({ id: 'g-2', text: 'Call my sister every Sunday', domain: 'community', status: 'proposed' });
    expect(JSON.stringify(plan)).toBe(before);
  });

  it.each([
    ['the peer has no words for it yet', { goalId: 'g-2', text: '  ' }, 'outcomes.suggestion-goal-text'],
    ['the goal id is taken', { goalId: 'g-1', text: 'Call my sister' }, 'outcomes.suggestion-goal-id'],
    ['the target is outside the plan period', { goalId: 'g-2', text: 'Call my sister', target: '2027-06-01' }, 'plan.goal-target-outside-period'],
  ])('refuses when %s', (_, acceptance, code) => {
    const result = acceptGoalSuggestion(plan, suggestion, acceptance);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toContain(code);
  });

  it("refuses a suggestion made for another peer's plan", () => {
    const result = acceptGoalSuggestion({ ...plan, peerId: 'peer-2' }, suggestion, { goalId: 'g-2', text: 'Call my sister' });
    expect(result.issues.map((i) => i.code)).toEqual(['outcomes.suggestion-plan-mismatch']);
  });
});
