/**
 * A billing run in numbers: lines, units by code, held lines by reason. What `peerkit bill` prints.
 */
import type { BillingCheck } from './checks';
import type { BillingRun, NotBilled } from './claim-line';

/** What {@link summarizeBilling} returns. */
export interface BillingSummary {
  /**
   * Services behind the lines (encounters and group attendances), each once: the held remainder of
   * a line cut by a cap does not count its services again.
   */
  services: number;
  /** All lines, billable and held. */
  lines: number;
  billableLines: number;
  heldLines: number;
  /** Units of billable lines. */
  units: number;
  /** Units of held lines (what they would bill). */
  heldUnits: number;
  /** Billable units by HCPCS code. */
  unitsByCode: Record<string, number>;
  /** Billable units by code and modifiers, e.g. `H0038 HQ GT`. */
  unitsByCodeAndModifiers: Record<string, number>;
  /** Held lines by the checks holding them (a line held by two checks counts under both). */
  heldByReason: Partial<Record<BillingCheck, number>>;
  /** Lines with a warning, by check. */
  warningsByCheck: Partial<Record<BillingCheck, number>>;
  /** Services no pack billed. */
  notBilled: NotBilled[];
  /** No-shows, cancellations and absent group members. */
  notDelivered: number;
  /**
   * What to know about the run as a whole (a pack for another state…): the messages of the run's
   * findings, each once, except coverage findings, which {@link BillingSummary.notBilled} counts.
   */
  notes: string[];
}

const bump = <K extends string>(record: Partial<Record<K, number>>, key: K, by = 1): void => {
  record[key] = (record[key] ?? 0) + by;
};

/**
 * Counts a billing run.
 *
 * @param run - from `billEncounters`
 * @returns counts of services, lines and units, units by code, held lines by reason, run notes
 * @example
 * const s = summarizeBilling(run);
 * console.log(s.unitsByCode.H0038, s.heldByReason.DAILY_CAP);
 */
export function summarizeBilling(run: BillingRun): BillingSummary {
  const summary: BillingSummary = {
    services: 0,
    lines: run.lines.length,
    billableLines: 0,
    heldLines: 0,
    units: 0,
    heldUnits: 0,
    unitsByCode: {},
    unitsByCodeAndModifiers: {},
    heldByReason: {},
    warningsByCheck: {},
    notBilled: run.notBilled,
    notDelivered: run.notDelivered,
    notes: [...new Set(run.findings.filter((f) => f.check !== 'COVERAGE').map((f) => f.message))],
  };
  for (const line of run.lines) {
    if (line.splitFrom === undefined) summary.services += line.services.length;
    const warned = new Set<BillingCheck>();
    for (const f of line.findings) if (f.severity === 'warning') warned.add(f.check);
    for (const check of warned) bump(summary.warningsByCheck, check);
    if (line.status === 'held') {
      summary.heldLines += 1;
      summary.heldUnits += line.units;
      const reasons = new Set<BillingCheck>();
      for (const f of line.findings) if (f.severity === 'error') reasons.add(f.check);
      for (const check of reasons) bump(summary.heldByReason, check);
      continue;
    }
    summary.billableLines += 1;
    summary.units += line.units;
    bump(summary.unitsByCode, line.code, line.units);
    bump(summary.unitsByCodeAndModifiers, [line.code, ...line.modifiers].join(' '), line.units);
  }
  return summary;
}
