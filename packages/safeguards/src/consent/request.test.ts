import { describe, expect, it } from 'vitest';
import { parseDisclosureRecipient, parseDisclosureRequest } from './request';

describe('parseDisclosureRequest', () => {
  it('reads the request format of the issue and normalizes codes', () => {
    const result = parseDisclosureRequest({
      patient: { reference: 'Patient/123' },
      actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }],
      purposeOfUse: ['TREAT'],
      securityLabel: [{ system: 'http://hl7.org/fhir/v3/ActCode', code: 'SUD' }],
      class: [{ system: 'http://hl7.org/fhir/resource-types', code: 'DocumentReference' }],
      action: 'disclose',
      date: '2026-05-01',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual({
      patient: { reference: 'Patient/123', identifier: [] },
      actor: [{ identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }] }],
      discloser: [],
      purposeOfUse: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }],
      action: { system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'disclose' },
      date: '2026-05-01',
      securityLabel: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'SUD' }],
      class: [{ system: 'http://hl7.org/fhir/resource-types', code: 'DocumentReference' }],
      category: [],
    });
  });

  it('accepts a patient identifier in place of a reference, and only the patient', () => {
    const result = parseDisclosureRequest({ patient: { identifier: { system: 'urn:mrn', value: 'A1' } } });
    expect(result.ok && result.value.patient).toEqual({ identifier: [{ system: 'urn:mrn', value: 'A1' }] });
    // No action stated stays unstated: a deny on any action applies to it (issue 15: fail closed).
    expect(result.ok && result.value.action).toBeUndefined();
    expect(result.ok && result.value.securityLabel).toBeUndefined();
  });

  it.each([
    ['no patient', {}, 'schema.required', 'patient'],
    ['a patient with neither reference nor identifier', { patient: {} }, 'request.patient-unidentified', 'patient'],
    ['a date that is not a FHIR date', { patient: { reference: 'Patient/1' }, date: 'next week' }, 'schema.invalid-format', 'date'],
    ['a misspelt field', { patient: { reference: 'Patient/1' }, purpose: ['TREAT'] }, 'schema.unknown-field', 'purpose'],
    ['a label without code', { patient: { reference: 'Patient/1' }, securityLabel: [{ system: 'x' }] }, 'schema.required', 'securityLabel.0.code'],
    ['dataPeriod backwards', { patient: { reference: 'Patient/1' }, dataPeriod: { start: '2026-02-01', end: '2026-01-01' } }, 'period.end-before-start', 'dataPeriod.end'],
  ])('reports %s', (_name, input, code, path) => {
    const result = parseDisclosureRequest(input);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => [i.code, i.path.join('.')])).toContainEqual([code, path]);
  });

  it('never echoes values in its messages', () => {
    const result = parseDisclosureRequest({ patient: { reference: 'Patient/1' }, date: 'SECRET-VALUE', actor: 'SECRET-ACTOR' });
    expect(JSON.stringify(result.issues)).not.toMatch(/SECRET/);
  });
});

describe('parseDisclosureRecipient', () => {
  it('normalizes a recipient the way a request is normalized', () => {
    const input = { actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], purposeOfUse: ['TREAT'] };
    const recipient = parseDisclosureRecipient(input);
    const request = parseDisclosureRequest({ ...input, patient: { reference: 'Patient/p1' } });
    if (!recipient.ok || !request.ok) throw new Error('should parse');
    const { patient: _patient, ...rest } = request.value;
    expect(recipient.value).toEqual(rest);
    expect(recipient.value.action).toBeUndefined();
  });

  it('names the bad field, not its value, and refuses a patient or data fields', () => {
    const bad = parseDisclosureRecipient({ actor: [{ value: 42 }], purposeOfUse: 'TREAT-SECRET' });
    expect(bad.ok).toBe(false);
    expect(bad.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['purposeOfUse']));
    expect(JSON.stringify(bad.issues)).not.toContain('TREAT-SECRET');
    expect(parseDisclosureRecipient({ patient: { reference: 'Patient/p1' } }).ok).toBe(false);
    expect(parseDisclosureRecipient({ securityLabel: [] }).ok).toBe(false);
  });
});
