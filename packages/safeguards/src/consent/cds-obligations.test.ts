import { describe, expect, it } from 'vitest';
import { toCdsObligations } from './cds-obligations';
import type { Obligation } from './decision';

const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const REDACT = { system: ACT, code: 'REDACT' };

describe('toCdsObligations', () => {
  it.each<[string, Obligation[], unknown[]]>([
    ['redact: share all except these codes', [{ kind: 'redact', code: REDACT, codes: [{ system: ACT, code: 'ETH' }], basis: 'Consent/x provision.provision[0]' }], [{ id: REDACT, parameters: { codes: [{ system: ACT, code: 'ETH' }] } }]],
    [
      'limit-to scopes together: only these codes',
      [
        { kind: 'limit-to', code: { system: 'https://peerkit.dev/fhir/CodeSystem/obligation', code: 'limit-to' }, codes: [{ system: ACT, code: 'ETH' }], basis: 'a' },
        { kind: 'limit-to', code: { system: 'https://peerkit.dev/fhir/CodeSystem/obligation', code: 'limit-to' }, codes: [{ system: ACT, code: 'PSY' }], basis: 'b' },
      ],
      [{ id: REDACT, parameters: { exceptAnyOfCodes: [{ system: ACT, code: 'ETH' }, { system: ACT, code: 'PSY' }] } }],
    ],
    ['the notice to attach', [{ kind: 'attach-notice', code: { system: ACT, code: 'NORDSCLCD' }, notice: 'notice text', basis: 'part2' }], [{ id: { system: ACT, code: 'NORDSCLCD' }, parameters: { notice: 'notice text' } }]],
    ['a redaction by data period only has no LEAP form', [{ kind: 'redact', code: REDACT, scope: [{ dataPeriod: { start: '2026-01-01' } }], codes: [], basis: 'x' }], []],
  ])('%s', (_name, obligations, expected) => {
    expect(toCdsObligations(obligations)).toEqual(expected);
  });
});
