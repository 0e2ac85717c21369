/**
 * The CSV mapping (format `peerkit-csv-mapping/1`): which column of a clinic's CSV export feeds which
 * clinic-export field, code translations, defaults, date and time formats and the clinic's time zone.
 * Checked here; every problem is one issue naming the mapping's JSON path and the rule, never a
 * cell value.
 *
 * See: packages/cli/README.md, "The mapping file"
 */
import {
  ACTIVITIES,
  codesOf,
  CRISIS_ACTIONS,
  ENCOUNTER_STATUSES,
  MODALITIES,
  PROGRAM_TYPES,
  SETTINGS,
} from '../codes';
import { fail, ok, type Err, type IssuePath, type Result } from '../result';
import { compileFormat, isKnownTimeZone, OFFSET_PATTERN, type ClinicTimeZone, type CsvCompiledFormat } from './dates';

/** The `format` a mapping declares. */
export const CSV_MAPPING_FORMAT = 'peerkit-csv-mapping/1';

/** How a field's cells are read. */
export type FieldType = 'id' | 'text' | 'long-text' | 'code' | 'codes' | 'ids' | 'integer' | 'boolean' | 'date' | 'time' | 'date-time';

/** One field a column may feed. */
export interface FieldSpec {
  readonly type: FieldType;
  /** Allowed codes of `code` and `codes` fields (the model's code list). */
  readonly codes?: readonly string[];
  /** Read from the row but not a record field: combined into `start`/`end`. */
  readonly virtual?: boolean;
  /** May not have a default (every row has its own). */
  readonly noDefault?: boolean;
}

/**
 * The encounter fields a column may feed, by clinic-export path (see docs/clinic-export.md).
 * `date` + `startTime` (+ `endTime`) build `start` and `end` when the export has separate columns.
 */
export const ENCOUNTER_FIELDS: Readonly<Record<string, FieldSpec>> = {
  id: { type: 'id', noDefault: true },
  peerId: { type: 'id', noDefault: true },
  specialistId: { type: 'id' },
  programId: { type: 'id' },
  programType: { type: 'code', codes: codesOf(PROGRAM_TYPES) },
  status: { type: 'code', codes: codesOf(ENCOUNTER_STATUSES) },
  start: { type: 'date-time', noDefault: true },
  end: { type: 'date-time', noDefault: true },
  date: { type: 'date', virtual: true, noDefault: true },
  startTime: { type: 'time', virtual: true, noDefault: true },
  endTime: { type: 'time', virtual: true, noDefault: true },
  durationMinutes: { type: 'integer' },
  modality: { type: 'code', codes: codesOf(MODALITIES) },
  setting: { type: 'code', codes: codesOf(SETTINGS) },
  activities: { type: 'codes', codes: codesOf(ACTIVITIES) },
  planId: { type: 'id' },
  goalIds: { type: 'ids' },
  'note.text': { type: 'long-text', noDefault: true },
  'note.signedAt': { type: 'date-time', noDefault: true },
  'note.signedBy': { type: 'id' },
  'note.cosignedAt': { type: 'date-time', noDefault: true },
  'note.cosignedBy': { type: 'id' },
  'crisis.indicated': { type: 'boolean' },
  'crisis.actions': { type: 'codes', codes: codesOf(CRISIS_ACTIONS) },
  'crisis.referralId': { type: 'id' },
  statusReason: { type: 'long-text' },
  referralIds: { type: 'ids' },
};

/**
 * The peer fields a column may feed when `peers` asks import to write one peer record per distinct
 * `peerId` (the encounters' program gives the enrollment).
 */
export const PEER_FIELDS: Readonly<Record<string, FieldSpec>> = {
  'patient.reference': { type: 'text', noDefault: true },
  'patient.identifier.system': { type: 'text' },
  'patient.identifier.value': { type: 'text', noDefault: true },
  birthDate: { type: 'date', noDefault: true },
  primarySpecialistId: { type: 'id' },
  preferredLanguage: { type: 'text' },
  'coverage.payerId': { type: 'text' },
  'coverage.memberId': { type: 'text', noDefault: true },
};

/** A column feeding a field: its header name, code translations and a template. */
export interface CsvColumnSpec {
  readonly column: string;
  /** Cell value (as the export writes it) → PeerKit code or value. Matched exactly, then ignoring case. */
  readonly values?: Readonly<Record<string, string>>;
  /** `{value}` is replaced by the (translated) cell, e.g. `Patient/{value}`. */
  readonly template?: string;
}

/** A default: a PeerKit value, used when the field has no column or its cell is empty. */
export type CsvDefaultValue = string | number | boolean | readonly string[];

/** Columns and defaults for one record kind, by clinic-export field (`note.signedAt`). */
export interface CsvFieldMapping {
  readonly columns: Readonly<Record<string, CsvColumnSpec>>;
  readonly defaults: Readonly<Record<string, CsvDefaultValue>>;
}

/** A checked mapping, as {@link parseCsvMapping} returns it: every default filled in, formats compiled. */
export interface CsvMapping extends CsvFieldMapping {
  readonly record: 'encounter';
  /** The cell delimiter, one character (default `,`). */
  readonly delimiter: string;
  /** Separates the items of list fields inside a cell (default `;`). */
  readonly listSeparator: string;
  readonly dateFormat: CsvCompiledFormat;
  readonly timeFormat: CsvCompiledFormat;
  /** `undefined` for ISO 8601. */
  readonly dateTimeFormat: CsvCompiledFormat | undefined;
  readonly zone: ClinicTimeZone | undefined;
  /** Records written as they are before the imported ones (organization, specialists…). */
  readonly records: readonly unknown[];
  /** Write one peer record per distinct peer, from these columns and defaults. */
  readonly peers: CsvFieldMapping | undefined;
}

const TOP_LEVEL = new Set([
  'format',
  'record',
  'description',
  'csv',
  'dateFormat',
  'timeFormat',
  'dateTimeFormat',
  'timeZoneOffset',
  'timeZone',
  'columns',
  'defaults',
  'records',
  'peers',
]);

/** One problem with the mapping: its JSON path, and a message that names the path and the rule. */
const bad = (path: IssuePath, message: string): Err =>
  fail([{ severity: 'error', code: 'import.invalid-mapping', path, message }]);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Keys starting with `$` (`$schema`, `$comment`) are comments and may appear anywhere. */
const isComment = (key: string): boolean => key.startsWith('$');

/** `peers.columns` → `['peers', 'columns']`. */
const pathOf = (at: string): string[] => at.split('.');

function checkColumns(input: unknown, fields: Readonly<Record<string, FieldSpec>>, at: string): Result<Record<string, CsvColumnSpec>> {
  const base = pathOf(at);
  if (!isObject(input)) return bad(base, `${at} must be an object: field → column name`);
  const out: Record<string, CsvColumnSpec> = {};
  for (const [field, spec] of Object.entries(input)) {
    if (isComment(field)) continue;
    const path = [...base, field];
    if (fields[field] === undefined) return bad(path, `${at}.${field}: import knows no field of that name (fields: ${Object.keys(fields).join(', ')})`);
    if (typeof spec === 'string') {
      if (spec.trim() === '') return bad(path, `${at}.${field}: the column name is empty`);
      out[field] = { column: spec.trim() };
      continue;
    }
    if (!isObject(spec)) return bad(path, `${at}.${field} must be a column name or { "column", "values", "template" }`);
    for (const key of Object.keys(spec)) {
      if (!isComment(key) && !['column', 'values', 'template'].includes(key)) return bad([...path, key], `${at}.${field}.${key}: unknown key (column, values, template)`);
    }
    if (typeof spec.column !== 'string' || spec.column.trim() === '') return bad([...path, 'column'], `${at}.${field}.column must be the column's name`);
    const column: { column: string; values?: Record<string, string>; template?: string } = { column: spec.column.trim() };
    const type = fields[field]?.type;
    if (spec.values !== undefined) {
      if (!isObject(spec.values) || !Object.values(spec.values).every((v) => typeof v === 'string')) {
        return bad([...path, 'values'], `${at}.${field}.values must map cell values to PeerKit values (strings)`);
      }
      const codes = fields[field]?.codes;
      if (codes !== undefined) {
        for (const [from, to] of Object.entries(spec.values)) {
          if (!codes.includes(to as string)) return bad([...path, 'values', from], `${at}.${field}.values["${from}"] is not among the ${field} codes (${codes.join(', ')})`);
        }
      } else if (type !== 'id' && type !== 'text' && type !== 'long-text' && type !== 'ids' && type !== 'boolean') {
        return bad([...path, 'values'], `${at}.${field}.values: ${type} fields take no value translations`);
      }
      column.values = spec.values as Record<string, string>;
    }
    if (spec.template !== undefined) {
      if (typeof spec.template !== 'string' || !spec.template.includes('{value}')) return bad([...path, 'template'], `${at}.${field}.template must be a string containing {value}`);
      if (type !== 'id' && type !== 'text' && type !== 'long-text' && type !== 'ids') return bad([...path, 'template'], `${at}.${field}.template: only id and text fields take a template`);
      column.template = spec.template;
    }
    out[field] = column;
  }
  return ok(out);
}

function checkDefaults(input: unknown, fields: Readonly<Record<string, FieldSpec>>, at: string): Result<Record<string, CsvDefaultValue>> {
  if (input === undefined) return ok({});
  const base = pathOf(at);
  if (!isObject(input)) return bad(base, `${at} must be an object: field → value`);
  const out: Record<string, CsvDefaultValue> = {};
  for (const [field, value] of Object.entries(input)) {
    if (isComment(field)) continue;
    const path = [...base, field];
    const spec = fields[field];
    if (spec === undefined) return bad(path, `${at}.${field}: import knows no field of that name`);
    if (spec.noDefault) return bad(path, `${at}.${field}: this field cannot have a default (each row has its own)`);
    switch (spec.type) {
      case 'integer':
        if (!Number.isSafeInteger(value)) return bad(path, `${at}.${field} must be a whole number`);
        break;
      case 'boolean':
        if (typeof value !== 'boolean') return bad(path, `${at}.${field} must be true or false`);
        break;
      case 'codes':
      case 'ids': {
        const list = typeof value === 'string' ? [value] : value;
        if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) return bad(path, `${at}.${field} must be a list of strings`);
        const codes = spec.codes;
        if (codes !== undefined) {
          const unknown = list.find((v) => !codes.includes(v as string));
          if (unknown !== undefined) return bad(path, `${at}.${field} has a value not among the ${field} codes (${codes.join(', ')})`);
        }
        out[field] = list as string[];
        continue;
      }
      default:
        if (typeof value !== 'string' || value.trim() === '') return bad(path, `${at}.${field} must be a non-empty string`);
        if (spec.codes !== undefined && !spec.codes.includes(value)) return bad(path, `${at}.${field} is not among the ${field} codes (${spec.codes.join(', ')})`);
    }
    out[field] = value as CsvDefaultValue;
  }
  return ok(out);
}

function checkFormat(value: unknown, at: string, fallback: string, needs: { date: boolean; time: boolean }): Result<CsvCompiledFormat> {
  const format = value === undefined ? fallback : value;
  if (typeof format !== 'string' || format.trim() === '') return bad([at], `${at} must be a format such as ${fallback}`);
  const compiled = compileFormat(format, needs);
  return typeof compiled === 'string' ? bad([at], `${at} ${compiled}`) : ok(compiled);
}

const has = (m: CsvFieldMapping, field: string): boolean => m.columns[field] !== undefined;

/**
 * Checks a CSV mapping (format `peerkit-csv-mapping/1`) and fills in its defaults.
 *
 * @param input - the mapping's JSON, parsed (e.g. `JSON.parse` of a mapping file)
 * @returns the checked mapping, or one `import.invalid-mapping` issue whose `path` is the mapping's
 *   JSON path and whose message names that path and the rule (it reads after the mapping's name:
 *   `mapping.json: timeZone must be an IANA time zone…`)
 * @example
 * const mapping = parseCsvMapping(JSON.parse(text));
 * if (!mapping.ok) console.error(`mapping.json: ${mapping.issues[0]?.message}`);
 * See: packages/cli/README.md, "The mapping file"
 */
export function parseCsvMapping(input: unknown): Result<CsvMapping> {
  if (!isObject(input)) return bad([], 'must be a JSON object');
  for (const key of Object.keys(input)) {
    if (!isComment(key) && !TOP_LEVEL.has(key)) return bad([key], `${key}: unknown key (${[...TOP_LEVEL].join(', ')})`);
  }
  if (input.format !== CSV_MAPPING_FORMAT) return bad(['format'], `format must be "${CSV_MAPPING_FORMAT}"`);
  if (input.record !== undefined && input.record !== 'encounter') return bad(['record'], 'record: import reads encounters only ("encounter")');

  const csv = input.csv === undefined ? {} : input.csv;
  if (!isObject(csv)) return bad(['csv'], 'csv must be an object');
  for (const key of Object.keys(csv)) {
    if (!isComment(key) && key !== 'delimiter' && key !== 'listSeparator') return bad(['csv', key], `csv.${key}: unknown key (delimiter, listSeparator)`);
  }
  const delimiter = csv.delimiter ?? ',';
  if (typeof delimiter !== 'string' || [...delimiter].length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    return bad(['csv', 'delimiter'], 'csv.delimiter must be one character (not a quote or a line break), e.g. "," ";" or "\\t"');
  }
  const listSeparator = csv.listSeparator ?? ';';
  if (typeof listSeparator !== 'string' || listSeparator === '' || listSeparator === delimiter) {
    return bad(['csv', 'listSeparator'], 'csv.listSeparator must be a non-empty string other than the delimiter');
  }

  const columns = checkColumns(input.columns, ENCOUNTER_FIELDS, 'columns');
  if (!columns.ok) return columns;
  const defaults = checkDefaults(input.defaults, ENCOUNTER_FIELDS, 'defaults');
  if (!defaults.ok) return defaults;
  const fields: CsvFieldMapping = { columns: columns.value, defaults: defaults.value };

  for (const field of ['id', 'peerId'] as const) {
    if (!has(fields, field)) return bad(['columns', field], `columns.${field} is required: name the column holding the ${field === 'id' ? "encounter's id" : "peer's id"}`);
  }
  if (has(fields, 'start') === has(fields, 'date')) {
    return bad(['columns'], 'columns: give either start (a date-time column) or date with startTime (separate columns)');
  }
  if (has(fields, 'date') && !has(fields, 'startTime')) return bad(['columns', 'startTime'], 'columns.startTime is required with columns.date');
  if (!has(fields, 'date') && (has(fields, 'startTime') || has(fields, 'endTime'))) return bad(['columns', 'date'], 'columns.startTime and columns.endTime need columns.date');
  if (has(fields, 'end') && has(fields, 'endTime')) return bad(['columns'], 'columns: give end or endTime, not both');
  for (const field of ['specialistId', 'programId', 'status', 'modality', 'setting'] as const) {
    if (!has(fields, field) && fields.defaults[field] === undefined) return bad(['columns', field], `columns.${field} or defaults.${field} is required`);
  }

  const dateFormat = checkFormat(input.dateFormat, 'dateFormat', 'YYYY-MM-DD', { date: true, time: false });
  if (!dateFormat.ok) return dateFormat;
  const timeFormat = checkFormat(input.timeFormat, 'timeFormat', 'HH:mm', { date: false, time: true });
  if (!timeFormat.ok) return timeFormat;
  let dateTimeFormat: CsvCompiledFormat | undefined;
  if (input.dateTimeFormat !== undefined && input.dateTimeFormat !== 'iso') {
    const checked = checkFormat(input.dateTimeFormat, 'dateTimeFormat', 'YYYY-MM-DD HH:mm', { date: true, time: true });
    if (!checked.ok) return checked;
    dateTimeFormat = checked.value;
  }

  if (input.timeZoneOffset !== undefined && input.timeZone !== undefined) return bad(['timeZone'], 'give timeZoneOffset or timeZone, not both');
  let zone: ClinicTimeZone | undefined;
  if (input.timeZoneOffset !== undefined) {
    if (typeof input.timeZoneOffset !== 'string' || !OFFSET_PATTERN.test(input.timeZoneOffset)) return bad(['timeZoneOffset'], 'timeZoneOffset must be like "-05:00", "+01:00" or "Z"');
    zone = { offset: input.timeZoneOffset };
  } else if (input.timeZone !== undefined) {
    if (typeof input.timeZone !== 'string' || !isKnownTimeZone(input.timeZone)) return bad(['timeZone'], 'timeZone must be an IANA time zone such as "America/New_York"');
    zone = { timeZone: input.timeZone };
  }
  const localTimes = has(fields, 'date') || (dateTimeFormat !== undefined && ['start', 'end', 'note.signedAt', 'note.cosignedAt'].some((f) => has(fields, f)));
  if (localTimes && zone === undefined) return bad(['timeZone'], 'timeZoneOffset or timeZone is required: the export writes local times');

  const records = input.records ?? [];
  if (!Array.isArray(records) || !records.every(isObject)) return bad(['records'], 'records must be a list of clinic-export records (JSON objects)');

  let peers: CsvFieldMapping | undefined;
  if (input.peers !== undefined) {
    if (!isObject(input.peers)) return bad(['peers'], 'peers must be an object with columns and defaults');
    for (const key of Object.keys(input.peers)) {
      if (!isComment(key) && key !== 'columns' && key !== 'defaults') return bad(['peers', key], `peers.${key}: unknown key (columns, defaults)`);
    }
    const peerColumns = checkColumns(input.peers.columns ?? {}, PEER_FIELDS, 'peers.columns');
    if (!peerColumns.ok) return peerColumns;
    const peerDefaults = checkDefaults(input.peers.defaults, PEER_FIELDS, 'peers.defaults');
    if (!peerDefaults.ok) return peerDefaults;
    peers = { columns: peerColumns.value, defaults: peerDefaults.value };
    if (!has(peers, 'patient.reference') && !has(peers, 'patient.identifier.value')) {
      return bad(['peers', 'columns'], 'peers.columns needs patient.reference or patient.identifier.value: a peer must point at the EHR\'s patient');
    }
    const payer = has(peers, 'coverage.payerId') || peers.defaults['coverage.payerId'] !== undefined;
    if (payer !== has(peers, 'coverage.memberId')) {
      return bad(['peers', 'columns'], 'peers: coverage needs both coverage.payerId (column or default) and coverage.memberId');
    }
  }

  return ok({
    record: 'encounter',
    delimiter,
    listSeparator,
    columns: fields.columns,
    defaults: fields.defaults,
    dateFormat: dateFormat.value,
    timeFormat: timeFormat.value,
    dateTimeFormat,
    zone,
    records,
    peers,
  });
}
