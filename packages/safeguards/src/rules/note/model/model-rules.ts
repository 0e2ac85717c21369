/**
 * The note model's findings as catalog rules: one per category (`note-model.<category>`), a
 * warning on the sentence the model scores highest when its probability reaches the shipped
 * threshold and no rule of that category found anything in the note. The model is a second
 * opinion trained on the labelled corpus: it never removes a rule's finding.
 */
import type { NoteHit } from '../../note-rules';
import type { Span } from '../../../internal/names';
import type { Policy } from '../../policy';
import { SOURCES as S } from '../../sources';
import { matchesIn, type NoteSentence, type NoteView } from '../context';
import { hasCue, modifiersOf, type ModifierCategory } from '../modifiers';
import { documentsResponse } from '../crisis-follow-up';
import { declinedRequest } from '../dual-relationship';
import { ALL_NOTES, type NoteRule, type NoteRuleDefinition } from '../note-rule';
import { MEDICATION_TERMS } from '../scope-of-practice';
import { NOTE_RULES } from '../../note-rules';
import { sigmoid } from './logistic';
import type { RuleSignal } from './features';
import { MODEL_CATEGORIES, sentenceLogits, type ModelCategory, type NoteModelWeights } from './note-model';

const definition = (category: ModelCategory, title: string, source: string, suggestion: string): NoteRuleDefinition => ({
  id: `note-model.${category}`,
  category,
  severity: 'warning',
  title,
  rationale: `The note model reads this sentence as ${category.replace(/-/g, ' ')} in wording none of the rules matched; a statistical second opinion to review, not a rule violation established.`,
  source: `${S.noteModel}; ${source}`,
  appliesTo: ['note'],
  notes: ALL_NOTES,
  suggestion,
});

/** The model's rules, in category order (the catalog lists them as `NOTE_MODEL_RULES`). */
export const MODEL_RULE_DEFINITIONS: readonly NoteRuleDefinition[] = [
  definition(
    'scope-of-practice',
    'A sentence may describe diagnosing, medication advice or therapy as the specialist’s own act (note model)',
    `${S.seedScope}; ${S.icrcScope}`,
    "Describe what the peer said and where you connected them: e.g. 'Peer asked about changing her dose; encouraged her to call her prescriber and helped her write down her questions.'",
  ),
  definition(
    'dual-relationship',
    'A sentence may describe a personal relationship with the peer: money, gifts, social contact, romance or personal transport (note model)',
    `${S.idahoDual}; ${S.scDual}`,
    "Keep help inside the program: e.g. 'Connected peer with the program's emergency fund' or 'Declined the gift and explained the agency policy.'",
  ),
  definition(
    'self-disclosure',
    'A sentence may describe the specialist’s own story taking over the contact (note model)',
    `${S.minnesotaStory}; ${S.napsMutual}`,
    "Keep a disclosure brief and tied to the peer's goal: e.g. 'Briefly shared that I also found mornings hard early in recovery, then asked what has helped her.'",
  ),
  definition(
    'crisis-follow-up',
    'A sentence may describe a current crisis indicator without a documented response (note model)',
    `${S.seedCrisis}; ${S.arkansasCrisis}`,
    "Document what you did: e.g. 'Asked directly about suicidal thoughts, reviewed the safety plan, consulted the supervisor and shared the 988 Lifeline.' If nothing was done, do it now and add a late entry.",
  ),
  definition(
    'confidentiality',
    'A sentence may name another person with their private information (note model)',
    `${S.idahoPrivacy}`,
    "Leave other people unnamed and keep their private details out: e.g. 'Peer is worried about a family member's health' instead of a name and a diagnosis.",
  ),
];

/** What the model's rules are told besides the note. */
export interface ModelFacts {
  /**
   * The policy: a disabled `note-model.*` rule adds nothing, nor does the model in a category whose
   * every rule the policy disabled (the model is a second opinion on what the rules judge; a program
   * that turned a category's rules off has turned the category off).
   */
  readonly policy: Policy;
  /** A crisis is documented in the record's structured fields: no crisis finding. */
  readonly crisisDocumented: boolean;
}

/**
 * The ConText modifiers that, around every cue of a category's rules in a sentence, take the
 * sentence away from the model as they take the cue away from the rules: a denied diagnosis, a
 * declined gift, a medication question sent to the prescriber, a brief share, a hypothetical.
 */
const EXEMPTING: Readonly<Record<ModelCategory, readonly ModifierCategory[]>> = {
  'scope-of-practice': ['negated', 'hypothetical', 'redirected'],
  'dual-relationship': ['negated', 'hypothetical', 'declined', 'program', 'approved'],
  'self-disclosure': ['negated', 'hypothetical', 'brief'],
  'crisis-follow-up': ['negated', 'hypothetical'],
  // The confidentiality rules' cue is any capital letter: nothing to judge around it.
  confidentiality: [],
};

const RULES_OF = new Map<string, readonly NoteRule[]>(MODEL_CATEGORIES.map((c) => [c, NOTE_RULES.filter((r) => r.definition.category === c)]));

/** The cues of a category's rules in a sentence (their triggers' matches). */
function cuesIn(category: ModelCategory, sentence: NoteSentence, policy: Policy): Span[] {
  const out: Span[] = [];
  for (const rule of RULES_OF.get(category) ?? []) {
    const trigger = rule.trigger(policy);
    for (const re of Array.isArray(trigger) ? trigger : [trigger]) out.push(...matchesIn(re as RegExp, sentence));
  }
  return out;
}

/** A medication named: the sentence is about a medication, a scope question. */
const MEDICATION = new RegExp(String.raw`\b(?:${MEDICATION_TERMS})\b`, 'i');
/** The writer in the sentence: "I", "my", "me", the writer named in the third person. */
const WRITER = /\b(?:i|i'm|i've|i'd|my|me|myself|writer's|pss's|specialist's|facilitator's)\b/i;
/** The sentence goes back to the peer after the writer's share ("…, then we focused on her plan"). */
const RETURNS = /\bthen\s+(?:we|pt|peer|she|he|they)\s+(?:\w+\s+)?(?:focused|talked|worked|planned|moved|made|looked|turned|reviewed|went over|got back)\b/i;

/**
 * Whether the model may report a category on a sentence: the judgement the rules make around
 * their cues (ConText modifiers), and whose act it is, applied to the model's reading.
 * - Every category: a sentence whose cues of the category's rules are all negated, hypothetical,
 *   declined, redirected, per program policy or approved (as the category's rules read them) is
 *   not the category.
 * - `self-disclosure`: the writer is an actor of the sentence (a clause of the specialist or the
 *   writer's implied subject, and the writer named: "I", "my"…), and the sentence does not go back
 *   to the peer ("…, then we focused on her plan"): the peer's own story is not the writer's.
 * - `dual-relationship`: a sentence about a medication whose only relationship cue is the handoff
 *   is a scope question, not a personal relationship (no dual rule's cue in it).
 * - With the note: `confidentiality` needs someone identifiable — a capitalised word other than a
 *   sentence's first, or an initial, in the sentence or the one before ("Another said his sister was
 *   in rehab" names nobody); `crisis-follow-up` needs a note that documents no response (the
 *   category is an indicator *without* one, as the rule reads it); a `dual-relationship` request or
 *   offer made to the writer that the next sentence declines is declined, as the dual rules read it.
 *
 * @param category - the category the model reads
 * @param sentence - the sentence the model scored
 * @param policy - the policy the rules' cues come from
 * @param note - the note the sentence is in (without it, only the sentence is judged)
 * @returns whether the model's reading of the category stands on the sentence
 */
export function modelMayReport(category: ModelCategory, sentence: NoteSentence, policy: Policy, note?: NoteView): boolean {
  if (note !== undefined && category === 'confidentiality' && !someoneNamedNear(note, sentence)) return false;
  if (note !== undefined && category === 'crisis-follow-up' && documentsResponse(note)) return false;
  if (note !== undefined && category === 'dual-relationship' && declinedRequest(note, sentence)) return false;
  const cues = cuesIn(category, sentence, policy);
  const exempting = EXEMPTING[category];
  if (exempting.length > 0 && cues.length > 0 && cues.every((cue) => modifiersOf(sentence, cue, exempting).size > 0)) return false;
  if (category === 'self-disclosure') {
    const writerActs = sentence.clauses.some((c) => c.subject === 'specialist' || c.subject === 'implicit');
    return writerActs && WRITER.test(sentence.text) && !RETURNS.test(sentence.text);
  }
  if (category === 'dual-relationship') return !(MEDICATION.test(sentence.text) && cues.length === 0);
  return true;
}

/** A capitalised word that is not its sentence's first (a name, "Ms. R.", "T."), in the sentence or the one before. */
function someoneNamedNear(note: NoteView, sentence: NoteSentence): boolean {
  for (const s of [note.sentences[sentence.index - 1], sentence]) {
    if (s === undefined) continue;
    for (let k = s.first + 1; k < s.last; k++) {
      const t = note.tokens[k];
      if (t === undefined || !t.capitalized || t.norm === 'i' || t.norm.startsWith("i'")) continue;
      if (/^\p{Lu}(?:\p{Ll}|\.|$)/u.test(note.text.slice(t.start, t.end)) && !SENTENCE_BREAK.has(note.tokens[k - 1]?.norm ?? '')) return true;
    }
  }
  return false;
}
const SENTENCE_BREAK = new Set(['.', '!', '?', ':', ';', '-', '*', '•', '"', '“', '(']);

/**
 * The model's hits on a note: for each category the rules did not find, the model's best sentence
 * that reaches the threshold of the weights and that {@link modelMayReport} lets stand.
 *
 * @param weights - the model
 * @param read - the note, read, or what reads it (called only when some category is open to the model)
 * @param signals - the rules' hits on the note, with their categories
 * @param facts - the policy (disabled rules) and whether a crisis is documented elsewhere
 * @returns one hit per category the model adds, on its best sentence
 */
export function modelHits(weights: NoteModelWeights, read: NoteView | (() => NoteView), signals: readonly RuleSignal[], facts: ModelFacts): NoteHit[] {
  const disabled = facts.policy.disabledRules;
  const open = MODEL_RULE_DEFINITIONS.map(
    (rule) =>
      !signals.some((s) => s.category === rule.category) &&
      !disabled.includes(rule.id) &&
      (RULES_OF.get(rule.category) ?? []).some((r) => !disabled.includes(r.definition.id)) &&
      !(rule.category === 'crisis-follow-up' && facts.crisisDocumented),
  );
  const hits: NoteHit[] = [];
  if (!open.includes(true)) return hits;
  const note = typeof read === 'function' ? read() : read;
  const z = sentenceLogits(weights, note, signals);
  const categories = MODEL_CATEGORIES.length;
  MODEL_RULE_DEFINITIONS.forEach((rule, c) => {
    if (!open[c]) return;
    const category = rule.category as ModelCategory;
    // Sentences at or above the threshold, best first; the first the gate lets stand is the hit.
    const candidates: { i: number; p: number }[] = [];
    for (let i = 0; i < note.sentences.length; i++) {
      const p = sigmoid(z[i * categories + c] as number);
      if (p >= weights.addAt) candidates.push({ i, p });
    }
    candidates.sort((a, b) => b.p - a.p || a.i - b.i);
    for (const { i } of candidates) {
      const s = note.sentences[i] as NoteSentence;
      if (!modelMayReport(category, s, facts.policy, note)) continue;
      hits.push({ rule: rule.id, span: { start: s.start, end: s.end } });
      break;
    }
  });
  return hits;
}
