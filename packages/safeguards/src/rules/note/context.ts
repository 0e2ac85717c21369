/**
 * How the note rules read a note, after the ConText family of algorithms (NegEx, pyConText,
 * medspaCy's ConText): a rule finds a *target* (a crisis statement, a medication change, a named
 * person) and asks whose act or state it is — the clause's subject (the specialist, the peer, a
 * clinician, a group member, another person), with the note-writer's implied subject ("Told pt
 * to…") and quoted words (the speaker's, not the writer's) — and what modifies it in its sentence
 * (negation, hypothesis, history, a refusal …: the cue lexicon and its scopes are in
 * `modifiers.ts`). This module cuts sentences into clauses, gives each its subject, and finds
 * matches, actors and experiencers in them.
 *
 * See: Harkema et al., "ConText: an algorithm for determining negation, experiencer, and temporal
 * status from clinical reports", J Biomed Inform 2009;42(5):839-51; Chapman et al., "A simple
 * algorithm for identifying negated findings and diseases in discharge summaries" (NegEx), 2001.
 */
import type { Span } from '../../internal/names';
import { analyzeText, isKnownWord, type Sentence, type Token } from '../../internal/text';
import type { NoteContext } from '../rule-definition';

/** Whose act or state a clause is: its grammatical subject, or the writer's implied one. */
export type Actor = 'specialist' | 'joint' | 'peer' | 'member' | 'clinician' | 'other' | 'named' | 'implicit';

/** A clause of a sentence and its subject. */
export interface Clause extends Span {
  readonly first: number;
  readonly last: number;
  readonly subject: Actor;
  /** Index of the clause's first verb or auxiliary token, if any. */
  readonly verb: number | undefined;
}

/** A sentence of a note with its clauses. */
export interface NoteSentence extends Sentence {
  readonly index: number;
  /** The sentence's text (`note.text.slice(start, end)`). */
  readonly text: string;
  readonly clauses: readonly Clause[];
}

/** A note read for the rules: its text, tokens, sentences and clauses, and which kind of note it is. */
export interface NoteView {
  readonly text: string;
  readonly context: NoteContext;
  readonly tokens: readonly Token[];
  readonly sentences: readonly NoteSentence[];
}

/**
 * The words a note uses for its writer as the subject of a verb ("I asked", "PSS checked", "we
 * called", "co-facilitator screened"), in lower case: one list for the rules' patterns (built
 * from it by {@link writerWords}) and the clause reader's actors. "We" is the writer with someone
 * (the clause reader calls it `joint`, which {@link byWriter} counts as the writer's).
 */
export const WRITER_WORDS = ['i', 'we', 'pss', 'writer', 'specialist', 'facilitator', 'co-facilitator', 'cofacilitator', 'staff'] as const;

/** One of {@link WRITER_WORDS}. */
export type WriterWord = (typeof WRITER_WORDS)[number];

/**
 * Writer words that can name someone besides the writer: "we" (the writer and the peer), "staff"
 * (any staff member), "co-facilitator" (the other facilitator). The crisis rule counts them (a
 * screening question or a response by the team is documented care); patterns about the writer's
 * own judgement, diagnosis or refusal leave them out. Caveat, kept as tuned: in a pattern that
 * keeps "facilitator" after `\b`, the hyphenated "co-facilitator" still matches through
 * "facilitator" (a hyphen is a word boundary), so leaving it out there leaves out only the
 * one-word "cofacilitator".
 */
export const NOT_ONLY_THE_WRITER: readonly WriterWord[] = ['we', 'staff', 'co-facilitator', 'cofacilitator'];

/**
 * The writer words as a regular-expression source: one non-capturing group of alternatives, in
 * lower case (for case-insensitive patterns), built once where a pattern is defined. A pattern that
 * leaves words out names them here, with its reason beside it.
 *
 * @param without - writer words the pattern deliberately does not take
 * @returns e.g. `(?:i|we|pss|writer|specialist|facilitator|co-facilitator|cofacilitator|staff)`
 * @example
 * new RegExp(String.raw`\b${writerWords(['we'])}\s+asked\b`, 'i').test('PSS asked'); // true
 */
export function writerWords(without: readonly WriterWord[] = []): string {
  return `(?:${WRITER_WORDS.filter((w) => !without.includes(w)).join('|')})`;
}

/**
 * Words naming the specialist as a clause's subject: the writer words but "we" (read as `joint`),
 * and, because here a word only names an actor (no pattern around it), the credential
 * abbreviations (CPS, CPSS, CPRS, CRS, PRS, CPC), "facilitators" and "coach" too. The rules' patterns
 * do not take these extra words: they were tuned without them.
 */
/**
 * The forms of "ask" that open a question ("asked if …", "asking whether …"), as regular-expression
 * alternatives (no group, lower case). Both readings of "inside a question" build on them and
 * differ on purpose: the scope-of-practice rule's question is anyone's (it adds "asks", "wondered",
 * "wanted to know" …: a question holds no advice whoever asks it), the crisis rule's is the
 * writer's screening question (it adds "checked", "screened": the question is the documented
 * screening only when the writer asks it).
 */
export const QUESTION_VERBS = String.raw`asked|asking|ask`;

const SPECIALIST = new Set<string>([...WRITER_WORDS.filter((w) => w !== 'we'), 'cps', 'cpss', 'cprs', 'crs', 'prs', 'cpc', 'facilitators', 'coach']);
const PEER = new Set(['pt', 'pt.', 'peer', 'client', 'patient', 'participant', 'consumer', 'he', 'she', 'they', 'individual']);
const MEMBER = new Set(['member', 'members', 'attendee', 'attendees', 'group', 'everyone', 'several', 'others', 'someone']);
const CLINICIAN = new Set([
  'doctor', 'doc', 'dr', 'dr.', 'psychiatrist', 'psych', 'prescriber', 'therapist', 'clinician', 'counselor', 'counsellor', 'nurse', 'np',
  'pcp', 'physician', 'provider', 'ob', 'pharmacist', 'psychologist', 'clinic', 'hospital', 'team', 'jail', 'ed', 'er', 'prison', 'md',
]);
/** Relations and roles of other people: family, partners, friends, housemates, sponsors, coworkers. */
export const RELATIONS = new Set([
  'mom', 'mother', 'dad', 'father', 'brother', 'sister', 'son', 'daughter', 'kid', 'kids', 'child', 'children', 'cousin', 'aunt', 'uncle',
  'grandma', 'grandmother', 'grandpa', 'grandfather', 'grandson', 'granddaughter', 'nephew', 'niece', 'wife', 'husband', 'spouse',
  'partner', 'boyfriend', 'girlfriend', 'bf', 'gf', 'ex', 'fiance', 'fiancé', 'fiancee', 'friend', 'roommate', 'cellmate', 'bunkmate',
  'housemate', 'neighbor', 'neighbour', 'sponsor', 'coworker', 'co-worker', 'boss', 'manager', 'landlord', 'co-defendant', 'codefendant',
  'guy', 'woman', 'man', 'lady', 'family', 'relative', 'po', 'officer', 'cousins', 'parents', 'ems', 'classmate', 'stepdad', 'stepmom',
  // Shorthand and street words for the same relations ("his cellie", "her sponsee", "house mgr", "his girl").
  'cellie', 'celly', 'cellies', 'bunkie', 'roomie', 'sponsee', 'mgr', 'girl', 'sis', 'bro', 'bestie', 'stepson', 'stepdaughter',
  'stepbrother', 'stepsister', 'resident', 'teammate', 'godmother', 'godfather', 'baby-daddy', 'babydaddy', 'daddy', 'mama', 'momma', 'mommy',
  'buddy', 'buddies', 'pal', 'homie', 'homeboy', 'homegirl', 'bff', 'cuz', 'cuzzo',
]);

const CLAUSE_WORDS = new Set(['but', 'however', 'though', 'although', 'whereas', 'because', 'b/c', 'bc', 'cuz', 'which', 'while', 'unless', 'if', 'until', 'since', 'whether']);
const CLAUSE_PUNCT = new Set([';', ':', '—', '–', '(', ')', '?', '!']);
const CONJ = new Set([',', 'and', '&', 'then', 'so', '+']);
const SUBJECT_PRONOUNS = new Set(['i', 'he', 'she', 'they', 'we', 'it', 'you']);
const VERBAL = new Set(['VERB', 'AUX']);
/** A pronoun and its auxiliary kept as one token ("i'm", "we've"): a subject and a verb. */
const CONTRACTED = /^(?:i|you|we|they|he|she)'(?:m|re|ve|ll|d)$/;

/**
 * A verb or auxiliary: the model's tag, or note shorthand it tags as a noun after a subject
 * ("i venmo'd him", "pt dx'd").
 */
function verbal(tokens: readonly Token[], k: number): boolean {
  const t = tokens[k];
  if (!t) return false;
  if (VERBAL.has(t.pos) || CONTRACTED.test(t.norm)) return true;
  const prev = tokens[k - 1]?.norm ?? '';
  if (/(?:'d|ed)$/.test(t.norm) && (SUBJECT_PRONOUNS.has(prev) || SPECIALIST.has(prev) || PEER.has(prev))) return true;
  // A note's subjectless past tense at the start of a sentence, which the model takes for a name
  // ("Texted back that…", "Messaged her that…"): a capitalised -ed word before a pronoun, adverb or particle.
  return (
    t.capitalized && t.pos === 'PROPN' && /^[a-z]{4,}ed$/.test(t.norm) && (k === 0 || SENTENCE_END.has(prev)) && OPENS_PREDICATE.has(tokens[k + 1]?.pos ?? '')
  );
}
const SENTENCE_END = new Set(['.', '!', '?', ':', ';', '-', '*', '•', '\n']);
const OPENS_PREDICATE = new Set(['ADV', 'PRON', 'SCONJ', 'DET', 'ADP', 'PART']);

/** The actor a word names, if any. */
function actorOfWord(t: Token, context: NoteContext): Actor | undefined {
  // "ex-girlfriend", "step-dad", "late-husband": the relation after the prefix.
  const w = t.norm.replace(/^(?:ex|step|half|former|late|future)-(?=\w)/, '').replace(/^(i|you|we|they|he|she)'(?:m|re|ve|ll|d)$/, '$1');
  if (w === 'we') return 'joint';
  if (t.quoted && (w === 'i' || w === 'we')) return context === 'one-on-one' ? 'peer' : 'member';
  if (SPECIALIST.has(w)) return 'specialist';
  if (PEER.has(w)) return context !== 'one-on-one' && (w === 'she' || w === 'he' || w === 'they') ? 'member' : 'peer';
  if (MEMBER.has(w)) return 'member';
  if (CLINICIAN.has(w)) return 'clinician';
  if (RELATIONS.has(w)) return 'other';
  // A capitalised word the model does not know as an English word is likely a name ("Dion shared").
  if (t.capitalized && t.pos === 'PROPN' && !isKnownWord(t.norm)) return 'named';
  return undefined;
}

/**
 * The subject of tokens `[first, verb)`: the rightmost word that names an actor ("Pt's mother" is
 * the mother), or both of them ("Writer and peer" is `joint`).
 */
function subjectOf(tokens: readonly Token[], first: number, verb: number, context: NoteContext): Actor | undefined {
  let found: Actor | undefined;
  for (let i = verb - 1; i >= first; i--) {
    const t = tokens[i] as Token;
    const actor = actorOfWord(t, context);
    if (actor === undefined) continue;
    if (found === undefined) {
      found = actor;
      if (tokens[i - 1]?.norm !== 'and' && tokens[i - 1]?.norm !== '&') return found;
    } else {
      const pair = new Set([found, actor]);
      return pair.has('specialist') && (pair.has('peer') || pair.has('member') || pair.has('named')) ? 'joint' : found;
    }
  }
  // A proper noun right before a full verb is a name the model knows as a word ("Rory asked me to
  // …"): someone named, never the writer's implied subject. Not before an auxiliary: the model
  // also tags a capitalised common noun as a proper noun ("Session was mostly …").
  const before = tokens[verb - 1];
  if (found === undefined && before !== undefined && verb - 1 >= first && before.capitalized && before.pos === 'PROPN' && tokens[verb]?.pos === 'VERB') return 'named';
  return found;
}

/** Whether a new clause starts at token `k` after a comma or a coordinating word. */
function newSubjectAt(tokens: readonly Token[], k: number, last: number): boolean {
  const t = tokens[k];
  if (!t) return false;
  const startsWithActor = SUBJECT_PRONOUNS.has(t.norm) || SPECIALIST.has(t.norm) || PEER.has(t.norm) || MEMBER.has(t.norm);
  if (!startsWithActor) return false;
  for (let j = k + 1; j < Math.min(last, k + 4); j++) if (verbal(tokens, j)) return true;
  return false;
}

/**
 * Whether the verbless tokens `[from, to)` hold a predicate (an adjective or a preposition: "pt
 * short on bus fare"), not only a noun phrase or an apposition ("One member, Dee").
 */
function predicateBefore(tokens: readonly Token[], from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const pos = (tokens[k] as Token).pos;
    if (pos === 'ADJ' || pos === 'ADP' || pos === 'ADV') return true;
  }
  return false;
}

/** Verbs of saying and reporting: after a verbless description of the peer, the peer is their subject. */
const SPEECH_VERBS = new Set(['said', 'says', 'reported', 'reports', 'stated', 'states', 'asked', 'asks', 'shared', 'shares', 'admitted', 'admits', 'mentioned', 'mentions', 'explained', 'explains', 'denied', 'denies', 'endorsed', 'endorses', 'complained', 'complains']);

/** A description that opens with the peer ("Pt in the lobby,") followed by a verb of saying at `verb`. */
function peerSpeaks(tokens: readonly Token[], from: number, verb: number): boolean {
  return PEER.has((tokens[from] as Token).norm) && SPEECH_VERBS.has(tokens[verb]?.norm ?? '');
}

/** The peer as the object of a verb ("told her", "lent him"). */
const PEER_OBJECT = new Set(['her', 'him', 'them', 'pt', 'peer', 'client']);

const BE = new Set(['was', 'were', 'is', 'are', 'been', 'being', 'be', 'got', 'gets', "'s", "'re"]);

/**
 * The agent of a passive clause ("Pt was advised by this writer to …" is the writer's act): a form
 * of *be* or *get*, a participle, then *by* and an actor within a few words.
 */
function passiveAgent(tokens: readonly Token[], verb: number, last: number, context: NoteContext): Actor | undefined {
  if (!BE.has((tokens[verb] as Token).norm)) return undefined;
  const participle = tokens[verb + 1];
  if (!participle || participle.pos !== 'VERB' || !/(?:ed|en|wn|ld|ght|id)$/.test(participle.norm)) return undefined;
  if (tokens[verb + 2]?.norm !== 'by') return undefined;
  for (let k = verb + 3; k < Math.min(last, verb + 6); k++) {
    const actor = actorOfWord(tokens[k] as Token, context);
    if (actor !== undefined) return actor;
  }
  return undefined;
}

function clausesOf(tokens: readonly Token[], s: Sentence, context: NoteContext): Clause[] {
  const cuts: number[] = [s.first];
  const writerAfter = new Set<number>();
  let hasVerb = verbal(tokens, s.first);
  // Inside the peer's reported speech after a description of the peer ("Pt in the lobby, said …").
  let peerSpeech = false;
  for (let k = s.first + 1; k < s.last; k++) {
    const t = tokens[k] as Token;
    if (peerSpeech && t.norm === ',' && verbal(tokens, k + 1) && PEER_OBJECT.has(tokens[k + 2]?.norm ?? '')) {
      // The speech ends at a new verb whose object is the peer ("…, told her to skip …", "…, lent him $100"): the writer's act.
      cuts.push(k + 1);
      writerAfter.add(k + 1);
      peerSpeech = false;
      hasVerb = false;
    } else if (t.capitalized && VERBAL.has(t.pos) && /\.$/.test(tokens[k - 1]?.norm ?? '')) {
      // A sentence the model ran on past an abbreviation ("… a meeting Sat. Gave him …"): the writer's again.
      cuts.push(k);
      writerAfter.add(k);
      hasVerb = false;
    } else if (CLAUSE_PUNCT.has(t.norm) || CLAUSE_WORDS.has(t.norm)) {
      cuts.push(CLAUSE_PUNCT.has(t.norm) ? k + 1 : k);
      hasVerb = false;
    } else if (!hasVerb && t.norm === ',' && tokens[k + 1]?.pos === 'VERB' && k > s.first && predicateBefore(tokens, cuts[cuts.length - 1] as number, k)) {
      if (peerSpeaks(tokens, cuts[cuts.length - 1] as number, k + 1)) {
        peerSpeech = true;
        continue;
      }
      // Shorthand: "pt short on bus fare, gave him $5": a verbless description, then the writer's act.
      // Not an apposition: in "One member, Dee, said …" the verb is the member's. Not reported
      // speech after a description of the peer: in "Pt in the lobby, said …" the peer speaks.
      cuts.push(k + 1);
      writerAfter.add(k + 1);
    } else if (hasVerb && CONJ.has(t.norm) && newSubjectAt(tokens, k + 1, s.last)) {
      // "X said …, and she wants …": a new clause only once this one has its verb ("Writer and peer exchanged" is one).
      cuts.push(k + 1);
      hasVerb = false;
    } else if (verbal(tokens, k)) hasVerb = true;
  }
  const out: Clause[] = [];
  const implied: Actor = s.section === 's' ? 'peer' : 'implicit';
  let previous: Actor = implied;
  const unique = [...new Set(cuts)].filter((c) => c < s.last).sort((a, b) => a - b);
  unique.forEach((from, i) => {
    const to = unique[i + 1] ?? s.last;
    if (from >= to) return;
    // After a semicolon or colon a subjectless clause is the writer's again ("Peer tired; asked about…").
    if (from > s.first && (tokens[from - 1]?.norm === ';' || tokens[from - 1]?.norm === ':' || writerAfter.has(from))) previous = implied;
    let verb: number | undefined;
    for (let k = from; k < to; k++) {
      if (verbal(tokens, k)) {
        verb = k;
        break;
      }
    }
    // A verbless clause ("Pt down.", "PSS assessment: …", "warm hand-off to the clinic") names its actor first, if at all.
    const subject =
      (verb === undefined
        ? actorOfWord(tokens[from] as Token, context)
        : CONTRACTED.test((tokens[verb] as Token).norm)
          ? actorOfWord(tokens[verb] as Token, context)
          : (passiveAgent(tokens, verb, to, context) ?? subjectOf(tokens, from, verb, context))) ?? previous;
    previous = subject;
    out.push({ start: (tokens[from] as Token).start, end: (tokens[to - 1] as Token).end, first: from, last: to, subject, verb });
  });
  return out;
}

/**
 * Reads a note for the rules: sentences (line breaks end one), section headings, clauses and
 * their subjects.
 *
 * @param text - the note text
 * @param context - which kind of note it is
 * @returns the note's view
 */
export function viewNote(text: string, context: NoteContext): NoteView {
  const analyzed = analyzeText(text);
  // Written out rather than spread: one allocation per sentence with its final shape (same keys, same order).
  const sentences = analyzed.sentences.map((s, index) => ({
    start: s.start,
    end: s.end,
    first: s.first,
    last: s.last,
    section: s.section,
    startsLine: s.startsLine,
    index,
    text: text.slice(s.start, s.end),
    clauses: clausesOf(analyzed.tokens, s, context),
  }));
  return { text, context, tokens: analyzed.tokens, sentences };
}

/** The clause of a sentence that contains the offset `at` (the last one when none does). */
export function clauseAt(sentence: NoteSentence, at: number): Clause {
  for (const c of sentence.clauses) if (at < c.end) return c;
  return sentence.clauses[sentence.clauses.length - 1] as Clause;
}

/** The sentence that contains offset `at`. */
export function sentenceAt(note: NoteView, at: number): NoteSentence | undefined {
  return note.sentences.find((s) => s.start <= at && at < s.end);
}

/** The token that contains offset `at` (binary search), if any. */
function tokenAt(note: NoteView, at: number): Token | undefined {
  let lo = 0;
  let hi = note.tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = note.tokens[mid] as Token;
    if (at < t.start) hi = mid - 1;
    else if (at >= t.end) lo = mid + 1;
    else return t;
  }
  return undefined;
}

/** Whose act or state the words at `at` are: quoted words are the speaker's, otherwise the clause's subject. */
export function actorAt(note: NoteView, sentence: NoteSentence, at: number): Actor {
  const token = tokenAt(note, at);
  if (token?.quoted) return note.context === 'one-on-one' ? 'peer' : 'member';
  return clauseAt(sentence, at).subject;
}

/** The name that is a clause's subject (lower-cased), when its subject is someone named. */
function subjectName(note: NoteView, clause: Clause): string | undefined {
  if (clause.subject !== 'named' || clause.verb === undefined) return undefined;
  for (let k = clause.verb - 1; k >= clause.first; k--) {
    const t = note.tokens[k] as Token;
    if (t.capitalized && t.pos === 'PROPN') return t.norm;
  }
  return undefined;
}

/** The peer's name in a one-on-one note: the first name that is the subject of a clause. */
const peerNameOf = perObject((note: NoteView): string | undefined => {
  for (const s of note.sentences) for (const c of s.clauses) {
    const name = subjectName(note, c);
    if (name !== undefined) return name;
  }
  return undefined;
});

/**
 * Whether the words at `at` have the peer of a one-on-one note as their named subject ("Rashid
 * asked me …" in a note about Rashid): a name is the peer's when it is the first name the note
 * makes a subject.
 */
export function namedPeerAt(note: NoteView, sentence: NoteSentence, at: number): boolean {
  if (note.context !== 'one-on-one') return false;
  const name = subjectName(note, clauseAt(sentence, at));
  return name !== undefined && name === peerNameOf(note);
}

/** Whether the words at `at` are inside quoted words (someone's own words, not the writer's). */
export function quotedAt(note: NoteView, at: number): boolean {
  return tokenAt(note, at)?.quoted === true;
}

/** The actor is the note's writer: the specialist, the writer's implied subject, or "we". */
export function byWriter(actor: Actor): boolean {
  return actor === 'specialist' || actor === 'implicit' || actor === 'joint';
}

/**
 * Whose state the words at `at` describe (the ConText experiencer): the speaker of quoted words,
 * else the nearest actor named before them in their clause ("Peer said his brother overdosed" is
 * the brother's), else the clause's subject.
 */
export function experiencerAt(note: NoteView, sentence: NoteSentence, at: number): Actor {
  const clause = clauseAt(sentence, at);
  let k = clause.last - 1;
  while (k >= clause.first && (note.tokens[k] as Token).start >= at) k--;
  const token = note.tokens[k + 1];
  if (token?.quoted) return note.context === 'one-on-one' ? 'peer' : 'member';
  for (let i = k; i >= clause.first; i--) {
    const actor = actorOfWord(note.tokens[i] as Token, note.context);
    // A word of the clause's own subject ("Writer and peer exchanged …") stands for the whole subject.
    if (actor !== undefined) return clause.verb !== undefined && i < clause.verb ? clause.subject : actor;
  }
  return clause.subject;
}

/** Matches of a regular expression in a sentence, as spans of the note (every match: a global copy is used if needed). */
export function matchesIn(pattern: RegExp, sentence: NoteSentence): Span[] {
  const re = pattern.global ? pattern : globalOf(pattern);
  const out: Span[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(sentence.text); m; m = re.exec(sentence.text)) {
    if (m[0] === '') {
      re.lastIndex += 1;
      continue;
    }
    out.push({ start: sentence.start + m.index, end: sentence.start + m.index + m[0].length });
  }
  return out;
}

/** A pattern's global twin, compiled once per pattern rather than at every call. */
const globalOf = perObject((pattern: RegExp) => new RegExp(pattern.source, `${pattern.flags}g`));

/** The matches of a pattern in every sentence of a note that a rule keeps (its targets, judged in their sentence). */
export function targets(note: NoteView, pattern: RegExp, keep: (sentence: NoteSentence, match: Span) => boolean): Span[] {
  return note.sentences.flatMap((s) => matchesIn(pattern, s).filter((m) => keep(s, m)));
}

/**
 * `make(key)`, computed once per key object: policies, pattern lists and sentences never change, so
 * what is derived from them (compiled patterns, a sentence's cues) is kept with them.
 *
 * @param make - derives the value from the key
 * @returns the memoized function
 */
export function perObject<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = make(key);
      cache.set(key, value);
    }
    return value;
  };
}

/** One case-insensitive pattern matching wherever any of these does (a rule's trigger, by construction). */
export function anyOf(patterns: readonly RegExp[]): RegExp {
  return new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'), 'i');
}
