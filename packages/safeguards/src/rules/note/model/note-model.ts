/**
 * The note model at run time: the shipped weights (`weights.json`, written by
 * `npm run train-notes` from `test/notes/dev.jsonl`), compiled once into a feature index, and the
 * score of each of a note's sentences for each category. A note's score for a category is its
 * highest-scoring sentence; that sentence's span is where a finding points.
 */
import type { Span } from '../../../internal/names';
import { perObject } from '../context';
import { compileFeatureTable, emitFeatureIds, type FeatureTable, type RuleSignal, type SentenceFeatures } from './features';
import type { NoteView } from '../context';
import { sigmoid } from './logistic';

/** The note categories the model scores (the five of issue 16). */
export const MODEL_CATEGORIES = ['scope-of-practice', 'dual-relationship', 'self-disclosure', 'crisis-follow-up', 'confidentiality'] as const;
/** A category the model scores. */
export type ModelCategory = (typeof MODEL_CATEGORIES)[number];

/** The weights file: vocabulary, one weight per feature and category, and the thresholds chosen by cross-validation. */
export interface NoteModelWeights {
  /** Format version of this file. */
  readonly version: 1;
  /** How the weights were made (method, data, settings), for the catalog and the docs. */
  readonly trainedOn: string;
  /** The feature vocabulary; `weights[c][k]` is the weight of `features[k]`. */
  readonly features: readonly string[];
  /** Weights per category, aligned with `features` (rounded to 3 decimals). */
  readonly weights: Readonly<Record<ModelCategory, readonly number[]>>;
  /** Probability at or above which the model adds a category the rules did not find. */
  readonly addAt: number;
}

/** A note's score for one category: the probability of its best sentence and that sentence's span. */
export interface CategoryScore {
  /** The probability the model gives its best sentence for the category (0 with no sentence). */
  readonly probability: number;
  /** That sentence's span in the note, if the note has a sentence. */
  readonly span: Span | undefined;
}

/** The weights compiled for scoring: a feature index and the weights interleaved by feature (`k * categories + c`). */
interface CompiledModel {
  readonly index: ReadonlyMap<string, number>;
  readonly weights: Float64Array;
  /** The vocabulary compiled for scoring a note's reading without writing its features. */
  readonly table: FeatureTable;
}

const CATEGORY_COUNT = MODEL_CATEGORIES.length;

const compile = perObject((model: NoteModelWeights): CompiledModel => {
  const index = new Map<string, number>();
  model.features.forEach((f, k) => index.set(f, k));
  const weights = new Float64Array(model.features.length * CATEGORY_COUNT);
  MODEL_CATEGORIES.forEach((c, i) => model.weights[c].forEach((w, k) => (weights[k * CATEGORY_COUNT + i] = w)));
  return { index, weights, table: compileFeatureTable(model.features) };
});

/**
 * Scores a note's sentences for every category.
 *
 * @param model - the weights
 * @param sentences - the note's sentence features (see `sentenceFeatures`)
 * @returns per category, the best sentence's probability and span (probability 0 and no span for a note without sentences)
 */
export function scoreNote(model: NoteModelWeights, sentences: readonly SentenceFeatures[]): Record<ModelCategory, CategoryScore> {
  const { index, weights } = compile(model);
  const probability = new Float64Array(CATEGORY_COUNT);
  const best: (SentenceFeatures | undefined)[] = new Array<SentenceFeatures | undefined>(CATEGORY_COUNT).fill(undefined);
  const z = new Float64Array(CATEGORY_COUNT);
  for (const s of sentences) {
    z.fill(0);
    for (const f of s.features) {
      const k = index.get(f);
      if (k === undefined) continue;
      const at = k * CATEGORY_COUNT;
      for (let c = 0; c < CATEGORY_COUNT; c++) z[c] = (z[c] as number) + (weights[at + c] as number);
    }
    for (let c = 0; c < CATEGORY_COUNT; c++) {
      const p = sigmoid(z[c] as number);
      if (p > (probability[c] as number)) {
        probability[c] = p;
        best[c] = s;
      }
    }
  }
  const out = {} as Record<ModelCategory, CategoryScore>;
  MODEL_CATEGORIES.forEach((c, i) => {
    const s = best[i];
    out[c] = { probability: probability[i] as number, span: s === undefined ? undefined : { start: s.start, end: s.end } };
  });
  return out;
}

/**
 * The model's logit for every sentence and category of a note, straight from its reading (same
 * sums in the same order as {@link scoreNote}): sentence `i`, category `c` (index in
 * {@link MODEL_CATEGORIES}) at `i * MODEL_CATEGORIES.length + c`.
 *
 * @param model - the weights
 * @param note - the note as the rules read it
 * @param signals - the rules' hits on the note
 * @returns the logits, sentence by sentence
 */
export function sentenceLogits(model: NoteModelWeights, note: NoteView, signals: readonly RuleSignal[]): Float64Array {
  const { weights, table } = compile(model);
  const z = new Float64Array(note.sentences.length * CATEGORY_COUNT);
  // Each feature id comes once per sentence, in the order emitFeatures first gives the feature: the same sums as scoreNote's.
  emitFeatureIds(note, signals, table, (i, k) => {
    const at = k * CATEGORY_COUNT;
    const row = i * CATEGORY_COUNT;
    for (let c = 0; c < CATEGORY_COUNT; c++) z[row + c] = (z[row + c] as number) + (weights[at + c] as number);
  });
  return z;
}
