/**
 * Claim lines as CSV, one row per line, with the columns an 837P (professional claim) service line
 * needs. RFC 4180: comma-separated, fields quoted when they hold a comma, quote or line break, CRLF
 * line endings, a header row.
 *
 * See: reference/billing.md §5 (CMS-1500 / 837P line elements)
 */
import type { Specialist } from '@peerkit/model';
import { SYSTEMS } from '@peerkit/fhir';
import type { BillingRun, ClaimLine } from './claim-line';
import { claimKeyOf } from './claim';

/** One CSV column: its header and what it holds (with the 837P element it feeds, where one does). */
export interface CsvColumn {
  readonly name: string;
  readonly description: string;
}

/**
 * The columns of {@link toClaimLinesCsv}, in order. The package README lists the same table.
 *
 * @example
 * CLAIM_LINE_CSV_COLUMNS.map((c) => c.name).join(','); // the header row
 */
export const CLAIM_LINE_CSV_COLUMNS = [
  { name: 'claim_key', description: 'Groups lines into one claim: pack, payer, member, peer and billing month (`|`-separated)' },
  { name: 'line_id', description: 'Stable id of the line' },
  { name: 'status', description: '`billable`, or `held` (only with includeHeld)' },
  { name: 'pack_id', description: 'Payer pack the line was billed under' },
  { name: 'payer_id', description: 'Coverage payer id of the member' },
  { name: 'member_id', description: "Member's id with the payer (2010BA NM109)" },
  { name: 'patient_reference', description: "The host EHR's patient: `Patient/<id>`, else `<identifier system>|<value>`" },
  { name: 'service_date_from', description: 'First date of service, YYYY-MM-DD (2400 DTP*472)' },
  { name: 'service_date_to', description: 'Last date of service, YYYY-MM-DD (same as from, except month lines)' },
  { name: 'place_of_service', description: 'CMS place of service code (SV105)' },
  { name: 'procedure_code', description: 'HCPCS code (SV101-2)' },
  { name: 'modifier_1', description: 'First modifier (SV101-3)' },
  { name: 'modifier_2', description: 'Second modifier (SV101-4)' },
  { name: 'modifier_3', description: 'Third modifier (SV101-5)' },
  { name: 'modifier_4', description: 'Fourth modifier (SV101-6)' },
  { name: 'units', description: 'Units of service (SV104, unit basis UN in SV103)' },
  { name: 'unit_price', description: 'Price of one unit where the pack has a rate, else empty' },
  { name: 'line_charge', description: 'units × unit_price, two decimals, else empty (SV102)' },
  { name: 'diagnosis_codes', description: 'Diagnosis codes on file for the date, `;`-separated (HI; SV107 pointers)' },
  { name: 'rendering_specialist_id', description: 'Specialist id of the rendering specialist' },
  { name: 'rendering_npi', description: "Rendering specialist's NPI when the export has one (2310B/2420A NM109)" },
  { name: 'minutes', description: 'Minutes of service behind the line' },
  { name: 'session', description: '`individual`, `group` or `month`' },
  { name: 'program_type', description: '`mental-health`, `substance-use` or `co-occurring`' },
  { name: 'modality', description: '`in-person`, `video` or `audio-only`' },
  { name: 'part2', description: '`true` when the line comes from a 42 CFR Part 2 program (redisclosure limits apply)' },
  { name: 'service_ids', description: 'The encounters and group sessions billed, `kind:id`, `;`-separated' },
  { name: 'hold_reasons', description: 'Checks that hold the line, `;`-separated (held lines only)' },
  { name: 'warnings', description: 'Checks that warn about the line, `;`-separated' },
] as const satisfies readonly CsvColumn[];

/** Options of {@link toClaimLinesCsv}. */
export interface ClaimLinesCsvOptions {
  /** Also write held lines (status `held`, with `hold_reasons`). Default `false`: 837P-ready lines only. */
  includeHeld?: boolean;
  /** Specialists, to fill `rendering_npi` from their NPI identifiers. Default none. */
  specialists?: readonly Specialist[];
}

function cell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function unique(values: readonly string[]): string {
  return [...new Set(values)].join(';');
}

/**
 * Writes claim lines as CSV for 837P submission tools: a header row, then one row per line.
 *
 * @param input - a billing run or its lines
 * @param options - see {@link ClaimLinesCsvOptions}
 * @returns CSV text (CRLF line endings, ends with CRLF)
 * @example
 * const csv = toClaimLinesCsv(run, { specialists });
 * csv.split('\r\n')[0]; // 'claim_key,line_id,status,…'
 * See: packages/billing/README.md (CSV columns)
 */
export function toClaimLinesCsv(input: BillingRun | readonly ClaimLine[], options: ClaimLinesCsvOptions = {}): string {
  const lines = 'lines' in input ? input.lines : input;
  const npi = new Map<string, string>();
  for (const s of options.specialists ?? []) {
    const id = s.identifiers.find((i) => i.system === SYSTEMS.npi);
    if (id) npi.set(s.id, id.value);
  }
  const rows = [CLAIM_LINE_CSV_COLUMNS.map((c) => c.name).join(',')];
  for (const line of lines) {
    if (line.status === 'held' && !options.includeHeld) continue;
    const patient =
      line.patient.reference ??
      (line.patient.identifier ? `${line.patient.identifier.system ?? ''}|${line.patient.identifier.value}` : undefined);
    const values: Record<(typeof CLAIM_LINE_CSV_COLUMNS)[number]['name'], string | number | boolean | undefined> = {
      claim_key: claimKeyOf(line),
      line_id: line.id,
      status: line.status,
      pack_id: line.packId,
      payer_id: line.payerId,
      member_id: line.memberId,
      patient_reference: patient,
      service_date_from: line.session === 'month' ? line.period.start : line.date,
      service_date_to: line.session === 'month' ? line.period.end : line.date,
      place_of_service: line.placeOfService,
      procedure_code: line.code,
      modifier_1: line.modifiers[0],
      modifier_2: line.modifiers[1],
      modifier_3: line.modifiers[2],
      modifier_4: line.modifiers[3],
      units: line.units,
      unit_price: line.unitPrice?.toFixed(2),
      line_charge: line.unitPrice === undefined ? undefined : (Math.round(line.unitPrice * line.units * 100) / 100).toFixed(2),
      diagnosis_codes: line.diagnosisCodes.join(';'),
      rendering_specialist_id: line.renderingSpecialistId,
      rendering_npi: npi.get(line.renderingSpecialistId),
      minutes: line.minutes,
      session: line.session,
      program_type: line.programType,
      modality: line.modality,
      part2: line.part2,
      service_ids: line.services.map((s) => `${s.kind}:${s.id}`).join(';'),
      hold_reasons: unique(line.findings.filter((f) => f.severity === 'error').map((f) => f.check)),
      warnings: unique(line.findings.filter((f) => f.severity === 'warning').map((f) => f.check)),
    };
    rows.push(CLAIM_LINE_CSV_COLUMNS.map((c) => cell(values[c.name])).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
