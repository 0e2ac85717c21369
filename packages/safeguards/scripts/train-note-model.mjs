#!/usr/bin/env node
// Trains the note model (src/rules/note/model/weights.json) from test/notes/dev.jsonl ONLY, after
// printing grouped cross-validation figures on dev (rules vs rules + model). Deterministic: no randomness anywhere; the same dev.jsonl gives
// the same file (a test checks the shipped file is what this produces).
//
//   npm run train-notes                    (from packages/safeguards) cross-validate, train, write
//   node scripts/train-note-model.mjs --check     exit 1 if the shipped weights differ from a retrain
//   node scripts/train-note-model.mjs --cv-only   print the cross-validation figures, write nothing
//
// Folds: the dev notes were written in rounds (see test/notes/README.md); each round is one fold
// (leave-one-round-out), so a held fold is wording the model did not see. The rules were tuned on
// all of dev, held folds included, so the rules-only figures below are optimistic; the model's are not.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importSources, PACKAGE } from './import-sources.mjs';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false }, 'cv-only': { type: 'boolean', default: false } } });
const WEIGHTS = join(PACKAGE, 'src', 'rules', 'note', 'model', 'weights.json');

// The TypeScript sources, bundled for Node (the package's own build is not needed).
const model = await importSources("export * from './src/rules/note/model/cross-validate.ts';");

const dev = readFileSync(join(PACKAGE, 'test', 'notes', 'dev.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));
const result = model.crossValidateAndTrain(dev.map(model.labelledNoteOf));

const f2 = (x) => x.toFixed(2);
console.log(`note model: ${dev.length} dev notes, ${result.folds.length} folds (one per writing round: ${result.folds.map((f) => `${f.name} ${f.notes}`).join(', ')})`);
console.log('  pooled over the held folds; rules were tuned on all of dev (optimistic), the model never saw its held fold');
const prf = (x) => `${f2(x.precision)}/${f2(x.recall)}/${f2(x.f1)}`;
console.log(`    ${'category'.padEnd(20)} ${'rules P/R/F1'.padStart(16)}   ${'rules+model P/R/F1'.padStart(18)}   ${'model alone P/R/F1'.padStart(18)}`);
for (const row of result.rows) console.log(`    ${row.category.padEnd(20)} ${prf(row.rules).padStart(16)}   ${prf(row.combined).padStart(18)}   ${prf(row.model).padStart(18)}`);
console.log(`    macro-F1 rules ${f2(result.macro.rules)}, rules+model ${f2(result.macro.combined)}, model alone ${f2(result.macro.model)} (model adds at p ≥ ${result.weights.addAt}); clean notes flagged rules ${result.cleanFlagged.rules}, rules+model ${result.cleanFlagged.combined} of ${result.clean}`);
for (const f of result.folds) console.log(`    fold ${f.name.padEnd(6)} macro-F1 rules ${f2(f.rules)}  rules+model ${f2(f.combined)}`);

const text = model.serializeWeights(result.weights);
if (values.check) {
  const shipped = readFileSync(WEIGHTS, 'utf8');
  if (shipped !== text) {
    console.error('the shipped weights differ from a retrain on dev.jsonl: run npm run train-notes');
    process.exit(1);
  }
  console.log('the shipped weights are what dev.jsonl trains');
} else if (!values['cv-only']) {
  writeFileSync(WEIGHTS, text);
  console.log(`wrote ${WEIGHTS} (${(text.length / 1024).toFixed(0)} KB, ${result.weights.features.length} features)`);
}
