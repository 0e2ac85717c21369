#!/usr/bin/env node
// The tuning loop of the note linter: lintNote over dev.jsonl (only; never the held-out files),
// per-category P/R/F1 and every false positive and false negative with the rule ids involved.
//   node dev-errors.mjs                 (uses the built @peerkit/safeguards)
//   node dev-errors.mjs --category crisis-follow-up --text
//   SAFEGUARDS=<path to an ESM bundle of src> node dev-errors.mjs
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { category: { type: 'string' }, text: { type: 'boolean', default: false }, file: { type: 'string', default: 'dev' } } });
if (values.file.startsWith('held-out')) throw new Error('dev-errors.mjs reads the development part only');
const { lintNote } = await import(process.env.SAFEGUARDS ? pathToFileURL(process.env.SAFEGUARDS).href : '@peerkit/safeguards');
const HERE = dirname(fileURLToPath(import.meta.url));
const CATEGORIES = ['scope-of-practice', 'dual-relationship', 'self-disclosure', 'crisis-follow-up', 'confidentiality'];
const notes = readFileSync(join(HERE, `${values.file}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const counts = Object.fromEntries(CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
let clean = 0;
let cleanFlagged = 0;
const errors = [];
for (const n of notes) {
  const findings = lintNote(n.text, { context: n.setting === 'group' ? 'group' : 'one-on-one' });
  if (n.labels.length === 0) {
    clean += 1;
    if (findings.length) cleanFlagged += 1;
  }
  for (const c of CATEGORIES) {
    const got = findings.filter((f) => f.category === c);
    const gold = n.labels.includes(c);
    if (gold && got.length) counts[c].tp += 1;
    else if (got.length) {
      counts[c].fp += 1;
      errors.push({ kind: 'FP', c, n, got });
    } else if (gold) {
      counts[c].fn += 1;
      errors.push({ kind: 'FN', c, n, got });
    }
  }
}
let macro = 0;
for (const c of CATEGORIES) {
  const { tp, fp, fn } = counts[c];
  const p = tp + fp ? tp / (tp + fp) : 1;
  const r = tp + fn ? tp / (tp + fn) : 1;
  const f = p + r ? (2 * p * r) / (p + r) : 0;
  macro += f / CATEGORIES.length;
  console.log(`${c.padEnd(20)} P ${p.toFixed(2)} R ${r.toFixed(2)} F1 ${f.toFixed(2)}  tp ${tp} fp ${fp} fn ${fn}`);
}
console.log(`macro-F1 ${macro.toFixed(3)}; clean flagged ${cleanFlagged}/${clean} (${((100 * cleanFlagged) / clean).toFixed(1)}%); ${notes.length} notes`);
for (const e of errors) {
  if (values.category && !e.c.startsWith(values.category)) continue;
  const spans = e.got.map((f) => `${f.rule}@"${e.n.text.slice(f.start, f.end)}"`).join(', ');
  console.log(`\n${e.kind} ${e.c} ${e.n.id} [${e.n.labels.join(',') || 'clean'}] ${spans}\n   reason: ${e.n.reason}`);
  if (values.text) console.log(`   text: ${e.n.text.replace(/\n/g, ' ⏎ ')}`);
  if (values.text && e.kind === 'FN') for (const s of e.n.spans.filter((s) => s.category === e.c)) console.log(`   gold span: "${e.n.text.slice(s.start, s.end)}"`);
}
