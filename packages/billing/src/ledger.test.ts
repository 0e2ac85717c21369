import type { PeerEncounter, ServiceConsent } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { CLAIM_OPTIONS, MEMBERS, parseIndependently, type ParsedSegment } from './__fixtures__/claims';
import { context, encounter, peer } from './__fixtures__/clinic';
import { billEncounters } from './bill-encounters';
import type { BillingContext } from './billing-context';
import { billedUnitsOf, createMemoryBillingLedger, isBillingLedgerEntry, readBillingLedger, type BillingLedger } from './ledger';
import { planLedgerClaims } from './ledger-plan';
import { MEDICAID_GENERIC_PACK, MEDICARE_PIN_PACK, NJ_MEDICAID_PACK } from './packs';
import type { PayerPack } from './pack-schema';
import { toProfessionalClaims } from './professional-claim';
import { toX12Professional } from './x12';

const MARCH = { start: '2025-03-01', end: '2025-03-31' };
const OPTIONS = { ...CLAIM_OPTIONS, payers: { 'medicaid-generic': { name: 'Example Medicaid Plan', id: 'EXMCD' } }, members: { 'peer-1': MEMBERS['peer-1']! } };

/** One run against the ledger: bill (earlier units counted), plan, write the 837P, append. */
async function run(ledger: BillingLedger, encounters: PeerEncounter[], pack: PayerPack = MEDICAID_GENERIC_PACK, extra: Partial<BillingContext> = {}) {
  const state = await readBillingLedger(ledger.entries());
  const billing = billEncounters(encounters, context(pack, { billed: billedUnitsOf(state), evidence: { diagnoses: [{ peerId: 'peer-1', code: 'F11.20' }] }, ...extra }));
  const plan = planLedgerClaims(toProfessionalClaims(billing, OPTIONS), state, { covers: MARCH, recorded: '2025-04-01T09:00:00Z', members: OPTIONS.members });
  const files = toX12Professional(plan.claims, { interchangeControlNumber: 1, createdAt: '2025-04-01T09:00' });
  if (!files.ok) throw new Error('no 837P');
  await ledger.append(plan.entries);
  const segments = files.value.length === 0 ? [] : await parseIndependently(files.value[0]?.text ?? '');
  return { billing, plan, segments };
}

const clm = (segments: readonly ParsedSegment[]) => segments.filter((s) => s.name === 'CLM').map((s) => [s['1'], s['5-2']]);
const f8 = (segments: readonly ParsedSegment[]) => segments.filter((s) => s.name === 'REF' && s['1'] === 'F8').map((s) => s['2']);
const sv1 = (segments: readonly ParsedSegment[]) => segments.filter((s) => s.name === 'SV1').map((s) => s['4']);

describe('billing ledger across runs', () => {
  const a = encounter('2025-03-03T10:00:00', 45);
  const b = encounter('2025-03-10T10:00:00', 30);
  const c = encounter('2025-03-17T10:00:00', 60);

  it('bills only the new services on the second run, on a claim of its own', async () => {
    const ledger = createMemoryBillingLedger();
    const first = await run(ledger, [a, b]);
    expect(clm(first.segments)).toEqual([[first.plan.entries[0]?.claim.controlNumber, '1']]);
    expect(sv1(first.segments)).toEqual(['3', '2']);

    const second = await run(ledger, [a, b, c]);
    expect(second.plan.counts).toEqual({ original: 1, replacement: 0, void: 0, unchangedLines: 2 });
    expect(sv1(second.segments)).toEqual(['4']);
    const [claim] = clm(second.segments);
    expect(claim?.[1]).toBe('1');
    expect(claim?.[0]).not.toBe(first.plan.entries[0]?.claim.controlNumber);

    const third = await run(ledger, [a, b, c]);
    expect(third.plan.counts).toEqual({ original: 0, replacement: 0, void: 0, unchangedLines: 3 });
    expect(third.segments).toEqual([]);
  });

  it('replaces a claim whose encounter changed (7, REF*F8 the claim it replaces) and voids one whose encounter disappeared (8)', async () => {
    const ledger = createMemoryBillingLedger();
    const first = await run(ledger, [a, b]);
    const second = await run(ledger, [a, b, c]);
    const original = first.plan.entries[0]?.claim.controlNumber;
    const claimOfC = second.plan.entries[0]?.claim.controlNumber;

    const longer = { ...b, durationMinutes: 50, end: (b.end ?? '').replace('10:30:00', '10:50:00') };
    const changed = await run(ledger, [a, longer, c]);
    expect(changed.plan.counts).toEqual({ original: 0, replacement: 1, void: 0, unchangedLines: 2 });
    expect(clm(changed.segments).map((x) => x[1])).toEqual(['7']);
    expect(f8(changed.segments)).toEqual([original]);
    // A replacement carries the whole claim: the unchanged line and the changed one.
    expect(sv1(changed.segments)).toEqual(['3', '3']);
    expect(changed.plan.issues.map((i) => i.code)).toContain('billing.ledger-payer-number');

    const removed = await run(ledger, [a, longer]);
    expect(removed.plan.counts).toEqual({ original: 0, replacement: 0, void: 1, unchangedLines: 2 });
    expect(clm(removed.segments).map((x) => x[1])).toEqual(['8']);
    expect(f8(removed.segments)).toEqual([claimOfC]);
    expect(sv1(removed.segments)).toEqual(['4']);

    // After the void and the replacement, the ledger bills A and the longer B, nothing of C.
    const state = await readBillingLedger(ledger.entries());
    expect(billedUnitsOf(state).map((u) => [u.date, u.units])).toEqual([
      ['2025-03-03', 3],
      ['2025-03-10', 3],
    ]);
  });

  it('uses the payer claim number an 835 gave as REF*F8', async () => {
    const ledger = createMemoryBillingLedger();
    const first = await run(ledger, [a]);
    await ledger.append([{ kind: 'payer-claim-number', recorded: '2025-04-10T00:00:00Z', controlNumber: first.plan.entries[0]?.claim.controlNumber ?? '', payerClaimNumber: 'ICN20250410001' }]);
    const voided = await run(ledger, []);
    expect(f8(voided.segments)).toEqual(['ICN20250410001']);
    expect(voided.plan.issues).toEqual([]);
  });

  it('leaves claims on file for dates the export does not cover', async () => {
    const ledger = createMemoryBillingLedger();
    await run(ledger, [encounter('2025-02-20T10:00:00', 30)]);
    const march = await run(ledger, [a]);
    expect(march.plan.counts).toEqual({ original: 1, replacement: 0, void: 0, unchangedLines: 0 });
  });

  it('counts units billed in an earlier run toward a daily cap (NJ: 16 units a day)', async () => {
    const nj = { evidence: { diagnoses: [{ peerId: 'peer-1', code: 'F11.20' }], otherServices: [] } };
    const ledger = createMemoryBillingLedger();
    const morning = encounter('2025-03-03T08:00:00', 180);
    const afternoon = encounter('2025-03-03T13:00:00', 120);
    const first = await run(ledger, [morning], NJ_MEDICAID_PACK, nj);
    expect(first.billing.lines.map((l) => [l.status, l.units])).toEqual([['billable', 12]]);
    // The second export holds only the afternoon: 12 units already billed that day leave room for 4.
    const second = await run(ledger, [afternoon], NJ_MEDICAID_PACK, nj);
    expect(second.billing.lines.map((l) => [l.status, l.units])).toEqual([
      ['billable', 4],
      ['held', 4],
    ]);
    expect(second.billing.lines[1]?.findings.map((f) => f.check)).toContain('DAILY_CAP');
    // Billed whole in one run, the same day gives the same split.
    const whole = billEncounters([morning, afternoon], context(NJ_MEDICAID_PACK, nj));
    expect(whole.lines.map((l) => [l.status, l.units])).toEqual([
      ['billable', 12],
      ['billable', 4],
      ['held', 4],
    ]);
  });
});

describe('billing ledger: a Medicare PIN month split across two exports', () => {
  const PIN_PEER = peer({ coverage: [{ payerId: 'medicare-pin', memberId: 'MBI0000001', start: '2024-01-01' }], birthDate: '1955-01-01' });
  const SERVICE_CONSENT: ServiceConsent = {
    kind: 'service-consent', id: 'svc-1', peerId: 'peer-1', services: [], status: 'active', period: { start: '2025-01-01' },
    signature: { signer: 'peer', signedAt: '2025-01-01T10:00:00-05:00', method: 'verbal' }, costSharingExplained: true,
  };
  const pin: Partial<BillingContext> = {
    peers: [PIN_PEER],
    serviceConsents: [SERVICE_CONSENT],
    evidence: { diagnoses: [{ peerId: 'peer-1', code: 'F33.1' }], initiatingVisits: [{ peerId: 'peer-1', date: '2025-01-10', code: '99214' }] },
  };
  const options = { ...OPTIONS, chargePerUnit: { G0140: 60, G0146: 30 } };
  const pinRun = async (ledger: BillingLedger, encounters: PeerEncounter[]) => {
    const state = await readBillingLedger(ledger.entries());
    const billing = billEncounters(encounters, context(MEDICARE_PIN_PACK, { ...pin, billed: billedUnitsOf(state) }));
    const plan = planLedgerClaims(toProfessionalClaims(billing, options), state, { covers: { start: '2025-02-01', end: '2025-02-28' }, recorded: '2025-03-01T09:00:00Z', members: options.members, lines: billing.lines });
    await ledger.append(plan.entries);
    return { billing, plan };
  };
  const early = [encounter('2025-02-03T10:00:00', 40), encounter('2025-02-10T10:00:00', 30)];
  const late = [encounter('2025-02-17T10:00:00', 45), encounter('2025-02-24T10:00:00', 30)];

  it('counts the first export\'s minutes: G0140 once, the add-on units as if the month were billed whole', async () => {
    const whole = billEncounters([...early, ...late], context(MEDICARE_PIN_PACK, pin));
    const ledger = createMemoryBillingLedger();
    const first = await pinRun(ledger, early);
    expect(first.billing.lines.map((l) => [l.code, l.units])).toEqual([['G0140', 1]]);
    const second = await pinRun(ledger, late);
    expect(second.billing.lines.map((l) => [l.code, l.units, l.minutes])).toEqual(whole.lines.map((l) => [l.code, l.units, l.minutes]));
    // The add-on joins the month's claim: a replacement with G0140 (billed once) and G0146.
    expect(second.plan.counts).toEqual({ original: 0, replacement: 1, void: 0, unchangedLines: 0 });
    const replaced = second.plan.entries[0]?.claim.lines.map((l) => [l.code, l.units]);
    expect(replaced).toEqual(whole.lines.map((l) => [l.code, l.units]));
    expect(second.plan.entries[0]?.claim.lines[0]?.from).toBe('2025-02-03');
  });
});

describe('isBillingLedgerEntry', () => {
  it('accepts the entries a plan writes and rejects other values', async () => {
    const ledger = createMemoryBillingLedger();
    const { plan } = await run(ledger, [encounter('2025-03-05T10:00:00', 30)]);
    expect(plan.entries.every((e) => isBillingLedgerEntry(JSON.parse(JSON.stringify(e)))) && plan.entries.length > 0).toBe(true);
    expect([null, 1, {}, { kind: 'claim', recorded: 'x' }, { kind: 'payer-claim-number', recorded: 'x' }].some(isBillingLedgerEntry)).toBe(false);
  });
});
