import { describe, expect, it } from 'vitest';
import { viewNote } from './context';
import { modifiersOf, type ModifierCategory } from './modifiers';

/** The modifier categories around the first occurrence of `term` in a one-sentence note. */
function around(text: string, term: string): ModifierCategory[] {
  const note = viewNote(text, 'one-on-one');
  const s = note.sentences[0];
  if (!s) throw new Error('sentence');
  const start = text.indexOf(term);
  return [...modifiersOf(s, { start, end: start + term.length })].sort();
}

describe('modifiersOf', () => {
  it.each([
    ['Peer denies suicidal thoughts.', 'suicidal', ['negated']],
    ['Peer did not report any current suicidal ideation.', 'suicidal', ['negated']],
    ['Peer was not sleeping well and has thoughts of suicide.', 'suicide', []],
    ['Peer denies drinking but has had thoughts of ending their life.', 'thoughts', []],
    ['Asked about thoughts of self-harm: denies.', 'self-harm', ['negated']],
    ['PSS did a CBT session on his negative thoughts.', 'CBT', []],
    ['Pt had two ODs in 2019.', 'ODs', ['historical']],
    ['Gave her my number to call if she feels one coming on.', 'feels', ['hypothetical']],
    ['Peer offered $20 and I declined.', '$20', ['declined']],
    ['I told her that is a question for her prescriber before she stops it.', 'stops', ['redirected']],
    ['Bus pass given per program policy.', 'Bus pass', ['program']],
    ['Attended her graduation with my supervisor’s approval.', 'graduation', []],
    ["Attended her graduation with my supervisor's approval.", 'graduation', ['approved']],
    ['I briefly shared my own story, then asked about her week.', 'own story', ['brief']],
    ['I told him all about my own years in prison.', 'years', ['story']],
  ])('%s — "%s" is %j', (text, term, expected) => {
    expect(around(text, term)).toEqual(expected);
  });
});
