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
import { consent, type ConsentInput } from './__fixtures__/records';
import { parseConsent } from './consent';

/** Turns the fixture into a properly revoked consent. */
function revoked(c: ConsentInput): void {
  c.status = 'revoked';
  c.revocation = { date: '2026-03-01T09:00:00-05:00', method: 'wet' };
}

describe('parseConsent', () => {
  it('accepts the valid example with no issues and returns it unchanged', () => {
    expect(parseConsent(consent())).toEqual({ ok: true, value: consent(), issues: [] });
  });

  it('accepts a revoked consent with its revocation', () => {
    const input = consent();
    revoked(input);
    expect(parseConsent(input)).toMatchObject({ ok: true, issues: [] });
  });

  it('accepts an incomplete draft consent and applies defaults', () => {
    const input: ConsentInput = {
      kind: 'consent',
      id: 'cons-002',
      peerId: 'peer-001',
      consentKind: 'part2-tpo',
      status: 'draft',
      period: { start: '2026-01-05' },
    };
    const result = parseConsent(input);
    expect(result).toMatchObject({ ok: true, issues: [] });
    expect(result.ok && result.value).toMatchObject({
      recipients: [],
      purposes: [],
      dataCategories: [],
      rightToRevokeStatement: false,
      redisclosureNotice: false,
    });
  });

  const schemaCases: SchemaCase[] = [
    { name: 'period missing', path: ['period'], value: MISSING, code: 'schema.required' },
    { name: 'consentKind missing', path: ['consentKind'], value: MISSING, code: 'schema.required' },
    { name: 'peerId missing', path: ['peerId'], value: MISSING, code: 'schema.required' },
    { name: 'recipient type missing', path: ['recipients', 0, 'type'], value: MISSING, code: 'schema.required' },
    { name: 'signature signedAt missing', path: ['signature', 'signedAt'], value: MISSING, code: 'schema.required' },
    { name: 'revocation method missing', path: ['revocation'], value: { date: '2026-03-01T09:00:00Z' }, code: 'schema.required', at: ['revocation', 'method'] },
    { name: 'rightToRevokeStatement a string', path: ['rightToRevokeStatement'], value: 'yes', code: 'schema.invalid-type' },
    { name: 'recipients an object', path: ['recipients'], value: { type: 'individual' }, code: 'schema.invalid-type' },
    { name: 'discloser a string', path: ['discloser'], value: 'Testville', code: 'schema.invalid-type' },
    { name: 'consentKind unknown', path: ['consentKind'], value: 'verbal', code: 'schema.invalid-value' },
    { name: 'status unknown', path: ['status'], value: 'expired', code: 'schema.invalid-value' },
    { name: 'purpose unknown', path: ['purposes', 0], value: 'marketing', code: 'schema.invalid-value' },
    { name: 'data category unknown', path: ['dataCategories', 1], value: 'everything', code: 'schema.invalid-value' },
    { name: 'recipient type unknown', path: ['recipients', 0, 'type'], value: 'anyone', code: 'schema.invalid-value' },
    { name: 'signer unknown', path: ['signature', 'signer'], value: 'friend', code: 'schema.invalid-value' },
    { name: 'expiration date without zero padding', path: ['expiration', 'date'], value: '2027-1-5', code: 'schema.invalid-format' },
    { name: 'signedAt at hour 25', path: ['signature', 'signedAt'], value: '2026-01-05T25:00:00Z', code: 'schema.invalid-format' },
    { name: 'period start a date-time', path: ['period', 'start'], value: '2026-01-05T00:00:00Z', code: 'schema.invalid-format' },
    { name: 'discloser organizationId with a space', path: ['discloser', 'organizationId'], value: 'org 001', code: 'schema.invalid-format' },
    { name: '21 data categories', path: ['dataCategories'], value: Array.from({ length: 21 }, () => 'crisis'), code: 'schema.too-big' },
    { name: '11 purposes', path: ['purposes'], value: Array.from({ length: 11 }, () => 'treatment'), code: 'schema.too-big' },
    { name: 'recipient name of 201 characters', path: ['recipients', 0, 'name'], value: text(201), code: 'schema.too-big' },
    { name: 'information description of 20,001 characters', path: ['informationDescription'], value: text(20_001), code: 'schema.too-big' },
    { name: 'empty discloser name', path: ['discloser', 'name'], value: '', code: 'schema.invalid-format' },
    { name: 'empty expiration event', path: ['expiration', 'event'], value: ' ', code: 'schema.invalid-format' },
    { name: 'unknown field', path: ['notes'], value: 'free text', code: 'schema.unknown-field' },
    { name: 'unknown recipient field', path: ['recipients', 0, 'address'], value: '1 Test St', code: 'schema.unknown-field' },
    { name: 'unknown signature field', path: ['signature', 'witness'], value: 'Avery Testperson', code: 'schema.unknown-field' },
  ];

  it.each(schemaCases)('reports $code when $name', ({ path, value, code, at }) => {
    const input = consent();
    setIn(input, path, value);
    expectSchemaIssue(parseConsent(input), code, at ?? path);
  });

  const ruleCases: RuleCase<ConsentInput>[] = [
    {
      name: 'the period ends before it starts',
      mutate: (c) => {
        c.period.end = '2026-01-04';
      },
      code: 'period.end-before-start',
      path: ['period', 'end'],
      severity: 'error',
    },
    {
      name: 'an active consent is unsigned',
      mutate: (c) => {
        delete c.signature;
      },
      code: 'consent.signature-missing',
      path: ['signature'],
      severity: 'error',
      source: '42 CFR §2.31',
    },
    {
      name: 'a revoked consent is unsigned',
      mutate: (c) => {
        revoked(c);
        delete c.signature;
      },
      code: 'consent.signature-missing',
      path: ['signature'],
      severity: 'error',
      source: '42 CFR §2.31',
    },
    {
      name: 'the consent expires the day it is signed',
      mutate: (c) => {
        c.expiration = { date: '2026-01-05' };
        delete c.period.end;
      },
      code: 'consent.expiry-before-signature',
      path: ['expiration', 'date'],
      severity: 'error',
    },
    {
      name: 'the period runs past the expiration date',
      mutate: (c) => {
        c.expiration!.date = '2026-12-31';
      },
      code: 'consent.period-after-expiry',
      path: ['period', 'end'],
      severity: 'error',
    },
    {
      name: 'a revoked consent has no revocation',
      mutate: (c) => {
        c.status = 'revoked';
      },
      code: 'consent.revocation-missing',
      path: ['revocation'],
      severity: 'error',
      source: '42 CFR §2.31(a)(6)',
    },
    {
      name: 'a revocation is recorded on an active consent',
      mutate: (c) => {
        revoked(c);
        c.status = 'active';
      },
      code: 'consent.revocation-status-mismatch',
      path: ['status'],
      severity: 'error',
    },
    {
      name: 'the revocation predates the signature',
      mutate: (c) => {
        revoked(c);
        c.revocation!.date = '2026-01-05T10:14:00-05:00';
      },
      code: 'consent.revoked-before-signed',
      path: ['revocation', 'date'],
      severity: 'error',
    },
    {
      name: 'the period starts before the consent was signed',
      mutate: (c) => {
        c.period.start = '2026-01-01';
      },
      code: 'consent.effective-before-signed',
      path: ['period', 'start'],
      severity: 'warning',
    },
    {
      name: 'a named organization recipient has neither name nor identifier',
      mutate: (c) => {
        c.recipients = [{ type: 'organization', description: 'Some clinic' }];
      },
      code: 'consent.recipient-incomplete',
      path: ['recipients', 0],
      severity: 'error',
      source: '42 CFR §2.31(a)(4)',
    },
    {
      name: 'a general designation has no description',
      mutate: (c) => {
        c.recipients!.push({ type: 'general-designation', name: 'Test Providers' });
      },
      code: 'consent.recipient-incomplete',
      path: ['recipients', 1],
      severity: 'error',
      source: '42 CFR §2.31(a)(4)',
    },
    {
      name: 'a TPO consent lists care coordination',
      mutate: (c) => {
        c.consentKind = 'part2-tpo';
      },
      code: 'consent.tpo-purpose',
      path: ['purposes', 1],
      severity: 'error',
      source: '42 CFR §2.33(b)',
    },
  ];

  it.each(ruleCases)('reports $code when $name', ({ mutate, ...expected }) => {
    const input = consent();
    mutate(input);
    expectRuleIssue(parseConsent(input), expected);
  });

  const quietCases: QuietCase<ConsentInput>[] = [
    {
      name: 'a draft consent is unsigned',
      mutate: (c) => {
        c.status = 'draft';
        delete c.signature;
      },
      code: 'consent.signature-missing',
    },
    {
      name: 'a rejected consent is unsigned',
      mutate: (c) => {
        c.status = 'rejected';
        delete c.signature;
      },
      code: 'consent.signature-missing',
    },
    {
      name: 'the period ends on the expiration date',
      mutate: (c) => {
        c.period.end = '2027-01-05';
      },
      code: 'consent.period-after-expiry',
    },
    {
      name: 'the consent expires on an event only',
      mutate: (c) => {
        c.expiration = { event: 'Discharge from the test program' };
      },
      code: 'consent.expiry-before-signature',
    },
    {
      name: 'a named individual is identified by an identifier only',
      mutate: (c) => {
        c.recipients = [{ type: 'individual', identifier: { value: 'NPI-TEST' } }];
      },
      code: 'consent.recipient-incomplete',
    },
    {
      name: 'a TPO consent lists treatment, payment and operations',
      mutate: (c) => {
        c.consentKind = 'part2-tpo';
        c.purposes = ['treatment', 'payment', 'operations'];
      },
      code: 'consent.tpo-purpose',
    },
    {
      name: 'a disclosure consent lists research',
      mutate: (c) => {
        c.purposes = ['research'];
      },
      code: 'consent.tpo-purpose',
    },
  ];

  it.each(quietCases)('does not report $code when $name', ({ mutate, code }) => {
    const input = consent();
    mutate(input);
    const result = parseConsent(input);
    expect(result.ok).toBe(true);
    expect(result.issues.map((i) => i.code)).not.toContain(code);
  });
});
