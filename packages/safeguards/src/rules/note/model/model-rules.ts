/**
 * The note model's findings as catalog rules: one per category (`note-model.<category>`), a
 * warning on the sentence the model scores highest when its probability reaches the shipped
 * threshold and no rule of that category found anything in the note. The model is a second
 * opinion trained on the labelled corpus: it never removes a rule's finding.
 */
import type { NoteHit } from '../../note-rules';
import type { Policy } from '../../policy';
import { SOURCES as S } from '../../sources';
import type { NoteView } from '../context';
import { ALL_NOTES, type NoteRuleDefinition } from '../note-rule';
import type { RuleSignal } from './features';
import { scoreNoteView, type ModelCategory, type NoteModelWeights } from './note-model';

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
  /** The policy: a disabled `note-model.*` rule adds nothing. */
  readonly policy: Policy;
  /** A crisis is documented in the record's structured fields: no crisis finding. */
  readonly crisisDocumented: boolean;
}

/**
 * The model's hits on a note: a category the rules did not find, where the model's best sentence
 * reaches the threshold of the weights.
 *
 * @param weights - the model
 * @param note - the note, read
 * @param signals - the rules' hits on the note, with their categories
 * @param facts - the policy (disabled rules) and whether a crisis is documented elsewhere
 * @returns one hit per category the model adds, on its best sentence
 */
export function modelHits(weights: NoteModelWeights, note: NoteView, signals: readonly RuleSignal[], facts: ModelFacts): NoteHit[] {
  const found = new Set(signals.map((s) => s.category));
  const disabled = new Set(facts.policy.disabledRules);
  const scores = scoreNoteView(weights, note, signals);
  const hits: NoteHit[] = [];
  for (const rule of MODEL_RULE_DEFINITIONS) {
    const category = rule.category as ModelCategory;
    if (found.has(category) || disabled.has(rule.id) || (category === 'crisis-follow-up' && facts.crisisDocumented)) continue;
    const { probability, span } = scores[category];
    if (span !== undefined && probability >= weights.addAt) hits.push({ rule: rule.id, span });
  }
  return hits;
}
