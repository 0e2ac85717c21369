/**
 * A clinic's CSV export of encounters → clinic-export records, through a checked mapping: the CSV is
 * read as it arrives (text or UTF-8 byte chunks), one row at a time; bad rows are reported and left
 * out, the good rows are kept. Pure: the caller reads the file, this reads the text.
 */
import type { IssueCode } from '../issue-codes';
import { fail, ok, type Issue, type Result } from '../result';
import { createCsvReader, type CsvRow } from './csv-reader';
import { createRowImporter, type CsvImportResult, type RowImporter } from './import-rows';
import type { CsvMapping } from './mapping';

/** The longest row {@link importCsv} reads by default, in characters of its cells: 1,000,000. */
export const DEFAULT_MAX_CSV_ROW_LENGTH = 1_000_000;

/** Options of {@link importCsv} and {@link createCsvImport}. */
export interface ImportCsvOptions {
  /**
   * The longest row to read, in characters of its cells; a longer one is reported as
   * `import.unreadable-row` and left out. Guards against a wrong delimiter or a runaway quote reading
   * the whole file as one row. Default {@link DEFAULT_MAX_CSV_ROW_LENGTH}.
   */
  readonly maxRowLength?: number;
}

/** A CSV import fed chunk by chunk: see {@link createCsvImport}. */
export interface CsvImport {
  /**
   * Reads the next chunk of the CSV: text, or UTF-8 bytes.
   *
   * @returns `false` once the import has failed (a missing column, a file that is not text…): the
   *   rest of the CSV is not needed, call `end()`
   */
  write(chunk: string | Uint8Array): boolean;
  /**
   * Ends the CSV (call once).
   *
   * @returns the records and every row's issues, or one issue saying why nothing could be imported
   */
  end(): Result<CsvImportResult>;
}

/** How much of the start of the CSV is looked at for NUL characters. */
const SNIFF_LENGTH = 8192;

const isUtf16Bom = (bytes: Uint8Array): boolean => (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);

/** An issue about the CSV as a whole; its message reads after the file's name (`encounters.csv: has no header row…`). */
const csvProblem = (code: IssueCode, message: string): Issue => ({ severity: 'error', code, path: [], message });

/**
 * Creates a CSV import to feed chunk by chunk, for sources that push (a stream's `data` events, a
 * web `ReadableStream` reader). {@link importCsv} does the same for a string or an iterable.
 *
 * @param mapping - a mapping checked by {@link parseCsvMapping}
 * @param options - see {@link ImportCsvOptions}
 * @returns the import: `write` each chunk, then `end`
 * @example
 * const csvImport = createCsvImport(mapping.value);
 * stream.on('data', (chunk) => csvImport.write(chunk));
 * stream.on('end', () => done(csvImport.end()));
 */
export function createCsvImport(mapping: CsvMapping, options: ImportCsvOptions = {}): CsvImport {
  const reader = createCsvReader({ delimiter: mapping.delimiter, maxRowLength: options.maxRowLength ?? DEFAULT_MAX_CSV_ROW_LENGTH });
  const decoder = new TextDecoder('utf-8');
  let importer: RowImporter | undefined;
  let failure: Issue | undefined;
  let sniffed = 0; // characters or bytes looked at for NUL
  let row = 0; // rows as a spreadsheet numbers them: the header is row 1

  /** Bytes or text that say the file is not CSV text (checked at the start). */
  function sniff(chunk: string | Uint8Array): Issue | undefined {
    if (sniffed >= SNIFF_LENGTH || chunk.length === 0) return undefined;
    if (sniffed === 0 && typeof chunk !== 'string' && isUtf16Bom(chunk)) {
      return csvProblem('import.not-utf8', 'is UTF-16 text; save the CSV as UTF-8');
    }
    const head = chunk.slice(0, SNIFF_LENGTH - sniffed);
    sniffed += head.length;
    const nul = typeof head === 'string' ? head.includes('\u0000') : head.includes(0);
    return nul ? csvProblem('import.not-text', 'is not a text file (it contains NUL bytes); expected a CSV export') : undefined;
  }

  function take(rows: readonly CsvRow[]): void {
    for (const csvRow of rows) {
      row++;
      if (failure !== undefined) return;
      if (importer !== undefined) {
        const position = { row, line: csvRow.line };
        if ('error' in csvRow) importer.unreadable(position, csvRow.error);
        else importer.add(csvRow.cells, position);
        continue;
      }
      if ('error' in csvRow) {
        failure = csvProblem('import.unreadable-header', `cannot read the header row as CSV (${csvRow.error})`);
        return;
      }
      if (csvRow.cells.every((c) => c.trim() === '')) continue; // blank lines before the header
      const created = createRowImporter(mapping, csvRow.cells);
      if (created.ok) importer = created.value;
      else failure = created.issues[0];
    }
  }

  return {
    write(chunk) {
      if (failure !== undefined) return false;
      failure = sniff(chunk);
      if (failure === undefined) take(reader.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })));
      return failure === undefined;
    },
    end() {
      if (failure === undefined) {
        take(reader.write(decoder.decode()));
        take(reader.end());
      }
      if (failure !== undefined) return fail([failure]);
      if (importer === undefined) return fail([csvProblem('import.no-header', 'has no header row (the first row names the columns)')]);
      return ok(importer.finish());
    },
  };
}

/**
 * Imports a clinic's CSV export of encounters through a mapping: each row becomes an `encounter`
 * record checked by {@link parsePeerEncounter} (and, when the mapping asks, one `peer` record per
 * distinct peer). A bad row is reported by row, column, field and code — never by a cell's value —
 * and left out; the good rows are kept. The CSV is read chunk by chunk as the source yields it.
 *
 * Deterministic: the same CSV and mapping give the same records and issues. No clock is read; local
 * times become ISO 8601 with the mapping's offset or time zone (from the runtime's `Intl` data).
 *
 * @param csv - the CSV: a string, or text or UTF-8 byte chunks (a Node.js `fs.createReadStream(path)`,
 *   a web `ReadableStream`, an array of strings)
 * @param mapping - a mapping checked by {@link parseCsvMapping}
 * @param options - see {@link ImportCsvOptions}
 * @returns `{ records, issues, rows, imported, rejected, byKind }` (`records`: the mapping's own
 *   records, then the peers, then the encounters in row order), or one issue when nothing could be
 *   imported: `import.not-text`, `import.not-utf8`, `import.no-header`, `import.unreadable-header`
 *   (their messages read after the file's name, and their `path` is empty), or
 *   `import.missing-column`, `import.duplicate-column`, `import.invalid-mapping` (`path` is in the
 *   mapping)
 * @example
 * const mapping = parseCsvMapping(JSON.parse(mappingText));
 * if (!mapping.ok) throw new Error(mapping.issues[0]?.message);
 * const imported = await importCsv(csvText, mapping.value);
 * if (imported.ok) {
 *   const ndjson = toClinicExport(imported.value.records);
 *   for (const i of imported.value.issues) console.log(`row ${i.row} ${i.column ?? '-'} ${i.field} ${i.code}`);
 * }
 * See: packages/cli/README.md, "peerkit import"
 */
export async function importCsv(
  csv: string | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
  mapping: CsvMapping,
  options: ImportCsvOptions = {},
): Promise<Result<CsvImportResult>> {
  const csvImport = createCsvImport(mapping, options);
  if (typeof csv === 'string') {
    csvImport.write(csv);
  } else {
    for await (const chunk of csv) {
      if (!csvImport.write(chunk)) break;
    }
  }
  return csvImport.end();
}
