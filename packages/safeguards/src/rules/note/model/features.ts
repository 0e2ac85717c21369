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
import { MODIFIERS, type NoteView } from '../context';
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
