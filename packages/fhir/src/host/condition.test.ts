import { describe, expect, it } from 'vitest';
import { readHostFhir } from './read-host';
import type { HostCondition } from './types';

const condition = (over: Record<string, unknown> = {}) => ({
  resourceType: 'Condition',
  id: 'c1',
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] },
  verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F11.20' }, { system: 'http://snomed.info/sct', code: '5602001' }, { display: 'no code' }] },
  subject: { reference: 'Patient/p1' },
  onsetPeriod: { start: '2024-01-05T10:00:00Z' },
  abatementDateTime: '2025-02-01',
  recordedDate: '2024-01-06',
  ...over,
});
const conditions = (input: unknown[]) => readHostFhir(input).context.filter((c): c is HostCondition => c.kind === 'condition');

describe('conditionReader', () => {
  it('reads codes, statuses, category and dates into a condition context item', () => {
    expect(conditions([condition()])[0]).toMatchObject({
      kind: 'condition',
      patientId: 'p1',
      codes: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F11.20' }, { system: 'http://snomed.info/sct', code: '5602001' }],
      clinicalStatus: 'resolved',
      verificationStatus: 'confirmed',
      categories: ['encounter-diagnosis'],
      onset: '2024-01-05',
      abatement: '2025-02-01',
      recorded: '2024-01-06',
    });
  });

  it('takes the Patient\'s identifiers when the Patient is in the input', () => {
    const patient = { resourceType: 'Patient', id: 'p1', identifier: [{ system: 'https://example.org/mrn', value: 'MRN-1' }] };
    expect(conditions([patient, condition()])[0]?.patientIdentifiers).toEqual([{ system: 'https://example.org/mrn', value: 'MRN-1' }]);
  });

  it.each([
    ['no subject', { subject: undefined }],
    ['no coded code', { code: { text: 'free text only' } }],
  ])('reports host.required-missing for %s', (_what, over) => {
    const result = readHostFhir([condition(over)]);
    expect(result.context).toEqual([]);
    expect(result.findings.map((f) => f.code)).toContain('host.required-missing');
  });
});
