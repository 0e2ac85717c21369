import type { Consent } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { consentScopes, readConsentPolicy } from './compile-policy';

const V3 = 'http://terminology.hl7.org/CodeSystem';
const base: Consent = { resourceType: 'Consent', status: 'active', scope: {}, category: [] };

describe('readConsentPolicy', () => {
  it.each<[string, Partial<Consent>, 'permit' | 'deny' | undefined, boolean]>([
    ['v3-ActCode OPTIN', { policyRule: { coding: [{ system: `${V3}/v3-ActCode`, code: 'OPTIN' }] } }, 'permit', false],
    ['v3-ActCode OPTOUTE (legacy URI)', { policyRule: { coding: [{ system: 'http://hl7.org/fhir/v3/ActCode', code: 'OPTOUTE' }] } }, 'deny', false],
    ['consentpolicycodes hipaa-auth', { policyRule: { coding: [{ system: `${V3}/consentpolicycodes`, code: 'hipaa-auth' }] } }, 'permit', false],
    ['consentpolicycodes hipaa-self-pay', { policyRule: { coding: [{ system: `${V3}/consentpolicycodes`, code: 'hipaa-self-pay' }] } }, 'deny', false],
    ['STU3 opt-in policy URI in policy.uri', { policy: [{ uri: 'http://hl7.org/fhir/ConsentPolicy/opt-in' }] }, 'permit', false],
    ['both bases: deny wins and it is a conflict', { policy: [{ uri: 'http://hl7.org/fhir/ConsentPolicy/opt-in' }], policyRule: { coding: [{ system: `${V3}/v3-ActCode`, code: 'OPTOUT' }] } }, 'deny', true],
    ['an unknown policy code sets no base', { policyRule: { coding: [{ system: 'urn:local', code: 'our-policy' }] } }, undefined, false],
  ])('%s', (_name, extra, effect, conflicting) => {
    const policy = readConsentPolicy({ ...base, ...extra });
    expect(policy.base?.effect).toBe(effect);
    expect(policy.conflicting).toBe(conflicting);
  });

  it('records unknown policies as not evaluated and recognizes the Part 2 regulation', () => {
    const policy = readConsentPolicy({
      ...base,
      policy: [{ uri: 'https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2' }, { uri: 'https://example.org/our-policy' }],
    });
    expect(policy.part2).toBe(true);
    expect(policy.unevaluated).toEqual(['policy.uri']);
  });
});

describe('consentScopes', () => {
  it('reads Consent.scope and consentscope codes in category', () => {
    expect(
      consentScopes({ ...base, scope: { coding: [{ system: `${V3}/consentscope`, code: 'patient-privacy' }] }, category: [{ coding: [{ system: 'http://hl7.org/fhir/consentscope', code: 'research' }] }] }).map((c) => c.code),
    ).toEqual(['patient-privacy', 'research']);
  });
});
