import fc from 'fast-check';
import { addDays } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { context, encounter, peer } from './__fixtures__/clinic';
import { billEncounters } from './bill-encounters';
import type { ClaimLine } from './claim-line';
import type { PackCap, PayerPack } from './pack-schema';
import { MEDICAID_GENERIC_PACK } from './packs';
import { UNIT_STRATEGY_NAMES } from './units';

const PEERS = ['peer-1', 'peer-2', 'peer-3'];

const capArb: fc.Arbitrary<PackCap> = fc
  .tuple(
    fc.integer({ min: 0, max: 40 }),
    fc.oneof(
      fc.constant({ kind: 'day' as const }),
      fc.constant({ kind: 'calendar-month' as const }),
      fc.integer({ min: 1, max: 12 }).map((startMonth) => ({ kind: 'fiscal-year' as const, startMonth })),
      fc.integer({ min: 1, max: 6 }).map((months) => ({ kind: 'rolling-months' as const, months })),
      fc.integer({ min: 1, max: 60 }).map((days) => ({ kind: 'rolling-days' as const, days })),
    ),
  )
  .map(([units, window]) => ({
    id: `cap-${window.kind}`,
    units: { value: units, source: 'PK', status: 'unverified' as const },
    window: { value: window, source: 'PK', status: 'unverified' as const },
    priorAuthorizationExtends: false,
    enforcement: 'hold' as const,
  }));

const packArb: fc.Arbitrary<PayerPack> = fc
  .record({
    strategy: fc.constantFrom(...UNIT_STRATEGY_NAMES),
    sum: fc.boolean(),
    caps: fc.uniqueArray(capArb, { maxLength: 3, selector: (c) => c.window.value.kind }),
    mue: fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }),
  })
  .map(({ strategy, sum, caps, mue }) => {
    const pack = structuredClone(MEDICAID_GENERIC_PACK) as PayerPack;
    if (pack.billing.mode === 'timed') {
      pack.billing.strategy.value = strategy;
      pack.billing.sumSameDay.value = strategy === 'CMS_TIMED_TOTAL' || sum;
    }
    pack.caps = caps.map((c, i) => ({ ...c, id: `cap-${i}` }));
    pack.mue = mue === undefined ? [] : [{ code: 'H0038', units: mue, source: 'PK', status: 'unverified' }];
    return pack;
  });

const servicesArb = fc.array(
  fc.record({
    peer: fc.constantFrom(...PEERS),
    day: fc.integer({ min: 0, max: 400 }),
    hour: fc.integer({ min: 7, max: 19 }),
    minutes: fc.integer({ min: 0, max: 300 }),
  }),
  { maxLength: 40 },
);

function billRandom(pack: PayerPack, services: readonly { peer: string; day: number; hour: number; minutes: number }[]) {
  const encounters = services.map((s) =>
    encounter(`${addDays('2025-01-01', s.day)}T${String(s.hour).padStart(2, '0')}:00:00`, s.minutes, { peerId: s.peer }),
  );
  const ctx = context(pack, { peers: PEERS.map((id) => peer({ id })) });
  return { encounters, ctx, run: billEncounters(encounters, ctx) };
}

function windowSum(lines: readonly ClaimLine[], cap: PackCap, date: string): number {
  const w = cap.window.value;
  const inWindow = (d: string): boolean => {
    switch (w.kind) {
      case 'day':
        return d === date;
      case 'calendar-month':
        return d.slice(0, 7) === date.slice(0, 7);
      case 'calendar-year':
        return d.slice(0, 4) === date.slice(0, 4);
      case 'fiscal-year': {
        const fy = (x: string): number => Number(x.slice(0, 4)) - (Number(x.slice(5, 7)) < w.startMonth ? 1 : 0);
        return fy(d) === fy(date);
      }
      case 'rolling-months': {
        const [y, m, day] = date.split('-').map(Number) as [number, number, number];
        const back = new Date(Date.UTC(y, m - 1 - w.months, 1));
        const last = new Date(Date.UTC(back.getUTCFullYear(), back.getUTCMonth() + 1, 0)).getUTCDate();
        const from = `${back.toISOString().slice(0, 8)}${String(Math.min(day, last)).padStart(2, '0')}`;
        return d > from && d <= date;
      }
      case 'rolling-days':
        return d > addDays(date, -w.days) && d <= date;
    }
  };
  return lines.filter((l) => inWindow(l.date)).reduce((s, l) => s + l.units, 0);
}

describe('billEncounters (properties)', () => {
  it('billed units never exceed any cap or the MUE, in any window ending on a date of service', () => {
    fc.assert(
      fc.property(packArb, servicesArb, (pack, services) => {
        const { run } = billRandom(pack, services);
        for (const id of PEERS) {
          const mine = run.lines.filter((l) => l.peerId === id && l.status === 'billable');
          for (const line of mine) {
            for (const cap of pack.caps) expect(windowSum(mine, cap, line.date)).toBeLessThanOrEqual(cap.units.value);
            const mue = pack.mue[0];
            if (mue) expect(mine.filter((l) => l.date === line.date).reduce((s, l) => s + l.units, 0)).toBeLessThanOrEqual(mue.units);
          }
        }
      }),
    );
  });

  it('every held line has a reason; no billable line has one; billable lines bill at least a unit', () => {
    fc.assert(
      fc.property(packArb, servicesArb, (pack, services) => {
        const { run } = billRandom(pack, services);
        for (const line of run.lines) {
          const errors = line.findings.filter((f) => f.severity === 'error');
          if (line.status === 'held') {
            expect(errors.length).toBeGreaterThan(0);
            for (const e of errors) {
              expect(e.message.length).toBeGreaterThan(0);
              expect(e.source?.length ?? 0).toBeGreaterThan(0);
            }
          } else {
            expect(errors).toEqual([]);
            expect(line.units).toBeGreaterThan(0);
          }
        }
      }),
    );
  });

  it('caps never drop or trim units silently: billed plus held units equal the units without caps', () => {
    fc.assert(
      fc.property(packArb, servicesArb, (pack, services) => {
        const { encounters, ctx, run } = billRandom(pack, services);
        const uncapped = billEncounters(encounters, { ...ctx, packs: [{ ...pack, caps: [], mue: [] }] });
        const expected = new Map(uncapped.lines.map((l) => [l.id, l.units]));
        const actual = new Map<string, number>();
        for (const line of run.lines) {
          const id = line.splitFrom ?? line.id;
          actual.set(id, (actual.get(id) ?? 0) + line.units);
        }
        expect(actual).toEqual(expected);
        expect(run.lines.length).toBeGreaterThanOrEqual(encounters.filter((e) => e.status === 'completed').length);
      }),
    );
  });

  it('a member with more minutes on a day never bills fewer units that day (no caps)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...UNIT_STRATEGY_NAMES),
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 90 }),
        (strategy, minutes, extra) => {
          const pack = structuredClone(MEDICAID_GENERIC_PACK) as PayerPack;
          if (pack.billing.mode === 'timed') {
            pack.billing.strategy.value = strategy;
            pack.billing.sumSameDay.value = strategy === 'CMS_TIMED_TOTAL';
          }
          const day = (ms: readonly number[]) =>
            billEncounters(
              ms.map((m, i) => encounter(`2025-03-03T${String(8 + 2 * i).padStart(2, '0')}:00:00`, m)),
              context(pack),
            ).lines.filter((l) => l.status === 'billable').reduce((s, l) => s + l.units, 0);
          const more = [...minutes];
          more[0] = Math.min(119, (more[0] ?? 0) + extra);
          expect(day(more)).toBeGreaterThanOrEqual(day(minutes.map((m, i) => (i === 0 ? Math.min(m, more[0] ?? 0) : m))));
        },
      ),
    );
  });
});
