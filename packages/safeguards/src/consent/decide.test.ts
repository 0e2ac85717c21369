import type { Consent } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  allButSud,
  blanketToB,
  c2sStyle,
  consent,
  deepTree,
  label,
  leapStyle,
  MRN,
  NPI_A,
  NPI_B,
  NPI_ED,
  optOut,
  PATIENT,
  PATIENT_MRN,
  peerkitHipaa,
  peerkitPart2Disclosure,
  peerkitTpo,
  resolveSynthetic,
  resourceClass,
} from '../__fixtures__/consents';
import { decideConsent, type DecideConsentOptions } from './decide';
import { parseDisclosureRequest, type DisclosureRequest } from './request';

const NOW = '2026-05-01';

function request(input: Record<string, unknown>): DisclosureRequest {
  const result = parseDisclosureRequest({ patient: { reference: PATIENT }, date: NOW, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const fromA = { actor: [NPI_A] };
const fromB = { actor: [NPI_B] };
const sud = [label('SUD'), label('42CFRPart2'), label('R', 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality')];
const docs = [resourceClass('DocumentReference')];

interface Scenario {
  name: string;
  consents: Consent[];
  req: Record<string, unknown>;
  decision: 'PERMIT' | 'DENY' | 'NO_CONSENT';
  basis?: string | undefined;
  provision?: string | undefined;
  reason?: string | undefined;
  options?: Partial<DecideConsentOptions>;
}

const scenarios: Scenario[] = [
  {
    name: 'permit: named recipient, covered purpose, labels and class',
    consents: [peerkitPart2Disclosure()],
    req: { ...fromA, purposeOfUse: ['COC'], securityLabel: sud, class: docs },
    decision: 'PERMIT',
    basis: 'Consent/pk-part2-a',
    provision: 'provision',
  },
  {
    name: 'deny: an opt-out with no criteria denies everything',
    consents: [optOut()],
    req: { ...fromA, purposeOfUse: ['TREAT'] },
    decision: 'DENY',
    basis: 'Consent/opt-out',
  },
  {
    name: 'nested exception: treatment permitted except SUD data',
    consents: [allButSud()],
    req: { ...fromB, purposeOfUse: ['TREAT'], securityLabel: [label('SUD')] },
    decision: 'DENY',
    provision: 'provision.provision[0]',
  },
  {
    name: 'nested exception: other data is still permitted',
    consents: [allButSud()],
    req: { ...fromB, purposeOfUse: ['TREAT'], securityLabel: [label('N', 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality')] },
    decision: 'PERMIT',
    provision: 'provision',
  },
  {
    name: 'deeper nesting (level 3): SUD data permitted to recipient A',
    consents: [deepTree()],
    req: { ...fromA, purposeOfUse: ['TREAT'], securityLabel: sud, class: [resourceClass('Encounter')] },
    decision: 'PERMIT',
    provision: 'provision.provision[0].provision[0]',
  },
  {
    name: "deeper nesting (level 4): except A's documents",
    consents: [deepTree()],
    req: { ...fromA, purposeOfUse: ['TREAT'], securityLabel: sud, class: docs },
    decision: 'DENY',
    provision: 'provision.provision[0].provision[0].provision[0]',
  },
  {
    name: 'deeper nesting (level 2): SUD data to anyone else is denied',
    consents: [deepTree()],
    req: { ...fromB, purposeOfUse: ['TREAT'], securityLabel: sud, class: [resourceClass('Encounter')] },
    decision: 'DENY',
    provision: 'provision.provision[0]',
  },
  {
    name: 'expired: provision.period ended',
    consents: [peerkitPart2Disclosure({ provision: { ...peerkitPart2Disclosure().provision, period: { start: '2026-01-10', end: '2026-03-31' } } })],
    req: { ...fromA, purposeOfUse: ['COC'], securityLabel: sud, class: docs },
    decision: 'NO_CONSENT',
    reason: 'expired',
  },
  {
    name: 'revoked: status inactive never permits',
    consents: [peerkitPart2Disclosure({ status: 'inactive' })],
    req: { ...fromA, purposeOfUse: ['COC'], securityLabel: sud, class: docs },
    decision: 'NO_CONSENT',
    reason: 'status-inactive',
  },
  {
    name: 'draft never permits',
    consents: [peerkitPart2Disclosure({ status: 'draft' })],
    req: { ...fromA, purposeOfUse: ['COC'], securityLabel: sud, class: docs },
    decision: 'NO_CONSENT',
    reason: 'status-draft',
  },
  {
    name: 'not yet valid: period starts later',
    consents: [peerkitPart2Disclosure({ provision: { ...peerkitPart2Disclosure().provision, period: { start: '2026-06-01' } } })],
    req: { ...fromA, purposeOfUse: ['COC'], securityLabel: sud, class: docs },
    decision: 'NO_CONSENT',
    reason: 'not-yet-valid',
  },
  {
    name: 'not yet valid: signed after the request date',
    consents: [peerkitPart2Disclosure({ dateTime: '2026-05-02T10:00:00Z' })],
    req: { ...fromA, purposeOfUse: ['COC'], securityLabel: sud, class: docs },
    decision: 'NO_CONSENT',
    reason: 'not-yet-valid',
  },
  {
    name: 'wrong recipient',
    consents: [peerkitPart2Disclosure()],
    req: { ...fromB, purposeOfUse: ['COC'], securityLabel: sud, class: docs },
    decision: 'NO_CONSENT',
    reason: 'actor',
  },
  {
    name: 'wrong purpose',
    consents: [peerkitPart2Disclosure()],
    req: { ...fromA, purposeOfUse: ['HRESCH'], securityLabel: sud, class: docs },
    decision: 'NO_CONSENT',
    reason: 'purpose',
  },
  {
    name: 'a permit needs every requested purpose',
    consents: [peerkitPart2Disclosure()],
    req: { ...fromA, purposeOfUse: ['COC', 'HMARKT'], securityLabel: sud, class: docs },
    decision: 'NO_CONSENT',
    reason: 'purpose',
  },
  {
    name: 'wrong action',
    consents: [peerkitPart2Disclosure()],
    req: { ...fromA, purposeOfUse: ['COC'], action: 'correct', securityLabel: sud, class: docs },
    decision: 'NO_CONSENT',
    reason: 'action',
  },
  {
    name: 'TPO consent: any recipient, treatment, Part 2 data',
    consents: [peerkitTpo()],
    req: { ...fromB, purposeOfUse: ['TREAT'], securityLabel: sud, class: docs },
    decision: 'PERMIT',
    basis: 'Consent/pk-tpo',
  },
  {
    name: 'TPO consent: payment and operations too',
    consents: [peerkitTpo()],
    req: { ...fromB, purposeOfUse: ['HPAYMT', 'HOPERAT'], securityLabel: sud, class: [resourceClass('Claim')] },
    decision: 'PERMIT',
  },
  {
    name: 'TPO consent does not cover research',
    consents: [peerkitTpo()],
    req: { ...fromB, purposeOfUse: ['HRESCH'], securityLabel: sud, class: docs },
    decision: 'NO_CONSENT',
    reason: 'purpose',
  },
  {
    name: 'Part 2: a treatment-and-payment consent without named recipient does not cover Part 2 data',
    consents: [peerkitTpo(['TREAT', 'HPAYMT'])],
    req: { ...fromB, purposeOfUse: ['TREAT'], securityLabel: sud, class: docs },
    decision: 'DENY',
    reason: 'part2-not-covered',
  },
  {
    name: 'Part 2 without consent: none at all',
    consents: [],
    req: { ...fromB, purposeOfUse: ['TREAT'], securityLabel: sud, class: docs },
    decision: 'NO_CONSENT',
    reason: 'part2-requires-consent',
  },
  {
    name: 'Part 2 without consent: a blanket authorization that never describes SUD data',
    consents: [blanketToB()],
    req: { ...fromB, purposeOfUse: ['TREAT'], securityLabel: sud, class: docs },
    decision: 'DENY',
    reason: 'part2-not-covered',
  },
  {
    name: 'Part 2 without consent: a mental-health authorization does not reach SUD data',
    consents: [peerkitHipaa()],
    req: { ...fromB, purposeOfUse: ['PATRQT'], securityLabel: sud },
    decision: 'NO_CONSENT',
    reason: 'data',
  },
  {
    name: 'HIPAA authorization: mental-health data to B at the patient request',
    consents: [peerkitHipaa()],
    req: { ...fromB, purposeOfUse: ['PATRQT'], securityLabel: [label('MH')] },
    decision: 'PERMIT',
  },
  {
    name: 'break-glass: permitted over a deny, flagged',
    consents: [optOut()],
    req: { actor: [NPI_ED], purposeOfUse: ['BTG'], securityLabel: sud },
    decision: 'PERMIT',
    reason: 'break-glass',
  },
  {
    name: 'break-glass needs the requesting actor',
    consents: [optOut()],
    req: { purposeOfUse: ['BTG'], securityLabel: sud },
    decision: 'DENY',
    reason: 'break-glass-no-actor',
  },
  {
    name: 'break-glass can be switched off',
    consents: [optOut()],
    req: { actor: [NPI_ED], purposeOfUse: ['BTG'], securityLabel: sud },
    decision: 'DENY',
    options: { breakGlassPurposes: [] },
  },
  {
    name: 'deny-overrides across consents',
    consents: [optOut(), blanketToB()],
    req: { ...fromB, purposeOfUse: ['TREAT'] },
    decision: 'DENY',
    basis: 'Consent/opt-out',
  },
  {
    name: 'most-recent strategy: the newer permit wins',
    consents: [optOut('2025-12-01'), blanketToB()],
    req: { ...fromB, purposeOfUse: ['TREAT'] },
    decision: 'PERMIT',
    basis: 'Consent/blanket-b',
    options: { strategy: 'most-recent' },
  },
  {
    name: 'permit-overrides strategy',
    consents: [optOut(), blanketToB()],
    req: { ...fromB, purposeOfUse: ['TREAT'] },
    decision: 'PERMIT',
    basis: 'Consent/blanket-b',
    options: { strategy: 'permit-overrides' },
  },
  {
    name: 'other patient',
    consents: [consent({ id: 'other', patient: { reference: 'Patient/someone-else' }, provision: { type: 'permit' } })],
    req: { ...fromB, purposeOfUse: ['TREAT'] },
    decision: 'NO_CONSENT',
    reason: 'other-patient',
  },
  {
    name: 'C2S style: recipient A receives the shared category (legacy URIs normalized)',
    consents: [c2sStyle()],
    req: { ...fromA, purposeOfUse: ['TREAT'], securityLabel: [label('ETH'), label('42CFRPart2')] },
    decision: 'PERMIT',
    provision: 'provision.provision[0]',
  },
  {
    name: 'C2S style: a category not shared is denied',
    consents: [c2sStyle()],
    req: { ...fromA, purposeOfUse: ['TREAT'], securityLabel: [label('HIV')] },
    decision: 'DENY',
    provision: 'provision',
  },
  {
    name: 'C2S style: the stated discloser must be the informant',
    consents: [c2sStyle()],
    req: { ...fromA, discloser: [{ system: 'https://example.org/synthetic/org', value: 'another-program' }], purposeOfUse: ['TREAT'], securityLabel: [label('ETH')] },
    decision: 'NO_CONSENT',
    reason: 'discloser',
  },
  {
    name: 'LEAP style: opt-out policyRule with an exception for a resolved actor reference',
    consents: [leapStyle()],
    req: { patient: { identifier: PATIENT_MRN }, ...fromA, purposeOfUse: ['TREAT'] },
    decision: 'PERMIT',
    provision: 'provision.provision[0]',
    options: { resolveReference: resolveSynthetic },
  },
  {
    name: 'LEAP style: others stay denied',
    consents: [leapStyle()],
    req: { patient: { identifier: PATIENT_MRN }, ...fromB, purposeOfUse: ['TREAT'] },
    decision: 'DENY',
    provision: 'provision',
    options: { resolveReference: resolveSynthetic },
  },
  {
    name: 'patient given by identifier only, consent by reference: no match without a resolver',
    consents: [blanketToB()],
    req: { patient: { identifier: { system: MRN, value: 'MRN-SYN-0001' } }, ...fromB },
    decision: 'NO_CONSENT',
    reason: 'other-patient',
  },
];

describe('decideConsent', () => {
  it.each(scenarios)('$name', ({ consents, req, decision, basis, provision, reason, options }) => {
    const result = decideConsent(consents, request(req), { now: NOW, ...options });
    expect(result.decision).toBe(decision);
    if (basis !== undefined) expect(result.basis.consent).toBe(basis);
    if (provision !== undefined) expect(result.basis.provision).toBe(provision);
    if (reason !== undefined) expect(result.explanation.map((e) => e.reason)).toContain(reason);
    // Every consent is explained, in input order.
    for (const c of consents) expect(result.explanation.some((e) => e.consent === `Consent/${c.id}`)).toBe(true);
    expect(result.audit.outcomeDesc).toBe(decision);
  });

  it('flags break-glass, asks for the emergency to be documented and audits it', () => {
    const result = decideConsent([optOut()], request({ actor: [NPI_ED], purposeOfUse: ['BTG'], securityLabel: sud }), { now: NOW });
    expect(result.breakGlass).toBe(true);
    expect(result.basis.kind).toBe('break-glass');
    expect(result.obligations.map((o) => o.kind)).toEqual(['document-emergency', 'attach-notice']);
    expect(result.audit.subtype?.[0]?.code).toBe('break-glass');
    expect(result.audit.entity?.[1]?.detail).toContainEqual({ type: 'break-glass', valueString: 'true' });
    expect(result.explanation.at(-1)?.message).toMatch(/would be DENY/);
  });

  it('attaches the no-redisclosure notice to a permitted Part 2 disclosure', () => {
    const result = decideConsent([peerkitTpo()], request({ ...fromB, purposeOfUse: ['TREAT'], securityLabel: sud, class: docs }), { now: NOW });
    const notice = result.obligations.find((o) => o.kind === 'attach-notice');
    expect(notice?.code.code).toBe('NORDSCLCD');
    expect(notice?.notice).toMatch(/42 CFR part 2/);
    expect(notice?.source).toBe('42 CFR §2.32');
  });

  it('does not attach the notice to data that carries no Part 2 label', () => {
    const result = decideConsent([peerkitHipaa()], request({ ...fromB, purposeOfUse: ['PATRQT'], securityLabel: [label('MH')] }), { now: NOW });
    expect(result.obligations).toEqual([]);
  });

  it('turns a denied subset into a redact obligation when the request does not state its data', () => {
    const result = decideConsent([allButSud()], request({ ...fromB, purposeOfUse: ['TREAT'] }), { now: NOW });
    expect(result.decision).toBe('PERMIT');
    const redact = result.obligations.filter((o) => o.kind === 'redact');
    expect(redact[0]?.codes).toEqual([{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'SUD' }]);
    expect(redact[0]?.basis).toBe('Consent/all-but-sud provision.provision[0]');
    // The consent does not cover Part 2 data, so every Part 2 label is redacted too; no notice needed.
    expect(redact[1]?.basis).toMatch(/^part2:/);
    expect(result.obligations.some((o) => o.kind === 'attach-notice')).toBe(false);
  });

  it('turns a permitted subset under a deny into a limit-to obligation (better than LEAP, which ends DENY)', () => {
    const result = decideConsent([c2sStyle()], request({ ...fromA, purposeOfUse: ['TREAT'] }), { now: NOW });
    expect(result.decision).toBe('PERMIT');
    const limit = result.obligations.find((o) => o.kind === 'limit-to');
    expect(limit?.codes?.map((c) => c.code)).toEqual(['ETH', 'PSY']);
    expect(result.explanation[0]?.outcome).toBe('permit-limited');
  });

  it('a limited root (PeerKit TPO) permits only its data when the request does not state labels', () => {
    const result = decideConsent([peerkitTpo()], request({ ...fromB, purposeOfUse: ['TREAT'] }), { now: NOW });
    expect(result.decision).toBe('PERMIT');
    const limit = result.obligations.find((o) => o.kind === 'limit-to');
    expect(limit?.scope?.[0]?.securityLabel?.map((c) => c.code)).toEqual(['SUD']);
    expect(limit?.scope?.[0]?.class?.length).toBe(4);
    expect(result.obligations.some((o) => o.kind === 'attach-notice')).toBe(true);
  });

  it('a deny with a purpose applies when the request states no purpose; a permit with one does not', () => {
    const deny = consent({ id: 'deny-research', provision: { type: 'deny', purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HRESCH' }] } });
    expect(decideConsent([deny], request(fromB), { now: NOW }).decision).toBe('DENY');
    expect(decideConsent([peerkitHipaa()], request({ ...fromB, securityLabel: [label('MH')] }), { now: NOW }).decision).toBe('NO_CONSENT');
  });

  it('matches dataPeriod and data references', () => {
    const c = consent({
      id: 'dated',
      provision: {
        type: 'permit',
        actor: [{ role: { coding: [{ code: 'IRCP' }] }, reference: { identifier: NPI_B } }],
        dataPeriod: { start: '2026-01-01', end: '2026-03-31' },
        provision: [{ type: 'deny', data: [{ meaning: 'instance', reference: { reference: 'DocumentReference/doc-9' } }] }],
      },
    });
    const ask = (extra: Record<string, unknown>) => decideConsent([c], request({ ...fromB, ...extra }), { now: NOW }).decision;
    expect(ask({ dataPeriod: { start: '2026-02-01', end: '2026-02-28' }, data: ['DocumentReference/doc-1'] })).toBe('PERMIT');
    expect(ask({ dataPeriod: { start: '2026-02-01', end: '2026-02-28' }, data: ['https://ehr.example/fhir/DocumentReference/doc-9'] })).toBe('DENY');
    expect(ask({ dataPeriod: { start: '2026-04-01', end: '2026-04-30' }, data: ['DocumentReference/doc-1'] })).toBe('NO_CONSENT');
    const partial = decideConsent([c], request({ ...fromB, dataPeriod: { start: '2026-03-01', end: '2026-04-30' } }), { now: NOW });
    expect(partial.obligations.find((o) => o.kind === 'limit-to')?.scope?.[0]?.dataPeriod).toEqual({ start: '2026-01-01', end: '2026-03-31' });
  });

  it('reads a nested provision without type as the opposite of its parent', () => {
    const c = consent({ id: 'untyped', provision: { type: 'permit', provision: [{ securityLabel: [label('HIV')] }] } });
    expect(decideConsent([c], request({ ...fromB, securityLabel: [label('HIV')] }), { now: NOW }).decision).toBe('DENY');
    expect(decideConsent([c], request({ ...fromB, securityLabel: [label('MH')] }), { now: NOW }).decision).toBe('PERMIT');
  });

  it('siblings in conflict: deny-overrides', () => {
    const c = consent({
      id: 'siblings',
      provision: {
        type: 'deny',
        provision: [
          { type: 'permit', purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }] },
          { type: 'deny', actor: [{ role: { coding: [{ code: 'IRCP' }] }, reference: { identifier: NPI_B } }] },
        ],
      },
    });
    expect(decideConsent([c], request({ ...fromB, purposeOfUse: ['TREAT'] }), { now: NOW }).decision).toBe('DENY');
    expect(decideConsent([c], request({ ...fromA, purposeOfUse: ['TREAT'] }), { now: NOW }).decision).toBe('PERMIT');
    expect(decideConsent([c], request({ ...fromB, purposeOfUse: ['TREAT'] }), { now: NOW, strategy: 'permit-overrides' }).decision).toBe('PERMIT');
  });

  it('explains why each other consent did not apply', () => {
    const result = decideConsent(
      [peerkitPart2Disclosure({ status: 'inactive' }), peerkitHipaa(), peerkitTpo()],
      request({ ...fromB, purposeOfUse: ['TREAT'], securityLabel: sud, class: docs }),
      { now: NOW },
    );
    expect(result.decision).toBe('PERMIT');
    expect(result.explanation.map((e) => [e.consent, e.role, e.reason])).toEqual([
      ['Consent/pk-part2-a', 'not-applicable', 'status-inactive'],
      ['Consent/pk-hipaa-b', 'not-applicable', 'purpose'],
      ['Consent/pk-tpo', 'decided', 'permit'],
    ]);
    for (const entry of result.explanation) expect(entry.message).not.toMatch(/Synthetic/);
  });

  it('does not mutate its inputs', () => {
    const consents = [deepTree(), c2sStyle(), leapStyle()];
    const before = JSON.stringify(consents);
    const req = request({ ...fromA, purposeOfUse: ['TREAT'] });
    const reqBefore = JSON.stringify(req);
    decideConsent(consents, req, { now: NOW, resolveReference: resolveSynthetic });
    expect(JSON.stringify(consents)).toBe(before);
    expect(JSON.stringify(req)).toBe(reqBefore);
  });

  it('uses the clock when the request has no date', () => {
    const req = parseDisclosureRequest({ patient: { reference: PATIENT }, ...fromA, purposeOfUse: ['COC'], securityLabel: sud, class: docs });
    if (!req.ok) throw new Error('request');
    expect(decideConsent([peerkitPart2Disclosure()], req.value, { now: new Date('2026-05-01T12:00:00Z') }).decision).toBe('PERMIT');
    expect(decideConsent([peerkitPart2Disclosure()], req.value, { now: new Date('2027-05-01T12:00:00Z') }).decision).toBe('NO_CONSENT');
  });

  it('rejects a clock that is not a date', () => {
    expect(() => decideConsent([], request({}), { now: 'tomorrow' })).toThrow(/option now/);
  });
});
