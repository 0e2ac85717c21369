import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCsvReader, type CsvReaderOptions, type CsvRow } from './csv-reader';

const OPTIONS: CsvReaderOptions = { delimiter: ',', maxRowLength: 1_000_000 };

function readAll(chunks: readonly string[], options: CsvReaderOptions = OPTIONS): CsvRow[] {
  const reader = createCsvReader(options);
  return [...chunks.flatMap((chunk) => reader.write(chunk)), ...reader.end()];
}

/** The rows of `text`, as `line: cells` or `line: error`, for compact tables. */
function rows(text: string, options: CsvReaderOptions = OPTIONS): string[] {
  return readAll([text], options).map((r) => `${r.line}: ${'error' in r ? r.error : JSON.stringify(r.cells)}`);
}

/** RFC 4180: quote a cell holding the delimiter, a quote or a line break. */
const writeCell = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

describe('createCsvReader', () => {
  it.each([
    ['plain cells, LF', 'a,b\n1,2\n', ['1: ["a","b"]', '2: ["1","2"]']],
    ['CRLF and no line break at the end', 'a,b\r\n1,2', ['1: ["a","b"]', '2: ["1","2"]']],
    ['CR alone (classic Mac)', 'a,b\r1,2\r', ['1: ["a","b"]', '2: ["1","2"]']],
    ['empty cells', ',a,\n', ['1: ["","a",""]']],
    ['a blank line is a row of one empty cell', 'a\n\nb\n', ['1: ["a"]', '2: [""]', '3: ["b"]']],
    ['a quoted empty cell on the last line', 'a\n""', ['1: ["a"]', '2: [""]']],
    ['a quoted cell with the delimiter and a doubled quote', '"x, ""y""",z\n', ['1: ["x, \\"y\\"","z"]']],
    ['a quoted cell with line breaks (the next row starts on its line)', '"one\ntwo\r\nthree",b\r\nc\r\n', ['1: ["one\\ntwo\\r\\nthree","b"]', '4: ["c"]']],
    ['a UTF-8 byte-order mark is dropped', '\uFEFFa,b\n', ['1: ["a","b"]']],
    ['a quote inside an unquoted cell is text', '5" tall,b\n', ['1: ["5\\" tall","b"]']],
    ['a closing quote followed by text keeps the cell as written', '"a"b,c\n', ['1: ["\\"a\\"b","c"]']],
    ['a bare LF in a CRLF file is cell text', 'a,b\r\nnote\nmore,c\r\n', ['1: ["a","b"]', '2: ["note\\nmore","c"]']],
    ['a CR in an LF file stays in the cell', 'a,b\nc,d\r\n', ['1: ["a","b"]', '2: ["c","d\\r"]']],
    ['a quote never closed: the row and the rest are one error', 'a,b\n1,"open\n2,3\n', ['1: ["a","b"]', '2: CSV_QUOTE_NOT_CLOSED']],
    ['nothing', '', []],
    ['only a byte-order mark', '\uFEFF', []],
  ])('reads %s', (_name, text, expected) => {
    expect(rows(text)).toEqual(expected);
  });

  it('reads another delimiter, including one of two UTF-16 units', () => {
    expect(rows('a;"b;c"\n', { ...OPTIONS, delimiter: ';' })).toEqual(['1: ["a","b;c"]']);
    expect(rows('a\tb\n', { ...OPTIONS, delimiter: '\t' })).toEqual(['1: ["a","b"]']);
    expect(readAll(['a\u{1F600}', '\uD83D', '\uDE00b\n'], { ...OPTIONS, delimiter: '\u{1F600}' })).toEqual([{ line: 1, cells: ['a', '', 'b'] }]);
  });

  it('reports a row over the length limit and reads on', () => {
    const long = 'x'.repeat(30);
    expect(rows(`a,b\n${long},${long}\n"${long}\n${long}",c\nd,e\n`, { ...OPTIONS, maxRowLength: 40 })).toEqual([
      '1: ["a","b"]',
      '2: CSV_MAX_RECORD_SIZE',
      '3: CSV_MAX_RECORD_SIZE',
      '5: ["d","e"]',
    ]);
  });

  it('gives the same rows however the text is cut into chunks', () => {
    const alphabet = fc.constantFrom('a', 'b', ',', ';', '"', '\r', '\n', ' ', '\uFEFF', 'é');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }).map((cs) => cs.join('')), fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, i) => text.slice(start, points[i] ?? text.length));
        expect(readAll(chunks)).toEqual(readAll([text]));
        expect(readAll([...text])).toEqual(readAll([text]));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back any cells written as RFC 4180, with LF or CRLF between rows', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\r', '\n', 'ñ', '\t'), maxLength: 8 });
    const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(table, fc.constantFrom('\n', '\r\n'), (cells, eol) => {
        const text = cells.map((row) => row.map(writeCell).join(',')).join(eol) + eol;
        expect(readAll([text]).map((r) => ('cells' in r ? r.cells : r.error))).toEqual(cells);
      }),
    );
  });

  it('never throws, and numbers rows by the line they start on, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n'), maxLength: 80 }), (text) => {
        const read = readAll([text], { ...OPTIONS, maxRowLength: 10 });
        const lines = read.map((r) => r.line);
        expect([...lines].sort((a, b) => a - b)).toEqual(lines);
        for (const line of lines) expect(line).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length);
      }),
    );
  });
});
