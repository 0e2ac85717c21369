import { describe, expect, it } from 'vitest';
import { NPI_A, NPI_ED, optOut, PATIENT, peerkitTpo } from '../__fixtures__/consents';
import { validateR4 } from '../__fixtures__/validate';
import { createConsentAuditEvent, toInstant } from './audit-event';
import { decideConsent } from './decide';
import { parseDisclosureRequest } from './request';

function req(input: Record<string, unknown>) {
  const r = parseDisclosureRequest({ patient: { reference: PATIENT }, ...input });
  if (!r.ok) throw new Error('request');
  return r.value;
}

describe('createConsentAuditEvent', () => {
  it.each([
    ['a permit', [peerkitTpo()], { actor: [NPI_A], purposeOfUse: ['TREAT'], class: [{ system: 'http://hl7.org/fhir/resource-types', code: 'Encounter' }] }],
    ['a deny', [optOut()], { actor: [NPI_A] }],
    ['no consent, unidentified requester', [], { securityLabel: [{ code: 'SUD' }] }],
    ['break-glass', [optOut()], { actor: [NPI_ED], purposeOfUse: ['BTG'] }],
  ])('produces a valid R4 AuditEvent for %s', (_name, consents, input) => {
    const decision = decideConsent(consents, req(input), { now: '2026-05-01T10:00:00-05:00', audit: { id: 'audit-1' } });
    expect(() => validateR4(decision.audit)).not.toThrow();
    expect(decision.audit.id).toBe('audit-1');
    expect(decision.audit.recorded).toBe('2026-05-01T10:00:00-05:00');
    expect(decision.audit.entity?.[0]?.what).toEqual({ reference: PATIENT });
    expect(decision.audit.entity?.[1]?.detail?.[0]).toEqual({ type: 'decision', valueString: decision.decision });
  });

  it('records who asked, the purpose and the basis consent', () => {
    const decision = decideConsent([peerkitTpo()], req({ actor: [NPI_A], purposeOfUse: ['TREAT'] }), { now: '2026-05-01' });
    const audit = decision.audit;
    expect(audit.agent[0]).toMatchObject({ who: { identifier: NPI_A }, requestor: true });
    expect(audit.purposeOfEvent?.[0]?.coding?.[0]?.code).toBe('TREAT');
    expect(audit.entity?.some((e) => e.what?.reference === 'Consent/pk-tpo')).toBe(true);
    expect(audit.entity?.[1]?.detail?.find((d) => d.type === 'basis')?.valueString).toBe('consent Consent/pk-tpo provision (deny-overrides)');
  });

  it('uses the patient identifier when the request has no reference', () => {
    const r = parseDisclosureRequest({ patient: { identifier: { system: 'urn:x', value: '7' } } });
    if (!r.ok) throw new Error('request');
    const audit = createConsentAuditEvent({ decision: 'NO_CONSENT', breakGlass: false, basis: { kind: 'none', strategy: 'deny-overrides' }, request: r.value, now: new Date(0), consents: [] });
    expect(audit.entity?.[0]?.what).toEqual({ identifier: { system: 'urn:x', value: '7' } });
    expect(audit.recorded).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('consents without id (transaction Bundles)', () => {
  it('are named by business identifier in the explanation and the audit', () => {
    const c = { ...peerkitTpo(), identifier: [{ system: 'https://example.org/synthetic/id/consent', value: 'consent-7' }] };
    delete (c as { id?: string }).id;
    const decision = decideConsent([c], req({ actor: [NPI_A], purposeOfUse: ['TREAT'] }), { now: '2026-05-01' });
    expect(decision.basis.consent).toBe('Consent?identifier=https://example.org/synthetic/id/consent|consent-7');
    expect(decision.audit.entity?.[2]?.what).toEqual({ type: 'Consent', identifier: { system: 'https://example.org/synthetic/id/consent', value: 'consent-7' } });
    expect(() => validateR4(decision.audit)).not.toThrow();
  });
});

describe('toInstant', () => {
  it.each([
    ['2026-05-01', '2026-05-01T00:00:00Z'],
    ['2026-05', '2026-05-01T00:00:00Z'],
    ['2026-05-01T10:00', '2026-05-01T10:00:00Z'],
    ['2026-05-01T10:00:00', '2026-05-01T10:00:00Z'],
    ['2026-05-01T10:00:00+02:00', '2026-05-01T10:00:00+02:00'],
  ])('%s → %s', (input, output) => {
    expect(toInstant(input)).toBe(output);
  });
});
