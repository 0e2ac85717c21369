/**
 * Tokens, parts of speech and sentences of note text, from wink-nlp with its English "lite web"
 * model (MIT; pure JavaScript, runs in a browser and in Node, no `node:` module). Notes are not
 * prose: a line break ends a sentence (bullets, SOAP/DAP/GIRP sections), a heading such as `A:` or
 * `Assessment:` at the start of a line names the section of what follows, and quoted words are
 * someone's own words. Every offset is a JavaScript string offset into the original text.
 *
 * See: https://winkjs.org/wink-nlp/ (sentence boundary detection, tokenization, POS tagging)
 */
import model from 'wink-eng-lite-web-model';
import winkNLP, { type WinkMethods } from 'wink-nlp';
import type { Span } from './names';

/** A word or punctuation token of a text. */
export interface Token extends Span {
  /** The token, lower-cased (as written; contractions stay split: `did` + `n't`). */
  readonly norm: string;
  /** Universal part of speech from the model: `NOUN`, `PROPN`, `VERB`, `AUX`, `PRON`, `PUNCT`, … */
  readonly pos: string;
  /** The token starts with a capital letter. */
  readonly capitalized: boolean;
  /** The token is inside a quotation ("…" or “…”). */
  readonly quoted: boolean;
}

/** A sentence: a span of the text and the tokens `[first, last)` in it. */
export interface Sentence extends Span {
  readonly first: number;
  readonly last: number;
  /** The heading the sentence is under, lower-cased without the colon (`a`, `assessment`, `p`, …). */
  readonly section: string | undefined;
  /** The sentence starts a line (after any bullet or heading). */
  readonly startsLine: boolean;
}

/** A text cut into tokens and sentences. */
export interface AnalyzedText {
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly sentences: readonly Sentence[];
}

/** Section headings of SOAP, DAP, GIRP and BIRP notes, written at the start of a line before a colon. */
const HEADINGS = new Set([
  's', 'o', 'a', 'p', 'd', 'g', 'i', 'r', 'b',
  'subjective', 'objective', 'assessment', 'plan', 'data', 'goal', 'goals', 'intervention', 'interventions',
  'response', 'behavior', 'behaviour', 'note', 'summary',
]);
const BULLETS = new Set(['-', '*', '•', '–', '·', '>']);

/*
 * The model takes about 80 ms to load, so it is loaded on first use rather than on import (the
 * package stays free of side effects on import); the instance is read-only afterwards.
 */
let engine: WinkMethods | undefined;
function nlp(): WinkMethods {
  engine ??= winkNLP(model, ['sbd', 'pos']);
  return engine;
}

/**
 * Single-quoted words ("texted 'I can't keep doing this.'"): a `'` or `‘` at the start of a word opens,
 * one at the end of a word closes; apostrophes inside words ("can't") and a quote never closed on its
 * line are not quotes.
 */
const SINGLE_QUOTED = /(?<![\w'’])['‘](?=[A-Za-z])[^\n]*?[^\s'‘](?:['’])(?![\w])/g;

/** The `[start, end)` ranges of the text that are inside double or single quotes. */
function quotedRanges(text: string): Span[] {
  const out: Span[] = [...text.matchAll(SINGLE_QUOTED)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '“') open = i;
    else if (c === '”') {
      if (open >= 0) out.push({ start: open, end: i + 1 });
      open = -1;
    } else if (c === '"') {
      if (open >= 0) {
        out.push({ start: open, end: i + 1 });
        open = -1;
      } else open = i;
    } else if (c === '\n' && open >= 0 && text[open] === '"') open = -1; // an unclosed quote ends with its line
  }
  return out.sort((a, b) => a.start - b.start).filter((r, k, all) => k === 0 || r.start >= (all[k - 1] as Span).end);
}

/**
 * Cuts a text into tokens (with parts of speech) and sentences.
 *
 * @param text - any text
 * @returns tokens without whitespace, and sentences that never cross a line break
 * @example
 * analyzeText('D: Pt denies SI.\n- f/u Fri').sentences.map((s) => s.section);
 * // ['d', undefined]
 */
export function analyzeText(text: string): AnalyzedText {
  const w = nlp();
  const doc = w.readDoc(text);
  const its = w.its;
  const values = doc.tokens().out() as string[];
  const spaces = doc.tokens().out(its.precedingSpaces) as string[];
  const tags = doc.tokens().out(its.pos) as string[];
  const spans = doc.sentences().out(its.span) as unknown as number[][];
  const quotes = quotedRanges(text);

  // Token offsets: wink keeps every character (value + preceding spaces); search as a safeguard.
  const tokens: Token[] = [];
  const keptIndex: number[] = new Array<number>(values.length).fill(-1);
  const lineBreakBefore: boolean[] = [];
  let at = 0;
  let pendingBreak = true;
  let q = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? '';
    const gap = spaces[i] ?? '';
    let start = at + gap.length;
    if (text.startsWith(value, start) === false) {
      const found = text.indexOf(value, at);
      start = found === -1 ? at : found;
    }
    const end = Math.min(text.length, start + value.length);
    if (/\n/.test(text.slice(at, start))) pendingBreak = true;
    at = end;
    if (value.trim() === '') {
      if (value.includes('\n')) pendingBreak = true;
      continue;
    }
    while (q < quotes.length && (quotes[q]?.end ?? 0) <= start) q++;
    const range = quotes[q];
    const quoted = range !== undefined && range.start < start && end <= range.end && value !== '"';
    keptIndex[i] = tokens.length;
    lineBreakBefore.push(pendingBreak);
    pendingBreak = false;
    tokens.push({ start, end, norm: value.toLowerCase(), pos: tags[i] ?? 'X', capitalized: /^\p{Lu}/u.test(value), quoted });
  }

  // Sentence breaks: the model's, plus every line break.
  const breakAt = new Set<number>();
  for (const span of spans) {
    let first = span[0] ?? 0;
    while (first < values.length && keptIndex[first] === -1) first++;
    const k = keptIndex[first];
    if (k !== undefined && k >= 0) breakAt.add(k);
  }
  lineBreakBefore.forEach((b, k) => {
    if (b) breakAt.add(k);
  });
  // The model runs on past a closing quote: `…at 3am." I told her…` is two sentences.
  for (let k = 2; k < tokens.length; k++) {
    const quote = tokens[k - 1]?.norm;
    if ((quote === '"' || quote === '”') && /[.!?]$/.test(tokens[k - 2]?.norm ?? '') && tokens[k]?.capitalized) breakAt.add(k);
  }

  const sentences: Sentence[] = [];
  let section: string | undefined;
  let k = 0;
  while (k < tokens.length) {
    let end = k + 1;
    while (end < tokens.length && !breakAt.has(end)) end++;
    let first = k;
    const startsLine = lineBreakBefore[k] === true;
    if (startsLine) {
      while (first < end && BULLETS.has(tokens[first]?.norm ?? '')) first++;
      const head = tokens[first];
      if (head && tokens[first + 1]?.norm === ':' && HEADINGS.has(head.norm.replace(/\.$/, ''))) {
        section = head.norm.replace(/\.$/, '');
        first += 2;
      }
    }
    if (first < end) {
      const a = tokens[first] as Token;
      const b = tokens[end - 1] as Token;
      sentences.push({ start: a.start, end: b.end, first, last: end, section, startsLine });
    }
    k = end;
  }
  return { text, tokens, sentences };
}

/**
 * Whether a word is in the model's English lexicon (common words, and some common first names).
 *
 * @param word - one word, any case
 */
export function isKnownWord(word: string): boolean {
  lexicon ??= nlp().readDoc('');
  return lexicon.isLexeme(word.toLowerCase()) !== null;
}
let lexicon: ReturnType<WinkMethods['readDoc']> | undefined;

/** Escapes a term for a regular expression. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A whole-word, case-insensitive alternation of terms, or `undefined` for none. */
export function termsPattern(terms: readonly string[]): string | undefined {
  const cleaned = terms.map((t) => t.trim()).filter((t) => t.length > 0);
  if (cleaned.length === 0) return undefined;
  return cleaned.map((t) => escapeRegExp(t).replace(/\s+/g, '\\s+')).join('|');
}
