/**
 * Breach support: from the disclosure ledger, which patients' records went to a recipient in a
 * period, with the resource types, counts, labels and data categories of what went. A program uses
 * it to scope the notifications the 2024 rule requires after a breach of Part 2 records (§2.16
 * applies the HIPAA breach notification rule, 45 CFR part 164 subpart D). It lists patients by the
 * tokens the ledger holds, never content.
 *
 * See: 42 CFR §2.16 (secondary sources: HHS fact sheet "apply the same breach notification
 * requirements found in HIPAA"); 45 CFR §164.404
 */
import { readDisclosureRecord, type DisclosureLedger } from './ledger';
import type { DatePeriod } from './accounting';

/** Options of {@link createBreachScopeReport}. */
export interface BreachScopeOptions {
  /** The recipient, as a token: `Organization/54` or `system|value`. */
  recipient: string;
  /** First day (or instant) of the period. */
  from: string;
  /** Last day (or instant) of the period. */
  to: string;
}

/** One patient whose records went to the recipient. */
export interface BreachScopePatient {
  /** The patient's tokens as the ledger holds them. */
  readonly patient: readonly string[];
  /** Disclosures to the recipient in the period. */
  readonly disclosures: number;
  /** Resources sent, by type. */
  readonly resources: Readonly<Record<string, number>>;
  /** Security label codes of what went. */
  readonly labels: readonly string[];
  /** PeerKit data categories of what went. */
  readonly dataCategories: readonly string[];
  /** Some of it was 42 CFR Part 2 records. */
  readonly part2: boolean;
  readonly first: string;
  readonly last: string;
}

/** The result of {@link createBreachScopeReport}. */
export interface BreachScopeReport {
  readonly recipient: string;
  readonly period: DatePeriod;
  /** Patients, in the order of their first disclosure. */
  readonly patients: readonly BreachScopePatient[];
  readonly totals: { readonly patients: number; readonly disclosures: number; readonly resources: Readonly<Record<string, number>> };
}

function add(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
}

/**
 * Lists the patients whose records went to a recipient in a period, from the ledger: only PERMIT
 * decisions that sent data count.
 *
 * @param ledger - the disclosure ledger
 * @param options - recipient and period
 * @returns patients with types, counts, labels and categories; totals
 * @example
 * const scope = await createBreachScopeReport(ledger, { recipient: 'http://hl7.org/fhir/sid/us-npi|1000000004', from: '2026-01-01', to: '2026-03-31' });
 * console.log(scope.totals.patients);
 * See: 42 CFR §2.16; 45 CFR §164.404
 */
export async function createBreachScopeReport(ledger: DisclosureLedger, options: BreachScopeOptions): Promise<BreachScopeReport> {
  const byPatient = new Map<string, { patient: readonly string[]; disclosures: number; resources: Record<string, number>; labels: Set<string>; categories: Set<string>; part2: boolean; first: string; last: string }>();
  const totals = { patients: 0, disclosures: 0, resources: {} as Record<string, number> };
  for await (const event of ledger.query({ recipient: options.recipient, from: options.from, to: options.to })) {
    const record = readDisclosureRecord(event);
    if (record === undefined || record.decision !== 'PERMIT' || record.total === 0) continue;
    const key = [...record.patient].sort().join(' ') || '(unidentified)';
    let p = byPatient.get(key);
    if (p === undefined) {
      p = { patient: record.patient, disclosures: 0, resources: {}, labels: new Set(), categories: new Set(), part2: false, first: record.recorded, last: record.recorded };
      byPatient.set(key, p);
    }
    p.disclosures++;
    add(p.resources, record.disclosed);
    for (const l of record.labels) p.labels.add(l.code);
    for (const c of record.dataCategories) p.categories.add(c);
    p.part2 ||= record.part2;
    if (Date.parse(record.recorded) < Date.parse(p.first)) p.first = record.recorded;
    if (Date.parse(record.recorded) > Date.parse(p.last)) p.last = record.recorded;
    totals.disclosures++;
    add(totals.resources, record.disclosed);
  }
  const patients = [...byPatient.values()]
    .sort((a, b) => Date.parse(a.first) - Date.parse(b.first))
    .map(
      (p): BreachScopePatient => ({
        patient: p.patient,
        disclosures: p.disclosures,
        resources: p.resources,
        labels: [...p.labels].sort(),
        dataCategories: [...p.categories].sort(),
        part2: p.part2,
        first: p.first,
        last: p.last,
      }),
    );
  totals.patients = patients.length;
  return { recipient: options.recipient, period: { start: options.from, end: options.to }, patients, totals };
}

const counts = (resources: Readonly<Record<string, number>>): string =>
  Object.entries(resources)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${n} ${type}`)
    .join(', ');

/**
 * The breach scope as text, for the command line: the recipient and period, the totals, then one
 * line per patient (tokens, disclosures, first and last date, what went, labels, Part 2).
 *
 * @param report - from {@link createBreachScopeReport}
 * @returns lines joined with `\n`
 * @example
 * process.stdout.write(`${formatBreachScopeReport(report)}\n`);
 */
export function formatBreachScopeReport(report: BreachScopeReport): string {
  const { totals } = report;
  const out = [
    `Records that went to ${report.recipient}, ${report.period.start} to ${report.period.end}`,
    `${totals.patients} ${totals.patients === 1 ? 'patient' : 'patients'}, ${totals.disclosures} ${totals.disclosures === 1 ? 'disclosure' : 'disclosures'}` +
      (totals.disclosures > 0 ? `: ${counts(totals.resources)}` : ''),
  ];
  for (const p of report.patients) {
    const dates = p.first.slice(0, 10) === p.last.slice(0, 10) ? p.first.slice(0, 10) : `${p.first.slice(0, 10)} to ${p.last.slice(0, 10)}`;
    const labels = p.labels.length > 0 ? `; labels ${p.labels.join(', ')}` : '';
    const categories = p.dataCategories.length > 0 ? `; categories ${p.dataCategories.join(', ')}` : '';
    out.push(`  ${p.patient[0] ?? '(unidentified)'}  ${p.disclosures}x  ${dates}  ${counts(p.resources)}${labels}${categories}${p.part2 ? '  (42 CFR Part 2)' : ''}`);
  }
  return out.join('\n');
}
