/**
 * Runs the note rules over a note's text. The rules judge what the specialist did, not which words
 * occur: each is a small named rule in its category's file under `note/` (scope of practice, dual
 * relationships, self-disclosure, crisis follow-up, confidentiality), reading the note's sentences,
 * clauses and their subjects, and the ConText modifiers around what it finds (`note/context.ts`).
 * The note is read (sentences, tokens, parts of speech) once, and only when some rule's trigger
 * words occur in it.
 */
import type { Span } from '../internal/names';
import { CONFIDENTIALITY_RULES } from './note/confidentiality';
import { viewNote, type NoteView } from './note/context';
import { crisisIndicators, CRISIS_FOLLOW_UP_RULES } from './note/crisis-follow-up';
import { DUAL_RELATIONSHIP_RULES } from './note/dual-relationship';
import type { NoteRule } from './note/note-rule';
import { SCOPE_OF_PRACTICE_RULES } from './note/scope-of-practice';
import { SELF_DISCLOSURE_RULES } from './note/self-disclosure';
import type { Policy } from './policy';
import type { NoteContext } from './rule-definition';

/** The note rules, by category, in catalog order. */
export const NOTE_RULES: readonly NoteRule[] = [
  ...SCOPE_OF_PRACTICE_RULES,
  ...DUAL_RELATIONSHIP_RULES,
  ...SELF_DISCLOSURE_RULES,
  ...CRISIS_FOLLOW_UP_RULES,
  ...CONFIDENTIALITY_RULES,
];

/** The note rules' ids with their rules (the catalog test checks every note rule has one). */
export const NOTE_DETECTORS: readonly { readonly id: string; readonly rule: NoteRule }[] = NOTE_RULES.map((rule) => ({ id: rule.definition.id, rule }));

/** A finding of a note rule, before it becomes a {@link Finding}. */
export interface NoteHit {
  readonly rule: string;
  readonly span: Span;
}

/** Options of {@link detectNoteProblems}. */
export interface DetectOptions {
  readonly context: NoteContext;
  readonly policy: Policy;
  /** The crisis is documented in structured fields (crisis actions or referral); text actions count too. */
  readonly crisisDocumented?: boolean;
}

/**
 * Runs every enabled note rule that reads this kind of note.
 *
 * @param text - the note text
 * @param options - note context, policy, whether the crisis is documented elsewhere
 * @param read - reads the note (default `viewNote(text, options.context)`), for a caller that
 *   shares the reading with the note model; called at most once, and only when a rule's trigger occurs
 * @returns one hit per problem span, sorted by position
 */
export function detectNoteProblems(text: string, options: DetectOptions, read?: () => NoteView): NoteHit[] {
  const { policy, context } = options;
  const disabled = new Set(policy.disabledRules);
  const facts = { policy, crisisDocumented: options.crisisDocumented ?? false };
  const hits: NoteHit[] = [];
  let note: NoteView | undefined;
  for (const rule of NOTE_RULES) {
    const { id, notes } = rule.definition;
    if (disabled.has(id) || !notes.includes(context) || (rule.enabled && !rule.enabled(policy))) continue;
    const trigger = rule.trigger(policy);
    if (!(Array.isArray(trigger) ? trigger : [trigger]).some((re: RegExp) => ((re.lastIndex = 0), re.test(text)))) continue;
    note ??= read ? read() : viewNote(text, context);
    for (const span of rule.detect(note, facts)) hits.push({ rule: id, span });
  }
  return hits.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
}

/**
 * Spans of current crisis indicators in a note (whether or not the note documents a response):
 * the peer's own, not negated or denied, not hypothetical, not historical unless the policy counts
 * history, not a topic, a resource or an idiom.
 *
 * @param text - the note text
 * @param policy - for extra crisis terms and `crisisIncludesHistory`
 * @param context - which kind of note it is (default `one-on-one`; in group notes a member's count)
 * @returns the indicators' spans, in order
 * @example
 * findCrisisIndicators('Pt denies SI. She said she wants to die.', DEFAULT_POLICY).length; // 1
 */
export function findCrisisIndicators(text: string, policy: Policy, context: NoteContext = 'one-on-one'): Span[] {
  return crisisIndicators(viewNote(text, context), policy);
}
