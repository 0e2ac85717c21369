/**
 * Finds person names in free text, for redaction (a peer's copy of a group note) and for the
 * confidentiality rule (another person identified in a peer's note). Heuristic: names after a
 * relationship cue ("group member Avery", "her sister Dana Smith"), capitalized word pairs that are
 * not common words, places or organizations, and names the host supplies. It over-redacts rather
 * than under-redacts; the rule uses only the cue and pair forms.
 */

/** A character span in a text: `[start, end)`. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Capitalized words that start sentences, name roles, places, programs or times: never a person. */
export const NOT_NAMES: ReadonlySet<string> = new Set(
  `A An The This That These Those He She They We I It His Her Their Our My Your Its Them Him Me Us
  After Before During Today Yesterday Tomorrow Tonight Next Last When While If Then And But Or So At In On To
  For With From By As Also Both Each Every All Some Any No Not Yes Please Met Talked Helped Worked Reviewed Went
  Discussed Offered Practiced Called Gave Asked Agreed Arranged Looked Updated Stayed Connected Found Visited Will
  Peer Peers Specialist Specialists Facilitator Facilitators Group Groups Member Members Session Sessions Staff
  Supervisor Writer Clinician Clinicians Doctor Dr Nurse Therapist Counselor Case Manager Psychiatrist Prescriber
  Provider Team Program Programs Center Centre Community Health Recovery Clinic Hospital Lifeline Crisis Mobile Unit
  Street St Avenue Ave Road Rd Boulevard Park Library Church Department Office County State City University College
  School Housing Authority Services Service Anonymous Narcotics Alcoholics Medicaid Medicare Emergency Room Court
  Probation Parole Example Synthetic Riverbend Wellness Action Plan Plans Smart Celebrate Bible Google Facebook
  Instagram TikTok Snapchat Twitter WhatsApp Zoom Teams Housing Food Bank Pantry Shelter Salvation Army Goodwill
  Transit Bus Metro Social Security Administration Behavioral Mental Substance Use Disorder Treatment Employment
  Supported Job Jobs Work Works Services Benefits Legal Aid Center Peer Support Specialist Certified Coach
  Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
  September October November December Christmas Thanksgiving Easter New Year Years Day Week Month
  WRAP AA NA SMART ED ER PCP MOUD`.split(/\s+/),
);

/** Words after which a capitalized word is likely a person. */
const CUE =
  /\b(?:group member|fellow member|another member|member|attendee|participant|roommate|friend|partner|girlfriend|boyfriend|wife|husband|spouse|sister|brother|mother|father|mom|dad|son|daughter|cousin|aunt|uncle|grandmother|grandfather|grandma|grandpa|neighbor|neighbour|sponsor|coworker|co-worker|boss|named|called)\s+/gi;

const WORD = /[A-Z][a-z'’-]+/y;

function nameAt(text: string, at: number, maxWords: number): Span | undefined {
  let end = at;
  let words = 0;
  let pos = at;
  while (words < maxWords) {
    WORD.lastIndex = pos;
    const m = WORD.exec(text);
    if (!m) break;
    const word = m[0].replace(/['’]s$/, '');
    if (NOT_NAMES.has(word)) break;
    words += 1;
    end = pos + word.length;
    pos = pos + m[0].length;
    if (text[pos] !== ' ') break;
    pos += 1;
  }
  return words > 0 ? { start: at, end } : undefined;
}

/** Two or three capitalized words in a row, none of them a common word, place or role. */
const PAIR = /\b([A-Z][a-z'’-]+)(\s+[A-Z][a-z'’-]+){1,2}\b/g;

/**
 * Spans of likely person names, sorted, without overlaps.
 *
 * @param text - free text
 * @param known - names the host knows (matched whole-word, case-insensitive)
 * @param pairs - also report capitalized word pairs without a cue (default `true`)
 */
export function findPersonNames(text: string, known: readonly string[] = [], pairs = true): Span[] {
  const spans: Span[] = [];
  CUE.lastIndex = 0;
  for (let m = CUE.exec(text); m; m = CUE.exec(text)) {
    const span = nameAt(text, m.index + m[0].length, 3);
    if (span) spans.push(span);
  }
  if (pairs) {
    PAIR.lastIndex = 0;
    for (let m = PAIR.exec(text); m; m = PAIR.exec(text)) {
      const words = m[0].split(/\s+/).map((w) => w.replace(/['’]s$/, ''));
      if (words.every((w) => !NOT_NAMES.has(w))) spans.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  for (const name of known) {
    const trimmed = name.trim();
    if (trimmed.length < 2) continue;
    const escaped = trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu');
    for (let m = re.exec(text); m; m = re.exec(text)) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return mergeSpans(spans);
}

/** Sorts spans and merges overlapping or touching ones. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, s.end) };
    else out.push(s);
  }
  return out;
}

/** Replaces each span of `text` with `replacement`. */
export function replaceSpans(text: string, spans: readonly Span[], replacement: string): string {
  let out = '';
  let at = 0;
  for (const s of mergeSpans(spans)) {
    out += text.slice(at, s.start) + replacement;
    at = s.end;
  }
  return out + text.slice(at);
}
