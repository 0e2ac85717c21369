import { describe, expect, it } from 'vitest';
import { CLAIM_OPTIONS, claimRun, MEMBERS, parseIndependently, type ParsedSegment } from '../__fixtures__/claims';
import { claimKeyOf } from '../claim';
import { claimControlNumber, lineControlNumber, toProfessionalClaims, type ClaimMember } from '../professional-claim';
import { toX12Professional, type X12File, type X12ProfessionalOptions } from './write-837p';

const X12_OPTIONS: X12ProfessionalOptions = { interchangeControlNumber: 41, createdAt: '2025-05-01T09:30:00' };

function write(options: Partial<X12ProfessionalOptions> = {}): { files: X12File[]; run: ReturnType<typeof claimRun> } {
  const run = claimRun();
  const result = toX12Professional(toProfessionalClaims(run, CLAIM_OPTIONS), { ...X12_OPTIONS, ...options });
  if (!result.ok) throw new Error(result.issues.map((i) => i.code).join());
  return { files: result.value, run };
}

/** Checks the envelopes of one parsed file and returns its segments by transaction. */
function checkEnvelopes(segments: readonly ParsedSegment[]): ParsedSegment[][] {
  const names = segments.map((s) => s.name);
  expect(names[0]).toBe('ISA');
  expect(names.at(-1)).toBe('IEA');
  const isa = segments[0] as ParsedSegment;
  const iea = segments.at(-1) as ParsedSegment;
  expect(iea['2']).toBe(isa['13']); // ISA13 = IEA02
  expect(Number(iea['1'])).toBe(names.filter((n) => n === 'GS').length);
  const gs = segments.find((s) => s.name === 'GS') as ParsedSegment;
  const ge = segments.find((s) => s.name === 'GE') as ParsedSegment;
  expect(ge['2']).toBe(gs['6']); // GS06 = GE02
  expect(gs['8']).toBe('005010X222A1');
  const transactions: ParsedSegment[][] = [];
  let current: ParsedSegment[] | undefined;
  for (const s of segments) {
    if (s.name === 'ST') current = [];
    current?.push(s);
    if (s.name === 'SE' && current) {
      const st = current[0] as ParsedSegment;
      expect(s['2']).toBe(st['2']); // ST02 = SE02
      expect(Number(s['1'])).toBe(current.length); // SE01 counts ST through SE
      expect(st['1']).toBe('837');
      expect(st['3']).toBe('005010X222A1');
      transactions.push(current);
      current = undefined;
    }
  }
  expect(Number(ge['1'])).toBe(transactions.length);
  return transactions;
}

describe('toX12Professional', () => {
  it('writes one interchange per payer whose envelopes, counts and control numbers an independent parser confirms', async () => {
    const { files } = write();
    expect(files.map((f) => [f.payerId, f.interchangeControlNumber, f.groupControlNumber])).toEqual([
      ['nc-medicaid', '000000041', '41'],
      ['medicaid-generic', '000000042', '42'],
    ]);
    for (const file of files) {
      const segments = await parseIndependently(file.text);
      const transactions = checkEnvelopes(segments);
      expect(transactions.map((t) => t[0]?.['2'])).toEqual(file.transactionControlNumbers);
      expect(segments[0]?.['13']).toBe(file.interchangeControlNumber);
      expect(segments[0]?.['15']).toBe('T');
    }
  });

  it('puts every billable line in exactly once and no held line', async () => {
    const { files, run } = write();
    const sent: string[] = [];
    for (const file of files) {
      for (const s of await parseIndependently(file.text)) if (s.name === 'REF' && s['1'] === '6R') sent.push(s['2'] as string);
    }
    const billable = run.lines.filter((l) => l.status === 'billable' && l.peerId !== 'peer-9');
    const held = run.lines.filter((l) => l.status === 'held');
    expect(held.length).toBeGreaterThan(0);
    expect(sent.sort()).toEqual(billable.map((l) => lineControlNumber(l.id)).sort());
    expect(new Set(sent).size).toBe(sent.length);
    for (const line of held) expect(sent).not.toContain(lineControlNumber(line.id));
    expect(files.flatMap((f) => f.lineIds).sort()).toEqual(billable.map((l) => l.id).sort());
  });

  it('leaves out, and lists, the claim of a member without demographics', () => {
    const run = claimRun();
    const claims = toProfessionalClaims(run, CLAIM_OPTIONS);
    const peer9 = run.lines.filter((l) => l.peerId === 'peer-9' && l.status === 'billable');
    expect(claims.omitted).toEqual([{ claimKey: claimKeyOf(peer9[0] as (typeof peer9)[number]), lineIds: peer9.map((l) => l.id), reason: 'member' }]);
    expect(claims.issues.map((i) => i.code)).toEqual(['billing.claim-member']);
  });

  it('writes the claim, subscriber, payer and service line segments of the guide', async () => {
    const { files, run } = write();
    const nc = await parseIndependently((files[0] as X12File).text);
    const peer1 = run.lines.filter((l) => l.peerId === 'peer-1' && l.status === 'billable');
    const pcn = claimControlNumber(claimKeyOf(peer1[0] as (typeof peer1)[number]));
    const at = nc.findIndex((s) => s.name === 'CLM' && s['1'] === pcn);
    expect(at).toBeGreaterThan(0);
    const clm = nc[at] as ParsedSegment;
    expect(clm).toMatchObject({ '2': '59.85', '5': '11', '5-1': 'B', '5-2': '1', '6': 'Y', '7': 'A', '8': 'Y', '9': 'I' });
    expect(nc[at + 1]).toMatchObject({ name: 'REF', '1': 'G1', '2': 'PA-12345' });
    expect(nc[at + 2]).toMatchObject({ name: 'HI', '1': 'ABK', '1-1': 'F1120', '2': 'ABF', '2-1': 'F331' });
    expect(nc[at + 3]).toMatchObject({ name: 'NM1', '1': '82', '2': '1', '3': 'EXAMPLE', '4': 'SAM', '8': 'XX', '9': '1999999984' });
    expect(nc[at + 4]).toMatchObject({ name: 'PRV', '1': 'PE', '2': 'PXC', '3': '175T00000X' });
    expect(nc.slice(at + 5, at + 9).map((s) => s.name)).toEqual(['LX', 'SV1', 'DTP', 'REF']);
    expect(nc[at + 6]).toMatchObject({ '1': 'HC', '1-1': 'H0038', '2': '35.91', '3': 'UN', '4': '3', '5': '', '7': '1', '7-1': '2' });
    expect(nc[at + 7]).toMatchObject({ '1': '472', '2': 'D8', '3': '20250303' });
    // The video line at home bills POS 10 and GT; SV105 carries the POS that differs from CLM05.
    expect(nc[at + 10]).toMatchObject({ name: 'SV1', '1-1': 'H0038', '1-2': 'GT', '4': '2', '5': '10' });
    const names = nc.map((s) => s.name);
    expect(names.slice(0, 12)).toEqual(['ISA', 'GS', 'ST', 'BHT', 'NM1', 'PER', 'NM1', 'HL', 'NM1', 'N3', 'N4', 'REF']);
    const hl = nc.find((s) => s.name === 'HL' && s['3'] === '22') as ParsedSegment;
    const h = nc.indexOf(hl);
    expect(nc.slice(h, h + 7).map((s) => [s.name, s['1']])).toEqual([
      ['HL', hl['1']],
      ['SBR', 'P'],
      ['NM1', 'IL'],
      ['N3', '1 EXAMPLE WAY'],
      ['N4', 'SPRINGFIELD'],
      ['DMG', 'D8'],
      ['NM1', 'PR'],
    ]);
    expect(nc[h + 1]?.['9']).toBe('MC');
    expect(nc[h + 6]).toMatchObject({ '3': 'EXAMPLE MEDICAID PLAN', '8': 'PI', '9': 'NCMCD' });
  });

  it('bills group lines with HQ and month-long claims per member', async () => {
    const { files } = write();
    const generic = await parseIndependently((files[1] as X12File).text);
    const sv1 = generic.filter((s) => s.name === 'SV1');
    expect(sv1).toHaveLength(5);
    for (const s of sv1) expect(s).toMatchObject({ '1': 'HC', '1-1': 'H0038', '1-2': 'HQ', '3': 'UN' });
    expect(generic.filter((s) => s.name === 'CLM')).toHaveLength(5);
    expect(generic.filter((s) => s.name === 'HL' && s['3'] === '22')).toHaveLength(3);
  });

  it('starts a new transaction past maxClaimsPerTransaction, each with its own count and control number', async () => {
    const { files } = write({ maxClaimsPerTransaction: 1 });
    const nc = files[0] as X12File;
    expect(nc.transactionControlNumbers.length).toBeGreaterThan(1);
    const transactions = checkEnvelopes(await parseIndependently(nc.text));
    expect(transactions).toHaveLength(nc.transactionControlNumbers.length);
  });

  it('is deterministic, and escapes delimiter characters in names', () => {
    const run = claimRun();
    const again = (): unknown => toX12Professional(toProfessionalClaims(run, CLAIM_OPTIONS), X12_OPTIONS);
    expect(again()).toEqual(again());
    const options = { ...CLAIM_OPTIONS, members: { ...CLAIM_OPTIONS.members, 'peer-1': { ...MEMBERS['peer-1'], lastName: 'O*Brien~Smith:Jr' } as ClaimMember } };
    const result = toX12Professional(toProfessionalClaims(run, options), X12_OPTIONS);
    expect(result.ok && result.value[0]?.text).toContain('NM1*IL*1*O BRIEN SMITH JR*TEST');
  });

  it('refuses to write without a billing provider NPI', () => {
    const claims = toProfessionalClaims(claimRun(), { ...CLAIM_OPTIONS, billingProvider: { taxId: '123456789', address: CLAIM_OPTIONS.billingProvider.address } });
    const result = toX12Professional(claims, X12_OPTIONS);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toEqual(['billing.x12-billing-provider']);
  });
});
