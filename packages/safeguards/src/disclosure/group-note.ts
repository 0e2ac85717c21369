/**
 * A peer's copy of a group session note: the session's group note and the peer's own note, with
 * every other attendee removed — their record ids, the names the host knows, and person names
 * found in the text — so the copy filed in one peer's record never names or identifies another.
 *
 * See: DESIGN.md (GroupSession: "each attendee's note copy has the other members redacted");
 * 42 CFR §2.13 and HIPAA minimum necessary (peer codes of ethics: respect the privacy and
 * confidentiality of those served, e.g. Idaho CPSS Code of Ethics 3).
 */
import { fail, ok, type GroupSession, type Result } from '@peerkit/model';
import { findPersonNames, mergeSpans, replaceSpans, type Span } from '../internal/names';

/** Options of {@link createGroupNoteCopy}. */
export interface GroupNoteCopyOptions {
  /**
   * Names of group members the host knows (the clinic export holds no names), by peer id. The
   * other attendees' names are redacted; the peer's own names are kept.
   */
  memberNames?: Readonly<Record<string, readonly string[]>>;
  /** Other identifiers of attendees (patient references, MRNs…), by peer id; redacted for others. */
  memberIdentifiers?: Readonly<Record<string, readonly string[]>>;
  /** What replaces a removed name or identifier. Default `another group member`. */
  replacement?: string;
}

/** A peer's copy of a group note. */
export interface GroupNoteCopy {
  /** The group note, then the peer's own note, separated by a blank line. */
  readonly text: string;
  /** How many names or identifiers were removed. */
  readonly redactions: number;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function literalSpans(text: string, needles: readonly string[]): Span[] {
  const spans: Span[] = [];
  for (const needle of needles) {
    if (needle.trim().length < 2) continue;
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escape(needle)}(?![\\p{L}\\p{N}])`, 'giu');
    for (let m = re.exec(text); m; m = re.exec(text)) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

/**
 * Builds one attendee's copy of a group note with every other attendee redacted.
 *
 * @param session - the group session
 * @param peerId - the attendee whose record gets the copy
 * @param options - known names and identifiers of members, replacement text
 * @returns the copy, or an issue when `peerId` is not an attendee
 * @example
 * const copy = createGroupNoteCopy(session, 'peer-0007', { memberNames: { 'peer-0003': ['Avery Example'] } });
 * See: DESIGN.md (GroupSession)
 */
export function createGroupNoteCopy(session: GroupSession, peerId: string, options: GroupNoteCopyOptions = {}): Result<GroupNoteCopy> {
  const self = session.attendees.find((a) => a.peerId === peerId);
  if (!self) {
    return fail([{ severity: 'error', code: 'group.not-an-attendee', path: ['attendees'], message: 'The peer is not an attendee of this session' }]);
  }
  const replacement = options.replacement ?? 'another group member';
  const others = session.attendees.filter((a) => a.peerId !== peerId);
  const otherNames = others.flatMap((a) => options.memberNames?.[a.peerId] ?? []);
  const ownNames = (options.memberNames?.[peerId] ?? []).map((n) => n.toLowerCase());
  const otherIds = others.flatMap((a) => [a.peerId, ...(options.memberIdentifiers?.[a.peerId] ?? [])]);
  let redactions = 0;
  const redact = (text: string): string => {
    const spans = mergeSpans([
      ...findPersonNames(text, otherNames).filter((s) => !ownNames.includes(text.slice(s.start, s.end).toLowerCase())),
      ...literalSpans(text, otherIds),
    ]);
    redactions += spans.length;
    return replaceSpans(text, spans, replacement);
  };
  const parts: string[] = [];
  if (session.groupNote) parts.push(redact(session.groupNote.text));
  if (self.note) parts.push(redact(self.note.text));
  return ok({ text: parts.join('\n\n'), redactions });
}
