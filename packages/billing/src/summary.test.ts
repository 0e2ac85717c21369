import { describe, expect, it } from 'vitest';
import { context, encounter, groupPeers, groupSession, peer } from './__fixtures__/clinic';
import { billEncounters } from './bill-encounters';
import { NC_MEDICAID_PACK, NJ_MEDICAID_PACK } from './packs';
import { summarizeBilling } from './summary';

describe('summarizeBilling', () => {
  it('counts lines, units by code and held lines by reason', () => {
    const run = billEncounters(
      [
        encounter('2025-03-03T09:00:00', 240),
        encounter('2025-03-03T14:00:00', 60),
        encounter('2025-03-04T09:00:00', 5),
        encounter('2025-03-04T12:00:00', 30, { peerId: 'peer-2' }),
        groupSession('2025-03-05T17:00:00', 60, 2),
      ],
      context(NJ_MEDICAID_PACK, { peers: [peer(), peer({ id: 'peer-2', coverage: [] }), ...groupPeers(2)] }),
    );
    const s = summarizeBilling(run);
    expect(s).toMatchObject({
      lines: 5,
      billableLines: 1,
      heldLines: 4,
      units: 16,
      heldUnits: 4 + 0 + 8,
      unitsByCode: { H0038: 16 },
      unitsByCodeAndModifiers: { 'H0038 HF': 16 },
      heldByReason: { DAILY_CAP: 1, MIN_MINUTES: 1, SERVICE: 2 },
      notDelivered: 0,
    });
    expect(s.warningsByCheck.DX).toBe(5);
    expect(s.notBilled).toEqual([{ reason: 'no-coverage', peers: 1, services: 1, minutes: 30 }]);
  });

  it('counts each held line under the checks holding it', () => {
    const run = billEncounters(
      [encounter('2025-03-03T10:00:00', 30), groupSession('2025-03-04T17:00:00', 30, 1)],
      context(NC_MEDICAID_PACK, { peers: [peer(), ...groupPeers(1)], plans: [] }),
    );
    expect(summarizeBilling(run).heldByReason).toEqual({ PLAN: 2 });
  });

  it('counts each service once, not again for the held remainder of a line cut by a cap', () => {
    // NJ's daily cap bills 16 of the 18 units and holds the rest as its own line (bill-encounters.test.ts).
    const run = billEncounters(['09:00', '11:00', '14:00'].map((t) => encounter(`2025-03-03T${t}:00`, 90)), context(NJ_MEDICAID_PACK));
    expect(run.lines.filter((l) => l.splitFrom !== undefined)).toHaveLength(1);
    expect(summarizeBilling(run).services).toBe(3);
  });

  it('notes the run findings once each, leaving coverage to notBilled', () => {
    const run = billEncounters(
      [encounter('2025-03-03T10:00:00', 30), encounter('2025-03-04T10:00:00', 30, { peerId: 'peer-2' })],
      context(NJ_MEDICAID_PACK, { peers: [peer(), peer({ id: 'peer-2', coverage: [] })], serviceState: 'CA' }),
    );
    expect(run.findings.map((f) => f.check).sort()).toEqual(['COVERAGE', 'PACK']);
    expect(summarizeBilling(run).notes).toEqual(["The pack holds another state's rules than the state where services are delivered"]);
  });
});
