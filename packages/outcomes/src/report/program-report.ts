/**
 * The program report: what a funder, a state or a supervisor asks of a peer support program, as
 * aggregates only. De-identified by construction: it holds counts, sums, means, months and codes
 * from PeerKit's code lists; no name, id, date of a person, or free text ever enters it, and every
 * count from 1 to k-1 (k = 11 by default) is suppressed, with complementary suppression inside each
 * table so none can be derived.
 */
import { MODALITIES, SETTINGS, type ClinicRecord, type Finding } from '@peerkit/model';
import type { InstrumentDefinition } from '../instrument';
import { BARC_10 } from '../instruments/barc-10';
import { GAD_7 } from '../instruments/gad-7';
import { PHQ_9 } from '../instruments/phq-9';
import { OUTCOME_SOURCES } from '../sources';
import { contactsOf, monthsBetween, type Contact } from './activity';
import { outcomeChanges, type OutcomeChange } from './outcome-change';
import { Suppressor, type Cell } from './suppression';

/** The format marker of {@link ProgramReport}. */
export const PROGRAM_REPORT_FORMAT = 'peerkit-program-report/1';

/** The aggregates of a billing run the report shows: `summarizeBilling(run)` of `@peerkit/billing` fits. */
export interface BillingSummaryInput {
  readonly lines: number;
  readonly billableLines: number;
  readonly heldLines: number;
  readonly units: number;
  readonly heldUnits: number;
  /** Billable units by HCPCS code. */
  readonly unitsByCode: Readonly<Record<string, number>>;
  /** Held lines by check (a line held by two checks counts under both). */
  readonly heldByReason: Readonly<Partial<Record<string, number>>>;
}

/** Options of {@link createProgramReport}. */
export interface ProgramReportOptions {
  /** Smallest count shown; counts from 1 to `minCellSize - 1` are suppressed. Default 11 (CMS policy). */
  minCellSize?: number;
  /** First and last day reported (`YYYY-MM-DD`, both included). Default: the first and last day of service in the records. */
  period?: { start?: string; end?: string };
  /** The report's title. Default `'Peer support program report'`. */
  title?: string;
  /** When the report was made (ISO date-time), printed on it. Default: not printed (no clock is read). */
  generatedAt?: string;
  /** Instruments whose change is reported. Default `[BARC_10, PHQ_9, GAD_7]`. */
  instruments?: readonly InstrumentDefinition[];
  /** A billing summary (`summarizeBilling` of `@peerkit/billing`). Default: no billing section. */
  billing?: BillingSummaryInput;
  /** Findings to count by category (e.g. `checkClinic(records).findings` of `@peerkit/safeguards`); scoring findings are added. Default none. */
  findings?: readonly Finding[];
}

/** One month of activity. */
export interface MonthRow {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly contacts: Cell;
  readonly minutes: Cell;
  /** Distinct people with a contact that month. */
  readonly people: Cell;
}

/** One row of a mix (contact type, modality, setting): a code of PeerKit's code lists and its count. */
export interface MixRow {
  readonly code: string;
  readonly label: string;
  readonly contacts: Cell;
}

/** Referrals and how many closed the loop. */
export interface ReferralSection {
  /** Referrals made in the period (drafts excluded). */
  readonly total: Cell;
  /** Completed: the service confirmed the peer was connected (loop closed). */
  readonly closedLoop: Cell;
  /** Still open: sent, accepted, in progress, on hold. */
  readonly open: Cell;
  /** Closed without completion: declined, failed, cancelled. */
  readonly notCompleted: Cell;
  /** closedLoop / total, 0–1, two decimals; suppressed when either count is; `null` without referrals. */
  readonly closedLoopRate: Cell | null;
}

/** The billing section. */
export interface BillingSection {
  readonly lines: Cell;
  readonly billableLines: Cell;
  readonly heldLines: Cell;
  readonly units: Cell;
  readonly heldUnits: Cell;
  readonly unitsByCode: readonly { readonly code: string; readonly units: Cell }[];
  readonly heldByReason: readonly { readonly reason: string; readonly lines: Cell }[];
}

/** The program report (JSON). Every count is a {@link Cell}: a number or `{ "suppressed": true }`. */
export interface ProgramReport {
  readonly format: typeof PROGRAM_REPORT_FORMAT;
  readonly title: string;
  /** The days reported; absent when the records hold no service. */
  readonly period?: { readonly start: string; readonly end: string };
  readonly generatedAt?: string;
  readonly suppression: {
    readonly minCellSize: number;
    /** Cells suppressed in this report. */
    readonly suppressedCells: number;
    readonly rule: string;
    readonly source: string;
  };
  readonly totals: { readonly contacts: Cell; readonly minutes: Cell; readonly peopleServed: Cell };
  readonly months: readonly MonthRow[];
  readonly contactTypes: readonly MixRow[];
  readonly modalities: readonly MixRow[];
  readonly settings: readonly MixRow[];
  readonly referrals: ReferralSection;
  readonly outcomes: readonly OutcomeChange[];
  /** Instrument responses naming none of the reported instruments. */
  readonly unmatchedResponses: Cell;
  readonly billing?: BillingSection;
  /** Findings by category (rule category, else the code's family), most first. */
  readonly findings: readonly { readonly category: string; readonly count: Cell }[];
}

const OPEN = new Set(['requested', 'accepted', 'in-progress', 'on-hold']);
const NOT_COMPLETED = new Set(['rejected', 'failed', 'cancelled']);
const SAFE_CODE = /^[a-z0-9-]{1,40}$/;

function mix<T extends string>(s: Suppressor, codes: readonly { code: T; label: string }[], contacts: readonly Contact[], key: (c: Contact) => string): MixRow[] {
  const table = s.table(codes.map(({ code }) => contacts.filter((c) => key(c) === code).length));
  return codes.map(({ code, label }, i) => ({ code, label, contacts: table.cells[i] ?? 0 }));
}

function serviceDays(records: readonly ClinicRecord[]): { start: string; end: string } | undefined {
  const days = contactsOf(records).map((c) => c.date).sort();
  const start = days[0];
  const end = days[days.length - 1];
  return start !== undefined && end !== undefined ? { start, end } : undefined;
}

function referrals(s: Suppressor, records: readonly ClinicRecord[], start: string | undefined, end: string | undefined): ReferralSection {
  const list = records.filter(
    (r): r is Extract<ClinicRecord, { kind: 'referral' }> =>
      r.kind === 'referral' && r.status !== 'draft' && (start === undefined || r.created.slice(0, 10) >= start) && (end === undefined || r.created.slice(0, 10) <= end),
  );
  const closed = list.filter((r) => r.status === 'completed').length;
  const open = list.filter((r) => OPEN.has(r.status)).length;
  const notCompleted = list.filter((r) => NOT_COMPLETED.has(r.status)).length;
  const table = s.table([closed, open, notCompleted]);
  const [closedCell, openCell, notCell] = table.cells as [Cell, Cell, Cell];
  const rate = list.length === 0 ? null : s.derived(Math.round((closed / list.length) * 100) / 100, closedCell, table.total);
  return { total: table.total, closedLoop: closedCell, open: openCell, notCompleted: notCell, closedLoopRate: rate };
}

function billing(s: Suppressor, input: BillingSummaryInput): BillingSection {
  const lines = s.table([input.billableLines, input.heldLines]);
  const codes = Object.keys(input.unitsByCode).filter((code) => /^[A-Z][0-9]{4}$/.test(code)).sort();
  const units = s.table(codes.map((code) => input.unitsByCode[code] ?? 0));
  const reasons = Object.keys(input.heldByReason).filter((reason) => /^[A-Z][A-Z0-9_]{0,39}$/.test(reason)).sort();
  return {
    lines: lines.total,
    billableLines: lines.cells[0] ?? 0,
    heldLines: lines.cells[1] ?? 0,
    units: units.total,
    heldUnits: s.count(input.heldUnits),
    unitsByCode: codes.map((code, i) => ({ code, units: units.cells[i] ?? 0 })),
    heldByReason: reasons.map((reason) => ({ reason, lines: s.count(input.heldByReason[reason] ?? 0) })),
  };
}

function categoryOf(finding: Finding): string {
  if (finding.category !== undefined && SAFE_CODE.test(finding.category)) return finding.category;
  const family = finding.code.split('.')[0] ?? '';
  return SAFE_CODE.test(family) ? family : 'other';
}

/**
 * Builds the program report from a clinic's records and its instrument responses.
 *
 * @param records - the clinic's records (encounters, group sessions, referrals, peers)
 * @param responses - QuestionnaireResponses of the instruments (any JSON; unscorable ones are counted, not shown)
 * @param options - suppression threshold, period, title, instruments, billing summary, findings
 * @returns the report: aggregates only, small cells suppressed
 * @example
 * const report = createProgramReport(clinic.records, responses.map((r) => r.response), { billing: summarizeBilling(run) });
 * report.totals.peopleServed; // 50, or { suppressed: true } below 11
 */
export function createProgramReport(records: readonly ClinicRecord[], responses: readonly unknown[], options: ProgramReportOptions = {}): ProgramReport {
  const minCellSize = options.minCellSize ?? 11;
  if (!Number.isInteger(minCellSize) || minCellSize < 1) throw new RangeError('createProgramReport: option minCellSize must be a whole number, at least 1');
  const s = new Suppressor(minCellSize);
  const span = serviceDays(records);
  const start = options.period?.start ?? span?.start;
  const end = options.period?.end ?? span?.end;
  const contacts = contactsOf(records, start, end);

  const months = start !== undefined && end !== undefined ? monthsBetween(start, end) : [];
  const monthContacts = months.map((m) => contacts.filter((c) => c.date.startsWith(m)));
  const monthTable = s.table(monthContacts.map((list) => list.length));
  const minutes = (list: readonly Contact[]): number => list.reduce((sum, c) => sum + c.minutes, 0);
  const monthRows: MonthRow[] = months.map((month, i) => {
    const list = monthContacts[i] ?? [];
    const count = monthTable.cells[i] ?? 0;
    return { month, contacts: count, minutes: s.derived(minutes(list), count), people: s.count(new Set(list.map((c) => c.peerId)).size) };
  });

  const scored = outcomeChanges(records, responses, options.instruments ?? [BARC_10, PHQ_9, GAD_7], s, { ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) });
  const counts = new Map<string, number>();
  for (const finding of [...(options.findings ?? []), ...scored.findings]) counts.set(categoryOf(finding), (counts.get(categoryOf(finding)) ?? 0) + 1);

  const report: { -readonly [K in keyof ProgramReport]: ProgramReport[K] } = {
    format: PROGRAM_REPORT_FORMAT,
    title: options.title ?? 'Peer support program report',
    suppression: { minCellSize, suppressedCells: 0, rule: '', source: OUTCOME_SOURCES['cms-cell-suppression'].citation },
    totals: { contacts: monthTable.total, minutes: s.derived(minutes(contacts), monthTable.total), peopleServed: s.count(new Set(contacts.map((c) => c.peerId)).size) },
    months: monthRows,
    contactTypes: mix(s, [{ code: 'one-on-one', label: 'One-on-one' }, { code: 'group', label: 'Group' }], contacts, (c) => c.kind),
    modalities: mix(s, MODALITIES, contacts, (c) => c.modality),
    settings: mix(s, SETTINGS, contacts, (c) => c.setting),
    referrals: referrals(s, records, start, end),
    outcomes: scored.changes,
    unmatchedResponses: s.count(scored.unmatched),
    findings: [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([category, count]) => ({ category, count: s.count(count) })),
  };
  if (start !== undefined && end !== undefined) report.period = { start, end };
  if (options.generatedAt !== undefined) report.generatedAt = options.generatedAt;
  if (options.billing) report.billing = billing(s, options.billing);
  report.suppression = {
    minCellSize,
    suppressedCells: s.suppressedCells,
    rule: `Counts from 1 to ${minCellSize - 1} are not shown, nor any count that could be worked out from the others; zero is shown.`,
    source: OUTCOME_SOURCES['cms-cell-suppression'].citation,
  };
  return report;
}

