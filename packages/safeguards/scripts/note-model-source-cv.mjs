#!/usr/bin/env node
// Leave-one-source-file-out cross-validation of the note model, through the linter's own path (rules,
// then the model's hits with its ConText gate), for choosing the model's threshold and trying a veto.
// The sources are the old dev.jsonl and the five held-apart files folded into it in the precision
// round, read from git as they were before the fold (commit FOLDED_AT's parent), so each is its own
// fold although `held-out.jsonl`'s notes keep `n…` ids (see docs/note-linter.md).
//
//   node scripts/note-model-source-cv.mjs [--add 0.6,0.7,0.8] [--veto 0,0.02,0.05]
//
// A veto drops a rule's finding in a category whose best sentence the model scores below the floor;
// it is reported, not shipped. Prints aggregates only. Needs esbuild (see train-note-model.mjs).
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { importSources, PACKAGE } from './import-sources.mjs';

const { values } = parseArgs({ options: { add: { type: 'string', default: '0.7' }, veto: { type: 'string', default: '0' } } });
/** The commit that folded the five held-apart files into dev.jsonl. */
const FOLDED_AT = 'cea2185';
const SOURCES = [['old dev', 'dev'], ['held-out', 'held-out'], ['held-out-2', 'held-out-2'], ['held-out-5', 'held-out-5'], ['held-out-6', 'held-out-6'], ['held-out-7', 'held-out-7']];

const m = await importSources(
  [
    "export { labelledNoteOf } from './src/rules/note/model/cross-validate.ts'",
    "export { trainNoteModel, TRAIN_SETTINGS } from './src/rules/note/model/train.ts'",
    "export { scoreNote, MODEL_CATEGORIES } from './src/rules/note/model/note-model.ts'",
    "export { modelHits } from './src/rules/note/model/model-rules.ts'",
    "export { ruleSignals, sentenceFeatures } from './src/rules/note/model/features.ts'",
    "export { detectNoteProblems } from './src/rules/note-rules.ts'",
    "export { viewNote } from './src/rules/note/context.ts'",
    "export { DEFAULT_POLICY } from './src/rules/policy.ts'",
    "export { RULES } from './src/rules/catalog.ts'",
  ].join(';\n'),
);

const policy = m.DEFAULT_POLICY;
const CATS = m.MODEL_CATEGORIES;
const categoryOf = new Map(m.RULES.map((r) => [r.id, r.category]));
const gitFile = (name) => execFileSync('git', ['show', `${FOLDED_AT}~1:packages/safeguards/test/notes/${name}.jsonl`], { cwd: PACKAGE, encoding: 'utf8', maxBuffer: 1 << 26 });
const notes = [];
for (const [source, file] of SOURCES) {
  for (const line of gitFile(file).split('\n')) {
    if (line.trim() === '') continue;
    const n = m.labelledNoteOf(JSON.parse(line));
    const view = m.viewNote(n.text, n.context);
    const hits = m.detectNoteProblems(n.text, { context: n.context, policy }, () => view);
    const signals = m.ruleSignals(hits);
    const sentences = m.sentenceFeatures(view, signals);
    const sentenceLabels = sentences.map((s) => new Set(n.spans.filter((g) => g.start < s.end && g.end > s.start).map((g) => g.category)));
    notes.push({ source, n, view, hits, sample: { sentences, ruleCategories: new Set(signals.map((h) => h.category)), labels: new Set(n.labels), sentenceLabels } });
  }
}

const adds = values.add.split(',').map(Number);
const vetos = values.veto.split(',').map(Number);
const empty = () => ({ counts: Object.fromEntries(CATS.map((c) => [c, [0, 0, 0]])), clean: 0, flagged: 0 });
const results = new Map(); // variant -> source -> counts
const tally = (variant, source, note, predicted) => {
  if (!results.has(variant)) results.set(variant, new Map());
  const bySource = results.get(variant);
  if (!bySource.has(source)) bySource.set(source, empty());
  const t = bySource.get(source);
  if (note.labels.length === 0) {
    t.clean += 1;
    if (predicted.size > 0) t.flagged += 1;
  }
  for (const c of CATS) {
    const gold = note.labels.includes(c);
    if (gold && predicted.has(c)) t.counts[c][0] += 1;
    else if (predicted.has(c)) t.counts[c][1] += 1;
    else if (gold) t.counts[c][2] += 1;
  }
};
for (const [source] of SOURCES) {
  const weights = m.trainNoteModel(notes.filter((x) => x.source !== source).map((x) => x.sample));
  for (const x of notes.filter((y) => y.source === source)) {
    const scores = m.scoreNote(weights, x.sample.sentences);
    tally('rules alone', source, x.n, new Set(x.hits.map((h) => categoryOf.get(h.rule))));
    for (const add of adds) {
      for (const veto of vetos) {
        const kept = x.hits.filter((h) => !(scores[categoryOf.get(h.rule)].probability < veto));
        const added = m.modelHits({ ...weights, addAt: add }, x.view, m.ruleSignals(kept), { policy, crisisDocumented: false });
        tally(`rules + model p >= ${add}${veto > 0 ? `, veto below ${veto}` : ''}`, source, x.n, new Set([...kept, ...added].map((h) => categoryOf.get(h.rule) ?? h.rule.replace(/^note-model\./, ''))));
      }
    }
  }
}

const f2 = (x) => x.toFixed(3);
const figures = (t) => {
  const f1 = CATS.map((c) => {
    const [tp, fp, fn] = t.counts[c];
    const p = tp + fp ? tp / (tp + fp) : 1;
    const r = tp + fn ? tp / (tp + fn) : 1;
    return p + r ? (2 * p * r) / (p + r) : 0;
  });
  return `macro-F1 ${f2(f1.reduce((a, b) => a + b) / f1.length)}, lowest ${f2(Math.min(...f1))}, clean flagged ${t.flagged}/${t.clean} (${((100 * t.flagged) / t.clean).toFixed(1)}%)`;
};
const pooled = (bySource) => {
  const t = empty();
  for (const [source, s] of bySource) {
    if (source === 'old dev') continue;
    t.clean += s.clean;
    t.flagged += s.flagged;
    for (const c of CATS) for (let i = 0; i < 3; i++) t.counts[c][i] += s.counts[c][i];
  }
  return t;
};
console.log(`note model, leave one source file out (${notes.length} notes; trained on the other sources with TRAIN_SETTINGS, scored through the linter's path)`);
for (const [variant, bySource] of results) {
  console.log(`  ${variant}`);
  for (const [source, t] of bySource) console.log(`    ${source.padEnd(12)} ${figures(t)}`);
  console.log(`    ${'the five'.padEnd(12)} ${figures(pooled(bySource))}`);
}
