import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crossValidateAndTrain, labelledNoteOf, roundOf, serializeWeights, trainShippedModel, type CorpusNote } from './cross-validate';
import { MODEL_CATEGORIES } from './note-model';
import { readLabelledNote, trainNoteModel, TRAIN_SETTINGS } from './train';

/** A small synthetic corpus in two writing rounds: loans are dual-relationship, the rest clean. */
const synthetic: CorpusNote[] = [
  ['n0001', 'Met pt at the library. I lent her $20 for groceries.', true],
  ['n0002', 'Pt asked for a loan and I lent him $50 from my wallet.', true],
  ['n0003', 'Reviewed goals. Pt found a job lead at the library.', false],
  ['n0004', 'Walked to the food bank together. Pt got groceries.', false],
  ['h3-0001', 'I lent the peer $10 for the bus. Talked about work.', true],
  ['h3-0002', 'Talked about work and the bus schedule.', false],
].map(([id, text, dual]) => {
  const t = text as string;
  const start = t.indexOf('I lent');
  return {
    id: id as string,
    text: t,
    context: 'one-on-one' as const,
    labels: dual ? ['dual-relationship'] : [],
    spans: dual ? [{ category: 'dual-relationship', start, end: t.indexOf('.', start) + 1 }] : [],
  };
});
const settings = { ...TRAIN_SETTINGS, minCount: 1, iterations: 60 };

describe('readLabelledNote', () => {
  it('labels a sentence with the categories whose labelled spans it overlaps', () => {
    const sample = readLabelledNote(synthetic[0] as CorpusNote);
    expect(sample.sentenceLabels.map((s) => [...s])).toEqual([[], ['dual-relationship']]);
    expect([...sample.labels]).toEqual(['dual-relationship']);
  });

  it('records the categories the rules found', () => {
    expect([...readLabelledNote(synthetic[0] as CorpusNote).ruleCategories]).toContain('dual-relationship');
    expect([...readLabelledNote(synthetic[2] as CorpusNote).ruleCategories]).toEqual([]);
  });
});

describe('trainNoteModel', () => {
  const samples = synthetic.map((n) => readLabelledNote(n));

  it('gives the same weights on every run (deterministic: no randomness)', () => {
    expect(serializeWeights(trainNoteModel(samples, settings, 'x'))).toBe(serializeWeights(trainNoteModel(samples, settings, 'x')));
  });

  it('learns the positives’ words for their category, and keeps rule hits out of the features', () => {
    const model = trainNoteModel(samples, settings);
    const k = model.features.indexOf('w:lent');
    expect(k).toBeGreaterThanOrEqual(0);
    expect(model.weights['dual-relationship'][k]).toBeGreaterThan(0);
    expect(model.weights['scope-of-practice'][k]).toBeLessThanOrEqual(0);
    expect(model.features.some((f) => f.startsWith('r:') || f.startsWith('nr:'))).toBe(false);
    expect(model.addAt).toBe(settings.addAt);
  });

  it('keeps rule hits as features when told to', () => {
    expect(trainNoteModel(samples, { ...settings, ruleFeatures: true }).features).toContain('nr:dual-relationship');
  });
});

describe('roundOf and labelledNoteOf', () => {
  it.each([
    ['n0001', 'n-1'],
    ['n0481', 'n-1'],
    ['n0482', 'n-2'],
    ['n0770', 'n-3'],
    ['n0879', 'n-4'],
    ['h3-0007', 'h3'],
    ['h4-0200', 'h4'],
  ])('%s is in round %s', (id, round) => {
    expect(roundOf(id)).toBe(round);
  });

  it('reads group notes as group notes and every other setting as one-on-one', () => {
    const base = { id: 'n0001', text: 'x', labels: [], spans: [] };
    expect(labelledNoteOf({ ...base, setting: 'group' }).context).toBe('group');
    expect(labelledNoteOf({ ...base, setting: 'shelter' }).context).toBe('one-on-one');
  });
});

describe('crossValidateAndTrain', () => {
  it('holds out one writing round at a time and reports rules, rules + model and the model per category', () => {
    const cv = crossValidateAndTrain(synthetic, settings);
    expect(cv.folds.map((f) => [f.name, f.notes])).toEqual([
      ['h3', 2],
      ['n-1', 4],
    ]);
    expect(cv.rows.map((r) => r.category)).toEqual([...MODEL_CATEGORIES]);
    expect(cv.clean).toBe(3);
    // Rules + model never finds fewer notes than the rules alone (the model only adds).
    for (const r of cv.rows) expect(r.combined.recall).toBeGreaterThanOrEqual(r.rules.recall);
    expect(serializeWeights(cv.weights)).toBe(serializeWeights(trainShippedModel(synthetic, settings)));
  });
});

describe('weights.json', () => {
  it('is exactly what training on test/notes/dev.jsonl gives (retrain: npm run train-notes)', () => {
    const dev = readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'notes', 'dev.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => labelledNoteOf(JSON.parse(line)));
    const shipped = readFileSync(join(__dirname, 'weights.json'), 'utf8');
    expect(serializeWeights(trainShippedModel(dev)) === shipped).toBe(true);
  }, 600_000); // every dev note: ~20 s alone, past 120 s in a full npm test on 2 cores
});
