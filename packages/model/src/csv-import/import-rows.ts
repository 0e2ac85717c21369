/**
 * Rows of a clinic's CSV export, as cells → clinic-export records, through a checked mapping. Turns
 * one row at a time into an encounter record (and, when asked, one peer record per distinct peer),
 * checks it with the model's own parser, and reports what is wrong with a row by row number, column,
 * field and code — never by the value of a cell. The CSV text itself is read in `csv-reader.ts`.
 */
import { fromDateParts } from '../calendar';
import { parsePeerEncounter, type PeerEncounter } from '../encounter';
import type { IssueCode } from '../issue-codes';
import type { Organization } from '../organization';
import { parsePeer } from '../peer';
import { parseRecord, type ClinicRecord } from '../record';
import { fail, formatPath, ok, type Issue, type IssuePath, type IssueSeverity, type Result } from '../result';
import { readIsoDateTime, readWithFormat, toIsoDateTime, type LocalDate, type LocalTime } from './dates';
import {
  ENCOUNTER_FIELDS,
  PEER_FIELDS,
  type CsvColumnSpec,
  type CsvDefaultValue,
  type CsvFieldMapping,
  type CsvMapping,
  type FieldSpec,
} from './mapping';

/**
 * A problem with one row of a CSV import: an {@link Issue} that also names the row, the column and
 * the field. Never a cell's value.
 */
export interface CsvImportIssue extends Issue {
  /** The row as a spreadsheet numbers it: the header is row 1, blank rows count. */
  readonly row: number;
  /** The line the row starts on (after a quoted cell spanning lines, it differs from `row`). */
  readonly line: number;
  /** The CSV column(s) the field came from; absent when it came from a default or is row-wide. */
  readonly column?: string;
  /** The clinic-export field (`start`, `note.signedAt`, `peer.birthDate`), or `-` for the whole row. */
  readonly field: string;
  /**
   * The field's path in the record the row became (`['note', 'signedAt']`, `['activities', 2]`);
   * peer fields under `peer`; `date`, `startTime` and `endTime` as the mapping names them; empty for
   * the whole row.
   */
  readonly path: IssuePath;
}

/** What a CSV import produced. */
export interface CsvImportResult {
  /** The mapping's own records, then the peers, then the encounters, in row order. */
  readonly records: ClinicRecord[];
  /** Every problem, in row order. */
  readonly issues: CsvImportIssue[];
  /** Data rows read (blank rows are not counted). */
  readonly rows: number;
  /** Rows written as encounter records. */
  readonly imported: number;
  /** Rows not written (their errors are in `issues`). */
  readonly rejected: number;
  /** Records written, by kind. */
  readonly byKind: Record<string, number>;
}

/** Where a row is: its row number as a spreadsheet shows it (the header is row 1) and its first line. */
export type RowPosition = Pick<CsvImportIssue, 'row' | 'line'>;

/** Takes rows one at a time; `finish` builds the peers and returns the records. */
export interface RowImporter {
  /** One row of cells, as the CSV reader gave them. */
  add(cells: readonly string[], position: RowPosition): void;
  /** A row the CSV reader could not read (`code` is the reader's error code, e.g. `CSV_QUOTE_NOT_CLOSED`). */
  unreadable(position: RowPosition, code: string): void;
  finish(): CsvImportResult;
}

type CellValue = string | number | boolean | string[] | LocalDate | LocalTime;
/** A cell read as its field's type, or why it could not be (an `import.*` code). */
type CellResult = { value: CellValue } | { code: IssueCode; message: string };

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

function translate(text: string, values: Readonly<Record<string, string>> | undefined): string {
  if (values === undefined) return text;
  const exact = values[text];
  if (exact !== undefined) return exact;
  const lower = text.toLowerCase();
  for (const [from, to] of Object.entries(values)) if (from.trim().toLowerCase() === lower) return to;
  return text;
}

/** A code as written, or the model code it matches ignoring case (`In-Person` → `in-person`). */
function asCode(text: string, codes: readonly string[] | undefined): string {
  if (codes === undefined || codes.includes(text)) return text;
  return codes.find((c) => c.toLowerCase() === text.toLowerCase()) ?? text;
}

function templated(text: string, column: CsvColumnSpec): string {
  return column.template === undefined ? text : column.template.replaceAll('{value}', text);
}

/** Reads one non-empty cell as its field's type. */
function readCell(cell: string, spec: FieldSpec, column: CsvColumnSpec, mapping: CsvMapping): CellResult {
  const text = cell.trim();
  switch (spec.type) {
    case 'long-text': {
      // Notes are kept as written; a translation or template reads the trimmed cell.
      if (column.values === undefined && column.template === undefined) return { value: cell };
      return { value: templated(translate(text, column.values), column) };
    }
    case 'id':
    case 'text':
      return { value: templated(translate(text, column.values), column) };
    case 'code':
      return { value: asCode(translate(text, column.values), spec.codes) };
    case 'codes':
    case 'ids': {
      const items = text
        .split(mapping.listSeparator)
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .map((s) => translate(s, column.values));
      return { value: spec.type === 'codes' ? items.map((s) => asCode(s, spec.codes)) : items.map((s) => templated(s, column)) };
    }
    case 'integer':
      return /^[+-]?\d{1,9}$/.test(text)
        ? { value: Number(text) }
        : { code: 'import.invalid-number', message: 'Not a whole number' };
    case 'boolean': {
      const word = translate(text, column.values).toLowerCase();
      if (TRUE.has(word)) return { value: true };
      if (FALSE.has(word)) return { value: false };
      return { code: 'import.invalid-boolean', message: 'Not yes/no, true/false, y/n or 1/0 (or a value in the column\'s values)' };
    }
    case 'date': {
      const read = readWithFormat(text, mapping.dateFormat);
      return read?.date === undefined
        ? { code: 'import.invalid-date', message: `Not a date in the mapping's dateFormat (${mapping.dateFormat.source})` }
        : { value: read.date };
    }
    case 'time': {
      const read = readWithFormat(text, mapping.timeFormat);
      return read?.time === undefined
        ? { code: 'import.invalid-time', message: `Not a time in the mapping's timeFormat (${mapping.timeFormat.source})` }
        : { value: read.time };
    }
    case 'date-time': {
      if (mapping.dateTimeFormat === undefined) {
        const iso = readIsoDateTime(text, mapping.zone);
        if (iso === 'no-offset') {
          return { code: 'import.invalid-date-time', message: 'The date-time has no time zone offset and the mapping sets no timeZoneOffset or timeZone' };
        }
        return iso === undefined
          ? { code: 'import.invalid-date-time', message: 'Not an ISO 8601 date-time (the mapping\'s dateTimeFormat is iso)' }
          : { value: iso };
      }
      const read = readWithFormat(text, mapping.dateTimeFormat);
      // checkCsvMapping requires a zone whenever a dateTimeFormat reads local times.
      if (read?.date === undefined || read.time === undefined || mapping.zone === undefined) {
        return { code: 'import.invalid-date-time', message: `Not a date-time in the mapping's dateTimeFormat (${mapping.dateTimeFormat.source})` };
      }
      return { value: toIsoDateTime(read.date, read.time, mapping.zone) };
    }
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined || next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

function copyDefault(value: CsvDefaultValue): CellValue {
  return Array.isArray(value) ? [...(value as readonly string[])] : (value as string | number | boolean);
}

/** The field an issue path points at: its leading names, up to the first index (`activities.2` → `activities`). */
function fieldOf(path: readonly (string | number)[]): string {
  const names: string[] = [];
  for (const p of path) {
    if (typeof p !== 'string') break;
    names.push(p);
  }
  return names.length === 0 ? '-' : names.join('.');
}

/** Reads the mapped fields of one row. */
function readFields(
  cells: readonly string[],
  index: ReadonlyMap<string, number>,
  fields: Readonly<Record<string, FieldSpec>>,
  map: CsvFieldMapping,
  mapping: CsvMapping,
): { values: Map<string, CellValue>; problems: { field: string; column: string; code: IssueCode; message: string }[] } {
  const values = new Map<string, CellValue>();
  const problems: { field: string; column: string; code: IssueCode; message: string }[] = [];
  for (const [field, spec] of Object.entries(fields)) {
    const column = map.columns[field];
    if (column !== undefined) {
      const cell = cells[index.get(column.column) ?? -1] ?? '';
      if (cell.trim() !== '') {
        const read = readCell(cell, spec, column, mapping);
        if ('code' in read) {
          problems.push({ field, column: column.column, code: read.code, message: read.message });
          continue;
        }
        values.set(field, read.value);
        continue;
      }
    }
    const fallback = map.defaults[field];
    if (fallback !== undefined) values.set(field, copyDefault(fallback));
  }
  return { values, problems };
}

/** A peer being built from the rows of its encounters. */
interface PeerDraft {
  readonly first: RowPosition;
  readonly fields: Map<string, CellValue>;
  readonly enrollments: Map<string, { programId: string; programType: string; start: string }>;
  readonly coverage: Map<string, { payerId: string; memberId: string; start: string }>;
}

const sameValue = (a: CellValue, b: CellValue): boolean => JSON.stringify(a) === JSON.stringify(b);

function peerRecord(id: string, draft: PeerDraft): Record<string, unknown> {
  const f = draft.fields;
  const patient: Record<string, unknown> = {};
  const reference = f.get('patient.reference');
  if (reference !== undefined) patient.reference = reference;
  const value = f.get('patient.identifier.value');
  if (value !== undefined) {
    const system = f.get('patient.identifier.system');
    patient.identifier = system === undefined ? { value } : { system, value };
  }
  const record: Record<string, unknown> = { kind: 'peer', id, patient };
  const birthDate = f.get('birthDate');
  if (birthDate !== undefined) record.birthDate = fromDateParts(birthDate as LocalDate);
  record.enrollments = [...draft.enrollments.values()];
  if (draft.coverage.size > 0) record.coverage = [...draft.coverage.values()];
  for (const key of ['primarySpecialistId', 'preferredLanguage'] as const) {
    const v = f.get(key);
    if (v !== undefined) record[key] = v;
  }
  return record;
}

/** The path of an issue about `field` (`note.signedAt` → `['note', 'signedAt']`, `-` → `[]`). */
const pathOfField = (field: string): IssuePath => (field === '-' ? [] : field.split('.'));

/**
 * Creates an importer for a CSV whose first row is `header`.
 *
 * @param mapping - a mapping checked by `parseCsvMapping`
 * @param header - the header row's cells (column names; surrounding spaces are ignored)
 * @returns the importer, or one issue (`import.missing-column` or `import.duplicate-column` for a
 *   mapped column the header lacks or holds twice, `import.invalid-mapping` for an invalid record in
 *   the mapping's `records`), its path in the mapping
 * @example
 * const importer = createRowImporter(mapping, ['Visit', 'Client', …]);
 * if (importer.ok) { importer.value.add(cells, { row: 2, line: 2 }); const result = importer.value.finish(); }
 */
export function createRowImporter(mapping: CsvMapping, header: readonly string[]): Result<RowImporter> {
  const index = new Map<string, number>();
  const duplicated = new Set<string>();
  header.forEach((name, i) => {
    const key = name.trim();
    if (index.has(key)) duplicated.add(key);
    else index.set(key, i);
  });
  const mapped: [IssuePath, CsvColumnSpec][] = [
    ...Object.entries(mapping.columns).map(([f, c]): [IssuePath, CsvColumnSpec] => [['columns', f], c]),
    ...Object.entries(mapping.peers?.columns ?? {}).map(([f, c]): [IssuePath, CsvColumnSpec] => [['peers', 'columns', f], c]),
  ];
  for (const [path, column] of mapped) {
    if (!index.has(column.column)) {
      return fail([{ severity: 'error', code: 'import.missing-column', path, message: `${path.join('.')}: the CSV has no column named "${column.column}"` }]);
    }
    if (duplicated.has(column.column)) {
      return fail([{ severity: 'error', code: 'import.duplicate-column', path, message: `${path.join('.')}: the CSV has two columns named "${column.column}"` }]);
    }
  }

  // The mapping's own records: checked like any clinic-export line, written first.
  const fixed: ClinicRecord[] = [];
  for (const [i, input] of mapping.records.entries()) {
    const parsed = parseRecord(input);
    if (!parsed.ok) {
      const issue = parsed.issues.find((x) => x.severity === 'error') ?? parsed.issues[0];
      const message = `records[${i}]: ${formatPath(issue?.path ?? []) || '-'} ${issue?.code ?? 'invalid'} (${issue?.message ?? 'invalid record'})`;
      return fail([{ severity: 'error', code: 'import.invalid-mapping', path: ['records', i, ...(issue?.path ?? [])], message }]);
    }
    fixed.push(parsed.value);
  }
  const organization = fixed.find((r): r is Organization => r.kind === 'organization');
  const programTypes = new Map((organization?.programs ?? []).map((p) => [p.id, p.type]));
  const fixedPeers = new Set(fixed.filter((r) => r.kind === 'peer').map((r) => r.id));

  /** The columns a field was read from, for issues. */
  const columnOf = (field: string): string | undefined => {
    if ((field === 'start' || field === 'end') && mapping.columns.date !== undefined) {
      const time = mapping.columns[field === 'start' ? 'startTime' : 'endTime'];
      return time === undefined ? mapping.columns.date.column : `${mapping.columns.date.column}, ${time.column}`;
    }
    if (field.startsWith('peer.')) return mapping.peers?.columns[field.slice('peer.'.length)]?.column;
    return mapping.columns[field]?.column;
  };

  const issues: CsvImportIssue[] = [];
  const encounters: PeerEncounter[] = [];
  const seenIds = new Set<string>();
  const peers = new Map<string, PeerDraft>();
  let rows = 0;
  let rejected = 0;

  const report = (
    position: RowPosition,
    field: string,
    code: IssueCode,
    severity: IssueSeverity,
    message: string,
    column = columnOf(field),
    path = pathOfField(field),
  ): void => {
    issues.push({ ...position, ...(column === undefined ? {} : { column }), field, code, severity, message, path });
  };

  function addPeer(cells: readonly string[], position: RowPosition, encounter: PeerEncounter): void {
    const peerMap = mapping.peers;
    if (peerMap === undefined || fixedPeers.has(encounter.peerId)) return;
    const { values, problems } = readFields(cells, index, PEER_FIELDS, peerMap, mapping);
    for (const p of problems) report(position, `peer.${p.field}`, p.code, 'error', p.message, p.column);
    let draft = peers.get(encounter.peerId);
    if (draft === undefined) {
      draft = { first: position, fields: new Map(), enrollments: new Map(), coverage: new Map() };
      peers.set(encounter.peerId, draft);
    }
    for (const [field, value] of values) {
      if (field === 'coverage.payerId' || field === 'coverage.memberId') continue;
      const known = draft.fields.get(field);
      if (known === undefined) draft.fields.set(field, value);
      else if (!sameValue(known, value)) {
        report(position, `peer.${field}`, 'import.peer-conflict', 'warning', 'Differs from an earlier row of the same peer; the earlier row\'s value is kept');
      }
    }
    const day = encounter.start.slice(0, 10);
    const enrollment = draft.enrollments.get(encounter.programId);
    if (enrollment === undefined) draft.enrollments.set(encounter.programId, { programId: encounter.programId, programType: encounter.programType, start: day });
    else if (day < enrollment.start) enrollment.start = day;
    const payerId = values.get('coverage.payerId');
    const memberId = values.get('coverage.memberId');
    if (typeof payerId === 'string' && typeof memberId === 'string') {
      const key = `${payerId}\u0000${memberId}`;
      const coverage = draft.coverage.get(key);
      if (coverage === undefined) draft.coverage.set(key, { payerId, memberId, start: day });
      else if (day < coverage.start) coverage.start = day;
    }
  }

  const importer: RowImporter = {
    add(cells, position) {
      if (cells.every((c) => c.trim() === '')) return; // a blank row: nothing to import, nothing wrong
      rows++;
      if (cells.length !== header.length) {
        rejected++;
        report(position, '-', 'import.column-count', 'error', `The row has ${cells.length} cells and the header ${header.length}: a delimiter or quote is probably missing or extra`);
        return;
      }
      const { values, problems } = readFields(cells, index, ENCOUNTER_FIELDS, mapping, mapping);
      const failed = new Set(problems.map((p) => p.field));
      for (const p of problems) report(position, p.field, p.code, 'error', p.message, p.column);

      const record: Record<string, unknown> = { kind: 'encounter' };
      for (const [field, value] of values) if (!ENCOUNTER_FIELDS[field]?.virtual) setPath(record, field, value);
      // A note is its text: signature cells without it (a no-show's row) make no note.
      if (record.note !== undefined && (record.note as { text?: unknown }).text === undefined && !failed.has('note.text')) delete record.note;
      // Separate date and time columns make `start` and `end` in the clinic's time zone.
      if (mapping.columns.date !== undefined && mapping.zone !== undefined) {
        const date = values.get('date') as LocalDate | undefined;
        for (const [field, timeField] of [['start', 'startTime'], ['end', 'endTime']] as const) {
          const time = values.get(timeField) as LocalTime | undefined;
          if (date !== undefined && time !== undefined) record[field] = toIsoDateTime(date, time, mapping.zone);
          else if (failed.has('date') || failed.has(timeField)) failed.add(field);
        }
      }
      const programId = record.programId;
      if (typeof programId === 'string' && organization !== undefined) {
        const type = programTypes.get(programId);
        if (type === undefined) {
          report(position, 'programId', 'import.unknown-program', 'error', 'Not one of the programs of the organization in the mapping\'s records');
          failed.add('programId');
          if (record.programType === undefined) failed.add('programType'); // it would have come from the program
        } else if (record.programType === undefined) {
          record.programType = type;
        }
      }
      const id = record.id;
      if (typeof id === 'string' && seenIds.has(id)) {
        report(position, 'id', 'import.duplicate-id', 'error', 'An earlier row has the same id: only the first is imported');
        failed.add('id');
      }

      const parsed = parsePeerEncounter(record);
      for (const issue of parsed.issues) {
        const field = fieldOf(issue.path);
        if (failed.has(field)) continue; // already reported as a cell problem
        report(position, field, issue.code, issue.severity, issue.message, undefined, issue.path);
      }
      if (!parsed.ok || failed.size > 0) {
        rejected++;
        return;
      }
      seenIds.add(parsed.value.id);
      encounters.push(parsed.value);
      addPeer(cells, position, parsed.value);
    },

    unreadable(position, code) {
      rows++;
      rejected++;
      const message =
        code === 'CSV_QUOTE_NOT_CLOSED'
          ? 'A quote opened in this row is never closed: this row and every row after it could not be read'
          : `The CSV parser could not read this row (${code}): check its quotes and delimiters`;
      report(position, '-', 'import.unreadable-row', 'error', message);
    },

    finish() {
      const peerRecords: ClinicRecord[] = [];
      for (const [id, draft] of peers) {
        const parsed = parsePeer(peerRecord(id, draft));
        for (const issue of parsed.issues) {
          report(draft.first, `peer.${fieldOf(issue.path)}`, issue.code, issue.severity, issue.message, undefined, ['peer', ...issue.path]);
        }
        if (parsed.ok) peerRecords.push(parsed.value);
      }
      issues.sort((a, b) => a.row - b.row);
      const records: ClinicRecord[] = [...fixed, ...peerRecords, ...encounters];
      const byKind: Record<string, number> = {};
      for (const r of records) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
      return { records, issues, rows, imported: encounters.length, rejected, byKind };
    },
  };
  return ok(importer);
}
