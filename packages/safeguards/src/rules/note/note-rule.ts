/**
 * What a note rule is: one small named check over a note's text, carrying its catalog definition
 * (id, category, severity, title, rationale, source, suggestion) and declaring when it applies —
 * the notes it reads, whether the policy turns it on, and the words without which it cannot fire.
 * The rules live in one file per category next to this one; `note-rules.ts` runs them.
 */
import type { Span } from '../../internal/names';
import type { Policy } from '../policy';
import { NOTE_CONTEXTS, type NoteContext, type RuleDefinition } from '../rule-definition';
import type { NoteView } from './context';

/** A rule definition of a note rule: it always says which notes it reads and what to write instead. */
export interface NoteRuleDefinition extends RuleDefinition {
  readonly notes: readonly NoteContext[];
  readonly suggestion: string;
}

/** What a note rule is told besides the note. */
export interface NoteFacts {
  readonly policy: Policy;
  /** A crisis is documented in the record's structured fields (crisis actions or a crisis referral). */
  readonly crisisDocumented: boolean;
}

/** A note rule. */
export interface NoteRule {
  readonly definition: NoteRuleDefinition;
  /** Whether the policy turns the rule on. Default: on. */
  readonly enabled?: (policy: Policy) => boolean;
  /**
   * A necessary condition on the note text (tested case-insensitively): a note without any of
   * these words is not read for this rule. Several patterns (any of them) when one alternation of
   * them all would be too large to run fast.
   */
  readonly trigger: (policy: Policy) => RegExp | readonly RegExp[];
  /** The spans of the problem in the note. */
  readonly detect: (note: NoteView, facts: NoteFacts) => Span[];
}

/** Every note context: one-on-one progress notes, attendees' group notes, the session's group note. */
export const ALL_NOTES: readonly NoteContext[] = NOTE_CONTEXTS;
