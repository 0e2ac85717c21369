/**
 * Confidentiality rules: another identifiable person — a group member, another client, a relative,
 * partner, roommate, sponsor, neighbour or coworker — named together with their private
 * information (health, substance use, legal, reproductive, housing), or group attendees listed by
 * name. Not: a generic "one member", the peer's own name, a provider named in a referral role, a
 * capitalised non-person (a program, a pet, a street, a shelter, an employer).
 */
import { NOT_NAMES, type Span } from '../../internal/names';
import { isKnownWord, type Token } from '../../internal/text';
import { SOURCES as S } from '../sources';
import { clauseAt, RELATIONS, type NoteSentence, type NoteView } from './context';
import type { NoteRule } from './note-rule';

/** Words that are never a person's name here: drugs, programs, places, shorthand. */
const NOT_PERSON = new Set([
  ...[...NOT_NAMES].map((w) => w.toLowerCase()),
  'pt', 'peer', 'pss', 'cps', 'writer', 'narcan', 'narcanned', 'suboxone', 'sublocade', 'methadone', 'vivitrol', 'abilify', 'zyprexa', 'lithium',
  'adderall', 'xanax', 'prozac', 'zoloft', 'lexapro', 'wellbutrin', 'seroquel', 'risperdal', 'lamictal', 'depakote', 'ativan', 'antabuse',
  'iop', 'mat', 'moud', 'ssi', 'ssdi', 'snap', 'ged', 'dmv', 'nami', 'wrap', 'smart', 'dv', 'dui', 'hiv', 'hep', 'po', 'si', 'hi', 'od',
  'sundays', 'mondays', 'tuesdays', 'wednesdays', 'thursdays', 'fridays', 'saturdays', 'weds', 'thurs', 'tues', 'fri', 'sat', 'sun', 'mon',
  'al-anon', 'nar-anon', 'target', 'walmart', 'y', 'ymca', 'overdose', 'awareness', 'recovery', 'mr', 'ms', 'mrs', 'mr.', 'ms.', 'mrs.', 'dr', 'dr.', 'drs', 'drs.',
]);
/**
 * Generic people and quantifiers that start a group note's sentences ("Others shared …", "People
 * said …", "Several talked …"): the model may tag them as proper nouns, but they name nobody.
 */
const GENERIC_PEOPLE = new Set(['others', 'other', 'people', 'everyone', 'everybody', 'someone', 'somebody', 'anyone', 'anybody', 'nobody', 'members', 'member', 'folks', 'several', 'some', 'many', 'most', 'few', 'both', 'all', 'each', 'newcomers', 'participants', 'attendees', 'guys', 'ladies', 'men', 'women']);
/**
 * Closed-class words (determiners, pronouns, question words) capitalised at the start of a sentence,
 * a title or a quoted question ("Another said …", "\"What's next\" planning"): they name nobody.
 */
const CLOSED_CLASS = new Set(['another', 'one', 'none', 'neither', 'either', 'what', "what's", 'who', "who's", 'whom', 'whose', 'which', 'when', 'where', 'why', 'how', 'this', 'that', 'these', 'those', 'there', 'here', 'it', 'its', 'we', 'you', 'they', 'something', 'nothing', 'anything', 'everything']);
/** Street names of drugs, capitalised as brands are ("Percs", "Xans"): a substance, not a person. */
const DRUG_SLANG = new Set(['percs', 'perc', 'percocet', 'percocets', 'oxy', 'oxys', 'oxycontin', 'xans', 'xan', 'xanax', 'bars', 'fent', 'fenty', 'molly', 'addy', 'addies', 'klonopin', 'k-pins', 'subs', 'sub', 'norcos', 'norco', 'vicodin', 'dilaudid', 'tramadol', 'gabapentin', 'gabbies', 'benzos']);
const TITLES = new Set(['mr', 'mr.', 'ms', 'ms.', 'mrs', 'mrs.', 'miss']);
const PROVIDER_TITLES = new Set(['dr', 'dr.', 'doctor', 'nurse', 'practitioner', 'np', 'counselor', 'therapist', 'coordinator', 'navigator']);
const NON_PERSON_BEFORE = new Set(['cat', 'dog', 'parakeet', 'bird', 'pet', 'kitten', 'puppy', 'the', 'a', 'an', 'at', 'on', 'in', 'to']);
/** The program's own staff named in their role ("Facilitator Kim", "co-facilitator Ray"). */
const STAFF_BEFORE = new Set(['facilitator', 'co-facilitator', 'cofacilitator', 'pss', 'cps', 'cprs', 'specialist', 'staff', 'intern', 'volunteer', 'cm']);
const ROSTER = /\b(?:attendees?|attendance|present|in attendance|sign-?in|signed in|members present|roster|attended)\b/i;
const PROVIDER_ROLE = /\b(?:referr\w*|referred|hand-?off|handoff|intake|introduced|connected|navigator|coordinator|counselor at|at (?:the )?\w+ (?:center|clinic|rehab|house|program)|vocational)\b/i;
/**
 * Private information about a person, by concept class (issue 16: health, substance use, legal,
 * reproductive, housing and money): each class is a family of terms with their inflections, so
 * "detoxing", "seizures", "an abscess", "doing lines", "on probation" or "got evicted" are found
 * whatever the sentence around them. A relation or a name alone is not private.
 */
const PRIVATE_CLASSES: Readonly<Record<string, string>> = {
  health: String.raw`diagnos\w*|dx|hep(?:atitis)? ?c|hiv|aids|cancer|tumou?rs?|chemo|dialysis|seizures?|abscess\w*|infect\w*|wound\w*|hospitali[sz]\w*|in the hospital|icu|surgery|stroke|std|sti`,
  mentalHealth: String.raw`psych(?:iatric|ward|hold)?|committed|involuntar\w*|state hospital|5150|baker act\w*|mania|manic|schizo\w*|bipolar|depress\w*|ptsd|eating disorder|breakdown|meds?|medications?|lithium|abilify|zyprexa`,
  substance: String.raw`(?:in|at|goes to|going to) (?:aa|na|ca|al-anon)|(?:aa|na) meetings|iop|intensive outpatient|methadone clinic|mat program|relaps\w*|using|use again|drinking|drinks|drank|drunk|suboxone|methadone|vivitrol|sublocade|buprenorphine|naltrexone|antabuse|on (?:\w+ )?(?:meds|medication)|(?:was|is|got|getting|came in|coming in|comes in|been|gets|showed up) (?:high|hungover|buzzed|wasted|loaded)|hungover|sober|sobriety|detox\w*|rehab|treatment|overdos\w*|od'?d|heroin|meth|fent\w*|dope|pills|benzos?|cocaine|coke|crack|drugs|weed|vaping|doing lines|shooting(?: up)?|needles?|dealing|selling|positive|tested|dirty (?:ua|urine|test)`,
  legal: String.raw`probation|parole|warrant|arrest\w*|jail|prison|locked up|in county|charges?|charged|dui|dv|court|juvenile|violation|possession|cps|custody|(?:kids?|children|baby) (?:taken|removed)|protective order|restraining order|sentenced|incarcerat\w*|deport\w*`,
  reproductive: String.raw`pregnan\w*|abortion|miscarri\w*|expecting`,
  crisis: String.raw`suicid\w*|self[- ]?harm|kill(?:ed|ing)? (?:him|her|them)sel(?:f|ves)|tried to (?:kill|end|hang|overdose)|attempt(?:ed)?`,
  housingMoney: String.raw`kicked out|evict\w*|homeless|couch[- ]?surf\w*|sleeping in (?:his|her|their) car|in debt|owes|behind on (?:rent|bills)|bankrupt\w*|fired|lost (?:his|her|their) job|broke`,
  abuse: String.raw`turning tricks|sex work\w*|prostitut\w*|(?:her|his|their) habit|abusive|abuse[ds]?|violent|violence|bruises|rap(?:e|ed)|assault\w*|molest\w*|beat(?:s|ing)? (?:her|him|them)`,
  other: String.raw`recovery|goal is`,
};
const PRIVATE = new RegExp(String.raw`\b(?:${Object.values(PRIVATE_CLASSES).join('|')})\b`, 'i');
const ANAPHORA = /\b(?:too|also|as well|together|the same)\b/i;

/** A person named in a note, and what surrounds the name. */
interface Mention extends Span {
  readonly sentence: NoteSentence;
  readonly first: number;
  readonly last: number;
}

const SPEECH = new Set(['said', 'says', 'shared', 'told', 'reported', 'asked', 'wants', 'talked', 'mentioned', 'disclosed', 'admitted', 'explained', 'described', 'revealed', 'announced', 'spoke', 'cried', 'vented', 'opened', 'brought']);

/**
 * A capitalised word (or an initial) that may be a person's name. A sentence's first word is
 * capitalised anyway: it counts only when the model does not know it as a word ("Dion shared"),
 * or when a name it knows ("Tony") says or shares something.
 */
function nameLike(note: NoteView, s: NoteSentence, k: number): boolean {
  const t = note.tokens[k] as Token;
  const bare = t.norm.replace(/'s$|\.$/, '');
  if (!t.capitalized || NOT_PERSON.has(t.norm) || GENERIC_PEOPLE.has(t.norm) || NOT_PERSON.has(bare) || RELATIONS.has(t.norm)) return false;
  if (CLOSED_CLASS.has(t.norm) || CLOSED_CLASS.has(bare) || DRUG_SLANG.has(bare)) return false;
  if (t.pos === 'PUNCT' || t.pos === 'NUM' || t.pos === 'SYM') return false;
  const written = note.text.slice(t.start, t.end);
  // Part of a hyphenated compound that is no name ("Al-Anon", "Nar-Anon"); "Stacy-Ann" stays one.
  if (NOT_PERSON.has(hyphenatedWord(note.text, t).toLowerCase())) return false;
  // Initials in capitals right after a relation ("her nephew TJ"): a name, not an abbreviation.
  if (/^\p{Lu}{2,3}$/u.test(written) && RELATIONS.has(note.tokens[k - 1]?.norm ?? '')) return true;
  // A name, an initial ("V."), or initials ("J.R.").
  if (!/^\p{Lu}\p{Ll}/u.test(written) && !/^\p{Lu}\.?$/u.test(written) && !/^(?:\p{Lu}\.){2,3}$/u.test(written)) return false;
  if (k !== s.first) return true;
  if (!isKnownWord(t.norm) && !/(?:ed|ing|ly|ness|tion)$/.test(t.norm)) return true;
  const next = note.tokens[k + 1]?.norm ?? '';
  // "Wendy and Rosa shared": the first of a list of names.
  return SPEECH.has(next) || ((next === 'and' || next === ',' || next === '&') && k + 2 < s.last && nameLike(note, s, k + 2));
}

/** The whole hyphenated word a token is part of ("Al-Anon" for "Al"), or the token itself. */
function hyphenatedWord(text: string, t: Token): string {
  const before = /[\p{L}-]*$/u.exec(text.slice(Math.max(0, t.start - 20), t.start))?.[0] ?? '';
  const after = /^[\p{L}-]*/u.exec(text.slice(t.end, t.end + 20))?.[0] ?? '';
  return `${before}${text.slice(t.start, t.end)}${after}`;
}

/** Name mentions in a sentence: runs of name-like tokens (with initials), not at a heading. */
function mentionsIn(note: NoteView, s: NoteSentence): Mention[] {
  const out: Mention[] = [];
  let k = s.first;
  while (k < s.last) {
    const t = note.tokens[k] as Token;
    const isInitial = /^\p{Ll}\.?$/u.test(t.norm);
    const initialAfterRelation = isInitial && note.tokens[k - 1]?.norm === '(' && RELATIONS.has(note.tokens[k - 2]?.norm ?? '');
    if (!nameLike(note, s, k) || (isInitial && !TITLES.has(note.tokens[k - 1]?.norm ?? '') && !initialAfterRelation)) {
      k++;
      continue;
    }
    let end = k + 1;
    while (end < s.last && nameLike(note, s, end)) end++;
    // A title belongs to the name ("Mr. Hollis").
    const from = k > s.first && TITLES.has(note.tokens[k - 1]?.norm ?? '') ? k - 1 : k;
    const a = note.tokens[from] as Token;
    const b = note.tokens[end - 1] as Token;
    // A hyphenated name ("Mary-Kate") is one name: its span and tokens run to the last piece.
    const joined = /^(?:-\p{Lu}\p{Ll}+)+/u.exec(note.text.slice(b.end, s.end))?.[0] ?? '';
    let last = end;
    while (joined !== '' && last < s.last && (note.tokens[last] as Token).end <= b.end + joined.length) last++;
    out.push({ start: a.start, end: b.end + joined.length, sentence: s, first: from, last });
    k = last;
  }
  return out;
}

function words(note: NoteView, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = Math.max(0, from); i < Math.min(note.tokens.length, to); i++) out.push(note.tokens[i]?.norm ?? '');
  return out;
}

/** The peer's own work superiors and colleagues ("his supervisor Rick"): other people here, though "supervisor" alone is the writer's elsewhere. */
const WORK_ROLES = new Set(['supervisor', 'foreman', 'shift lead', 'lead', 'owner', 'crew chief']);

/** Words between a relation and its name: "his old cellie, Rashid", "a guy named Tito", "her roommate (Jess)". */
const RELATION_FILLERS = new Set([',', '(', '-', 'in', 'law', 'the', "'s", 'is', 'was', 'best', 'new', 'old', 'former', 'there', 'named', 'called', 'nicknamed', 'a', 'an']);

/** The name follows a relation ("her roommate Jolene", "his sponsor, Big Mike", "another client there, Lorraine"). */
function relationBefore(note: NoteView, m: Mention): boolean {
  const before = words(note, Math.max(m.sentence.first, m.first - 5), m.first).reverse();
  for (const w of before) {
    if (RELATION_FILLERS.has(w)) continue;
    if (RELATIONS.has(w) || WORK_ROLES.has(w) || /-in-law$/.test(w) || w === 'member' || w === 'client' || w === 'attendee' || w === 'bunk' || w === 'clubhouse' || w === 'group') return true;
    if (w === 'his' || w === 'her' || w === 'my' || w === 'their' || w === 'pt' || w === 'peer' || w === 'from') continue;
    return false;
  }
  return false;
}

/** An apposition after the name says who they are ("Lacey, who he met at IOP", "Rhonda, another client"). */
function relationAfter(note: NoteView, m: Mention): boolean {
  const after = words(note, m.last, Math.min(m.sentence.last, m.last + 5));
  const joined = after.join(' ');
  // ", who he met at IOP" ties the name to the peer; ", who is scared …" only describes the named person.
  if (/^(?:, whom? (?:he|she|they|pt|peer|the peer)\b|, another (?:client|member)|, (?:his|her|their|pt's|peer's) \w+)/.test(joined)) return true;
  // Someone from a shared place: "Keisha from her old IOP", "Carlos from work".
  if (/^from (?:(?:her|his|their|the|pt's|peer's|my) )?(?:old |former |same )?(?:group|clubhouse|iop|meetings?|program|rehab|detox|shelter|unit|dorm|block|pod|job|work|church|class|house|na|aa|jail|county|crew|team|building|camp|neighborhood|hood|squad|gang)\b/.test(joined)) return true;
  // A relation in brackets after the name: "Keon (housemate)", "Jamal (cousin)".
  if (after[0] === '(' && (RELATIONS.has(after[1] ?? '') || /-in-law$/.test(after[1] ?? ''))) return true;
  // An apposition that names a relation: "Bree, the girl in the next bed", "Ruth, her grandmother".
  return after[0] === ',' && after.slice(1, 4).some((w) => RELATIONS.has(w) || w === 'client' || w === 'member');
}

function excluded(note: NoteView, m: Mention): boolean {
  const prev = note.tokens[m.first - 1]?.norm ?? '';
  if ((NON_PERSON_BEFORE.has(prev) && !concernedWith(note, m)) || PROVIDER_TITLES.has(prev) || STAFF_BEFORE.has(prev)) return true;
  // A case manager or a probation officer by name is staff in a professional role.
  if ((prev === 'manager' || prev === 'mgr') && /^(?:case|care)$/.test(note.tokens[m.first - 2]?.norm ?? '')) return true;
  const next = note.tokens[m.last]?.norm ?? '';
  if (/^(?:house|center|centre|shelter|st\.?|street|ave\.?|avenue|rd|road|café|cafe|clinic|library|program|county|jail|foods|inc|llc|transitional|rehab|detox)$/.test(next)) return true;
  // A provider in a referral role: "Jenna, intake coordinator at…", "Referral to Ms. Tran at Vocational Rehab".
  return PROVIDER_ROLE.test(m.sentence.text) && !PRIVATE.test(m.sentence.text.replace(PROVIDER_ROLE, ''));
}

const PRIVATE_ALL = new RegExp(PRIVATE.source, 'gi');
const PEER_WORDS = new Set(['pt', 'pt.', 'peer', 'client', 'patient', 'participant', 'consumer']);

/**
 * The private words at `at` are the peer's own ("drove her to the hospital for pt's surgery", "Ana
 * has hep C" when Ana is the peer): the nearest person word before them in their clause names the
 * peer (ConText's experiencer). A pronoun or another person's word there leaves them someone else's.
 */
function aboutPeer(note: NoteView, s: NoteSentence, at: number, peer: string | undefined): boolean {
  const clause = clauseAt(s, at);
  // A pronoun refers back: past it, the nearest person named earlier in the sentence decides
  // ("Pt said she is sober" is the peer's; "his sister Tina called; she is using" is Tina's).
  let pronoun = false;
  // Past a coordinated predicate ("Pt lives with Tina and is 60 days sober") only a subject counts:
  // the peer's word, or another person's followed by its verb.
  let needSubject = false;
  for (let k = clause.last - 1; k >= (pronoun ? s.first : clause.first); k--) {
    const t = note.tokens[k] as Token;
    if (t.start >= at) continue;
    if ((t.norm === 'and' || t.norm === 'but' || t.norm === '&') && VERBAL_POS.has(note.tokens[k + 1]?.pos ?? '')) needSubject = true;
    if (needSubject && !PEER_WORDS.has(t.norm) && !VERBAL_POS.has(note.tokens[k + 1]?.pos ?? '') && note.tokens[k + 1]?.norm !== "'s") continue;
    // "another client", "a fellow peer": someone else in the peer's role.
    if (PEER_WORDS.has(t.norm) && /^(?:another|other|fellow|a|one)$/.test(note.tokens[k - 1]?.norm ?? '')) return false;
    if (PEER_WORDS.has(t.norm) || (peer !== undefined && t.norm === peer)) return true;
    if (SUBJECT_PRONOUN.has(t.norm)) {
      pronoun = true;
      continue;
    }
    if (RELATIONS.has(t.norm) || (t.capitalized && t.pos === 'PROPN')) return false;
  }
  return false;
}
const VERBAL_POS = new Set(['VERB', 'AUX']);
const SUBJECT_PRONOUN = new Set(['he', 'she', 'they', 'him', 'her', 'them', 'his', 'their']);

/** Private words in `text` (a sentence or part of one starting at `offset`) that are not about the peer. */
function privateAbout(note: NoteView, s: NoteSentence, text: string, offset: number, peer: string | undefined): boolean {
  PRIVATE_ALL.lastIndex = 0;
  for (let m = PRIVATE_ALL.exec(text); m; m = PRIVATE_ALL.exec(text)) if (!aboutPeer(note, s, offset + m.index, peer)) return true;
  return false;
}

/** Private information about the named person in their sentence (or the one before, for "does it too"). */
function privateInfo(note: NoteView, m: Mention, peer?: string): boolean {
  if (privateAbout(note, m.sentence, m.sentence.text, m.sentence.start, peer)) return true;
  const previous = note.sentences[m.sentence.index - 1];
  return ANAPHORA.test(m.sentence.text) && previous !== undefined && /\b(?:using|drinking|cut\w*|burn\w*|harm\w*|relaps\w*|overdos\w*)\b/i.test(previous.text);
}

/** The name acts in its sentence ("Dion shared", "Reggie's goal", "paired Deshawn with Carla", "told Tina"). */
function acts(note: NoteView, m: Mention): boolean {
  let k = m.last;
  while (/^(?:both|also|all|each|then|just|again|later|finally)$/.test(note.tokens[k]?.norm ?? '')) k++;
  const next = note.tokens[k];
  const prev = note.tokens[m.first - 1];
  if (next && (next.norm === "'s" || next.pos === 'VERB' || next.pos === 'AUX')) return true;
  return prev !== undefined && m.first > m.sentence.first && (prev.pos === 'VERB' || prev.norm === 'with');
}

/** The longest run of mentions joined by commas or *and* (a list of names). */
function listOfNames(note: NoteView, mentions: readonly Mention[]): number {
  let best = mentions.length > 0 ? 1 : 0;
  let run = 1;
  for (let i = 1; i < mentions.length; i++) {
    const a = mentions[i - 1] as Mention;
    const b = mentions[i] as Mention;
    const between = note.tokens.slice(a.last, b.first).map((t) => t.norm);
    run = between.length > 0 && between.length <= 2 && between.every((w) => w === ',' || w === 'and' || w === '&') ? run + 1 : 1;
    best = Math.max(best, run);
  }
  return best;
}

/** Named people in a group note: a roster, a member who shares or is paired (alone or in a list), or a named relation. */
function namedInGroupNote(note: NoteView): Span[] {
  const out: Span[] = [];
  for (const s of note.sentences) {
    const mentions = mentionsIn(note, s).filter((m) => !excluded(note, m));
    // A roster: a cue with two names, or three names or more in a comma list ("Group: Ashley, Devon, Marisol").
    const roster = (ROSTER.test(s.text) && mentions.length >= 2) || listOfNames(note, mentions) >= 3;
    // "Wendy and Rosa both shared": a list of names is as active as its last name.
    const active = mentions.map((m) => acts(note, m));
    for (let i = mentions.length - 2; i >= 0; i--) {
      const joiner = note.tokens[(mentions[i] as Mention).last]?.norm ?? '';
      if ((joiner === ',' || joiner === 'and' || joiner === '&') && (mentions[i + 1] as Mention).first <= (mentions[i] as Mention).last + 2) active[i] ||= active[i + 1] ?? false;
    }
    mentions.forEach((m, i) => {
      if (roster || active[i] || relationBefore(note, m) || relationAfter(note, m)) out.push({ start: m.start, end: m.end });
    });
  }
  return out;
}

/**
 * The name is the one the peer talks about, is worried about, angry with, visits or lives with
 * ("Pt said Tina …", "worried about Jake", "visited Omar in county", "mad at Luis"): someone other
 * than the peer.
 */
function concernedWith(note: NoteView, m: Mention): boolean {
  const before = words(note, Math.max(m.sentence.first, m.first - 4), m.first).join(' ');
  // What the peer says about someone by name ("Pt said Tina moved in and is using"): the peer does not name themself.
  if (/\b(?:pt|peer|client|she|he)\s+(?:said|says|reports|reported|mentioned|told me|explained|shared|thinks|worries|heard)(?:\s+that)?$/.test(before)) return true;
  return /(?:worried|concerned|scared|afraid|upset|mad|angry|frustrated)\s+(?:about|for|at|with)$|(?:visited|visiting|visits|fighting with|fought with|broke up with|living with|lives with|staying with|stays with|moved in with|caring for|takes care of|taking care of)$/.test(before);
}

/** A mention's name without its title, lower-cased: the key by which later mentions refer back to it. */
function nameKey(note: NoteView, m: Mention): string {
  return words(note, m.first, m.last).filter((w) => !TITLES.has(w)).join(' ');
}

/** A sentence names a relation ("talked about her coworker") and no name goes with it there. */
function unnamedRelation(note: NoteView, s: NoteSentence | undefined): boolean {
  if (s === undefined) return false;
  for (let k = s.first; k < s.last; k++) {
    if (!RELATIONS.has((note.tokens[k] as Token).norm)) continue;
    if (!mentionsIn(note, s).some((m) => m.first > k && m.first <= k + 2)) return true;
  }
  return false;
}

/** The words after a name to the end of its clause, when the name is the clause's subject ("Rashid is on probation"). */
function ownPredicate(note: NoteView, m: Mention): string | undefined {
  const next = note.tokens[m.last];
  if (next === undefined || !(next.norm === "'s" || next.pos === 'VERB' || next.pos === 'AUX')) return undefined;
  const clause = clauseAt(m.sentence, m.start);
  return note.text.slice(m.end, Math.max(clause.end, m.end));
}

/**
 * Named other people with their private information in a one-on-one note. A name is another
 * person's when a relation introduces it ("her sponsee Krista", "Bones and his girl Lacey"), when it
 * is a name so introduced earlier in the note (coreference by the same name), when it follows a
 * sentence that named a relation without a name ("talked about her coworker. Said Tamsin …"), or
 * when the note already names the peer otherwise and this name is the subject of a clause that
 * carries the private information ("Andy says Rashid is on probation"). The peer is the first
 * person the note names that is none of these.
 */
function namedWithPrivateInfo(note: NoteView): Span[] {
  const out: Span[] = [];
  const others = new Set<string>();
  let peer: string | undefined;
  for (const s of note.sentences) {
    const relationBeforeIt = unnamedRelation(note, note.sentences[s.index - 1]);
    mentionsIn(note, s).forEach((m, i) => {
      if (excluded(note, m)) return;
      const key = nameKey(note, m);
      const introduced = relationBefore(note, m) || relationAfter(note, m) || concernedWith(note, m) || others.has(key) || (i === 0 && relationBeforeIt && key !== peer);
      if (introduced) {
        others.add(key);
        if (privateInfo(note, m, peer)) out.push({ start: m.start, end: m.end });
        return;
      }
      if (peer === undefined) {
        peer = key;
        return;
      }
      if (key === peer) return;
      const predicate = ownPredicate(note, m);
      if (predicate !== undefined && privateAbout(note, m.sentence, predicate, m.end, peer)) out.push({ start: m.start, end: m.end });
    });
  }
  return out;
}

const groupMemberNamed: NoteRule = {
  definition: {
    id: 'confidentiality.group-member-named',
    category: 'confidentiality',
    severity: 'error',
    title: 'A group note identifies another person by name',
    rationale: "Each attendee's copy of a group note goes into their own record; naming another member discloses that member's participation and what they shared.",
    source: `${S.idahoPrivacy}; ${S.part2Consent}`,
    appliesTo: ['note'],
    notes: ['group-attendee', 'group'],
    suggestion: "Refer to others by role, e.g. 'Peer offered support to another group member.'",
  },
  trigger: () => /\p{Lu}/u,
  detect: namedInGroupNote,
};

const personNamed: NoteRule = {
  definition: {
    id: 'confidentiality.person-named',
    category: 'confidentiality',
    severity: 'warning',
    title: "A peer's note names another person with their private information",
    rationale: "Names of others with their health, substance use, legal or family details in a peer's record disclose information about people who did not consent.",
    source: `${S.idahoPrivacy}; naming threshold: ${S.policy}`,
    appliesTo: ['note'],
    notes: ['one-on-one'],
    suggestion: "Use the relationship instead of the name, e.g. 'peer's sister'.",
  },
  trigger: () => /\p{Lu}/u,
  detect: namedWithPrivateInfo,
};

/** The confidentiality rules over note text, in catalog order. */
export const CONFIDENTIALITY_RULES: readonly NoteRule[] = [groupMemberNamed, personNamed];
