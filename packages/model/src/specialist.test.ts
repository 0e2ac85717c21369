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
import { specialist, supervisor, type SpecialistInput } from './__fixtures__/records';
import { parseSpecialist } from './specialist';

describe('parseSpecialist', () => {
  it('accepts the valid example with no issues and returns it unchanged', () => {
    expect(parseSpecialist(specialist())).toEqual({ ok: true, value: specialist(), issues: [] });
  });

  it('accepts a supervisor with no supervisor of their own', () => {
    expect(parseSpecialist(supervisor())).toEqual({ ok: true, value: supervisor(), issues: [] });
  });

  it('defaults the lists and continuingEducation.ethics', () => {
    const input: Partial<SpecialistInput> = supervisor();
    for (const key of ['identifiers', 'continuingEducation', 'supervisionLog', 'specializations', 'livedExperience', 'languages'] as const) {
      delete input[key];
    }
    input.continuingEducation = [{ date: '2025-01-01', hours: 2, topic: 'Test topic' }];
    const result = parseSpecialist(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ identifiers: [], supervisionLog: [], specializations: [], livedExperience: [], languages: [] });
    expect(result.value.continuingEducation[0]?.ethics).toBe(false);
  });

  const schemaCases: SchemaCase[] = [
    { name: 'name missing', path: ['name'], value: MISSING, code: 'schema.required' },
    { name: 'roleLevel missing', path: ['roleLevel'], value: MISSING, code: 'schema.required' },
    { name: 'caseloadLimit missing', path: ['caseloadLimit'], value: MISSING, code: 'schema.required' },
    { name: 'family name missing', path: ['name', 'family'], value: MISSING, code: 'schema.required' },
    { name: 'certification issued missing', path: ['certifications', 0, 'issued'], value: MISSING, code: 'schema.required' },
    { name: 'active a string', path: ['active'], value: 'true', code: 'schema.invalid-type' },
    { name: 'caseloadLimit a fraction', path: ['caseloadLimit'], value: 1.5, code: 'schema.invalid-type' },
    { name: 'caseloadLimit a string', path: ['caseloadLimit'], value: '20', code: 'schema.invalid-type' },
    { name: 'given names a string', path: ['name', 'given'], value: 'Avery', code: 'schema.invalid-type' },
    { name: 'supervision minutes a fraction', path: ['supervisionLog', 0, 'minutes'], value: 30.5, code: 'schema.invalid-type' },
    { name: 'roleLevel unknown', path: ['roleLevel'], value: 'intern', code: 'schema.invalid-value' },
    { name: 'credential unknown', path: ['certifications', 0, 'credential'], value: 'phd', code: 'schema.invalid-value' },
    { name: 'supervision format unknown', path: ['supervisionLog', 0, 'format'], value: 'pair', code: 'schema.invalid-value' },
    { name: 'specialization unknown', path: ['specializations', 0], value: 'astronauts', code: 'schema.invalid-value' },
    { name: 'lived experience unknown', path: ['livedExperience', 0], value: 'other', code: 'schema.invalid-value' },
    { name: 'hired not a date', path: ['hired'], value: '05/01/2024', code: 'schema.invalid-format' },
    { name: 'certification expires on 30 February', path: ['certifications', 0, 'expires'], value: '2026-02-30', code: 'schema.invalid-format' },
    { name: 'certification state lower-case', path: ['certifications', 0, 'state'], value: 'pa', code: 'schema.invalid-format' },
    { name: 'organizationId with a slash', path: ['organizationId'], value: 'Organization/org-001', code: 'schema.invalid-format' },
    { name: 'language not a BCP 47 tag', path: ['languages', 0], value: 'english!', code: 'schema.invalid-format' },
    { name: 'continuing education date-time instead of date', path: ['continuingEducation', 0, 'date'], value: '2025-10-10T10:00:00Z', code: 'schema.invalid-format' },
    { name: 'caseloadLimit above 500', path: ['caseloadLimit'], value: 501, code: 'schema.too-big' },
    { name: 'six given names', path: ['name', 'given'], value: ['A', 'B', 'C', 'D', 'E', 'F'], code: 'schema.too-big' },
    { name: 'certification number of 61 characters', path: ['certifications', 0, 'number'], value: text(61), code: 'schema.too-big' },
    { name: 'continuing education of 81 hours', path: ['continuingEducation', 0, 'hours'], value: 81, code: 'schema.too-big' },
    { name: 'supervision of 481 minutes', path: ['supervisionLog', 0, 'minutes'], value: 481, code: 'schema.too-big' },
    { name: '21 languages', path: ['languages'], value: Array.from({ length: 21 }, () => 'en'), code: 'schema.too-big' },
    { name: 'no given name', path: ['name', 'given'], value: [], code: 'schema.too-small' },
    { name: 'caseloadLimit 0', path: ['caseloadLimit'], value: 0, code: 'schema.too-small' },
    { name: 'continuing education of 0 hours', path: ['continuingEducation', 0, 'hours'], value: 0, code: 'schema.too-small' },
    { name: 'empty certification number', path: ['certifications', 0, 'number'], value: '', code: 'schema.too-small' },
    { name: 'unknown field', path: ['ssn'], value: '000-00-0000', code: 'schema.unknown-field' },
    { name: 'unknown name field', path: ['name', 'middle'], value: 'Q', code: 'schema.unknown-field' },
    { name: 'unknown certification field', path: ['certifications', 0, 'verified'], value: true, code: 'schema.unknown-field' },
  ];

  it.each(schemaCases)('reports $code when $name', ({ path, value, code, at }) => {
    const input = specialist();
    setIn(input, path, value);
    expectSchemaIssue(parseSpecialist(input), code, at ?? path);
  });

  const ruleCases: RuleCase<SpecialistInput>[] = [
    {
      name: 'a certification expires the day it is issued',
      mutate: (s) => {
        s.certifications![0]!.expires = '2024-06-01';
      },
      code: 'specialist.certification-expires-before-issued',
      path: ['certifications', 0, 'expires'],
      severity: 'error',
    },
    {
      name: 'a certification expires before it is issued',
      mutate: (s) => {
        s.certifications![0]!.expires = '2023-06-01';
      },
      code: 'specialist.certification-expires-before-issued',
      path: ['certifications', 0, 'expires'],
      severity: 'error',
    },
    {
      name: 'the specialist is their own supervisor',
      mutate: (s) => {
        s.supervisorId = 'sp-001';
      },
      code: 'specialist.self-supervision',
      path: ['supervisorId'],
      severity: 'error',
    },
    {
      name: 'the supervision log names the specialist as supervisor',
      mutate: (s) => {
        s.supervisionLog![0]!.supervisorId = 'sp-001';
      },
      code: 'specialist.self-supervision',
      path: ['supervisionLog', 0, 'supervisorId'],
      severity: 'error',
    },
    {
      name: 'a certified specialist has no supervisor',
      mutate: (s) => {
        delete s.supervisorId;
      },
      code: 'specialist.supervisor-missing',
      path: ['supervisorId'],
      severity: 'warning',
      source: 'CMS SMDL #07-011',
    },
    {
      name: 'a trainee has no supervisor',
      mutate: (s) => {
        s.roleLevel = 'trainee';
        delete s.supervisorId;
      },
      code: 'specialist.supervisor-missing',
      path: ['supervisorId'],
      severity: 'warning',
      source: 'CMS SMDL #07-011',
    },
    {
      name: 'a certified specialist holds no certification',
      mutate: (s) => {
        s.certifications = [];
      },
      code: 'specialist.certification-missing',
      path: ['certifications'],
      severity: 'warning',
    },
    {
      name: 'a senior specialist has only completed training',
      mutate: (s) => {
        s.roleLevel = 'senior';
        s.certifications![0]!.credential = 'training-completed';
      },
      code: 'specialist.certification-missing',
      path: ['certifications'],
      severity: 'warning',
    },
    {
      name: 'the same certification is listed twice',
      mutate: (s) => {
        s.certifications!.push({ ...s.certifications![0]!, issued: '2025-06-01', expires: '2027-06-01' });
      },
      code: 'specialist.duplicate-certification',
      path: ['certifications', 1],
      severity: 'error',
    },
    {
      name: 'continuing education predates the hire date',
      mutate: (s) => {
        s.continuingEducation![0]!.date = '2024-04-30';
      },
      code: 'specialist.education-before-hire',
      path: ['continuingEducation', 0, 'date'],
      severity: 'information',
    },
  ];

  it.each(ruleCases)('reports $code when $name', ({ mutate, ...expected }) => {
    const input = specialist();
    mutate(input);
    expectRuleIssue(parseSpecialist(input), expected);
  });

  const quietCases: QuietCase<SpecialistInput>[] = [
    {
      name: 'a senior specialist has no supervisor',
      mutate: (s) => {
        s.roleLevel = 'senior';
        delete s.supervisorId;
      },
      code: 'specialist.supervisor-missing',
    },
    {
      name: 'a trainee holds no certification',
      mutate: (s) => {
        s.roleLevel = 'trainee';
        s.certifications = [];
      },
      code: 'specialist.certification-missing',
    },
    {
      name: 'a certification has no expiry',
      mutate: (s) => {
        delete s.certifications![0]!.expires;
      },
      code: 'specialist.certification-expires-before-issued',
    },
    {
      name: 'the same credential has another number',
      mutate: (s) => {
        s.certifications!.push({ ...s.certifications![0]!, number: 'TEST-0009' });
      },
      code: 'specialist.duplicate-certification',
    },
    {
      name: 'the hire date is unknown',
      mutate: (s) => {
        delete s.hired;
        s.continuingEducation![0]!.date = '2020-01-01';
      },
      code: 'specialist.education-before-hire',
    },
  ];

  it.each(quietCases)('does not report $code when $name', ({ mutate, code }) => {
    const input = specialist();
    mutate(input);
    const result = parseSpecialist(input);
    expect(result.ok).toBe(true);
    expect(result.issues.map((i) => i.code)).not.toContain(code);
  });
});
