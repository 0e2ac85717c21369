import { describe, expect, it } from 'vitest';
import {
  expectRuleIssue,
  expectSchemaIssue,
  MISSING,
  setIn,
  text,
  type QuietCase,
  type RuleCase,
  type SchemaCase,
} from './__fixtures__/helpers';
import { peer, type PeerInput } from './__fixtures__/records';
import { parsePeer } from './peer';

describe('parsePeer', () => {
  it('accepts the valid example with no issues and returns it unchanged', () => {
    expect(parsePeer(peer())).toEqual({ ok: true, value: peer(), issues: [] });
  });

  it.each([
    ['a reference only', { reference: 'Patient/test-002' }],
    ['an identifier only', { identifier: { value: 'MRN-TEST-002' } }],
  ])('accepts a patient identified by %s', (_, patient) => {
    const input = peer();
    input.patient = patient;
    expect(parsePeer(input)).toMatchObject({ ok: true, issues: [] });
  });

  const schemaCases: SchemaCase[] = [
    { name: 'patient missing', path: ['patient'], value: MISSING, code: 'schema.required' },
    { name: 'enrollments missing', path: ['enrollments'], value: MISSING, code: 'schema.required' },
    { name: 'enrollment programType missing', path: ['enrollments', 0, 'programType'], value: MISSING, code: 'schema.required' },
    { name: 'coverage memberId missing', path: ['coverage', 0, 'memberId'], value: MISSING, code: 'schema.required' },
    { name: 'patient a string', path: ['patient'], value: 'Patient/test-001', code: 'schema.invalid-type' },
    { name: 'birthDate a number', path: ['birthDate'], value: 19900101, code: 'schema.invalid-type' },
    { name: 'coverage an object', path: ['coverage'], value: { payerId: 'x' }, code: 'schema.invalid-type' },
    { name: 'enrollment programType unknown', path: ['enrollments', 0, 'programType'], value: 'housing', code: 'schema.invalid-value' },
    { name: 'patient reference to another resource', path: ['patient', 'reference'], value: 'Practitioner/test-001', code: 'schema.invalid-format' },
    { name: 'patient reference without id', path: ['patient', 'reference'], value: 'Patient/', code: 'schema.invalid-format' },
    { name: 'birthDate on 30 February', path: ['birthDate'], value: '1990-02-30', code: 'schema.invalid-format' },
    { name: 'enrollment start without day', path: ['enrollments', 0, 'start'], value: '2025-11', code: 'schema.invalid-format' },
    { name: 'preferredLanguage of one letter', path: ['preferredLanguage'], value: 'e', code: 'schema.invalid-format' },
    { name: 'primarySpecialistId with a space', path: ['primarySpecialistId'], value: 'sp 001', code: 'schema.invalid-format' },
    { name: 'memberId of 61 characters', path: ['coverage', 0, 'memberId'], value: text(61), code: 'schema.too-big' },
    { name: '51 enrollments', path: ['enrollments'], value: Array.from({ length: 51 }, () => ({ programId: 'p', programType: 'substance-use', start: '2025-01-01' })), code: 'schema.too-big' },
    { name: 'no enrollments', path: ['enrollments'], value: [], code: 'schema.too-small' },
    { name: 'empty payerId', path: ['coverage', 0, 'payerId'], value: '', code: 'schema.too-small' },
    { name: 'unknown field', path: ['ssn'], value: '000-00-0000', code: 'schema.unknown-field' },
    { name: 'unknown patient field', path: ['patient', 'name'], value: 'Avery Testperson', code: 'schema.unknown-field' },
    { name: 'unknown enrollment field', path: ['enrollments', 0, 'reason'], value: 'court order', code: 'schema.unknown-field' },
  ];

  it.each(schemaCases)('reports $code when $name', ({ path, value, code, at }) => {
    const input = peer();
    setIn(input, path, value);
    expectSchemaIssue(parsePeer(input), code, at ?? path);
  });

  const ruleCases: RuleCase<PeerInput>[] = [
    {
      name: 'the patient has neither reference nor identifier',
      mutate: (p) => {
        p.patient = {};
      },
      code: 'peer.patient-unidentified',
      path: ['patient'],
      severity: 'error',
    },
    {
      name: 'an enrollment ends before it starts',
      mutate: (p) => {
        p.enrollments[0]!.end = '2025-11-02';
      },
      code: 'period.end-before-start',
      path: ['enrollments', 0, 'end'],
      severity: 'error',
    },
    {
      name: 'a coverage ends before it starts',
      mutate: (p) => {
        p.coverage![0]!.end = '2024-12-31';
      },
      code: 'period.end-before-start',
      path: ['coverage', 0, 'end'],
      severity: 'error',
    },
    {
      name: 'an enrollment starts before birth',
      mutate: (p) => {
        p.birthDate = '2025-11-04';
      },
      code: 'peer.enrollment-before-birth',
      path: ['enrollments', 0, 'start'],
      severity: 'error',
    },
    {
      name: 'two enrollments in the same program overlap',
      mutate: (p) => {
        p.enrollments.push({ programId: 'prog-sud', programType: 'substance-use', start: '2026-11-03' });
      },
      code: 'peer.overlapping-enrollment',
      path: ['enrollments', 1],
      severity: 'warning',
    },
    {
      name: 'an open enrollment overlaps an earlier one',
      mutate: (p) => {
        p.enrollments.unshift({ programId: 'prog-sud', programType: 'substance-use', start: '2024-01-01' });
      },
      code: 'peer.overlapping-enrollment',
      path: ['enrollments', 1],
      severity: 'warning',
    },
    {
      name: 'the same payer membership is listed twice',
      mutate: (p) => {
        p.coverage!.push({ ...p.coverage![0]!, end: '2025-06-30' });
      },
      code: 'peer.duplicate-coverage',
      path: ['coverage', 1],
      severity: 'error',
    },
  ];

  it.each(ruleCases)('reports $code when $name', ({ mutate, ...expected }) => {
    const input = peer();
    mutate(input);
    expectRuleIssue(parsePeer(input), expected);
  });

  const quietCases: QuietCase<PeerInput>[] = [
    {
      name: 'an enrollment starts and ends the same day',
      mutate: (p) => {
        p.enrollments[0]!.end = p.enrollments[0]!.start;
      },
      code: 'period.end-before-start',
    },
    {
      name: 'an enrollment starts on the birth date',
      mutate: (p) => {
        p.birthDate = '2025-11-03';
      },
      code: 'peer.enrollment-before-birth',
    },
    {
      name: 'the next enrollment in the program starts after the last one ended',
      mutate: (p) => {
        p.enrollments.push({ programId: 'prog-sud', programType: 'substance-use', start: '2026-11-04' });
      },
      code: 'peer.overlapping-enrollment',
    },
    {
      name: 'enrollments in different programs overlap',
      mutate: (p) => {
        p.enrollments.push({ programId: 'prog-mh', programType: 'mental-health', start: '2025-12-01' });
      },
      code: 'peer.overlapping-enrollment',
    },
    {
      name: 'the same membership restarts on another date',
      mutate: (p) => {
        p.coverage!.push({ ...p.coverage![0]!, start: '2027-01-01', end: '2027-12-31' });
      },
      code: 'peer.duplicate-coverage',
    },
  ];

  it.each(quietCases)('does not report $code when $name', ({ mutate, code }) => {
    const input = peer();
    mutate(input);
    const result = parsePeer(input);
    expect(result.ok).toBe(true);
    expect(result.issues.map((i) => i.code)).not.toContain(code);
  });
});
