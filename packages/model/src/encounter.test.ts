import { describe, expect, it } from 'vitest';
import {
  expectRuleIssue,
  expectSchemaIssue,
  MISSING,
  setIn,
  text,
  type QuietCase,
  type RuleCase,
  type SchemaCase,
} from './__fixtures__/helpers';
import { encounter, type EncounterInput } from './__fixtures__/records';
import { parsePeerEncounter } from './encounter';

/** Turns the fixture into a contact that did not happen, documented as it should be. */
function notHeld(e: EncounterInput, status: 'no-show' | 'cancelled'): void {
  e.status = status;
  delete e.end;
  delete e.durationMinutes;
  delete e.note;
  e.activities = [];
  e.statusReason = 'Peer did not come';
}

describe('parsePeerEncounter', () => {
  it('accepts the valid example with no issues and returns it unchanged', () => {
    expect(parsePeerEncounter(encounter())).toEqual({ ok: true, value: encounter(), issues: [] });
  });

  it.each(['no-show', 'cancelled'] as const)('accepts a %s encounter with a reason and no service', (status) => {
    const input = encounter();
    notHeld(input, status);
    expect(parsePeerEncounter(input)).toMatchObject({ ok: true, issues: [] });
  });

  it('accepts a completed encounter with durationMinutes and no end', () => {
    const input = encounter();
    delete input.end;
    expect(parsePeerEncounter(input)).toMatchObject({ ok: true, issues: [] });
  });

  const schemaCases: SchemaCase[] = [
    { name: 'start missing', path: ['start'], value: MISSING, code: 'schema.required' },
    { name: 'modality missing', path: ['modality'], value: MISSING, code: 'schema.required' },
    { name: 'programType missing', path: ['programType'], value: MISSING, code: 'schema.required' },
    { name: 'note text missing', path: ['note', 'text'], value: MISSING, code: 'schema.required' },
    { name: 'crisis indicated missing', path: ['crisis', 'indicated'], value: MISSING, code: 'schema.required' },
    { name: 'durationMinutes a fraction', path: ['durationMinutes'], value: 45.5, code: 'schema.invalid-type' },
    { name: 'durationMinutes a string', path: ['durationMinutes'], value: '45', code: 'schema.invalid-type' },
    { name: 'activities a string', path: ['activities'], value: 'goal-planning', code: 'schema.invalid-type' },
    { name: 'note a string', path: ['note'], value: 'Synthetic note', code: 'schema.invalid-type' },
    { name: 'crisis indicated a string', path: ['crisis', 'indicated'], value: 'no', code: 'schema.invalid-type' },
    { name: 'status unknown', path: ['status'], value: 'rescheduled', code: 'schema.invalid-value' },
    { name: 'modality unknown', path: ['modality'], value: 'carrier-pigeon', code: 'schema.invalid-value' },
    { name: 'setting unknown', path: ['setting'], value: 'moon', code: 'schema.invalid-value' },
    { name: 'activity unknown', path: ['activities', 0], value: 'knitting', code: 'schema.invalid-value' },
    { name: 'crisis action unknown', path: ['crisis', 'actions'], value: ['shrugged'], code: 'schema.invalid-value', at: ['crisis', 'actions', 0] },
    { name: 'start with a space instead of T', path: ['start'], value: '2026-01-12 14:00:00-05:00', code: 'schema.invalid-format' },
    { name: 'end without time zone', path: ['end'], value: '2026-01-12T14:50:00', code: 'schema.invalid-format' },
    { name: 'note signedAt a date only', path: ['note', 'signedAt'], value: '2026-01-12', code: 'schema.invalid-format' },
    { name: 'peerId of 65 characters', path: ['peerId'], value: text(65), code: 'schema.invalid-format' },
    { name: 'empty goal id', path: ['goalIds', 0], value: '', code: 'schema.invalid-format' },
    { name: 'note signedBy with a space', path: ['note', 'signedBy'], value: 'sp 001', code: 'schema.invalid-format' },
    { name: 'durationMinutes above a day', path: ['durationMinutes'], value: 1441, code: 'schema.too-big' },
    { name: '21 activities', path: ['activities'], value: Array.from({ length: 21 }, () => 'advocacy'), code: 'schema.too-big' },
    { name: 'note text of 20,001 characters', path: ['note', 'text'], value: text(20_001), code: 'schema.too-big' },
    { name: 'statusReason of 201 characters', path: ['statusReason'], value: text(201), code: 'schema.too-big' },
    { name: '11 crisis actions', path: ['crisis', 'actions'], value: Array.from({ length: 11 }, () => 'supervisor-consulted'), code: 'schema.too-big' },
    { name: 'negative durationMinutes', path: ['durationMinutes'], value: -1, code: 'schema.too-small' },
    { name: 'blank note text', path: ['note', 'text'], value: '  ', code: 'schema.invalid-format' },
    { name: 'unknown field', path: ['mood'], value: 'calm', code: 'schema.unknown-field' },
    { name: 'unknown note field', path: ['note', 'author'], value: 'Avery Testperson', code: 'schema.unknown-field' },
    { name: 'unknown crisis field', path: ['crisis', 'severity'], value: 'high', code: 'schema.unknown-field' },
  ];

  it.each(schemaCases)('reports $code when $name', ({ path, value, code, at }) => {
    const input = encounter();
    setIn(input, path, value);
    expectSchemaIssue(parsePeerEncounter(input), code, at ?? path);
  });

  const ruleCases: RuleCase<EncounterInput>[] = [
    {
      name: 'the encounter ends when it starts',
      mutate: (e) => {
        e.end = e.start;
        delete e.durationMinutes;
      },
      code: 'encounter.end-before-start',
      path: ['end'],
      severity: 'error',
    },
    {
      name: 'the encounter ends before it starts',
      mutate: (e) => {
        e.end = '2026-01-12T13:50:00-05:00';
      },
      code: 'encounter.end-before-start',
      path: ['end'],
      severity: 'error',
    },
    {
      name: 'the encounter ends before it starts across time zones',
      mutate: (e) => {
        // 18:30Z is 13:30 at -05:00
        e.end = '2026-01-12T18:30:00Z';
      },
      code: 'encounter.end-before-start',
      path: ['end'],
      severity: 'error',
    },
    {
      name: 'durationMinutes exceeds the span',
      mutate: (e) => {
        e.durationMinutes = 52;
      },
      code: 'encounter.duration-exceeds-span',
      path: ['durationMinutes'],
      severity: 'error',
    },
    {
      name: 'a completed encounter has neither end nor durationMinutes',
      mutate: (e) => {
        delete e.end;
        delete e.durationMinutes;
      },
      code: 'encounter.duration-missing',
      path: ['end'],
      severity: 'error',
    },
    {
      name: 'a no-show records minutes',
      mutate: (e) => {
        notHeld(e, 'no-show');
        e.durationMinutes = 30;
      },
      code: 'encounter.not-held-with-service',
      path: ['durationMinutes'],
      severity: 'error',
    },
    {
      name: 'a cancelled encounter records activities',
      mutate: (e) => {
        notHeld(e, 'cancelled');
        e.activities = ['advocacy'];
      },
      code: 'encounter.not-held-with-service',
      path: ['activities'],
      severity: 'error',
    },
    {
      name: 'a no-show does not say why',
      mutate: (e) => {
        notHeld(e, 'no-show');
        delete e.statusReason;
      },
      code: 'encounter.status-reason-missing',
      path: ['statusReason'],
      severity: 'warning',
    },
    {
      name: 'a completed encounter lists no activity',
      mutate: (e) => {
        e.activities = [];
      },
      code: 'encounter.activities-missing',
      path: ['activities'],
      severity: 'error',
    },
    {
      name: 'a completed encounter has no note',
      mutate: (e) => {
        delete e.note;
      },
      code: 'encounter.note-missing',
      path: ['note'],
      severity: 'error',
      source: '12VAC30-130',
    },
    {
      name: 'the note is an unsigned draft',
      mutate: (e) => {
        e.note = { text: 'Synthetic draft note' };
      },
      code: 'encounter.note-unsigned',
      path: ['note', 'signedAt'],
      severity: 'warning',
    },
    {
      name: 'the note has signedAt without signedBy',
      mutate: (e) => {
        e.note = { text: 'Synthetic note', signedAt: '2026-01-12T16:00:00-05:00' };
      },
      code: 'encounter.note-unsigned',
      path: ['note', 'signedAt'],
      severity: 'warning',
    },
    {
      name: 'the note was signed before the encounter started',
      mutate: (e) => {
        e.note!.signedAt = '2026-01-12T13:59:00-05:00';
      },
      code: 'encounter.note-signed-before-start',
      path: ['note', 'signedAt'],
      severity: 'error',
    },
    {
      name: 'the note is signed by another specialist',
      mutate: (e) => {
        e.note!.signedBy = 'sp-003';
      },
      code: 'encounter.note-signer-mismatch',
      path: ['note', 'signedBy'],
      severity: 'error',
    },
    {
      name: 'the co-signature has no date',
      mutate: (e) => {
        delete e.note!.cosignedAt;
      },
      code: 'encounter.cosign-incomplete',
      path: ['note', 'cosignedBy'],
      severity: 'error',
    },
    {
      name: 'the co-signature has no co-signer',
      mutate: (e) => {
        delete e.note!.cosignedBy;
      },
      code: 'encounter.cosign-incomplete',
      path: ['note', 'cosignedBy'],
      severity: 'error',
    },
    {
      name: 'the author co-signs their own note',
      mutate: (e) => {
        e.note!.cosignedBy = 'sp-001';
      },
      code: 'encounter.cosign-incomplete',
      path: ['note', 'cosignedBy'],
      severity: 'error',
    },
    {
      name: 'the co-signature predates the signature',
      mutate: (e) => {
        e.note!.cosignedAt = '2026-01-12T15:59:00-05:00';
      },
      code: 'encounter.cosign-incomplete',
      path: ['note', 'cosignedAt'],
      severity: 'error',
    },
    {
      name: 'an unsigned note is co-signed',
      mutate: (e) => {
        delete e.note!.signedAt;
        delete e.note!.signedBy;
      },
      code: 'encounter.cosign-incomplete',
      path: ['note', 'cosignedAt'],
      severity: 'error',
    },
    {
      name: 'a crisis is indicated without action',
      mutate: (e) => {
        e.crisis = { indicated: true, actions: [] };
        e.activities = ['crisis-support'];
      },
      code: 'encounter.crisis-action-missing',
      path: ['crisis', 'actions'],
      severity: 'error',
    },
    {
      name: 'a crisis is indicated but crisis-support is not an activity',
      mutate: (e) => {
        e.crisis = { indicated: true, actions: ['referred-988'] };
      },
      code: 'encounter.crisis-activity-missing',
      path: ['activities'],
      severity: 'warning',
    },
    {
      name: 'goals are addressed without the plan',
      mutate: (e) => {
        delete e.planId;
      },
      code: 'encounter.goals-without-plan',
      path: ['planId'],
      severity: 'error',
    },
    {
      name: 'street outreach took place by video',
      mutate: (e) => {
        e.setting = 'street-outreach';
        e.modality = 'video';
      },
      code: 'encounter.setting-modality-mismatch',
      path: ['setting'],
      severity: 'warning',
    },
    {
      name: 'a mobile unit visit took place by telephone',
      mutate: (e) => {
        e.setting = 'mobile-unit';
        e.modality = 'audio-only';
      },
      code: 'encounter.setting-modality-mismatch',
      path: ['setting'],
      severity: 'warning',
    },
  ];

  it.each(ruleCases)('reports $code when $name', ({ mutate, ...expected }) => {
    const input = encounter();
    mutate(input);
    expectRuleIssue(parsePeerEncounter(input), expected);
  });

  const quietCases: QuietCase<EncounterInput>[] = [
    {
      name: 'durationMinutes is within a minute of the span',
      mutate: (e) => {
        e.durationMinutes = 51;
      },
      code: 'encounter.duration-exceeds-span',
    },
    {
      name: 'a no-show records zero minutes',
      mutate: (e) => {
        notHeld(e, 'no-show');
        e.durationMinutes = 0;
      },
      code: 'encounter.not-held-with-service',
    },
    {
      name: 'a crisis is indicated with crisis-support among the activities',
      mutate: (e) => {
        e.crisis = { indicated: true, actions: ['safety-plan-reviewed'] };
        e.activities = ['crisis-support'];
      },
      code: 'encounter.crisis-activity-missing',
    },
    {
      name: 'a note is signed but not co-signed',
      mutate: (e) => {
        delete e.note!.cosignedAt;
        delete e.note!.cosignedBy;
      },
      code: 'encounter.cosign-incomplete',
    },
    {
      name: 'street outreach is in person',
      mutate: (e) => {
        e.setting = 'street-outreach';
      },
      code: 'encounter.setting-modality-mismatch',
    },
  ];

  it.each(quietCases)('does not report $code when $name', ({ mutate, code }) => {
    const input = encounter();
    mutate(input);
    const result = parsePeerEncounter(input);
    expect(result.ok).toBe(true);
    expect(result.issues.map((i) => i.code)).not.toContain(code);
  });
});
