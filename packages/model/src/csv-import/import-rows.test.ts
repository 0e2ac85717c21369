import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GOOD, HEADER, MAPPING, ORGANIZATION, type Row } from '../__fixtures__/csv-import';
import { fail } from '../result';
import { createRowImporter, type CsvImportResult, type RowImporter } from './import-rows';
import { parseCsvMapping, type CsvMapping } from './mapping';

function mapping(patch: Record<string, unknown> = {}): CsvMapping {
  const checked = parseCsvMapping(JSON.parse(JSON.stringify({ ...MAPPING, ...patch })));
  if (!checked.ok) throw new Error(checked.issues[0]?.message);
  return checked.value;
}

function importer(m: CsvMapping = mapping(), header: readonly string[] = HEADER): RowImporter {
  const created = createRowImporter(m, header);
  if (!created.ok) throw new Error(created.issues[0]?.message);
  return created.value;
}

function run(rows: readonly Partial<Row>[], m?: CsvMapping): CsvImportResult {
  const imp = importer(m);
  rows.forEach((r, i) => imp.add(HEADER.map((h) => ({ ...GOOD, ...r })[h] ?? ''), { row: i + 2, line: i + 2 }));
  return imp.finish();
}

const encounters = (result: CsvImportResult) => result.records.filter((r) => r.kind === 'encounter');

describe('createRowImporter', () => {
  it('turns a row into an encounter record in the clinic\'s offset', () => {
    const result = run([{}]);
    expect(result.issues).toEqual([]);
    expect(result).toMatchObject({ rows: 1, imported: 1, rejected: 0, byKind: { organization: 1, peer: 1, encounter: 1 } });
    expect(encounters(result)[0]).toEqual({
      kind: 'encounter',
      id: 'V-1',
      peerId: 'C-1',
      specialistId: 'S-1',
      programId: 'prog-mh',
      programType: 'mental-health',
      status: 'completed',
      start: '2026-01-12T10:00:00-05:00',
      end: '2026-01-12T10:50:00-05:00',
      durationMinutes: 45,
      modality: 'in-person',
      setting: 'community',
      activities: ['emotional-support', 'resource-navigation'],
      goalIds: [],
      note: { text: 'Looked at job listings together.', signedAt: '2026-01-12T12:00:00-05:00', signedBy: 'S-1' },
      crisis: { indicated: false, actions: [] },
      referralIds: [],
    });
  });

  it('writes the mapping\'s records first, then one peer per distinct peer, then the encounters', () => {
    const result = run([{ Client: 'C-2', MRN: 'MRN-2', Visit: 'V-1' }, { Visit: 'V-2', Date: '01/05/2026', Signed: '01/05/2026 12:00 PM' }, { Visit: 'V-3', Program: 'prog-sud', Date: '02/01/2026', Signed: '02/01/2026 12:00 PM' }]);
    expect(result.issues).toEqual([]);
    expect(result.records.map((r) => `${r.kind}:${r.id}`)).toEqual(['organization:org-1', 'peer:C-2', 'peer:C-1', 'encounter:V-1', 'encounter:V-2', 'encounter:V-3']);
    const peer = result.records.find((r) => r.kind === 'peer' && r.id === 'C-1');
    expect(peer).toMatchObject({
      patient: { identifier: { system: 'https://ehr.example.org/org-1/mrn', value: 'MRN-1' } },
      // One enrollment per program, from the first encounter in it; the program type from the organization.
      enrollments: [
        { programId: 'prog-mh', programType: 'mental-health', start: '2026-01-05' },
        { programId: 'prog-sud', programType: 'substance-use', start: '2026-02-01' },
      ],
    });
  });

  it('reads codes ignoring case and translations ignoring case and spaces', () => {
    const result = run([{ How: 'phone', Services: 'support;NAV;goal-planning', Status: 'KEPT' }, { Visit: 'V-2', How: 'Video' }]);
    expect(result.issues).toEqual([]);
    expect(encounters(result).map((e) => e.kind === 'encounter' && [e.modality, e.activities])).toEqual([
      ['audio-only', ['emotional-support', 'resource-navigation', 'goal-planning']],
      ['video', ['emotional-support', 'resource-navigation']],
    ]);
  });

  it('keeps note text as written and skips blank rows without counting them', () => {
    const imp = importer();
    imp.add(HEADER.map(() => ''), { row: 2, line: 2 });
    imp.add(HEADER.map((h) => ({ ...GOOD, Note: '  two spaces first\nand a second line ' })[h] ?? ''), { row: 3, line: 3 });
    const result = imp.finish();
    expect(result.rows).toBe(1);
    expect(encounters(result)[0]).toMatchObject({ note: { text: '  two spaces first\nand a second line ' } });
  });

  it('makes no note from signature cells alone (a no-show)', () => {
    const result = run([{ Status: 'No show', Note: '', Signed: '', Minutes: '', Services: '' }]);
    expect(encounters(result)[0]).not.toHaveProperty('note');
    expect(result.issues.map((i) => i.code)).toEqual(['encounter.status-reason-missing']);
    expect(result.imported).toBe(1);
  });

  it.each([
    [{ Date: '2026-01-12' }, 'date', 'Date', 'import.invalid-date'],
    [{ From: '10:00' }, 'startTime', 'From', 'import.invalid-time'],
    [{ Signed: 'yesterday' }, 'note.signedAt', 'Signed', 'import.invalid-date-time'],
    [{ Minutes: 'forty-five' }, 'durationMinutes', 'Minutes', 'import.invalid-number'],
    [{ Crisis: 'maybe' }, 'crisis.indicated', 'Crisis', 'import.invalid-boolean'],
    [{ How: 'Carrier pigeon' }, 'modality', 'How', 'schema.invalid-value'],
    [{ Visit: 'V 1' }, 'id', 'Visit', 'schema.invalid-format'],
    [{ To: '9:00 AM' }, 'end', 'Date, To', 'encounter.end-before-start'],
    [{ Program: 'prog-x' }, 'programId', 'Program', 'import.unknown-program'],
    [{ Client: '' }, 'peerId', 'Client', 'schema.required'],
    [{ Note: '' }, 'note', undefined, 'encounter.note-missing'],
  ])('rejects a row with %j: one issue naming field %s, column %s, code %s', (patch, field, column, code) => {
    const result = run([patch]);
    expect(result.issues).toEqual([{ row: 2, line: 2, field, code, severity: 'error', message: expect.any(String), path: field.split('.'), ...(column === undefined ? {} : { column }) }]);
    expect(result).toMatchObject({ rows: 1, imported: 0, rejected: 1 });
  });

  it('keeps rows with warnings', () => {
    const result = run([{ Signed: '' }]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'encounter.note-unsigned', severity: 'warning', field: 'note.signedAt' })]);
    expect(result.imported).toBe(1);
  });

  it('imports the first of two rows with the same id and rejects the second', () => {
    const result = run([{}, { Client: 'C-2' }]);
    expect(result.issues).toEqual([expect.objectContaining({ row: 3, field: 'id', column: 'Visit', code: 'import.duplicate-id' })]);
    expect(encounters(result).map((e) => e.kind === 'encounter' && e.peerId)).toEqual(['C-1']);
  });

  it('rejects a row whose cell count differs from the header', () => {
    const imp = importer();
    imp.add(['V-1', 'C-1'], { row: 2, line: 2 });
    imp.unreadable({ row: 3, line: 3 }, 'CSV_QUOTE_NOT_CLOSED');
    const result = imp.finish();
    expect(result.issues.map((i) => [i.row, i.field, i.code])).toEqual([
      [2, '-', 'import.column-count'],
      [3, '-', 'import.unreadable-row'],
    ]);
    expect(result).toMatchObject({ rows: 2, imported: 0, rejected: 2 });
  });

  it('warns when a later row gives a peer other details, keeping the first', () => {
    const result = run([{}, { Visit: 'V-2', MRN: 'MRN-9' }]);
    expect(result.issues).toEqual([expect.objectContaining({ row: 3, field: 'peer.patient.identifier.value', column: 'MRN', code: 'import.peer-conflict', severity: 'warning' })]);
    expect(result.records.find((r) => r.kind === 'peer')).toMatchObject({ patient: { identifier: { value: 'MRN-1' } } });
    expect(result.imported).toBe(2);
  });

  it('reports an invalid peer on the first row of that peer', () => {
    const late = run([{ Visit: 'V-1', MRN: '' }], mapping({ peers: { columns: { 'patient.identifier.value': 'MRN' } } }));
    expect(late.issues).toEqual([expect.objectContaining({ row: 2, field: 'peer.patient', code: 'peer.patient-unidentified', severity: 'error' })]);
    expect(late.byKind).toEqual({ organization: 1, encounter: 1 });
  });

  it('derives no peer for one the mapping\'s records already hold', () => {
    const fixedPeer = { kind: 'peer', id: 'C-1', patient: { reference: 'Patient/p1' }, enrollments: [{ programId: 'prog-mh', programType: 'mental-health', start: '2025-01-01' }] };
    const result = run([{}], mapping({ records: [ORGANIZATION, fixedPeer] }));
    expect(result.records.filter((r) => r.kind === 'peer')).toEqual([expect.objectContaining({ patient: { reference: 'Patient/p1' } })]);
  });

  it('needs every mapped column in the header, once', () => {
    expect(createRowImporter(mapping(), HEADER.filter((h) => h !== 'MRN'))).toEqual(
      fail([
        {
          severity: 'error',
          code: 'import.missing-column',
          path: ['peers', 'columns', 'patient.identifier.value'],
          message: 'peers.columns.patient.identifier.value: the CSV has no column named "MRN"',
        },
      ]),
    );
    expect(createRowImporter(mapping(), [...HEADER, ' Staff '])).toEqual(
      fail([{ severity: 'error', code: 'import.duplicate-column', path: ['columns', 'specialistId'], message: 'columns.specialistId: the CSV has two columns named "Staff"' }]),
    );
  });

  it('rejects an invalid record in the mapping\'s records', () => {
    const created = createRowImporter(mapping({ records: [{ ...ORGANIZATION, state: 'Ohio' }] }), HEADER);
    expect(created).toEqual(
      fail([{ severity: 'error', code: 'import.invalid-mapping', path: ['records', 0, 'state'], message: expect.stringMatching(/^records\[0\]: state schema\.invalid-format/) }]),
    );
  });

  it('never puts a cell value in an issue, and never throws, whatever the cells', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }).map((s) => `zq${s}`),
      fc.constantFrom('', ' ', '01/12/2026', '10:00 AM', 'F2F', 'Kept', 'yes', '45'),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: HEADER.length - 1, maxLength: HEADER.length + 1 }), { maxLength: 5 }), (rows) => {
        const imp = importer();
        rows.forEach((cells, i) => imp.add(cells, { row: i + 2, line: i + 2 }));
        const result = imp.finish();
        const secrets = rows.flat().filter((c) => c.startsWith('zq') && c.length > 3);
        for (const issue of result.issues) {
          const text = `${issue.field} ${issue.column ?? ''} ${issue.code} ${issue.message} ${issue.path.join('.')}`;
          for (const s of secrets) expect(text).not.toContain(s);
        }
        expect(result.imported + result.rejected).toBe(result.rows);
      }),
    );
  });
});
