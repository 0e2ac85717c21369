import { describe, expect, it } from 'vitest';
import { GOOD, HEADER, MAPPING, type Row } from '../__fixtures__/csv-import';
import { toOperationOutcome } from '../result';
import { createCsvImport, importCsv } from './import-csv';
import { parseCsvMapping, type CsvMapping } from './mapping';

/** One CSV line: the good row with `patch`, cells quoted as RFC 4180 wants. */
const line = (patch: Partial<Row> = {}): string =>
  HEADER.map((h) => ({ ...GOOD, ...patch })[h] ?? '')
    .map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell))
    .join(',');
const HEADER_LINE = HEADER.join(',');

function mapping(patch: Record<string, unknown> = {}): CsvMapping {
  const checked = parseCsvMapping(JSON.parse(JSON.stringify({ ...MAPPING, ...patch })));
  if (!checked.ok) throw new Error(checked.issues[0]?.message);
  return checked.value;
}

const CSV = `${[HEADER_LINE, line(), '', line({ Visit: 'V-2', Note: 'two\nlines' }), line({ Visit: 'V-3', Date: '02/30/2026' })].join('\r\n')}\r\n`;

async function* bytes(text: string, size: number): AsyncGenerator<Uint8Array> {
  const all = new TextEncoder().encode(text);
  for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
}

describe('importCsv', () => {
  it('imports the good rows and reports the bad ones by row, line, column and field', async () => {
    const imported = await importCsv(CSV, mapping());
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    const { records, issues, ...counts } = imported.value;
    expect(counts).toEqual({ rows: 3, imported: 2, rejected: 1, byKind: { organization: 1, peer: 1, encounter: 2 } });
    expect(records.map((r) => `${r.kind}:${r.id}`)).toEqual(['organization:org-1', 'peer:C-1', 'encounter:V-1', 'encounter:V-2']);
    // Row 5 (the blank row 3 counts) starts on line 6 (row 4's note spans two lines); its date does not exist.
    expect(issues).toEqual([
      { row: 5, line: 6, column: 'Date', field: 'date', code: 'import.invalid-date', severity: 'error', message: expect.any(String), path: ['date'] },
    ]);
    expect(JSON.stringify(issues)).not.toContain('02/30');
  });

  it('gives the same result for a string, text chunks and UTF-8 bytes cut anywhere', async () => {
    const text = `\uFEFF${CSV.replaceAll('Looked', 'Lookéd 😀')}`;
    const whole = await importCsv(text, mapping());
    for (const source of [[...text], bytes(text, 1), bytes(text, 7)]) {
      expect(await importCsv(source, mapping())).toEqual(whole);
    }
    expect(whole.ok && whole.value.records.find((r) => r.id === 'V-1')).toMatchObject({ note: { text: 'Lookéd 😀 at job listings together.' } });
  });

  it('reports a row over maxRowLength and imports the rows after it', async () => {
    const imported = await importCsv([HEADER_LINE, line({ Note: 'x'.repeat(500) }), line({ Visit: 'V-2' })].join('\n'), mapping(), { maxRowLength: 400 });
    expect(imported.ok && imported.value.issues.map((i) => [i.row, i.code, i.message])).toEqual([
      [2, 'import.unreadable-row', 'The CSV parser could not read this row (CSV_MAX_RECORD_SIZE): check its quotes and delimiters'],
    ]);
    expect(imported.ok && imported.value.records.map((r) => r.id)).toEqual(['org-1', 'C-1', 'V-2']);
  });

  it('reports a quote that never closes on its row, keeping the rows before it', async () => {
    const imported = await importCsv([HEADER_LINE, line(), 'V-2,C-1,"MRN-1', 'V-3,C-1,MRN-1'].join('\n'), mapping());
    expect(imported.ok && imported.value.issues).toEqual([
      expect.objectContaining({ row: 3, line: 3, field: '-', path: [], code: 'import.unreadable-row' }),
    ]);
    expect(imported.ok && imported.value.records.map((r) => r.id)).toEqual(['org-1', 'C-1', 'V-1']);
  });

  it.each([
    ['an empty CSV', '', 'import.no-header', 'has no header row (the first row names the columns)', []],
    ['blank lines only', '\n \n', 'import.no-header', 'has no header row (the first row names the columns)', []],
    ['a header row that cannot be read', '\n"Visit,Client\n', 'import.unreadable-header', 'cannot read the header row as CSV (CSV_QUOTE_NOT_CLOSED)', []],
    ['a mapped column missing', HEADER_LINE.replace('Staff', 'Worker'), 'import.missing-column', 'columns.specialistId: the CSV has no column named "Staff"', ['columns', 'specialistId']],
    ['text with NUL characters', `${HEADER_LINE}\n\u0000\u0000`, 'import.not-text', 'is not a text file (it contains NUL bytes); expected a CSV export', []],
  ])('fails with one issue for %s', async (_name, csv, code, message, path) => {
    expect(await importCsv(csv, mapping())).toEqual({ ok: false, issues: [{ severity: 'error', code, path, message }] });
  });

  it('fails for UTF-16 bytes', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...HEADER_LINE].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(await importCsv([utf16], mapping())).toEqual({
      ok: false,
      issues: [{ severity: 'error', code: 'import.not-utf8', path: [], message: 'is UTF-16 text; save the CSV as UTF-8' }],
    });
  });

  it('stops reading the source once the import has failed', async () => {
    let read = 0;
    async function* chunks(): AsyncGenerator<string> {
      for (const chunk of [`${HEADER_LINE.replace('Visit', 'Id')}\n`, `${line()}\n`, `${line({ Visit: 'V-2' })}\n`]) {
        read++;
        yield chunk;
      }
    }
    const imported = await importCsv(chunks(), mapping());
    expect(imported.ok ? [] : imported.issues.map((i) => i.code)).toEqual(['import.missing-column']);
    expect(read).toBe(1);
  });

  it('returns issues a FHIR OperationOutcome can carry', async () => {
    const imported = await importCsv(CSV, mapping());
    if (!imported.ok) throw new Error('expected an import');
    expect(toOperationOutcome(imported.value.issues).issue).toEqual([expect.objectContaining({ severity: 'error', expression: ['date'], diagnostics: 'line 6: date' })]);
  });

  it('does not mutate the mapping', async () => {
    const deepFreeze = <T>(value: T): T => {
      if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const child of Object.values(value)) deepFreeze(child);
      }
      return value;
    };
    const frozen = deepFreeze(mapping());
    const before = JSON.stringify(frozen);
    const imported = await importCsv(CSV, frozen);
    expect(imported.ok && imported.value.byKind).toEqual({ organization: 1, peer: 1, encounter: 2 });
    expect(JSON.stringify(frozen)).toBe(before);
  });
});

describe('createCsvImport', () => {
  it('takes chunks as they are pushed and says when it needs no more', () => {
    const csvImport = createCsvImport(mapping());
    expect(csvImport.write(CSV.slice(0, 50))).toBe(true);
    expect(csvImport.write(CSV.slice(50))).toBe(true);
    const result = csvImport.end();
    expect(result.ok && result.value.imported).toBe(2);

    const failing = createCsvImport(mapping());
    expect(failing.write('Nothing,Mapped\n')).toBe(false);
    expect(failing.write(CSV)).toBe(false);
    expect(failing.end()).toMatchObject({ ok: false, issues: [{ code: 'import.missing-column' }] });
  });
});
