import { describe, expect, it } from 'vitest';
import { readHostFhir } from './read-host';
import type { HostCoverage } from './types';

const MB = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MB' }] };
const coverage = (over: Record<string, unknown> = {}) => ({
  resourceType: 'Coverage',
  id: 'cov-1',
  status: 'active',
  identifier: [{ type: MB, system: 'https://example.org/member', value: 'M-1' }],
  beneficiary: { reference: 'Patient/p1' },
  period: { start: '2025-01-01', end: '2025-12-31' },
  payor: [{ reference: 'Organization/payer' }],
  class: [
    { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] }, value: 'P-1', name: 'Plan one' },
    { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'group' }] }, value: 'G-1' },
  ],
  order: 1,
  ...over,
});
const payer = { resourceType: 'Organization', id: 'payer', name: 'Example Plan (synthetic)', identifier: [{ system: 'https://example.org/payer-id', value: 'EX1' }] };
const coverages = (input: unknown[]) => readHostFhir(input).context.filter((c): c is HostCoverage => c.kind === 'coverage');

describe('coverageReader', () => {
  it('reads payer, member id, plan, group, period and order into a coverage context item', () => {
    const [item] = coverages([payer, coverage()]);
    expect(item).toMatchObject({
      kind: 'coverage',
      id: 'cov-1',
      patientId: 'p1',
      status: 'active',
      payers: [{ id: 'payer', name: 'Example Plan (synthetic)', identifiers: [{ system: 'https://example.org/payer-id', value: 'EX1' }] }],
      memberId: 'M-1',
      plan: { value: 'P-1', name: 'Plan one' },
      group: { value: 'G-1' },
      period: { start: '2025-01-01', end: '2025-12-31' },
      order: 1,
    });
    expect(item?.source.resourceType).toBe('Coverage');
  });

  it('prefers subscriberId, and keeps a payer it cannot resolve as the reference names it', () => {
    const [item] = coverages([coverage({ subscriberId: 'S-9', payor: [{ reference: 'Organization/elsewhere', display: 'Other plan' }] })]);
    expect(item?.memberId).toBe('S-9');
    expect(item?.payers).toEqual([{ id: 'elsewhere', name: 'Other plan', identifiers: [] }]);
  });

  it.each([
    ['no beneficiary', { beneficiary: undefined }],
    ['no payor', { payor: [] }],
    ['no status', { status: undefined }],
  ])('reports host.required-missing for %s and reads nothing', (_what, over) => {
    const result = readHostFhir([coverage(over)]);
    expect(result.context.filter((c) => c.kind === 'coverage')).toEqual([]);
    expect(result.findings.map((f) => f.code)).toContain('host.required-missing');
  });
});
