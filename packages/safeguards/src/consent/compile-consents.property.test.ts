/**
 * Invariants of the fail-closed engine (issue 15), on generated consents in several engines' shapes:
 * adding a deny provision never turns DENY or NO_CONSENT into PERMIT; removing a consent never turns
 * DENY into PERMIT unless it was the only consent that denied; a set compiled once decides every
 * request as `decideConsent` does.
 */
import fc from 'fast-check';
import type { Consent, ConsentProvision, Organization } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { NPI_A, NPI_B, PATIENT, PATIENT_MRN, V3_ACT, V3_PARTICIPATION, V3_REASON } from '../__fixtures__/consents';
import { provisionArb, sometimes, type ProvisionPools } from '../__fixtures__/consent-arbitraries';
import { ACTOR_RESOURCES } from '../__fixtures__/foreign-consents';
import { compileConsents, type CompileConsentsOptions } from './compile-consents';
import { decideConsent } from './decide';
import type { ConsentDecision } from './decision';
import { parseDisclosureRequest, type DisclosureRequest } from './request';

const NOW = '2026-05-01';
const ACTION = 'http://terminology.hl7.org/CodeSystem/consentaction';
const CONF = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const TYPES = 'http://hl7.org/fhir/resource-types';

const PURPOSES = [
  { system: V3_REASON, code: 'TREAT' },
  { system: V3_REASON, code: 'ETREAT' },
  { system: V3_REASON, code: 'COC' },
  { system: V3_REASON, code: 'HPAYMT' },
  { system: V3_REASON, code: 'HMARKT' },
  { system: 'urn:local:purpose', code: 'x' },
];
const LABELS = [
  { system: V3_ACT, code: 'SUD' },
  { system: V3_ACT, code: 'ETH' },
  { system: V3_ACT, code: 'OPIOIDUD' },
  { system: V3_ACT, code: 'MH' },
  { system: V3_ACT, code: 'HIV' },
  { system: CONF, code: 'R' },
  { system: CONF, code: 'N' },
  { system: 'urn:local:labels', code: 'x' },
];
const CLASSES = [
  { system: TYPES, code: 'DocumentReference' },
  { system: TYPES, code: 'Encounter' },
  { system: 'urn:ietf:bcp:13', code: 'text/plain' },
];
const ACTIONS = [
  { system: ACTION, code: 'access' },
  { system: ACTION, code: 'disclose' },
  { system: ACTION, code: 'use' },
  { system: 'urn:local:action', code: 'read' },
];
const ACTOR_REFS = [{ identifier: NPI_A }, { identifier: NPI_B }, { reference: 'Organization/org-a' }, { reference: 'Organization/org-b' }, { reference: 'Organization/org-x' }, { reference: '#c1' }];
const DATES = ['2025-06-01', '2026-01-10', '2026-04-01', '2026-06-01', '2026-13-01'];

const pools: ProvisionPools = {
  dates: DATES,
  actor: fc
    .record({ ref: fc.constantFrom(...ACTOR_REFS), role: fc.constantFrom('IRCP', 'INF') })
    .map((a) => ({ role: { coding: [{ system: V3_PARTICIPATION, code: a.role }] }, reference: a.ref })),
  purposes: PURPOSES,
  labels: LABELS,
  classes: CLASSES,
  actions: ACTIONS,
  periodFreq: 3,
};

const consentArb: fc.Arbitrary<Consent> = fc
  .record({
    id: fc.stringMatching(/^c[0-9]{1,3}$/),
    status: fc.constantFrom('active', 'active', 'active', 'inactive' as const),
    patient: fc.constantFrom<Consent['patient']>({ reference: PATIENT }, { reference: PATIENT }, { identifier: PATIENT_MRN }, { reference: 'Patient/other' }),
    policyRule: fc.constantFrom(undefined, 'OPTIN', 'OPTOUT'),
    provision: provisionArb(3, pools),
  })
  .map((r) => {
    const c: Consent = {
      resourceType: 'Consent',
      id: r.id,
      status: r.status as Consent['status'],
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      contained: [{ resourceType: 'Organization', id: 'c1', identifier: [NPI_A] } as Organization],
      dateTime: '2026-01-05',
      provision: r.provision,
    };
    if (r.patient) c.patient = r.patient;
    if (r.policyRule) c.policyRule = { coding: [{ system: V3_ACT, code: r.policyRule }] };
    return c;
  });

const requestArb: fc.Arbitrary<DisclosureRequest> = fc
  .record({
    patient: fc.constantFrom(PATIENT, PATIENT, 'Patient/other'),
    actor: sometimes(fc.subarray([{ ...NPI_A }, { ...NPI_B }, { reference: 'Organization/org-b' }], { minLength: 1 })),
    purposeOfUse: sometimes(fc.subarray(PURPOSES, { minLength: 1 })),
    action: fc.option(fc.constantFrom(...ACTIONS), { nil: undefined }),
    securityLabel: fc.option(fc.subarray(LABELS), { nil: undefined }),
    class: fc.option(fc.subarray(CLASSES, { minLength: 1 }), { nil: undefined }),
  })
  .map((r) => {
    const input: Record<string, unknown> = { patient: { reference: r.patient }, date: NOW, purposeOfUse: r.purposeOfUse };
    if (r.actor.length > 0) input.actor = r.actor;
    if (r.action) input.action = r.action;
    if (r.securityLabel) input.securityLabel = r.securityLabel;
    if (r.class) input.class = r.class;
    const parsed = parseDisclosureRequest(input);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return parsed.value;
  });

const optionsArb: fc.Arbitrary<CompileConsentsOptions> = fc.constantFrom<CompileConsentsOptions>({ now: NOW }, { now: NOW, resources: ACTOR_RESOURCES });

/** Every provision of a tree, outermost first. */
function provisions(p: ConsentProvision | undefined, out: ConsentProvision[] = []): ConsentProvision[] {
  if (!p) return out;
  out.push(p);
  for (const c of p.provision ?? []) provisions(c, out);
  return out;
}

/** A deny provision: it and every provision nested in it deny (no permit exception inside). */
function allDeny(p: ConsentProvision): ConsentProvision {
  const out: ConsentProvision = { ...p, type: 'deny' };
  if (p.provision) out.provision = p.provision.map(allDeny);
  return out;
}

/** A copy of the consents with `deny` added as a child of the `at`-th provision of consent `which`. */
function withDeny(consents: readonly Consent[], which: number, at: number, deny: ConsentProvision): Consent[] {
  const copy: Consent[] = structuredClone([...consents]);
  const target = copy[which % copy.length];
  const nodes = provisions(target?.provision);
  const node = nodes[at % Math.max(1, nodes.length)];
  if (!node) return copy;
  node.provision = [...(node.provision ?? []), allDeny(deny)];
  return copy;
}

const plain = (d: ConsentDecision): ConsentDecision => ({
  decision: d.decision,
  breakGlass: d.breakGlass,
  obligations: d.obligations,
  basis: d.basis,
  explanation: d.explanation,
  audit: d.audit,
});

describe('compileConsents (properties)', () => {
  it('adding any deny provision never turns DENY or NO_CONSENT into PERMIT', () => {
    fc.assert(
      fc.property(
        fc.array(consentArb, { minLength: 1, maxLength: 4 }),
        requestArb,
        provisionArb(2, pools),
        fc.nat(),
        fc.nat(),
        optionsArb,
        (consents, request, deny, which, at, options) => {
          const before = compileConsents(consents, options).decide(request).decision;
          fc.pre(before !== 'PERMIT');
          const after = compileConsents(withDeny(consents, which, at, deny), options).decide(request).decision;
          expect(after).not.toBe('PERMIT');
        },
      ),
      { numRuns: 400 },
    );
  });

  it('adding a consent whose root denies never turns DENY or NO_CONSENT into PERMIT', () => {
    fc.assert(
      fc.property(fc.array(consentArb, { maxLength: 4 }), requestArb, provisionArb(2, pools), optionsArb, (consents, request, deny, options) => {
        fc.pre(compileConsents(consents, options).decide(request).decision !== 'PERMIT');
        const added: Consent = { ...(consents[0] ?? structuredClone({ resourceType: 'Consent', status: 'active', scope: {}, patient: { reference: PATIENT } } as Consent)), id: 'added', provision: allDeny(deny) };
        expect(compileConsents([...consents, added], options).decide(request).decision).not.toBe('PERMIT');
      }),
      { numRuns: 300 },
    );
  });

  it('removing a consent never turns DENY into PERMIT unless it was the only consent that denied', () => {
    fc.assert(
      fc.property(fc.array(consentArb, { minLength: 1, maxLength: 5 }), requestArb, fc.nat(), optionsArb, (consents, request, pick, options) => {
        const before = compileConsents(consents, options).decide(request);
        fc.pre(before.decision === 'DENY');
        const removed = pick % consents.length;
        const after = compileConsents(
          consents.filter((_, i) => i !== removed),
          options,
        ).decide(request);
        if (after.decision === 'PERMIT') {
          // One explanation entry per consent, in input order (the decision-wide notes aside).
          const perConsent = before.explanation.filter((e) => e.consent !== '-' && e.reason !== 'part2-not-covered');
          const denying = perConsent.flatMap((e, i) => (e.reason === 'deny' ? [i] : []));
          expect(denying).toEqual([removed]);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a set compiled once decides every request as decideConsent does', () => {
    fc.assert(
      fc.property(fc.array(consentArb, { maxLength: 5 }), fc.array(requestArb, { minLength: 1, maxLength: 6 }), optionsArb, (consents, requests, options) => {
        const compiled = compileConsents(consents, options);
        for (const request of requests) expect(plain(compiled.decide(request))).toEqual(decideConsent(consents, request, options));
      }),
      { numRuns: 200 },
    );
  });
});
