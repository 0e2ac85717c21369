/**
 * Documentation rules: notes are signed within the deadline, and every contact falls under a
 * recovery plan in force (after a grace period for new enrollments).
 */
import { covers, daysBetween, type Peer, type RecoveryPlan } from '@peerkit/model';
import { toMs } from '../../internal/dates';
import { SOURCES as S } from '../sources';
import type { ExportRule, RecordRule } from './record-rule';

const DAY_MS = 86_400_000;
const PLAN_IN_FORCE = new Set(['active', 'on-hold', 'completed']);

/**
 * A plan was in force on a date: an active, on-hold or completed plan over its period, or a plan
 * that ended early (`revoked`) over the period it ran — a contact before the early end was under
 * the plan. A draft was never in force.
 */
function inForceOn(plan: RecoveryPlan, date: string): boolean {
  if (PLAN_IN_FORCE.has(plan.status)) return covers(date, plan.period.start, plan.period.end);
  return plan.status === 'revoked' && plan.period.end !== undefined && covers(date, plan.period.start, plan.period.end);
}

/**
 * A draft plan whose status lags its signatures: every signature the policy names is on it, dated on
 * or before the contact, and its period covers the contact. The plan was agreed; only the status
 * was not updated. A draft without them (or with an empty list) was never agreed.
 */
function signedDraftOn(plan: RecoveryPlan, date: string, roles: readonly string[]): boolean {
  if (plan.status !== 'draft' || roles.length === 0 || !covers(date, plan.period.start, plan.period.end)) return false;
  return roles.every((role) =>
    plan.signatures.some((s) => (s.role === role || (role === 'peer' && s.role === 'guardian')) && s.signedAt.slice(0, 10) <= date),
  );
}

/** The start of the peer's enrollment that covers a date (the latest one begun by then); grace runs from it. */
function enrollmentStartFor(peer: Peer, date: string): string | undefined {
  let start: string | undefined;
  for (const e of peer.enrollments) {
    if (!covers(date, e.start, e.end)) continue;
    if (start === undefined || e.start > start) start = e.start;
  }
  return start;
}

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
    source: `${S.smdl}; ${S.paPlan}; grace and signed drafts: ${S.policy}`,
    appliesTo: ['encounter'],
  },
  subject: 'contact',
  check(contact, facts, emit) {
    const peer = facts.peer(contact.peerId);
    if (!peer) return;
    const roles = facts.policy.documentation.signedDraftCountsWith;
    const inForce = facts.plansOf(contact.peerId).some((p) => inForceOn(p, contact.date) || signedDraftOn(p, contact.date, roles));
    // Grace runs from the enrollment the contact falls in: a re-enrollment starts a new one.
    const enrolled = enrollmentStartFor(peer, contact.date);
    const inGrace = enrolled !== undefined && daysBetween(enrolled, contact.date) <= facts.policy.documentation.planGraceDays;
    if (!inForce && !inGrace) emit(contact.place, ['planId']);
  },
};

/** The documentation rules, in catalog order. */
export const DOCUMENTATION_RULES: readonly RecordRule[] = [noteUnsignedLate, noActivePlan];
