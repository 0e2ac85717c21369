import { generateClinic } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { collectBillingRecords, parseBillingEvidence } from './billing-context';

describe('collectBillingRecords', () => {
  it('sorts a clinic export into encounters and context records', () => {
    const clinic = generateClinic({ seed: 5, peers: 10, weeks: 2 });
    const out = collectBillingRecords(clinic.records);
    const count = (kind: string): number => clinic.records.filter((r) => r.kind === kind).length;
    expect(out.encounters).toHaveLength(count('encounter') + count('group-session'));
    expect(out.peers).toHaveLength(count('peer'));
    expect(out.specialists).toHaveLength(count('specialist'));
    expect(out.plans).toHaveLength(count('recovery-plan'));
    expect(out.consents).toHaveLength(count('consent'));
    expect(out.organization?.kind).toBe('organization');
  });
});

describe('parseBillingEvidence', () => {
  it('accepts every kind of evidence', () => {
    const result = parseBillingEvidence({
      diagnoses: [{ peerId: 'peer-1', code: 'F11.20', start: '2025-01-01' }],
      authorizations: [{ peerId: 'peer-1', kind: 'prior-authorization', start: '2025-01-01', end: '2025-06-30', units: 48, code: 'H0038' }],
      initiatingVisits: [{ peerId: 'peer-1', date: '2025-01-02', code: '99214' }],
      otherServices: [{ peerId: 'peer-1', kind: 'behavioral-health', start: '2025-01-03T10:00:00-05:00', end: '2025-01-03T11:00:00-05:00' }],
      mue: { H0038: 24 },
    });
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it.each([
    [{ diagnoses: [{ code: 'F11.20' }] }, 'schema.required', 'diagnoses.0.peerId'],
    [{ authorizations: [{ peerId: 'p', kind: 'referral', start: '2025-01-01' }] }, 'schema.invalid-value', 'authorizations.0.kind'],
    [{ initiatingVisits: [{ peerId: 'p', date: 'yesterday' }] }, 'schema.invalid-format', 'initiatingVisits.0.date'],
    [{ mue: { H0038: -1 } }, 'schema.too-small', 'mue.H0038'],
    [{ visits: [] }, 'schema.unknown-field', 'visits'],
  ])('rejects %j with %s at %s', (input, code, path) => {
    const result = parseBillingEvidence(input);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => [i.code, i.path.join('.')])).toContainEqual([code, path]);
  });
});
