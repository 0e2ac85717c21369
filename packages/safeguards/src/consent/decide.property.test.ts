import fc from 'fast-check';
import type { Consent, ConsentProvision } from 'fhir/r4';
import { provisionArb, type ProvisionPools } from '../__fixtures__/consent-arbitraries';
import { describe, expect, it } from 'vitest';
import { label, NPI_A, NPI_B, PART2_URI, PATIENT, purpose, resourceClass, V3_PARTICIPATION } from '../__fixtures__/consents';
import { decideConsent } from './decide';
import { readConsents } from './read-consents';
import { parseDisclosureRequest, type DisclosureRequest } from './request';

const PURPOSES = ['TREAT', 'HPAYMT', 'HOPERAT', 'COC', 'PATRQT', 'HRESCH'];
const TPO = ['TREAT', 'HPAYMT', 'HOPERAT'];
const LABELS = ['SUD', '42CFRPart2', 'ETH', 'MH', 'HIV'];
const PART2 = ['SUD', '42CFRPart2', 'ETH', 'ETHUD', 'OPIOIDUD'];
const CLASSES = ['DocumentReference', 'Encounter', 'CarePlan'];
const ACTORS = [NPI_A, NPI_B];
const DATES = ['2025-06-01', '2026-01-10', '2026-03-01', '2026-05-01', '2026-09-30', '2027-02-01'];

const secret = fc.stringMatching(/^[A-Za-z0-9]{10}$/).map((s) => `SECRET${s}`);

const actorArb = fc
  .record({ who: fc.constantFrom(...ACTORS), role: fc.constantFrom('IRCP', 'INF', 'PRCP'), display: secret })
  .map((a) => ({ role: { coding: [{ system: V3_PARTICIPATION, code: a.role }] }, reference: { identifier: a.who, display: a.display } }));

const pools: ProvisionPools = {
  dates: DATES,
  actor: actorArb,
  purposes: PURPOSES.map((c) => purpose(c)),
  labels: LABELS.map((c) => label(c)),
  classes: CLASSES.map(resourceClass),
};

const consentArb: fc.Arbitrary<Consent> = fc
  .record({
    id: fc.stringMatching(/^c[0-9]{1,4}$/),
    status: fc.constantFrom('active', 'active', 'active', 'active', 'active', 'inactive', 'draft', 'rejected', 'proposed', 'entered-in-error' as const),
    other: fc.constantFrom(false, false, false, false, true),
    dateTime: fc.option(fc.constantFrom(...DATES), { nil: undefined }),
    part2Policy: fc.boolean(),
    provision: provisionArb(4, pools),
    narrative: secret,
  })
  .map((r) => {
    const c: Consent = {
      resourceType: 'Consent',
      id: r.id,
      status: r.status as Consent['status'],
      text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${r.narrative}</div>` },
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: r.other ? 'Patient/other' : PATIENT, display: r.narrative },
      provision: r.provision,
    };
    if (r.dateTime) c.dateTime = r.dateTime;
    if (r.part2Policy) c.policy = [{ uri: PART2_URI }];
    return c;
  });

interface RawRequest {
  actor: (typeof ACTORS)[number] | undefined;
  purposes: string[];
  labels: string[];
  classes: string[] | undefined;
  date: string;
}

const requestArb = (labels: fc.Arbitrary<string[]>): fc.Arbitrary<RawRequest> =>
  fc.record({
    actor: fc.option(fc.constantFrom(...ACTORS), { nil: undefined }),
    purposes: fc.oneof(fc.subarray(TPO, { minLength: 1 }), fc.subarray(PURPOSES)),
    labels,
    classes: fc.option(fc.subarray(CLASSES, { minLength: 1 }), { nil: undefined }),
    date: fc.constantFrom('2026-05-01', '2026-05-01', ...DATES),
  });

function toRequest(r: RawRequest): DisclosureRequest {
  const input: Record<string, unknown> = {
    patient: { reference: PATIENT },
    purposeOfUse: r.purposes,
    securityLabel: r.labels.map((c) => label(c)),
    date: r.date,
  };
  if (r.actor) input.actor = [r.actor];
  if (r.classes) input.class = r.classes.map(resourceClass);
  const parsed = parseDisclosureRequest(input);
  if (!parsed.ok) throw new Error('bad request');
  return parsed.value;
}

function walk(p: ConsentProvision | undefined, visit: (p: ConsentProvision) => void): void {
  if (!p) return;
  visit(p);
  for (const child of p.provision ?? []) walk(child, visit);
}

/** An independent, weaker oracle: a consent that could possibly cover Part 2 data for this request. */
function couldCover(c: Consent, r: RawRequest): boolean {
  if (c.status !== 'active' || c.patient?.reference !== PATIENT) return false;
  if (c.dateTime !== undefined && c.dateTime > r.date) return false;
  let names = false;
  let tpo = false;
  walk(c.provision, (p) => {
    if (r.actor && (p.actor ?? []).some((a) => a.reference.identifier?.value === r.actor?.value && a.role.coding?.[0]?.code !== 'INF')) names = true;
    const codes = (p.purpose ?? []).map((x) => x.code);
    if (TPO.every((t) => codes.includes(t)) && r.purposes.length > 0 && r.purposes.every((x) => TPO.includes(x))) tpo = true;
  });
  return names || tpo;
}

const part2Labels = fc
  .tuple(fc.constantFrom(...PART2.filter((l) => LABELS.includes(l))), fc.subarray(LABELS))
  .map(([one, more]) => [...new Set([one, ...more])]);

describe('decideConsent (properties)', () => {
  it('never permits Part 2-labelled data without a covering active consent', () => {
    fc.assert(
      fc.property(fc.array(consentArb, { maxLength: 4 }), requestArb(part2Labels), (consents, raw) => {
        const result = decideConsent(consents, toRequest(raw), { now: '2026-05-01' });
        if (result.decision === 'PERMIT') {
          expect(result.breakGlass).toBe(false);
          expect(consents.some((c) => couldCover(c, raw))).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never permits through a consent that is not active', () => {
    fc.assert(
      fc.property(fc.array(consentArb, { maxLength: 4 }), requestArb(fc.subarray(LABELS)), (consents, raw) => {
        const inactive = consents.map((c) => ({ ...c, status: c.status === 'active' ? ('inactive' as const) : c.status }));
        const result = decideConsent(inactive, toRequest(raw), { now: '2026-05-01' });
        expect(result.decision).toBe('NO_CONSENT');
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic, and deny-overrides does not depend on the order of consents', () => {
    const consentsAndShuffle = fc
      .array(consentArb, { maxLength: 4 })
      .chain((cs) => fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length })));
    fc.assert(
      fc.property(consentsAndShuffle, requestArb(fc.subarray(LABELS)), ([consents, shuffled], raw) => {
        const req = toRequest(raw);
        const a = decideConsent(consents, req, { now: '2026-05-01' });
        const b = decideConsent(consents, req, { now: '2026-05-01' });
        expect(b).toEqual(a);
        expect(decideConsent(shuffled, req, { now: '2026-05-01' }).decision).toBe(a.decision);
      }),
      { numRuns: 200 },
    );
  });

  it('puts no consent narrative, display name or other free text in the audit or explanation', () => {
    fc.assert(
      fc.property(fc.array(consentArb, { minLength: 1, maxLength: 4 }), requestArb(fc.subarray(LABELS)), (consents, raw) => {
        const result = decideConsent(consents, toRequest(raw), { now: '2026-05-01' });
        const text = JSON.stringify({ audit: result.audit, explanation: result.explanation, obligations: result.obligations });
        expect(text).not.toMatch(/SECRET/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('readConsents (properties)', () => {
  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = readConsents(input);
        expect(typeof result.ok).toBe('boolean');
      }),
    );
  });

  it('accepts every generated consent', () => {
    fc.assert(
      fc.property(fc.array(consentArb, { maxLength: 4 }), (consents) => {
        const result = readConsents({ resourceType: 'Bundle', type: 'collection', entry: consents.map((resource) => ({ resource })) });
        expect(result.ok && result.value.length).toBe(consents.length);
      }),
      { numRuns: 100 },
    );
  });
});
