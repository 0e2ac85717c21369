import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneLineError, peerkit, tempDir } from './helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

const HEADER = 'Visit ID,Client ID,MRN,Staff,Service Date,Start,End,Minutes,Contact Type,Services,Status,Progress Note,Signed';
// Synthetic rows; the note texts are markers a test can look for in the output.
const ROWS = [
  'V-1,C-1,MRN-1,S-1,01/12/2026,10:00 AM,10:50 AM,45,Face to face,Support;Navigation,Kept,"NOTE-ALPHA: looked at listings, chose two.",01/12/2026 12:00 PM',
  'V-2,C-2,MRN-2,S-1,07/13/2026,2:00 PM,2:30 PM,30,Phone,Support,Kept,NOTE-BRAVO phone check-in.,07/13/2026 3:00 PM',
];

const MAPPING = {
  format: 'peerkit-csv-mapping/1',
  dateFormat: 'MM/DD/YYYY',
  timeFormat: 'h:mm A',
  dateTimeFormat: 'MM/DD/YYYY h:mm A',
  timeZone: 'America/New_York',
  columns: {
    id: 'Visit ID',
    peerId: 'Client ID',
    specialistId: 'Staff',
    date: 'Service Date',
    startTime: 'Start',
    endTime: 'End',
    durationMinutes: 'Minutes',
    modality: { column: 'Contact Type', values: { 'Face to face': 'in-person', Phone: 'audio-only' } },
    activities: { column: 'Services', values: { Support: 'emotional-support', Navigation: 'resource-navigation' } },
    status: { column: 'Status', values: { Kept: 'completed' } },
    'note.text': 'Progress Note',
    'note.signedAt': 'Signed',
    'note.signedBy': 'Staff',
  },
  defaults: { programId: 'prog-mh', programType: 'mental-health', setting: 'community' },
  peers: { columns: { 'patient.identifier.value': 'MRN' }, defaults: { 'patient.identifier.system': 'https://ehr.example.org/mrn' } },
};

function write(name: string, text: string | Buffer): string {
  writeFileSync(join(dir, name), text);
  return name;
}

function csv(rows: readonly string[], eol = '\n'): string {
  return [HEADER, ...rows].join(eol) + eol;
}

function records(name: string): { kind: string; id: string; [k: string]: unknown }[] {
  return readFileSync(join(dir, name), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; id: string });
}

describe('peerkit import', () => {
  it('exits 0 and writes peers and encounters when every row imports', () => {
    write('map.json', JSON.stringify(MAPPING));
    const run = peerkit(['import', write('enc.csv', csv(ROWS)), '--map', 'map.json', '--out', 'clinic.ndjson'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('enc.csv: 2 rows read, 2 imported, 0 rejected');
    expect(run.stderr).toContain('wrote 4 records (2 peer, 2 encounter) to clinic.ndjson');
    const out = records('clinic.ndjson');
    expect(out.map((r) => `${r.kind}:${r.id}`)).toEqual(['peer:C-1', 'peer:C-2', 'encounter:V-1', 'encounter:V-2']);
    // January is EST, July EDT: the time zone's offset on each date.
    expect(out.filter((r) => r.kind === 'encounter').map((r) => r.start)).toEqual(['2026-01-12T10:00:00-05:00', '2026-07-13T14:00:00-04:00']);
    // The output is a clinic export the validator accepts.
    const validate = peerkit(['validate', 'clinic.ndjson', '--json'], dir);
    expect(JSON.parse(validate.stdout)).toMatchObject({ valid: 4, invalid: 0 });
  });

  it('exits 1, still writes the good rows, and names row, column, field and code of each bad one', () => {
    write('map.json', JSON.stringify(MAPPING));
    const file = write(
      'enc.csv',
      csv([
        ROWS[0] ?? '',
        'V-3,C-3,MRN-3,S-1,02/30/2026,10:00 AM,10:50 AM,45,Face to face,Support,Kept,NOTE-CHARLIE,02/28/2026 12:00 PM',
        '',
        'V-4,C-4,MRN-4,S-1,03/02/2026,10:00 AM,10:50 AM,lots,Telepathy,Support,Kept,NOTE-DELTA,03/02/2026 12:00 PM',
        'V-5,C-5,MRN-5,S-1,03/02/2026,10:00 AM,10:50 AM,45,Face to face,Support,Kept,NOTE-ECHO, with an unquoted comma,03/02/2026 12:00 PM',
        ROWS[1] ?? '',
      ]),
    );
    const run = peerkit(['import', file, '--map', 'map.json', '--out', 'clinic.ndjson'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('enc.csv: 5 rows read, 2 imported, 3 rejected');
    expect(run.stderr).toMatch(/^row 3\s+Service Date\s+date\s+import\.invalid-date\s/m);
    expect(run.stderr).toMatch(/^row 5\s+Minutes\s+durationMinutes\s+import\.invalid-number\s/m);
    expect(run.stderr).toMatch(/^row 5\s+Contact Type\s+modality\s+schema\.invalid-value\s/m);
    expect(run.stderr).toMatch(/^row 6\s+-\s+-\s+import\.column-count\s/m);
    expect(records('clinic.ndjson').filter((r) => r.kind === 'encounter').map((r) => r.id)).toEqual(['V-1', 'V-2']);
    // Never a cell value: no note text, no invalid value, no identifier.
    for (const secret of ['NOTE-', 'Telepathy', 'lots', '02/30', 'MRN-']) expect(run.stderr).not.toContain(secret);
  });

  it('--json prints one object with every issue', () => {
    write('map.json', JSON.stringify(MAPPING));
    const bad = Array.from({ length: 60 }, (_, i) => `V-${i + 10},C-1,MRN-1,S-1,01/12/2026,10:00 AM,10:50 AM,x,Face to face,Support,Kept,NOTE-FOXTROT,01/12/2026 12:00 PM`);
    const run = peerkit(['import', write('enc.csv', csv([...ROWS, ...bad])), '--map', 'map.json', '--out', 'clinic.ndjson', '--json'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { rows: number; imported: number; rejected: number; issues: { row: number; column: string; code: string }[]; exitCode: number };
    expect(report).toMatchObject({ rows: 62, imported: 2, rejected: 60, exitCode: 1, byKind: { peer: 2, encounter: 2 } });
    expect(report.issues).toHaveLength(60);
    expect(report.issues[59]).toMatchObject({ row: 63, line: 63, column: 'Minutes', field: 'durationMinutes', code: 'import.invalid-number' });
    expect(run.stdout).not.toContain('NOTE-');
  });

  it('reads quoted cells with line breaks (as Excel writes them: LF in a cell, CRLF between rows), a BOM and another delimiter, and numbers rows as a spreadsheet does', () => {
    write('map.json', JSON.stringify({ ...MAPPING, csv: { delimiter: ';', listSeparator: '|' } }));
    const semi = (line: string): string => line.replaceAll(';', '|').replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g, ';');
    const rows = [
      semi('V-1,C-1,MRN-1,S-1,01/12/2026,10:00 AM,10:50 AM,45,Face to face,Support;Navigation,Kept,"NOTE-GOLF line one\nline two, with ""quotes""",01/12/2026 12:00 PM'),
      semi('V-2,C-2,MRN-2,S-1,01/13/2026,2:00 PM,2:30 PM,30,Phone,Support,Kept,NOTE-HOTEL,01/13/2026 25:00 PM'),
    ];
    const text = `\uFEFF${[semi(HEADER), ...rows].join('\r\n')}\r\n`;
    const run = peerkit(['import', write('enc.csv', text), '--map', 'map.json', '--out', 'clinic.ndjson', '--json'], dir);
    const report = JSON.parse(run.stdout) as { issues: { row: number; line: number; code: string }[] };
    // The second data row starts on line 4: the first one spans lines 2 and 3.
    expect(report.issues).toEqual([expect.objectContaining({ row: 3, line: 4, code: 'import.invalid-date-time' })]);
    const [first] = records('clinic.ndjson').filter((r) => r.kind === 'encounter');
    expect(first).toMatchObject({ note: { text: 'NOTE-GOLF line one\nline two, with "quotes"' }, activities: ['emotional-support', 'resource-navigation'] });
  });

  it('reports a quote that never closes and keeps the rows before it', () => {
    write('map.json', JSON.stringify(MAPPING));
    const broken = 'V-9,C-9,MRN-9,S-1,01/12/2026,10:00 AM,10:50 AM,45,Face to face,Support,Kept,"NOTE-INDIA never closed,01/12/2026 12:00 PM';
    const run = peerkit(['import', write('enc.csv', csv([ROWS[0] ?? '', broken, ROWS[1] ?? ''])), '--map', 'map.json', '--out', 'clinic.ndjson'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^row 3\s+-\s+-\s+import\.unreadable-row\s+A quote opened in this row is never closed/m);
    expect(records('clinic.ndjson').filter((r) => r.kind === 'encounter').map((r) => r.id)).toEqual(['V-1']);
    expect(run.stderr).not.toContain('NOTE-');
  });

  it('writes the clinic export to standard output without --out', () => {
    write('map.json', JSON.stringify(MAPPING));
    const run = peerkit(['import', write('enc.csv', csv(ROWS)), '--map', 'map.json'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual(['peer', 'peer', 'encounter', 'encounter']);
    expect(run.stderr).toContain('to standard output');
  });

  it('exits 0 for a header with no rows', () => {
    write('map.json', JSON.stringify(MAPPING));
    const run = peerkit(['import', write('enc.csv', `${HEADER}\n`), '--map', 'map.json', '--out', 'clinic.ndjson'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('0 rows read');
    expect(readFileSync(join(dir, 'clinic.ndjson'), 'utf8')).toBe('');
  });

  it.each([
    ['no arguments', () => ['import'], /^peerkit: import needs the CSV file to read$/],
    ['no --map', () => ['import', write('enc.csv', csv(ROWS))], /^peerkit: import needs --map <mapping\.json>$/],
    ['--json without --out', () => ['import', write('enc.csv', csv(ROWS)), '--map', write('map.json', JSON.stringify(MAPPING)), '--json'], /^peerkit: --json needs --out/],
    ['a missing CSV', () => ['import', 'nope.csv', '--map', write('map.json', JSON.stringify(MAPPING))], /^peerkit: nope\.csv: no such file$/],
    ['a missing mapping', () => ['import', write('enc.csv', csv(ROWS)), '--map', 'nope.json'], /^peerkit: nope\.json: no such file$/],
    ['a mapping that is not JSON', () => ['import', write('enc.csv', csv(ROWS)), '--map', write('map.json', '{ columns: ')], /^peerkit: map\.json: is not valid JSON/],
    ['a bad mapping', () => ['import', write('enc.csv', csv(ROWS)), '--map', write('map.json', JSON.stringify({ ...MAPPING, timeZone: 'Nowhere/Else' }))], /^peerkit: map\.json: timeZone must be an IANA time zone/],
    ['a column the CSV lacks', () => ['import', write('enc.csv', csv(ROWS).replace('Minutes', 'Mins')), '--map', write('map.json', JSON.stringify(MAPPING))], /^peerkit: map\.json: columns\.durationMinutes: the CSV has no column named "Minutes" \(enc\.csv\)$/],
    ['an empty file', () => ['import', write('enc.csv', ''), '--map', write('map.json', JSON.stringify(MAPPING))], /^peerkit: enc\.csv: has no header row/],
    ['a binary file', () => ['import', write('enc.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0])), '--map', write('map.json', JSON.stringify(MAPPING))], /^peerkit: enc\.csv: is not a text file/],
    ['a UTF-16 file', () => ['import', write('enc.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(ROWS), 'utf16le')])), '--map', write('map.json', JSON.stringify(MAPPING))], /^peerkit: enc\.csv: is UTF-16 text; save the CSV as UTF-8$/],
    ['a directory', () => { mkdirSync(join(dir, 'folder.csv')); return ['import', 'folder.csv', '--map', write('map.json', JSON.stringify(MAPPING))]; }, /^peerkit: folder\.csv: is a directory/],
    ['an output folder that does not exist', () => ['import', write('enc.csv', csv(ROWS)), '--map', write('map.json', JSON.stringify(MAPPING)), '--out', 'no/such/dir.ndjson'], /^peerkit: no\/such\/dir\.ndjson: cannot write: its directory does not exist$/],
  ])('exits 2 with one line for %s', (_name, args, message) => {
    const run = peerkit(args(), dir);
    expect(run.code).toBe(2);
    expect(oneLineError({ ...run, stderr: run.stderr.split('\n').filter((l) => !l.startsWith('usage:')).join('\n') })).toMatch(message);
    expect(existsSync(join(dir, 'clinic.ndjson'))).toBe(false);
  });

  it('--help prints the options and the exit codes', () => {
    const run = peerkit(['import', '--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('usage: peerkit import <encounters.csv> --map <mapping.json>');
    expect(run.stdout).toContain('Exit codes: 0 every row imported');
  });
});
