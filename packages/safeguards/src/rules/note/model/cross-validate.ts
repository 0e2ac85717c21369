/**
 * Grouped cross-validation of the note model on the development corpus, and the final training:
 * each writing round of `dev.jsonl` is one fold; for each fold the model is trained on the others
 * and scored on it, rules alone against rules plus the model (which adds a category the rules
 * missed when its probability reaches the shipped threshold). Pure (the script
 * `scripts/train-note-model.mjs` does the file reading and writing).
 *
 * The rules were tuned on all of dev, the held folds included, so the rules' figures here are
 * optimistic and the room the model has to add is smaller than on new notes.
 */
import type { NoteContext } from '../../rule-definition';
import { MODEL_CATEGORIES, scoreNote, type ModelCategory, type NoteModelWeights } from './note-model';
import { readLabelledNote, trainNoteModel, TRAIN_SETTINGS, type LabelledNote, type NoteSample, type TrainSettings } from './train';

/** A labelled note with its corpus id (the id says which writing round it comes from). */
export interface CorpusNote extends LabelledNote {
  /** The corpus id (`n0001`, `h3-0001` …). */
  readonly id: string;
}

/**
 * A corpus record (`test/notes/*.jsonl`) as a labelled note: `group` notes are read as group notes,
 * every other setting as one-on-one (as `bench/note-quality.mjs` does).
 *
 * @param record - one parsed line of the corpus
 * @returns the labelled note
 */
export function labelledNoteOf(record: { id: string; setting: string; text: string; labels: string[]; spans: { category: string; start: number; end: number }[] }): CorpusNote {
  const context: NoteContext = record.setting === 'group' ? 'group' : 'one-on-one';
  return { id: record.id, text: record.text, context, labels: record.labels, spans: record.spans };
}

/**
 * The writing round of a dev note, from its id (see `test/notes/README.md`): the first corpus
 * (with the former `held-out.jsonl`, whose notes keep their `n…` ids), three later rounds of `n…`
 * notes, and each former held-out part folded into dev (`h2-…`, `h3-…`, `h4-…`, `h5-…` …) on its own.
 *
 * @param id - the note's id
 * @returns the round's name
 */
export function roundOf(id: string): string {
  const h = /^h(\d+)-/.exec(id);
  if (h) return `h${h[1]}`;
  const n = Number(id.replace(/^n/, ''));
  if (n <= 481) return 'n-1';
  if (n <= 769) return 'n-2';
  if (n <= 878) return 'n-3';
  return 'n-4';
}

/** Precision, recall and F1 of one category. */
export interface Prf {
  /** Notes rightly flagged over notes flagged (1 when none is flagged). */
  readonly precision: number;
  /** Notes rightly flagged over notes that should be (1 when none should be). */
  readonly recall: number;
  /** Harmonic mean of precision and recall. */
  readonly f1: number;
}

function prf(tp: number, fp: number, fn: number): Prf {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

/** A held note's outcome: gold, the rules' categories and the model's probability per category. */
interface Scored {
  readonly fold: string;
  readonly clean: boolean;
  readonly gold: ReadonlySet<string>;
  readonly rules: ReadonlySet<string>;
  readonly probability: Readonly<Record<ModelCategory, number>>;
}

function countFor(scored: readonly Scored[], c: ModelCategory, predict: (s: Scored) => boolean): Prf {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const s of scored) {
    const p = predict(s);
    const g = s.gold.has(c);
    if (p && g) tp += 1;
    else if (p) fp += 1;
    else if (g) fn += 1;
  }
  return prf(tp, fp, fn);
}

function scoreSamples(weights: NoteModelWeights, samples: readonly NoteSample[], fold: string): Scored[] {
  return samples.map((n) => {
    const scores = scoreNote(weights, n.sentences);
    return {
      fold,
      clean: n.labels.size === 0,
      gold: n.labels,
      rules: n.ruleCategories,
      probability: Object.fromEntries(MODEL_CATEGORIES.map((c) => [c, scores[c].probability])) as Record<ModelCategory, number>,
    };
  });
}

/** What {@link crossValidateAndTrain} reports. */
export interface CrossValidation {
  /** Per category, pooled over the held folds: rules alone, rules plus model at the shipped threshold, the model alone at that threshold. */
  readonly rows: readonly { readonly category: ModelCategory; readonly rules: Prf; readonly combined: Prf; readonly model: Prf }[];
  /** Macro-F1 over the five categories: rules alone, rules plus model, model alone. */
  readonly macro: { readonly rules: number; readonly combined: number; readonly model: number };
  /** Clean notes flagged by any category. */
  readonly cleanFlagged: { readonly rules: number; readonly combined: number };
  /** How many clean notes there are. */
  readonly clean: number;
  /** Per fold: its name, size and macro-F1 of rules alone and rules plus model. */
  readonly folds: readonly { readonly name: string; readonly notes: number; readonly rules: number; readonly combined: number }[];
  /** The weights trained on every note. */
  readonly weights: NoteModelWeights;
}

/**
 * Cross-validates the model by writing round (leave one round out) at the shipped threshold, then
 * trains it on every note.
 *
 * @param notes - the development notes
 * @param settings - training settings (default {@link TRAIN_SETTINGS})
 * @returns the figures and the weights to ship
 */
export function crossValidateAndTrain(notes: readonly CorpusNote[], settings: TrainSettings = TRAIN_SETTINGS): CrossValidation {
  const samples = notes.map((n) => readLabelledNote(n));
  const rounds = [...new Set(notes.map((n) => roundOf(n.id)))].sort();
  const heldScores = new Map<string, Scored[]>();
  for (const round of rounds) {
    const train = samples.filter((_, k) => roundOf((notes[k] as CorpusNote).id) !== round);
    const held = samples.filter((_, k) => roundOf((notes[k] as CorpusNote).id) === round);
    heldScores.set(round, scoreSamples(trainNoteModel(train, settings), held, round));
  }
  const all = [...heldScores.values()].flat();
  const byRules = (s: Scored, c: ModelCategory): boolean => s.rules.has(c);
  const byModel = (s: Scored, c: ModelCategory): boolean => s.probability[c] >= settings.addAt;
  const byBoth = (s: Scored, c: ModelCategory): boolean => byRules(s, c) || byModel(s, c);
  const macroOf = (scored: readonly Scored[], predict: (s: Scored, c: ModelCategory) => boolean): number =>
    MODEL_CATEGORIES.reduce((sum, c) => sum + countFor(scored, c, (s) => predict(s, c)).f1, 0) / MODEL_CATEGORIES.length;
  const cleanNotes = all.filter((s) => s.clean);
  return {
    rows: MODEL_CATEGORIES.map((c) => ({
      category: c,
      rules: countFor(all, c, (s) => byRules(s, c)),
      combined: countFor(all, c, (s) => byBoth(s, c)),
      model: countFor(all, c, (s) => byModel(s, c)),
    })),
    macro: { rules: macroOf(all, byRules), combined: macroOf(all, byBoth), model: macroOf(all, byModel) },
    cleanFlagged: {
      rules: cleanNotes.filter((s) => MODEL_CATEGORIES.some((c) => byRules(s, c))).length,
      combined: cleanNotes.filter((s) => MODEL_CATEGORIES.some((c) => byBoth(s, c))).length,
    },
    clean: cleanNotes.length,
    folds: rounds.map((round) => {
      const scored = heldScores.get(round) ?? [];
      return { name: round, notes: scored.length, rules: macroOf(scored, byRules), combined: macroOf(scored, byBoth) };
    }),
    weights: trainNoteModel(samples, settings, describeTraining(notes.length, settings)),
  };
}

/**
 * What the weights file says about how it was made.
 *
 * @param notes - how many dev notes it was trained on
 * @param settings - the training settings
 */
export function describeTraining(notes: number, settings: TrainSettings): string {
  return `trained on test/notes/dev.jsonl (${notes} notes) by scripts/train-note-model.mjs: L2-regularised logistic regression per category over sentence features, ${settings.iterations} full-batch AdaGrad iterations, step ${settings.learningRate}, l2 ${settings.l2}, positive weight ${settings.positiveWeight}, features seen in at least ${settings.minCount} sentences, weights below ${settings.pruneBelow} pruned, rule hits ${settings.ruleFeatures ? '' : 'not '}used as features; adds a category at probability ${settings.addAt}`;
}

/**
 * Trains the weights to ship on every development note (what `crossValidateAndTrain` returns as
 * `weights`, without the cross-validation).
 *
 * @param notes - the development notes
 * @param settings - training settings (default {@link TRAIN_SETTINGS})
 * @returns the weights
 */
export function trainShippedModel(notes: readonly CorpusNote[], settings: TrainSettings = TRAIN_SETTINGS): NoteModelWeights {
  return trainNoteModel(
    notes.map((n) => readLabelledNote(n)),
    settings,
    describeTraining(notes.length, settings),
  );
}

/**
 * The weights file's text: one JSON key per line, arrays on one line each, so a retrain's diff is readable and the file stays small.
 *
 * @param weights - the weights
 * @returns the file's text, ending in a newline
 */
export function serializeWeights(weights: NoteModelWeights): string {
  const lines = [
    `  "version": ${JSON.stringify(weights.version)}`,
    `  "trainedOn": ${JSON.stringify(weights.trainedOn)}`,
    `  "addAt": ${JSON.stringify(weights.addAt)}`,
    `  "features": ${JSON.stringify(weights.features)}`,
    `  "weights": {\n${MODEL_CATEGORIES.map((c) => `    ${JSON.stringify(c)}: ${JSON.stringify(weights.weights[c])}`).join(',\n')}\n  }`,
  ];
  return `{\n${lines.join(',\n')}\n}\n`;
}

/**
 * The model's probabilities for the notes of one writing round, trained on every other round (for
 * comparing with the rules as they were before that round was read; see `scripts/note-model-history.mjs`).
 *
 * @param notes - the development notes
 * @param round - the held round (see {@link roundOf})
 * @param settings - training settings (default {@link TRAIN_SETTINGS})
 * @returns per held note, in order, its id and its probability per category
 */
export function heldRoundProbabilities(notes: readonly CorpusNote[], round: string, settings: TrainSettings = TRAIN_SETTINGS): { id: string; probability: Record<ModelCategory, number> }[] {
  const train = notes.filter((n) => roundOf(n.id) !== round).map((n) => readLabelledNote(n));
  const held = notes.filter((n) => roundOf(n.id) === round);
  const weights = trainNoteModel(train, settings);
  return held.map((n) => {
    const scores = scoreNote(weights, readLabelledNote(n).sentences);
    return { id: n.id, probability: Object.fromEntries(MODEL_CATEGORIES.map((c) => [c, scores[c].probability])) as Record<ModelCategory, number> };
  });
}
