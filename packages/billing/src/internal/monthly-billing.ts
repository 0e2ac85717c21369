/**
 * Monthly billing: a member's minutes in a calendar month add up to a base code and add-on units
 * (e.g. Medicare PIN G0140/G0146); services that fail a check are held and do not count.
 *
 * See: reference/billing.md §1.2 (units)
 */
import { periodKey } from '@peerkit/model';
import type { BilledUnits } from '../billing-context';
import type { BillingFinding, ClaimLine, ServiceRef } from '../claim-line';
import type { PayerPack } from '../pack-schema';
import { monthlyUnits } from '../units';
import { baseLine, citer, finding, hasError, isPart2, lineId, modifiersFor, ruleEnv, runRules } from './line-parts';
import { monthPrerequisites, type RuleEnv } from './line-rules';
import { groupBy, type Entry, type RunIndex } from './run-index';
import type { ServiceItem } from './service-items';

type MonthlyBilling = Extract<PayerPack['billing'], { mode: 'monthly' }>;

/**
 * The month's base line an earlier run billed for services this run does not hold (the month split
 * across exports): its minutes count first, its services and first day stay on the month's lines.
 */
function priorMonth(prior: readonly BilledUnits[], lineId: string, current: ReadonlySet<string>): { minutes: number; from: string; services: ServiceRef[] } | undefined {
  const base = prior.find((b) => b.lineId === lineId && b.minutes !== undefined && b.services !== undefined);
  if (base?.minutes === undefined || base.services === undefined || base.services.some((s) => current.has(s))) return undefined;
  const services = base.services.flatMap((s): ServiceRef[] => {
    const at = s.indexOf(':');
    const kind = s.slice(0, at);
    return kind === 'encounter' || kind === 'group-session' ? [{ kind, id: s.slice(at + 1) }] : [];
  });
  return { minutes: base.minutes, from: base.date, services };
}

/**
 * Lines of the services billed under a monthly pack: one base line and add-on units per member and
 * month. Minutes an earlier run billed for the month (`prior`, from the billing ledger) count first.
 */
export function billMonthly(
  index: RunIndex,
  pack: PayerPack,
  billing: MonthlyBilling,
  entries: readonly Entry[],
  overlaps: ReadonlySet<ServiceItem>,
  prior: readonly BilledUnits[] = [],
): ClaimLine[] {
  const cite = citer(pack);
  const lines: ClaimLine[] = [];
  const eligible: { entry: Entry; env: RuleEnv; findings: BillingFinding[] }[] = [];
  for (const entry of entries) {
    const { item } = entry;
    const env = ruleEnv(index, pack, entry, overlaps);
    const findings = runRules(env, cite);
    if (item.session === 'group' && !billing.groupSessions.value) {
      findings.unshift(
        finding('SERVICE', 'error', 'The pack does not count group session minutes', item.path, cite(billing.groupSessions)),
      );
    } else if (billing.programs !== undefined && !billing.programs.includes(item.programType)) {
      findings.unshift(finding('SERVICE', 'error', 'The pack bills no code for this program type (programType)', [...item.path.slice(0, 2), 'programType'], undefined));
    }
    if (hasError(findings)) {
      // Its minutes do not count toward the month; the service is listed as held with its reasons.
      lines.push({
        id: lineId(pack, item),
        status: 'held',
        code: billing.base.code,
        display: billing.base.display,
        modifiers: modifiersFor(pack, item, [], false),
        units: 0,
        findings,
        ...baseLine(index, pack, entry, env),
      });
    } else {
      eligible.push({ entry, env, findings });
    }
  }

  const rule = {
    baseMinutes: billing.base.minutes.value,
    baseMinimumMinutes: billing.base.minimumMinutes.value,
    ...(billing.addOn ? { addOnMinutes: billing.addOn.minutes.value, addOnMinimumMinutes: billing.addOn.minimumMinutes.value } : {}),
  };
  const months = groupBy(eligible, (e) => `${e.entry.peer.id}|${e.entry.payerId}|${e.entry.memberId}|${periodKey(e.entry.item.date, 'month')}`);
  for (const month of months.values()) {
    month.sort((a, b) => a.entry.item.startMs - b.entry.item.startMs || (a.entry.item.ref.id < b.entry.item.ref.id ? -1 : 1));
    const first = month[0];
    const last = month[month.length - 1];
    if (!first || !last) continue;
    const monthKey = periodKey(first.entry.item.date, 'month');
    const earlier = priorMonth(
      prior.filter((b) => b.packId === pack.id && b.peerId === first.entry.peer.id),
      `${pack.id}:${first.entry.peer.id}:${monthKey}:${billing.base.code}`,
      new Set(month.map((e) => `${e.entry.item.ref.kind}:${e.entry.item.ref.id}`)),
    );
    const total = (earlier?.minutes ?? 0) + month.reduce((s, e) => s + e.entry.item.minutes, 0);
    const units = monthlyUnits(total, rule);
    // The date a block was completed: when the running minutes (an earlier run's first) first reach `threshold`.
    const reached = (threshold: number): (typeof month)[number] => {
      let running = earlier?.minutes ?? 0;
      for (const e of month) {
        running += e.entry.item.minutes;
        if (running >= threshold) return e;
      }
      return last;
    };
    const warnings = new Map<string, BillingFinding>();
    for (const e of month) for (const f of e.findings) warnings.set(`${f.check}|${f.message}`, { ...f, path: f.path });
    const make = (code: MonthlyBilling['base'], at: (typeof month)[number], n: number, suffix: string): ClaimLine => {
      const base = baseLine(index, pack, at.entry, at.env);
      const line: ClaimLine = {
        ...base,
        id: `${pack.id}:${first.entry.peer.id}:${monthKey}:${suffix}`,
        status: 'billable',
        code: code.code,
        display: code.display,
        modifiers: modifiersFor(pack, at.entry.item, [], false),
        units: n,
        minutes: total,
        period: { start: earlier !== undefined && earlier.from < first.entry.item.date ? earlier.from : first.entry.item.date, end: last.entry.item.date },
        session: 'month',
        services: [...(earlier?.services ?? []), ...month.map((e) => e.entry.item.ref)],
        part2: month.some((e) => isPart2(index, e.entry.item)),
        findings: [...warnings.values()].map((f) => ({ ...f })),
      };
      if (code.rate) line.unitPrice = code.rate.amount;
      return line;
    };
    if (units.base === 0) {
      const held = make(billing.base, last, 0, billing.base.code);
      held.findings.push(
        finding(
          'MIN_MINUTES',
          'error',
          `The member's minutes in the calendar month are under the minimum for ${billing.base.code} (${rule.baseMinimumMinutes})`,
          held.path,
          cite(billing.base.minimumMinutes),
        ),
      );
      held.status = 'held';
      lines.push(held);
      continue;
    }
    const monthLines = [make(billing.base, reached(rule.baseMinimumMinutes), 1, billing.base.code)];
    if (billing.addOn && units.addOn > 0) {
      const lastBlock = rule.baseMinutes + (rule.addOnMinimumMinutes ?? 0) + (units.addOn - 1) * (rule.addOnMinutes ?? 0);
      monthLines.push(make(billing.addOn, reached(lastBlock), units.addOn, billing.addOn.code));
    }
    for (const line of monthLines) {
      const found: BillingFinding[] = [];
      const { evidence, consents, serviceConsents, missingEvidence } = first.env;
      const consentEnv = { evidence, consents, serviceConsents, missingEvidence, programId: first.entry.item.programId };
      monthPrerequisites(pack, consentEnv, line.date, line.code, line.path, (check, severity, message, path, c) =>
        found.push(finding(check, severity, message, path, cite(c))),
      );
      line.findings.push(...found);
      if (hasError(line.findings)) line.status = 'held';
      lines.push(line);
    }
  }
  return lines;
}
