/**
 * Documentation rules: notes are signed within the deadline, and every contact falls under a
 * recovery plan in force (after a grace period for new enrollments).
 */
import { covers, daysBetween } from '@peerkit/model';
import { toMs } from '../../internal/dates';
import { SOURCES as S } from '../sources';
import type { ExportRule, RecordRule } from './record-rule';

const DAY_MS = 86_400_000;
const PLAN_IN_FORCE = new Set(['active', 'on-hold', 'completed']);

const noteUnsignedLate: ExportRule<'unsigned-note'> = {
  definition: {
    id: 'documentation.note-unsigned-late',
    category: 'documentation',
    severity: 'warning',
    title: 'Note unsigned past the signature deadline',
    rationale: 'Unsigned notes are drafts: not part of the record and not billable.',
    source: `${S.vaNote}; ${S.seedDocument}; deadline: ${S.policy}`,
    appliesTo: ['encounter', 'group-session'],
  },
  subject: 'unsigned-note',
  check(note, { asOf, policy }, emit) {
    if (asOf === undefined) return;
    // Judged at the end of the as-of day.
    const asOfEndMs = toMs(asOf) + DAY_MS - 1;
    if (asOfEndMs - note.endMs > policy.documentation.signatureDeadlineHours * 3_600_000) emit(note.place, note.path);
  },
};

const noActivePlan: ExportRule<'contact'> = {
  definition: {
    id: 'documentation.no-active-plan',
    category: 'documentation',
    severity: 'warning',
    title: 'Contact with no active recovery plan',
    rationale: 'Peer support is delivered under a person-centered recovery plan; contacts outside one are hard to justify and bill.',
    source: `${S.smdl}; ${S.paPlan}`,
    appliesTo: ['encounter'],
  },
  subject: 'contact',
  check(contact, facts, emit) {
    const peer = facts.peer(contact.peerId);
    if (!peer) return;
    const inForce = facts.plansOf(contact.peerId).some((p) => PLAN_IN_FORCE.has(p.status) && covers(contact.date, p.period.start, p.period.end));
    const enrolled = peer.enrollments.map((x) => x.start).reduce<string | undefined>((a, b) => (a === undefined || b < a ? b : a), undefined);
    const inGrace = enrolled !== undefined && daysBetween(enrolled, contact.date) <= facts.policy.documentation.planGraceDays;
    if (!inForce && !inGrace) emit(contact.place, ['planId']);
  },
};

/** The documentation rules, in catalog order. */
export const DOCUMENTATION_RULES: readonly RecordRule[] = [noteUnsignedLate, noActivePlan];
