import { describe, expect, it } from 'vitest';
import { actorAt, experiencerAt, NOT_ONLY_THE_WRITER, sentenceAt, viewNote, writerWords } from './context';

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

describe('writerWords', () => {
  it.each([
    ['every writer word by default', [] as const, ['I asked', 'we asked', 'PSS asked', 'Co-facilitator asked', 'Staff asked'], ['Pt asked']],
    ['without the words that can name someone else', NOT_ONLY_THE_WRITER, ['I asked', 'PSS asked', 'Writer asked', 'Facilitator asked'], ['we asked', 'Staff asked', 'Co-facilitator asked', 'cofacilitator asked']],
  ])('%s', (_name, without, matched, unmatched) => {
    const re = new RegExp(String.raw`^${writerWords(without)}\s+asked$`, 'i');
    expect(matched.filter((t) => !re.test(t))).toEqual([]);
    expect(unmatched.filter((t) => re.test(t))).toEqual([]);
  });
});
