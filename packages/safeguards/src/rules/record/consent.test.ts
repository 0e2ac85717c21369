import { isConsentInForce, type Consent } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { consent, org, peer, referral } from '../../__fixtures__/records';
import { checkClinic } from '../check-clinic';

const revoked = (date: string): Partial<Consent> => ({ status: 'revoked', revocation: { date, method: 'wet' } });

// The consent fixture: active, signed 2026-01-05T10:00-05:00, period from 2026-01-05, no expiration date.
describe('isConsentInForce', () => {
  it.each<[string, Partial<Consent>, string, boolean]>([
    ['active, signed earlier, inside its period', {}, '2026-03-30', true],
    ['signed the same day (a date counts the whole day)', {}, '2026-01-05', true],
    ['before the signature (instant)', {}, '2026-01-05T09:59:00-05:00', false],
    ['at the signature (instant)', {}, '2026-01-05T10:00:00-05:00', true],
    ['before its period starts', { period: { start: '2026-02-01' } }, '2026-01-20', false],
    ['on the last day of its period', { period: { start: '2026-01-05', end: '2026-03-30' } }, '2026-03-30', true],
    ['after its period ends', { period: { start: '2026-01-05', end: '2026-03-29' } }, '2026-03-30', false],
    ['on its expiration date', { expiration: { date: '2026-03-30' } }, '2026-03-30', true],
    ['after its expiration date', { expiration: { date: '2026-03-29' } }, '2026-03-30', false],
    ['revoked later', revoked('2026-04-01T09:00:00-05:00'), '2026-03-30T11:00:00-05:00', true],
    ['revoked that day (date)', revoked('2026-03-30T18:00:00-05:00'), '2026-03-30', false],
    ['revoked later that day (instant)', revoked('2026-03-30T18:00:00-05:00'), '2026-03-30T11:00:00-05:00', true],
    ['revoked earlier', revoked('2026-03-01T09:00:00-05:00'), '2026-03-30', false],
    ['revoked with no revocation date', { status: 'revoked' }, '2026-03-30', false],
    ['a draft', { status: 'draft' }, '2026-03-30', false],
    ['a rejected consent', { status: 'rejected' }, '2026-03-30', false],
    ['unsigned', { signature: undefined }, '2026-03-30', false],
  ])('%s', (_name, patch, at, expected) => {
    const c = consent(patch);
    if ('signature' in patch && patch.signature === undefined) delete (c as { signature?: unknown }).signature;
    expect(isConsentInForce(c, at)).toBe(expected);
  });
});

describe('confidentiality.referral-without-consent', () => {
  const found = (c: Consent): boolean =>
    checkClinic([org(), peer('peer-1'), c, referral()], { asOf: '2026-03-31' }).findings.some((f) => f.rule === 'confidentiality.referral-without-consent');

  it.each<[string, Partial<Consent>, boolean]>([
    ['a consent in force', {}, false],
    ['a consent whose period starts after the referral', { period: { start: '2026-04-01' } }, true],
    ['a consent revoked before the referral', revoked('2026-03-30T10:00:00-05:00'), true],
    ['a consent revoked after the referral', revoked('2026-03-30T12:00:00-05:00'), false],
    ['a HIPAA authorization', { consentKind: 'hipaa-authorization' }, true],
    ["another peer's consent", { peerId: 'peer-2' }, true],
  ])('referral with %s', (_name, patch, expected) => {
    expect(found(consent(patch))).toBe(expected);
  });
});
