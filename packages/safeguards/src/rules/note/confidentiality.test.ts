import { describe, expect, it } from 'vitest';
import { lintNote } from '../lint-note';
import type { NoteContext } from '../rule-definition';

const named = (text: string, context: NoteContext): string[] =>
  lintNote(text, { context }).filter((f) => f.category === 'confidentiality').map((f) => text.slice(f.start, f.end));

describe('CONFIDENTIALITY_RULES', () => {
  it.each([
    ['a relative with her relapse', 'Peer said her cousin Marisol relapsed and is back in detox.', 'one-on-one', 'Marisol'],
    ['a neighbour with his arrest', "Pt's neighbor, Mr. Hollis, was arrested for a DUI on Friday.", 'one-on-one', 'Mr. Hollis'],
    ['a roommate with her pregnancy', 'Her roommate Kay is pregnant and using again.', 'one-on-one', 'Kay'],
    ['an attendance list', 'Attendance: Priya, Tomasz, Jessamyn.', 'group', 'Priya'],
    ['a member and what he shared', 'Marcus shared that he is on probation again.', 'group', 'Marcus'],
    ['a son with an arrest', 'Peer said her son Jayden was arrested on Friday.', 'one-on-one', 'Jayden'],
    ['an ex with prison', 'Her ex, Marco, just got out of prison.', 'one-on-one', 'Marco'],
    ['two members sharing relapses', 'Wendy and Rosa both shared about their relapses.', 'group', 'Wendy'],
    ['a list that attended', 'Gwenda, Arlo and Bex attended tonight.', 'group', 'Arlo'],
  ])('flags %s', (_name, text, context, name) => {
    expect(named(text, context as NoteContext)).toContain(name);
  });

  it.each([
    ["the peer's own name", 'Met with Carla at her apartment; Carla got the job at the bakery.', 'one-on-one'],
    ['a provider in a referral', 'Referred peer to Dr. Okafor at Riverside Clinic; release signed.', 'one-on-one'],
    ['a pet', 'Her dog Biscuit is a big comfort since the surgery.', 'one-on-one'],
    ['a relationship without a name', "Peer's sister is using again and asked to stay with her.", 'one-on-one'],
    ['a generic member', 'One member shared that she is pregnant and nervous.', 'group'],
    ['a program and a street', 'Met at Hope House on Maple St. to fill out the intake.', 'one-on-one'],
    ['a named relative with nothing private', 'Peer is excited to visit her sister Dana in June.', 'one-on-one'],
    ['a provider hand-off', 'Warm hand-off to Tasha, the intake nurse at Harbor Detox.', 'one-on-one'],
    ["the peer's name in brackets", 'Peer (Jolene) reports 30 days sober and a new job.', 'one-on-one'],
    ['capitalised group topics', 'Group: Anger Management, 6 present. Next week: Mindfulness.', 'group'],
    ["the peer, his daughter's school", 'HV with Mr. Delgado. He reports his daughter Sofia started kindergarten and he walked her to school.', 'one-on-one'],
  ])('stays quiet on %s', (_name, text, context) => {
    expect(named(text, context as NoteContext)).toEqual([]);
  });
});
