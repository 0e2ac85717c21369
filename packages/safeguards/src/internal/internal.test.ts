import { describe, expect, it } from 'vitest';
import { normalizeSystem, sameCode } from './codes';
import { isFhirDateTime, periodOverlap, positionIn, toRange } from './dates';
import { findPersonNames, replaceSpans } from './names';

describe('normalizeSystem', () => {
  it.each([
    ['http://hl7.org/fhir/v3/ActCode', 'http://terminology.hl7.org/CodeSystem/v3-ActCode'],
    ['http://hl7.org/fhir/v3/ActReason/', 'http://terminology.hl7.org/CodeSystem/v3-ActReason'],
    ['http://terminology.hl7.org/ValueSet/v3-PurposeOfUse', 'http://terminology.hl7.org/CodeSystem/v3-PurposeOfUse'],
    ['urn:oid:2.16.840.1.113883.5.25', 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality'],
    ['2.16.840.1.113883.5.4', 'http://terminology.hl7.org/CodeSystem/v3-ActCode'],
    ['http://hl7.org/fhir/consentscope', 'http://terminology.hl7.org/CodeSystem/consentscope'],
    ['http://loinc.org', 'http://loinc.org'],
  ])('%s → %s', (input, output) => {
    expect(normalizeSystem(input)).toBe(output);
  });

  it('compares codes with normalized systems; a bare code matches any system', () => {
    expect(sameCode({ system: normalizeSystem('http://hl7.org/fhir/v3/ActCode'), code: 'SUD' }, { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'SUD' })).toBe(true);
    expect(sameCode({ code: 'SUD' }, { system: 'x', code: 'SUD' })).toBe(true);
    expect(sameCode({ system: 'y', code: 'SUD' }, { system: 'x', code: 'SUD' })).toBe(false);
  });
});

describe('dates', () => {
  it('reads partial dates as ranges and rejects impossible dates', () => {
    expect(toRange('2026')).toEqual({ low: Date.UTC(2026, 0, 1), high: Date.UTC(2027, 0, 1) - 1 });
    expect(toRange('2026-02')?.high).toBe(Date.UTC(2026, 2, 1) - 1);
    expect(toRange('2026-02-31')).toBeUndefined();
    expect(toRange('2026-05-01T10:00:00-05:00')).toEqual({ low: Date.parse('2026-05-01T15:00:00Z'), high: Date.parse('2026-05-01T15:00:00Z') });
  });

  it('includes the whole end day of a period', () => {
    const at = toRange('2026-05-01T23:30:00Z');
    if (!at) throw new Error('range');
    expect(positionIn(at, '2026-01-01', '2026-05-01')).toBe('within');
    expect(positionIn(at, '2026-05-02', undefined)).toBe('before');
    expect(positionIn(at, undefined, '2026-04-30')).toBe('after');
  });

  it.each([
    ['2026-02-01', '2026-02-28', 'inside'],
    ['2026-03-15', '2026-04-15', 'partial'],
    ['2026-05-01', '2026-05-31', 'disjoint'],
  ])('period %s..%s vs Jan–Mar is %s', (start, end, expected) => {
    expect(periodOverlap(start, end, '2026-01-01', '2026-03-31')).toBe(expected);
  });

  it.each([
    ['a year', '2026', true],
    ['a year and month', '2026-05', true],
    ['a date', '2026-05-01', true],
    ['a date-time without seconds or zone', '2026-05-01T10:00', true],
    ['a date-time with fractions and an offset', '2026-05-01T10:00:00.250-05:00', true],
    ['a date-time in UTC', '2026-05-01T15:00:00Z', true],
    ['a US-style date', '05/01/2026', false],
    ['a date-time with a space', '2026-05-01 10:00', false],
    ['an offset without a colon', '2026-05-01T10:00:00-0500', false],
    ['empty text', '', false],
  ])('isFhirDateTime: %s (%s) is %s', (_name, value, expected) => {
    expect(isFhirDateTime(value)).toBe(expected);
  });
});

describe('findPersonNames', () => {
  it.each([
    ['Peer and group member Avery Testperson plan to carpool.', ['Avery Testperson']],
    ["Talked with peer's sister Dana about the holidays.", ['Dana']],
    ['Met peer at the Recovery Community Center on Monday.', []],
    ['Connected peer with the 988 Suicide and Crisis Lifeline.', []],
    ['Helped peer call Example Supported Employment Program.', []],
    ['Jordan Quill shared a strategy.', ['Jordan Quill']],
  ])('%s', (text, names) => {
    expect(findPersonNames(text).map((s) => text.slice(s.start, s.end))).toEqual(names);
  });

  it('finds names the host knows, whole-word and case-insensitive', () => {
    const text = 'dana said hi; Danalyn did not.';
    expect(findPersonNames(text, ['Dana'], false).map((s) => text.slice(s.start, s.end))).toEqual(['dana']);
    expect(replaceSpans(text, findPersonNames(text, ['Dana'], false), 'X')).toBe('X said hi; Danalyn did not.');
  });
});
