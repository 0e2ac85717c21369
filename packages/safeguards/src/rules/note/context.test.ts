import { describe, expect, it } from 'vitest';
import { actorAt, experiencerAt, sentenceAt, viewNote } from './context';

describe('actorAt and experiencerAt', () => {
  it.each([
    ['Told pt to stop the pills.', 'stop', 'implicit', 'peer'],
    ['PSS told pt to stop the pills.', 'stop', 'specialist', 'peer'],
    ['Peer said his brother overdosed.', 'overdosed', 'peer', 'other'],
    ['Her psychiatrist diagnosed PTSD.', 'PTSD', 'clinician', 'clinician'],
    ['Writer and peer exchanged numbers.', 'numbers', 'joint', 'joint'],
    ['Peer said "I want to die."', 'die', 'peer', 'peer'],
    ['Peer tired; asked about sleep.', 'sleep', 'implicit', 'implicit'],
  ])('%s — "%s": actor %s, experiencer %s', (text, term, actor, experiencer) => {
    const note = viewNote(text, 'one-on-one');
    const at = text.indexOf(term);
    const s = sentenceAt(note, at);
    if (!s) throw new Error('sentence');
    expect([actorAt(note, s, at), experiencerAt(note, s, at)]).toEqual([actor, experiencer]);
  });

  it('reads a group member as the experiencer in a group note', () => {
    const text = 'One member said she cut herself.';
    const note = viewNote(text, 'group');
    const s = note.sentences[0];
    if (!s) throw new Error('sentence');
    expect(experiencerAt(note, s, text.indexOf('cut'))).toBe('member');
  });
});
