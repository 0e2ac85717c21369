import type { AuditEvent, Bundle } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { MRN, NPI_A, NPI_B, PATIENT, PATIENT_MRN, peerkitPart2Disclosure } from '../__fixtures__/consents';
import { mhNote, part2Request, sudEncounter, sudNote } from '../__fixtures__/part2';
import { validateR4 } from '../__fixtures__/validate';
import { gateDisclosure } from '../disclosure/disclosure-gate';
import {
  collect,
  createDisclosureLedgerEntry,
  createMemoryDisclosureLedger,
  matchesLedgerQuery,
  readDisclosureRecord,
  toDisclosureLedgerEntry,
  type DisclosureLedgerInput,
} from './ledger';

const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const toA = part2Request({ actor: [NPI_A], purposeOfUse: ['COC'] });

const input = (patch: Partial<DisclosureLedgerInput> = {}): DisclosureLedgerInput => ({
  request: toA,
  decision: 'PERMIT',
  recorded: '2026-05-01T10:00:00Z',
  consents: ['Consent/pk-part2-a'],
  disclosed: { DocumentReference: 2, Encounter: 1 },
  labels: [{ system: ACT, code: 'SUD' }, { system: ACT, code: '42CFRPart2' }, { system: ACT, code: 'SUD' }],
  dataCategories: ['progress-notes', 'attendance'],
  part2: true,
  noticeAttached: true,
  channel: 'ehr',
  ...patch,
});

describe('createDisclosureLedgerEntry', () => {
  it('records who received, purpose, decision, consents, labels, categories and counts as a valid AuditEvent', () => {
    const event = createDisclosureLedgerEntry(input(), { id: 'led-1' });
    expect(() => validateR4(event)).not.toThrow();
    const record = readDisclosureRecord(event);
    expect(record).toMatchObject({
      id: 'led-1',
      recorded: '2026-05-01T10:00:00Z',
      decision: 'PERMIT',
      patient: [PATIENT],
      purposes: ['COC'],
      consents: ['Consent/pk-part2-a'],
      disclosed: { DocumentReference: 2, Encounter: 1 },
      total: 3,
      dataCategories: ['attendance', 'progress-notes'],
      part2: true,
      noticeAttached: true,
      channel: 'ehr',
    });
    expect(record?.recipients).toEqual([{ tokens: [`${NPI_A.system}|${NPI_A.value}`] }]);
    expect(record?.labels.map((l) => l.code)).toEqual(['SUD', '42CFRPart2']);
  });

  it('names the user who asked as requestor and the recipient as IRCP', () => {
    const event = createDisclosureLedgerEntry(input({ requestedBy: { reference: 'Practitioner/staff-1' } }));
    expect(event.agent.map((a) => [a.who?.reference ?? a.who?.identifier?.value, a.requestor])).toEqual([
      ['Practitioner/staff-1', true],
      [NPI_A.value, false],
    ]);
  });

  it('does not mutate its input', () => {
    const i = input();
    const before = JSON.stringify(i);
    createDisclosureLedgerEntry(i);
    expect(JSON.stringify(i)).toBe(before);
  });
});

describe('toDisclosureLedgerEntry', () => {
  const bundle: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [sudNote(), mhNote(), sudEncounter()].map((resource) => ({ resource })) };

  it('summarizes a gate run as types, counts and labels, never resource ids or content', () => {
    const result = gateDisclosure(bundle, [peerkitPart2Disclosure()], toA, { now: '2026-05-01' });
    const event = toDisclosureLedgerEntry(result, toA, { recorded: '2026-05-01T10:00:00Z', channel: 'ehr' });
    const text = JSON.stringify(event);
    expect(text).not.toContain('doc-sud');
    expect(text).not.toContain('enc-sud');
    expect(text).not.toContain('U1lOVEhFVElDIG5vdGU=');
    const record = readDisclosureRecord(event);
    expect(record?.decision).toBe(result.decision.decision);
    expect(record?.disclosed).toEqual(result.preview.disclosed);
    expect(record?.part2).toBe(true);
    expect(record?.consents).toEqual(['Consent/pk-part2-a']);
    expect(event.entity?.[1]?.detail?.some((d) => d.type.startsWith('withheld:DocumentReference'))).toBe(true);
  });
});

describe('matchesLedgerQuery', () => {
  const byRef = createDisclosureLedgerEntry(input());
  const byMrn = createDisclosureLedgerEntry(input({ request: { ...toA, patient: { identifier: [{ system: MRN, value: PATIENT_MRN.value as string }] } } }));
  const other: AuditEvent = { ...byRef, subtype: [{ system: 'https://example.org/other', code: 'x' }] };

  it.each([
    ['patient by reference', byRef, { patient: PATIENT }, true],
    ['patient by full URL', byRef, { patient: `https://fhir.example.org/r4/${PATIENT}` }, true],
    ['another patient', byRef, { patient: 'Patient/other' }, false],
    ['patient by identifier', byMrn, { patient: `${MRN}|${PATIENT_MRN.value}` }, true],
    ['patient by identifier value, any system', byMrn, { patient: `|${PATIENT_MRN.value}` }, true],
    ['recipient by identifier', byRef, { recipient: `${NPI_A.system}|${NPI_A.value}` }, true],
    ['another recipient', byRef, { recipient: `${NPI_B.system}|${NPI_B.value}` }, false],
    ['from the same day (a date counts from its first instant)', byRef, { from: '2026-05-01' }, true],
    ['to the same day (a date counts to its last instant)', byRef, { to: '2026-05-01' }, true],
    ['from the next day', byRef, { from: '2026-05-02' }, false],
    ['to the day before', byRef, { to: '2026-04-30' }, false],
    ['an AuditEvent that is not a ledger entry', other, {}, false],
  ])('%s', (_name, event, query, expected) => {
    expect(matchesLedgerQuery(event, query)).toBe(expected);
  });

  it('rejects a period that is not a FHIR date', () => {
    expect(() => matchesLedgerQuery(byRef, { from: 'last week' })).toThrow(TypeError);
  });
});

describe('createMemoryDisclosureLedger', () => {
  it('appends and reads back by query, oldest first, keeping its own copies', async () => {
    const ledger = createMemoryDisclosureLedger();
    const first = createDisclosureLedgerEntry(input({ recorded: '2026-05-01T10:00:00Z' }));
    await ledger.append(first);
    await ledger.append(createDisclosureLedgerEntry(input({ recorded: '2026-05-03T10:00:00Z' })));
    first.outcomeDesc = 'changed after append';
    const all = await collect(ledger.query({ patient: PATIENT }));
    expect(all.map((e) => [e.recorded, e.outcomeDesc])).toEqual([
      ['2026-05-01T10:00:00Z', 'PERMIT'],
      ['2026-05-03T10:00:00Z', 'PERMIT'],
    ]);
    expect(await collect(ledger.query({ patient: PATIENT, from: '2026-05-02' }))).toHaveLength(1);
  });
});
