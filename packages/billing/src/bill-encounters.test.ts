import { describe, expect, it } from 'vitest';
import {
  consent,
  context,
  encounter,
  groupPeers,
  groupSession,
  peer,
  plan,
  specialist,
  supervisor,
} from './__fixtures__/clinic';
import { billEncounters } from './bill-encounters';
import type { BillingContext } from './billing-context';
import type { ClaimLine } from './claim-line';
import type { PayerPack } from './pack-schema';
import {
  MEDICAID_GENERIC_PACK,
  MEDICARE_PIN_PACK,
  NC_MEDICAID_PACK,
  NJ_MEDICAID_PACK,
  PA_MEDICAID_PACK,
  TX_MEDICAID_PACK,
  VA_MEDICAID_PACK,
} from './packs';

const GENERIC = MEDICAID_GENERIC_PACK;

/** The checks holding a line. */
const reasons = (line: ClaimLine | undefined): string[] => [...new Set((line?.findings ?? []).filter((f) => f.severity === 'error').map((f) => f.check))];
const warnings = (line: ClaimLine | undefined): string[] => [...new Set((line?.findings ?? []).filter((f) => f.severity === 'warning').map((f) => f.check))];
const billable = (lines: readonly ClaimLine[]): ClaimLine[] => lines.filter((l) => l.status === 'billable');
const held = (lines: readonly ClaimLine[]): ClaimLine[] => lines.filter((l) => l.status === 'held');

function withPack(pack: PayerPack, patch: (copy: PayerPack) => void): PayerPack {
  const copy = structuredClone(pack) as PayerPack;
  patch(copy);
  return copy;
}

describe('billEncounters: units', () => {
  it.each([
    [7, 0],
    [8, 1],
    [22, 1],
    [23, 2],
    [37, 2],
    [38, 3],
  ])('bills %i minutes as %i units under MIDPOINT (medicaid-generic)', (minutes, units) => {
    const run = billEncounters([encounter('2025-03-03T10:00:00', minutes)], context(GENERIC));
    const [line] = run.lines;
    expect(line?.units).toBe(units);
    expect(line?.status).toBe(units === 0 ? 'held' : 'billable');
    if (units === 0) expect(reasons(line)).toEqual(['MIN_MINUTES']);
  });

  it('adds up same-day minutes under CMS_TIMED_TOTAL: 5 + 7 minutes give 1 unit, to the longer service', () => {
    const pack = withPack(GENERIC, (p) => {
      if (p.billing.mode !== 'timed') return;
      p.billing.strategy.value = 'CMS_TIMED_TOTAL';
      p.billing.sumSameDay.value = true;
    });
    const a = encounter('2025-03-03T09:00:00', 5);
    const b = encounter('2025-03-03T13:00:00', 7);
    const run = billEncounters([a, b], context(pack));
    const byId = new Map(run.lines.map((l) => [l.services[0]?.id, l]));
    expect(byId.get(b.id)?.units).toBe(1);
    expect(byId.get(b.id)?.status).toBe('billable');
    expect(byId.get(a.id)?.units).toBe(0);
    expect(reasons(byId.get(a.id))).toEqual(['MIN_MINUTES']);
  });

  it('bills each session on its own when the payer does not sum same-day sessions', () => {
    const run = billEncounters([encounter('2025-03-03T09:00:00', 5), encounter('2025-03-03T13:00:00', 7)], context(GENERIC));
    expect(run.lines.map((l) => l.units)).toEqual([0, 0]);
    expect(held(run.lines)).toHaveLength(2);
  });

  it('uses FULL_UNIT under the NJ pack: 29 minutes are 1 unit', () => {
    const run = billEncounters([encounter('2025-03-03T10:00:00', 29)], context(NJ_MEDICAID_PACK));
    expect(run.lines[0]?.units).toBe(1);
  });
});

describe('billEncounters: codes, modifiers and place of service', () => {
  it.each([
    ['in person at the clinic', { modality: 'in-person', setting: 'clinic' }, [], '11'],
    ['in person at a shelter', { modality: 'in-person', setting: 'shelter' }, [], '04'],
    ['video with the member at home', { modality: 'video', setting: 'home' }, ['GT'], '10'],
    ['audio-only with the member elsewhere', { modality: 'audio-only', setting: 'community' }, ['93'], '02'],
  ] as const)('%s: modifiers %j, POS %s (medicaid-generic)', (_what, patch, modifiers, pos) => {
    const run = billEncounters([encounter('2025-03-03T10:00:00', 30, patch)], context(GENERIC));
    expect(run.lines[0]).toMatchObject({ code: 'H0038', modifiers, placeOfService: pos, units: 2, status: 'billable' });
  });

  it('bills one line per group member present, with HQ before the telehealth modifier', () => {
    const session = groupSession('2025-03-03T17:00:00', 60, 3, { modality: 'video', setting: 'home' });
    const run = billEncounters([session], context(GENERIC, { peers: groupPeers(3) }));
    expect(run.lines).toHaveLength(3);
    for (const line of run.lines) {
      expect(line).toMatchObject({ session: 'group', modifiers: ['HQ', 'GT'], units: 4, status: 'billable', renderingSpecialistId: 'sp-1' });
      expect(line.services).toEqual([{ kind: 'group-session', id: session.id }]);
    }
    expect(new Set(run.lines.map((l) => l.peerId)).size).toBe(3);
  });

  it('puts HF on the NJ line and prices NC lines at the Alliance rates', () => {
    expect(billEncounters([encounter('2025-03-03T10:00:00', 30)], context(NJ_MEDICAID_PACK)).lines[0]?.modifiers).toEqual(['HF']);
    const nc = billEncounters(
      [encounter('2025-03-03T10:00:00', 30), groupSession('2025-03-04T17:00:00', 60, 2)],
      context(NC_MEDICAID_PACK, { peers: [peer(), ...groupPeers(2)], plans: [plan(), plan({ id: 'p2', peerId: 'peer-g1' }), plan({ id: 'p3', peerId: 'peer-g2' })] }),
    );
    const individual = nc.lines.find((l) => l.session === 'individual');
    const group = nc.lines.find((l) => l.session === 'group');
    expect(individual).toMatchObject({ unitPrice: 11.97, modifiers: [] });
    expect(group).toMatchObject({ unitPrice: 2.88, modifiers: ['HQ'] });
  });

  it('counts no-shows, cancellations and absent group members as not delivered, and bills none of them', () => {
    const session = groupSession('2025-03-03T17:00:00', 60, 2);
    const absent = { ...session, attendees: session.attendees.map((a, i) => (i === 0 ? { peerId: a.peerId, attendance: 'absent' as const } : a)) };
    const run = billEncounters(
      [encounter('2025-03-03T10:00:00', 0, { status: 'no-show', activities: [], durationMinutes: 0 }), absent],
      context(GENERIC, { peers: groupPeers(2) }),
    );
    expect(run.notDelivered).toBe(2);
    expect(run.lines).toHaveLength(1);
  });
});

describe('billEncounters: caps across all of a member\'s encounters', () => {
  it('NJ DAILY_CAP: bills 16 units a day and holds the rest as its own line, with the reason', () => {
    const day = ['09:00', '11:00', '14:00'].map((t) => encounter(`2025-03-03T${t}:00`, 90));
    const run = billEncounters(day, context(NJ_MEDICAID_PACK));
    expect(billable(run.lines).map((l) => l.units)).toEqual([6, 6, 4]);
    const [rest] = held(run.lines);
    expect(rest).toMatchObject({ units: 2, minutes: 0, splitFrom: `nj-medicaid:${day[2]?.id}` });
    expect(reasons(rest)).toEqual(['DAILY_CAP']);
    expect(rest?.findings.find((f) => f.check === 'DAILY_CAP')?.message).toContain('16');
    // Units are conserved: 3 × 6 = 18.
    expect(run.lines.reduce((s, l) => s + l.units, 0)).toBe(18);
  });

  it('NJ DAILY_CAP resets the next day', () => {
    const run = billEncounters(
      [encounter('2025-03-03T09:00:00', 240), encounter('2025-03-04T09:00:00', 60)],
      context(NJ_MEDICAID_PACK),
    );
    expect(billable(run.lines).map((l) => l.units)).toEqual([16, 4]);
  });

  const ncWeekly = (dates: readonly string[]) => dates.map((d) => encounter(`${d}T10:00:00`, 60));
  const SEPT = ['2025-09-01', '2025-09-02', '2025-09-03', '2025-09-04', '2025-09-05', '2025-09-08', '2025-09-09'];

  it('NC PERIOD_CAP: 24 unmanaged units per fiscal year, then held; a new fiscal year starts July 1', () => {
    const run = billEncounters(ncWeekly([...SEPT, '2026-06-30', '2026-07-01']), context(NC_MEDICAID_PACK));
    const units = run.lines.map((l) => [l.date, l.status, l.units]);
    expect(units).toEqual([
      ['2025-09-01', 'billable', 4],
      ['2025-09-02', 'billable', 4],
      ['2025-09-03', 'billable', 4],
      ['2025-09-04', 'billable', 4],
      ['2025-09-05', 'billable', 4],
      ['2025-09-08', 'billable', 4],
      ['2025-09-09', 'held', 4],
      ['2026-06-30', 'held', 4],
      ['2026-07-01', 'billable', 4],
    ]);
    expect(reasons(run.lines[6])).toEqual(['PERIOD_CAP']);
  });

  it('NC PERIOD_CAP: a prior authorization covering the date replaces the cap with its units', () => {
    const evidence = {
      authorizations: [
        { peerId: 'peer-1', kind: 'service-order' as const, start: '2025-08-01' },
        { peerId: 'peer-1', kind: 'assessment' as const, start: '2025-08-01' },
        { peerId: 'peer-1', kind: 'prior-authorization' as const, start: '2025-09-09', end: '2025-12-31', units: 26 },
      ],
    };
    const run = billEncounters(ncWeekly(SEPT), context(NC_MEDICAID_PACK, { evidence }));
    expect(billable(run.lines).map((l) => l.units)).toEqual([4, 4, 4, 4, 4, 4, 2]);
    expect(held(run.lines).map((l) => [l.units, reasons(l)])).toEqual([[2, ['PERIOD_CAP']]]);
    expect(run.lines.every((l) => !warnings(l).includes('ORDER_AUTH'))).toBe(true);
  });

  it('TX PERIOD_CAP: 104 units per rolling 6 months, counted over the 6 months ending on the date', () => {
    const days = Array.from({ length: 27 }, (_, i) => `2025-03-${String(i + 1).padStart(2, '0')}`);
    const run = billEncounters(
      [...days, '2025-09-02'].map((d) => encounter(`${d}T10:00:00`, 60)),
      context(TX_MEDICAID_PACK),
    );
    expect(billable(run.lines)).toHaveLength(27);
    expect(run.lines.find((l) => l.date === '2025-03-27')?.status).toBe('held');
    expect(reasons(run.lines.find((l) => l.date === '2025-03-27'))).toEqual(['PERIOD_CAP']);
    // 6 months before Sept 2 drops March 1 and 2: 96 units used, room for 4 more.
    expect(run.lines.find((l) => l.date === '2025-09-02')).toMatchObject({ status: 'billable', units: 4 });
  });

  it('holds units past the MUE value the host loaded, naming GD', () => {
    const run = billEncounters([encounter('2025-03-03T10:00:00', 120)], context(GENERIC, { evidence: { mue: { H0038: 4 } } }));
    expect(billable(run.lines).map((l) => l.units)).toEqual([4]);
    expect(held(run.lines).map((l) => [l.units, reasons(l)])).toEqual([[4, ['MUE']]]);
    expect(held(run.lines)[0]?.findings.find((f) => f.check === 'MUE')?.message).toContain('GD');
  });

  it('does not count held lines toward a cap', () => {
    const run = billEncounters(
      [
        encounter('2025-03-03T09:00:00', 240, { modality: 'video', setting: 'home' }),
        encounter('2025-03-03T14:00:00', 240),
      ],
      context(TX_MEDICAID_PACK),
    );
    expect(run.lines.map((l) => [l.status, l.units])).toEqual([
      ['held', 16],
      ['billable', 16],
    ]);
  });
});

describe('billEncounters: line checks (billing.md §6)', () => {
  const at = '2025-03-03T10:00:00';

  it.each<[string, PayerPack, Partial<BillingContext>, Parameters<typeof encounter>[2], string[]]>([
    ['GROUP_SIZE is checked for groups only', GENERIC, {}, {}, []],
    ['AGE: NJ holds a member under 18', NJ_MEDICAID_PACK, { peers: [peer({ birthDate: '2010-01-01', enrollments: [{ programId: 'prog-sud', programType: 'substance-use', start: '2024-01-01' }] })] }, {}, ['AGE']],
    ['AGE: NJ holds a member without birthDate', NJ_MEDICAID_PACK, { peers: [(({ birthDate: _b, ...p }) => p)(peer())] }, {}, ['AGE']],
    ['AGE: TX holds a 20-year-old', TX_MEDICAID_PACK, { peers: [peer({ birthDate: '2004-06-01' })] }, {}, ['AGE']],
    ['AGE: VA holds a 19-year-old in a SUD program', VA_MEDICAID_PACK, { peers: [peer({ birthDate: '2005-06-01' })] }, {}, ['AGE']],
    ['AGE: VA bills a 19-year-old in a mental health program', VA_MEDICAID_PACK, { peers: [peer({ birthDate: '2005-06-01' })] }, { programId: 'prog-mh', programType: 'mental-health' }, []],
    ['CREDENTIAL: an expired certification', GENERIC, { specialists: [specialist({ certifications: [{ credential: 'cps', issuer: 'B', number: 'X', issued: '2020-01-01', expires: '2025-01-01' }] }), supervisor()] }, {}, ['CREDENTIAL']],
    ['CREDENTIAL: training only', GENERIC, { specialists: [specialist({ roleLevel: 'trainee', certifications: [{ credential: 'training-completed', issuer: 'B', number: 'X', issued: '2024-01-01' }] }), supervisor()] }, {}, ['CREDENTIAL']],
    ['CREDENTIAL: a specialist not in the export', GENERIC, {}, { specialistId: 'sp-unknown' }, ['CREDENTIAL']],
    ['CREDENTIAL: TX needs a certification from the state of service', TX_MEDICAID_PACK, { specialists: [specialist(), supervisor()] }, {}, ['CREDENTIAL']],
    ['SUPERVISION: no supervisor of record', GENERIC, { specialists: [(({ supervisorId: _s, ...s }) => s)(specialist())] }, {}, ['SUPERVISION']],
    ['SUPERVISION: a supervisor needs none', GENERIC, { specialists: [supervisor()] }, { specialistId: 'sp-sup' }, []],
    ['PLAN: NC holds a service without a current plan', NC_MEDICAID_PACK, { plans: [plan({ status: 'draft' })] }, {}, ['PLAN']],
    ['PLAN: medicaid-generic only warns', GENERIC, { plans: [] }, {}, []],
    ['PLAN: PA holds a plan overdue for review', PA_MEDICAID_PACK, { plans: [plan({ reviewDue: '2025-02-01' })] }, {}, ['PLAN']],
    ['PLAN: PA holds a plan not signed by a clinician', PA_MEDICAID_PACK, { plans: [plan({ signatures: plan().signatures.slice(0, 2) })] }, {}, ['PLAN']],
    ['ORDER_AUTH: VA holds a service no authorization covers', VA_MEDICAID_PACK, { evidence: { authorizations: [{ peerId: 'peer-1', kind: 'prior-authorization', start: '2025-04-01' }] } }, {}, ['ORDER_AUTH']],
    ['ORDER_AUTH: VA bills an authorized service', VA_MEDICAID_PACK, { evidence: { authorizations: [{ peerId: 'peer-1', kind: 'prior-authorization', start: '2025-03-01', end: '2025-03-31' }] } }, {}, []],
    ['ORDER_AUTH: NC holds a service without order and assessment', NC_MEDICAID_PACK, { evidence: { authorizations: [] } }, {}, ['ORDER_AUTH']],
    ['DX: NJ bills with a SUD diagnosis', NJ_MEDICAID_PACK, { evidence: { diagnoses: [{ peerId: 'peer-1', code: 'F11.20' }], otherServices: [] } }, {}, []],
    ['DX: NJ holds without one', NJ_MEDICAID_PACK, { evidence: { diagnoses: [{ peerId: 'peer-1', code: 'F32.9' }], otherServices: [] } }, {}, ['DX']],
    ['DX: missing evidence holds when asked to', NJ_MEDICAID_PACK, { missingEvidence: 'hold' }, {}, ['DX', 'DUPLICATE_SERVICE']],
    ['DUPLICATE_SERVICE: NJ member in a program that includes peer support', NJ_MEDICAID_PACK, { evidence: { diagnoses: [{ peerId: 'peer-1', code: 'F11.20' }], otherServices: [{ peerId: 'peer-1', kind: 'peer-inclusive-program', start: '2025-01-01' }] } }, {}, ['DUPLICATE_SERVICE']],
    ['DUPLICATE_SERVICE: TX service at the time of another behavioral health service', TX_MEDICAID_PACK, { evidence: { otherServices: [{ peerId: 'peer-1', kind: 'behavioral-health', start: '2025-03-03T10:15:00-05:00', end: '2025-03-03T11:30:00-05:00' }] } }, {}, ['DUPLICATE_SERVICE']],
    ['DUPLICATE_SERVICE: TX service ending as another one starts', TX_MEDICAID_PACK, { evidence: { otherServices: [{ peerId: 'peer-1', kind: 'behavioral-health', start: '2025-03-03T10:30:00-05:00', end: '2025-03-03T12:30:00-05:00' }] } }, {}, []],
    ['TELEHEALTH_MODALITY: TX bills in person only', TX_MEDICAID_PACK, {}, { modality: 'video', setting: 'home' }, ['TELEHEALTH_MODALITY']],
    ['TELEHEALTH_MODALITY: PA bills telephone', PA_MEDICAID_PACK, {}, { modality: 'audio-only', setting: 'community' }, []],
    ['TELEHEALTH_MODALITY: PA holds video (not in its source)', PA_MEDICAID_PACK, {}, { modality: 'video', setting: 'home' }, ['TELEHEALTH_MODALITY']],
    ['ACTIVITY: VA holds transport only', VA_MEDICAID_PACK, { evidence: { authorizations: [{ peerId: 'peer-1', kind: 'prior-authorization', start: '2025-01-01' }] } }, { activities: ['transport-logistics'] }, ['ACTIVITY']],
    ['SERVICE: NJ bills no mental health program', NJ_MEDICAID_PACK, {}, { programId: 'prog-mh', programType: 'mental-health' }, ['SERVICE']],
  ])('%s', (_what, pack, ctx, patch, expected) => {
    const run = billEncounters([encounter(at, 30, patch)], context(pack, ctx));
    expect(run.lines).toHaveLength(1);
    expect(reasons(run.lines[0]).sort()).toEqual([...expected].sort());
    expect(run.lines[0]?.status).toBe(expected.length > 0 ? 'held' : 'billable');
  });

  it('PLAN: PA needs no plan in the first month after enrollment', () => {
    const ctx = context(PA_MEDICAID_PACK, { plans: [], peers: [peer({ enrollments: [{ programId: 'prog-sud', programType: 'substance-use', start: '2025-03-01' }] })] });
    const run = billEncounters([encounter('2025-03-20T10:00:00', 30), encounter('2025-04-02T10:00:00', 30)], ctx);
    expect(run.lines.map((l) => l.status)).toEqual(['billable', 'held']);
  });

  it('warns, and bills, when the evidence a rule needs was not supplied', () => {
    const run = billEncounters([encounter(at, 30)], context(NJ_MEDICAID_PACK));
    expect(run.lines[0]?.status).toBe('billable');
    expect(warnings(run.lines[0]).sort()).toEqual(['DUPLICATE_SERVICE', 'DX']);
    expect(run.lines[0]?.findings.every((f) => f.source !== undefined && f.source.length > 0)).toBe(true);
  });

  it('ACTIVITY: VA warns when only some activities are reimbursable', () => {
    const run = billEncounters([encounter(at, 30, { activities: ['emotional-support', 'transport-logistics'] })], context(VA_MEDICAID_PACK));
    expect(run.lines[0]?.status).toBe('billable');
    expect(warnings(run.lines[0])).toContain('ACTIVITY');
  });

  it('DUPLICATE_SERVICE: holds the later of two overlapping services of a member', () => {
    const first = encounter('2025-03-03T10:00:00', 60);
    const second = encounter('2025-03-03T10:30:00', 30, { specialistId: 'sp-sup' });
    const run = billEncounters([second, first], context(GENERIC));
    const bySource = new Map(run.lines.map((l) => [l.services[0]?.id, l]));
    expect(bySource.get(first.id)?.status).toBe('billable');
    expect(reasons(bySource.get(second.id))).toEqual(['DUPLICATE_SERVICE']);
  });

  it.each([
    [TX_MEDICAID_PACK, 13, 1, true],
    [TX_MEDICAID_PACK, 12, 1, false],
    [NC_MEDICAID_PACK, 13, 1, true],
    [NC_MEDICAID_PACK, 13, 2, false],
    [VA_MEDICAID_PACK, 11, 1, true],
    [VA_MEDICAID_PACK, 10, 1, false],
  ])('GROUP_SIZE under %s: %i present with %i facilitator(s) held = %s', (pack, present, facilitators, isHeld) => {
    const session = groupSession(`2025-03-03T17:00:00`, 60, present, { facilitatorIds: ['sp-1', 'sp-sup'].slice(0, facilitators) });
    const peers = groupPeers(present);
    const ctx = context(pack, {
      peers,
      plans: peers.map((p, i) => plan({ id: `plan-${i}`, peerId: p.id })),
      evidence: {
        authorizations: peers.flatMap((p) => [
          { peerId: p.id, kind: 'service-order' as const, start: '2025-01-01' },
          { peerId: p.id, kind: 'assessment' as const, start: '2025-01-01' },
          { peerId: p.id, kind: 'prior-authorization' as const, start: '2025-01-01' },
        ]),
        otherServices: [],
      },
    });
    const run = billEncounters([session], ctx);
    expect(run.lines).toHaveLength(present);
    for (const line of run.lines) expect(reasons(line)).toEqual(isHeld ? ['GROUP_SIZE'] : []);
  });

  it('SERVICE: NJ has no group code, so group members are held', () => {
    const run = billEncounters([groupSession('2025-03-03T17:00:00', 60, 2)], context(NJ_MEDICAID_PACK, { peers: groupPeers(2) }));
    expect(run.lines.map((l) => reasons(l))).toEqual([['SERVICE'], ['SERVICE']]);
  });
});

describe('billEncounters: Medicare PIN (G0140/G0146)', () => {
  const PIN_PEER = peer({ coverage: [{ payerId: 'medicare-pin', memberId: 'MBI0000001', start: '2024-01-01' }], birthDate: '1955-01-01' });
  const VISIT = { initiatingVisits: [{ peerId: 'peer-1', date: '2025-01-10', code: '99214' }] };
  const FEB = [encounter('2025-02-03T10:00:00', 40), encounter('2025-02-10T10:00:00', 50), encounter('2025-02-17T10:00:00', 40)];

  it('bills G0140 once for the month and G0146 for each further 30 minutes, dated when each block was reached', () => {
    const run = billEncounters(FEB, context(MEDICARE_PIN_PACK, { peers: [PIN_PEER], evidence: VISIT }));
    expect(run.lines.map((l) => [l.code, l.units, l.date, l.status, l.session])).toEqual([
      ['G0140', 1, '2025-02-10', 'billable', 'month'],
      ['G0146', 2, '2025-02-17', 'billable', 'month'],
    ]);
    expect(run.lines[0]?.minutes).toBe(130);
    expect(run.lines[0]?.period).toEqual({ start: '2025-02-03', end: '2025-02-17' });
    expect(run.lines[0]?.services).toHaveLength(3);
  });

  it('holds a month under 60 minutes (MIN_MINUTES)', () => {
    const run = billEncounters([encounter('2025-02-03T10:00:00', 45)], context(MEDICARE_PIN_PACK, { peers: [PIN_PEER], evidence: VISIT }));
    expect(run.lines.map((l) => [l.code, l.units, reasons(l)])).toEqual([['G0140', 0, ['MIN_MINUTES']]]);
  });

  it.each<[string, Partial<BillingContext>]>([
    ['no initiating visit', { evidence: { initiatingVisits: [] } }],
    ['an initiating visit after the month', { evidence: { initiatingVisits: [{ peerId: 'peer-1', date: '2025-03-01' }] } }],
    ['99211 as the initiating visit', { evidence: { initiatingVisits: [{ peerId: 'peer-1', date: '2025-01-10', code: '99211' }] } }],
    ['no consent', { evidence: VISIT, consents: [] }],
    ['a consent for research only', { evidence: VISIT, consents: [consent({ purposes: ['research'] })] }],
    ['a revoked consent', { evidence: VISIT, consents: [consent({ status: 'revoked', revocation: { date: '2025-01-20T10:00:00-05:00', method: 'wet' } })] }],
  ])('PIN_PREREQS holds both lines with %s', (_what, ctx) => {
    const run = billEncounters(FEB, context(MEDICARE_PIN_PACK, { peers: [PIN_PEER], ...ctx }));
    expect(run.lines.map((l) => [l.code, reasons(l)])).toEqual([
      ['G0140', ['PIN_PREREQS']],
      ['G0146', ['PIN_PREREQS']],
    ]);
  });

  it('warns when no initiating-visit evidence was supplied', () => {
    const run = billEncounters(FEB, context(MEDICARE_PIN_PACK, { peers: [PIN_PEER] }));
    expect(run.lines.map((l) => [l.status, warnings(l)])).toEqual([
      ['billable', ['PIN_PREREQS']],
      ['billable', ['PIN_PREREQS']],
    ]);
  });

  it('holds a service in a facility setting and does not count its minutes', () => {
    const inHospital = encounter('2025-02-20T10:00:00', 60, { setting: 'hospital' });
    const run = billEncounters([...FEB, inHospital], context(MEDICARE_PIN_PACK, { peers: [PIN_PEER], evidence: VISIT }));
    const heldLine = run.lines.find((l) => l.services[0]?.id === inHospital.id && l.session === 'individual');
    expect(reasons(heldLine)).toEqual(['PIN_PREREQS']);
    expect(run.lines.find((l) => l.code === 'G0146')?.units).toBe(2);
  });

  it('holds group time and audio-only away from home; accepts a trained (not certified) specialist', () => {
    const session = groupSession('2025-02-04T17:00:00', 60, 1);
    const trainee = specialist({ roleLevel: 'trainee', certifications: [{ credential: 'training-completed', issuer: 'B', number: 'T', issued: '2024-01-01' }] });
    const run = billEncounters(
      [...FEB, session, encounter('2025-02-25T10:00:00', 30, { modality: 'audio-only', setting: 'community' })],
      context(MEDICARE_PIN_PACK, {
        peers: [PIN_PEER, peer({ ...PIN_PEER, id: 'peer-g1' })],
        specialists: [trainee, supervisor()],
        evidence: VISIT,
      }),
    );
    const individual = run.lines.filter((l) => l.session !== 'month');
    expect(individual.map((l) => [l.peerId, reasons(l)])).toEqual([
      ['peer-1', ['TELEHEALTH_MODALITY']],
      ['peer-g1', ['SERVICE']],
    ]);
    expect(run.lines.filter((l) => l.session === 'month').map((l) => l.status)).toEqual(['billable', 'billable']);
  });
});

describe('billEncounters: payers and packs', () => {
  it('reports services of members whose payer has no pack, with their payer id, and bills the rest', () => {
    const peers = [
      peer(),
      peer({ id: 'peer-2', coverage: [{ payerId: 'commercial-generic', memberId: 'C1', start: '2024-01-01' }] }),
      peer({ id: 'peer-3', coverage: [{ payerId: 'medicaid-generic', memberId: 'M3', start: '2024-01-01', end: '2024-12-31' }] }),
    ];
    const run = billEncounters(
      [
        encounter('2025-03-03T10:00:00', 30),
        encounter('2025-03-03T11:00:00', 30, { peerId: 'peer-2' }),
        encounter('2025-03-04T11:00:00', 45, { peerId: 'peer-2' }),
        encounter('2025-03-03T12:00:00', 30, { peerId: 'peer-3' }),
        encounter('2025-03-03T13:00:00', 30, { peerId: 'peer-404' }),
      ],
      context(GENERIC, { peers }),
    );
    expect(run.lines).toHaveLength(1);
    expect(run.notBilled).toEqual([
      { reason: 'no-pack', payerId: 'commercial-generic', peers: 1, services: 2, minutes: 75 },
      { reason: 'no-coverage', peers: 1, services: 1, minutes: 30 },
      { reason: 'unknown-peer', peers: 1, services: 1, minutes: 30 },
    ]);
    expect(run.findings.filter((f) => f.check === 'COVERAGE')).toHaveLength(3);
  });

  it('maps a payer to a pack through payerPacks, and through a pack\'s coveragePayerIds', () => {
    const commercial = peer({ coverage: [{ payerId: 'commercial-generic', memberId: 'C1', start: '2024-01-01' }] });
    const mapped = billEncounters([encounter('2025-03-03T10:00:00', 30)], context(GENERIC, { peers: [commercial], payerPacks: { 'commercial-generic': 'medicaid-generic' } }));
    expect(mapped.lines[0]).toMatchObject({ packId: 'medicaid-generic', payerId: 'commercial-generic', memberId: 'C1' });
    const viaState = billEncounters([encounter('2025-03-03T10:00:00', 30)], context(NJ_MEDICAID_PACK));
    expect(viaState.lines[0]).toMatchObject({ packId: 'nj-medicaid', payerId: 'medicaid-generic' });
    const both = billEncounters([encounter('2025-03-03T10:00:00', 30)], { ...context(NJ_MEDICAID_PACK), packs: [NJ_MEDICAID_PACK, GENERIC] });
    expect(both.lines[0]?.packId).toBe('medicaid-generic');
  });

  it('reports a payerPacks entry naming a pack that is not loaded', () => {
    const run = billEncounters([encounter('2025-03-03T10:00:00', 30)], context(GENERIC, { payerPacks: { 'medicaid-generic': 'nope' } }));
    expect(run.findings).toContainEqual(expect.objectContaining({ check: 'COVERAGE', severity: 'error', path: ['payerPacks'] }));
    expect(run.notBilled[0]).toMatchObject({ reason: 'no-pack', payerId: 'medicaid-generic' });
  });

  it('warns when the pack holds another state\'s rules', () => {
    const run = billEncounters([encounter('2025-03-03T10:00:00', 30)], context(TX_MEDICAID_PACK, { serviceState: 'PA' }));
    expect(run.findings).toContainEqual(expect.objectContaining({ check: 'PACK', severity: 'warning' }));
  });

  it('returns only lines in the period but counts earlier ones toward caps', () => {
    const day = ['09:00', '11:00', '14:00'].map((t) => encounter(`2025-03-03T${t}:00`, 90));
    const run = billEncounters([...day, encounter('2025-02-03T10:00:00', 30)], context(NJ_MEDICAID_PACK, { period: { start: '2025-03-01', end: '2025-03-31' } }));
    expect(run.outsidePeriod).toBe(1);
    expect(run.lines.every((l) => l.date.startsWith('2025-03'))).toBe(true);
    expect(held(run.lines)).toHaveLength(1);
  });

  it('marks lines from 42 CFR Part 2 programs', () => {
    const run = billEncounters(
      [encounter('2025-03-03T10:00:00', 30), encounter('2025-03-04T10:00:00', 30, { programId: 'prog-mh', programType: 'mental-health' })],
      context(GENERIC),
    );
    expect(run.lines.map((l) => l.part2)).toEqual([true, false]);
  });
});

describe('billEncounters: purity', () => {
  it('does not mutate its input and gives the same lines twice', () => {
    const encounters = [encounter('2025-03-03T09:00:00', 240), encounter('2025-03-03T14:00:00', 60), groupSession('2025-03-04T17:00:00', 60, 2)];
    const ctx = context(NJ_MEDICAID_PACK, { peers: [peer(), ...groupPeers(2)] });
    const before = JSON.stringify([encounters, ctx]);
    const first = billEncounters(encounters, ctx);
    expect(JSON.stringify([encounters, ctx])).toBe(before);
    expect(billEncounters(encounters, ctx)).toEqual(first);
  });

  it('puts no record values in finding messages', () => {
    const run = billEncounters(
      [encounter('2025-03-03T10:00:00', 30, { specialistId: 'sp-unknown', modality: 'video', setting: 'home' })],
      context(TX_MEDICAID_PACK, { peers: [peer({ birthDate: '2010-01-01' })] }),
    );
    const messages = run.lines.flatMap((l) => l.findings.map((f) => f.message)).join('\n');
    expect(messages.length).toBeGreaterThan(0);
    for (const value of ['sp-unknown', 'peer-1', '2010', 'ehr-1', 'M000000001', '2025-03-03']) expect(messages).not.toContain(value);
  });
});
