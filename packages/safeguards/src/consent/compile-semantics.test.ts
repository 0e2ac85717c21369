/**
 * The semantics table of docs/consent-and-part2.md, one row per line: a deny provision applies
 * unless the request positively falls outside it; a permit applies only when the request positively
 * falls inside it. Each row names the table line it checks.
 */
import type { Consent, ConsentProvision, Reference } from 'fhir/r4';
import type { Consent as R5Consent, Permission } from 'fhir/r5';
import { describe, expect, it } from 'vitest';
import { consent, NPI_A, NPI_B, PATIENT, PATIENT_MRN, PROGRAM_ID, V3_ACT, V3_PARTICIPATION, V3_REASON } from '../__fixtures__/consents';
import { ACTOR_RESOURCES } from '../__fixtures__/foreign-consents';
import { compileConsents, type CompileConsentsOptions } from './compile-consents';
import type { ConsentResource } from './r5';
import { parseDisclosureRequest } from './request';

const NOW = '2026-05-01';
const ACTION = 'http://terminology.hl7.org/CodeSystem/consentaction';
const CONF = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const TYPES = 'http://hl7.org/fhir/resource-types';
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const TAX = 'urn:oid:2.16.840.1.113883.4.4';

const act = (code: string, system = ACTION) => [{ coding: [{ system, code }] }];
const ircp = (reference: Reference, role = 'IRCP') => ({
  role: { coding: [{ system: V3_PARTICIPATION, code: role }] },
  reference,
});
/** A permit root (no criteria) with one deny sub-provision. */
const denyUnderPermit = (deny: ConsentProvision): Consent => consent({ id: 'c', provision: { type: 'permit', provision: [{ type: 'deny', ...deny }] } });
const permitRoot = (p: ConsentProvision): Consent => consent({ id: 'c', provision: { type: 'permit', ...p } });
const fromA = { actor: [NPI_A], purposeOfUse: ['TREAT'] };

interface Row {
  line: number;
  name: string;
  consents: ConsentResource[];
  request: Record<string, unknown>;
  decision: 'PERMIT' | 'DENY' | 'NO_CONSENT';
  provision?: string;
  options?: Partial<CompileConsentsOptions>;
}

const r5 = (p: Partial<R5Consent>): R5Consent => ({ resourceType: 'Consent', id: 'c', status: 'active', subject: { reference: PATIENT }, decision: 'permit', ...p });

const rows: Row[] = [
  // 1–4 action
  { line: 1, name: 'no action stated: a deny on an action applies', consents: [denyUnderPermit({ action: act('access') })], request: fromA, decision: 'DENY', provision: 'provision.provision[0]' },
  { line: 1, name: 'no action stated: a permit reads it as disclose', consents: [permitRoot({ action: act('access') })], request: fromA, decision: 'NO_CONSENT' },
  { line: 1, name: 'no action stated: a permit of disclose applies', consents: [permitRoot({ action: act('disclose') })], request: fromA, decision: 'PERMIT' },
  { line: 2, name: 'disclose implies access (deny)', consents: [denyUnderPermit({ action: act('access') })], request: { ...fromA, action: 'disclose' }, decision: 'DENY' },
  { line: 2, name: 'use implies access (deny)', consents: [denyUnderPermit({ action: act('access') })], request: { ...fromA, action: 'use' }, decision: 'DENY' },
  { line: 2, name: 'correct implies access (deny)', consents: [denyUnderPermit({ action: act('access') })], request: { ...fromA, action: 'correct' }, decision: 'DENY' },
  { line: 2, name: 'a permit of access does not cover disclose', consents: [permitRoot({ action: act('access') })], request: { ...fromA, action: 'disclose' }, decision: 'NO_CONSENT' },
  { line: 3, name: 'access is positively not a disclosure', consents: [denyUnderPermit({ action: act('disclose') })], request: { ...fromA, action: 'access' }, decision: 'PERMIT' },
  { line: 4, name: 'unknown provision action: a deny applies', consents: [denyUnderPermit({ action: act('read', 'urn:local') })], request: { ...fromA, action: 'disclose' }, decision: 'DENY' },
  { line: 4, name: 'unknown request action: a deny applies', consents: [denyUnderPermit({ action: act('disclose') })], request: { ...fromA, action: { system: 'urn:local', code: 'read' } }, decision: 'DENY' },
  { line: 4, name: 'unknown provision action: a permit never applies', consents: [permitRoot({ action: act('read', 'urn:local') })], request: { ...fromA, action: 'access' }, decision: 'NO_CONSENT' },
  // 5–8 purpose
  { line: 5, name: 'no purpose stated: a deny on a purpose applies', consents: [denyUnderPermit({ purpose: [{ system: V3_REASON, code: 'HMARKT' }] })], request: { actor: [NPI_A] }, decision: 'DENY' },
  { line: 5, name: 'no purpose stated: a permit on a purpose does not', consents: [permitRoot({ purpose: [{ system: V3_REASON, code: 'TREAT' }] })], request: { actor: [NPI_A] }, decision: 'NO_CONSENT' },
  { line: 6, name: 'a broader requested purpose meets a narrower deny', consents: [denyUnderPermit({ purpose: [{ system: V3_REASON, code: 'ETREAT' }] })], request: fromA, decision: 'DENY' },
  { line: 6, name: 'a narrower requested purpose meets a broader deny', consents: [denyUnderPermit({ purpose: [{ system: V3_REASON, code: 'TREAT' }] })], request: { actor: [NPI_A], purposeOfUse: ['COC'] }, decision: 'DENY' },
  { line: 6, name: 'a permit covers only the purposes it lists (LEAP, C2S match exactly)', consents: [permitRoot({ purpose: [{ system: V3_REASON, code: 'TREAT' }] })], request: { actor: [NPI_A], purposeOfUse: ['ETREAT'] }, decision: 'NO_CONSENT' },
  { line: 6, name: 'a permit needs every requested purpose', consents: [permitRoot({ purpose: [{ system: V3_REASON, code: 'TREAT' }] })], request: { actor: [NPI_A], purposeOfUse: ['TREAT', 'HMARKT'] }, decision: 'NO_CONSENT' },
  { line: 7, name: 'an unrelated purpose is outside a deny', consents: [denyUnderPermit({ purpose: [{ system: V3_REASON, code: 'HMARKT' }] })], request: fromA, decision: 'PERMIT' },
  { line: 8, name: 'an unknown requested purpose meets a deny', consents: [denyUnderPermit({ purpose: [{ system: V3_REASON, code: 'HMARKT' }] })], request: { actor: [NPI_A], purposeOfUse: [{ system: 'urn:local', code: 'x' }] }, decision: 'DENY' },
  // 9–16 data codes
  { line: 9, name: 'labels not stated: a denied label becomes a REDACT obligation', consents: [denyUnderPermit({ securityLabel: [{ system: V3_ACT, code: 'HIV' }] })], request: fromA, decision: 'PERMIT' },
  { line: 10, name: 'a narrower label meets a deny (OPIOIDUD is a SUD)', consents: [denyUnderPermit({ securityLabel: [{ system: V3_ACT, code: 'SUD' }] })], request: { ...fromA, securityLabel: [{ system: V3_ACT, code: 'OPIOIDUD' }] }, decision: 'DENY' },
  { line: 11, name: 'an overlapping label meets a deny (ETH and SUD)', consents: [denyUnderPermit({ securityLabel: [{ system: V3_ACT, code: 'ETH' }] })], request: { ...fromA, securityLabel: [{ system: V3_ACT, code: 'SUD' }] }, decision: 'DENY' },
  { line: 11, name: 'an overlapping label does not meet a permit', consents: [permitRoot({ securityLabel: [{ system: V3_ACT, code: 'BH' }] })], request: { ...fromA, securityLabel: [{ system: V3_ACT, code: 'MH' }] }, decision: 'NO_CONSENT' },
  { line: 12, name: 'confidentiality at or below a permit is covered', consents: [permitRoot({ securityLabel: [{ system: CONF, code: 'R' }] })], request: { ...fromA, securityLabel: [{ system: CONF, code: 'N' }] }, decision: 'PERMIT' },
  { line: 12, name: 'confidentiality below a deny meets it', consents: [denyUnderPermit({ securityLabel: [{ system: CONF, code: 'R' }] })], request: { ...fromA, securityLabel: [{ system: CONF, code: 'N' }] }, decision: 'DENY' },
  { line: 13, name: 'confidentiality above a deny meets it', consents: [denyUnderPermit({ securityLabel: [{ system: CONF, code: 'R' }] })], request: { ...fromA, securityLabel: [{ system: CONF, code: 'V' }] }, decision: 'DENY' },
  { line: 13, name: 'confidentiality above a permit is not covered', consents: [permitRoot({ securityLabel: [{ system: CONF, code: 'R' }] })], request: { ...fromA, securityLabel: [{ system: CONF, code: 'V' }] }, decision: 'NO_CONSENT' },
  { line: 14, name: 'a confidentiality code is outside a sensitivity deny', consents: [denyUnderPermit({ securityLabel: [{ system: V3_ACT, code: 'HIV' }] })], request: { ...fromA, securityLabel: [{ system: CONF, code: 'R' }] }, decision: 'PERMIT' },
  { line: 14, name: 'an unknown label system meets a deny', consents: [denyUnderPermit({ securityLabel: [{ system: V3_ACT, code: 'HIV' }] })], request: { ...fromA, securityLabel: [{ system: 'urn:local:labels', code: 'x' }] }, decision: 'DENY' },
  { line: 15, name: 'a class in another system meets a deny (MIME vs resource type)', consents: [denyUnderPermit({ class: [{ system: 'urn:ietf:bcp:13', code: 'text/plain' }] })], request: { ...fromA, class: [{ system: TYPES, code: 'DocumentReference' }] }, decision: 'DENY' },
  { line: 15, name: 'another resource type is outside a class deny', consents: [denyUnderPermit({ class: [{ system: TYPES, code: 'DocumentReference' }] })], request: { ...fromA, class: [{ system: TYPES, code: 'Encounter' }] }, decision: 'PERMIT' },
  { line: 15, name: 'a code in another system meets a deny', consents: [denyUnderPermit({ code: [{ coding: [{ system: 'http://loinc.org', code: '11506-3' }] }] })], request: { ...fromA, code: [{ system: 'http://snomed.info/sct', code: '1234567' }] }, decision: 'DENY' },
  { line: 16, name: 'an ICD-10-CM subcode meets a category deny', consents: [denyUnderPermit({ code: [{ coding: [{ system: ICD, code: 'F10' }] }] })], request: { ...fromA, code: [{ system: ICD, code: 'F10.20' }] }, decision: 'DENY' },
  { line: 16, name: 'another ICD-10-CM category is outside', consents: [denyUnderPermit({ code: [{ coding: [{ system: ICD, code: 'F10' }] }] })], request: { ...fromA, code: [{ system: ICD, code: 'F32.9' }] }, decision: 'PERMIT' },
  // 17–20 data references and periods
  { line: 17, name: 'another resource is outside a data deny', consents: [denyUnderPermit({ data: [{ meaning: 'instance', reference: { reference: 'DocumentReference/d1' } }] })], request: { ...fromA, data: ['DocumentReference/d2'] }, decision: 'PERMIT' },
  { line: 18, name: 'a related-data deny applies to any stated data', consents: [denyUnderPermit({ data: [{ meaning: 'related', reference: { reference: 'DocumentReference/d1' } }] })], request: { ...fromA, data: ['DocumentReference/d2'] }, decision: 'DENY' },
  { line: 19, name: 'data from a disjoint period is outside a dataPeriod deny', consents: [denyUnderPermit({ dataPeriod: { start: '2025-01-01', end: '2025-12-31' } })], request: { ...fromA, dataPeriod: { start: '2026-01-01', end: '2026-03-31' } }, decision: 'PERMIT' },
  { line: 19, name: 'an unreadable dataPeriod: a deny applies', consents: [denyUnderPermit({ dataPeriod: { start: '2025-13-01' } })], request: { ...fromA, dataPeriod: { start: '2026-01-01', end: '2026-03-31' } }, decision: 'DENY' },
  { line: 19, name: 'an unreadable dataPeriod: a permit does not', consents: [permitRoot({ dataPeriod: { start: '2025-13-01' } })], request: { ...fromA, dataPeriod: { start: '2026-01-01', end: '2026-03-31' } }, decision: 'NO_CONSENT' },
  { line: 20, name: 'an unreadable provision.period: a deny applies', consents: [denyUnderPermit({ period: { start: 'soon' } })], request: fromA, decision: 'DENY' },
  { line: 20, name: 'a request after a deny provision.period is outside it', consents: [denyUnderPermit({ period: { end: '2026-03-31' } })], request: fromA, decision: 'PERMIT' },
  // 21–27 actors
  { line: 21, name: 'no actor stated: a deny on an actor applies', consents: [denyUnderPermit({ actor: [ircp({ identifier: NPI_B })] })], request: { purposeOfUse: ['TREAT'] }, decision: 'DENY' },
  { line: 21, name: 'no actor stated: a permit naming one does not', consents: [permitRoot({ actor: [ircp({ identifier: NPI_A })] })], request: { purposeOfUse: ['TREAT'] }, decision: 'NO_CONSENT' },
  { line: 22, name: 'a literal reference resolved through the supplied resources', consents: [denyUnderPermit({ actor: [ircp({ reference: 'Organization/org-b' })] })], request: { actor: [NPI_B], purposeOfUse: ['TREAT'] }, decision: 'DENY', options: { resources: ACTOR_RESOURCES } },
  { line: 22, name: "the request's own reference matches", consents: [denyUnderPermit({ actor: [ircp({ reference: 'Organization/org-b' })] })], request: { actor: [{ reference: 'Organization/org-b' }], purposeOfUse: ['TREAT'] }, decision: 'DENY' },
  { line: 23, name: 'a positively different actor is outside a deny', consents: [denyUnderPermit({ actor: [ircp({ reference: 'Organization/org-b' })] })], request: fromA, decision: 'PERMIT', options: { resources: ACTOR_RESOURCES } },
  { line: 24, name: 'an actor the engine cannot resolve meets a deny', consents: [denyUnderPermit({ actor: [ircp({ reference: 'Organization/org-b' })] })], request: fromA, decision: 'DENY' },
  { line: 24, name: 'an actor the engine cannot resolve never meets a permit', consents: [permitRoot({ actor: [ircp({ reference: 'Organization/org-a' })] })], request: fromA, decision: 'NO_CONSENT' },
  { line: 24, name: 'identifiers in different systems cannot be compared: a deny applies', consents: [denyUnderPermit({ actor: [ircp({ identifier: { system: TAX, value: '12-3456789' } })] })], request: fromA, decision: 'DENY' },
  { line: 25, name: 'no discloser stated: a deny naming a source applies', consents: [denyUnderPermit({ actor: [ircp({ identifier: PROGRAM_ID }, 'INF')] })], request: fromA, decision: 'DENY' },
  { line: 25, name: 'another stated discloser is outside a source deny', consents: [denyUnderPermit({ actor: [ircp({ identifier: PROGRAM_ID }, 'INF')] })], request: { ...fromA, discloser: [{ system: PROGRAM_ID.system, value: 'another-program' }] }, decision: 'PERMIT' },
  { line: 25, name: 'no discloser stated: the caller discloses under a permit naming a source', consents: [permitRoot({ actor: [ircp({ identifier: PROGRAM_ID }, 'INF'), ircp({ identifier: NPI_A })] })], request: fromA, decision: 'PERMIT' },
  {
    line: 26,
    name: 'a general designation constrains no one',
    consents: [
      denyUnderPermit({
        actor: [{ ...ircp({ display: 'my treating providers' }), extension: [{ url: 'https://peerkit.dev/fhir/StructureDefinition/recipient-type', valueCoding: { code: 'general-designation' } }] }],
        purpose: [{ system: V3_REASON, code: 'HMARKT' }],
      }),
    ],
    request: { actor: [NPI_A], purposeOfUse: ['HMARKT'] },
    decision: 'DENY',
  },
  { line: 27, name: 'an R5 expression: a deny with one applies', consents: [r5({ provision: [{ expression: { language: 'text/fhirpath', expression: 'true' } }] })], request: fromA, decision: 'DENY', provision: 'provision[0]' },
  { line: 27, name: 'an R5 expression: a permit with one never applies', consents: [r5({ decision: 'deny', provision: [{ expression: { language: 'text/fhirpath', expression: 'true' } }] })], request: fromA, decision: 'DENY', provision: 'decision' },
  // 28–31 consent level
  { line: 28, name: 'scope in category: a treatment consent is not a privacy consent', consents: [{ ...permitRoot({}), scope: undefined, category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'treatment' }] }] } as unknown as Consent], request: fromA, decision: 'NO_CONSENT' },
  { line: 28, name: 'scope in category: a privacy consent applies', consents: [{ ...permitRoot({}), scope: undefined, category: [{ coding: [{ system: 'http://hl7.org/fhir/consentscope', code: 'patient-privacy' }] }] } as unknown as Consent], request: fromA, decision: 'PERMIT' },
  { line: 29, name: 'R5 status unknown is not in force', consents: [r5({ status: 'unknown' })], request: fromA, decision: 'NO_CONSENT' },
  { line: 30, name: 'a denying consent whose patient cannot be compared counts (fail closed)', consents: [consent({ id: 'c', patient: { identifier: PATIENT_MRN }, provision: { type: 'deny' } })], request: fromA, decision: 'DENY' },
  { line: 30, name: 'a permitting consent whose patient cannot be compared does not', consents: [consent({ id: 'c', patient: { identifier: PATIENT_MRN }, provision: { type: 'permit' } })], request: fromA, decision: 'NO_CONSENT' },
  { line: 30, name: 'a consent for another patient never counts', consents: [consent({ id: 'c', patient: { reference: 'Patient/other' }, provision: { type: 'deny' } })], request: fromA, decision: 'NO_CONSENT' },
  {
    line: 31,
    name: 'OPTOUT with a permitting root: outside the root the opt-out denies',
    consents: [{ ...permitRoot({ actor: [ircp({ identifier: NPI_A })] }), policyRule: { coding: [{ system: V3_ACT, code: 'OPTOUT' }] } }],
    request: { actor: [NPI_B], purposeOfUse: ['TREAT'] },
    decision: 'DENY',
    provision: 'policyRule',
  },
  { line: 31, name: 'OPTOUT with a permitting root: the root permits', consents: [{ ...permitRoot({ actor: [ircp({ identifier: NPI_A })] }), policyRule: { coding: [{ system: V3_ACT, code: 'OPTOUT' }] } }], request: fromA, decision: 'PERMIT' },
  {
    line: 31,
    name: 'OPTIN with a denying root: a permit base never reaches beyond the root',
    consents: [{ ...consent({ id: 'c', provision: { type: 'deny', actor: [ircp({ identifier: NPI_B })] } }), policyRule: { coding: [{ system: V3_ACT, code: 'OPTIN' }] } }],
    request: fromA,
    decision: 'NO_CONSENT',
  },
  { line: 31, name: 'an STU3 opt-out policy URI in R4 policy.uri sets a deny base', consents: [{ ...consent({ id: 'c', provision: {} }), policy: [{ uri: 'http://hl7.org/fhir/ConsentPolicy/opt-out' }] }], request: fromA, decision: 'DENY' },
  {
    line: 31,
    name: 'hipaa-self-pay restricts: the named payer is denied',
    consents: [{ ...consent({ id: 'c', provision: { actor: [ircp({ identifier: NPI_B })] } }), policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentpolicycodes', code: 'hipaa-self-pay' }] } }],
    request: { actor: [NPI_B], purposeOfUse: ['HPAYMT'] },
    decision: 'DENY',
  },
  // 32–33 structure
  { line: 32, name: 'a nested provision without type is the opposite of its parent', consents: [consent({ id: 'c', provision: { type: 'permit', provision: [{ purpose: [{ system: V3_REASON, code: 'HMARKT' }] }] } })], request: { actor: [NPI_A], purposeOfUse: ['HMARKT'] }, decision: 'DENY' },
  {
    line: 33,
    name: 'a Permission combines its rules by its own algorithm (deny-unless-permit: a permit rule wins)',
    consents: [
      {
        resourceType: 'Permission',
        id: 'p',
        status: 'active',
        combining: 'deny-unless-permit',
        rule: [
          { type: 'permit', data: [{ resource: [{ meaning: 'dependents', reference: { reference: PATIENT } }] }], activity: [{ actor: [{ identifier: { system: NPI_A.system, value: NPI_A.value } }] }] },
          { type: 'deny', data: [{ resource: [{ meaning: 'dependents', reference: { reference: PATIENT } }] }] },
        ],
      } satisfies Permission,
    ],
    request: fromA,
    decision: 'PERMIT',
    provision: 'rule[0]',
  },
];

describe('consent semantics (docs/consent-and-part2.md, semantics table)', () => {
  it.each(rows)('line $line: $name', ({ consents, request, decision, provision, options }) => {
    const parsed = parseDisclosureRequest({ patient: { reference: PATIENT }, date: NOW, ...request });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const result = compileConsents(consents, { now: NOW, ...options }).decide(parsed.value);
    expect(result.decision).toBe(decision);
    if (provision !== undefined) expect(result.basis.provision).toBe(provision);
  });

  it('line 9: the REDACT obligation names the denied label', () => {
    const parsed = parseDisclosureRequest({ patient: { reference: PATIENT }, date: NOW, ...fromA });
    if (!parsed.ok) throw new Error('request');
    const result = compileConsents([denyUnderPermit({ securityLabel: [{ system: V3_ACT, code: 'HIV' }] })], { now: NOW }).decide(parsed.value);
    expect(result.obligations.find((o) => o.kind === 'redact' && o.basis.startsWith('Consent/c'))?.codes).toEqual([{ system: V3_ACT, code: 'HIV' }]);
  });
});
