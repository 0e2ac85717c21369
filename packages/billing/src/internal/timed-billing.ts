/**
 * Timed billing: one line per service with a code of the pack, units from its minutes under the
 * pack's unit strategy (same-day minutes add up when the strategy or the payer says so).
 *
 * See: reference/billing.md §1.2 (units)
 */
import type { ClaimLine } from '../claim-line';
import type { PayerPack, TimedService } from '../pack-schema';
import { unitsForDay, unitsForMinutes } from '../units';
import { baseLine, citer, finding, hasError, lineId, modifiersFor, ruleEnv, runRules } from './line-parts';
import { groupBy, type Entry, type RunIndex } from './run-index';
import type { ServiceItem } from './service-items';

type TimedBilling = Extract<PayerPack['billing'], { mode: 'timed' }>;

function pickService(billing: TimedBilling, item: ServiceItem): TimedService | undefined {
  return billing.services.find((s) => s.session === item.session && (s.programs === undefined || s.programs.includes(item.programType)));
}

/** Lines of the services billed under a timed pack. */
export function billTimed(index: RunIndex, pack: PayerPack, billing: TimedBilling, entries: readonly Entry[], overlaps: ReadonlySet<ServiceItem>): ClaimLine[] {
  const cite = citer(pack);
  const fallback = billing.services[0] as TimedService;
  const lines: ClaimLine[] = [];
  for (const entry of entries) {
    const { item } = entry;
    const env = ruleEnv(index, pack, entry, overlaps);
    const service = pickService(billing, item);
    const findings = runRules(env, cite);
    if (!service) {
      findings.unshift(
        finding(
          'SERVICE',
          'error',
          item.session === 'group'
            ? 'The pack bills no code for group sessions of this program type (programType)'
            : 'The pack bills no code for this program type (programType)',
          [...item.path.slice(0, 2), 'programType'],
          undefined,
        ),
      );
    }
    const chosen = service ?? fallback;
    const line: ClaimLine = {
      id: lineId(pack, item),
      status: hasError(findings) ? 'held' : 'billable',
      code: chosen.code,
      display: chosen.display,
      modifiers: modifiersFor(pack, item, chosen.modifiers, item.session === 'group'),
      units: 0,
      findings,
      ...baseLine(index, pack, entry, env),
    };
    if (service?.rate) line.unitPrice = service.rate.amount;
    lines.push(line);
  }

  // Units: a member's billable minutes of one day, code and modifiers add up when the strategy or the
  // payer says so (unitsForDay); held lines never add their minutes to billable ones.
  const strategy = billing.strategy.value;
  const unitMinutes = billing.unitMinutes.value;
  for (const line of lines) if (line.status === 'held') line.units = unitsForMinutes(line.minutes, strategy, { unitMinutes });
  const billable = lines.filter((l) => l.status === 'billable');
  const days = groupBy(billable, (l) => `${l.peerId}|${l.date}|${l.code}|${l.modifiers.join('-')}`);
  for (const day of days.values()) {
    day.sort((a, b) => (a.period.start < b.period.start ? -1 : a.period.start > b.period.start ? 1 : a.id < b.id ? -1 : 1));
    const units = unitsForDay(
      day.map((l) => l.minutes),
      strategy,
      { unitMinutes, sumSameDay: billing.sumSameDay.value },
    );
    day.forEach((l, i) => {
      l.units = units[i] ?? 0;
    });
  }
  const source = cite(billing.strategy);
  for (const line of lines) {
    if (line.units > 0) continue;
    line.findings.push(
      finding(
        'MIN_MINUTES',
        'error',
        `Units are 0 under the payer's unit rule (${strategy}, ${unitMinutes}-minute units): do not report`,
        line.path,
        source,
      ),
    );
    line.status = 'held';
  }
  return lines;
}
