/**
 * The ConText modifiers of the note rules (after NegEx, pyConText and medspaCy's ConText): the cue
 * lexicon — negation, hypothesis, history, a refusal, a redirect to a clinician, program policy, a
 * supervisor's approval, the specialist's own story, an offer, a brief share — and which of them
 * reach a target span in its sentence. Each modifier has a direction (forward, backward or both),
 * a window in words, and stops at a clause break (the clauses of `context.ts`) unless it is
 * sentence-wide, as in ConText.
 *
 * See: Harkema et al., "ConText: an algorithm for determining negation, experiencer, and temporal
 * status from clinical reports", J Biomed Inform 2009;42(5):839-51; Chapman et al., "A simple
 * algorithm for identifying negated findings and diseases in discharge summaries" (NegEx), 2001.
 */
import type { Span } from '../../internal/names';
import { clauseAt, matchesIn, NOT_ONLY_THE_WRITER, perObject, writerWords, type NoteSentence } from './context';
/** What a modifier says about the targets in its scope. */
export type ModifierCategory =
  | 'negated'
  | 'hypothetical'
  | 'historical'
  | 'declined'
  | 'redirected'
  | 'program'
  | 'approved'
  | 'brief'
  | 'story'
  | 'offer';

/** A ConText modifier: a cue, the direction it reaches, how many words, and what it means. */
export interface Modifier {
  readonly category: ModifierCategory;
  readonly direction: 'forward' | 'backward' | 'both';
  readonly cue: RegExp;
  /** Most words between the cue and the target. Default: to the end of the clause. */
  readonly window?: number;
  /** The scope crosses clause breaks (to the end of the sentence). Default `false`. */
  readonly sentenceWide?: boolean;
  /** Words between the cue and the target that end its scope (NegEx's terminators). */
  readonly stop?: RegExp;
  /** The cue dates only a past act: the target's clause must be in the past tense. Default: any tense. */
  readonly tense?: 'past';
}

/** Words that look like a negation cue but negate nothing in reach (NegEx's pseudo-negations). */
const PSEUDO_NEGATION = /\b(?:can(?:'t|not)|couldn't|can not) stop\b|\bno one\b|\bnobody\b|\bnot sure\b|\bnot only\b|\bno matter\b|\b(?:didn't|did not|hasn't|has not|won't|wouldn't|doesn't) (?:tell|told|say) (?:anyone|anybody|her (?:mom|family|kids|husband|boyfriend)|his (?:mom|family|kids|wife|girlfriend))\b/gi;

/** A new predicate after a coordinator ends a negation's scope: "not sleeping well and has thoughts of…". */
const NEGATION_STOP = /\b(?:but|however|though|although|except|aside from|apart from)\b|\bthere(?:'s| is| are| was)\b|\b(?:she|he|they|i)(?:'ll|'d|\s+will|\s+would|\s+is going to|\s+was going to)\b|(?:\band\b|,)\s+(?:\w+\s+)?(?:has|have|had|is|was|were|says|said|reports|reported|wants|feels|felt|thinks|started|keeps|kept)\b/i;

/** A contrast that starts a new act: "but", "anyway", "still", "however", "though", "yet". */
const CONTRAST = /\b(?:but|anyway|anyways|still|however|though|although|yet)\b/i;

/** The modifiers of the note rules, by category (the lexicon of the ConText algorithm here). */
export const MODIFIERS: readonly Modifier[] = [
  // Negation (NegEx's pre- and post-negation triggers, in notes' shorthand too).
  { category: 'negated', direction: 'forward', window: 6, stop: NEGATION_STOP, cue: /\b(?:no|not|never|without|denies|denied|deny|denying|negative for|neg for|free of|ruled out|none|nor|no longer|cannot|can't|won't|didn't|doesn't|don't|isn't|wasn't|hasn't|haven't|did not|does not|do not|has not|have not|was not|is not|will not|refused|refuses|declined|declines)\b|n't\b/gi },
  { category: 'negated', direction: 'backward', window: 4, cue: /(?:[:\-–]\s*|\b(?:was|were|is|are|came back|screen(?:ed)?|tested)\s+)(?:denies|denied|neg(?:ative)?|none|no)\b|\b(?:denied|said no|answered no|replied no)\b/gi },
  // Hypothesis and conditions.
  { category: 'hypothetical', direction: 'forward', window: 8, cue: /\b(?:if|whether|what (?:to do|happens) if|in the event|plan for|practice[sd]?|role[- ]play\w*|how to|worried (?:that|about)|afraid|scared (?:that|of))\b/gi },
  // History.
  { category: 'historical', direction: 'both', sentenceWide: true, cue: /\b(?:years? ago|yrs? ago|(?:in|since|back in|around|during) (?:19|20)\d\d\b|(?:19|20)\d\d (?:and|&) (?:19|20)\d\d|(?:history|hx|h\/o) of|\b(?:hx|h\/o)\b|used to|back then|as an? (?:teen|teenager|kid|child|adolescent|young (?:adult|woman|man))|as (?:teen|teenager|kid|child)\b|long ago|in the past|when (?:i|he|she|they) (?:was|were) (?:younger|a teen|a kid|using|little))/gi },
  // An age or a school year dates only the act it is said of, in its clause and in the past tense
  // ("cut herself in high school"), not a present statement beside it ("wants to die, like at age 19").
  { category: 'historical', direction: 'both', tense: 'past', cue: /\b(?:at age \d+|in (?:high|middle) school|when (?:i|he|she|they) (?:was|were) \d+)/gi },
  // Refusal of a request or offer ("…and specialist declined", "I told him I can't"). What the writer
  // cannot do is the writer's own refusal: not "we" or "staff" (NOT_ONLY_THE_WRITER).
  { category: 'declined', direction: 'both', sentenceWide: true, cue: new RegExp(String.raw`\b(?:declin\w+|refus\w+|said no|no thanks|turned (?:it |this |that |them |him |her )?down|${writerWords(NOT_ONLY_THE_WRITER)} (?:can't|cannot|can not|couldn't)|can't (?:do that|give|lend|accept|take)|explained (?:\w+ ){0,2}(?:boundar\w+|polic\w+|rules?)|not something (?:peer )?specialists do|not (?:my|our|a peer's|a peer specialist's) (?:place|role|call|decision|area)|outside (?:my|our|the peer) (?:role|scope|lane)|did not (?:agree|accept)|didn't (?:agree|accept)|redirected)\b`, 'gi') },
  // What the writer is not allowed or able to do covers only what it is said of: a contrast ("…,
  // but I drove him anyway") starts an act it does not cover.
  { category: 'declined', direction: 'both', sentenceWide: true, stop: CONTRAST, cue: /\b(?:i'm|i am|pss is|writer is|we're|we are)\s+not\s+(?:able|allowed|qualified|trained|licensed|the right (?:person|one)|the one|a (?:doctor|prescriber|clinician))\b/gi },
  // A question taken to a clinician or pharmacist instead of answered.
  { category: 'redirected', direction: 'forward', sentenceWide: true, cue: /\b(?:(?:bring|brings|bringing|brought|take|takes|taking|took)\s+(?:(?:her|his|their|the|this|that|these|those|a)\s+)?(?:[\w-]+\s+){0,2}(?:questions?|goals?|plans?|concerns?|ideas?|wish|request|worries)\s+(?:to|up with)|(?:has|have|needs?|need) to come from|(?:a\s+)?(?:decision|call|choice)\s+(?:to make\s+)?(?:with|for)|(?:is|are|that's|thats|it's)\s+(?:a\s+|one\s+)?(?:questions?|decision|call|one)\s+for|ask(?:ed|s|ing)?|raise(?:d)?|bring(?:ing)? (?:it|this|that) up|talk(?:ed)? (?:to|with|w\/)|call(?:ed)?|check(?:ed)? with|question for|questions? for|go(?:es)? to|take (?:it|this) to|consult(?:ed)?|discuss(?:ed)? (?:it |this )?with|(?:left|leave) (?:a )?(?:msg|message) for)\s+(?:it\s+|this\s+|that\s+)?(?:w\/\s*|with\s+|to\s+)?(?:\w+'s\s+)?(?:(?:her|his|their|the|a|pt's|peer's|your)\s+)?(?:own\s+|mat\s+|mobile team\s+|clinic\s+|team\s+)?(?:prescriber|doctor|dr\.?|pharmacist|pharmacy|nurse|psychiatrist|pcp|np|provider|clinician|therapist|care team|treatment team|psych|md|ob)s?\b/gi },
  // A program resource, not the specialist's own money or property.
  { category: 'program', direction: 'both', cue: /\b(?:per (?:\w+ ){0,2}polic(?:y|ies)|program[- ](?:funded|funds|vehicle|van|car|gift|card|pass)|from (?:the )?(?:program|agency|outreach)|agency(?:'s)? (?:car|van|vehicle|fleet|incentive|funds)|program (?:funds|donation|closet|supply|bus pass)|outreach (?:supply|team's vehicle|vehicle|van)|donation closet|incentive polic\w+|policy allows|team(?:'s)? vehicle)\b(?!\s+(?:was\s+|is\s+|were\s+|got\s+)?(?:booked|unavailable|out of service|taken|in the shop|broken(?: down)?|not available|busy|already out|full))/gi },
  // A supervisor approved it beforehand.
  { category: 'approved', direction: 'both', sentenceWide: true, cue: /\b(?:supervisor(?:'s)? approv\w+|approv\w+ by (?:my |the )?supervisor|cleared (?:it )?with (?:my |the )?supervisor|with (?:my |the )?supervisor's (?:ok|okay|approval|permission)|per agency policy)\b/gi },
  // The specialist telling about their own life: what follows is the story, not an act.
  { category: 'story', direction: 'forward', sentenceWide: true, cue: /\b(?:caught\s+(?:\w+\s+){1,2}up\s+on|(?:told|tell|telling|talked|talking|shared|sharing|spoke|described|describing|explained)\s+(?:(?:the\s+)?(?:peer|pt|him|her|them|group|members)\s+)?(?:all\s+about|about|the\s+(?:whole\s+|entire\s+|full\s+|long\s+)?(?:story|saga|tale|history)\s+of)\s+(?:my|when i|how i|the time i|(?:her|his|their|writer's|pss's) own)|(?:shared|sharing|mentioned|disclosed)\s+(?:(?:with\s+)?(?:the\s+)?(?:peer|pt|him|her|them|group)\s+)?that(?=\s+(?:my|when i|how i|i)\b))\b/gi },
  // An offer or a request, not yet an act ("pt offered to detail my car", "asked if I'd co-sign").
  { category: 'offer', direction: 'forward', window: 4, cue: /\b(?:offered to|asked (?:me )?(?:if|to|whether|for)|wants? (?:me )?to|wanted (?:me )?to|would like (?:me )?to|hoping (?:i|to)|tried to)\b/gi },
  // A brief, purposeful share.
  { category: 'brief', direction: 'both', sentenceWide: true, cue: /\b(?:briefly|brief|in one sentence|kept it short|a short example|one moment|then (?:asked|invited|turned|refocused|brought)|refocused|turned the focus back)\b/gi },
];

/**
 * Whether a text holds a cue of a modifier category anywhere (for a rule that judges a whole
 * complement, e.g. what the writer told the peer).
 *
 * @param text - any text
 * @param category - the modifier category
 */
export function hasCue(text: string, category: ModifierCategory): boolean {
  return MODIFIERS.some((m) => {
    if (m.category !== category) return false;
    m.cue.lastIndex = 0;
    return m.cue.test(text);
  });
}

const WORD = /[\p{L}\p{N}']+/gu;

/** A pseudo-negation covers the offset ("can't stop thinking about…", "no one knows"). */
function pseudoAt(sentence: NoteSentence, at: number): boolean {
  return matchesIn(PSEUDO_NEGATION, sentence).some((p) => p.start <= at && at < p.end);
}

/** The cues of each modifier found in a sentence. */
const cuesOf = perObject((sentence: NoteSentence) => MODIFIERS.map((modifier) => ({ modifier, hits: matchesIn(modifier.cue, sentence) })));

function wordsBetween(text: string, from: number, to: number): number {
  if (to <= from) return 0;
  return text.slice(from, to).match(WORD)?.length ?? 0;
}

const PRESENT = /\b(?:am|is|are|'s|'re|has|have|wants?|says|feels?|thinks?|thinking|keeps?|plans?|planning|going to|gonna|will|now|currently|still|tonight|today)\b/i;
const PAST = /\b(?:was|were|had|did|tried|took|cut|thought|felt|used|made|got|ran)\b|\b\w+ed\b/i;

/** Whether the clause of a target is in the past tense: a past verb and no present one. */
function pastClause(sentence: NoteSentence, target: Span): boolean {
  const clause = clauseAt(sentence, target.start);
  const text = sentence.text.slice(clause.start - sentence.start, clause.end - sentence.start);
  return PAST.test(text) && !PRESENT.test(text);
}

/** Whether a clause starts between two offsets of a sentence. */
function crossesClause(sentence: NoteSentence, from: number, to: number): boolean {
  for (const c of sentence.clauses) if (c.start > from && c.start < to) return true;
  return false;
}

/**
 * The modifier categories that reach a target span in its sentence.
 *
 * @param sentence - the sentence of the target
 * @param target - the target's span in the note
 * @param only - the categories to look for (default all)
 * @returns the categories found
 */
export function modifiersOf(sentence: NoteSentence, target: Span, only?: readonly ModifierCategory[]): Set<ModifierCategory> {
  const found = new Set<ModifierCategory>();
  for (const { modifier: m, hits } of cuesOf(sentence)) {
    if (only && !only.includes(m.category)) continue;
    if (found.has(m.category)) continue;
    for (const { start, end } of hits) {
      if (start < target.end && end > target.start) continue; // the cue is part of the target
      if (m.category === 'negated' && pseudoAt(sentence, start)) continue;
      const before = end <= target.start;
      if (before && m.direction === 'backward') continue;
      if (!before && m.direction === 'forward') continue;
      const [gapFrom, gapTo] = before ? [end, target.start] : [target.end, start];
      if (m.window !== undefined && wordsBetween(sentence.text, gapFrom - sentence.start, gapTo - sentence.start) > m.window) continue;
      if (m.stop?.test(sentence.text.slice(gapFrom - sentence.start, gapTo - sentence.start))) continue;
      if (!m.sentenceWide && crossesClause(sentence, gapFrom, gapTo)) continue;
      if (m.tense === 'past' && !pastClause(sentence, target)) continue;
      found.add(m.category);
      break;
    }
  }
  return found;
}
