import { generateClinic } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { baseErrors } from '../test/medplum';
import { toFhir } from './to-fhir';

describe('toFhir', () => {
  const clinic = generateClinic({ seed: 7, peers: 200 });
  const result = toFhir(clinic.records);

  it('maps a generated clinic without issues', () => {
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('emits resources that validate against FHIR R4 base with zero errors', () => {
    if (!result.ok) throw new Error('mapping failed');
    const failures: string[] = [];
    for (const resource of result.value) {
      for (const error of baseErrors(resource)) failures.push(`${resource.resourceType}/${resource.id} ${error}`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });
});
