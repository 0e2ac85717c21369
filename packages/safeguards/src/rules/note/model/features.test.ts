import { describe, expect, it } from 'vitest';
import { viewNote } from '../context';
import { ruleSignals, sentenceFeatures, stem } from './features';

describe('stem', () => {
  it.each([
    ['loaned', 'loan'],
    ['loans', 'loan'],
    ['talking', 'talk'],
    ['classes', 'class'],
    ['pass', 'pass'],
    ['ring', 'ring'],
    ['$40', '$0'],
    ['2019', '0'],
    ["'em", 'em'],
  ])('%s → %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });
});

describe('ruleSignals', () => {
  it('gives each rule hit its category and span', () => {
    expect(ruleSignals([{ rule: 'dual.money', span: { start: 2, end: 9 } }])).toEqual([{ rule: 'dual.money', category: 'dual-relationship', start: 2, end: 9 }]);
  });
});

describe('sentenceFeatures', () => {
  const note = viewNote('Pt denies SI. I lent her $40 for rent.', 'one-on-one');

  it('gives one entry per sentence, with the sentence span', () => {
    const sentences = sentenceFeatures(note, []);
    expect(sentences.map((s) => note.text.slice(s.start, s.end))).toEqual(['Pt denies SI.', 'I lent her $40 for rent.']);
  });

  it('holds stemmed words, bigrams, clause subjects and their verbs, each once', () => {
    const second = sentenceFeatures(note, [])[1]?.features ?? [];
    expect(second).toEqual(expect.arrayContaining(['bias', 'ctx:one-on-one', 'w:lent', 'w:0', 'b:lent_her', 'b:0_for', 's:specialist', 'sv:specialist:lent']));
    expect(new Set(second).size).toBe(second.length);
  });

  it('marks ConText modifier cues in the sentence (negation in "denies")', () => {
    const [first, second] = sentenceFeatures(note, []);
    expect(first?.features).toContain('m:negated');
    expect(second?.features).not.toContain('m:negated');
  });

  it('carries the rules’ hits: in the sentence they overlap, and as note-level categories', () => {
    const [first, second] = sentenceFeatures(note, [{ rule: 'dual.money', category: 'dual-relationship', start: 14, end: 28 }]);
    expect(second?.features).toEqual(expect.arrayContaining(['r:dual.money', 'nr:dual-relationship']));
    expect(first?.features).toContain('nr:dual-relationship');
    expect(first?.features).not.toContain('r:dual.money');
  });

  it('marks a note that documents a crisis response, and the section a sentence is under', () => {
    const documented = sentenceFeatures(viewNote('D: Pt said she wants to die.\nP: Reviewed the safety plan together and called 988.', 'one-on-one'), []);
    expect(documented[0]?.features).toEqual(expect.arrayContaining(['resp', 'sec:d']));
    expect(sentenceFeatures(viewNote('Pt said she wants to die.', 'one-on-one'), [])[0]?.features).not.toContain('resp');
  });

  it('marks quoted words and the kind of note', () => {
    const [s] = sentenceFeatures(viewNote('Member said "I am done".', 'group'), []);
    expect(s?.features).toEqual(expect.arrayContaining(['q:done', 'ctx:group']));
  });
});
