import { generateClinic, type Consent } from '@peerkit/model';
import type { Consent as FhirConsent } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { peerkitPart2Disclosure, peerkitTpo } from '../__fixtures__/consents';
import { counselingCombined, counselingOnly } from '../__fixtures__/part2';
import { checkPart2Consent, checkPart2FhirConsent, PART2_ELEMENTS } from './part2-completeness';

const complete: Consent = {
  kind: 'consent',
  id: 'consent-1',
  peerId: 'peer-1',
  consentKind: 'part2-disclosure',
  status: 'active',
  discloser: { name: 'Synthetic Program' },
  recipients: [{ type: 'organization', name: 'Synthetic Clinic' }],
  purposes: ['care-coordination'],
  dataCategories: ['substance-use', 'attendance'],
  period: { start: '2026-01-10' },
  expiration: { date: '2027-01-10' },
  rightToRevokeStatement: true,
  redisclosureNotice: true,
  signature: { signer: 'peer', signedAt: '2026-01-10T10:00:00-05:00', method: 'wet' },
};

describe('checkPart2Consent', () => {
  it('passes a complete Part 2 consent with no issues', () => {
    expect(checkPart2Consent(complete)).toEqual({ ok: true, value: complete, issues: [] });
  });

  it.each([
    ['discloser', { discloser: undefined }, 'part2.discloser-missing', '42 CFR §2.31(a)(2)'],
    ['information', { dataCategories: [] }, 'part2.information-missing', '42 CFR §2.31(a)(3)'],
    ['recipients', { recipients: [] }, 'part2.recipients-missing', '42 CFR §2.31(a)(4)'],
    ['recipients (general designation outside TPO)', { recipients: [{ type: 'general-designation', description: 'My providers' }] }, 'part2.recipients-missing', '42 CFR §2.31(a)(4)'],
    ['purpose', { purposes: [] }, 'part2.purpose-missing', '42 CFR §2.31(a)(5)'],
    ['right to revoke', { rightToRevokeStatement: false }, 'part2.right-to-revoke-missing', '42 CFR §2.31(a)(6)'],
    ['expiration', { expiration: undefined }, 'part2.expiration-missing', '42 CFR §2.31(a)(7)'],
    ['signature', { signature: undefined }, 'part2.signature-missing', '42 CFR §2.31(a)(8)'],
    ['date signed', { signature: undefined }, 'part2.date-signed-missing', '42 CFR §2.31(a)(9)'],
    ['patient', { peerId: ' ' }, 'part2.patient-missing', '42 CFR §2.31(a)(1)'],
  ])('reports a missing %s with its paragraph', (_name, patch, code, source) => {
    const consent = { ...complete, ...patch } as Consent;
    if ('discloser' in patch) delete (consent as { discloser?: unknown }).discloser;
    if ('expiration' in patch) delete (consent as { expiration?: unknown }).expiration;
    if ('signature' in patch) delete (consent as { signature?: unknown }).signature;
    const result = checkPart2Consent(consent);
    expect(result.ok).toBe(false);
    expect(result.issues.find((i) => i.code === code)?.source).toBe(source);
  });

  it('accepts a general designation on a single TPO consent', () => {
    const tpo: Consent = { ...complete, consentKind: 'part2-tpo', purposes: ['treatment', 'payment', 'operations'], recipients: [{ type: 'general-designation', description: 'My treating providers' }] };
    expect(checkPart2Consent(tpo).ok).toBe(true);
  });

  it('warns (not errors) for a draft, and about the §2.32 notice', () => {
    const draft = { ...complete, status: 'draft', rightToRevokeStatement: false, redisclosureNotice: false } as Consent;
    const result = checkPart2Consent(draft);
    expect(result.ok).toBe(true);
    expect(result.issues.map((i) => [i.severity, i.code])).toEqual([
      ['warning', 'part2.right-to-revoke-missing'],
      ['warning', 'part2.redisclosure-notice-missing'],
    ]);
  });

  it('does not check a HIPAA authorization', () => {
    expect(checkPart2Consent({ ...complete, consentKind: 'hipaa-authorization', rightToRevokeStatement: false }).issues).toEqual([]);
  });

  it('finds the incomplete consents of a generated clinic', () => {
    const clinic = generateClinic({ seed: 7, peers: 120, weeks: 4 });
    const consents = clinic.records.filter((r): r is Consent => r.kind === 'consent');
    const part2 = consents.filter((c) => c.consentKind !== 'hipaa-authorization');
    const flagged = part2.filter((c) => checkPart2Consent(c).issues.length > 0);
    // The generator always leaves the right-to-revoke statement out of one Part 2 consent.
    expect(flagged.some((c) => checkPart2Consent(c).issues.some((i) => i.code === 'part2.right-to-revoke-missing'))).toBe(true);
    for (const c of part2) {
      const codes = checkPart2Consent(c).issues.map((i) => i.code);
      expect(codes.includes('part2.right-to-revoke-missing')).toBe(!c.rightToRevokeStatement);
      expect(codes.includes('part2.purpose-missing')).toBe(c.purposes.length === 0);
    }
  });

  it('lists every §2.31 element of the 2024 rule, in paragraph order, each cited', () => {
    expect(PART2_ELEMENTS.map((e) => e.source)).toEqual([
      '42 CFR §2.31(a)(1)',
      '42 CFR §2.31(a)(2)',
      '42 CFR §2.31(a)(3)',
      '42 CFR §2.31(a)(4)',
      '42 CFR §2.31(a)(4)(ii)',
      '42 CFR §2.31(a)(4)(iii)',
      '42 CFR §2.31(a)(5)',
      '42 CFR §2.31(a)(6)',
      '42 CFR §2.31(a)(7)',
      '42 CFR §2.31(a)(8)',
      '42 CFR §2.31(a)(9)',
      '42 CFR §2.31(a)(10)(i)',
      '42 CFR §2.31(a)(10)(ii)',
      '42 CFR §2.31(b)(2)',
    ]);
    expect(new Set(PART2_ELEMENTS.map((e) => e.code)).size).toBe(PART2_ELEMENTS.length);
  });

  const allStated = { 'hipaa-redisclosure': true, 'redisclosure-potential': true, 'refusal-consequences': true } as const;
  const tpo: Consent = { ...complete, consentKind: 'part2-tpo', purposes: ['treatment', 'payment', 'operations'], recipients: [{ type: 'general-designation', description: 'My treating providers' }] };
  const hie = { system: 'https://example.org/synthetic/hie', value: 'hie-1' };
  it.each([
    ['statements not known: not checked', complete, {}, []],
    ['every statement stated', tpo, { statements: allStated }, []],
    ['no redisclosure statement (§2.31(a)(10)(i))', complete, { statements: { ...allStated, 'redisclosure-potential': false } }, ['part2.redisclosure-statement-missing']],
    ['no refusal-consequences statement (§2.31(a)(10)(ii))', complete, { statements: { 'redisclosure-potential': true } }, ['part2.refusal-consequences-missing']],
    ['a TPO consent without the HIPAA redisclosure statement (§2.31(a)(4)(iii))', tpo, { statements: { 'redisclosure-potential': true, 'refusal-consequences': true } }, ['part2.hipaa-redisclosure-statement-missing']],
    ['a consent naming only an intermediary (§2.31(a)(4)(ii))', { ...complete, recipients: [{ type: 'organization', name: 'Synthetic HIE', identifier: hie }] }, { intermediaries: [`${hie.system}|${hie.value}`] }, ['part2.intermediary-participants-missing']],
    ['an intermediary with its participants designated', { ...complete, recipients: [{ type: 'organization', name: 'Synthetic HIE', identifier: hie }, { type: 'general-designation', description: 'Participants that treat me' }] }, { intermediaries: [`${hie.system}|${hie.value}`] }, []],
  ])('2024 elements: %s', (_name, consent, options, codes) => {
    const issues = checkPart2Consent(consent as Consent, options).issues;
    expect(issues.map((i) => i.code)).toEqual(codes);
    for (const i of issues) expect(i.source).toBe(PART2_ELEMENTS.find((e) => e.code === i.code)?.source);
  });
});

describe('checkPart2FhirConsent', () => {
  it('accepts a PeerKit-style consent to a named recipient, noting what FHIR cannot show', () => {
    const c: FhirConsent = { ...peerkitPart2Disclosure(), performer: [{ reference: PATIENT_REF }], sourceAttachment: { contentType: 'application/pdf', url: 'Binary/form-1' } };
    const result = checkPart2FhirConsent(c);
    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([]);
  });

  it('accepts a TPO general designation; expiration "none" is information', () => {
    const c: FhirConsent = { ...peerkitTpo(), performer: [{ reference: PATIENT_REF }] };
    const result = checkPart2FhirConsent(c);
    expect(result.ok).toBe(true);
    expect(result.issues.map((i) => [i.severity, i.code])).toEqual([
      ['information', 'part2.right-to-revoke-missing'],
      ['information', 'part2.expiration-missing'],
    ]);
  });

  const STATEMENT = 'https://peerkit.dev/fhir/StructureDefinition/consent-statement';
  it.each([
    ['statements as extensions, all made', { ...peerkitTpo(), performer: [{ reference: PATIENT_REF }], extension: ['hipaa-redisclosure', 'redisclosure-potential', 'refusal-consequences'].map((valueCode) => ({ url: STATEMENT, valueCode })) }, {}, []],
    ['statements as extensions, one missing', { ...peerkitTpo(), performer: [{ reference: PATIENT_REF }], extension: ['hipaa-redisclosure', 'redisclosure-potential'].map((valueCode) => ({ url: STATEMENT, valueCode })) }, {}, ['part2.refusal-consequences-missing']],
    ['statements from the options', { ...peerkitPart2Disclosure(), performer: [{ reference: PATIENT_REF }], sourceAttachment: { url: 'Binary/form-1' } }, { statements: { 'refusal-consequences': true } }, ['part2.redisclosure-statement-missing']],
    ['counseling notes combined with other data (§2.31(b)(2))', { ...counselingCombined(), performer: [{ reference: PATIENT_REF }], sourceAttachment: { url: 'Binary/form-1' } }, {}, ['part2.counseling-notes-combined']],
    ['counseling notes alone', { ...counselingOnly(), performer: [{ reference: PATIENT_REF }], sourceAttachment: { url: 'Binary/form-1' } }, {}, []],
    ['only an intermediary as recipient', { ...peerkitPart2Disclosure(), performer: [{ reference: PATIENT_REF }], sourceAttachment: { url: 'Binary/form-1' } }, { intermediaries: ['http://hl7.org/fhir/sid/us-npi|1000000004'] }, ['part2.intermediary-participants-missing']],
  ])('2024 elements: %s', (_name, consent, options, codes) => {
    const issues = checkPart2FhirConsent(consent as FhirConsent, options).issues.filter((i) => i.severity !== 'information');
    expect(issues.map((i) => i.code)).toEqual(codes);
  });

  it('names each missing element', () => {
    const bare: FhirConsent = { resourceType: 'Consent', status: 'active', scope: {}, category: [], provision: { type: 'permit' } };
    const codes = checkPart2FhirConsent(bare).issues.map((i) => i.code);
    expect(codes).toEqual([
      'part2.patient-missing',
      'part2.discloser-missing',
      'part2.information-missing',
      'part2.recipients-missing',
      'part2.purpose-missing',
      'part2.right-to-revoke-missing',
      'part2.expiration-missing',
      'part2.signature-missing',
      'part2.date-signed-missing',
    ]);
  });
});

const PATIENT_REF = 'Patient/pk-patient-1';
