import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../policy';
import { detectNoteProblems } from '../../note-rules';
import { viewNote, type NoteView } from '../context';
import { ruleSignals, sentenceFeatures, type RuleSignal } from './features';
import { MODEL_CATEGORIES, scoreNote, sentenceLogits, type CategoryScore, type ModelCategory, type NoteModelWeights } from './note-model';
import { sigmoid } from './logistic';
import SHIPPED from './weights.json';

/** Synthetic weights: `w:lent` pushes dual-relationship up, everything starts low. */
const weights: NoteModelWeights = {
  version: 1,
  trainedOn: 'synthetic',
  features: ['bias', 'w:lent'],
  weights: {
    'scope-of-practice': [-4, 0],
    'dual-relationship': [-4, 8],
    'self-disclosure': [-4, 0],
    'crisis-follow-up': [-4, 0],
    confidentiality: [-4, 0],
  },
  addAt: 0.7,
};

describe('scoreNote', () => {
  it('scores each category by its best sentence and points at that sentence', () => {
    const scores = scoreNote(weights, [
      { start: 0, end: 10, features: ['bias', 'w:pt'] },
      { start: 11, end: 30, features: ['bias', 'w:lent', 'w:unknown-to-the-model'] },
    ]);
    expect(scores['dual-relationship'].probability).toBeCloseTo(1 / (1 + Math.exp(-4)), 10);
    expect(scores['dual-relationship'].span).toEqual({ start: 11, end: 30 });
    expect(scores['scope-of-practice'].probability).toBeCloseTo(1 / (1 + Math.exp(4)), 10);
    expect(scores['scope-of-practice'].span).toEqual({ start: 0, end: 10 });
  });

  it('gives probability 0 and no span for a note without sentences', () => {
    const scores = scoreNote(weights, []);
    for (const c of MODEL_CATEGORIES) expect(scores[c]).toEqual({ probability: 0, span: undefined });
  });
});

describe('weights.json', () => {
  it('is the shipped model: one weight per feature and category, a threshold, and how it was trained', () => {
    const shipped = SHIPPED as NoteModelWeights;
    expect(shipped.version).toBe(1);
    expect(shipped.trainedOn).toContain('test/notes/dev.jsonl');
    expect(shipped.addAt).toBeGreaterThan(0.5);
    expect(shipped.addAt).toBeLessThan(1);
    expect(new Set(shipped.features).size).toBe(shipped.features.length);
    for (const c of MODEL_CATEGORIES) expect(shipped.weights[c]).toHaveLength(shipped.features.length);
    // Rule hits are not features of the shipped model (see TRAIN_SETTINGS.ruleFeatures).
    expect(shipped.features.some((f) => f.startsWith('r:') || f.startsWith('nr:'))).toBe(false);
  });
});

/** The linter's path (sentenceLogits) turned into scoreNote's answer: per category, the best sentence's probability and span. */
function scoreNoteView(model: NoteModelWeights, note: NoteView, signals: readonly RuleSignal[]): Record<ModelCategory, CategoryScore> {
  const z = sentenceLogits(model, note, signals);
  const out = {} as Record<ModelCategory, CategoryScore>;
  MODEL_CATEGORIES.forEach((c, ci) => {
    let probability = 0;
    let span: { start: number; end: number } | undefined;
    note.sentences.forEach((s, i) => {
      const p = sigmoid(z[i * MODEL_CATEGORIES.length + ci] as number);
      if (p > probability) {
        probability = p;
        span = { start: s.start, end: s.end };
      }
    });
    out[c] = { probability, span };
  });
  return out;
}

describe('scoreNoteView', () => {
  it('gives exactly what scoreNote gives from the sentences’ features (the linter’s path = the trainer’s)', () => {
    const dev = readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'notes', 'dev.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { text: string; setting: string });
    const shipped = SHIPPED as NoteModelWeights;
    const index = new Map(shipped.features.map((f, k) => [f, k]));
    for (const n of dev) {
      const context = n.setting === 'group' ? 'group' : 'one-on-one';
      const note = viewNote(n.text, context);
      const signals = ruleSignals(detectNoteProblems(n.text, { context, policy: DEFAULT_POLICY }, () => note));
      const sentences = sentenceFeatures(note, signals);
      expect(scoreNoteView(shipped, note, signals)).toEqual(scoreNote(shipped, sentences));
      // Every sentence's probability for every category (what the model's rules threshold and rank), from the
      // trainer's features: the same sums in the same order, so equal to the last bit (1e-12 asked).
      const z = sentenceLogits(shipped, note, signals);
      sentences.forEach((s, i) =>
        MODEL_CATEGORIES.forEach((c, ci) => {
          let trainer = 0;
          for (const f of s.features) trainer += shipped.weights[c][index.get(f) ?? -1] ?? 0;
          const p = sigmoid(z[i * MODEL_CATEGORIES.length + ci] as number);
          expect(Math.abs(p - sigmoid(trainer))).toBeLessThanOrEqual(1e-12);
          expect(p).toBe(sigmoid(trainer));
        }),
      );
    }
  }, 600_000); // every dev note: ~20 s alone, past 120 s in a full npm test on 2 cores

  it('counts a feature once per sentence however often it occurs', () => {
    const note = viewNote('lent lent lent.', 'one-on-one');
    const once = scoreNoteView(weights, note, []);
    expect(once['dual-relationship'].probability).toBeCloseTo(1 / (1 + Math.exp(-4)), 10);
  });
});
