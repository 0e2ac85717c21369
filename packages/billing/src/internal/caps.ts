/**
 * Caps and MUE: limits on a member's units across all of their lines. Lines are taken in date order;
 * a line that would pass a limit is billed up to it and the rest is held as its own line, with the
 * reason: never trimmed silently, never dropped.
 */
import { addDays, addMonths, fiscalYearOf, periodKey } from '@peerkit/model';
import type { BillingCheck } from '../checks';
import type { BillingFinding, ClaimLine } from '../claim-line';
import type { CapWindow, FigureStatus, PackCap, PayerPack } from '../pack-schema';

/** A prior authorization of a member: the window it covers and the units it allows. */
export interface AuthorizationWindow {
  start: string;
  end?: string | undefined;
  code?: string | undefined;
  units?: number | undefined;
}

/** How a finding's source is written for a rule of a pack. */
export type Citer = (cite: { source: string; status: FigureStatus } | undefined) => string | undefined;

interface Usage {
  add(date: string, units: number): void;
  used(date: string): number;
}

function keyedUsage(keyOf: (date: string) => string): Usage {
  const sums = new Map<string, number>();
  return {
    add: (date, units) => sums.set(keyOf(date), (sums.get(keyOf(date)) ?? 0) + units),
    used: (date) => sums.get(keyOf(date)) ?? 0,
  };
}

/** Usage over the window ending on the date; dates must arrive in order. */
function rollingUsage(windowStart: (date: string) => string): Usage {
  const entries: { date: string; units: number }[] = [];
  let head = 0;
  let sum = 0;
  return {
    add: (date, units) => {
      entries.push({ date, units });
      sum += units;
    },
    used: (date) => {
      const from = windowStart(date);
      while (head < entries.length && (entries[head]?.date ?? '') <= from) {
        sum -= entries[head]?.units ?? 0;
        head += 1;
      }
      return sum;
    },
  };
}

function usageFor(window: CapWindow): Usage {
  switch (window.kind) {
    case 'day':
      return keyedUsage((d) => periodKey(d, 'day'));
    case 'calendar-month':
      return keyedUsage((d) => periodKey(d, 'month'));
    case 'calendar-year':
      return keyedUsage((d) => periodKey(d, 'year'));
    case 'fiscal-year':
      return keyedUsage((d) => String(fiscalYearOf(d, window.startMonth)));
    case 'rolling-months':
      return rollingUsage((d) => addMonths(d, -window.months));
    case 'rolling-days':
      return rollingUsage((d) => addDays(d, -window.days));
  }
}

/** How a window reads in a message. */
export function describeWindow(window: CapWindow): string {
  switch (window.kind) {
    case 'day':
      return 'day';
    case 'calendar-month':
      return 'calendar month';
    case 'calendar-year':
      return 'calendar year';
    case 'fiscal-year':
      return 'fiscal year';
    case 'rolling-months':
      return `rolling ${window.months} months`;
    case 'rolling-days':
      return `rolling ${window.days} days`;
  }
}

interface Limit {
  check: BillingCheck;
  enforcement: 'hold' | 'warn';
  codes: ReadonlySet<string> | undefined;
  usage: Usage;
  cap?: PackCap;
  mue?: { units: number; source: string | undefined };
}

function byDate(a: ClaimLine, b: ClaimLine): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.period.start < b.period.start ? -1 : a.period.start > b.period.start ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Applies a pack's caps and the MUE values to one member's lines of that pack (mutating them) and
 * returns the held remainders of lines cut by a limit.
 *
 * @param lines - all of one member's lines under the pack; held lines do not count toward limits
 * @param pack - the pack
 * @param mue - MUE values by code (the host's, else the pack's) with their citation
 * @param authorizations - the member's prior authorizations, or `undefined` when none were supplied
 * @param cite - writes a rule's citation
 * @param prior - units the member's lines of earlier runs billed (services this run does not bill again): they fill the limits first, in date order
 */
export function applyLimits(
  lines: readonly ClaimLine[],
  pack: PayerPack,
  mue: ReadonlyMap<string, { units: number; source: string | undefined }>,
  authorizations: readonly AuthorizationWindow[] | undefined,
  cite: Citer,
  prior: readonly { date: string; code: string; units: number }[] = [],
): ClaimLine[] {
  const limits: Limit[] = pack.caps.map((cap) => ({
    check: cap.window.value.kind === 'day' ? 'DAILY_CAP' : 'PERIOD_CAP',
    enforcement: cap.enforcement,
    codes: cap.codes ? new Set(cap.codes) : undefined,
    usage: usageFor(cap.window.value),
    cap,
  }));
  const mueUsage = new Map<string, Usage>();
  const remainders: ClaimLine[] = [];

  const mueOf = (code: string): Usage => {
    let usage = mueUsage.get(code);
    if (!usage) mueUsage.set(code, (usage = keyedUsage((d) => periodKey(d, 'day'))));
    return usage;
  };
  // Earlier runs' units go in first, each before this run's lines of its date (rolling windows need dates in order).
  const queue: ({ prior: { date: string; code: string; units: number } } | { line: ClaimLine })[] = [
    ...[...prior].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).map((p) => ({ prior: p })),
    ...[...lines].filter((l) => l.status === 'billable').sort(byDate).map((line) => ({ line })),
  ].sort((a, b) => {
    const da = 'prior' in a ? a.prior.date : a.line.date;
    const db = 'prior' in b ? b.prior.date : b.line.date;
    return da < db ? -1 : da > db ? 1 : ('prior' in a ? 0 : 1) - ('prior' in b ? 0 : 1);
  });
  for (const next of queue) {
    if ('prior' in next) {
      const { date, code, units } = next.prior;
      for (const limit of limits) if (limit.codes === undefined || limit.codes.has(code)) limit.usage.add(date, units);
      if (mue.has(code)) mueOf(code).add(date, units);
      continue;
    }
    const { line } = next;
    let allowed = line.units;
    const binding: { limit: Limit; room: number; max: number }[] = [];
    const warnings: BillingFinding[] = [];
    const applicable = limits.filter((l) => l.codes === undefined || l.codes.has(line.code));
    for (const limit of applicable) {
      const cap = limit.cap;
      if (!cap) continue;
      let max = cap.units.value;
      if (cap.priorAuthorizationExtends && authorizations) {
        const auth = authorizations.find(
          (a) => a.start <= line.date && (a.end === undefined || line.date <= a.end) && (a.code === undefined || a.code === line.code),
        );
        if (auth) max = auth.units ?? Number.POSITIVE_INFINITY;
      }
      const room = Math.max(0, max - limit.usage.used(line.date));
      if (line.units <= room) continue;
      if (limit.enforcement === 'hold') {
        allowed = Math.min(allowed, room);
        binding.push({ limit, room, max });
      } else {
        warnings.push({
          check: limit.check,
          code: limit.check === 'DAILY_CAP' ? 'billing.daily-cap' : 'billing.period-cap',
          severity: 'warning',
          path: line.path,
          message: `Units pass the payer's cap of ${max} per ${describeWindow(cap.window.value)}`,
          ...withSource(cite(cap.units)),
        });
      }
    }
    const mueValue = mue.get(line.code);
    let mueFor: Usage | undefined;
    if (mueValue) {
      mueFor = mueOf(line.code);
      const room = Math.max(0, mueValue.units - mueFor.used(line.date));
      if (line.units > room) {
        allowed = Math.min(allowed, room);
        binding.push({ limit: { check: 'MUE', enforcement: 'hold', codes: undefined, usage: mueFor, mue: mueValue }, room, max: mueValue.units });
      }
    }

    for (const limit of applicable) limit.usage.add(line.date, allowed);
    mueFor?.add(line.date, allowed);
    line.findings.push(...warnings);
    if (allowed >= line.units) continue;

    const held = line.units - allowed;
    const reasons: BillingFinding[] = binding.map(({ limit, max }) => {
      const over = `${held} ${held === 1 ? 'unit' : 'units'} held`;
      if (limit.mue) {
        return {
          check: 'MUE',
          code: 'billing.mue',
          severity: 'error',
          path: line.path,
          message: `Units pass the MUE of ${max} per member per date of service: ${over} (GD applies only when reasonable and necessary)`,
          ...withSource(limit.mue.source),
        };
      }
      const cap = limit.cap as PackCap;
      return {
        check: limit.check,
        code: limit.check === 'DAILY_CAP' ? 'billing.daily-cap' : 'billing.period-cap',
        severity: 'error',
        path: line.path,
        message: `Units pass the payer's cap of ${max} per ${describeWindow(cap.window.value)}${
          cap.priorAuthorizationExtends ? ' (a prior authorization covering the date lifts it)' : ''
        }: ${over}`,
        ...withSource(cite(cap.units)),
      };
    });
    if (allowed === 0) {
      line.status = 'held';
      line.findings.push(...reasons);
      continue;
    }
    remainders.push({
      ...line,
      id: `${line.id}:over-limit`,
      status: 'held',
      units: held,
      minutes: 0,
      modifiers: [...line.modifiers],
      services: [...line.services],
      diagnosisCodes: [...line.diagnosisCodes],
      splitFrom: line.id,
      findings: [...line.findings.filter((f) => f.severity !== 'error'), ...reasons],
    });
    line.units = allowed;
  }
  return remainders;
}

function withSource(source: string | undefined): { source?: string } {
  return source === undefined ? {} : { source };
}
