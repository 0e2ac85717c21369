#!/usr/bin/env node
// Validates the labelled note corpus (dev.jsonl and every held-out*.jsonl in this folder) and
// prints its counts.
// Plain Node ESM, no dependencies:   node stats.mjs            (text tables)
//                                     node stats.mjs --markdown (tables for README.md)
// Exit code 1 when any check fails. It reads the held-out files only to validate them and count
// labels; it never prints note text.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
// The held-apart parts are every held-out*.jsonl here (held-out, held-out-2, … in number order), so
// one added later is validated and counted without editing this script.
const heldOutRank = (name) => Number(name.match(/^held-out(?:-(\d+))?$/)?.[1] ?? 1);
const HELD_OUT = readdirSync(HERE)
  .filter((f) => /^held-out(?:-\d+)?\.jsonl$/.test(f))
  .map((f) => f.slice(0, -'.jsonl'.length))
  .sort((a, b) => heldOutRank(a) - heldOutRank(b));
const SPLITS = ['dev', ...HELD_OUT];
const CATEGORIES = ['scope-of-practice', 'dual-relationship', 'self-disclosure', 'crisis-follow-up', 'confidentiality'];
const FORMATS = ['narrative', 'DAP', 'GIRP', 'SOAP', 'bullets'];
const PROGRAMS = ['mental-health', 'substance-use', 'co-occurring'];
const SETTINGS = ['home-visit', 'phone', 'video', 'group', 'ED-follow-up', 'street-outreach', 'shelter', 'jail-re-entry', 'clinic', 'community'];
const KEYS = ['id', 'format', 'setting', 'program', 'text', 'labels', 'spans', 'reason'];
const markdown = process.argv.includes('--markdown');

const errors = [];
const fail = (where, msg) => errors.push(`${where}: ${msg}`);
const seenIds = new Map();
const seenTexts = new Map();
const notes = [];

for (const split of SPLITS) {
  const file = `${split}.jsonl`;
  const lines = readFileSync(join(HERE, file), 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    let n;
    try { n = JSON.parse(line); } catch (e) { fail(where, `not JSON (${e.message})`); return; }
    const keys = Object.keys(n);
    if (keys.join() !== KEYS.join()) fail(where, `fields must be exactly ${KEYS.join(', ')} in that order (got ${keys.join(', ')})`);
    // held-out-N.jsonl (N ≥ 2) numbers its notes hN-NNNN, so its ids never meet the first corpus's nNNNN;
    // dev.jsonl also holds held-out parts folded into it after their one score (ids kept, hN-NNNN).
    const later = split.match(/^held-out-(\d+)$/)?.[1];
    const idShape = later ? `h${later}-NNNN` : split === 'dev' ? 'nNNNN or hN-NNNN' : 'nNNNN';
    const idPattern = later ? new RegExp(`^h${later}-\\d{4}$`) : split === 'dev' ? /^(?:n\d{4}|h\d+-\d{4})$/ : /^n\d{4}$/;
    if (typeof n.id !== 'string' || !idPattern.test(n.id)) fail(where, `id ${JSON.stringify(n.id)} is not ${idShape}`);
    else if (seenIds.has(n.id)) fail(where, `id ${n.id} repeats ${seenIds.get(n.id)}`);
    else seenIds.set(n.id, where);
    if (!FORMATS.includes(n.format)) fail(where, `format ${JSON.stringify(n.format)}`);
    if (!SETTINGS.includes(n.setting)) fail(where, `setting ${JSON.stringify(n.setting)}`);
    if (!PROGRAMS.includes(n.program)) fail(where, `program ${JSON.stringify(n.program)}`);
    if (typeof n.text !== 'string' || n.text.trim() === '') { fail(where, 'text empty'); return; }
    if (seenTexts.has(n.text)) fail(where, `same text as ${seenTexts.get(n.text)}`);
    seenTexts.set(n.text, where);
    if (typeof n.reason !== 'string' || n.reason.trim() === '' || n.reason.includes('\n')) fail(where, 'reason must be one non-empty line');
    if (!Array.isArray(n.labels)) { fail(where, 'labels not an array'); return; }
    for (const l of n.labels) if (!CATEGORIES.includes(l)) fail(where, `label ${JSON.stringify(l)} is not one of the 5 categories`);
    if (new Set(n.labels).size !== n.labels.length) fail(where, 'a label repeats');
    if (!Array.isArray(n.spans)) { fail(where, 'spans not an array'); return; }
    for (const [k, s] of n.spans.entries()) {
      const at = `${where} span ${k}`;
      if (!s || typeof s !== 'object' || Object.keys(s).join() !== 'category,start,end') { fail(at, 'must be {category, start, end}'); continue; }
      if (!n.labels.includes(s.category)) fail(at, `category ${s.category} is not in labels`);
      if (!Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < 0 || s.end > n.text.length || s.start >= s.end) {
        fail(at, `range ${s.start}..${s.end} is not inside the text (length ${n.text.length})`);
        continue;
      }
      const piece = n.text.slice(s.start, s.end);
      if (piece !== piece.trim()) fail(at, 'span starts or ends with whitespace');
      if (!/[A-Za-z]/.test(piece)) fail(at, 'span has no words');
    }
    for (const l of n.labels) if (!n.spans.some((s) => s.category === l)) fail(where, `label ${l} has no span`);
    const words = n.text.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;
    notes.push({ ...n, split, words, hard: n.labels.length === 0 && /^Hard negative \(/.test(n.reason) });
  });
}

// ---- counts --------------------------------------------------------------------------------
const by = (split) => notes.filter((n) => split === 'total' || n.split === split);
const COLS = [...SPLITS, 'total'];
const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');
const rows = [];
const row = (label, f) => rows.push([label, ...COLS.map((c) => f(by(c)))]);

row('notes', (ns) => ns.length);
row('share of notes', (ns) => pct(ns.length, notes.length));
row('clean (no label)', (ns) => ns.filter((n) => !n.labels.length).length);
row('clean share', (ns) => pct(ns.filter((n) => !n.labels.length).length, ns.length));
row('hard negatives (clean)', (ns) => ns.filter((n) => n.hard).length);
row('hard negatives / clean', (ns) => pct(ns.filter((n) => n.hard).length, ns.filter((n) => !n.labels.length).length));
row('with 1 label', (ns) => ns.filter((n) => n.labels.length === 1).length);
row('with 2+ labels', (ns) => ns.filter((n) => n.labels.length > 1).length);
for (const c of CATEGORIES) row(`positive: ${c}`, (ns) => ns.filter((n) => n.labels.includes(c)).length);
row('spans', (ns) => ns.reduce((a, n) => a + n.spans.length, 0));

const table = (title, head, body) => {
  if (markdown) {
    return [`#### ${title}`, '', `| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`), ''].join('\n');
  }
  const w = head.map((h, i) => Math.max(String(h).length, ...body.map((r) => String(r[i]).length)));
  const fmt = (r) => r.map((x, i) => (i ? String(x).padStart(w[i]) : String(x).padEnd(w[i]))).join('  ');
  return [title, fmt(head), ...body.map(fmt), ''].join('\n');
};
const dist = (title, key, values) =>
  table(title, [key, ...COLS], values.map((v) => [v, ...COLS.map((c) => by(c).filter((n) => n[key] === v).length)]));

const traps = [...new Set(notes.filter((n) => n.hard).map((n) => n.reason.match(/^Hard negative \(([^)]+)\)/)[1]))].sort();
const trapRows = traps.map((t) => [t, ...COLS.map((c) => by(c).filter((n) => n.hard && n.reason.startsWith(`Hard negative (${t})`)).length)]);

const q = (a, p) => a[Math.floor(p * (a.length - 1))];
const lenRows = [['all notes', (n) => true], ['clean', (n) => !n.labels.length], ['labelled', (n) => n.labels.length > 0]].map(([name, f]) => {
  const a = notes.filter(f).map((n) => n.words).sort((x, y) => x - y);
  return [name, a[0], q(a, 0.25), q(a, 0.5), q(a, 0.75), a.at(-1)];
});

const out = [
  table('Counts by split', ['', ...COLS], rows),
  dist('Format', 'format', FORMATS),
  dist('Setting', 'setting', SETTINGS),
  dist('Program', 'program', PROGRAMS),
  table('Hard-negative kinds (from the reason prefix "Hard negative (kind)")', ['kind', ...COLS], trapRows),
  table('Words per note', ['', 'min', 'q25', 'median', 'q75', 'max'], lenRows),
];
console.log(out.join('\n'));

if (errors.length) {
  console.error(`\n${errors.length} problem(s):\n${errors.join('\n')}`);
  process.exit(1);
}
console.error(`ok: ${notes.length} notes, ${notes.reduce((a, n) => a + n.spans.length, 0)} spans, all checks passed`);
