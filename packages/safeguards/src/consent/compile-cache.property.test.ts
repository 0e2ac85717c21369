/**
 * The decision cache of a compiled set (decisions remembered by request shape, issue 15): on
 * generated consents (with data, data-period and code criteria too) and requests repeated as
 * copies and as variants that differ only in what no provision reads, every decision equals the
 * one the same set makes with the cache off, and the one `decideConsent` makes.
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
const TYPES = 'http://hl7.org/fhir/resource-types';
const LOINC = 'http://loinc.org';
const PURPOSES = [
  { system: V3_REASON, code: 'TREAT' },
  { system: V3_REASON, code: 'HPAYMT' },
  { system: V3_REASON, code: 'BTG' },
  { system: 'urn:local:purpose', code: 'x' },
];
const LABELS = [
  { system: V3_ACT, code: 'SUD' },
  { system: V3_ACT, code: '42CFRPart2' },
  { system: V3_ACT, code: 'MH' },
  { system: 'urn:local:labels', code: 'x' },
];
const CLASSES = [
  { system: TYPES, code: 'DocumentReference' },
  { system: TYPES, code: 'Encounter' },
];
const CODES = [
  { system: LOINC, code: '11488-4' },
  { system: LOINC, code: '34117-2' },
  // Codes whose system|code spellings would collide under a naive key.
  { system: 'urn:x', code: 'a|b' },
  { system: 'urn:x|a', code: 'b' },
];
const DATA = ['DocumentReference/d1', 'DocumentReference/d2', 'Encounter/e1'];
const DATES = ['2025-06-01', '2026-01-10', '2026-04-01', '2026-06-01'];

const pools: ProvisionPools = {
  dates: DATES,
  actor: fc
    .record({ ref: fc.constantFrom({ identifier: NPI_A }, { identifier: NPI_B }, { reference: 'Organization/org-a' }, { reference: '#c1' }), role: fc.constantFrom('IRCP', 'INF') })
    .map((a) => ({ role: { coding: [{ system: V3_PARTICIPATION, code: a.role }] }, reference: a.ref })),
  purposes: PURPOSES,
  labels: LABELS,
  classes: CLASSES,
  periodFreq: 3,
};

/** Adds data, data-period and code criteria to some provisions of a tree. */
const withDataCriteria = (p: ConsentProvision, extra: readonly number[], at = { i: 0 }): ConsentProvision => {
  const pick = extra[at.i++ % Math.max(1, extra.length)] ?? 0;
  const out: ConsentProvision = { ...p };
  if (pick % 5 === 1) out.data = [{ meaning: 'instance', reference: { reference: DATA[pick % DATA.length] as string } }];
  if (pick % 5 === 2) out.dataPeriod = { start: '2026-01-01', end: '2026-03-31' };
  if (pick % 5 === 3) out.code = [{ coding: [CODES[pick % CODES.length] as { system: string; code: string }] }];
  if (p.provision) out.provision = p.provision.map((c) => withDataCriteria(c, extra, at));
  return out;
};

const consentArb: fc.Arbitrary<Consent> = fc
  .record({
    id: fc.stringMatching(/^c[0-9]{1,3}$/),
    status: fc.constantFrom('active', 'active', 'inactive' as const),
    patient: fc.constantFrom<Consent['patient']>({ reference: PATIENT }, { identifier: PATIENT_MRN }, { reference: 'Patient/other' }),
    provision: provisionArb(3, pools),
    extra: fc.array(fc.nat(9), { minLength: 1, maxLength: 8 }),
  })
  .map(
    (r): Consent => ({
      resourceType: 'Consent',
      id: r.id,
      status: r.status as Consent['status'],
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: LOINC, code: '59284-0' }] }],
      contained: [{ resourceType: 'Organization', id: 'c1', identifier: [NPI_A] } as Organization],
      dateTime: '2026-01-05',
      patient: r.patient as NonNullable<Consent['patient']>,
      provision: withDataCriteria(r.provision, r.extra),
    }),
  );

const FIELDS = ['patient', 'actor', 'purposeOfUse', 'securityLabel', 'class', 'code', 'data', 'dataPeriod', 'date'] as const;
type RawRequest = Record<(typeof FIELDS)[number], unknown>;

const rawRequestArb: fc.Arbitrary<RawRequest> = fc.record({
  patient: fc.constantFrom<Record<string, unknown>>({ reference: PATIENT }, { identifier: PATIENT_MRN }, { reference: 'Patient/other' }),
  actor: sometimes(fc.subarray([{ ...NPI_A }, { ...NPI_B }, { reference: 'Organization/org-a' }], { minLength: 1 })),
  purposeOfUse: sometimes(fc.subarray(PURPOSES, { minLength: 1 })),
  securityLabel: fc.option(fc.subarray(LABELS), { nil: undefined }),
  class: fc.option(fc.subarray(CLASSES, { minLength: 1 }), { nil: undefined }),
  code: fc.option(fc.subarray(CODES, { minLength: 1 }), { nil: undefined }),
  data: fc.option(fc.subarray(DATA, { minLength: 1 }), { nil: undefined }),
  dataPeriod: fc.option(fc.constantFrom({ start: '2026-02-01', end: '2026-02-28' }, { start: '2025-01-01', end: '2026-02-01' }, { start: '2026-05-01' }), { nil: undefined }),
  date: fc.constantFrom(NOW, '2026-04-30', '2026-04-30T12:00:00Z', '2025-12-01'),
});

const toRequest = (r: RawRequest): DisclosureRequest => {
  const input: Record<string, unknown> = { patient: r.patient, date: r.date, purposeOfUse: r.purposeOfUse };
  if ((r.actor as unknown[]).length > 0) input.actor = r.actor;
  for (const key of ['securityLabel', 'class', 'code', 'data', 'dataPeriod'] as const) if (r[key] !== undefined) input[key] = r[key];
  const parsed = parseDisclosureRequest(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
};

/** A request and variants of it that each differ in one field: shapes that a key missing a field would confuse. */
const requestsArb: fc.Arbitrary<DisclosureRequest[]> = fc
  .record({ base: rawRequestArb, others: fc.array(fc.record({ from: rawRequestArb, field: fc.constantFrom(...FIELDS) }), { minLength: 1, maxLength: 6 }) })
  .map(({ base, others }) => [base, ...others.map(({ from, field }) => ({ ...base, [field]: from[field] }))].map(toRequest));

const optionsArb: fc.Arbitrary<CompileConsentsOptions> = fc.constantFrom<CompileConsentsOptions>({ now: NOW }, { now: NOW, resources: ACTOR_RESOURCES }, { now: NOW, strategy: 'permit-overrides' });

const plain = (d: ConsentDecision): ConsentDecision => ({
  decision: d.decision,
  breakGlass: d.breakGlass,
  obligations: d.obligations,
  basis: d.basis,
  explanation: d.explanation,
  audit: d.audit,
});

describe('compileConsents decision cache (properties)', () => {
  it('a request decided from the cache gets the decision the set makes without it, and decideConsent makes', () => {
    fc.assert(
      fc.property(fc.array(consentArb, { minLength: 1, maxLength: 5 }), requestsArb, fc.nat(), optionsArb, (consents, requests, order, options) => {
        const cached = compileConsents(consents, options);
        const uncached = compileConsents(consents, { ...options, decisionCache: 0 });
        // Each request three times: itself, a copy with fresh lists, and itself again (out of order).
        const stream = [...requests, ...requests.map((r) => structuredClone(r)), ...[...requests].reverse()];
        stream.forEach((request, i) => {
          const got = plain(cached.decide(request));
          expect(got).toEqual(plain(uncached.decide(request)));
          if ((i + order) % 4 === 0) expect(got).toEqual(decideConsent(consents, request, options));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a small cache that fills and clears keeps every decision the same', () => {
    fc.assert(
      fc.property(fc.array(consentArb, { minLength: 1, maxLength: 4 }), requestsArb, (consents, requests) => {
        const cached = compileConsents(consents, { now: NOW, decisionCache: 2 });
        const uncached = compileConsents(consents, { now: NOW, decisionCache: 0 });
        for (const request of [...requests, ...requests, ...requests]) expect(plain(cached.decide(request))).toEqual(plain(uncached.decide(request)));
      }),
      { numRuns: 150 },
    );
  });

  it('decisions from the cache share frozen obligations and basis: a caller cannot change the next decision', () => {
    const consent: Consent = {
      resourceType: 'Consent',
      id: 'c1',
      status: 'active',
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: LOINC, code: '59284-0' }] }],
      patient: { reference: PATIENT },
      dateTime: '2026-01-05',
      provision: { type: 'permit', purpose: [PURPOSES[0] as { system: string; code: string }], provision: [{ type: 'deny', securityLabel: [LABELS[2] as { system: string; code: string }] }] },
    };
    const parsed = parseDisclosureRequest({ patient: { reference: PATIENT }, purposeOfUse: ['TREAT'] });
    if (!parsed.ok) throw new Error('request');
    const compiled = compileConsents([consent], { now: NOW });
    const first = compiled.decide(parsed.value);
    expect(first.decision).toBe('PERMIT');
    expect(first.obligations.length).toBeGreaterThan(0);
    expect(Object.isFrozen(first.obligations)).toBe(true);
    expect(Object.isFrozen(first.basis)).toBe(true);
    const second = compiled.decide(structuredClone(parsed.value));
    expect(plain(second)).toEqual(plain(first));
    expect(second.audit).not.toBe(first.audit);
  });
});
