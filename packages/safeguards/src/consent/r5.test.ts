import type { ConsentProvision } from 'fhir/r4';
import type { Consent as R5Consent, Permission } from 'fhir/r5';
import { describe, expect, it } from 'vitest';
import { PATIENT } from '../__fixtures__/consents';
import { r5Consent, r5ConsentWithBaseProvision, r5Permission } from '../__fixtures__/foreign-consents';
import { fromPermission, fromR5Consent, isR5Consent, SOURCE_PATH_EXTENSION, toEngineConsent, UNSUPPORTED_CRITERION_EXTENSION } from './r5';

const codes = (issues: readonly { code: string }[]) => issues.map((i) => i.code);
const pathOf = (p: ConsentProvision | undefined) => p?.extension?.find((e) => e.url === SOURCE_PATH_EXTENSION)?.valueString;

describe('isR5Consent', () => {
  it.each([
    ['an R5 Consent', r5Consent(), true],
    ['an R4 Consent', { resourceType: 'Consent', status: 'active', patient: { reference: PATIENT }, provision: { type: 'permit' } }, false],
    ['a Permission', r5Permission(), false],
    ['not an object', 'Consent', false],
  ] as const)('%s → %s', (_name, value, expected) => {
    expect(isR5Consent(value)).toBe(expected);
  });
});

describe('fromR5Consent', () => {
  it('maps decision, period, subject and date; each exception takes the opposite of the decision', () => {
    const { consent, issues } = fromR5Consent(r5Consent());
    expect(consent.patient).toEqual({ reference: PATIENT });
    expect(consent.dateTime).toBe('2026-01-20');
    expect(consent.provision?.type).toBe('permit');
    expect(consent.provision?.period).toEqual({ start: '2026-01-20', end: '2026-12-31' });
    expect(consent.provision?.provision?.map((p) => [p.type, pathOf(p)])).toEqual([
      ['deny', 'provision[0]'],
      ['deny', 'provision[1]'],
    ]);
    expect(pathOf(consent.provision)).toBe('decision');
    expect(codes(issues)).toEqual(['consent.r5-mapped']);
  });

  it('reads a provision without selection criteria as the base provision', () => {
    const { consent, issues } = fromR5Consent(r5ConsentWithBaseProvision());
    expect(consent.provision?.period).toEqual({ start: '2026-01-20', end: '2027-01-01' });
    expect(consent.provision?.provision?.map(pathOf)).toEqual(['provision[0].provision[0]']);
    expect(consent.policyRule?.coding?.[0]?.code).toBe('hipaa-self-pay');
    expect(codes(issues)).toContain('consent.r5-base-provision');
  });

  it('marks an expression as unsupported and says so', () => {
    const r5: R5Consent = { ...r5Consent(), provision: [{ expression: { language: 'text/fhirpath', expression: 'true' } }] };
    const { consent, issues } = fromR5Consent(r5);
    expect(consent.provision?.provision?.[0]?.extension).toContainEqual({ url: UNSUPPORTED_CRITERION_EXTENSION, valueCode: 'expression' });
    expect(codes(issues)).toContain('consent.expression-unsupported');
    expect(issues.find((i) => i.code === 'consent.expression-unsupported')?.path).toEqual(['provision', 0, 'expression']);
  });

  it.each([
    ['not-done', 'rejected'],
    ['unknown', 'proposed'],
    ['inactive', 'inactive'],
  ] as const)('maps status %s to %s (not in force unless active)', (status, r4) => {
    const { consent, issues } = fromR5Consent({ ...r5Consent(), status });
    expect(consent.status).toBe(r4);
    if (status !== 'inactive') expect(codes(issues)).toContain('consent.r5-status');
  });

  it('reports a subject that is not a Patient, naming the field only', () => {
    const { issues } = fromR5Consent({ ...r5Consent(), subject: { reference: 'Group/SECRET-GROUP' } });
    const finding = issues.find((i) => i.code === 'consent.subject-not-patient');
    expect(finding?.path).toEqual(['subject']);
    expect(JSON.stringify(issues)).not.toContain('SECRET');
  });

  it('does not mutate its input', () => {
    const input = r5Consent();
    const before = JSON.stringify(input);
    fromR5Consent(input);
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe('fromPermission', () => {
  it('maps combining, validity, the latest date and each rule; the Patient in rule.data is the consent patient, not a data criterion', () => {
    const { consent, issues } = fromPermission({ ...r5Permission(), date: ['2026-01-15', '2026-02-01'] });
    expect(consent.patient).toEqual({ reference: PATIENT });
    expect(consent.dateTime).toBe('2026-02-01');
    expect(consent.provision?.type).toBeUndefined();
    expect(consent.provision?.provision?.map((p) => [p.type, pathOf(p), p.data === undefined])).toEqual([
      ['permit', 'rule[0]', true],
      ['deny', 'rule[1]', true],
    ]);
    expect(codes(issues)).toEqual(['consent.permission-mapped']);
  });

  it.each([
    ['deny-unless-permit', 'deny', 'permit-overrides'],
    ['permit-unless-deny', 'permit', 'deny-overrides'],
    ['ordered-permit-overrides', undefined, 'permit-overrides'],
  ] as const)('%s → root %s, rules combine by %s', (combining, root, strategy) => {
    const { consent } = fromPermission({ ...r5Permission(), combining });
    expect(consent.provision?.type).toBe(root);
    expect(consent.extension?.[0]?.valueCode).toBe(strategy);
  });

  it('a rule with a limit is marked unsupported (a permit with it never applies)', () => {
    const p: Permission = { ...r5Permission(), rule: [{ type: 'permit', data: [{ resource: [{ meaning: 'dependents', reference: { reference: PATIENT } }] }], limit: [{ text: 'x' }] }] };
    const { consent, issues } = fromPermission(p);
    expect(consent.provision?.provision?.[0]?.extension).toContainEqual({ url: UNSUPPORTED_CRITERION_EXTENSION, valueCode: 'limit' });
    expect(codes(issues)).toContain('consent.permission-limit-unsupported');
  });

  it('without exactly one Patient it says so and names no patient', () => {
    const { consent, issues } = fromPermission({ ...r5Permission(), rule: [{ type: 'permit' }] });
    expect(consent.patient).toBeUndefined();
    expect(codes(issues)).toContain('consent.permission-patient');
  });

  it('expands data × activity combinations, one provision each', () => {
    const p: Permission = {
      ...r5Permission(),
      rule: [
        {
          type: 'permit',
          data: [{ resource: [{ meaning: 'dependents', reference: { reference: PATIENT } }], period: [{ start: '2026-01-01' }, { start: '2027-01-01' }] }],
          activity: [{ purpose: [{ coding: [{ code: 'TREAT' }] }] }, { purpose: [{ coding: [{ code: 'HPAYMT' }] }] }],
        },
      ],
    };
    expect(fromPermission(p).consent.provision?.provision).toHaveLength(4);
  });
});

describe('toEngineConsent', () => {
  it('leaves an R4 Consent as it is', () => {
    const r4 = { resourceType: 'Consent' as const, status: 'active' as const, scope: {}, category: [], patient: { reference: PATIENT } };
    expect(toEngineConsent(r4)).toEqual({ consent: r4, issues: [] });
  });
});
