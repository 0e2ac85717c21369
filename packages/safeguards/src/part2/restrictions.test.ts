import type { Consent, Identifier } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { NPI_A, NPI_B, PATIENT, peerkitTpo } from '../__fixtures__/consents';
import { part2Request, sudEncounter } from '../__fixtures__/part2';
import { decideResourceDisclosure } from '../disclosure/disclosure-gate';
import { applyRestrictions, parseRestriction, type RestrictionContext, type RestrictionRecord } from './restrictions';

const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const npi = (id: Identifier) => `${id.system ?? ''}|${id.value ?? ''}`;
const agreedNoB: RestrictionRecord = { id: 'r-no-b', patient: PATIENT, kind: 'agreed', status: 'active', agreedOn: '2026-02-01', recipients: [npi(NPI_B)] };
const agreedNoSudForOps: RestrictionRecord = { id: 'r-ops', patient: PATIENT, kind: 'agreed', status: 'active', agreedOn: '2026-02-01', purposes: ['HOPERAT'], data: [{ system: ACT, code: 'SUD' }] };
const selfPay: RestrictionRecord = { id: 'r-self-pay', patient: PATIENT, kind: 'self-pay', status: 'active', agreedOn: '2026-03-01', services: ['Encounter/enc-paid'] };

const req = (input: Record<string, unknown>) => part2Request(input);

describe('applyRestrictions', () => {
  it.each<[string, RestrictionRecord[], ReturnType<typeof req>, RestrictionContext, 'PERMIT' | 'DENY', string[]]>([
    ['no restriction: the PERMIT stands', [], req({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), {}, 'PERMIT', []],
    ['a restricted recipient', [agreedNoB], req({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), {}, 'DENY', ['r-no-b']],
    ['another recipient', [agreedNoB], req({ actor: [NPI_A], purposeOfUse: ['TREAT'] }), {}, 'PERMIT', []],
    ['an unstated recipient counts as the restricted one (fail closed)', [agreedNoB], req({ purposeOfUse: ['TREAT'] }), {}, 'DENY', ['r-no-b']],
    ['a purpose outside TPO is not covered by a TPO restriction', [agreedNoB], req({ actor: [NPI_B], purposeOfUse: ['HRESCH'] }), {}, 'PERMIT', []],
    ['restricted purpose and data class', [agreedNoSudForOps], req({ actor: [NPI_A], purposeOfUse: ['HOPERAT'], securityLabel: [{ system: ACT, code: 'SUD' }] }), {}, 'DENY', ['r-ops']],
    ['restricted purpose, other data', [agreedNoSudForOps], req({ actor: [NPI_A], purposeOfUse: ['HOPERAT'], securityLabel: [{ system: ACT, code: 'MH' }] }), {}, 'PERMIT', []],
    ['restricted data, other purpose', [agreedNoSudForOps], req({ actor: [NPI_A], purposeOfUse: ['TREAT'], securityLabel: [{ system: ACT, code: 'SUD' }] }), {}, 'PERMIT', []],
    ['another patient', [agreedNoB], req({ patient: { reference: 'Patient/other' }, actor: [NPI_B], purposeOfUse: ['TREAT'] }), {}, 'PERMIT', []],
    ['before it was agreed', [agreedNoB], req({ date: '2026-01-15', actor: [NPI_B], purposeOfUse: ['TREAT'] }), {}, 'PERMIT', []],
    ['after it was terminated', [{ ...agreedNoB, status: 'terminated', terminatedOn: '2026-04-01' }], req({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), {}, 'PERMIT', []],
    ['self-pay: the paid service to a health plan for payment', [selfPay], req({ actor: [NPI_B], purposeOfUse: ['HPAYMT'], data: ['Encounter/enc-paid'] }), { recipientIsHealthPlan: true }, 'DENY', ['r-self-pay']],
    ['self-pay: for health care operations', [selfPay], req({ actor: [NPI_B], purposeOfUse: ['HOPERAT'], data: ['Encounter/enc-paid'] }), {}, 'DENY', ['r-self-pay']],
    ['self-pay: another service', [selfPay], req({ actor: [NPI_B], purposeOfUse: ['HPAYMT'], data: ['Encounter/enc-billed'] }), { recipientIsHealthPlan: true }, 'PERMIT', []],
    ['self-pay: to a provider for treatment', [selfPay], req({ actor: [NPI_A], purposeOfUse: ['TREAT'], data: ['Encounter/enc-paid'] }), { recipientIsHealthPlan: false }, 'PERMIT', []],
    ['self-pay: required by law', [selfPay], req({ actor: [NPI_B], purposeOfUse: ['HPAYMT'], data: ['Encounter/enc-paid'] }), { requiredByLaw: true }, 'PERMIT', []],
    ['an emergency does not lift an agreed restriction by default', [agreedNoB], req({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), { emergencyTreatment: true }, 'DENY', ['r-no-b']],
  ])('%s', (_name, restrictions, request, context, decision, restrictedBy) => {
    const out = applyRestrictions('PERMIT', restrictions, request, context);
    expect(out.decision).toBe(decision);
    expect(out.restrictedBy).toEqual(restrictedBy);
  });

  it('lets an agreed restriction yield to emergency treatment when the host opts in', () => {
    const out = applyRestrictions('PERMIT', [agreedNoB], req({ actor: [NPI_B], purposeOfUse: ['TREAT'] }), { emergencyTreatment: true }, { emergencyException: true });
    expect(out.decision).toBe('PERMIT');
  });

  it('cites the paid-in-full rule for a self-pay restriction', () => {
    const out = applyRestrictions('PERMIT', [selfPay], req({ actor: [NPI_B], purposeOfUse: ['HPAYMT'], data: ['Encounter/enc-paid'] }));
    expect(out.withheld).toMatchObject({ reason: 'restriction', source: '42 CFR §2.26(a); 45 CFR §164.522(a)(1)(vi)' });
  });

  it.each(['DENY', 'NO_CONSENT'] as const)('never turns %s into PERMIT', (decision) => {
    for (const restrictions of [[], [agreedNoB], [selfPay]]) {
      expect(applyRestrictions(decision, restrictions, req({ actor: [NPI_B], purposeOfUse: ['TREAT'] })).decision).toBe(decision);
    }
  });

  it('applies on top of a consent the engine reads as permitting (a single TPO consent)', () => {
    const consents: Consent[] = [peerkitTpo()];
    const encounter = { ...sudEncounter('enc-paid') };
    const request = req({ actor: [NPI_B], purposeOfUse: ['HPAYMT'], data: ['Encounter/enc-paid'] });
    const engine = decideResourceDisclosure(encounter, consents, request, { now: '2026-05-01' });
    expect(engine.withheld).toBeUndefined();
    expect(applyRestrictions(engine.decision, [selfPay], { ...request, data: ['Encounter/enc-paid'] }, { recipientIsHealthPlan: true }).decision).toBe('DENY');
  });
});

describe('parseRestriction', () => {
  it.each([
    ['a self-pay restriction', { id: 'r1', patient: PATIENT, kind: 'self-pay', agreedOn: '2026-03-01', services: ['Encounter/9'] }, true, undefined],
    ['an agreed restriction by data class (codes or codings)', { id: 'r2', patient: PATIENT, kind: 'agreed', agreedOn: '2026-03-01', data: ['SUD', { system: 'http://hl7.org/fhir/v3/ActCode', code: 'ETH' }] }, true, undefined],
    ['an agreed restriction with no criteria', { id: 'r3', patient: PATIENT, kind: 'agreed', agreedOn: '2026-03-01' }, false, 'restriction.empty'],
    ['a terminated restriction without its date', { id: 'r4', patient: PATIENT, kind: 'agreed', status: 'terminated', agreedOn: '2026-03-01', purposes: ['TREAT'] }, false, 'restriction.termination-missing'],
    ['a bad date', { id: 'r5', patient: PATIENT, kind: 'self-pay', agreedOn: 'March' }, false, 'schema.invalid-format'],
  ])('%s', (_name, input, ok, code) => {
    const result = parseRestriction(input);
    expect(result.ok).toBe(ok);
    expect(result.issues[0]?.code).toBe(code);
  });

  it('normalizes legacy code systems', () => {
    const result = parseRestriction({ id: 'r2', patient: PATIENT, kind: 'agreed', agreedOn: '2026-03-01', data: [{ system: 'http://hl7.org/fhir/v3/ActCode', code: 'ETH' }] });
    expect(result.ok && result.value.data).toEqual([{ system: ACT, code: 'ETH' }]);
  });
});
