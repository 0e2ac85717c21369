import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from './catalog';
import { DEFAULT_POLICY, parsePolicy } from './policy';

describe('parsePolicy', () => {
  it('fills in every default', () => {
    const result = parsePolicy({});
    expect(result.ok && result.value).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY.workingHours).toEqual({ days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00', exemptCrisis: true });
    expect(DEFAULT_POLICY.documentation).toEqual({ signatureDeadlineHours: 72, planGraceDays: 30, signedDraftCountsWith: ['peer', 'specialist'] });
    expect(DEFAULT_POLICY.personalVehicleTransport).toBe('forbidden');
  });

  it('keeps what is given and defaults the rest of the same section', () => {
    const result = parsePolicy({ workingHours: { days: [1, 2, 3, 4, 5, 6] }, credential: { ceHoursRequired: 12 } });
    expect(result.ok && result.value.workingHours).toEqual({ days: [1, 2, 3, 4, 5, 6], start: '08:00', end: '20:00', exemptCrisis: true });
    expect(result.ok && result.value.credential.ceHoursRequired).toBe(12);
    expect(result.ok && result.value.credential.ceWindowMonths).toBe(24);
  });

  it.each([
    ['a time that is not HH:MM', { workingHours: { start: '8am' } }, 'schema.invalid-format', 'workingHours.start'],
    ['hours that end before they start', { workingHours: { start: '18:00', end: '09:00' } }, 'policy.hours-reversed', 'workingHours.end'],
    ['a day out of range', { workingHours: { days: [7] } }, 'schema.too-big', 'workingHours.days.0'],
    ['a negative threshold', { supervision: { maxDaysBetween: -1 } }, 'schema.too-small', 'supervision.maxDaysBetween'],
    ['an unknown field', { workingHour: {} }, 'schema.unknown-field', 'workingHour'],
    ['an unknown severity', { severity: { 'scope.diagnosing': 'fatal' } }, 'schema.invalid-value', 'severity.scope.diagnosing'],
    ['more ethics hours than hours', { credential: { ceHoursRequired: 5, ceEthicsHoursRequired: 6 } }, 'policy.ethics-over-total', 'credential.ceEthicsHoursRequired'],
    ['a transport setting outside the list', { personalVehicleTransport: 'sometimes' }, 'schema.invalid-value', 'personalVehicleTransport'],
  ])('reports %s', (_name, input, code, path) => {
    const result = parsePolicy(input, RULE_IDS);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => [i.code, i.path.join('.')])).toContainEqual([code, path]);
  });

  it('reports rule ids that are not in the catalog', () => {
    const result = parsePolicy({ disabledRules: ['scope.diagnosing', 'scope.diagnosis'], severity: { 'dual.cash': 'error' } }, RULE_IDS);
    expect(result.issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['policy.unknown-rule', 'disabledRules.1'],
      ['policy.unknown-rule', 'severity.dual.cash'],
    ]);
  });

  it('accepts the note model’s rule ids in disabledRules and severity', () => {
    const result = parsePolicy({ disabledRules: ['note-model.self-disclosure'], severity: { 'note-model.scope-of-practice': 'error' } }, RULE_IDS);
    expect(result.ok).toBe(true);
  });

  it('never throws and never echoes a value', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = parsePolicy(input, RULE_IDS);
        if (!result.ok) expect(JSON.stringify(result.issues)).not.toContain('SECRETVALUE');
      }),
    );
    const result = parsePolicy({ workingHours: { start: 'SECRETVALUE' } });
    expect(JSON.stringify(result.issues)).not.toContain('SECRETVALUE');
  });
});
