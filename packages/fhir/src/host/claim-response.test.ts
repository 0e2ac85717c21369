import { describe, expect, it } from 'vitest';
import { readHostFhir } from './read-host';
import type { HostClaimResponse } from './types';

const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
const response = (over: Record<string, unknown> = {}) => ({
  resourceType: 'ClaimResponse',
  id: 'cr1',
  status: 'active',
  use: 'preauthorization',
  patient: { reference: 'Patient/p1' },
  created: '2025-01-02T09:00:00-05:00',
  insurer: { identifier: { system: 'https://example.org/payer-id', value: 'EX1' }, display: 'Example Plan' },
  outcome: 'complete',
  preAuthRef: 'PA-1',
  preAuthPeriod: { start: '2025-01-01', end: '2025-03-31' },
  contained: [
    {
      resourceType: 'Claim',
      id: 'req',
      item: [{ sequence: 1, productOrService: { coding: [{ system: HCPCS, code: 'H0038' }] }, quantity: { value: 24 }, servicedPeriod: { start: '2025-01-01', end: '2025-03-31' } }],
    },
  ],
  request: { reference: '#req' },
  item: [{ itemSequence: 1, adjudication: [{ category: { coding: [{ code: 'eligible' }] } }] }],
  addItem: [{ productOrService: { coding: [{ system: HCPCS, code: 'G0140' }] }, quantity: { value: 1 }, servicedDate: '2025-02-01' }],
  ...over,
});
const responses = (input: unknown[]) => readHostFhir(input).context.filter((c): c is HostClaimResponse => c.kind === 'claim-response');

describe('claimResponseReader', () => {
  it('reads the authorization number, period, insurer and the services of its request Claim and added items', () => {
    expect(responses([response()])[0]).toMatchObject({
      kind: 'claim-response',
      patientId: 'p1',
      status: 'active',
      use: 'preauthorization',
      outcome: 'complete',
      created: '2025-01-02',
      preAuthRef: 'PA-1',
      preAuthPeriod: { start: '2025-01-01', end: '2025-03-31' },
      insurer: { name: 'Example Plan', identifiers: [{ system: 'https://example.org/payer-id', value: 'EX1' }] },
      items: [
        { code: { system: HCPCS, code: 'H0038' }, units: 24, from: '2025-01-01', to: '2025-03-31' },
        { code: { system: HCPCS, code: 'G0140' }, units: 1, from: '2025-02-01', to: '2025-02-01' },
      ],
    });
  });

  it('reads a claim response without a request Claim, and reports one without a patient', () => {
    expect(responses([response({ request: undefined, contained: undefined, addItem: undefined })])[0]?.items).toEqual([]);
    expect(readHostFhir([response({ patient: undefined })]).findings.map((f) => f.code)).toContain('host.required-missing');
  });
});
