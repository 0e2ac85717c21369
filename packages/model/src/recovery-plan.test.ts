import { describe, expect, it } from 'vitest';
import {
  expectRuleIssue,
  expectSchemaIssue,
  MISSING,
  setIn,
  text,
  type QuietCase,
  type RuleCase,
  type SchemaCase,
} from './__fixtures__/helpers';
import { recoveryPlan, type RecoveryPlanInput } from './__fixtures__/records';
import { parseRecoveryPlan } from './recovery-plan';

describe('parseRecoveryPlan', () => {
  it('accepts the valid example with no issues and returns it unchanged', () => {
    expect(parseRecoveryPlan(recoveryPlan())).toEqual({ ok: true, value: recoveryPlan(), issues: [] });
  });

  it('accepts a draft plan with one goal and nothing else', () => {
    const input: RecoveryPlanInput = {
      kind: 'recovery-plan',
      id: 'plan-002',
      peerId: 'peer-001',
      specialistId: 'sp-001',
      status: 'draft',
      created: '2026-01-05T10:00:00Z',
      period: { start: '2026-01-05' },
      goals: [{ id: 'goal-1', text: 'Test goal', domain: 'health', status: 'proposed' }],
    };
    const result = parseRecoveryPlan(input);
    expect(result).toMatchObject({ ok: true, issues: [] });
    expect(result.ok && result.value).toMatchObject({ strengths: [], steps: [], supports: [], signatures: [] });
  });

  const schemaCases: SchemaCase[] = [
    { name: 'kind missing', path: ['kind'], value: MISSING, code: 'schema.required' },
    { name: 'goals missing', path: ['goals'], value: MISSING, code: 'schema.required' },
    { name: 'status missing', path: ['status'], value: MISSING, code: 'schema.required' },
    { name: 'period start missing', path: ['period', 'start'], value: MISSING, code: 'schema.required' },
    { name: 'goal text missing', path: ['goals', 0, 'text'], value: MISSING, code: 'schema.required' },
    { name: 'crisis plan reviewed missing', path: ['crisisPlan', 'reviewed'], value: MISSING, code: 'schema.required' },
    { name: 'period a string', path: ['period'], value: '2026-01-05/2026-07-05', code: 'schema.invalid-type' },
    { name: 'strengths a string', path: ['strengths'], value: 'Keeps every appointment', code: 'schema.invalid-type' },
    { name: 'step description a number', path: ['steps', 0, 'description'], value: 1, code: 'schema.invalid-type' },
    { name: 'status unknown', path: ['status'], value: 'archived', code: 'schema.invalid-value' },
    { name: 'goal domain unknown', path: ['goals', 0, 'domain'], value: 'wealth', code: 'schema.invalid-value' },
    { name: 'goal achievement unknown', path: ['goals', 0, 'achievement'], value: 'done', code: 'schema.invalid-value' },
    { name: 'step owner unknown', path: ['steps', 0, 'owner'], value: 'nobody', code: 'schema.invalid-value' },
    { name: 'support role unknown', path: ['supports', 0, 'role'], value: 'pet', code: 'schema.invalid-value' },
    { name: 'signature method unknown', path: ['signatures', 0, 'method'], value: 'fax', code: 'schema.invalid-value' },
    { name: 'signature role unknown', path: ['signatures', 0, 'role'], value: 'neighbour', code: 'schema.invalid-value' },
    { name: 'created without time zone', path: ['created'], value: '2026-01-05T10:00:00', code: 'schema.invalid-format' },
    { name: 'created a date only', path: ['created'], value: '2026-01-05', code: 'schema.invalid-format' },
    { name: 'goal target not a date', path: ['goals', 0, 'target'], value: 'summer', code: 'schema.invalid-format' },
    { name: 'signature signedAt at hour 25', path: ['signatures', 0, 'signedAt'], value: '2026-01-05T25:00:00Z', code: 'schema.invalid-format' },
    { name: 'support phone with letters', path: ['supports', 0, 'phone'], value: 'ask at the desk', code: 'schema.invalid-format' },
    { name: 'crisis contact phone with letters', path: ['crisisPlan', 'contacts', 0, 'phone'], value: 'none', code: 'schema.invalid-format' },
    { name: 'goal id with a slash', path: ['goals', 0, 'id'], value: 'goal/1', code: 'schema.invalid-format' },
    { name: '31 strengths', path: ['strengths'], value: Array.from({ length: 31 }, () => 'Kind'), code: 'schema.too-big' },
    { name: 'goal text of 20,001 characters', path: ['goals', 0, 'text'], value: text(20_001), code: 'schema.too-big' },
    { name: 'support name of 201 characters', path: ['supports', 0, 'name'], value: text(201), code: 'schema.too-big' },
    { name: '11 signatures', path: ['signatures'], value: Array.from({ length: 11 }, () => ({ role: 'peer', signedAt: '2026-01-05T10:30:00Z', method: 'wet' })), code: 'schema.too-big' },
    { name: 'no goals', path: ['goals'], value: [], code: 'schema.too-small' },
    { name: 'blank goal text', path: ['goals', 0, 'text'], value: ' \n ', code: 'schema.invalid-format' },
    { name: 'no crisis warning signs', path: ['crisisPlan', 'warningSigns'], value: [], code: 'schema.too-small' },
    { name: 'no coping strategies', path: ['crisisPlan', 'copingStrategies'], value: [], code: 'schema.too-small' },
    { name: 'unknown field', path: ['diagnosis'], value: 'F11.20', code: 'schema.unknown-field' },
    { name: 'unknown goal field', path: ['goals', 0, 'priority'], value: 'high', code: 'schema.unknown-field' },
    { name: 'unknown crisis plan field', path: ['crisisPlan', 'means'], value: 'none', code: 'schema.unknown-field' },
    { name: 'unknown period field', path: ['period', 'duration'], value: 'P6M', code: 'schema.unknown-field' },
  ];

  it.each(schemaCases)('reports $code when $name', ({ path, value, code, at }) => {
    const input = recoveryPlan();
    setIn(input, path, value);
    expectSchemaIssue(parseRecoveryPlan(input), code, at ?? path);
  });

  const ruleCases: RuleCase<RecoveryPlanInput>[] = [
    {
      name: 'the period ends before it starts',
      mutate: (p) => {
        p.period.end = '2026-01-04';
      },
      code: 'period.end-before-start',
      path: ['period', 'end'],
      severity: 'error',
    },
    {
      name: 'two goals share an id',
      mutate: (p) => {
        p.goals.push({ ...p.goals[0]!, text: 'Another test goal' });
      },
      code: 'plan.duplicate-id',
      path: ['goals', 1, 'id'],
      severity: 'error',
    },
    {
      name: 'two steps share an id',
      mutate: (p) => {
        p.steps![1]!.id = 'step-1';
      },
      code: 'plan.duplicate-id',
      path: ['steps', 1, 'id'],
      severity: 'error',
    },
    {
      name: 'a goal target is after the plan ends',
      mutate: (p) => {
        p.goals[0]!.target = '2026-07-06';
      },
      code: 'plan.goal-target-outside-period',
      path: ['goals', 0, 'target'],
      severity: 'error',
    },
    {
      name: 'a goal target is before the plan starts',
      mutate: (p) => {
        p.goals[0]!.target = '2026-01-04';
        delete p.goals[0]!.start;
      },
      code: 'plan.goal-target-outside-period',
      path: ['goals', 0, 'target'],
      severity: 'error',
    },
    {
      name: 'a goal target is before the goal start',
      mutate: (p) => {
        p.goals[0]!.start = '2026-03-01';
        p.goals[0]!.target = '2026-02-01';
      },
      code: 'plan.goal-target-before-start',
      path: ['goals', 0, 'target'],
      severity: 'error',
    },
    {
      name: 'a step names a goal not in the plan',
      mutate: (p) => {
        p.steps![0]!.goalId = 'goal-9';
      },
      code: 'plan.step-unknown-goal',
      path: ['steps', 0, 'goalId'],
      severity: 'error',
    },
    {
      name: 'a step is due after the plan ends',
      mutate: (p) => {
        p.steps![0]!.due = '2026-08-01';
      },
      code: 'plan.step-due-outside-period',
      path: ['steps', 0, 'due'],
      severity: 'warning',
    },
    {
      name: 'a step has completedOn but is in progress',
      mutate: (p) => {
        p.steps![0]!.completedOn = '2026-01-30';
      },
      code: 'plan.step-completion-mismatch',
      path: ['steps', 0, 'completedOn'],
      severity: 'error',
    },
    {
      name: 'a completed step has no completedOn',
      mutate: (p) => {
        delete p.steps![1]!.completedOn;
      },
      code: 'plan.step-completion-mismatch',
      path: ['steps', 1, 'completedOn'],
      severity: 'error',
    },
    {
      name: 'the review is due before the plan starts',
      mutate: (p) => {
        p.reviewDue = '2026-01-01';
      },
      code: 'plan.review-before-start',
      path: ['reviewDue'],
      severity: 'error',
    },
    {
      name: 'a signature predates the plan',
      mutate: (p) => {
        p.signatures![1]!.signedAt = '2026-01-05T09:59:00-05:00';
      },
      code: 'plan.signature-before-created',
      path: ['signatures', 1, 'signedAt'],
      severity: 'error',
    },
    {
      name: 'a signature predates the plan in another time zone',
      mutate: (p) => {
        // 14:30Z is 09:30 at -05:00, half an hour before created
        p.signatures![0]!.signedAt = '2026-01-05T14:30:00Z';
      },
      code: 'plan.signature-before-created',
      path: ['signatures', 0, 'signedAt'],
      severity: 'error',
    },
    {
      name: 'an active plan is signed by the specialist only',
      mutate: (p) => {
        p.signatures!.shift();
      },
      code: 'plan.peer-signature-missing',
      path: ['signatures'],
      severity: 'warning',
    },
    {
      name: 'a completed plan has no signature',
      mutate: (p) => {
        p.status = 'completed';
        p.signatures = [];
      },
      code: 'plan.peer-signature-missing',
      path: ['signatures'],
      severity: 'warning',
    },
    {
      name: 'the plan was documented after its period started',
      mutate: (p) => {
        p.period.start = '2026-01-04';
      },
      code: 'plan.created-after-start',
      path: ['created'],
      severity: 'information',
    },
    {
      name: 'the crisis plan was reviewed before the plan was created',
      mutate: (p) => {
        p.crisisPlan!.reviewed = '2026-01-04';
      },
      code: 'plan.crisis-plan-reviewed-before-created',
      path: ['crisisPlan', 'reviewed'],
      severity: 'warning',
    },
  ];

  it.each(ruleCases)('reports $code when $name', ({ mutate, ...expected }) => {
    const input = recoveryPlan();
    mutate(input);
    expectRuleIssue(parseRecoveryPlan(input), expected);
  });

  const quietCases: QuietCase<RecoveryPlanInput>[] = [
    {
      name: 'a goal target is on the last day of the plan',
      mutate: (p) => {
        p.goals[0]!.target = '2026-07-05';
      },
      code: 'plan.goal-target-outside-period',
    },
    {
      name: 'an open-ended plan has a far goal target',
      mutate: (p) => {
        delete p.period.end;
        p.goals[0]!.target = '2030-01-01';
      },
      code: 'plan.goal-target-outside-period',
    },
    {
      name: 'a guardian signed for the peer',
      mutate: (p) => {
        p.signatures![0]!.role = 'guardian';
      },
      code: 'plan.peer-signature-missing',
    },
    {
      name: 'a draft plan is unsigned',
      mutate: (p) => {
        p.status = 'draft';
        p.signatures = [];
      },
      code: 'plan.peer-signature-missing',
    },
    {
      name: 'the plan was created before its period started',
      mutate: (p) => {
        p.period.start = '2026-01-06';
        p.goals[0]!.start = '2026-01-06';
        p.reviewDue = '2026-04-06';
      },
      code: 'plan.created-after-start',
    },
  ];

  it.each(quietCases)('does not report $code when $name', ({ mutate, code }) => {
    const input = recoveryPlan();
    mutate(input);
    const result = parseRecoveryPlan(input);
    expect(result.ok).toBe(true);
    expect(result.issues.map((i) => i.code)).not.toContain(code);
  });
});
