import { describe, expect, it } from 'vitest';
import { CSV_MAPPING_FORMAT, parseCsvMapping } from './mapping';

/** A minimal valid mapping: ISO date-times, codes as PeerKit writes them. */
export const BASE = {
  format: CSV_MAPPING_FORMAT,
  columns: {
    id: 'Visit',
    peerId: 'Client',
    specialistId: 'Staff',
    start: 'Start',
    modality: 'Modality',
  },
  defaults: { programId: 'prog-mh', programType: 'mental-health', status: 'completed', setting: 'community' },
};

function withPatch(patch: Record<string, unknown>): Record<string, unknown> {
  return { ...BASE, ...patch };
}

describe('parseCsvMapping', () => {
  it('accepts a minimal mapping and fills in the defaults', () => {
    const checked = parseCsvMapping(BASE);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.value.delimiter).toBe(',');
    expect(checked.value.listSeparator).toBe(';');
    expect(checked.value.dateFormat.source).toBe('YYYY-MM-DD');
    expect(checked.value.dateTimeFormat).toBeUndefined();
    expect(checked.value.columns.modality).toEqual({ column: 'Modality' });
  });

  it('accepts separate date and time columns with a time zone, values and templates', () => {
    const { start: _start, ...columns } = BASE.columns;
    const checked = parseCsvMapping({
      ...BASE,
      dateFormat: 'MM/DD/YYYY',
      timeFormat: 'h:mm A',
      timeZone: 'America/Chicago',
      csv: { delimiter: ';', listSeparator: '|' },
      columns: { ...columns, date: 'Date', startTime: 'From', endTime: 'To', modality: { column: 'How', values: { F2F: 'in-person' } }, peerId: { column: 'Client', template: 'c-{value}' } },
      peers: { columns: { 'patient.reference': { column: 'EHR id', template: 'Patient/{value}' } } },
    });
    expect(checked.ok ? 'ok' : checked.issues).toBe('ok');
    if (!checked.ok) return;
    expect(checked.value.zone).toEqual({ timeZone: 'America/Chicago' });
    expect(checked.value.peers?.columns['patient.reference']).toEqual({ column: 'EHR id', template: 'Patient/{value}' });
  });

  it.each([
    ['not an object', [], 'must be a JSON object'],
    ['wrong format', withPatch({ format: 'other/1' }), 'format must be "peerkit-csv-mapping/1"'],
    ['unknown key', withPatch({ colums: {} }), 'colums: unknown key'],
    ['other record kind', withPatch({ record: 'referral' }), 'record: import reads encounters only'],
    ['unknown field', withPatch({ columns: { ...BASE.columns, mood: 'Mood' } }), 'columns.mood: import knows no field'],
    ['empty column name', withPatch({ columns: { ...BASE.columns, modality: ' ' } }), 'columns.modality: the column name is empty'],
    ['no id column', withPatch({ columns: { ...BASE.columns, id: undefined } }), 'columns.id is required'],
    ['bad code in values', withPatch({ columns: { ...BASE.columns, modality: { column: 'M', values: { F2F: 'face-to-face' } } } }), 'columns.modality.values["F2F"] is not among the modality codes'],
    ['values on a number', withPatch({ columns: { ...BASE.columns, durationMinutes: { column: 'Min', values: { a: '1' } } } }), 'integer fields take no value translations'],
    ['template without {value}', withPatch({ columns: { ...BASE.columns, peerId: { column: 'C', template: 'Patient/' } } }), 'template must be a string containing {value}'],
    ['both start and date', withPatch({ columns: { ...BASE.columns, date: 'D', startTime: 'T' } }), 'give either start'],
    ['date without startTime', withPatch({ columns: { ...BASE.columns, start: undefined, date: 'D' }, timeZoneOffset: '-05:00' }), 'columns.startTime is required'],
    ['no status', withPatch({ defaults: { ...BASE.defaults, status: undefined } }), 'columns.status or defaults.status is required'],
    ['default that is not a code', withPatch({ defaults: { ...BASE.defaults, setting: 'café' } }), 'defaults.setting is not among the setting codes'],
    ['default for a per-row field', withPatch({ defaults: { ...BASE.defaults, 'note.text': 'x' } }), 'defaults.note.text: this field cannot have a default'],
    ['default of the wrong type', withPatch({ defaults: { ...BASE.defaults, durationMinutes: '30' } }), 'defaults.durationMinutes must be a whole number'],
    ['list default with a bad code', withPatch({ defaults: { ...BASE.defaults, activities: ['chatting'] } }), 'defaults.activities has a value not among the activities codes'],
    ['bad date format', withPatch({ dateFormat: 'DD/MM' }), 'dateFormat needs YYYY'],
    ['12-hour time without A', withPatch({ timeFormat: 'h:mm' }), 'timeFormat uses a 12-hour hour'],
    ['local date-times without a zone', withPatch({ dateTimeFormat: 'MM/DD/YYYY HH:mm' }), 'timeZoneOffset or timeZone is required'],
    ['bad offset', withPatch({ timeZoneOffset: '-5' }), 'timeZoneOffset must be like'],
    ['unknown time zone', withPatch({ timeZone: 'Mars/Olympus_Mons' }), 'timeZone must be an IANA time zone'],
    ['offset and zone', withPatch({ timeZone: 'UTC', timeZoneOffset: 'Z' }), 'not both'],
    ['long delimiter', withPatch({ csv: { delimiter: '||' } }), 'csv.delimiter must be one character'],
    ['list separator equal to the delimiter', withPatch({ csv: { delimiter: ';' } }), 'csv.listSeparator must be'],
    ['records not objects', withPatch({ records: ['x'] }), 'records must be a list'],
    ['peers without a patient', withPatch({ peers: { columns: { birthDate: 'DOB' } } }), 'peers.columns needs patient.reference or patient.identifier.value'],
    ['coverage without member id', withPatch({ peers: { columns: { 'patient.reference': 'P', 'coverage.payerId': 'Payer' } } }), 'coverage needs both'],
  ])('rejects %s with a message naming the path', (_name, input, problem) => {
    const checked = parseCsvMapping(JSON.parse(JSON.stringify(input)));
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.issues).toEqual([{ severity: 'error', code: 'import.invalid-mapping', path: expect.any(Array), message: expect.stringContaining(problem) }]);
  });

  it.each([
    ['not an object', [], []],
    ['unknown top-level key', withPatch({ colums: {} }), ['colums']],
    ['unknown field', withPatch({ columns: { ...BASE.columns, 'note.mood': 'Mood' } }), ['columns', 'note.mood']],
    ['bad code in values', withPatch({ columns: { ...BASE.columns, modality: { column: 'M', values: { F2F: 'face-to-face' } } } }), ['columns', 'modality', 'values', 'F2F']],
    ['bad peer default', withPatch({ peers: { columns: { 'patient.reference': 'P' }, defaults: { preferredLanguage: 3 } } }), ['peers', 'defaults', 'preferredLanguage']],
    ['unknown time zone', withPatch({ timeZone: 'Mars/Olympus_Mons' }), ['timeZone']],
  ])('gives the JSON path of %s as the issue path', (_name, input, path) => {
    const checked = parseCsvMapping(input);
    expect(checked.ok ? [] : checked.issues.map((i) => i.path)).toEqual([path]);
  });

  it('ignores $-keys as comments', () => {
    const checked = parseCsvMapping({ ...BASE, $comment: 'x', columns: { ...BASE.columns, $note: 'y' } });
    expect(checked.ok).toBe(true);
  });
});
