/**
 * A synthetic clinic CSV export for the CSV import's tests: its header, one good row (by column),
 * the organization its rows refer to, and a mapping for it (US dates, 12-hour times, a fixed
 * offset, code translations, one peer per client). Every value is made up.
 */
import { CSV_MAPPING_FORMAT } from '../csv-import/mapping';

/** The header row. */
export const HEADER = ['Visit', 'Client', 'MRN', 'Staff', 'Date', 'From', 'To', 'Minutes', 'How', 'Services', 'Status', 'Note', 'Signed', 'Crisis', 'Program'];

/** The organization the rows' programs belong to. */
export const ORGANIZATION = {
  kind: 'organization',
  id: 'org-1',
  name: 'Example Peer Services',
  identifiers: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }],
  identifierSystem: 'https://ehr.example.org/org-1',
  state: 'OH',
  programs: [
    { id: 'prog-mh', name: 'Peer support', type: 'mental-health', part2: false },
    { id: 'prog-sud', name: 'Recovery coaching', type: 'substance-use', part2: true },
  ],
};

/** A mapping for the CSV (format `peerkit-csv-mapping/1`), unchecked. */
export const MAPPING = {
  format: CSV_MAPPING_FORMAT,
  dateFormat: 'MM/DD/YYYY',
  timeFormat: 'h:mm A',
  dateTimeFormat: 'MM/DD/YYYY h:mm A',
  timeZoneOffset: '-05:00',
  columns: {
    id: 'Visit',
    peerId: 'Client',
    specialistId: 'Staff',
    date: 'Date',
    startTime: 'From',
    endTime: 'To',
    durationMinutes: 'Minutes',
    modality: { column: 'How', values: { F2F: 'in-person', Phone: 'audio-only' } },
    activities: { column: 'Services', values: { Support: 'emotional-support', Nav: 'resource-navigation' } },
    status: { column: 'Status', values: { Kept: 'completed', 'No show': 'no-show' } },
    'note.text': 'Note',
    'note.signedAt': 'Signed',
    'note.signedBy': 'Staff',
    'crisis.indicated': 'Crisis',
    programId: 'Program',
  },
  defaults: { setting: 'community', programId: 'prog-mh' },
  records: [ORGANIZATION],
  peers: { columns: { 'patient.identifier.value': 'MRN' }, defaults: { 'patient.identifier.system': 'https://ehr.example.org/org-1/mrn' } },
};

/** A row, by column. */
export type Row = Record<(typeof HEADER)[number], string>;

/** A row that imports without an issue. */
export const GOOD: Row = {
  Visit: 'V-1',
  Client: 'C-1',
  MRN: 'MRN-1',
  Staff: 'S-1',
  Date: '01/12/2026',
  From: '10:00 AM',
  To: '10:50 AM',
  Minutes: '45',
  How: 'F2F',
  Services: 'Support; Nav',
  Status: 'Kept',
  Note: 'Looked at job listings together.',
  Signed: '01/12/2026 12:00 PM',
  Crisis: 'no',
  Program: '',
};
