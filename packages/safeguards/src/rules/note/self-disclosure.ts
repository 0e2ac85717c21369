/**
 * Self-disclosure: the specialist's own story dominates the contact and the peer's concern is
 * deferred or not addressed. Not: a brief, purposeful disclosure that returns to the peer; the peer
 * telling their own story (even for most of the contact); first-person wording that describes the
 * specialist's actions ("I called…"); a concern deferred for another reason.
 */
import type { Span } from '../../internal/names';
import { SOURCES as S } from '../sources';
import { actorAt, byWriter, matchesIn, type NoteSentence, type NoteView } from './context';
import { modifiersOf } from './modifiers';
import { ALL_NOTES, type NoteRule } from './note-rule';
import { MEDICATION_TERMS } from './scope-of-practice';

/** The specialist's own story told: a telling verb, then what is theirs ("my own relapse", "writer's history"). */
const OWN_STORY =
  /\b(?:told|tell|telling|talked|talking|talk|spoke|speaking|shared|sharing|described|describing|explained|went on|got into|spent|used|turned to|turned into|vented|venting|complained|rambled|was me telling|disclos\w+|went to|went into|was spent on|about)\b[^.;]{0,60}?\b(?:(?:(?:my|their|his|her|writer's|pss's|facilitator's|specialist's)\s+)?own\b|my (?:(?:whole|life|entire|own|full)\s+){0,2}story|about (?:my|when i)\b|(?:writer|pss|specialist|facilitator)'s (?:own |\w+ )?(?:history|story|relapse|recovery|divorces?|custody|release|years|time|panic|ptsd|depression|landlord|sponsor|parenting)|i went (?:thru|through) the same|mostly about me|my experience|my (?:divorce|recovery|relapse|past|life|struggles?|marriage|ex|breakup|addiction|using|drinking|hospital\w*|arrest|prison|jail|dui|dwi|charges?|court case|probation|parole|accident|overdose|childhood|depression|anxiety|custody|trauma|diagnosis|rehab|detox|treatment|military|sobriety|bankruptcy|eviction|homelessness))/gi;
/** The story took most of the contact. */
const DOMINANT =
  /\b(?:most of [^.;]{0,20}?\b(?:call|session|visit|hour|time|meeting|group|contact|appointment|conversation|it)\b|most of (?:the |our |my |it\b|group\b|session\b|call\b|visit\b)|(?:the )?majority of|over half|more than half|the (?:whole|entire) (?:call|session|visit|hour|time|group|meeting)|at length|in (?:great )?detail|for \d+\s?(?:min|minutes|mins)|~?\d+\s?min(?:utes|s)? of (?:\d+|the|our|an?) ?(?:hour|session|call|visit|group|meeting)?|half (?:an? )?(?:hr|hour)|half hr|for (?:an|over an|about an) hour|whole (?:life )?story|life story|(?:from )?(?:start|beginning) to (?:finish|end)|extensive(?:ly)?|at great length|mostly about me|long conversation|mostly me|went on and on|kept talking|took over|the bulk of|(?:a )?(?:big|good|large) (?:chunk|part) of|much of (?:the|our)|turned into|became about|spent (?:the )?(?:session|call|visit|hour|group)|used most|took up most|took most|most of (?:the )?(?:hour|time)|turned to (?:writer's|pss's|my) (?:history|story))\b/i;
/** The peer's concern was put off or not addressed. */
const DEFERRED =
  /\b(?:(?:will|would|'ll|has to|have to|had to)\s+(?:have to\s+)?wait|put (?:off|on hold)|pushed off|never (?:really |quite |actually )?got (?:to|back to|around to)|(?:didn't|did not|never) (?:really |quite |actually )?get (?:made|done|finished|started|written|addressed|discussed|covered|looked at|talked about)|didn't get (?:to|back to)|did not get (?:to|back to)|didn't get (?:his|her|their)|not (?:get|got) to|never got to|not discussed|not addressed|(?:weren't|wasn't|were not|was not|never) (?:discussed|addressed|covered|touched|talked about|gotten to)|not covered|not made|not done|unresolved|postponed|deferred|pushed (?:to|back)|carried over|held (?:to|until|for) next|to be revisited|revisit\w*|ran out of time|no time (?:left|remaining)|will get to|we'll (?:do|go over|get to|write)|little time to|had little time|asked few questions|mostly listened|(?:pt|peer) listened|didn't get to share|(?:did not|didn't) (?:get|talk)|(?:next (?:time|week|call|visit|wk)))\b/i;

/** A telling verb whose subject can be the writer ("I related and told her…", "caught pt up on…"). */
const TELLING =
  /\b(?:told|tell|telling|talked|talking|discussed|discussing|spoke|shared|sharing|explained|described|disclosed|disclosing|related|recounted|went (?:through|thru|into|over)|got into|walked (?:\w+ )?(?:through|thru)|vented|venting|confided|opened up|caught (?:\w+\s+){1,2}up|got emotional|broke down (?:crying|in tears)|cried)\b/gi;
/**
 * What belongs to the writer's personal life (the experiencer is the writer): the writer's own
 * relatives and partners, health, diagnosis, medication, symptoms, use and recovery, legal, money,
 * housing and work troubles. A semantic class, not the notes' phrases.
 */
const LIFE = new RegExp(
  String.raw`\b(?:my own\b|(?:my|own)\s+(?:\w+\s+){0,2}(?:wife|husband|partner|boyfriend|girlfriend|ex|son|sons|daughter|daughters|kids?|children|mom|mother|dad|father|sister|brother|family|parents?|custody|divorce|marriage|separation|sobriety|recovery|relapse|hx|breakup|break-up|gf|bf|cravings?|drinking|using|diagnos[ie]s|dx|meds|medications?|lithium|hospitali[sz]ations?|therapy|therapist|panic|anxiety|depression|ptsd|trauma|pain|surgery|illness|cancer|injury|dui|dwi|arrest|charges?|jail|prison|court|probation|parole|apartment|landlord|job loss|bills|debt|car|week|situation|life|story|past|years?|history|health|struggles?|problems?|issues?)|(?:what's|what has|what's been) (?:been )?(?:going on|happening) with me|i(?:'m|'ve| am| have)\s+(?:\w+\s+){0,3}(?:struggl\w+|going through|still having|having a hard|scared|stressed|depressed|using|drinking|relapsing|gambling|on (?:\w+ )?(?:meds|medication))|i(?:'ve| have)\s+(?:been\s+)?on\s+(?:\w+\s+)?(?:${MEDICATION_TERMS})\s+(?:for|since)\b|i (?:slipped|relapsed|used|drank|lost|got fired|got kicked|slept in my car)|(?:after|from) (?:a|my) (?:slip|relapse)|i'm on day \d+|when i was (?:at|in|on))`,
  'i',
);
/** The peer turns to support the writer: the roles reversed. */
const ROLE_REVERSED =
  /\b(?:comfort\w*|consol\w*|reassur\w*|hugged|gave me (?:some )?advice|advised me|offered (?:her|him|me|them) support|(?:was|were|been) (?:really |very |so )?(?:supportive|kind)|hopes? it goes well for me|agreed it'?s unfair|listened|checked on me|offered to (?:take|drive|help|lend|pay for|give) me|ask\w* (?:me )?(?:\w+\s+){0,2}(?:how i was|how i'm doing|about me)|asked (?:if|whether) (?:i|he|she|they) (?:was|were) (?:ok|okay|alright|all right))\b/i;
/** The writer's trouble now, in the present tense ("I'm using again", "I've been struggling"): over-sharing however short. */
const CURRENT_TROUBLE = /\bi(?:'m|'ve| am| have)\s+(?:\w+\s+){0,3}(?:struggl\w+|going through|using|drinking|relapsing|gambling)\b/i;

/** The writer's schedule ("I'll be out next week for…"): logistics, not a story. */
const SCHEDULE = /\b(?:i|he|she|they)(?:'ll| will| am going to|'m going to| would) be (?:out|off|away|on leave|on vacation|unavailable)\b/i;
/**
 * What a third-person writer says in a that-clause right after the verb ("PSS disclosed that he is
 * using again") is about the writer: read it in the first person, as the writer would say it.
 */
function firstPerson(rest: string): string {
  const m = /^\s*that\s+(he|she|they)\b/i.exec(rest);
  if (!m) return rest;
  const pronoun = m[1]?.toLowerCase();
  const possessive = pronoun === 'he' ? 'his' : pronoun === 'she' ? 'her' : 'their';
  return rest
    .replace(new RegExp(`\\b${pronoun}(?:'s| is)\\b`, 'gi'), "i'm")
    .replace(new RegExp(`\\b${pronoun}(?:'s| has)\\b`, 'gi'), "i've")
    .replace(new RegExp(`\\b${pronoun}\\b`, 'gi'), 'i')
    .replace(new RegExp(`\\b${possessive}\\b`, 'gi'), 'my');
}

/** Detail or length of the telling: a run of three or more items, or a stretch of time. */
const LIST = /(?:[^,;:]+,){2,}|,\s*[^,;:\s][^,;:]*\s+and\s+/;
/** The words that put the writer in a story: "my", "I" (for a third-person writer, "her", "she"…). */
const FIRST_PERSON = /\b(?:my|i|i'm|i've|i'd)\b/gi;
const THIRD_PERSON = /\b(?:her|his|their|she|he|they|she's|he's)\b/gi;
/** Length words ("the whole thing", "a good while"). */
const LONG = /\b(?:details? of|filled the time|took up the time|whole|entire|all the details|every detail|from age \d+|a lot|a good while|for a while|spent a while|mostly|the whole thing|went over (?:our |the )?time|ran (?:over|out of time))\b/i;
/** The writer asks the peer to keep the writer's own matter secret. */
const SECRET = /\b(?:keep (?:it|this|that) (?:between us|quiet|to (?:your|him|her)self)|not to tell (?:anyone|anybody))\b/i;
/** More of what defers the peer's concern: rescheduled, not reviewed or started, time ran out. */
const DEFERRED_MORE = /\b(?:tabled|(?:not|never) (?:reviewed|started)|ran out of time|went over (?:our |the )?time|before (?:her|his|their) \w+ (?:questions|appointment|concerns?))\b/i;

/**
 * Spans where the writer tells about their own life (the experiencer of the trouble is the writer)
 * and the telling is not brief: a trouble the writer has now, one told long or in detail, the peer
 * ends up supporting the writer, it is confided as a secret, or the peer's concern is put off.
 */
function ownTroubles(note: NoteView, deferred: boolean): Span[] {
  const reversed = note.sentences.some((s) => matchesIn(ROLE_REVERSED, s).some((m) => !byWriter(actorAt(note, s, m.start))));
  const out: Span[] = [];
  for (const s of note.sentences) {
    for (const m of matchesIn(TELLING, s)) {
      // The writer as the subject right before the verb ("…when I got emotional"), or the clause's
      // subject; "we talked" is a joint act, not the writer telling.
      const iBefore = /\bi\s+$/i.test(note.text.slice(Math.max(s.start, m.start - 3), m.start));
      const teller = actorAt(note, s, m.start);
      // "we talked about my situation": a joint talk whose topic is the writer's life counts.
      const aboutMe = /^\s+(?:\w+\s+)?about\s+(?:my|me)\b/i.test(note.text.slice(m.end, s.end));
      if (!iBefore && !(teller === 'joint' && aboutMe) && (teller === 'joint' || !specialistTells(note, s, m))) continue;
      if (modifiersOf(s, m, ['negated', 'brief', 'hypothetical']).size > 0) continue;
      // What was told: up to a semicolon or a new speaker or turn ("; pt said…", ", then we…").
      const told = note.text.slice(m.end, s.end);
      const rest = told.slice(0, told.search(/;|,?\s+(?:then|and then|and (?:we|pt|peer|she|he|they))\b|$/i));
      const theirs = teller === 'specialist' ? /\b(?:her|his|their) (?:own |\w+ )?(?:week|life|story|struggles?|relapse|drinking)\b/i.test(rest) : false;
      if (SCHEDULE.test(rest)) continue;
      const confides = /^(?:vent|confid|opened up)/i.test(note.text.slice(m.start, m.end));
      if (!confides && !LIFE.test(s.text) && !(teller === 'specialist' && LIFE.test(firstPerson(rest))) && !theirs) continue;
      const current = CURRENT_TROUBLE.test(s.text) || (teller === 'specialist' && CURRENT_TROUBLE.test(firstPerson(rest)));
      // A list is a long story when the writer is all through it (three or more "my"/"I").
      const persons = (rest.match(teller === 'specialist' && !/\b(?:i|my)\b/i.test(rest) ? THIRD_PERSON : FIRST_PERSON) ?? []).length;
      const long = DOMINANT.test(s.text) || LONG.test(note.text.slice(clauseStartOf(s, m.start), m.start) + rest) || (LIST.test(rest) && persons >= 3);
      if (!(current || deferred || reversed || long || SECRET.test(s.text))) continue;
      out.push({ start: clauseStartOf(s, m.start), end: s.end });
      break;
    }
  }
  return out;
}

/** What makes the rule worth running on a note: a story told, or any telling verb. */
const STORY_OR_TELLING = new RegExp(`${OWN_STORY.source}|${TELLING.source}`, 'i');

/** Spans of the specialist's own story where it dominated the contact. */
function dominatingStories(note: NoteView): Span[] {
  const deferredAnywhere = note.sentences.some((s) => DEFERRED.test(s.text) || DEFERRED_MORE.test(s.text));
  const out: Span[] = [];
  for (const s of note.sentences) {
    for (const m of matchesIn(OWN_STORY, s)) {
      if (!specialistTells(note, s, m)) continue;
      if (modifiersOf(s, m, ['negated', 'brief']).size > 0) continue;
      const rest = note.text.slice(m.start, s.end);
      const strong = DOMINANT.test(s.text);
      if (!strong && !(deferredAnywhere && /\b(?:whole|all about|long|turned to|turned into|went on|kept|for \d+|a lot|mostly)\b/i.test(s.text))) continue;
      out.push({ start: clauseStartOf(s, m.start), end: m.end });
      break;
    }
  }
  if (out.length === 0) out.push(...ownTroubles(note, deferredAnywhere));
  return out;
}

function specialistTells(note: NoteView, s: NoteSentence, m: Span): boolean {
  const actor = actorAt(note, s, m.start);
  if (byWriter(actor)) return true;
  return /\b(?:me telling|writer's|pss's|facilitator's)\b/i.test(s.text.slice(0, m.end - s.start));
}

/** Where the clause of the story starts (its subject), for the span. */
function clauseStartOf(s: NoteSentence, at: number): number {
  let start = s.start;
  for (const c of s.clauses) if (c.start <= at) start = c.start;
  return start;
}

const dominating: NoteRule = {
  definition: {
    id: 'self-disclosure.dominating',
    category: 'self-disclosure',
    severity: 'warning',
    title: "The specialist's own story dominates the contact",
    rationale: 'Lived experience is shared briefly and purposefully, for the peer; a contact spent on the specialist’s story, with the peer’s concern put off, is not peer support.',
    source: `${S.minnesotaStory}; ${S.napsMutual}`,
    appliesTo: ['note'],
    notes: ALL_NOTES,
    suggestion: "Note a brief, purposeful share and how you turned the focus back, e.g. 'Specialist briefly shared how they handled a similar setback, then asked what might help peer this week.'",
  },
  trigger: () => STORY_OR_TELLING,
  detect: dominatingStories,
};

/** The self-disclosure rules, in catalog order. */
export const SELF_DISCLOSURE_RULES: readonly NoteRule[] = [dominating];
