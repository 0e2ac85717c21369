import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeText, isKnownWord } from './text';

const sentencesOf = (text: string): string[] => analyzeText(text).sentences.map((s) => text.slice(s.start, s.end));

describe('analyzeText', () => {
  it.each([
    ['prose', 'First one. Second one!  Third\nFourth', ['First one.', 'Second one!', 'Third', 'Fourth']],
    ['bullets', '- pt says hi\n- f/u Fri', ['pt says hi', 'f/u Fri']],
    ['a SOAP heading', 'S: Peer tired.\nA: Peer hopeful.', ['Peer tired.', 'Peer hopeful.']],
    ['an abbreviation', 'Met Dr. Ruiz at the clinic. Peer liked her.', ['Met Dr. Ruiz at the clinic.', 'Peer liked her.']],
    ['a closing quote', 'She said "I am done at 3am." I told her to rest.', ['She said "I am done at 3am."', 'I told her to rest.']],
  ])('splits %s into sentences with their offsets', (_name, text, expected) => {
    expect(sentencesOf(text)).toEqual(expected);
  });

  it('names the section each sentence is under', () => {
    const text = 'D: Peer came in.\nA: Peer is hopeful. Strengths noted.\nPlan: meet Fri';
    expect(analyzeText(text).sentences.map((s) => s.section)).toEqual(['d', 'a', 'a', 'plan']);
  });

  it('marks quoted words and tags parts of speech', () => {
    const text = 'Peer said "I want to go home" today.';
    const { tokens } = analyzeText(text);
    const quoted = tokens.filter((t) => t.quoted).map((t) => text.slice(t.start, t.end));
    expect(quoted).toEqual(['I', 'want', 'to', 'go', 'home']);
    expect(tokens.find((t) => t.norm === 'said')?.pos).toBe('VERB');
  });

  it('marks single-quoted words, not apostrophes inside or after words', () => {
    const text = "Peer texted 'I can't sleep' and the kids' bikes are gone; she's fine.";
    const quoted = analyzeText(text).tokens.filter((t) => t.quoted).map((t) => text.slice(t.start, t.end));
    expect(quoted.slice(0, 2)).toEqual(['I', 'ca']);
    expect(quoted).not.toContain('kids');
    expect(quoted).not.toContain('she');
  });

  it('keeps every token inside the text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const { tokens, sentences } = analyzeText(text);
        for (const t of tokens) expect(0 <= t.start && t.start < t.end && t.end <= text.length).toBe(true);
        for (const s of sentences) expect(0 <= s.start && s.start < s.end && s.end <= text.length && s.first < s.last).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('isKnownWord', () => {
  it.each([
    ['topic', true],
    ['Several', true],
    ['Ximena', false],
  ])('%s is known: %s', (word, known) => {
    expect(isKnownWord(word)).toBe(known);
  });
});
