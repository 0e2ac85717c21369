import { describe, expect, it } from 'vitest';
import { SYSTEMS } from '../systems';
import { readHostFhir } from './read-host';

const treatmentConsent = (code: string, over: Record<string, unknown> = {}) => ({
  resourceType: 'Consent',
  id: 'tc-1',
  status: 'active',
  scope: { coding: [{ system: SYSTEMS.consentScope, code: 'treatment' }] },
  category: [{ coding: [{ system: SYSTEMS.loinc, code: '59284-0' }] }],
  patient: { reference: 'Patient/p1' },
  dateTime: '2026-01-05T10:00:00Z',
  performer: [{ reference: 'Patient/p1' }],
  provision: { type: 'permit', period: { start: '2026-01-05' }, code: [{ coding: [{ system: SYSTEMS.hcpcs, code }] }] },
  ...over,
});

describe('host treatment Consent for peer services', () => {
  it('becomes a service-consent record with its services, period and signature (method from the profile defaults)', () => {
    const result = readHostFhir([treatmentConsent('G0140')]);
    const found = result.records.filter((r) => r.kind === 'service-consent');
    expect(found).toHaveLength(1);
    expect(found[0]?.valid).toBe(true);
    expect(found[0]?.record).toMatchObject({
      kind: 'service-consent',
      id: 'tc-1',
      peerId: 'p1',
      services: ['G0140'],
      status: 'active',
      period: { start: '2026-01-05' },
      signature: { signer: 'peer', signedAt: '2026-01-05T10:00:00Z', method: 'electronic' },
      costSharingExplained: false,
    });
    expect(found[0]?.defaulted).toContain('signature.method');
    expect(result.records.some((r) => r.kind === 'consent')).toBe(false);
  });

  it('reads a root deny as a consent the peer declined', () => {
    const result = readHostFhir([treatmentConsent('G0146', { provision: { type: 'deny', period: { start: '2026-01-05' }, code: [{ coding: [{ system: SYSTEMS.hcpcs, code: 'G0146' }] }] } })]);
    const record = result.records.find((r) => r.kind === 'service-consent')?.record;
    expect(record).toMatchObject({ status: 'rejected', services: ['G0146'] });
    expect(record).not.toHaveProperty('signature');
  });

  it('keeps a treatment consent for other services out, with a coded finding', () => {
    const result = readHostFhir([treatmentConsent('99213')]);
    expect(result.records).toHaveLength(0);
    expect(result.findings.map((f) => f.code)).toContain('host.not-peer-support');
  });
});
