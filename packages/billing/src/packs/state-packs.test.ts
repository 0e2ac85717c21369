import { describe, expect, it } from 'vitest';
import { context, encounter, groupSession, peer, specialist } from '../__fixtures__/clinic';
import { billEncounters } from '../bill-encounters';
import type { ClaimLine } from '../claim-line';
import { CA_MEDI_CAL_PACK, CO_MEDICAID_PACK, GA_MEDICAID_PACK, MI_MEDICAID_PACK, WA_MEDICAID_PACK } from '.';

const reasons = (line: ClaimLine | undefined): string[] => [...new Set((line?.findings ?? []).filter((f) => f.severity === 'error').map((f) => f.check))];

describe('state packs added for issue 19', () => {
  it.each([
    [14, 0, ['MIN_MINUTES']],
    [15, 1, []],
    [29, 1, []],
    [30, 2, []],
    [59, 3, []],
  ])('mi-medicaid rounds %i minutes to %i full units', (minutes, units, held) => {
    const run = billEncounters([encounter('2025-03-03T10:00:00', minutes)], context(MI_MEDICAID_PACK));
    expect(run.lines[0]?.units).toBe(units);
    expect(reasons(run.lines[0])).toEqual(held);
  });

  it('mi-medicaid puts HF on substance use lines only, and bills no groups', () => {
    const run = billEncounters(
      [encounter('2025-03-03T10:00:00', 30), encounter('2025-03-04T10:00:00', 30, { programId: 'prog-mh', programType: 'mental-health' })],
      context(MI_MEDICAID_PACK),
    );
    expect(run.lines.map((l) => l.modifiers)).toEqual([['HF'], []]);
    const group = billEncounters([groupSession('2025-03-05T17:00:00', 60, 1)], context(MI_MEDICAID_PACK, { peers: [peer({ id: 'peer-g1' })] }));
    expect(reasons(group.lines[0])).toEqual(['SERVICE']);
  });

  it('ca-medi-cal and ga-medicaid hold a line rendered by a peer certified in another state', () => {
    for (const pack of [CA_MEDI_CAL_PACK, GA_MEDICAID_PACK]) {
      const other = specialist({ certifications: [{ credential: 'cps', issuer: 'Example Board', state: 'NJ', number: 'CPS-9', issued: '2020-01-01' }] });
      const run = billEncounters([encounter('2025-03-03T10:00:00', 30)], context(pack, { specialists: [other, specialist({ id: 'sp-sup', roleLevel: 'supervisor' })] }));
      expect(reasons(run.lines[0])).toContain('CREDENTIAL');
      expect(billEncounters([encounter('2025-03-03T10:00:00', 30)], context(pack)).lines[0]?.status).toBe('billable');
    }
  });

  it('wa-medicaid and co-medicaid accept a peer in training; ga-medicaid does not', () => {
    const trainee = (state: string) =>
      specialist({ certifications: [{ credential: 'training-completed', issuer: 'Example Board', state, number: 'T-1', issued: '2024-01-01' }] });
    for (const [pack, billable] of [[WA_MEDICAID_PACK, true], [CO_MEDICAID_PACK, true], [GA_MEDICAID_PACK, false]] as const) {
      const state = pack.state ?? 'NJ';
      const ctx = context(pack);
      const run = billEncounters([encounter('2025-03-03T10:00:00', 30)], { ...ctx, specialists: [trainee(state), ...ctx.specialists.slice(1)], evidence: { diagnoses: [{ peerId: 'peer-1', code: 'F11.20' }] } });
      expect(run.lines[0]?.status, pack.id).toBe(billable ? 'billable' : 'held');
    }
  });

  it('co-medicaid holds a line without a diagnosis on file and warns when no diagnosis evidence was supplied', () => {
    const none = billEncounters([encounter('2025-03-03T10:00:00', 30)], context(CO_MEDICAID_PACK, { evidence: { diagnoses: [] } }));
    expect(reasons(none.lines[0])).toEqual(['DX']);
    const missing = billEncounters([encounter('2025-03-03T10:00:00', 30)], context(CO_MEDICAID_PACK));
    expect(missing.lines[0]?.findings.map((f) => [f.check, f.severity])).toContainEqual(['DX', 'warning']);
  });
});
