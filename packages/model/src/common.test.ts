import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  dateSchema,
  dateTimeSchema,
  idSchema,
  languageTagSchema,
  longTextSchema,
  patientReferenceSchema,
  PATTERNS,
  phoneSchema,
  shortTextSchema,
  stateSchema,
} from './common';
import { fromZodIssues } from './internal/zod-issues';

const accepts = (schema: { safeParse: (v: unknown) => { success: boolean } }, value: unknown): boolean =>
  schema.safeParse(value).success;

describe('idSchema', () => {
  it.each([
    ['enc-001', true],
    ['A.b-9', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['', false],
    ['has space', false],
    ['under_score', false],
    ['Patient/1', false],
    ['ümlaut', false],
  ])('%j → %s', (value, expected) => {
    expect(accepts(idSchema, value)).toBe(expected);
  });
});

describe('stateSchema', () => {
  it.each([
    ['PA', true],
    ['PR', true],
    ['pa', false],
    ['P', false],
    ['PAA', false],
  ])('%j → %s', (value, expected) => {
    expect(accepts(stateSchema, value)).toBe(expected);
  });
});

describe('phoneSchema', () => {
  it.each([
    ['555-0100', true],
    ['988', true],
    ['+1 (555) 010-0100 x12', true],
    ['555.0100', true],
    ['55', false],
    ['call 555-0100', false],
    ['5'.repeat(41), false],
  ])('%j → %s', (value, expected) => {
    expect(accepts(phoneSchema, value)).toBe(expected);
  });
});

describe('languageTagSchema', () => {
  it.each([
    ['en', true],
    ['es-MX', true],
    ['zh-Hant-TW', true],
    ['ase', true],
    ['e', false],
    ['en_US', false],
    ['english!', false],
  ])('%j → %s', (value, expected) => {
    expect(accepts(languageTagSchema, value)).toBe(expected);
  });
});

describe('patientReferenceSchema', () => {
  it.each([
    ['Patient/test-001', true],
    ['Patient/', false],
    ['patient/test-001', false],
    ['Practitioner/test-001', false],
    ['https://ehr.example.org/Patient/test-001', false],
  ])('%j → %s', (value, expected) => {
    expect(accepts(patientReferenceSchema, value)).toBe(expected);
  });
});

describe('dateSchema', () => {
  it.each([
    ['2026-01-05', true],
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2026-02-30', false],
    ['2026-1-5', false],
    ['2026-01-05T00:00:00Z', false],
    ['05/01/2026', false],
  ])('%j → %s', (value, expected) => {
    expect(accepts(dateSchema, value)).toBe(expected);
  });
});

describe('dateTimeSchema', () => {
  it.each([
    ['2026-03-02T14:30:00-05:00', true],
    ['2026-03-02T14:30:00Z', true],
    ['2026-03-02T14:30:00.123+01:00', true],
    ['2026-03-02T14:30:00', false],
    ['2026-03-02', false],
    ['2026-03-02 14:30:00Z', false],
    ['2026-03-02T25:00:00Z', false],
  ])('%j → %s', (value, expected) => {
    expect(accepts(dateTimeSchema, value)).toBe(expected);
  });

  it('accepts only values Date.parse can read, so the rules can compare them', () => {
    for (const value of ['2026-03-02T14:30:00-05:00', '2026-03-02T14:30:00Z', '2026-03-02T14:30:00.123456+01:00']) {
      expect(accepts(dateTimeSchema, value)).toBe(true);
      expect(Number.isNaN(Date.parse(value))).toBe(false);
    }
  });
});

describe('shortTextSchema', () => {
  it('keeps the value as written (no trimming, so nothing the host sent is lost)', () => {
    expect(shortTextSchema.parse('  Avery Testperson ')).toBe('  Avery Testperson ');
  });

  it.each([
    ['x', true],
    ['x'.repeat(200), true],
    ['x'.repeat(201), false],
    ['   ', false],
    ['', false],
  ])('%j → %s', (value, expected) => {
    expect(accepts(shortTextSchema, value)).toBe(expected);
  });
});

describe('longTextSchema', () => {
  it.each([
    ['20,000 characters', 'x'.repeat(20_000), true],
    ['20,001 characters', 'x'.repeat(20_001), false],
    ['only white space', '\n\t ', false],
  ])('%s → %s', (_, value, expected) => {
    expect(accepts(longTextSchema, value)).toBe(expected);
  });
});

describe('PATTERNS', () => {
  // PATTERNS order: id, state, phone, patient reference, language tag.
  it.each([
    ['an id', idSchema, 'has space', 0],
    ['a state', stateSchema, 'pa', 1],
    ['a phone number', phoneSchema, 'call me', 2],
    ['a patient reference', patientReferenceSchema, 'Practitioner/1', 3],
    ['a language tag', languageTagSchema, 'english!', 4],
  ] as const)('describes %s in the issue message', (_, schema, value, index) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) throw new Error('expected a failure');
    expect(fromZodIssues(parsed.error.issues, value)).toEqual([
      { severity: 'error', code: 'schema.invalid-format', path: [], message: `Must be ${PATTERNS[index]!.description}` },
    ]);
  });
});

describe('fromZodIssues', () => {
  it("keeps a schema author's own format message and never a default that could quote input", () => {
    const schema = z.string().regex(/^\d{2}:\d{2}$/, { message: 'Must be a time HH:MM' });
    const own = schema.safeParse('CANARY-value');
    if (own.success) throw new Error('expected a failure');
    expect(fromZodIssues(own.error.issues, 'CANARY-value')).toEqual([
      { severity: 'error', code: 'schema.invalid-format', path: [], message: 'Must be a time HH:MM' },
    ]);
    const plain = z.string().regex(/^\d+$/).safeParse('CANARY-value');
    if (plain.success) throw new Error('expected a failure');
    expect(fromZodIssues(plain.error.issues, 'CANARY-value')[0]?.message).not.toContain('CANARY');
  });
});
