/**
 * Sentence and clause handling for the note rules: where sentences start and end, whether a term is
 * negated ("denies suicidal thoughts"), attributed to a clinician ("her doctor diagnosed her"),
 * reported by the peer, or deferred to a clinician ("ask the prescriber about lowering the dose").
 */
import type { Span } from './names';

/** Sentence spans of a text: split after `.`, `!`, `?` or `;` followed by space, and at line breaks. */
export function sentences(text: string): Span[] {
  const out: Span[] = [];
  const re = /[.!?]+["')\]]*\s+|\n+/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const end = m.index + m[0].trimEnd().length;
    if (end > start && /\S/.test(text.slice(start, end))) out.push(trim(text, { start, end }));
    start = m.index + m[0].length;
  }
  if (start < text.length && /\S/.test(text.slice(start))) out.push(trim(text, { start, end: text.length }));
  return out;
}

function trim(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  return { start, end };
}

const CLAUSE_BREAK = /[,;:]|\b(?:but|and|then|yet|although|though|however|because|so|while|whereas)\b/gi;

/** The text of the clause before `index` in its sentence: after the last clause break. */
export function clauseBefore(text: string, sentence: Span, index: number): string {
  const before = text.slice(sentence.start, index);
  let cut = 0;
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(before); m; m = CLAUSE_BREAK.exec(before)) cut = m.index + m[0].length;
  return before.slice(cut);
}

const NEGATION = /\b(?:no|not|never|without|denies|denied|deny|denying|negative for|free of|ruled out|rules out|declined|declines|declining|refused|refuses|refusing|returned|nor|cannot|none)\b|n't\b/i;

/** `true` when a negation cue stands in the four words before `index`, in the same clause. */
export function negatedBefore(text: string, sentence: Span, index: number, window = 4): boolean {
  const words = clauseBefore(text, sentence, index).trim().split(/\s+/).filter((w) => w !== '');
  return NEGATION.test(words.slice(-window).join(' '));
}

const REFUSAL_AFTER =
  /\b(?:declined|refused|said no|turned (?:it |this |that |them )?down|did not (?:agree|accept)|didn't (?:agree|accept)|explained (?:the |our |program |agency |professional )?(?:boundar\w+|polic\w+)|redirected)\b/i;

/** `true` when the rest of the sentence after `index` refuses it ("…and specialist declined"). */
export function refusedAfter(text: string, sentence: Span, index: number): boolean {
  return REFUSAL_AFTER.test(text.slice(index, sentence.end));
}

const CLINICIAN =
  /\b(?:doctors?|dr\.?|psychiatrists?|prescribers?|physicians?|therapists?|clinicians?|counsell?ors?|nurses?|nurse practitioners?|np|pcp|primary care|providers?|care team|treatment team|psychologists?|case managers?|social workers?|pharmacists?|hospital|discharge summary|records?|chart)\b/gi;
const REPORTING =
  /^[^.;]{0,40}?\b(?:diagnos\w*|said|says|told|tells|think\w*|believ\w*|found|confirm\w*|explain\w*|prescrib\w*|recommend\w*|chang\w*|increas\w*|decreas\w*|start\w*|stop\w*|lower\w*|rais\w*|adjust\w*|suggest\w*|want\w*|put|took|taper\w*|notes?|noted|states?|stated|document\w*|labell?ed)\b/i;
const DEFERRAL =
  /\b(?:ask(?:ing|ed|s)?|talk(?:ing|ed|s)? (?:to|with)|speak(?:ing|s)? (?:to|with)|check(?:ing|ed)? (?:in )?with|bring (?:it|this|that) up with|discuss(?:ing|ed)?(?: (?:it|this|that|options|concerns|side effects))? with|see(?:ing)?|call(?:ing|ed)?|contact(?:ing|ed)?|follow(?:ing|ed)? up with|refer(?:red|ring)?(?: peer)? (?:back )?to|connect(?:ed|ing)?(?: peer)? (?:with|to)|schedul\w+ (?:an? )?(?:appointment|visit) with)\s+(?:(?:their|the|her|his|a|an|peer's|an on-call)\s+)?(?:own\s+)?(?:doctors?|dr\.?|psychiatrists?|prescribers?|physicians?|therapists?|clinicians?|counsell?ors?|nurses?|pcp|primary care|providers?|care team|treatment team|psychologists?)\b/i;

/** `true` when, before `index`, a clinician is the subject of a reporting or diagnosing verb. */
export function attributedToClinician(text: string, sentence: Span, index: number): boolean {
  const before = text.slice(sentence.start, index);
  CLINICIAN.lastIndex = 0;
  for (let m = CLINICIAN.exec(before); m; m = CLINICIAN.exec(before)) {
    if (REPORTING.test(before.slice(m.index + m[0].length))) return true;
  }
  return false;
}

/** `true` when, before `index`, the note defers the question to a clinician ("ask the prescriber about…"). */
export function deferredToClinician(text: string, sentence: Span, index: number): boolean {
  return DEFERRAL.test(text.slice(sentence.start, index));
}

const PEER_REPORT =
  /\b(?:peer|client|participant|member|they|she|he)\s+(?:said|says|reported|reports|shared|shares|stated|states|mentioned|mentions|explained|disclosed|described|talked about|told (?:the )?(?:specialist|writer|staff|group))\b/gi;
const SPECIALIST_AGENT = /\b(?:specialists?|this writer|writer|staff|cps|cprs|pss|peer (?:support |recovery )?specialist|facilitators?|recovery coach)\b/i;
const I_AGENT = /\bI\b/;
const IMPLIED_WRITER =
  /^(?:[A-Z][a-z]+ed|Gave|Told|Lent|Took|Bought|Sold|Went|Drove|Made|Met|Said|Spent|Let|Sent|Brought|Offered|Suggested|Recommended|Advised|Invited|Shared|Paid|Got|Kept|Gave|Left|Ran|Sat|Spoke|Drove|Wrote)\b/;

/** `true` when the peer reports it: a peer reporting verb before `index` with no specialist named after it. */
export function reportedByPeer(text: string, sentence: Span, index: number): boolean {
  const before = text.slice(sentence.start, index);
  let last = -1;
  PEER_REPORT.lastIndex = 0;
  for (let m = PEER_REPORT.exec(before); m; m = PEER_REPORT.exec(before)) last = m.index + m[0].length;
  if (last === -1) return false;
  const after = before.slice(last);
  return !SPECIALIST_AGENT.test(after) && !I_AGENT.test(after);
}

/** `true` when the specialist acts in the sentence before `index` (named, "I", or the writer's implied subject). */
export function specialistActs(text: string, sentence: Span, index: number): boolean {
  const before = text.slice(sentence.start, index);
  return SPECIALIST_AGENT.test(before) || I_AGENT.test(before) || IMPLIED_WRITER.test(before);
}

/** `true` when the specialist is mentioned anywhere in the sentence (or is its implied subject). */
export function specialistInvolved(text: string, sentence: Span): boolean {
  const s = text.slice(sentence.start, sentence.end);
  return SPECIALIST_AGENT.test(s) || I_AGENT.test(s) || IMPLIED_WRITER.test(s);
}

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
