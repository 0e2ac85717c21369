import { MEDICAID_GENERIC_PACK } from '@peerkit/billing';
import type { PayerPack } from '@peerkit/billing';
import type { Peer, PeerEncounter, RecoveryPlan, Specialist } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { validClinic } from '../../test/support/seed';
import { IDENTIFIER_SYSTEM } from '../../test/fixtures/clinic';
import { labelsOf, localDateTime, offsetOf, previewBilling, toEncounterCandidate, toEncounterResources, validateEncounter, type DraftContext, type EncounterFormValues } from './encounter-draft';
import { defaultStart } from './encounter-form';
import type { PatientRecord } from './load-patient';

const clinic = validClinic();
const peer = clinic.find((r): r is Peer & { kind: 'peer' } => r.kind === 'peer');
const plan = clinic.find((r): r is RecoveryPlan & { kind: 'recovery-plan' } => r.kind === 'recovery-plan');
const specialist = clinic.find((r): r is Specialist & { kind: 'specialist' } => r.kind === 'specialist' && r.id === 'sp-ws-1');

const record: PatientRecord = {
  patientId: 'ws-pat-1',
  patientName: undefined,
  peer,
  plans: plan ? [plan] : [],
  encounters: [],
  consents: [],
  specialist,
  specialistId: 'sp-ws-1',
  organization: undefined,
  identifierSystem: IDENTIFIER_SYSTEM,
  labels: new Map(),
  unavailable: [],
};

const values: EncounterFormValues = {
  programId: 'prog-sud',
  date: '2026-03-02',
  startTime: '09:30',
  minutes: 40,
  modality: 'in-person',
  setting: 'community',
  activities: ['emotional-support'],
  goalIds: ['g1'],
  note: 'Peer is bothered by side effects; we wrote down questions for his prescriber.',
};

const context: DraftContext = { record, encounterId: 'ws-test-1', offset: '-05:00', now: '2026-03-02T11:00:00-05:00' };

describe('offsetOf', () => {
  it.each([
    [300, '-05:00'],
    [-330, '+05:30'],
    [0, '+00:00'],
  ])('turns getTimezoneOffset() %i into %s', (minutes, offset) => {
    expect(offsetOf(minutes)).toBe(offset);
  });
});

describe('localDateTime', () => {
  it('keeps the local time with its offset', () => {
    expect(localDateTime('2026-03-02', '09:30', '-05:00')).toBe('2026-03-02T09:30:00-05:00');
  });
  it('moves across midnight and month ends by minutes', () => {
    expect(localDateTime('2026-02-28', '23:30', '+01:00', 45)).toBe('2026-03-01T00:15:00+01:00');
  });
});

describe('defaultStart', () => {
  it('is an hour before now, to five minutes', () => {
    expect(defaultStart('2026-03-02T11:07:00-05:00')).toEqual(['2026-03-02', '10:05']);
  });
  it('stays on the same day just after midnight', () => {
    expect(defaultStart('2026-03-02T00:20:00-05:00')).toEqual(['2026-03-02', '00:00']);
  });
});

describe('toEncounterCandidate', () => {
  it('builds a completed encounter of the peer by the signed-in specialist, the note signed now, the plan of the goals', () => {
    expect(toEncounterCandidate(values, context)).toMatchObject({
      kind: 'encounter',
      id: 'ws-test-1',
      peerId: 'peer-ws-1',
      specialistId: 'sp-ws-1',
      programType: 'substance-use',
      start: '2026-03-02T09:30:00-05:00',
      end: '2026-03-02T10:10:00-05:00',
      durationMinutes: 40,
      planId: 'plan-ws-1',
      note: { signedAt: '2026-03-02T11:00:00-05:00', signedBy: 'sp-ws-1' },
    });
  });
});

describe('validateEncounter', () => {
  it('accepts the filled-in form', () => {
    expect(validateEncounter(values, context).ok).toBe(true);
  });
  it.each([
    ['no activity', { activities: [] }, 'encounter.activities-missing'],
    ['no note', { note: '  ' }, 'encounter.note-missing'],
    ['a start after the signature', { startTime: '11:30' }, 'encounter.note-signed-before-start'],
  ])('refuses %s with the model\'s code', (_, change, code) => {
    const result = validateEncounter({ ...values, ...change }, context);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toContain(code);
  });
});

describe('toEncounterResources', () => {
  it('maps to Encounter, Procedure and DocumentReference, labelled for Part 2 (a substance-use program)', () => {
    const validated = validateEncounter(values, context);
    if (!validated.ok) throw new Error('fixture form does not validate');
    const mapped = toEncounterResources(validated.value, record);
    if (!mapped.ok) throw new Error('does not map');
    expect(mapped.value.map((r) => r.resourceType)).toEqual(['Encounter', 'Procedure', 'DocumentReference']);
    expect(labelsOf(mapped.value).map((c) => c.code)).toEqual(['R', 'SUD', '42CFRPart2', 'NORDSCLCD']);
  });
  it('refuses when the server holds no PeerKit identifier base for the patient', () => {
    const validated = validateEncounter(values, context);
    if (!validated.ok) throw new Error('fixture form does not validate');
    const mapped = toEncounterResources(validated.value, { ...record, identifierSystem: undefined });
    expect(mapped.ok).toBe(false);
    expect(mapped.issues[0]?.code).toBe('fhir.unknown-peer');
  });
});

describe('previewBilling', () => {
  it('bills 40 minutes as H0038 units under the chosen pack', () => {
    const validated = validateEncounter(values, context);
    if (!validated.ok) throw new Error('fixture form does not validate');
    const preview = previewBilling(validated.value, record, MEDICAID_GENERIC_PACK);
    expect(preview.line?.code).toBe('H0038');
    expect(preview.line?.units).toBe(3);
  });
  it('counts the patient\'s other encounters: a daily cap they used up holds the new one', () => {
    const validated = validateEncounter(values, context);
    if (!validated.ok) throw new Error('fixture form does not validate');
    // The generic pack with a daily cap of 4 units (1 hour).
    const capped: PayerPack = {
      ...MEDICAID_GENERIC_PACK,
      id: 'capped',
      caps: [{ id: 'daily', units: { value: 4, source: 'PK', status: 'verified' }, window: { value: { kind: 'day' }, source: 'PK', status: 'verified' }, priorAuthorizationExtends: false, enforcement: 'hold' }],
    };
    const earlier: PeerEncounter = { ...validated.value, id: 'earlier', start: '2026-03-02T07:00:00-05:00', end: '2026-03-02T08:00:00-05:00', durationMinutes: 60 };
    const alone = previewBilling(validated.value, record, capped);
    const after = previewBilling(validated.value, { ...record, encounters: [earlier] }, capped);
    expect(alone.line?.status).toBe('billable');
    expect(after.line?.status).toBe('held');
    expect(after.line?.services).toEqual([{ kind: 'encounter', id: 'ws-test-1' }]);
    expect(after.line?.findings.map((f) => f.check)).toContain('DAILY_CAP');
  });
  it('says why nothing is billed when the peer has no coverage on the date', () => {
    const validated = validateEncounter({ ...values }, context);
    if (!validated.ok || !peer) throw new Error('fixture form does not validate');
    const preview = previewBilling(validated.value, { ...record, peer: { ...peer, coverage: [] } }, MEDICAID_GENERIC_PACK);
    expect(preview.line).toBeUndefined();
    expect(preview.notBilled?.reason).toBe('no-coverage');
  });
});
