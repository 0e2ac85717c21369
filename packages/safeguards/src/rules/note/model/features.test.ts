import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../policy';
import { detectNoteProblems } from '../../note-rules';
import { viewNote, type NoteView } from '../context';
import { compileFeatureTable, emitFeatureIds, ruleSignals, sentenceFeatures, stem, type RuleSignal } from './features';

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

/** The features emitFeatureIds gives each sentence, as strings of the vocabulary, in the order given. */
function idsAsFeatures(note: NoteView, signals: readonly RuleSignal[], vocabulary: readonly string[]): string[][] {
  const out: string[][] = note.sentences.map(() => []);
  emitFeatureIds(note, signals, compileFeatureTable(vocabulary), (i, id) => out[i]?.push(vocabulary[id] as string));
  return out;
}

describe('emitFeatureIds', () => {
  it('gives every dev note’s sentences exactly the features sentenceFeatures gives, in its order, each once', () => {
    const dev = readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'notes', 'dev.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { text: string; setting: string });
    const read = dev.map((n) => {
      const context = n.setting === 'group' ? 'group' : 'one-on-one';
      const note = viewNote(n.text, context);
      return { note, signals: ruleSignals(detectNoteProblems(n.text, { context, policy: DEFAULT_POLICY }, () => note)) };
    });
    // The vocabulary of every feature the notes have (rule features too): nothing is dropped.
    const expected = read.map(({ note, signals }) => sentenceFeatures(note, signals).map((s) => s.features));
    const vocabulary = [...new Set(expected.flat(2))];
    expect(vocabulary.some((f) => f.startsWith('r:'))).toBe(true);
    read.forEach(({ note, signals }, n) => expect(idsAsFeatures(note, signals, vocabulary)).toEqual(expected[n]));
  }, 600_000); // every dev note: ~20 s alone, past 120 s in a full npm test on 2 cores

  it('drops the features a vocabulary lacks and keeps the order of the rest', () => {
    const note = viewNote('Pt denies SI. I lent her $40 for rent.', 'one-on-one');
    const all = sentenceFeatures(note, []).map((s) => s.features);
    const vocabulary = ['b:lent_her', 'w:lent', 'm:negated', 'w:pt', 'sv:specialist:lent', 'bias'];
    expect(idsAsFeatures(note, [], vocabulary)).toEqual(all.map((features) => features.filter((f) => vocabulary.includes(f))));
  });

  it('finds a pair feature whose stems hold its separator, however the pair splits', () => {
    // The reader splits "_" and ":" off as tokens of their own: a hand-made reading with such stems.
    const token = (norm: string) => ({ norm, start: 0, end: 0, pos: 'NOUN', capitalized: false, quoted: false });
    const sentence = (first: number, last: number) => ({ start: 0, end: 0, first, last, text: '', clauses: [] });
    const note = {
      context: 'one-on-one',
      text: '',
      tokens: [token('a_b'), token('c'), token('a'), token('b_c')],
      sentences: [sentence(0, 2), sentence(2, 4)],
    } as unknown as NoteView;
    expect(sentenceFeatures(note, []).map((s) => s.features)).toEqual([
      ['ctx:one-on-one', 'bias', 'w:a_b', 'w:c', 'b:a_b_c'],
      ['ctx:one-on-one', 'bias', 'w:a', 'w:b_c', 'b:a_b_c'],
    ]);
    expect(idsAsFeatures(note, [], ['b:a_b_c', 'w:c'])).toEqual([['w:c', 'b:a_b_c'], ['b:a_b_c']]);
  });
});
