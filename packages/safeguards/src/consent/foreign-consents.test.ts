/**
 * Issue 15: consents written by other engines (LEAP / Consent2Share style, R5 Consent, R5
 * Permission) decide the way those engines' consents mean, and fail closed. Before the fix, a deny
 * sub-provision carrying `action: access` did not apply to a request that named no action (read as
 * `disclose`) or another one, and PeerKit returned PERMIT.
 */
import { describe, expect, it } from 'vitest';
import { label, NPI_A, NPI_B, PATIENT, resourceClass } from '../__fixtures__/consents';
import {
  ACTOR_RESOURCES,
  c2sShareAllExcept,
  permitRootWithDeny,
  r5Consent,
  r5ConsentWithBaseProvision,
  r5Permission,
  type DenyKind,
} from '../__fixtures__/foreign-consents';
import { compileConsents } from './compile-consents';
import type { ConsentResource } from './r5';
import { parseDisclosureRequest } from './request';
import { readConsents } from './read-consents';

const NOW = '2026-05-01';
const CONF = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

function decide(consents: ConsentResource[], request: Record<string, unknown>, resources = true) {
  const parsed = parseDisclosureRequest({ patient: { reference: PATIENT }, date: NOW, ...request });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return compileConsents(consents, resources ? { now: NOW, resources: ACTOR_RESOURCES } : { now: NOW }).decide(parsed.value);
}

/** A request for clinic A, for treatment, of normal-confidentiality encounters. */
const base = { actor: [NPI_A], purposeOfUse: ['TREAT'], securityLabel: [label('N', CONF)], class: [resourceClass('Encounter')] };
/** What falls inside, and outside, each kind of deny. */
const inside: Record<DenyKind, Record<string, unknown>> = {
  actor: { actor: [NPI_B] },
  purpose: { purposeOfUse: ['HMARKT'] },
  label: { securityLabel: [label('ETH')] },
  class: { class: [resourceClass('DocumentReference')] },
};
const outside: Record<DenyKind, Record<string, unknown>> = {
  actor: { actor: [NPI_A] },
  purpose: { purposeOfUse: ['TREAT'] },
  label: { securityLabel: [label('MH')] },
  class: { class: [resourceClass('Encounter')] },
};

const kinds: DenyKind[] = ['actor', 'purpose', 'label', 'class'];
const actions: (string | undefined)[] = [undefined, 'disclose', 'access', 'use'];
const cases = kinds.flatMap((kind) => [false, true].flatMap((withAction) => actions.map((action) => ({ kind, withAction, action }))));

describe('a deny sub-provision under a permit root (LEAP / C2S style)', () => {
  it.each(cases)('deny by $kind (action on the deny: $withAction), request action $action: inside → DENY', ({ kind, withAction, action }) => {
    const result = decide([permitRootWithDeny(kind, withAction)], { ...base, ...inside[kind], ...(action === undefined ? {} : { action }) });
    expect(result.decision).toBe('DENY');
    expect(result.basis.provision).toBe('provision.provision[0]');
  });

  it.each(cases)('deny by $kind (action on the deny: $withAction), request action $action: outside → PERMIT', ({ kind, withAction, action }) => {
    const result = decide([permitRootWithDeny(kind, withAction)], { ...base, ...outside[kind], ...(action === undefined ? {} : { action }) });
    expect(result.decision).toBe('PERMIT');
  });

  it.each(kinds)('deny by %s with action access: another action positively outside it is still denied when it begins with access', (kind) => {
    expect(decide([permitRootWithDeny(kind, true)], { ...base, ...inside[kind], action: 'correct' }).decision).toBe('DENY');
  });

  it('deny by actor: without the supplied resources, the unresolved reference denies everyone (fail closed)', () => {
    expect(decide([permitRootWithDeny('actor', true)], base, false).decision).toBe('DENY');
    expect(decide([permitRootWithDeny('actor', true)], base, true).decision).toBe('PERMIT');
  });

  it('deny by actor: the request may name the actor by its reference', () => {
    expect(decide([permitRootWithDeny('actor', true)], { ...base, actor: [{ reference: 'Organization/org-b' }] }, false).decision).toBe('DENY');
  });

  it('deny by label: data that does not state its labels goes with a REDACT obligation for the label', () => {
    const { securityLabel: _labels, ...unlabelled } = base;
    const result = decide([permitRootWithDeny('label', true)], unlabelled);
    expect(result.decision).toBe('PERMIT');
    const redact = result.obligations.find((o) => o.kind === 'redact' && o.basis.includes('provision.provision[0]'));
    expect(redact?.codes).toEqual([{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'ETH' }]);
  });
});

describe('a Consent2Share-shaped consent (contained INF / IRCP, scope in category)', () => {
  it.each([
    ['a shared category to the named recipient', { ...base }, 'PERMIT'],
    ['an excluded category (the deny carries action access; the request names none)', { ...base, securityLabel: [label('HIV')] }, 'DENY'],
    ['an excluded category, request action disclose', { ...base, securityLabel: [label('PSY')], action: 'disclose' }, 'DENY'],
    ['another recipient', { ...base, actor: [NPI_B] }, 'NO_CONSENT'],
    ['another stated discloser', { ...base, discloser: [{ system: 'https://example.org/synthetic/org', value: 'another-program' }] }, 'NO_CONSENT'],
    ['another purpose', { ...base, purposeOfUse: ['HMARKT'] }, 'NO_CONSENT'],
  ] as const)('%s → %s', (_name, request, decision) => {
    expect(decide([c2sShareAllExcept()], request).decision).toBe(decision);
  });
});

describe('an R5 Consent', () => {
  it('is read, with a finding saying it was mapped', () => {
    const read = readConsents({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: r5Consent() }] });
    expect(read.ok).toBe(true);
    expect(read.issues.map((i) => i.code)).toContain('consent.r5-mapped');
  });

  it.each([
    ['the decision permits clinic A', base, 'PERMIT', 'decision'],
    ['the first exception denies Organization B (resolved through the supplied resources)', { ...base, actor: [NPI_B] }, 'DENY', 'provision[0]'],
    ['the second exception denies SUD data', { ...base, securityLabel: [label('SUD')] }, 'DENY', 'provision[1]'],
    ['outside Consent.period nothing applies', { ...base, date: '2027-02-01' }, 'NO_CONSENT', undefined],
  ] as const)('%s', (_name, request, decision, provision) => {
    const result = decide([r5Consent()], request);
    expect(result.decision).toBe(decision);
    if (provision !== undefined) expect(result.basis.provision).toBe(provision);
  });

  it('a base provision (LEAP writes one) carries the decision; its child is the exception', () => {
    expect(decide([r5ConsentWithBaseProvision()], base).decision).toBe('PERMIT');
    const denied = decide([r5ConsentWithBaseProvision()], { ...base, actor: [NPI_B], purposeOfUse: ['HPAYMT'] });
    expect(denied.decision).toBe('DENY');
    expect(denied.basis.provision).toBe('provision[0].provision[0]');
  });
});

describe('an R5 Permission', () => {
  it.each([
    ['clinic A, treatment', base, 'PERMIT', 'rule[0]'],
    ['clinic A, ETH-labelled data', { ...base, securityLabel: [label('ETH')] }, 'DENY', 'rule[1]'],
    ['clinic B', { ...base, actor: [NPI_B] }, 'NO_CONSENT', undefined],
  ] as const)('%s', (_name, request, decision, provision) => {
    const result = decide([r5Permission()], request);
    expect(result.decision).toBe(decision);
    if (provision !== undefined) expect(result.basis.provision).toBe(provision);
  });

  it('data that does not state its labels goes with a REDACT obligation for ETH', () => {
    const { securityLabel: _labels, ...unlabelled } = base;
    const result = decide([r5Permission()], unlabelled);
    expect(result.decision).toBe('PERMIT');
    expect(result.obligations.some((o) => o.kind === 'redact' && o.codes?.some((c) => c.code === 'ETH'))).toBe(true);
  });
});
