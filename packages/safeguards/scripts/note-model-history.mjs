#!/usr/bin/env node
// The fair test of rules + model on dev: for a writing round that was once a held-out part (h3, h4),
// the rules AS THEY WERE when that part was folded into dev (before any rule was tuned on it, taken
// from git) against those rules plus the model trained on every other round. Reads dev.jsonl only.
//
//   node scripts/note-model-history.mjs [--settings '{"l2":0.001}']   (from packages/safeguards; needs git history)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
// esbuild bundles the TypeScript sources of past commits for Node 20 (no TypeScript loader); it is a
// devDependency of this package: say so plainly when it is missing.
const { build } = await import('esbuild').catch(() => {
  console.error('this script needs esbuild (a devDependency of @peerkit/safeguards): run npm install at the root');
  process.exit(1);
});

// --settings '{"l2":0.001}' overrides training settings (to compare them; the shipped ones are TRAIN_SETTINGS).
const { values } = parseArgs({ options: { settings: { type: 'string', default: '{}' } } });

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(PACKAGE, '..', '..');
/** The commit that folded each once-held-out part into dev.jsonl: its rules had not been tuned on it. */
const FOLDED = { h3: 'b8ea461', h4: '5200959' };
const CATEGORIES = ['scope-of-practice', 'dual-relationship', 'self-disclosure', 'crisis-follow-up', 'confidentiality'];

const work = mkdtempSync(join(tmpdir(), 'peerkit-history-'));
async function bundle(entry, resolveDir, name) {
  const outfile = join(work, `${name}.mjs`);
  await build({ stdin: { contents: entry, resolveDir, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', conditions: ['source'], nodePaths: [join(ROOT, 'node_modules')], outfile, logLevel: 'error' });
  return import(pathToFileURL(outfile).href);
}
const model = await bundle("export * from './src/rules/note/model/cross-validate.ts'; export { TRAIN_SETTINGS } from './src/rules/note/model/train.ts';", PACKAGE, 'model');
const dev = readFileSync(join(PACKAGE, 'test', 'notes', 'dev.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const notes = dev.map(model.labelledNoteOf);
const f2 = (x) => x.toFixed(2);
const prf = (tp, fp, fn) => {
  const p = tp + fp === 0 ? 1 : tp / (tp + fp);
  const r = tp + fn === 0 ? 1 : tp / (tp + fn);
  return { p, r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
};
const THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95];
const pooled = [];
for (const [round, commit] of Object.entries(FOLDED)) {
  const dir = join(work, round);
  execFileSync('sh', ['-c', `mkdir -p ${dir} && git -C ${ROOT} archive ${commit} packages/safeguards/src | tar -x -C ${dir}`]);
  const old = await bundle("export { lintNote } from './src/index.ts';", join(dir, 'packages', 'safeguards'), `rules-${round}`);
  const probabilities = new Map(model.heldRoundProbabilities(notes, round, { ...model.TRAIN_SETTINGS, ...JSON.parse(values.settings) }).map((h) => [h.id, h.probability]));
  for (const n of dev.filter((d) => model.roundOf(d.id) === round)) {
    const found = new Set(old.lintNote(n.text, { context: n.setting === 'group' ? 'group' : 'one-on-one' }).map((f) => f.category));
    pooled.push({ round, gold: new Set(n.labels), rules: found, p: probabilities.get(n.id) });
  }
}
rmSync(work, { recursive: true, force: true });
for (const round of [...Object.keys(FOLDED), 'both']) {
  const rows = pooled.filter((x) => round === 'both' || x.round === round);
  console.log(`${round}: ${rows.length} notes; rules as of the commit that folded it into dev, vs those rules + the model trained on the other rounds (add at threshold t)`);
  console.log(`  ${'category'.padEnd(20)} ${'rules P/R/F1'.padStart(15)} ${THRESHOLDS.map((t) => `t=${t}`.padStart(15)).join(' ')}`);
  for (const c of CATEGORIES) {
    const cell = (predict) => {
      let tp = 0, fp = 0, fn = 0;
      for (const x of rows) {
        const y = predict(x);
        const g = x.gold.has(c);
        if (y && g) tp++;
        else if (y) fp++;
        else if (g) fn++;
      }
      const s = prf(tp, fp, fn);
      return `${f2(s.p)}/${f2(s.r)}/${f2(s.f1)}`.padStart(15);
    };
    console.log(`  ${c.padEnd(20)} ${cell((x) => x.rules.has(c))} ${THRESHOLDS.map((t) => cell((x) => x.rules.has(c) || x.p[c] >= t)).join(' ')}`);
  }
  const macro = (predict) => {
    let sum = 0;
    for (const c of CATEGORIES) {
      let tp = 0, fp = 0, fn = 0;
      for (const x of rows) {
        const y = predict(x, c);
        const g = x.gold.has(c);
        if (y && g) tp++;
        else if (y) fp++;
        else if (g) fn++;
      }
      sum += prf(tp, fp, fn).f1;
    }
    return f2(sum / CATEGORIES.length);
  };
  console.log(`  macro-F1: rules ${macro((x, c) => x.rules.has(c))} ${THRESHOLDS.map((t) => `t=${t}: ${macro((x, c) => x.rules.has(c) || x.p[c] >= t)}`).join(', ')}`);
  const flagged = (predict) => rows.filter((x) => x.gold.size === 0 && CATEGORIES.some((c) => predict(x, c))).length;
  console.log(`  clean flagged: rules ${flagged((x, c) => x.rules.has(c))} ${THRESHOLDS.map((t) => `t=${t}: ${flagged((x, c) => x.rules.has(c) || x.p[c] >= t)}`).join(', ')} of ${rows.filter((x) => x.gold.size === 0).length}`);
}
