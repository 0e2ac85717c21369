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
import { groupSession, type GroupSessionInput } from './__fixtures__/records';
import { parseGroupSession } from './group-session';

const NOTE = { text: 'Synthetic note', signedAt: '2026-01-14T20:00:00-05:00', signedBy: 'sp-001' };

describe('parseGroupSession', () => {
  it('accepts the valid example with no issues and returns it unchanged', () => {
    expect(parseGroupSession(groupSession())).toEqual({ ok: true, value: groupSession(), issues: [] });
  });

  it('accepts absent and excused members without minutes or notes', () => {
    const input = groupSession();
    input.attendees.push({ peerId: 'peer-002', attendance: 'absent' }, { peerId: 'peer-003', attendance: 'excused', minutesPresent: 0 });
    expect(parseGroupSession(input)).toMatchObject({ ok: true, issues: [] });
  });

  it('accepts a cancelled session whose members are all absent', () => {
    const input = groupSession();
    input.status = 'cancelled';
    input.attendees = [{ peerId: 'peer-001', attendance: 'absent' }];
    delete input.groupNote;
    expect(parseGroupSession(input)).toMatchObject({ ok: true, issues: [] });
  });

  const schemaCases: SchemaCase[] = [
    { name: 'end missing', path: ['end'], value: MISSING, code: 'schema.required' },
    { name: 'attendees missing', path: ['attendees'], value: MISSING, code: 'schema.required' },
    { name: 'topic missing', path: ['topic'], value: MISSING, code: 'schema.required' },
    { name: 'attendee attendance missing', path: ['attendees', 0, 'attendance'], value: MISSING, code: 'schema.required' },
    { name: 'facilitatorIds a string', path: ['facilitatorIds'], value: 'sp-001', code: 'schema.invalid-type' },
    { name: 'attendee minutesPresent a string', path: ['attendees', 0, 'minutesPresent'], value: '90', code: 'schema.invalid-type' },
    { name: 'attendee an array', path: ['attendees', 0], value: ['peer-001'], code: 'schema.invalid-type' },
    { name: 'topic unknown', path: ['topic'], value: 'gardening', code: 'schema.invalid-value' },
    { name: 'status unknown', path: ['status'], value: 'no-show', code: 'schema.invalid-value' },
    { name: 'attendance unknown', path: ['attendees', 0, 'attendance'], value: 'asleep', code: 'schema.invalid-value' },
    { name: 'programType unknown', path: ['programType'], value: 'housing', code: 'schema.invalid-value' },
    { name: 'start without time zone', path: ['start'], value: '2026-01-14T18:00:00', code: 'schema.invalid-format' },
    { name: 'facilitator id with a slash', path: ['facilitatorIds', 1], value: 'Practitioner/sp-002', code: 'schema.invalid-format' },
    { name: 'attendee peerId with a space', path: ['attendees', 0, 'peerId'], value: 'peer 001', code: 'schema.invalid-format' },
    { name: 'group note signedAt invalid', path: ['groupNote', 'signedAt'], value: 'tonight', code: 'schema.invalid-format' },
    { name: 'six facilitators', path: ['facilitatorIds'], value: ['a', 'b', 'c', 'd', 'e', 'f'], code: 'schema.too-big' },
    { name: '101 attendees', path: ['attendees'], value: Array.from({ length: 101 }, (_, i) => ({ peerId: `peer-${i}`, attendance: 'absent' })), code: 'schema.too-big' },
    { name: 'title of 201 characters', path: ['title'], value: text(201), code: 'schema.too-big' },
    { name: 'minutesPresent above a day', path: ['attendees', 0, 'minutesPresent'], value: 1441, code: 'schema.too-big' },
    { name: 'no facilitator', path: ['facilitatorIds'], value: [], code: 'schema.too-small' },
    { name: 'negative minutesPresent', path: ['attendees', 0, 'minutesPresent'], value: -5, code: 'schema.too-small' },
    { name: 'empty title', path: ['title'], value: '', code: 'schema.invalid-format' },
    { name: 'unknown field', path: ['room'], value: 'B', code: 'schema.unknown-field' },
    { name: 'unknown attendee field', path: ['attendees', 0, 'name'], value: 'Avery Testperson', code: 'schema.unknown-field' },
    { name: 'unknown group note field', path: ['groupNote', 'attendeesNamed'], value: true, code: 'schema.unknown-field' },
  ];

  it.each(schemaCases)('reports $code when $name', ({ path, value, code, at }) => {
    const input = groupSession();
    setIn(input, path, value);
    expectSchemaIssue(parseGroupSession(input), code, at ?? path);
  });

  const ruleCases: RuleCase<GroupSessionInput>[] = [
    {
      name: 'the session ends when it starts',
      mutate: (g) => {
        g.end = g.start;
      },
      code: 'group.end-before-start',
      path: ['end'],
      severity: 'error',
    },
    {
      name: 'the session ends before it starts',
      mutate: (g) => {
        g.end = '2026-01-14T17:00:00-05:00';
      },
      code: 'group.end-before-start',
      path: ['end'],
      severity: 'error',
    },
    {
      name: "an attendee's minutes exceed the session",
      mutate: (g) => {
        g.attendees[0]!.minutesPresent = 91;
      },
      code: 'group.minutes-exceed-session',
      path: ['attendees', 0, 'minutesPresent'],
      severity: 'error',
    },
    {
      name: 'a peer is listed twice',
      mutate: (g) => {
        g.attendees.push({ peerId: 'peer-001', attendance: 'absent' });
      },
      code: 'group.duplicate-attendee',
      path: ['attendees', 1, 'peerId'],
      severity: 'error',
    },
    {
      name: 'a facilitator is listed twice',
      mutate: (g) => {
        g.facilitatorIds = ['sp-001', 'sp-002', 'sp-001'];
      },
      code: 'group.duplicate-facilitator',
      path: ['facilitatorIds', 2],
      severity: 'error',
    },
    {
      name: 'an absent member has minutes',
      mutate: (g) => {
        g.attendees.push({ peerId: 'peer-002', attendance: 'absent', minutesPresent: 10 });
      },
      code: 'group.absent-with-minutes',
      path: ['attendees', 1, 'minutesPresent'],
      severity: 'error',
    },
    {
      name: 'an excused member has a note',
      mutate: (g) => {
        g.attendees.push({ peerId: 'peer-002', attendance: 'excused', note: { ...NOTE } });
      },
      code: 'group.absent-with-minutes',
      path: ['attendees', 1, 'note'],
      severity: 'error',
    },
    {
      name: 'a present member has no minutes',
      mutate: (g) => {
        delete g.attendees[0]!.minutesPresent;
      },
      code: 'group.minutes-missing',
      path: ['attendees', 0, 'minutesPresent'],
      severity: 'error',
    },
    {
      name: 'a late member has no minutes',
      mutate: (g) => {
        g.attendees.push({ peerId: 'peer-002', attendance: 'late', note: { ...NOTE } });
      },
      code: 'group.minutes-missing',
      path: ['attendees', 1, 'minutesPresent'],
      severity: 'error',
    },
    {
      name: 'a cancelled session has a member marked present',
      mutate: (g) => {
        g.status = 'cancelled';
      },
      code: 'group.cancelled-with-attendance',
      path: ['attendees', 0, 'attendance'],
      severity: 'error',
    },
    {
      name: 'a present member has no note',
      mutate: (g) => {
        delete g.attendees[0]!.note;
      },
      code: 'group.note-missing',
      path: ['attendees', 0, 'note'],
      severity: 'error',
      source: '12VAC30-130',
    },
    {
      name: 'a member who left early has no note',
      mutate: (g) => {
        g.attendees.push({ peerId: 'peer-002', attendance: 'left-early', minutesPresent: 30 });
      },
      code: 'group.note-missing',
      path: ['attendees', 1, 'note'],
      severity: 'error',
      source: '12VAC30-130',
    },
    {
      name: "a member's note is signed by someone who did not facilitate",
      mutate: (g) => {
        g.attendees[0]!.note!.signedBy = 'sp-003';
      },
      code: 'group.note-signer-not-facilitator',
      path: ['attendees', 0, 'note', 'signedBy'],
      severity: 'error',
    },
    {
      name: 'the group note is signed by someone who did not facilitate',
      mutate: (g) => {
        g.groupNote!.signedBy = 'sp-003';
      },
      code: 'group.note-signer-not-facilitator',
      path: ['groupNote', 'signedBy'],
      severity: 'error',
    },
    {
      name: 'a held session has no attendees',
      mutate: (g) => {
        g.attendees = [];
      },
      code: 'group.no-attendees',
      path: ['attendees'],
      severity: 'warning',
    },
    {
      name: 'a held session has only absent members',
      mutate: (g) => {
        g.attendees = [{ peerId: 'peer-001', attendance: 'absent' }];
      },
      code: 'group.no-attendees',
      path: ['attendees'],
      severity: 'warning',
    },
  ];

  it.each(ruleCases)('reports $code when $name', ({ mutate, ...expected }) => {
    const input = groupSession();
    mutate(input);
    expectRuleIssue(parseGroupSession(input), expected);
  });

  const quietCases: QuietCase<GroupSessionInput>[] = [
    {
      name: 'a member was present for the whole session',
      mutate: (g) => {
        g.attendees[0]!.minutesPresent = 90;
      },
      code: 'group.minutes-exceed-session',
    },
    {
      name: 'the co-facilitator signs a note',
      mutate: (g) => {
        g.attendees[0]!.note!.signedBy = 'sp-002';
      },
      code: 'group.note-signer-not-facilitator',
    },
    {
      name: 'a cancelled session has no attendees',
      mutate: (g) => {
        g.status = 'cancelled';
        g.attendees = [];
      },
      code: 'group.no-attendees',
    },
  ];

  it.each(quietCases)('does not report $code when $name', ({ mutate, code }) => {
    const input = groupSession();
    mutate(input);
    const result = parseGroupSession(input);
    expect(result.ok).toBe(true);
    expect(result.issues.map((i) => i.code)).not.toContain(code);
  });
});
