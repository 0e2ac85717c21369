// ehr-integration: the code an EHR integrator writes. The host EHR keeps its own tables with its own
// column names and ids; this example turns a few of its rows into PeerKit records, validates them,
// maps them to FHIR R4, and reads the FHIR back into rows. All data here is synthetic.
//
//   npm start            (in this folder)   or   node examples/ehr-integration/index.mjs
import { fromFhir, toFhir } from '@peerkit/fhir';
import { formatPath, parseRecord } from '@peerkit/model';

const quiet = process.argv.includes('--quiet');
const log = (...args) => {
  if (!quiet) console.log(...args);
};

// ── 1. The host EHR's own rows (its tables, its ids, its codes) ────────────────────────────────────
const host = {
  clinic: { npi: '1234567893', name: 'Riverbend Behavioral Health', state: 'OH', idBase: 'https://ehr.example.org/riverbend' },
  programs: [{ prog_cd: 'PSS-MH', prog_nm: 'Peer Support (mental health)', sud: false }],
  staff: [{ staff_code: 'S-77', first: 'Morgan', last: 'Sampleton', level: 'CPS', cert_no: 'OH-CPS-1001', cert_from: '2025-02-01', cert_to: '2027-02-01', supervisor: 'S-01' }, { staff_code: 'S-01', first: 'Riley', last: 'Examplar', level: 'SUP', cert_no: 'OH-CPS-0001', cert_from: '2020-01-15', cert_to: '2026-12-31', supervisor: null }],
  patients: [{ pt_id: 'P-9001', mrn: 'MRN-9001', prog_cd: 'PSS-MH', admit: '2026-01-05', payer: 'medicaid-generic', member_no: 'OH-M-55501' }],
  visits: [
    { visit_no: 'V-1', pt_id: 'P-9001', staff_code: 'S-77', visit_dt: '2026-01-12', start_tm: '10:00', end_tm: '10:50', mins: 45, how: 'F2F', where: 'LIB', what: ['SUPPORT', 'NAV'], note_txt: 'Met at the library and looked at job listings together; peer chose two to apply for.', signed: '2026-01-12T12:00:00-05:00' },
    // A row with a data-entry error: it ends before it starts. PeerKit reports it and keeps the valid rows.
    { visit_no: 'V-2', pt_id: 'P-9001', staff_code: 'S-77', visit_dt: '2026-01-19', start_tm: '11:00', end_tm: '10:30', mins: 30, how: 'TEL', where: 'HOME', what: ['SUPPORT'], note_txt: 'Phone check-in.', signed: '2026-01-19T12:00:00-05:00' },
  ],
};

// ── 2. The integrator's mapping: host codes -> PeerKit codes (PeerKit exports the code lists) ─────
const MODALITY = { F2F: 'in-person', VID: 'video', TEL: 'audio-only' };
const SETTING = { LIB: 'community', HOME: 'home', OFF: 'clinic' };
const ACTIVITY = { SUPPORT: 'emotional-support', NAV: 'resource-navigation', GOALS: 'goal-planning' };
const LEVEL = { CPS: 'specialist', SUP: 'supervisor' };
const OFFSET = '-05:00'; // the clinic's local offset, as the host stores local times

const records = [
  {
    kind: 'organization',
    id: 'riverbend',
    name: host.clinic.name,
    identifiers: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: host.clinic.npi }],
    identifierSystem: host.clinic.idBase,
    state: host.clinic.state,
    programs: host.programs.map((p) => ({ id: p.prog_cd, name: p.prog_nm, type: p.sud ? 'substance-use' : 'mental-health', part2: p.sud })),
  },
  ...host.staff.map((s) => ({
    kind: 'specialist',
    id: s.staff_code,
    name: { given: [s.first], family: s.last },
    roleLevel: LEVEL[s.level],
    active: true,
    organizationId: 'riverbend',
    certifications: [{ credential: 'cps', issuer: 'Example State Certification Board', state: host.clinic.state, number: s.cert_no, issued: s.cert_from, expires: s.cert_to }],
    ...(s.supervisor ? { supervisorId: s.supervisor } : {}),
    caseloadLimit: 25,
  })),
  ...host.patients.map((p) => ({
    kind: 'peer',
    id: p.pt_id,
    // The host owns the Patient: PeerKit only references it.
    patient: { reference: `Patient/${p.pt_id}`, identifier: { system: `${host.clinic.idBase}/mrn`, value: p.mrn } },
    enrollments: [{ programId: p.prog_cd, programType: 'mental-health', start: p.admit }],
    coverage: [{ payerId: p.payer, memberId: p.member_no, start: p.admit }],
    primarySpecialistId: 'S-77',
  })),
  ...host.visits.map((v) => ({
    kind: 'encounter',
    id: v.visit_no,
    peerId: v.pt_id,
    specialistId: v.staff_code,
    programId: 'PSS-MH',
    programType: 'mental-health',
    status: 'completed',
    start: `${v.visit_dt}T${v.start_tm}:00${OFFSET}`,
    end: `${v.visit_dt}T${v.end_tm}:00${OFFSET}`,
    durationMinutes: v.mins,
    modality: MODALITY[v.how],
    setting: SETTING[v.where],
    activities: v.what.map((w) => ACTIVITY[w]),
    note: { text: v.note_txt, signedAt: v.signed, signedBy: v.staff_code },
  })),
];

// ── 3. Validate: bad rows become issues that name the field, never the value ─────────────────────
const valid = [];
for (const input of records) {
  const result = parseRecord(input);
  if (result.ok) valid.push(result.value);
  else for (const issue of result.issues) log(`row ${input.kind} ${input.id}: ${issue.code} at ${formatPath(issue.path)} — ${issue.message}`);
}
log(`\n${valid.length} of ${records.length} rows are valid PeerKit records`);

// ── 4. Map to FHIR R4 ─────────────────────────────────────────────────────────────────────────────
const fhir = toFhir(valid);
if (!fhir.ok) throw new Error('mapping failed');
const byType = {};
for (const r of fhir.value) byType[r.resourceType] = (byType[r.resourceType] ?? 0) + 1;
log('FHIR resources:', byType);
const encounter = fhir.value.find((r) => r.resourceType === 'Encounter');
log('\nThe visit as a FHIR Encounter (class, period, length, profile):');
log({ class: encounter.class.code, period: encounter.period, length: encounter.length, profile: encounter.meta.profile[0] });

// ── 5. And back: FHIR (from PeerKit or read from a server) -> records -> the host's rows ─────────
const back = fromFhir(fhir.value);
if (!back.ok) throw new Error('reverse mapping failed');
const rows = back.value
  .filter((r) => r.kind === 'encounter')
  .map((e) => ({
    visit_no: e.id,
    pt_id: e.peerId,
    staff_code: e.specialistId,
    visit_dt: e.start.slice(0, 10),
    start_tm: e.start.slice(11, 16),
    end_tm: e.end?.slice(11, 16),
    mins: e.durationMinutes,
    how: Object.keys(MODALITY).find((k) => MODALITY[k] === e.modality),
  }));
log('\nBack in the host tables:', rows);

// The smoke test run by `npm test`: the valid visit made the whole trip unchanged.
const original = host.visits[0];
const returned = rows.find((r) => r.visit_no === original.visit_no);
const same = returned && returned.start_tm === original.start_tm && returned.mins === original.mins && returned.how === original.how;
if (valid.length !== records.length - 1 || !same) {
  console.error('ehr-integration: the round trip did not give the same visit back');
  process.exit(1);
}
log('\nRound trip OK: the host row came back unchanged.');
