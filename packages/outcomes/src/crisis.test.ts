import type { ClinicRecord, PeerEncounter, Referral } from '@peerkit/model';
import { parsePolicy } from '@peerkit/safeguards';
import { describe, expect, it } from 'vitest';
import { allAt, responseOf } from './__fixtures__/fhir';
import { checkCrisisFollowUp } from './crisis';
import { PHQ_9 } from './instruments/phq-9';

// The response is authored 2026-03-02T10:00-05:00; the default window is 24 hours.
const crisisResponse = responseOf(PHQ_9, { ...allAt(PHQ_9, 1), '44260-8': 2 });
const calmResponse = responseOf(PHQ_9, allAt(PHQ_9, 0));

function encounter(overrides: Partial<PeerEncounter> = {}): PeerEncounter {
  return {
    kind: 'encounter',
    id: 'enc-1',
    peerId: 'peer-1',
    specialistId: 'spec-1',
    programId: 'prog-mh',
    programType: 'mental-health',
    status: 'completed',
    start: '2026-03-02T09:30:00-05:00',
    end: '2026-03-02T10:30:00-05:00',
    modality: 'in-person',
    setting: 'clinic',
    activities: ['emotional-support'],
    goalIds: [],
    referralIds: [],
    note: { text: 'Talked about the week and plans for the weekend.', signedAt: '2026-03-02T11:00:00-05:00', signedBy: 'spec-1' },
    ...overrides,
  };
}

function referral(overrides: Partial<Referral> = {}): Referral {
  return {
    kind: 'referral',
    id: 'ref-1',
    peerId: 'peer-1',
    specialistId: 'spec-1',
    created: '2026-03-02T12:00:00-05:00',
    target: { type: 'crisis-service', category: 'crisis-988', organizationName: 'Crisis line' },
    urgency: 'stat',
    status: 'requested',
    ...overrides,
  };
}

describe('checkCrisisFollowUp', () => {
  it.each<[string, string, string | undefined, readonly ClinicRecord[]]>([
    ['structured crisis actions on the encounter the PHQ-9 was given at', 'documented', 'crisis-actions', [encounter({ crisis: { indicated: true, actions: ['safety-plan-reviewed'] } })]],
    ['a crisis referral id on a later encounter', 'documented', 'crisis-actions', [encounter({ start: '2026-03-02T15:00:00-05:00', end: '2026-03-02T15:30:00-05:00', crisis: { indicated: true, actions: [], referralId: 'ref-9' } })]],
    ['an action written in the note (the note linter reads it)', 'documented', 'note', [encounter({ note: { text: 'Reviewed the safety plan together and consulted the supervisor.' } })]],
    ['a referral to a crisis service created in the window', 'documented', 'crisis-referral', [referral()]],
    ['a mobile-crisis referral to a community target type', 'documented', 'crisis-referral', [referral({ target: { type: 'community-resource', category: 'mobile-crisis', organizationName: 'Team' } })]],
    ['only an encounter without any action', 'missing', undefined, [encounter()]],
    ['an action two days later (outside 24 hours)', 'missing', undefined, [encounter({ start: '2026-03-04T12:00:00-05:00', end: '2026-03-04T12:30:00-05:00', crisis: { indicated: true, actions: ['supervisor-consulted'] } })]],
    ['an action on a no-show encounter', 'missing', undefined, [encounter({ status: 'no-show', end: undefined, activities: [], crisis: { indicated: true, actions: ['supervisor-consulted'] } } as never)]],
    ['a draft crisis referral', 'missing', undefined, [referral({ status: 'draft' })]],
    ['a housing referral', 'missing', undefined, [referral({ target: { type: 'community-resource', category: 'housing', organizationName: 'Housing' } })]],
  ])('with %s: %s', (_, status, how, records) => {
    const result = checkCrisisFollowUp(crisisResponse, PHQ_9, records);
    if (status === 'missing') {
      expect(result.ok).toBe(false);
      expect(result.issues).toHaveLength(1);
      expect(result.issues[0]).toMatchObject({ code: 'crisis.no-follow-up', rule: 'crisis.no-follow-up', category: 'crisis-follow-up', severity: 'error', path: ['item', 8, 'answer', 0], recordId: 'qr-phq-9-1' });
      return;
    }
    expect(result.ok && result.value.status).toBe(status);
    expect(result.ok && result.value.actions[0]?.how).toBe(how);
  });

  it('says not-indicated when item 9 is 0', () => {
    const result = checkCrisisFollowUp(calmResponse, PHQ_9, []);
    expect(result.ok && result.value).toEqual({ status: 'not-indicated', crisisItems: [], actions: [] });
  });

  it('is pending (no finding) while the window is open', () => {
    const result = checkCrisisFollowUp(crisisResponse, PHQ_9, [], { asOf: '2026-03-02T18:00:00-05:00' });
    expect(result.ok && result.value.status).toBe('pending');
    expect(result.issues).toEqual([]);
    expect(result.ok && result.value.deadline).toBe('2026-03-03T15:00:00.000Z');
  });

  it('honours a wider window', () => {
    const later = encounter({ start: '2026-03-04T12:00:00-05:00', end: '2026-03-04T12:30:00-05:00', crisis: { indicated: true, actions: ['supervisor-consulted'] } });
    expect(checkCrisisFollowUp(crisisResponse, PHQ_9, [later], { windowHours: 72 }).ok).toBe(true);
  });

  it("ignores other peers' records when given the peer", () => {
    const other = encounter({ peerId: 'peer-2', crisis: { indicated: true, actions: ['safety-plan-reviewed'] } });
    expect(checkCrisisFollowUp(crisisResponse, PHQ_9, [other], { peerId: 'peer-1' }).ok).toBe(false);
  });

  it("follows the safeguards policy: the rule's severity and disabled rules", () => {
    const warn = parsePolicy({ severity: { 'crisis.no-follow-up': 'warning' } });
    const off = parsePolicy({ disabledRules: ['crisis.no-follow-up'] });
    if (!warn.ok || !off.ok) throw new Error('fixture');
    const warned = checkCrisisFollowUp(crisisResponse, PHQ_9, [], { policy: warn.value });
    expect(warned.ok && warned.value.status).toBe('missing');
    expect(warned.issues[0]?.severity).toBe('warning');
    const disabled = checkCrisisFollowUp(crisisResponse, PHQ_9, [], { policy: off.value });
    expect(disabled.ok && disabled.value.status).toBe('missing');
    expect(disabled.issues).toEqual([]);
  });

  it('rejects what is not a QuestionnaireResponse', () => {
    expect(checkCrisisFollowUp({ resourceType: 'Observation' }, PHQ_9, []).issues[0]?.code).toBe('outcomes.response-invalid');
  });
});
