/**
 * Dual-relationship rules: personal money (loans either way, cash, buying or selling, co-signing),
 * gifts accepted, romance, personal phone or social media, employing the peer or going into
 * business, shared housing or stays at the specialist's (or their family's) home, social outings
 * off the clock, and personal-vehicle transport where the policy forbids it. Not: agency-vehicle
 * transport, program gift cards or bus passes per policy, a declined gift, loan or request, the
 * peer's own dating, a supervisor-approved event.
 */
import type { Span } from '../../internal/names';
import { SOURCES as S } from '../sources';
import { actorAt, anyOf, byWriter, clauseAt, experiencerAt, matchesIn, NOT_ONLY_THE_WRITER, perObject, quotedAt, writerWords, type NoteSentence, type NoteView } from './context';
import { hasCue, modifiersOf } from './modifiers';
import { ALL_NOTES, type NoteRule } from './note-rule';

/** Who must act for a pattern to count. */
type Who =
  /** The specialist (named, "I", "we", or the writer's implied subject). */
  | 'writer'
  /** Anyone: the pattern itself names the specialist's personal sphere ("PSS's own car"). */
  | 'any'
  /** The peer offers or asks, and the sentence shows the specialist accepting ("…, I kept it"). */
  | 'accepted'
  /** The peer (not another person) does it with the specialist ("Peer stayed at PSS's apartment"). */
  | 'peer';

/** One way a dual relationship shows in a sentence; `group` picks a capture group as the span. */
interface Pattern {
  readonly re: RegExp;
  readonly who: Who;
  readonly group?: number;
  /** The sentence must also say this (e.g. that the vehicle carries the peer or their things). */
  readonly with?: RegExp;
}

const PEER_OBJ = String.raw`(?:the\s+)?(?:peer|pt|client|him|her|them|members?|\w+ members)`;
const MINE = String.raw`(?:my|pss's|writer's|the specialist's|specialist's|facilitator's|cps's)`;
/** The peer gives or presses something on the specialist (the writer insisted on: "I", "PSS", "writer", "specialist", as tuned). */
const GIVES_ME = String.raw`(?:(?:gave|handed|slipped|offered|bought|brought|sent|baked|made|knit|knitted|crocheted|sewed|painted|drew|cooked|carved|built|framed|picked)\s+(?:me|pss|writer|the specialist|specialist)|insisted (?:that )?${writerWords([...NOT_ONLY_THE_WRITER, 'facilitator'])} (?:take|keep|have))`;
/**
 * The writer as the one who accepts: not "we" (a joint act; "we went" below is the one joint
 * acceptance) nor "cofacilitator", as it was tuned (see NOT_ONLY_THE_WRITER); "staff" kept.
 */
const ACCEPTING_WRITER = writerWords(['we', 'co-facilitator', 'cofacilitator']);
const ACCEPTANCE = new RegExp(String.raw`\b(?:(?:i'm|${ACCEPTING_WRITER})\s+(?:\w+\s+)?(?:accepted|kept|keeping|took|said yes|agreed|went|gave (?:it|her|him|them)|put (?:it|them)|wore|wearing|ate|used|using|displayed|lent)|and (?:i )?(?:kept|took|accepted) (?:it|both|them)|i kept it|we went|[,;]\s*(?:kept|accepted|took|wore|used) (?:it|them|both)|so i did|and i did|(?:i'll|i will|i'm going to|i am going to|i've)\s+(?:\w+\s+)?(?:keep|keeping|accept|hang|display|use|wear)|i feel the same|the feeling is mutual)\b`, 'i');

const EXEMPT = ['negated', 'declined', 'program', 'approved', 'hypothetical', 'story', 'offer'] as const;

/** Spans of a rule's patterns that the specialist's own act makes a dual relationship. */
function dualSpans(note: NoteView, patterns: readonly Pattern[]): Span[] {
  const out: Span[] = [];
  for (const s of note.sentences) {
    for (const p of patterns) {
      if (p.with && !p.with.test(s.text)) continue;
      p.re.lastIndex = 0;
      for (let m = p.re.exec(s.text); m; m = p.re.exec(s.text)) {
        const g = p.group !== undefined ? m[p.group] : undefined;
        const offset = g !== undefined ? m.index + m[0].indexOf(g) : m.index;
        const span = { start: s.start + offset, end: s.start + offset + (g ?? m[0]).length };
        if (counts(note, s, span, p.who)) out.push(span);
      }
    }
  }
  return dedupe(out);
}

/** A reported clause's own subject right before the act ("said he went out"): the peer's act, not the writer's. */
const THIRD_PERSON_BEFORE = /\b(?:said|says|reported|reports|stated|states|mentioned|admitted|told (?:me|pss|writer)|explained)\s+(?:that\s+)?(?:he|she|they|pt|peer)\s+$/i;

/**
 * A request or offer made to the writer ("He asked me for a ride …", "she invited me to …", "Pt
 * asked to borrow …"), not a question about something else ("She asked how her week would go").
 */
const REQUEST_TO_WRITER = /\b(?:asked|asks|asking|wanted|wants|offered|offers|invited|invites|begged|begs)\s+(?:(?:me|pss|writer|this writer|specialist|the specialist)\b|(?:to|for|if|whether)\b)/i;
/** Any request or offer: in the declining sentence it is a new one, not the one declined. */
const REQUEST = /\b(?:asked|asks|asking|wanted|wants|offered|offers|invited|invites|begged|begs)\b/i;
/** First-person words: inside quotes they are the speaker's, not the writer's. */
const FIRST_PERSON = /^(?:my|mine|me|i|i'm|i'd|i'll|our)\b/i;

function counts(note: NoteView, s: NoteSentence, span: Span, who: Who): boolean {
  // Quoted first person is the speaker's own ("Can I have a beer at my cousin's wedding?"): reported speech.
  if (FIRST_PERSON.test(note.text.slice(span.start, span.end)) && quotedAt(note, span.start)) return false;
  // A request to the writer declined in the next sentence ("He asked me for a ride in my car. Told him I can't …").
  if (REQUEST_TO_WRITER.test(note.text.slice(s.start, span.start)) && declinedRequest(note, s)) return false;
  if (who === 'writer' && !byWriter(actorAt(note, s, span.start))) return false;
  // A reported clause has its own subject: "(writer) said he went out last night" is the peer's act.
  if (who === 'writer' && THIRD_PERSON_BEFORE.test(note.text.slice(clauseAt(s, span.start).start, span.start))) return false;
  if (who === 'accepted' && !ACCEPTANCE.test(note.text.slice(span.start, s.end)) && !acceptedNext(note, s)) return false;
  if (who === 'peer' && ['other', 'clinician', 'specialist'].includes(experiencerAt(note, s, span.start))) return false;
  // The peer's offer or request is what the specialist accepted: it does not exempt an accepted one.
  const mods = modifiersOf(s, span, who === 'accepted' ? EXEMPT.filter((m) => m !== 'offer') : EXEMPT);
  // An offer or request counts against it only when it is the peer's, not the specialist's own offer.
  if (mods.has('offer') && mods.size === 1 && byWriter(actorAt(note, s, span.start))) return true;
  return mods.size === 0;
}

/**
 * Whether a sentence's request or offer to the writer is declined in the next sentence ("He asked
 * me for a ride in my car. Told him I can't …"): the writer is the one asked, the writer does not
 * act after the request in its own sentence ("… so I drove him"), and the next sentence declines,
 * accepts nothing and makes no new request ("He also wanted to borrow money and I said no").
 * Shared by the dual rules and the model's gate.
 *
 * @param note - the note
 * @param s - the sentence with the request
 * @returns whether the request is declined
 */
export function declinedRequest(note: NoteView, s: NoteSentence): boolean {
  const request = REQUEST_TO_WRITER.exec(s.text);
  if (request === null) return false;
  const after = s.start + request.index + request[0].length;
  if (s.clauses.some((c) => c.start >= after && (c.subject === 'specialist' || c.subject === 'joint'))) return false;
  const next = note.sentences[s.index + 1];
  return next !== undefined && hasCue(next.text, 'declined') && !ACCEPTANCE.test(next.text) && !REQUEST.test(next.text);
}

/**
 * The next sentence accepts what this one offered, referring back to it ("Pt brought PSS a quilt.
 * PSS accepted it and took it home."), and declines nothing.
 */
function acceptedNext(note: NoteView, s: NoteSentence): boolean {
  const next = note.sentences[s.index + 1];
  return next !== undefined && ACCEPTANCE.test(next.text) && /\b(?:it|them|both|the (?:gift|money|cash|card|envelope))\b/i.test(next.text) && !hasCue(next.text, 'declined') && !hasCue(next.text, 'negated');
}

/** One pattern matching wherever any of a rule's patterns does: the rule's trigger, by construction. */
const triggerOf = perObject((patterns: readonly Pattern[]) => anyOf(patterns.map((p) => p.re)));

function dedupe(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  return sorted.filter((s, i) => i === 0 || s.start >= (sorted[i - 1] as Span).end);
}

const MONEY: readonly Pattern[] = [
  { who: 'writer', re: new RegExp(String.raw`\b(?:lent|loaned|lend(?:ing)?)\s+${PEER_OBJ}\b`, 'gi') },
  { who: 'writer', re: /\b(?:venmo|zelle|cash ?app|paypal)(?:'?d|ed)?\b/gi },
  { who: 'writer', re: new RegExp(String.raw`\b(?:gave|give|giving|handed|sent|paid|pay|paying)\s+${PEER_OBJ}\s+(?:some\s+)?(?:money|cash|\$\s?\d+)`, 'gi') },
  { who: 'writer', re: /\bout of (?:my|pss's|writer's) (?:own )?(?:pocket|wallet)\b|\bwith (?:my|pss's|writer's) own (?:money|cash|card|credit card|debit card)\b|\bon my (?:own )?(?:dime|card)\b/gi },
  // "PSS paid with her own card": her own is the specialist's only when the specialist is named (in the third
  // person, so not "I"; and not "we" or "staff", whose card is not the writer's: NOT_ONLY_THE_WRITER).
  { who: 'writer', re: /\bwith (?:her|his|their) own (?:money|cash|card|credit card|debit card)\b/gi, with: new RegExp(String.raw`\b(?:${writerWords(['i', ...NOT_ONLY_THE_WRITER])}|cps)\b`, 'i') },
  { who: 'writer', re: /\b(?:paid|pay|paying|covered|cover|covering)\s+(?:pt's|peer's|the peer's|her|his|their)\s+(?:\w+\s+)?(?:bill|rent|fine|fees?|deposit|tab|groceries|fare|ticket|copay|co-pay)\b/gi },
  { who: 'writer', re: new RegExp(String.raw`\b(?:bought|buy|buying|paid for)\s+${PEER_OBJ}\s+(?:a\s+|an\s+|some\s+|her\s+|his\s+|their\s+)?(?!time\b)[\w']+`, 'gi') },
  { who: 'any', re: /\b(?:calling|calls|called|call|texting|texts|visits|visited|visiting|came by|comes by|stops by|stopped by)\s+(?:me\s+)?(?:at|to)\s+(?:my\s+)?home\b|\b(?:at|to)\s+(?:my|pss's|writer's)\s+(?:house|home|place|apartment|apt|door)\b/gi },
  { who: 'writer', re: /\b(?:covered|fronted|spotted)\s+(?:it|the\s+(?:rest|deposit|bill|fee|difference)|(?:the\s+)?(?:peer|pt|him|her|them)|\$\s?\d+)\b/gi },
  { who: 'any', re: /\bpaid me back\b|\bowes me\b|\b(?:i|pss|writer) (?:loaned|lent)\b/gi },
  { who: 'any', re: /\b(?:venmo|zelle|cash ?app|paypal)(?:'?d|ed)? me\b|\b(?:i|pss|writer) (?:never |still )?(?:paid|pay) (?:it|her|him|them) back\b|\b(?:i|pss|writer) owes? (?:the\s+)?(?:peer|pt|her|him|them)\b/gi },
  { who: 'writer', re: new RegExp(String.raw`\blet\s+${PEER_OBJ}\s+(?:borrow|use|keep|have|drive)\s+${MINE}\s+(?:own\s+)?\w+`, 'gi') },
  { who: 'writer', re: /\b(?:bought|buy|buying|purchased)\s+(?:his|her|their|the peer's|pt's|peer's)\s+(?:old\s+|used\s+)?(?:\w+\s+){1,3}(?:off\s+(?:of\s+)?(?:him|her|them)\s+)?for\s+(?:\$|cash)/gi },
  { who: 'writer', re: new RegExp(String.raw`\b(?:bought|buy|purchased)\s+[^.;]{0,30}\b(?:from|off(?:\s+of)?)\s+${PEER_OBJ}\b`, 'gi') },
  { who: 'writer', re: new RegExp(String.raw`\b(?:sold|sell|selling)\s+${PEER_OBJ}\b|\bsold\s+[^.;]{0,30}\bto\s+${PEER_OBJ}\b`, 'gi') },
  { who: 'writer', re: /\bco-?sign(?:ed|ing|er)?\b/gi },
  // The writer borrowing from the peer ("Borrowed $30 from Ike for gas").
  { who: 'writer', re: /\bborrow(?:ed|ing|s)?\s+(?:\$\s?\d+|money|cash|(?:a\s+)?few\s+bucks|\d+\s+(?:dollars|bucks))\s+(?:off(?:\s+of)?|from)\b/gi },
  // Paid for what was handed over ("she gave me $20 for them"): a sale between them, whoever speaks.
  { who: 'any', re: /\b(?:gave|paid|handed|sent|slipped)\s+(?:me|pss|writer|the specialist)\s+\$\s?\d+\s+for\s+(?:them|it|those|the\s+(?:pills|meds|tabs))\b/gi },
  // A share of a deal paid to the peer: "I'll give him a cut for the trouble".
  { who: 'writer', re: new RegExp(String.raw`\b(?:give|gave|giving|pay|paid|paying|owe|owes)\s+${PEER_OBJ}\s+(?:a\s+|his\s+|her\s+|their\s+)?(?:cut|commission|percentage|finder's fee|share|kickback)\b`, 'gi') },
  { who: 'accepted', re: /\bco-?sign(?:ed|ing|er)?\b/gi },
  { who: 'writer', re: new RegExp(String.raw`\b${MINE}\s+treat\b|\bpicked up the (?:tab|check|bill)\b|\b(?:paid|pay|paying)\s+for\s+(?:the\s+)?(?:peer|pt|her|his|him|their|them)\b`, 'gi') },
  { who: 'accepted', re: new RegExp(String.raw`\b${GIVES_ME}\s+[^.;]{0,40}?\$\s?\d+`, 'gi') },
  { who: 'accepted', re: /\b(?:asked to borrow|borrow(?:ed|ing)?)\b/gi },
  // The peer's money held by the specialist: "hold his paycheck … in my wallet".
  { who: 'writer', re: /\b(?:hold|holding|held|keep|keeping|kept|manag\w+)\s+(?:on to\s+)?(?:his|her|their|the peer's|pt's|peer's)\s+(?:pay\s?check|check|money|cash|savings|ebt card|debit card|card|benefits|wallet|ssi)\b/gi },
  { who: 'any', re: /\bin (?:my|pss's|writer's) (?:own )?(?:wallet|purse|pocket|bank account|checking account|savings)\b/gi },
  // Money left or handed over, and kept: "left $50 in an envelope on my desk as a thank-you and I kept it".
  { who: 'accepted', re: /\b(?:left|gave|handed|slipped|put|tucked|mailed|sent|brought)\b[^.;]{0,30}?(?:\$\s?\d+|cash|a check|an envelope)/gi },
];

const GIFT_NOUN = String.raw`(?:gift cards?|gifts?|presents?|bracelet|necklace|jewelry|watch|ring|perfume|flowers|tamales|baked goods)`;
const GIFT: readonly Pattern[] = [
  { who: 'accepted', re: new RegExp(String.raw`\b${GIVES_ME}\b`, 'gi') },
  { who: 'writer', re: new RegExp(String.raw`\b(?:gave|give|giving|handed)\s+${PEER_OBJ}\s+(?:${MINE})\s+(?:old|own|used|spare|extra)\s+(?!(?:business\s+)?card|number|cell|phone number|email|contact)\w+`, 'gi') },
  { who: 'accepted', re: new RegExp(String.raw`\b(?:brought|bought|gave|handed|offered|sent)\s+(?:me\s+)?(?:a\s+|an\s+)?\$\s?\d+\s+(?:\w+\s+)?(?:gift\s+)?cards?\b`, 'gi') },
  { who: 'writer', re: new RegExp(String.raw`\b(?:accept(?:ed|s|ing)?|kept|keep|took|received|receive)\s+(?:a\s+|an\s+|the\s+|her\s+|his\s+)?(?:[\w$']+\s+){0,3}${GIFT_NOUN}(?:\s+from\s+(?:the\s+)?(?:peer|pt|her|him|them))?`, 'gi') },
  { who: 'accepted', re: new RegExp(String.raw`\b${GIVES_ME}\s+(?:a\s+|an\s+)?(?:\$\s?\d+\s+)?(?:[\w']+\s+){0,3}${GIFT_NOUN}`, 'gi') },
];

const ROMANTIC: readonly Pattern[] = [
  { who: 'writer', re: new RegExp(String.raw`\bfind\s+(?:the\s+)?(?:peer|pt|him|her|them)\s+(?:very\s+|really\s+)?attractive|\btold\s+${PEER_OBJ}\s+(?:that\s+)?(?:he|she|they)(?:'s|'re|\s+is|\s+are|\s+was|\s+were|\s+looks?|\s+looked)\s+(?:\w+\s+)?(?:attractive|beautiful|handsome|cute|sexy|hot|gorgeous)`, 'gi') },
  { who: 'writer', re: /\b(?:i'?d|i would|would) date (?:him|her|them)\b|\bsuggested (?:a )?date\b|\bkiss\w*\b|\bflirt\w*\b|\bseeing each other\b|\beach other's dates?\b|\bas (?:my|pss's|writer's) date\b|\b(?:went|go|going) on (?:a )?dates?\b|\b(?:are|were|been|started|start) dating\b/gi },
  { who: 'writer', re: new RegExp(String.raw`\b(?:ask|asked|invite|invited)\s+${PEER_OBJ}\s+(?:out|on a date|to dinner|for drinks)\b|\b(?:dating|hooked up with|sleeping with)\s+(?:the\s+)?(?:peer|pt|client)\b`, 'gi') },
  { who: 'any', re: /\b(?:romantic|sexual|intimate)\s+(?:relationship|contact|feelings|interest|activit\w+)\s+(?:with|for|toward|towards)\s+(?:the\s+)?(?:peer|pt|client|specialist)\b/gi },
  { who: 'accepted', re: /\b(?:asked|invited)\s+me\s+(?:out|to dinner|on a date|for drinks|to a movie)\b/gi },
  { who: 'any', re: new RegExp(String.raw`\b(?:dating|dates|dated|seeing|sleeping with|hooked up with|married to|engaged to|moved in with)\s+${MINE}\s+(?:\w+\s+)?(?:son|daughter|brother|sister|cousin|friend|roommate|nephew|niece|ex|neighbor|coworker|co-worker)\b`, 'gi') },
  { who: 'writer', re: /\b(?:are|were|been|started|starting|start|in)\s+(?:a\s+)?(?:romantic\s+|sexual\s+|physical\s+)?relationship(?!\s+with\s+(?:her|his|their)\s+(?:\w+\s+)?(?:boyfriend|girlfriend|partner|husband|wife|ex|family|mom|dad|kids|sponsor))\b|\bhook(?:ed|ing)? up\b|\bslept together\b/gi },
  { who: 'accepted', re: /\b(?:has|have|had|got)\s+a\s+crush\s+on\s+(?:me|pss|writer|the specialist)\b/gi },
  // Feelings between the two: "Pt and I have feelings for each other", "I have feelings for her".
  { who: 'writer', re: /\b(?:have|has|had|developed|developing|admitted|confessed|share|shared)\s+(?:\w+\s+)?feelings\s+for\s+(?:each other|one another|(?:the\s+)?(?:peer|pt|him|her|them))\b/gi },
];

const SOCIAL: readonly Pattern[] = [
  { who: 'writer', re: new RegExp(String.raw`\b(?:gave|give|giving|shared|share)\s+${PEER_OBJ}\s+${MINE}\s+(?:own\s+)?(?:personal|private|cell)\s*(?:cell|phone|number|#|email)?`, 'gi') },
  { who: 'any', re: new RegExp(String.raw`\b(?:on|from|via)\s+${MINE}\s+(?:own\s+)?(?:personal|private)\s+(?:phone|cell|number|insta\w*|ig|facebook|fb|account|page)`, 'gi') },
  { who: 'any', re: /\b(?:calls?|called|calling|texts?|texted|texting|rings?)\s+(?:my|pss's|writer's)\s+(?:personal\s+)?(?:cell|phone|number|line)\b/gi },
  // The writer's own contact from a personal device or account, however it is worded ("PSS will text pt from personal phone").
  { who: 'writer', re: /\b(?:from|on|via|using|with|through)\s+(?:a\s+|the\s+|my\s+|her\s+|his\s+|their\s+)?(?:own\s+)?personal\s+(?:cell(?: phone)?|phone|number|line|account|email|insta\w*|ig|facebook|fb|snapchat|whatsapp)\b/gi },
  { who: 'any', re: /\b(?:has|have|got|had|kept)\s+(?:my|pss's|writer's)\s+(?:personal\s+|own\s+|private\s+)?(?:cell|phone|number|cell number|phone number|#|email)\b|\b(?:calls?|called|texts?|texted|messages?|messaged)\s+me\s+on\s+my\s+(?:cell|phone|personal)\b/gi },
  { who: 'writer', re: /\bexchanged\s+(?:\w+\s+)?(?:personal|private|cell)\s+(?:\w+\s+)?(?:numbers?|accounts?|phones?|contacts?|instagram|insta|facebook|snapchat|handles?)/gi },
  { who: 'writer', re: /\b(?:exchanged|swapped|traded)\s+(?:our\s+)?(?:snapchat|snap|instagram|insta|ig|facebook|fb|tiktok|whatsapp|social media|phone|cell)\s*(?:numbers?|handles?|accounts?|info|names?)?\b/gi },
  { who: 'any', re: /\b(?:my|pss's|writer's) (?:facebook|fb|instagram|insta|snapchat|snap|tiktok) (?:friends?|followers?)\b|\bfriends on (?:facebook|fb|instagram|insta|snapchat)\b/gi },
  { who: 'writer', re: /\badded\s+(?:the\s+)?(?:peer|pt|her|him|them)\s+on\s+(?:facebook|fb|instagram|insta|snapchat|snap|tiktok|whatsapp)\b/gi },
  { who: 'writer', re: /\baccept(?:ed|ing)?\s+(?:her|his|their|the peer's|peer's|pt's|the|a)?\s*(?:friend\s+|follow\s+)?requests?\b|\bfollowed (?:her|him|them|the peer|pt) back\b/gi },
  { who: 'any', re: /\b(?:follows|followed|friended|added|dms?|dm'?d|dm'?s|messages|messaged|texts|texted|calls|called) me on (?:facebook|fb|instagram|insta|ig|snapchat|snap|tiktok|twitter|whatsapp|x|my (?:cell|personal))\b|\b(?:follows|followed|friended|added) me on\b|\b(?:dms?|dm'?s|messages) me\b/gi },
  { who: 'writer', re: /\b(?:followed|friended|added|follow|friend)\s+(?:the\s+)?(?:peer|pt|her|him|them)\s+(?:back\s+)?on\s+(?:facebook|fb|instagram|insta|ig|snapchat|snap|tiktok|twitter|x|social media)\b/gi },
  { who: 'writer', re: /\bfriend(?:ed)?\s+(?:the\s+)?(?:peer|pt)\s+on\b|\bconnected\s+on\s+(?:facebook|instagram|snapchat|tiktok|social media)\b/gi },
  { who: 'writer', re: /\b(?:follow|following|followed|friend|friends|friended|like|liking|comment\w*)\s+(?:on\s+)?each other(?:'s)?\s+(?:on|posts?|stories|pages?|photos?|accounts?)\b/gi },
  { who: 'writer', re: new RegExp(String.raw`\b(?:gave|give|giving|shared|share|sent|texted)\s+${PEER_OBJ}\s+${MINE}\s+(?!work\b|office\b|business\b|agency\b)(?:own\s+|personal\s+)?(?:snapchat|snap|instagram|insta|ig|facebook|fb|tiktok|whatsapp|email|handle|home address|address|cell|number)\b`, 'gi') },
  // Habitual private contact off the clock: "Pt and I have been texting every night after work".
  { who: 'writer', re: /\b(?:text\w*|call\w*|talk\w*|messag\w*|chat\w*|facetim\w*|snapchat\w*)\b[^.;]{0,30}?\b(?:(?:every|most)\s+(?:night|evening|weekend|morning before work)s?|nightly|all night)\b/gi },
  // Talking privately on a social platform: "Pt and I have been messaging on Facebook".
  { who: 'writer', re: /\b(?:messag\w*|text\w*|chat\w*|dm'?\w*|talk\w*|snap\w*)\s+(?:with\s+(?:the\s+)?(?:peer|pt|her|him|them)\s+|each other\s+)?(?:on|over|via|through|in)\s+(?:facebook|fb|instagram|insta|ig|snapchat|snap|tiktok|whatsapp|messenger|social media|discord|telegram|signal)\b/gi },
];

const BUSINESS: readonly Pattern[] = [
  { who: 'writer', re: new RegExp(String.raw`\bhir(?:ed|e|ing)\s+${PEER_OBJ}\b`, 'gi') },
  { who: 'writer', re: new RegExp(String.raw`\b(?:offered|gave|give|offer)\s+${PEER_OBJ}\s+(?:a\s+|some\s+)?(?:paid\s+)?(?:(?!my\b|pss's\b|writer's\b)\w+\s+)?(?:job|work|gig|shifts?)\b(?!\s+(?:cell|phone|number|line|email|card))`, 'gi') },
  { who: 'any', re: new RegExp(String.raw`\b(?:clean\w*|paint\w*|fix\w*|mow\w*|babysat|babysit\w*|watch\w*|detail\w*|repair\w*|walk\w*)\s+${MINE}\s+(?:\w+\s+)?(?:house|home|yard|car|garage|kids|children|apartment|apt|lawn|truck|dog|basement|gutters)\s+for\s+(?:\$|cash|money|pay)`, 'gi') },
  { who: 'any', re: new RegExp(String.raw`\b(?:babysit\w*|babysat|watch(?:es|ed|ing)?|nann\w*|tutor\w*|pet[- ]?sit\w*|dog[- ]?sit\w*)\s+${MINE}\s+(?:kids|children|son|daughter|baby|grandkids|dogs?|cats?|pets?)\b`, 'gi') },
  { who: 'any', re: /\bhelp(?:ing|ed|s)?\s+(?:me|pss|writer|the specialist)\s+(?:\w+\s+){0,4}?(?:for|in exchange for)\s+(?:\$|cash|money|pay|a few bucks)/gi },
  { who: 'writer', re: /\b(?:work|working|job|shifts?)\s+(?:at|for|in)\s+(?:her|his|their|my|pss's|writer's)\s+(?:own\s+)?(?:\w+\s+)?(?:business|company|shop|store|restaurant|salon|crew)\b/gi },
  { who: 'any', re: new RegExp(String.raw`\b(?:works?|working|worked)\s+(?:\w+\s+)?(?:for|at|with)\s+${MINE}\s+(?:[\w']+\s+)?(?:husband|wife|partner|brother|sister|family|dad|mom|cousin|friend|business|company|shop|store|restaurant|salon|crew)\b`, 'gi') },
  // Proceeds shared between them ("we split the money 50/50", "divide the profits"): a business together.
  { who: 'writer', re: /\b(?:split|splitting|divide|divided|dividing|share|sharing|shared)\s+(?:the\s+|our\s+)?(?:money|profits?|earnings|proceeds|take|cash|sales)\b/gi },
  { who: 'writer', re: /\b(?:going|went|go) in together\b|\bputting up \$\s?\d+|\b(?:business|partnership)\s+(?:with|together)\b/gi },
  { who: 'any', re: new RegExp(String.raw`\b${MINE}\s+(?:\w+'s\s+)?(?:own\s+)?(?:side\s+)?(?:\w+\s+)?(?:business|company|shop|store|restaurant|farm|crew|salon)\b`, 'gi') },
];

const HOUSING_PLACE = String.raw`(?:house|home|apartment|apt|place|couch|basement(?: unit)?|spare room|garage apartment)`;
const RELATIVE = String.raw`(?:cousin|sister|brother|friend|family|relative|parents?|mother|father|mom|dad|aunt|uncle|roommate)`;
const HOUSING: readonly Pattern[] = [
  // The specialist's relative's room offered for the peer to stay in ("My mom has a spare room so Birdie is staying there").
  { who: 'any', re: new RegExp(String.raw`\b${MINE}\s+(?:${RELATIVE})\s+(?:has|had|offered|is offering|is letting|let)\s+(?:\w+\s+)?(?:a\s+|her\s+|his\s+|their\s+)?(?:spare\s+|extra\s+|empty\s+)?(?:room|bedroom|couch|basement|place|bed)\b`, 'gi'), with: /\b(?:stay\w*|liv\w*|mov\w*|sleep\w*|crash\w*)\b/i },
  { who: 'writer', re: new RegExp(String.raw`\blet\s+${PEER_OBJ}\s+(?:sleep|stay|crash|live|move in|spend the night)\b`, 'gi') },
  { who: 'writer', re: new RegExp(String.raw`\b(?:rent|rents|renting|rented|sublet\w*)\s+(?:out\s+)?(?:her|his|my|their|pss's|writer's)\s+(?:\w+\s+)?(?:room|apartment|apt|basement|place|house|couch|unit)\s+to\s+${PEER_OBJ}`, 'gi') },
  { who: 'any', group: 1, re: new RegExp(String.raw`\b(?:rent|rents|rented|renting)\s+[^.;]{0,40}?\b(?:from|at)\s+((?:the\s+)?${MINE}\s+(?:\w+\s+)?(?:${RELATIVE}(?:'s\s+${HOUSING_PLACE})?|${HOUSING_PLACE}))`, 'gi') },
  { who: 'peer', group: 1, re: new RegExp(String.raw`\b(?:stay|stays|stayed|staying|live|lives|lived|living|move|moves|moved|moving|sleep|slept|sleeping|crash|crashed|crashing|spent the night|spend the night)\s+(?:the night\s+|a (?:few|couple) (?:of )?nights\s+|the weekend\s+|over\s+)?(?:in\s+)?(?:with|at|on|in)\s+((?:the\s+)?(?:specialist|me|writer|pss)(?:'s\s+(?:\w+\s+)?${HOUSING_PLACE})?|${MINE}\s+(?:[\w']+\s+)?${HOUSING_PLACE})\b`, 'gi') },
  { who: 'any', re: new RegExp(String.raw`\b(?:rent|rents|renting|rented|sublet\w*|lease[sd]?|leasing)\s+${MINE}\s+(?:[\w']+\s+)?(?:room|apartment|apt|basement(?: apartment| unit)?|place|house|couch|unit|spare room)\b`, 'gi') },
  { who: 'any', re: /\b(?:rent|rents|renting|rented|sublet\w*|lease[sd]?|leasing)\s+(?:a\s+|the\s+|my\s+)?(?:\w+\s+)?(?:room|apartment|apt|basement|place|house|unit|couch)\s+from\s+(?:me|pss|writer|the specialist|this writer)\b(?!'s)/gi },
];

const FRIENDSHIP: readonly Pattern[] = [
  { who: 'writer', re: new RegExp(String.raw`\binvit\w*\s+${PEER_OBJ}\s+(?:over\s+)?(?:to\s+)?(?:join\s+)?(?:\w+\s+){0,3}(?:the specialist's|my|pss's|writer's)\s+(?:own\s+)?(?:[\w']+\s+){0,2}(?:party|game|games|dinner|home|house|wedding|birthday|barbecue|bbq|church|family|friends|poker|night|place)\b`, 'gi') },
  { who: 'writer', re: new RegExp(String.raw`\b(?:(?:my|pss's|writer's|her|his|their|facilitator's)\s+own\s+time|${MINE}\s+day off|after (?:my|her|his) shift|off the clock|as my guest|my gym|${MINE}\s+family's|with ${MINE}\s+(?:family|friends))\b`, 'gi') },
  { who: 'writer', re: /\b(?:hang(?:ing|s)?|hung)\s+out\b|\b(?:went|go|going)\s+(?:to (?:the |a |an |their |his |her |that )?(?:mall|movies?|bar|club|casino|beach|fair|game|concert|party|dinner|lunch)|shopping|out)\s+together\b/gi },
  { who: 'writer', re: /\b(?:we|pss and (?:pt|peer)|peer and i|pt and i)\b[^.;]{0,30}\b(?:have|had|get|got|grab|grabbed|went (?:out )?for|go (?:out )?for)\s+(?:lunch|dinner|coffee|drinks?|breakfast|a drink|a beer|beers|a bite|pizza|tacos|wings|burgers|ice cream)\b/gi },
  { who: 'any', re: new RegExp(String.raw`\b(?:came|come|comes|coming|went|go|going|invited\s+\w+|brought\s+\w+|over)\s+(?:over\s+)?to\s+${MINE}\s+(?:\w+\s+)?(?:house|home|place|apartment|apt|church|gym|party)\b`, 'gi') },
  { who: 'writer', re: new RegExp(String.raw`\b(?:introduced\s+${PEER_OBJ}\s+to|brought|took)\s+(?:\w+\s+){0,2}(?:${MINE})\s+(?:kids|children|family|wife|husband|partner|parents|friends|mom|dad|sister|brother)\b`, 'gi') },
  { who: 'writer', re: /\btook\s+(?:the\s+)?(?:peer|pt|her|him)\s+(?:out\s+)?(?:shopping|to the movies|to a movie|to dinner|to lunch|out to eat|to a (?:game|ballgame|concert|party|bar|club))\b/gi },
  { who: 'writer', re: /\b(?:went|go|going|goes|attended)\s+to\s+(?:the\s+)?(?:peer's|pt's|her|his|their)\s+(?:\w+\s+)?(?:party|wedding|birthday|bbq|barbecue|cookout|celebration|dinner)\b|\bas (?:a|her|his|their) (?:guest|date|plus[- ]one)\b/gi },
  { who: 'writer', re: /\b(?:went|go|going|goes)\s+(?:out\s+)?(?:to|for)\s+(?:a\s+)?(?:movie|movies|concert|bar|drinks|pizza|bowling|fishing|party|club|casino)\b|\btake\s+(?:the\s+)?(?:peer|pt|her|him)\s+(?:fishing|bowling|hunting|camping)\b/gi },
  { who: 'writer', re: /\b(?:meet(?:ing)?|met|get(?:ting)? together)\s+(?:up\s+)?(?:for|over)\s+(?:dinner|drinks|a drink|a beer)\b|\b(?:became|become|becoming)\s+(?:close\s+|good\s+|best\s+)?friends\b/gi },
  // Sharing the specialist's own leisure circles: "Pt and I play on the same softball team".
  { who: 'writer', re: /\b(?:on|in|at|to)\s+the\s+same\s+(?:\w+\s+)?(?:team|league|band|club|gym|choir|book club|poker game|bowling night)\b/gi },
  // Leisure together off the clock: "Pt and I went thrift shopping together on Sunday afternoon".
  {
    who: 'writer',
    re: /\b(?:went|go|going|goes|gone)\s+(?:\w+\s+)?(?:shopping|bowling|fishing|hiking|camping|swimming|dancing|skating|out|to (?:the\s+)?(?:mall|movies?|bar|casino|concert|game|beach|lake|fair|party|club|flea market|thrift store))\b/gi,
    with: /\b(?:saturday|sunday|weekend|evening|tonight|night|after work|after hours|after my shift|day off|own time|vacation|holiday)\b/i,
  },
  // Favours from the peer: "Pt gave me a ride home", "Pt's been giving me rides to the store".
  { who: 'any', re: /\b(?:gave|gives|giving|give|given|drove|drives|driving)\s+me\s+(?:a\s+)?(?:rides?|lifts?)\b(?!\s+(?:offer|request))/gi },
  // An offered ride or an invitation counts only when the specialist accepts ("invited me to her daughter's party … and I went").
  { who: 'accepted', re: /\boffered\s+me\s+(?:a\s+)?(?:rides?|lifts?)\b/gi },
  { who: 'accepted', re: /\binvited\s+(?:me|pss|writer|the specialist)\s+(?:to|over|for)\b/gi },
  // The writer buying the tickets of an outing ("I got the tickets", "bought us tickets").
  { who: 'writer', re: /\b(?:got|bought|paid for|purchased|picked up)\s+(?:the\s+|our\s+|us\s+|two\s+)?tickets\b/gi },
  // Planned outings together: "PSS and pt are planning a trip to the casino together".
  { who: 'writer', re: /\b(?:trip|outing|night out|vacation|getaway|weekend away|road trip)\s+(?:\w+\s+){0,4}together\b/gi },
  // The peer brought into the specialist's personal life: working on, fetching or joining the specialist's own things.
  { who: 'any', re: new RegExp(String.raw`\b(?:fix\w*|repair\w*|clean\w*|wash\w*|detail\w*|pick(?:ed|ing)? up|drop(?:ped|ping)? off|run(?:ning)?|ran|walk\w*|feed\w*|mow\w*|paint\w*|move|moving|moved)\s+(?:the\s+\w+\s+on\s+)?${MINE}\s+(?:own\s+)?(?:car|truck|van|house|home|yard|lawn|apartment|dry cleaning|laundry|groceries|errands?|dog|cat|kids|mail|packages?|furniture|stuff)\b`, 'gi') },
  { who: 'writer', re: new RegExp(String.raw`\badd(?:ed|ing)?\s+${PEER_OBJ}\s+(?:to|on|in)\s+${MINE}\s+(?:own\s+)?(?:personal|private|family|friends?'?|\w+\s+club's?|church)\s*(?:\w+\s+)?(?:group|chat|thread|list|account|page)?`, 'gi') },
  // The contact framed as friendship: "just as friends", "hung out".
  { who: 'writer', re: /\b(?:just\s+)?as (?:friends|buddies|pals)\b|\b(?:hang(?:ing)? out|hung out|hang out)\b/gi },
];

const VEHICLE: readonly Pattern[] = [
  {
    who: 'writer',
    re: /\b(?:bring|bringing|brought|use|used|using|lend|lent)\s+(?:my|pss's|writer's)\s+(?:own\s+|personal\s+)?(?:pickup\s+)?(?:car|truck|van|suv|vehicle)\b/gi,
    with: /\b(?:help\w* (?:her|him|them|pt|peer) move|moving|give (?:her|him|them|pt|peer) a ride|haul|carry|couch|furniture|boxes)\b/i,
  },
  {
    who: 'any',
    re: /\b(?:drove|drive|driving|(?:gave|give|gives|giving)\s+(?:the\s+)?(?:peer|pt|her|him|them|\w+)\s+(?:a\s+)?(?:rides?|lifts?)|(?:took|take|taking|brought|bring|bringing)\s+(?:the\s+)?(?:peer|pt|her|him|them)\b|(?:picked|pick)\s+(?:the\s+)?(?:peer|pt|her|him)\s+up|pick(?:ed|ing|s)?\s+up\s+(?:the\s+)?(?:peer|pt|her|him)|dropped\s+(?:the\s+)?(?:peer|pt|her|him)\s+off|transport\w*|help\w*\s+(?:the\s+)?(?:peer|pt|her|him)\s+move)\b[^.;]{0,50}?\b(?:in|with|using)\s+(?:the\s+)?(?:specialist's|my|pss's|writer's|(?:their|his|her)\s+(?:own|personal)|a\s+personal|personal|own|private)\s+(?:own\s+|personal\s+)?(?:pickup\s+)?(?:car|vehicle|truck|van|suv|minivan|jeep|honda|toyota|ford|chevy|subaru|nissan|hyundai|kia|dodge|prius|civic|camry|corolla|ride)\b/gi,
  },
];

/**
 * The specialist's personal sphere, whoever acts: their home, their family's events, their personal
 * accounts and belongings ("Pt is coming to my son's birthday party", "he can use my Netflix login",
 * "Pt has been cleaning my house"). Work things (my office, desk, card, supervisor, caseload) and the
 * specialist's own story (a `story` cue) are not in it; vehicles are the vehicle rule's.
 */
const PERSONAL_THING = String.raw`(?:house|home|place|apartment|apt|couch|yard|lawn|garage|basement|pool|boat|cabin|camp|netflix|hulu|spotify|amazon|disney\+?|streaming|login|password|account|gym|church|birthday|party|wedding|bbq|barbecue|cookout|reunion|baby shower|graduation|holiday dinner|thanksgiving|christmas)`;
const PERSONAL_SPHERE: readonly Pattern[] = [
  { who: 'any', re: new RegExp(String.raw`\b(?:came|come|comes|coming|went|go|goes|going|attend\w*|invit\w*|showed up|stopped by|visit\w*)\s+(?:\w+\s+)?(?:to|at)\s+${MINE}\s+(?:own\s+)?(?:son|daughter|kid|kids|husband|wife|partner|mom|mother|dad|father|sister|brother|cousin|family|friend|niece|nephew|grandson|granddaughter|boyfriend|girlfriend|parents)'s?\s+[a-zà-ÿ']+`, 'gi') },
  { who: 'any', re: new RegExp(String.raw`\b${MINE}\s+(?:own\s+|personal\s+|family's\s+)?(?:(?:son|daughter|kid|kids|husband|wife|partner|mom|mother|dad|father|sister|brother|cousin|family|friend|niece|nephew|grandson|granddaughter|boyfriend|girlfriend)'s?\s+)?(?:\w+\s+)?${PERSONAL_THING}\b`, 'gi'), with: /\b(?:pt|peer|client|he|she|they|him|her|them|we)\b/i },
];

/** A dual-relationship rule over its patterns: triggered by them, detected by {@link dualSpans}. */
function dualRule(definition: Omit<NoteRule['definition'], 'category' | 'appliesTo' | 'notes'>, patterns: readonly Pattern[], enabled?: NoteRule['enabled']): NoteRule {
  const rule: NoteRule = {
    definition: { ...definition, category: 'dual-relationship', appliesTo: ['note'], notes: ALL_NOTES },
    trigger: () => triggerOf(patterns),
    detect: (note) => dualSpans(note, patterns),
  };
  return enabled ? { ...rule, enabled } : rule;
}

const money = dualRule(
  {
    id: 'dual.money',
    severity: 'error',
    title: 'Money changes hands between the specialist and the peer',
    rationale: 'Loans, payments, purchases, sales and co-signing create obligations that conflict with the support relationship.',
    source: `${S.minnesotaMoney}; ${S.idahoDual}; ${S.scDual}`,
    suggestion: 'Connect the peer with emergency funds, benefits or community resources instead, and note the resource offered.',
  },
  MONEY,
);

const gift = dualRule(
  {
    id: 'dual.gift',
    severity: 'warning',
    title: 'The specialist accepts or gives a personal gift',
    rationale: 'Gifts of value blur the professional relationship; agencies set a nominal limit.',
    source: `${S.idahoGifts}; ${S.minnesotaMoney}`,
    suggestion: "Thank the peer, explain the program's gift policy, and note how it was handled.",
  },
  GIFT,
);

const romantic = dualRule(
  {
    id: 'dual.romantic',
    severity: 'error',
    title: 'Romantic or sexual interest between the specialist and the peer',
    rationale: 'Romantic or sexual contact with a person served is prohibited by every peer code of ethics read.',
    source: `${S.idahoSexual}; ${S.scDual}`,
    suggestion: 'Talk with your supervisor today; keep contact within the program, and document the boundary you set.',
  },
  ROMANTIC,
);

const socialMedia = dualRule(
  {
    id: 'dual.social-media',
    severity: 'warning',
    title: 'Personal contact details or social-media connections are exchanged',
    rationale: 'Personal phone numbers and social-media connections move the relationship outside the program.',
    source: `${S.scContact}; ${S.scDual}; social media: ${S.policy}`,
    suggestion: "Give the program's contact number and hours; note that you did.",
  },
  SOCIAL,
);

const business = dualRule(
  {
    id: 'dual.business',
    severity: 'error',
    title: 'A business or employment relationship between the specialist and the peer',
    rationale: 'Hiring, selling to or doing business with a person served creates a conflicting commitment.',
    source: `${S.idahoDual}; ${S.scDual}`,
    suggestion: 'Link the peer to supported-employment or job programs instead, and note the referral.',
  },
  BUSINESS,
);

const housing = dualRule(
  {
    id: 'dual.housing',
    severity: 'error',
    title: "Shared housing with the specialist or the specialist's family or friends",
    rationale: "Living with, staying with, or renting from the specialist's circle makes the specialist a landlord or housemate.",
    source: `${S.idahoDual}; ${S.scDual}`,
    suggestion: 'Connect the peer with housing programs and listings; note the resources shared.',
  },
  HOUSING,
);

const friendship = dualRule(
  {
    id: 'dual.friendship',
    severity: 'warning',
    title: 'Socializing with the peer outside the role',
    rationale: 'Outings off the clock and invitations into the specialist’s personal life (their home, family events, personal accounts and belongings) turn support into friendship.',
    source: `${S.scDual}; ${S.idahoDual}`,
    suggestion: 'Link the peer with community, recovery or mutual-aid activities they can join on their own terms.',
  },
  [...FRIENDSHIP, ...PERSONAL_SPHERE],
);

const personalVehicle = dualRule(
  {
    id: 'dual.personal-vehicle',
    severity: 'warning',
    title: 'The specialist transports the peer in a personal vehicle where policy forbids it',
    rationale: 'Personal-vehicle transport carries liability and blurs roles; many agencies forbid it (policy personalVehicleTransport).',
    source: S.policy,
    suggestion: 'Arrange agency transport, transit, paratransit or a ride program, and note which.',
  },
  VEHICLE,
  (policy) => policy.personalVehicleTransport === 'forbidden',
);

/** The dual-relationship rules, in catalog order. */
export const DUAL_RELATIONSHIP_RULES: readonly NoteRule[] = [money, gift, romantic, socialMedia, business, housing, friendship, personalVehicle];
