/**
 * The features of the note model: one bag of string features per sentence of a note, read from
 * the same {@link NoteView} the rules read (wink-nlp tokens and parts of speech, clauses and their
 * subjects, ConText modifier cues, section headings), plus the rules' own signals (which rule fired
 * in the sentence, which category fired anywhere in the note, whether the note documents a crisis
 * response). Words are lower-cased and crudely stemmed so that unseen inflections share a weight.
 */
import type { Span } from '../../../internal/names';
import type { Token } from '../../../internal/text';
import { NOTE_RULES, type NoteHit } from '../../note-rules';
import type { NoteView } from '../context';
import { MODIFIERS, type Modifier } from '../modifiers';
import { documentsResponse } from '../crisis-follow-up';

/** A rule hit the features may use: its rule id, its category and its span. */
export interface RuleSignal extends Span {
  /** The rule id. */
  readonly rule: string;
  /** The rule's category. */
  readonly category: string;
}

/** One sentence of a note, as the model sees it. */
export interface SentenceFeatures extends Span {
  /** The sentence's features; each occurs once. */
  readonly features: readonly string[];
}

const CATEGORY_OF_RULE = new Map<string, string>(NOTE_RULES.map((r) => [r.definition.id, r.definition.category]));

/**
 * The rule signals of a note: every rule hit with its category.
 *
 * @param hits - the rule hits (`detectNoteProblems`)
 * @returns the hits with their categories and spans
 */
export function ruleSignals(hits: readonly NoteHit[]): RuleSignal[] {
  return hits.map((h) => ({ rule: h.rule, category: CATEGORY_OF_RULE.get(h.rule) ?? 'unknown', start: h.span.start, end: h.span.end }));
}

const WORDLIKE = /[\p{L}\p{N}]/u;

/**
 * A crude stem: lower-case, digits collapsed, a few English inflections removed ("loaned" and
 * "loans" both become "loan"), so a word written another way still meets its weight.
 *
 * @param norm - a lower-cased token
 * @returns its stem
 */
export function stem(norm: string): string {
  if (/\d/.test(norm)) return /^\$/.test(norm) ? '$0' : '0';
  let w = norm.replace(/^'+|'+$/g, '');
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith('es')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  return w;
}

/** Receives one feature of one sentence (by the sentence's index in the note). */
export type FeatureSink = (sentence: number, feature: string) => void;

/**
 * Emits the features of every sentence of a note, sentence by sentence (all of a sentence's before
 * the next one's); a feature may be emitted more than once for a sentence, and counts once.
 *
 * @param note - the note as the rules read it
 * @param signals - the rule hits on the note (empty when the rules found nothing)
 * @param emit - receives each sentence index and feature
 */
export function emitFeatures(note: NoteView, signals: readonly RuleSignal[], emit: FeatureSink): void {
  const noteLevel: string[] = [`ctx:${note.context}`];
  for (const category of new Set(signals.map((s) => s.category))) noteLevel.push(`nr:${category}`);
  // The crisis rule's own test for a documented response: a crisis sentence weighs less when it holds.
  if (documentsResponse(note)) noteLevel.push('resp');
  // A cue the whole note lacks is in none of its sentences: each sentence is tested only for the
  // modifiers whose cue occurs somewhere in the note (most notes hold few of them).
  const present = MODIFIERS.filter((m) => ((m.cue.lastIndex = 0), m.cue.test(note.text)));
  note.sentences.forEach((s, i) => {
    for (const f of noteLevel) emit(i, f);
    emit(i, 'bias');
    if (s.section !== undefined) emit(i, `sec:${s.section}`);
    let previous: string | undefined;
    for (let k = s.first; k < s.last; k++) {
      const t = note.tokens[k] as Token;
      if (!WORDLIKE.test(t.norm)) {
        previous = undefined;
        continue;
      }
      const w = stem(t.norm);
      emit(i, `w:${w}`);
      if (t.quoted) emit(i, `q:${w}`);
      if (previous !== undefined) emit(i, `b:${previous}_${w}`);
      previous = w;
    }
    for (const c of s.clauses) {
      emit(i, `s:${c.subject}`);
      if (c.verb !== undefined) emit(i, `sv:${c.subject}:${stem((note.tokens[c.verb] as Token).norm)}`);
    }
    for (const m of present) {
      m.cue.lastIndex = 0;
      if (m.cue.test(s.text)) emit(i, `m:${m.category}`);
    }
    for (const hit of signals) if (hit.start < s.end && hit.end > s.start) emit(i, `r:${hit.rule}`);
  });
}

/**
 * The features of every sentence of a note (each once, in the order {@link emitFeatures} first gives them).
 *
 * @param note - the note as the rules read it
 * @param signals - the rule hits on the note (empty when the rules found nothing)
 * @returns one entry per sentence, in order
 * @example
 * sentenceFeatures(viewNote('I lent her $40.', 'one-on-one'), [])[0]?.features.includes('w:lent'); // true
 */
export function sentenceFeatures(note: NoteView, signals: readonly RuleSignal[]): SentenceFeatures[] {
  const sets = note.sentences.map(() => new Set<string>());
  emitFeatures(note, signals, (i, f) => sets[i]?.add(f));
  return note.sentences.map((s, i) => ({ start: s.start, end: s.end, features: [...(sets[i] as Set<string>)] }));
}

/** What the vocabulary holds for one token (by its lower-cased form): its stem and the ids of its features. */
interface TokenIds {
  /** Whether the token is a word ({@link emitFeatures} skips the others and breaks bigrams at them). */
  readonly wordlike: boolean;
  /** Its {@link stem}. */
  readonly stem: string;
  /** The id of `w:<stem>`, or -1. */
  readonly w: number;
  /** The id of `q:<stem>`, or -1. */
  readonly q: number;
  /** The ids of the bigrams `b:<stem>_<next stem>`, by the next stem (undefined: none in the vocabulary). */
  readonly next: ReadonlyMap<string, number> | undefined;
}

/**
 * A feature vocabulary compiled so that {@link emitFeatureIds} finds a sentence's feature ids
 * without writing the features' strings: maps from the reading's own strings (token forms, stems,
 * actors, sections, modifier categories, rule ids) to ids, pairs through nested maps.
 */
export interface FeatureTable {
  /** The number of features (ids are `0 … size-1`, the vocabulary's order). */
  readonly size: number;
  /** The id of `bias`, or -1. */
  readonly bias: number;
  /** The id of `resp`, or -1. */
  readonly resp: number;
  /** `ctx:<context>` by context. */
  readonly ctx: ReadonlyMap<string, number>;
  /** `nr:<category>` by category. */
  readonly nr: ReadonlyMap<string, number>;
  /** `sec:<section>` by section. */
  readonly sec: ReadonlyMap<string, number>;
  /** `s:<actor>` by actor. */
  readonly subject: ReadonlyMap<string, number>;
  /** `r:<rule>` by rule id. */
  readonly rule: ReadonlyMap<string, number>;
  /** `m:<category>` per modifier of {@link MODIFIERS} whose feature is in the vocabulary, in their order. */
  readonly modifiers: readonly { readonly modifier: Modifier; readonly id: number }[];
  /** `sv:<actor>:<stem>`: by actor, then stem. */
  readonly subjectVerb: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** Mutable state of a table: the token memo and the once-per-sentence marks. */
interface TableState {
  readonly words: Map<string, number>;
  readonly quoted: Map<string, number>;
  readonly bigrams: Map<string, Map<string, number>>;
  readonly tokens: Map<string, TokenIds>;
  readonly marks: Int32Array;
  mark: number;
}

const STATE = new WeakMap<FeatureTable, TableState>();
/** The token memo is cleared past this many distinct token forms (bounded memory on any text). */
const TOKEN_MEMO_LIMIT = 50_000;

/** Adds `key` under every split of `rest` at `separator` (a stem may hold the separator: every reading is kept). */
function addPair(into: Map<string, Map<string, number>>, rest: string, separator: string, id: number): void {
  for (let at = rest.indexOf(separator); at >= 0; at = rest.indexOf(separator, at + 1)) {
    const first = rest.slice(0, at);
    const second = rest.slice(at + separator.length);
    let inner = into.get(first);
    if (inner === undefined) into.set(first, (inner = new Map()));
    inner.set(second, id);
  }
}

/**
 * Compiles a feature vocabulary (the strings {@link emitFeatures} writes) for {@link emitFeatureIds}.
 *
 * @param features - the vocabulary; a feature's id is its index
 * @returns the table
 */
export function compileFeatureTable(features: readonly string[]): FeatureTable {
  const ctx = new Map<string, number>();
  const nr = new Map<string, number>();
  const sec = new Map<string, number>();
  const subject = new Map<string, number>();
  const rule = new Map<string, number>();
  const category = new Map<string, number>();
  const subjectVerb = new Map<string, Map<string, number>>();
  const words = new Map<string, number>();
  const quoted = new Map<string, number>();
  const bigrams = new Map<string, Map<string, number>>();
  let bias = -1;
  let resp = -1;
  const prefixed: readonly [string, Map<string, number>][] = [
    ['ctx:', ctx],
    ['nr:', nr],
    ['sec:', sec],
    ['s:', subject],
    ['r:', rule],
    ['m:', category],
    ['w:', words],
    ['q:', quoted],
  ];
  features.forEach((f, id) => {
    // A feature written twice keeps its last id, as the scorer's index does.
    if (f === 'bias') bias = id;
    else if (f === 'resp') resp = id;
    else if (f.startsWith('b:')) addPair(bigrams, f.slice(2), '_', id);
    else if (f.startsWith('sv:')) addPair(subjectVerb, f.slice(3), ':', id);
    else
      for (const [prefix, into] of prefixed)
        if (f.startsWith(prefix)) {
          into.set(f.slice(prefix.length), id);
          break;
        }
  });
  const modifiers = MODIFIERS.flatMap((modifier) => {
    const id = category.get(modifier.category);
    return id === undefined ? [] : [{ modifier, id }];
  });
  const table: FeatureTable = { size: features.length, bias, resp, ctx, nr, sec, subject, rule, modifiers, subjectVerb };
  STATE.set(table, { words, quoted, bigrams, tokens: new Map(), marks: new Int32Array(features.length), mark: 0 });
  return table;
}

/** A token form's stem and feature ids, memoised. */
function tokenIds(state: TableState, norm: string): TokenIds {
  let ids = state.tokens.get(norm);
  if (ids !== undefined) return ids;
  const s = stem(norm);
  ids = { wordlike: WORDLIKE.test(norm), stem: s, w: state.words.get(s) ?? -1, q: state.quoted.get(s) ?? -1, next: state.bigrams.get(s) };
  if (state.tokens.size >= TOKEN_MEMO_LIMIT) state.tokens.clear();
  state.tokens.set(norm, ids);
  return ids;
}

/** Receives one feature id of one sentence (by the sentence's index in the note); each id once per sentence. */
export type FeatureIdSink = (sentence: number, id: number) => void;

/**
 * Emits the ids of the features of every sentence of a note that are in a table's vocabulary: the
 * features {@link emitFeatures} emits (the definition; a test holds the two equal on every dev
 * note), in the order it first emits them, each once per sentence, without writing their strings.
 *
 * @param note - the note as the rules read it
 * @param signals - the rule hits on the note
 * @param table - the compiled vocabulary ({@link compileFeatureTable})
 * @param emit - receives each sentence index and feature id
 */
export function emitFeatureIds(note: NoteView, signals: readonly RuleSignal[], table: FeatureTable, emit: FeatureIdSink): void {
  const state = STATE.get(table) as TableState;
  const marks = state.marks;
  const noteLevel: number[] = [];
  const context = table.ctx.get(note.context);
  if (context !== undefined) noteLevel.push(context);
  for (const s of signals) {
    const id = table.nr.get(s.category);
    if (id !== undefined) noteLevel.push(id);
  }
  if (table.resp >= 0 && documentsResponse(note)) noteLevel.push(table.resp);
  const present = table.modifiers.filter(({ modifier: m }) => ((m.cue.lastIndex = 0), m.cue.test(note.text)));
  const tokens = note.tokens;
  let i = 0;
  let mark = 0;
  const put = (id: number | undefined): void => {
    if (id === undefined || id < 0 || marks[id] === mark) return;
    marks[id] = mark;
    emit(i, id);
  };
  note.sentences.forEach((s, index) => {
    if (state.mark >= 0x7fffffff) {
      marks.fill(0);
      state.mark = 0;
    }
    mark = ++state.mark;
    i = index;
    for (const id of noteLevel) put(id);
    put(table.bias);
    if (s.section !== undefined) put(table.sec.get(s.section));
    let previous: TokenIds | undefined;
    for (let k = s.first; k < s.last; k++) {
      const t = tokens[k] as Token;
      const ids = tokenIds(state, t.norm);
      if (!ids.wordlike) {
        previous = undefined;
        continue;
      }
      put(ids.w);
      if (t.quoted) put(ids.q);
      if (previous?.next !== undefined) put(previous.next.get(ids.stem));
      previous = ids;
    }
    for (const c of s.clauses) {
      put(table.subject.get(c.subject));
      if (c.verb !== undefined) put(table.subjectVerb.get(c.subject)?.get(tokenIds(state, (tokens[c.verb] as Token).norm).stem));
    }
    for (const { modifier: m, id } of present) {
      m.cue.lastIndex = 0;
      if (m.cue.test(s.text)) put(id);
    }
    for (const hit of signals) if (hit.start < s.end && hit.end > s.start) put(table.rule.get(hit.rule));
  });
}
