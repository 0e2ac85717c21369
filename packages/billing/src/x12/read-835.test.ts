import { describe, expect, it } from 'vitest';
import { CLAIM_OPTIONS, claimRun } from '../__fixtures__/claims';
import { era } from '../__fixtures__/era';
import { lineControlNumber, toProfessionalClaims, type ProfessionalClaim } from '../professional-claim';
import { matchRemittance, summarizeDenials } from '../remittance';
import { parseX12Remittance } from './read-835';
import { toX12Professional } from './write-837p';

function scenario() {
  const run = claimRun();
  const claims = toProfessionalClaims(run, CLAIM_OPTIONS);
  const [nc, generic] = claims.batches;
  const peer1 = nc?.subscribers.find((s) => s.peerId === 'peer-1')?.claims[0] as ProfessionalClaim;
  const peer2 = nc?.subscribers.find((s) => s.peerId === 'peer-2')?.claims ?? [];
  const groups = generic?.subscribers.flatMap((s) => s.claims) ?? [];
  const text = era(
    [
      {
        claim: peer1,
        lines: [
          { paid: 30, adjustments: [['CO', '45', 5.91]] },
          { paid: 0, adjustments: [['CO', '58', 23.94]], remarks: ['M77'] },
        ],
      },
      { claim: peer2[0] as ProfessionalClaim, status: '4', adjustments: [['CO', '197', (peer2[0] as ProfessionalClaim).totalCharge]] },
      ...groups.slice(0, 2).map((claim) => ({ claim, lines: claim.lines.map((l) => ({ paid: l.charge, withoutControlNumber: true })) })),
      {
        claim: groups[2] as ProfessionalClaim,
        lines: [{ paid: 20, adjustments: [['CO', '151', 25], ['PR', '2', 15]] as [string, string, number][], remarks: ['N130'] }],
      },
    ],
    ['PKUNKNOWN1'],
  );
  return { run, claims, peer1, peer2, groups, text };
}

describe('parseX12Remittance', () => {
  it('reads the payment, claims, services, adjustments and remarks of an 835', () => {
    const { text, peer1 } = scenario();
    const parsed = parseX12Remittance(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [r] = parsed.value;
    expect(r).toMatchObject({ traceNumber: 'EFT0000001', payerId: 'NCMCD', payerName: 'EXAMPLE MEDICAID PLAN', payeeNpi: '1234567893', paymentDate: '2025-05-20' });
    const clp = r?.claims[0];
    expect(clp).toMatchObject({ controlNumber: peer1.controlNumber, status: '1', charge: peer1.totalCharge, paid: 30 });
    expect(clp?.services[1]).toEqual({
      code: 'H0038',
      modifiers: ['GT'],
      charge: peer1.lines[1]?.charge,
      paid: 0,
      units: 2,
      date: '2025-03-10',
      controlNumber: lineControlNumber(peer1.lines[1]?.lineId ?? ''),
      adjustments: [{ group: 'CO', reason: '58', amount: 23.94 }],
      remarks: ['M77'],
    });
    expect(r?.claims[1]).toMatchObject({ status: '4', adjustments: [{ group: 'CO', reason: '197' }], services: [] });
  });

  it.each([
    ['text that is not X12', 'hello, world', 'billing.x12-parse'],
    ['an empty file', '', 'billing.x12-parse'],
  ])('gives an issue for %s, never throws', (_what, text, code) => {
    const parsed = parseX12Remittance(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.issues.map((i) => i.code)).toEqual([code]);
  });

  it('gives an issue for an interchange without an 835 (an 837P)', () => {
    const written = toX12Professional(toProfessionalClaims(claimRun(), CLAIM_OPTIONS), { interchangeControlNumber: 1, createdAt: '2025-05-01T09:00' });
    const parsed = parseX12Remittance(written.ok ? (written.value[0]?.text ?? '') : '');
    expect(parsed.issues.map((i) => i.code)).toEqual(['billing.x12-no-835']);
  });
});

describe('matchRemittance', () => {
  it('matches payments, adjustments and denials to the claim lines, by REF*6R or by code and date', () => {
    const { run, text, peer1, peer2, groups } = scenario();
    const parsed = parseX12Remittance(text);
    if (!parsed.ok) throw new Error('not parsed');
    const match = matchRemittance(parsed.value, run);
    const byLine = new Map(match.lines.map((l) => [l.lineId, l]));
    const [paid, denied] = peer1.lines;
    expect(byLine.get(paid?.lineId ?? '')).toMatchObject({ outcome: 'paid', paid: 30, traceNumber: 'EFT0000001' });
    expect(byLine.get(denied?.lineId ?? '')).toMatchObject({
      outcome: 'denied',
      paid: 0,
      adjustments: [{ group: 'CO', reason: '58', groupMeaning: 'Contractual obligation: the provider may not bill the patient', reasonMeaning: 'Rendered in an inappropriate or invalid place of service' }],
      remarks: [{ code: 'M77', meaning: 'Place of service missing, incomplete, invalid or inappropriate' }],
    });
    for (const line of peer2[0]?.lines ?? []) expect(byLine.get(line.lineId)).toMatchObject({ outcome: 'denied', adjustments: [{ reason: '197' }] });
    for (const claim of groups.slice(0, 2)) for (const line of claim.lines) expect(byLine.get(line.lineId)?.outcome).toBe('paid');
    expect(byLine.get(groups[2]?.lines[0]?.lineId ?? '')).toMatchObject({ outcome: 'partial', paid: 20 });
    expect(match.unmatchedClaims).toEqual(['PKUNKNOWN1']);
    expect(match.issues.map((i) => i.code)).toEqual(['billing.remittance-claim']);
    const remitted = new Set(match.lines.map((l) => l.lineId));
    expect(match.pending.sort()).toEqual(run.lines.filter((l) => l.status === 'billable' && !remitted.has(l.id)).map((l) => l.id).sort());
    expect(run.lines.filter((l) => l.status === 'held').some((l) => remitted.has(l.id))).toBe(false);
  });

  it('lets a reversal (CLP02 22) replace an earlier payment of the line', () => {
    const { run, groups } = scenario();
    const claim = groups[0] as ProfessionalClaim;
    const paidText = era([{ claim, lines: claim.lines.map((l) => ({ paid: l.charge })) }]);
    const reversedText = era([{ claim, status: '22', lines: claim.lines.map((l) => ({ paid: -l.charge, adjustments: [['CR', '18', l.charge]] as [string, string, number][] })) }]);
    const remittances = [paidText, reversedText].flatMap((t) => {
      const p = parseX12Remittance(t);
      return p.ok ? p.value : [];
    });
    const match = matchRemittance(remittances, run);
    expect(match.lines.filter((l) => claim.lines.some((c) => c.lineId === l.lineId)).map((l) => l.outcome)).toEqual(claim.lines.map(() => 'reversed'));
  });
});

describe('summarizeDenials', () => {
  it('reports denied and reduced lines by reason, with the meaning, most lines first', () => {
    const { run, text, peer2 } = scenario();
    const parsed = parseX12Remittance(text);
    if (!parsed.ok) throw new Error('not parsed');
    const rows = summarizeDenials(matchRemittance(parsed.value, run));
    const lines197 = peer2[0]?.lines.length ?? 0;
    expect(rows.map((r) => `${r.group}-${r.reason}:${r.lines}`).sort()).toEqual([`CO-151:1`, `CO-197:${lines197}`, `CO-58:1`]);
    for (let i = 1; i < rows.length; i += 1) {
      const [a, b] = [rows[i - 1], rows[i]] as [(typeof rows)[number], (typeof rows)[number]];
      expect(a.lines > b.lines || (a.lines === b.lines && a.amount >= b.amount)).toBe(true);
    }
    expect(rows.find((r) => r.reason === '197')?.reasonMeaning).toBe('Precertification, authorization or notification absent');
    expect(rows.some((r) => r.reason === '45' || r.group === 'PR')).toBe(false);
  });
});
