import { describe, expect, it } from 'vitest';
import { CLAIM_OPTIONS } from './__fixtures__/claims';
import { parseClaimsConfig } from './claims-config';

const { specialists: _s, evidence: _e, ...valid } = CLAIM_OPTIONS;

describe('parseClaimsConfig', () => {
  it('accepts a complete claims configuration', () => {
    const result = parseClaimsConfig(JSON.parse(JSON.stringify(valid)));
    expect(result.issues).toEqual([]);
    expect(result.ok && result.value.members['peer-1']?.gender).toBe('U');
  });

  it('names every missing, unknown and invalid field by path and code, never its value', () => {
    const result = parseClaimsConfig({ submitter: { name: 'x' }, receiver: { id: 'y', nme: 'Secret Clearinghouse' }, members: { 'peer-1': { gender: 'X', birthDate: 'soon' } } });
    expect(result.ok).toBe(false);
    const found = result.issues.map((i) => [i.code, i.path.join('.')]);
    for (const expected of [
      ['schema.required', 'submitter.id'],
      ['schema.required', 'submitter.contactName'],
      ['schema.required', 'receiver.name'],
      ['schema.unknown-field', 'receiver.nme'],
      ['schema.required', 'billingProvider'],
      ['schema.invalid-value', 'members.peer-1.gender'],
      ['schema.invalid-format', 'members.peer-1.birthDate'],
    ]) {
      expect(found).toContainEqual(expected);
    }
    expect(JSON.stringify(result.issues)).not.toMatch(/Secret|soon/);
  });

  it('rejects a negative charge and blank text', () => {
    const result = parseClaimsConfig({ ...valid, chargePerUnit: { H0038: -1 }, receiver: { name: ' ', id: 'R' } });
    expect(result.issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['schema.too-small', 'receiver.name'],
      ['schema.too-small', 'chargePerUnit.H0038'],
    ]);
  });
});
