/**
 * CSV text → rows of cells, one chunk at a time (RFC 4180, read leniently the way clinics' exports
 * need): quoted cells may hold the delimiter, `""` for a quote and line breaks; a UTF-8 byte-order
 * mark is dropped; rows may have any number of cells (the importer reports a wrong count).
 *
 * Rows end at the first kind of line break seen outside quotes (`\r\n`, `\n` or `\r`): an export that
 * ends its rows in `\r\n` but writes a bare `\n` inside an unquoted note keeps that note in one row.
 * A quote inside an unquoted cell (`5" tall`) is text, and so is a closing quote followed by more text
 * (`"a"b` reads `"a"b`), so one stray quote does not derail the rows after it. A row that still cannot
 * be read (a quote never closed, or a row longer than the limit) is returned as an error and reading
 * goes on. Lines are counted as an editor shows them (`\r\n`, `\n` and `\r` each end one).
 *
 * See: https://www.rfc-editor.org/rfc/rfc4180
 */

/** Why a row could not be read (the codes csv-parse uses for the same problems). */
export type CsvReadErrorCode = 'CSV_QUOTE_NOT_CLOSED' | 'CSV_MAX_RECORD_SIZE';

/** One row: its cells, or why it could not be read; `line` is the line it starts on (1-based). */
export type CsvRow = { readonly line: number; readonly cells: string[] } | { readonly line: number; readonly error: CsvReadErrorCode };

/** How the CSV is written. */
export interface CsvReaderOptions {
  /** The cell delimiter: one character. */
  readonly delimiter: string;
  /** The longest row, in characters of its cells; a longer one is an error (`CSV_MAX_RECORD_SIZE`). */
  readonly maxRowLength: number;
}

/** Reads CSV text given in chunks of any size. */
export interface CsvReader {
  /** Reads a chunk; returns the rows it completed. */
  write(chunk: string): CsvRow[];
  /** Ends the text; returns the last row, if any. */
  end(): CsvRow[];
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const BOM = '\uFEFF';

/**
 * Creates a CSV reader.
 *
 * @param options - the delimiter and the row length limit
 * @returns a reader that takes chunks and returns the rows they complete
 * @example
 * const reader = createCsvReader({ delimiter: ',', maxRowLength: 1_000_000 });
 * reader.write('a,"b\nc"\r\n1,'); // [{ line: 1, cells: ['a', 'b\nc'] }]
 * reader.end(); // [{ line: 3, cells: ['1', ''] }]
 */
export function createCsvReader(options: CsvReaderOptions): CsvReader {
  const { delimiter, maxRowLength } = options;
  const first = delimiter.charCodeAt(0);
  let recordDelimiter: '\r\n' | '\n' | '\r' | undefined;
  let started = false; // the byte-order mark has been looked for
  let carry = ''; // the end of the last chunk, when a character there needs the next one to decide
  let inQuotes = false;
  let atFieldStart = true; // nothing of the current cell read yet: a quote here opens a quoted cell
  let field = '';
  let cells: string[] = [];
  let length = 0; // characters of the row's earlier cells
  let tooLong = false; // the row is over the limit: its text is dropped, its end still found
  let line = 1;
  let rowLine = 1;
  let afterCR = false; // the previous character was \r: a \n now ends the same line

  function read(text: string, final: boolean): CsvRow[] {
    const rows: CsvRow[] = [];
    let runStart = 0; // the current cell's text not yet added to `field` starts here
    const take = (to: number): void => {
      if (tooLong) return;
      field += text.slice(runStart, to);
      if (length + field.length > maxRowLength) {
        tooLong = true;
        field = '';
      }
    };
    const endCell = (): void => {
      cells.push(field);
      length += field.length;
      field = '';
      atFieldStart = true;
    };
    const endRow = (): void => {
      rows.push(tooLong ? { line: rowLine, error: 'CSV_MAX_RECORD_SIZE' } : { line: rowLine, cells });
      cells = [];
      length = 0;
      tooLong = false;
      rowLine = line;
    };
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (c === QUOTE) {
          // Decide with what follows: a second quote, the end of the cell or row, or more text.
          if (i + Math.max(delimiter.length, recordDelimiter?.length ?? 1) >= n && !final) break;
          const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
          take(i);
          if (next === QUOTE) {
            runStart = i + 1; // keep one quote
            i += 2;
            continue;
          }
          inQuotes = false;
          afterCR = false;
          i += 1;
          runStart = i;
          const rowEnds = recordDelimiter === undefined ? next === CR || next === LF : text.startsWith(recordDelimiter, i);
          if (next !== -1 && !rowEnds && !text.startsWith(delimiter, i) && !tooLong) {
            // Relaxed: text after the closing quote makes the cell text as written, quotes included.
            field = `"${field}"`;
          }
          continue;
        }
        if (c === CR) {
          line++;
          afterCR = true;
        } else {
          if (c === LF && !afterCR) line++;
          afterCR = false;
        }
        i++;
        continue;
      }
      if (c === first && (delimiter.length === 1 || text.startsWith(delimiter, i))) {
        take(i);
        endCell();
        afterCR = false;
        i += delimiter.length;
        runStart = i;
        continue;
      }
      if (c === first && i + delimiter.length > n && !final) break; // maybe a delimiter split across chunks
      if (c === QUOTE && atFieldStart) {
        inQuotes = true;
        atFieldStart = false;
        afterCR = false;
        i++;
        runStart = i;
        continue;
      }
      if (c === CR) {
        if (i + 1 >= n && !final) break; // is it \r\n?
        const crlf = i + 1 < n && text.charCodeAt(i + 1) === LF;
        recordDelimiter ??= crlf ? '\r\n' : '\r';
        line++;
        if ((recordDelimiter === '\r\n' && crlf) || recordDelimiter === '\r') {
          take(i);
          endCell();
          afterCR = recordDelimiter === '\r';
          i += recordDelimiter.length;
          endRow();
          runStart = i;
          continue;
        }
        afterCR = true;
        atFieldStart = false;
        i++;
        continue;
      }
      if (c === LF) {
        if (!afterCR) line++;
        afterCR = false;
        recordDelimiter ??= '\n';
        if (recordDelimiter === '\n') {
          take(i);
          endCell();
          i++;
          endRow();
          runStart = i;
          continue;
        }
        atFieldStart = false;
        i++;
        continue;
      }
      atFieldStart = false;
      afterCR = false;
      i++;
    }
    take(i);
    runStart = i;
    carry = text.slice(i);
    if (final) {
      if (inQuotes) {
        rows.push({ line: rowLine, error: 'CSV_QUOTE_NOT_CLOSED' });
      } else if (cells.length > 0 || !atFieldStart) {
        // The last row has no line break after it.
        endCell();
        endRow();
      }
    }
    return rows;
  }

  function withCarry(chunk: string): string {
    let text = carry + chunk;
    carry = '';
    if (!started && text !== '') {
      started = true;
      if (text.startsWith(BOM)) text = text.slice(BOM.length);
    }
    return text;
  }

  return {
    write: (chunk) => read(withCarry(chunk), false),
    end: () => read(withCarry(''), true),
  };
}
