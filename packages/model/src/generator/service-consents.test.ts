import { describe, expect, it } from 'vitest';
import { parseRecord } from '../record';
import { isServiceConsentInForce } from '../service-consent';
import { generateClinic } from './generate-clinic';

describe('generateClinic({ serviceConsents: true })', () => {
  const without = generateClinic({ seed: 4, peers: 40, weeks: 4, serviceConsents: false });
  const withConsents = generateClinic({ seed: 4, peers: 40, weeks: 4, serviceConsents: true });
  const consents = withConsents.records.filter((r) => r.kind === 'service-consent');

  it('gives each peer covered by Medicare PIN one valid service consent for G0140/G0146, from the day they enroll', () => {
    const medicare = withConsents.records.filter((r) => r.kind === 'peer' && r.coverage.some((c) => c.payerId === 'medicare-pin'));
    expect(medicare.length).toBeGreaterThan(0);
    expect(consents.map((c) => c.kind === 'service-consent' && c.peerId)).toEqual(medicare.map((p) => p.id));
    for (const consent of consents) {
      expect(parseRecord(consent).issues).toEqual([]);
      if (consent.kind !== 'service-consent') continue;
      expect(consent.services).toEqual(['G0140', 'G0146']);
      expect(isServiceConsentInForce(consent, consent.period.start, 'G0146')).toBe(true);
    }
  });

  it('leaves every other record as it is (no random draw)', () => {
    expect(withConsents.records.filter((r) => r.kind !== 'service-consent')).toEqual(without.records);
    expect(without.records.some((r) => r.kind === 'service-consent')).toBe(false);
  });

  it('is the default (the FHIR mapping carries service consents)', () => {
    expect(generateClinic({ seed: 4, peers: 40, weeks: 4 }).records).toEqual(withConsents.records);
  });
});

describe('isServiceConsentInForce', () => {
  const consent = generateClinic({ seed: 4, peers: 40, weeks: 4, serviceConsents: true }).records.find((r) => r.kind === 'service-consent');
  if (consent?.kind !== 'service-consent') throw new Error('no service consent generated');
  it.each([
    ['the day it was given, for a consented code', { ...consent }, consent.period.start, 'G0140', true],
    ['the day before it was given', { ...consent }, '2000-01-01', 'G0140', false],
    ['a code it does not cover', { ...consent }, consent.period.start, 'H0038', false],
    ['any code when it lists none', { ...consent, services: [] }, consent.period.start, 'H0038', true],
    ['a declined consent', { ...consent, status: 'rejected' as const }, consent.period.start, 'G0140', false],
    ['a consent revoked later', { ...consent, status: 'revoked' as const, revocation: { date: '2999-01-01T00:00:00Z', method: 'verbal' as const } }, consent.period.start, 'G0140', true],
    ['a consent revoked by then', { ...consent, status: 'revoked' as const, revocation: { date: `${consent.period.start}T23:00:00Z`, method: 'verbal' as const } }, consent.period.start, 'G0140', false],
  ])('%s', (_what, c, date, code, expected) => {
    expect(isServiceConsentInForce(c, date, code)).toBe(expected);
  });
});
