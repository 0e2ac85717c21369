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
import { referral, type ReferralInput } from './__fixtures__/records';
import { parseReferral } from './referral';

/** Turns the fixture into an open referral (sent, not yet closed). */
function open(r: ReferralInput): void {
  r.status = 'requested';
  delete r.closedAt;
  delete r.outcome;
}

describe('parseReferral', () => {
  it('accepts the valid example with no issues and returns it unchanged', () => {
    expect(parseReferral(referral())).toEqual({ ok: true, value: referral(), issues: [] });
  });

  it('accepts an open referral without closedAt', () => {
    const input = referral();
    open(input);
    expect(parseReferral(input)).toMatchObject({ ok: true, issues: [] });
  });

  const schemaCases: SchemaCase[] = [
    { name: 'target missing', path: ['target'], value: MISSING, code: 'schema.required' },
    { name: 'urgency missing', path: ['urgency'], value: MISSING, code: 'schema.required' },
    { name: 'created missing', path: ['created'], value: MISSING, code: 'schema.required' },
    { name: 'target organizationName missing', path: ['target', 'organizationName'], value: MISSING, code: 'schema.required' },
    { name: 'target category missing', path: ['target', 'category'], value: MISSING, code: 'schema.required' },
    { name: 'target a string', path: ['target'], value: 'Test Housing Coalition', code: 'schema.invalid-type' },
    { name: 'peerId a number', path: ['peerId'], value: 1, code: 'schema.invalid-type' },
    { name: 'target category unknown', path: ['target', 'category'], value: 'spa', code: 'schema.invalid-value' },
    { name: 'target type unknown', path: ['target', 'type'], value: 'friend', code: 'schema.invalid-value' },
    { name: 'urgency unknown', path: ['urgency'], value: 'whenever', code: 'schema.invalid-value' },
    { name: 'status unknown', path: ['status'], value: 'received', code: 'schema.invalid-value' },
    { name: 'outcome unknown', path: ['outcome'], value: 'maybe', code: 'schema.invalid-value' },
    { name: 'created a word', path: ['created'], value: 'yesterday', code: 'schema.invalid-format' },
    { name: 'closedAt without time zone', path: ['closedAt'], value: '2026-02-02T09:00:00', code: 'schema.invalid-format' },
    { name: 'target phone with letters', path: ['target', 'phone'], value: 'on the flyer', code: 'schema.invalid-format' },
    { name: 'consentId with a slash', path: ['consentId'], value: 'Consent/cons-001', code: 'schema.invalid-format' },
    { name: 'target organizationName of 201 characters', path: ['target', 'organizationName'], value: text(201), code: 'schema.too-big' },
    { name: 'reason of 20,001 characters', path: ['reason'], value: text(20_001), code: 'schema.too-big' },
    { name: 'phone of 41 characters', path: ['target', 'phone'], value: '5'.repeat(41), code: 'schema.invalid-format' },
    { name: 'empty reason', path: ['reason'], value: '', code: 'schema.invalid-format' },
    { name: 'blank statusReason', path: ['statusReason'], value: '\t', code: 'schema.invalid-format' },
    { name: 'unknown field', path: ['priority'], value: 1, code: 'schema.unknown-field' },
    { name: 'unknown target field', path: ['target', 'email'], value: 'test@example.org', code: 'schema.unknown-field' },
  ];

  it.each(schemaCases)('reports $code when $name', ({ path, value, code, at }) => {
    const input = referral();
    setIn(input, path, value);
    expectSchemaIssue(parseReferral(input), code, at ?? path);
  });

  const ruleCases: RuleCase<ReferralInput>[] = [
    {
      name: 'a completed referral has no closedAt',
      mutate: (r) => {
        delete r.closedAt;
      },
      code: 'referral.closure-missing',
      path: ['closedAt'],
      severity: 'error',
    },
    {
      name: 'a rejected referral has no closedAt',
      mutate: (r) => {
        r.status = 'rejected';
        delete r.closedAt;
      },
      code: 'referral.closure-missing',
      path: ['closedAt'],
      severity: 'error',
    },
    {
      name: 'an accepted referral has closedAt',
      mutate: (r) => {
        r.status = 'accepted';
      },
      code: 'referral.closed-while-open',
      path: ['closedAt'],
      severity: 'error',
    },
    {
      name: 'the referral closed before it was created',
      mutate: (r) => {
        r.closedAt = '2026-01-12T14:44:00-05:00';
      },
      code: 'referral.closed-before-created',
      path: ['closedAt'],
      severity: 'error',
    },
    {
      name: 'a completed referral has no outcome',
      mutate: (r) => {
        delete r.outcome;
      },
      code: 'referral.outcome-missing',
      path: ['outcome'],
      severity: 'warning',
    },
    {
      name: 'a crisis referral is routine',
      mutate: (r) => {
        r.target = { type: 'crisis-service', category: 'crisis-988', organizationName: 'Test Crisis Line' };
      },
      code: 'referral.crisis-routine',
      path: ['urgency'],
      severity: 'warning',
    },
    {
      name: 'a goal is named without its plan',
      mutate: (r) => {
        delete r.planId;
      },
      code: 'referral.goal-without-plan',
      path: ['planId'],
      severity: 'error',
    },
  ];

  it.each(ruleCases)('reports $code when $name', ({ mutate, ...expected }) => {
    const input = referral();
    mutate(input);
    expectRuleIssue(parseReferral(input), expected);
  });

  const quietCases: QuietCase<ReferralInput>[] = [
    {
      name: 'a failed referral has no outcome',
      mutate: (r) => {
        r.status = 'failed';
        delete r.outcome;
      },
      code: 'referral.outcome-missing',
    },
    {
      name: 'a crisis referral is urgent',
      mutate: (r) => {
        r.target = { type: 'crisis-service', category: 'mobile-crisis', organizationName: 'Test Mobile Crisis' };
        r.urgency = 'stat';
      },
      code: 'referral.crisis-routine',
    },
    {
      name: 'the referral closes the minute it was created',
      mutate: (r) => {
        r.closedAt = r.created;
      },
      code: 'referral.closed-before-created',
    },
  ];

  it.each(quietCases)('does not report $code when $name', ({ mutate, code }) => {
    const input = referral();
    mutate(input);
    const result = parseReferral(input);
    expect(result.ok).toBe(true);
    expect(result.issues.map((i) => i.code)).not.toContain(code);
  });
});
