import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parsePolicy } from '../../policy';
import { viewNote } from '../context';
import { MODEL_RULE_DEFINITIONS, modelHits } from './model-rules';
import type { NoteModelWeights } from './note-model';

/** Synthetic weights: "lent" reads as dual-relationship, "die" as crisis-follow-up. */
const weights: NoteModelWeights = {
  version: 1,
  trainedOn: 'synthetic',
  features: ['bias', 'w:die', 'w:lent'],
  weights: {
    'scope-of-practice': [-5, 0, 0],
    'dual-relationship': [-5, 0, 8],
    'self-disclosure': [-5, 0, 0],
    'crisis-follow-up': [-5, 8, 0],
    confidentiality: [-5, 0, 0],
  },
  addAt: 0.9,
};
const text = 'Met at the library. I lent her bus money. She said she wants to die.';
const note = viewNote(text, 'one-on-one');
const facts = { policy: DEFAULT_POLICY, crisisDocumented: false };

describe('MODEL_RULE_DEFINITIONS', () => {
  it('has one warning rule per category, note-model.<category>, with a source naming the training data and a suggestion', () => {
    expect(MODEL_RULE_DEFINITIONS.map((r) => r.id)).toEqual([
      'note-model.scope-of-practice',
      'note-model.dual-relationship',
      'note-model.self-disclosure',
      'note-model.crisis-follow-up',
      'note-model.confidentiality',
    ]);
    for (const r of MODEL_RULE_DEFINITIONS) {
      expect(r.id).toBe(`note-model.${r.category}`);
      expect(r.severity).toBe('warning');
      expect(r.source).toContain('test/notes/dev.jsonl');
      expect(r.suggestion.length).toBeGreaterThan(20);
    }
  });
});

describe('modelHits', () => {
  it('adds each category the model reads at or above its threshold, on the sentence it scores highest', () => {
    const hits = modelHits(weights, note, [], facts);
    expect(hits.map((h) => [h.rule, text.slice(h.span.start, h.span.end)])).toEqual([
      ['note-model.dual-relationship', 'I lent her bus money.'],
      ['note-model.crisis-follow-up', 'She said she wants to die.'],
    ]);
  });

  it('adds nothing below the threshold', () => {
    expect(modelHits({ ...weights, addAt: 0.99 }, note, [], facts)).toEqual([]);
  });

  it('adds no category a rule already found', () => {
    const hits = modelHits(weights, note, [{ rule: 'dual.money', category: 'dual-relationship', start: 20, end: 41 }], facts);
    expect(hits.map((h) => h.rule)).toEqual(['note-model.crisis-follow-up']);
  });

  it('adds no crisis when the crisis is documented elsewhere, and nothing the policy disables', () => {
    expect(modelHits(weights, note, [], { ...facts, crisisDocumented: true }).map((h) => h.rule)).toEqual(['note-model.dual-relationship']);
    const policy = parsePolicy({ disabledRules: ['note-model.dual-relationship'] });
    if (!policy.ok) throw new Error('policy');
    expect(modelHits(weights, note, [], { ...facts, policy: policy.value }).map((h) => h.rule)).toEqual(['note-model.crisis-follow-up']);
  });
});
