/**
 * The accounting of disclosures a patient may ask for: the patient's list of disclosures from the
 * ledger, and the accounting for each look-back period the current rule sets (42 CFR §2.25(a),
 * §2.25(b), and an intermediary's list under §2.24), as JSON, as a FHIR Bundle and as text.
 *
 * Each accounted disclosure carries what 45 CFR §164.528(b)(2) asks (incorporated by §2.25(a)): the
 * date, the recipient, a brief description of what went (resource types, counts, labels and data
 * categories, never content) and the purpose.
 *
 * See: 42 CFR §2.24, §2.25 (regulation.ts has each fact with how it was checked)
 */
import { addMonths, datePart } from '@peerkit/model';
import type { AuditEvent, Bundle, BundleEntry, List } from 'fhir/r4';
import { TPO_PURPOSES } from '../internal/codes';
import { counterUuids } from '../internal/ids';
import { tokenToReference } from '../internal/tokens';
import { inPeriod, readDisclosureRecord, type DisclosureLedger, type DisclosureRecord } from './ledger';
import { ACCOUNTING_LOOK_BACK, type AccountingSectionId, type Verification } from './regulation';

/**
 * Which disclosures for treatment, payment and health care operations (TPO) are accounted for:
 * `ehr-only` (the text of §2.25(b)(1): those made through an electronic health record; entries whose
 * channel was not recorded count, so nothing is left out); `all`; `none` (a program that reads
 * §2.25(b) as not yet in force until HHS updates 45 CFR §164.528).
 */
export type TpoAccounting = 'ehr-only' | 'all' | 'none';

/** Options of {@link createAccountingReport}. */
export interface AccountingReportOptions {
  /** The patient, as a token: `Patient/123` or `system|value`. */
  patient: string;
  /** The date of the patient's request; the look-back periods end here. Required (purity). */
  asOf: string | Date;
  /** A shorter period the patient chose (§2.25(a)): its first day. Default: the full look-back. */
  from?: string;
  /** Its last day. Default `asOf`. */
  to?: string;
  /** Look-back years per section. Default 3 for each ({@link ACCOUNTING_LOOK_BACK}). */
  lookBack?: Partial<Record<AccountingSectionId, number>>;
  /** TPO disclosures in the accounting. Default `ehr-only` (see {@link TpoAccounting}). */
  tpoAccounting?: TpoAccounting;
  /** v3-ActReason purposes that make a disclosure a TPO one (all of its purposes must be). Default `TREAT`, `HPAYMT`, `HOPERAT`. */
  tpoPurposes?: readonly string[];
  /** Add the §2.24 list (PeerKit acts as an intermediary). Default `false`. */
  intermediary?: boolean;
}

/** One disclosure as the patient sees it. */
export interface AccountedDisclosure {
  /** When it was made (the ledger's `recorded`). */
  readonly date: string;
  readonly recipients: DisclosureRecord['recipients'];
  /** v3-ActReason codes. */
  readonly purposes: readonly string[];
  /** What went, briefly: types and counts, labels and data categories. */
  readonly description: string;
  readonly disclosed: Readonly<Record<string, number>>;
  /** The consents it was made under (none for a medical emergency, §2.51). */
  readonly consents: readonly string[];
  readonly part2: boolean;
  readonly breakGlass: boolean;
  /** All its purposes are treatment, payment or operations. */
  readonly tpo: boolean;
  /** Made under a consent naming the recipients by a general designation (§2.24). */
  readonly generalDesignation: boolean;
  readonly channel?: DisclosureRecord['channel'];
  /** The ledger entry (no content by construction). */
  readonly event: AuditEvent;
}

/** A period as two dates. */
export interface DatePeriod {
  readonly start: string;
  readonly end: string;
}

/** One part of the accounting, for one look-back period. */
export interface AccountingSection {
  readonly id: AccountingSectionId;
  readonly title: string;
  readonly source: string;
  readonly verification: Verification;
  readonly period: DatePeriod;
  readonly disclosures: readonly AccountedDisclosure[];
  /** Why the section reads as it does (options in effect). */
  readonly note?: string;
}

/** The result of {@link createAccountingReport}. */
export interface AccountingReport {
  readonly patient: string;
  /** The date of the request. */
  readonly asOf: string;
  /** The period of `disclosures`: the widest look-back, or the patient's chosen period. */
  readonly period: DatePeriod;
  /** Every disclosure made in the period (PERMIT decisions that sent data), oldest first. */
  readonly disclosures: readonly AccountedDisclosure[];
  /** The accounting per look-back period. */
  readonly sections: readonly AccountingSection[];
  /** Decisions in the period that sent nothing (denied or withheld): not disclosures, counted only. */
  readonly notDisclosed: number;
}

function toDate(value: string | Date): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : datePart(value);
}

const later = (a: string, b: string | undefined) => (b !== undefined && b > a ? b : a);
const earlier = (a: string, b: string | undefined) => (b !== undefined && b < a ? b : a);

/** A brief description of what went: `2 DocumentReference, 1 Encounter; labels 42CFRPart2, SUD; categories progress-notes`. */
export function describeDisclosure(record: DisclosureRecord): string {
  const parts = [
    Object.entries(record.disclosed)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, n]) => `${n} ${type}`)
      .join(', '),
  ];
  const labels = [...new Set(record.labels.map((l) => l.code))].sort();
  if (labels.length > 0) parts.push(`labels ${labels.join(', ')}`);
  if (record.dataCategories.length > 0) parts.push(`categories ${record.dataCategories.join(', ')}`);
  return parts.filter((p) => p !== '').join('; ');
}

/**
 * Builds a patient's accounting of disclosures from the ledger.
 *
 * @param ledger - the disclosure ledger
 * @param options - patient, request date, optional shorter period, look-back years, TPO handling
 * @returns the list of disclosures and one section per look-back period
 * @example
 * const report = await createAccountingReport(ledger, { patient: 'Patient/1', asOf: '2026-06-01' });
 * console.log(formatAccountingReport(report));
 * See: 42 CFR §2.25(a), §2.25(b), §2.24; 45 CFR §164.528(b)(2)
 */
export async function createAccountingReport(ledger: DisclosureLedger, options: AccountingReportOptions): Promise<AccountingReport> {
  const asOf = toDate(options.asOf);
  const end = earlier(asOf, options.to === undefined ? undefined : toDate(options.to));
  const tpoAccounting = options.tpoAccounting ?? 'ehr-only';
  const tpoPurposes = new Set(options.tpoPurposes ?? TPO_PURPOSES);
  const wanted = ACCOUNTING_LOOK_BACK.filter(
    (p) => (p.id !== 'tpo-ehr' || tpoAccounting !== 'none') && (p.id !== 'intermediary' || options.intermediary === true),
  );
  const windows = wanted.map((p) => {
    const years = options.lookBack?.[p.id] ?? p.years;
    if (!Number.isFinite(years) || years <= 0) throw new RangeError(`lookBack.${p.id} must be a positive number of years`);
    const start = later(addMonths(asOf, -Math.round(years * 12)), options.from === undefined ? undefined : toDate(options.from));
    return { fact: p, period: { start, end } };
  });
  const start = options.from !== undefined ? toDate(options.from) : windows.reduce((min, w) => (w.period.start < min ? w.period.start : min), end);
  const period: DatePeriod = { start, end };

  const disclosures: AccountedDisclosure[] = [];
  let notDisclosed = 0;
  for await (const event of ledger.query({ patient: options.patient, from: start, to: end })) {
    const record = readDisclosureRecord(event);
    if (record === undefined) continue;
    if (record.decision !== 'PERMIT' || record.total === 0) {
      notDisclosed++;
      continue;
    }
    const tpo = record.purposes.length > 0 && record.purposes.every((p) => tpoPurposes.has(p));
    disclosures.push({
      date: record.recorded,
      recipients: record.recipients,
      purposes: record.purposes,
      description: describeDisclosure(record),
      disclosed: record.disclosed,
      consents: record.consents,
      part2: record.part2,
      breakGlass: record.breakGlass,
      tpo,
      generalDesignation: record.generalDesignation,
      ...(record.channel === undefined ? {} : { channel: record.channel }),
      event,
    });
  }
  disclosures.sort((a, b) => Date.parse(a.date) - Date.parse(b.date));

  const sections = windows.map(({ fact, period: window }): AccountingSection => {
    const inWindow = disclosures.filter((d) => inPeriod(d.date, window.start, window.end));
    const withConsent = inWindow.filter((d) => d.consents.length > 0 && !d.breakGlass);
    let chosen: AccountedDisclosure[];
    let note: string | undefined;
    if (fact.id === 'consented') {
      chosen = withConsent.filter((d) => !d.tpo);
      note = 'TPO disclosures are in their own section (§2.25(b)); emergency disclosures (§2.51) are not made with consent';
    } else if (fact.id === 'tpo-ehr') {
      chosen = withConsent.filter((d) => d.tpo && (tpoAccounting === 'all' || d.channel !== 'other'));
      note =
        tpoAccounting === 'all'
          ? 'all TPO disclosures (option tpoAccounting: all)'
          : 'TPO disclosures through an electronic health record (channel ehr or not recorded); compliance with §2.25(b) awaits the HIPAA §164.528 update';
    } else {
      chosen = inWindow.filter((d) => d.generalDesignation);
    }
    const section: AccountingSection = {
      id: fact.id,
      title: fact.title,
      source: fact.source,
      verification: fact.verification,
      period: window,
      disclosures: chosen,
    };
    return note === undefined ? section : { ...section, note };
  });
  return { patient: options.patient, asOf, period, disclosures, sections, notDisclosed };
}

/** Options of {@link toAccountingBundle}. */
export interface AccountingBundleOptions {
  /** Makes the UUID of each entry's `fullUrl` (`urn:uuid:<id>`). Default: a counter-derived UUID, so the same report gives the same bytes. */
  newId?: () => string;
}


/**
 * The accounting as a FHIR `collection` Bundle: one List per section (title, citation, period in a
 * note, the patient as subject) plus one List of every disclosure, each List pointing at the
 * ledger AuditEvents it holds; each AuditEvent is in the Bundle once.
 *
 * @param report - from {@link createAccountingReport}
 * @param options - id generator
 * @returns the Bundle
 * @example
 * const bundle = toAccountingBundle(await createAccountingReport(ledger, { patient, asOf }));
 * See: https://hl7.org/fhir/R4/list.html; 42 CFR §2.25
 */
export function toAccountingBundle(report: AccountingReport, options: AccountingBundleOptions = {}): Bundle {
  const newId = options.newId ?? counterUuids();
  const urls = new Map<AuditEvent, string>();
  const urlOf = (event: AuditEvent) => {
    let url = urls.get(event);
    if (url === undefined) {
      url = `urn:uuid:${newId()}`;
      urls.set(event, url);
    }
    return url;
  };
  const subject = tokenToReference(report.patient);
  const list = (title: string, code: string, period: DatePeriod, items: readonly AccountedDisclosure[], note?: string): List => {
    const l: List = {
      resourceType: 'List',
      status: 'current',
      mode: 'snapshot',
      title,
      code: { text: code },
      subject,
      date: `${report.asOf}T00:00:00Z`,
      note: [{ text: `${period.start} to ${period.end}${note === undefined ? '' : `; ${note}`}` }],
    };
    if (items.length > 0) l.entry = items.map((d) => ({ item: { reference: urlOf(d.event) } }));
    return l;
  };
  const lists: List[] = [
    list('Disclosures', 'list of disclosures', report.period, report.disclosures),
    ...report.sections.map((s) => list(s.title, s.source, s.period, s.disclosures, s.note)),
  ];
  const entries: BundleEntry[] = lists.map((l) => ({ fullUrl: `urn:uuid:${newId()}`, resource: l }));
  for (const [event, fullUrl] of urls) entries.push({ fullUrl, resource: event });
  return { resourceType: 'Bundle', type: 'collection', timestamp: `${report.asOf}T00:00:00Z`, entry: entries };
}

function recipientText(d: AccountedDisclosure): string {
  return d.recipients.map((r) => (r.display === undefined ? (r.tokens[0] ?? 'unidentified') : `${r.display} (${r.tokens[0] ?? '-'})`)).join('; ') || 'unidentified';
}

/**
 * The accounting as text, for the command line: one block per section, one line per disclosure
 * (date, recipient, purpose, what went, consent).
 *
 * @param report - from {@link createAccountingReport}
 * @returns lines joined with `\n`
 * @example
 * process.stdout.write(`${formatAccountingReport(report)}\n`);
 */
export function formatAccountingReport(report: AccountingReport): string {
  const line = (d: AccountedDisclosure) =>
    `  ${d.date.slice(0, 10)}  to ${recipientText(d)}  purpose ${d.purposes.join(' ') || 'unstated'}  ${d.description}` +
    (d.consents.length > 0 ? `  under ${d.consents.join(', ')}` : d.breakGlass ? '  medical emergency (42 CFR §2.51)' : '');
  const out = [
    `Accounting of disclosures for ${report.patient}, requested ${report.asOf}`,
    `All disclosures ${report.period.start} to ${report.period.end}: ${report.disclosures.length}` +
      (report.notDisclosed > 0 ? ` (and ${report.notDisclosed} decisions that sent nothing)` : ''),
    ...report.disclosures.map(line),
  ];
  for (const s of report.sections) {
    out.push('', `${s.title} (${s.source}), ${s.period.start} to ${s.period.end}: ${s.disclosures.length}`);
    if (s.note !== undefined) out.push(`  note: ${s.note}`);
    out.push(...s.disclosures.map(line));
  }
  return out.join('\n');
}
