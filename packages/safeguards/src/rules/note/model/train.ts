/**
 * Training the note model from labelled notes: each note is read as the linter reads it (rules
 * and sentence features), each sentence is labelled with the categories whose labelled spans it
 * overlaps, and one L2-regularised logistic regression per category is fitted over the sentences.
 * Pure and deterministic: the same notes in the same order give the same weights (the script
 * `scripts/train-note-model.mjs` feeds it `test/notes/dev.jsonl`; a test checks it reproduces the
 * shipped `weights.json`).
 */
import { DEFAULT_POLICY, type Policy } from '../../policy';
import type { NoteContext } from '../../rule-definition';
import { detectNoteProblems } from '../../note-rules';
import { viewNote } from '../context';
import { ruleSignals, sentenceFeatures, type SentenceFeatures } from './features';
import { trainLogistic, type SparseExample } from './logistic';
import { MODEL_CATEGORIES, type ModelCategory, type NoteModelWeights } from './note-model';

/** A labelled note of the corpus (`test/notes/*.jsonl`): its text, which kind of note, its labels and labelled spans. */
export interface LabelledNote {
  /** The note's text. */
  readonly text: string;
  /** Which kind of note it is. */
  readonly context: NoteContext;
  /** Its gold categories (empty: a clean note). */
  readonly labels: readonly string[];
  /** The labelled sentences or clauses: category and character span. */
  readonly spans: readonly { readonly category: string; readonly start: number; readonly end: number }[];
}

/** A note read for training or scoring: its sentences' features, what the rules found, and (if labelled) its gold labels per sentence. */
export interface NoteSample {
  /** Each sentence's span and features. */
  readonly sentences: readonly SentenceFeatures[];
  /** The categories the rules found in the note. */
  readonly ruleCategories: ReadonlySet<string>;
  /** The note's gold categories. */
  readonly labels: ReadonlySet<string>;
  /** Per sentence, the categories whose labelled spans it overlaps. */
  readonly sentenceLabels: readonly ReadonlySet<string>[];
}

/** The settings of training (fixed: they are part of what makes the weights reproducible). */
export interface TrainSettings {
  /** Full-batch iterations per category. */
  readonly iterations: number;
  /** AdaGrad base step size. */
  readonly learningRate: number;
  /** L2 penalty. */
  readonly l2: number;
  /** Loss weight of a positive sentence (positives are rare). */
  readonly positiveWeight: number;
  /** A feature is kept when at least this many training sentences have it. */
  readonly minCount: number;
  /** Weights smaller than this (in absolute value) are set to 0 after training, and features left with none are dropped: the file stays small. */
  readonly pruneBelow: number;
  /**
   * Whether the rules' hits are features (`r:<rule>` in the sentence, `nr:<category>` in the note).
   * The rules were tuned on the training notes, so on them their hits are near-perfect and the model
   * would learn to echo them instead of the wording they miss.
   */
  readonly ruleFeatures: boolean;
  /**
   * The probability at or above which the model adds a category the rules did not find. Chosen by
   * the fair comparison of `scripts/note-model-history.mjs` (rules as they were before two former
   * held-out parts of dev were read, against those rules plus the model trained on the other
   * rounds; see docs/note-linter.md), one value for every category.
   */
  readonly addAt: number;
}

/** The settings the shipped weights were trained with. */
export const TRAIN_SETTINGS: TrainSettings = { iterations: 300, learningRate: 0.3, l2: 0.0005, positiveWeight: 1, minCount: 4, pruneBelow: 0.04, ruleFeatures: false, addAt: 0.7 };

/**
 * Reads a labelled note as the linter does: the rules' hits, then the sentences' features.
 *
 * @param note - the labelled note
 * @param policy - the policy the rules run with (default {@link DEFAULT_POLICY})
 * @returns the note's sample
 */
export function readLabelledNote(note: LabelledNote, policy: Policy = DEFAULT_POLICY): NoteSample {
  const view = viewNote(note.text, note.context);
  const hits = detectNoteProblems(note.text, { context: note.context, policy }, () => view);
  const signals = ruleSignals(hits);
  const sentences = sentenceFeatures(view, signals);
  const sentenceLabels = sentences.map((s) => new Set(note.spans.filter((g) => g.start < s.end && g.end > s.start).map((g) => g.category)));
  return { sentences, ruleCategories: new Set(signals.map((h) => h.category)), labels: new Set(note.labels), sentenceLabels };
}

/** Rounded to 3 decimals (`+ 0` turns -0 into 0, so the file never holds `-0`). */
const round3 = (x: number): number => Math.round(x * 1e3) / 1e3 + 0;

/**
 * Trains the note model: one logistic regression per category over every sentence of the samples.
 *
 * @param samples - the training notes, read (`readLabelledNote`)
 * @param settings - training settings (default {@link TRAIN_SETTINGS})
 * @param trainedOn - the description stored in the weights file
 * @returns the weights, rounded to 3 decimals, without features whose weights were all pruned
 */
export function trainNoteModel(
  samples: readonly NoteSample[],
  settings: TrainSettings = TRAIN_SETTINGS,
  trainedOn = 'L2-regularised logistic regression per category over sentence features',
): NoteModelWeights {
  const counts = new Map<string, number>();
  const usable = (f: string): boolean => settings.ruleFeatures || !(f.startsWith('r:') || f.startsWith('nr:'));
  for (const n of samples) for (const s of n.sentences) for (const f of s.features) if (usable(f)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocabulary = [...counts.entries()].filter(([f, n]) => n >= settings.minCount || f === 'bias').map(([f]) => f).sort();
  const index = new Map(vocabulary.map((f, k) => [f, k]));
  const rows = samples.flatMap((n) => n.sentences.map((s, k) => ({ features: s.features.flatMap((f) => index.get(f) ?? []), gold: n.sentenceLabels[k] as ReadonlySet<string> })));
  const biasIndex = index.get('bias') ?? -1;
  const trained = MODEL_CATEGORIES.map((c) => {
    const examples: SparseExample[] = rows.map((r) => ({ features: r.features, label: r.gold.has(c) ? 1 : 0 }));
    return Array.from(trainLogistic(examples, vocabulary.length, { ...settings, biasIndex }), (x, k) => (k === biasIndex || Math.abs(x) >= settings.pruneBelow ? round3(x) : 0));
  });
  const keep = vocabulary.map((_, k) => trained.some((w) => w[k] !== 0));
  const weights = Object.fromEntries(MODEL_CATEGORIES.map((c, i) => [c, (trained[i] as number[]).filter((_, k) => keep[k])])) as Record<ModelCategory, number[]>;
  return { version: 1, trainedOn, features: vocabulary.filter((_, k) => keep[k]), weights, addAt: settings.addAt };
}
