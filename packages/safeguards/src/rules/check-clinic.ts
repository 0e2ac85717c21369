/**
 * Runs the boundary and scope rule catalog over a clinic export: note rules on every progress and
 * group note as records stream in, record rules (credentials, supervision, workload,
 * documentation, consents, referrals) once the whole export has been seen. Findings name the
 * record, line, field and character span, never the text or a value.
 */
import type { ClinicRecord, Consent, IssuePath, IssueSeverity, Organization, Peer, RecoveryPlan, Referral, Specialist } from '@peerkit/model';
import { checkPart2Consent } from '../consent/part2-completeness';
import { RULE_CATEGORIES, ruleById, type NoteContext, type RuleCategory } from './catalog';
import { createFinding, type Finding, type FindingPlace } from './finding';
import { detectNoteProblems } from './note-rules';
import { DEFAULT_POLICY, severityFor, type Policy } from './policy';
import {
  clockMinutes,
  credentialState,
  daysBetween,
  educationHours,
  expiringSoon,
  lapsedCertifications,
  localDate,
  localMinutes,
  monthsBefore,
  toMs,
  weekday,
} from './record-rules';

/** Options of {@link createClinicChecker} and {@link checkClinic}. */
export interface CheckClinicOptions {
  /** The policy (see `parsePolicy`). Default {@link DEFAULT_POLICY}. */
  policy?: Policy;
  /** The date the export is judged at (`YYYY-MM-DD`). Default: the latest date of service in the export. */
  asOf?: string;
  /** Most findings kept (all are counted). Default: all. */
  maxFindings?: number;
}

/** Counts of findings. */
export interface FindingCounts {
  readonly byCategory: Readonly<Record<RuleCategory, number>>;
  readonly byRule: Readonly<Record<string, number>>;
  readonly bySeverity: Readonly<Record<IssueSeverity, number>>;
}

/** The result of checking a clinic export. */
export interface ClinicCheckReport {
  /** The date the record rules were judged at; `undefined` when the export has no dated service. */
  readonly asOf: string | undefined;
  /** Records checked. */
  readonly records: number;
  /** Findings, in line order (record rules after note rules of the same line). */
  readonly findings: readonly Finding[];
  /** Findings counted but not kept because of `maxFindings`. */
  readonly findingsOmitted: number;
  readonly counts: FindingCounts;
}

/** Accumulates a {@link ClinicCheckReport}; returned by {@link createClinicChecker}. */
export interface ClinicChecker {
  /** Checks one valid record; `line` is its line in the export. */
  add(record: ClinicRecord, line?: number): void;
  /** Runs the record rules and returns the report; calling it again returns the same report. */
  finish(): ClinicCheckReport;
}

interface EncounterInfo {
  readonly id: string;
  readonly line: number | undefined;
  readonly peerId: string;
  readonly specialistId: string;
  readonly date: string;
}

interface UnsignedNote {
  readonly kind: 'encounter' | 'group-session';
  readonly id: string;
  readonly line: number | undefined;
  readonly path: IssuePath;
  readonly endMs: number;
}

const CRISIS_CATEGORIES = new Set(['crisis-988', 'mobile-crisis', 'crisis-stabilization', 'emergency-department']);
const PLAN_IN_FORCE = new Set(['active', 'on-hold', 'completed']);

/**
 * Creates a streaming checker: `add` each valid record, then `finish`.
 *
 * @param options - policy, as-of date, finding limit
 * @returns the checker
 * @example
 * const checker = createClinicChecker({ policy });
 * for await (const entry of readClinicExport(stream)) if (entry.result.ok) checker.add(entry.result.value, entry.line);
 * const report = checker.finish();
 */
export function createClinicChecker(options: CheckClinicOptions = {}): ClinicChecker {
  const policy = options.policy ?? DEFAULT_POLICY;
  const disabled = new Set(policy.disabledRules);
  const maxFindings = options.maxFindings ?? Number.POSITIVE_INFINITY;
  const findings: Finding[] = [];
  const byCategory = Object.fromEntries(RULE_CATEGORIES.map((c) => [c, 0])) as Record<RuleCategory, number>;
  const byRule: Record<string, number> = {};
  const bySeverity: Record<IssueSeverity, number> = { error: 0, warning: 0, information: 0 };
  let omitted = 0;
  let records = 0;
  let latest = '';

  const specialists = new Map<string, { record: Specialist; line: number | undefined }>();
  const peers = new Map<string, Peer>();
  const plans = new Map<string, RecoveryPlan[]>();
  const consents = new Map<string, Consent>();
  const referrals: { record: Referral; line: number | undefined }[] = [];
  const part2Programs = new Map<string, boolean>();
  const completed: EncounterInfo[] = [];
  const unsigned: UnsignedNote[] = [];
  const contactsPerDay = new Map<string, EncounterInfo[]>();
  let finished: ClinicCheckReport | undefined;

  const report = (ruleId: string, place: FindingPlace): void => {
    if (disabled.has(ruleId)) return;
    const rule = ruleById(ruleId);
    const finding = createFinding(rule, severityFor(policy, rule), place);
    byCategory[finding.category] += 1;
    byRule[finding.rule] = (byRule[finding.rule] ?? 0) + 1;
    bySeverity[finding.severity] += 1;
    if (findings.length < maxFindings) findings.push(finding);
    else omitted += 1;
  };

  const enabled = (ruleId: string): boolean => !disabled.has(ruleId);

  const noteFindings = (
    text: string,
    context: NoteContext,
    base: Omit<FindingPlace, 'path' | 'start' | 'end'>,
    path: IssuePath,
    crisisDocumented: boolean,
  ): void => {
    for (const hit of detectNoteProblems(text, { context, policy, crisisDocumented })) {
      report(hit.rule, { ...base, path, start: hit.span.start, end: hit.span.end });
    }
  };

  const outsideHours = (start: string, crisis: boolean): boolean => {
    if (crisis && policy.workingHours.exemptCrisis) return false;
    const minutes = localMinutes(start);
    const day = weekday(localDate(start));
    return (
      !policy.workingHours.days.includes(day) ||
      minutes < clockMinutes(policy.workingHours.start) ||
      minutes >= clockMinutes(policy.workingHours.end)
    );
  };

  const see = (value: string | undefined): void => {
    if (value !== undefined && localDate(value) > latest) latest = localDate(value);
  };

  const add = (record: ClinicRecord, line?: number): void => {
    records += 1;
    const base = (kind: ClinicRecord['kind']) => (line === undefined ? { recordKind: kind, recordId: record.id } : { recordKind: kind, recordId: record.id, line });
    switch (record.kind) {
      case 'encounter': {
        see(record.end ?? record.start);
        const documented = !!record.crisis?.indicated && (record.crisis.actions.length > 0 || record.crisis.referralId !== undefined);
        if (record.note) noteFindings(record.note.text, 'one-on-one', base('encounter'), ['note', 'text'], documented);
        if (record.status !== 'completed') break;
        if (outsideHours(record.start, !!record.crisis?.indicated)) report('workload.outside-hours', { ...base('encounter'), path: ['start'] });
        const info: EncounterInfo = { id: record.id, line, peerId: record.peerId, specialistId: record.specialistId, date: localDate(record.start) };
        completed.push(info);
        const key = `${record.peerId}|${info.date}`;
        const list = contactsPerDay.get(key);
        if (list) list.push(info);
        else contactsPerDay.set(key, [info]);
        if (record.note && record.note.signedAt === undefined) {
          unsigned.push({ kind: 'encounter', id: record.id, line, path: ['note', 'signedAt'], endMs: toMs(record.end ?? record.start) });
        }
        break;
      }
      case 'group-session': {
        see(record.end);
        if (record.groupNote) noteFindings(record.groupNote.text, 'group', base('group-session'), ['groupNote', 'text'], false);
        record.attendees.forEach((a, i) => {
          if (a.note) noteFindings(a.note.text, 'group-attendee', base('group-session'), ['attendees', i, 'note', 'text'], false);
          if (record.status === 'completed' && a.note && a.note.signedAt === undefined) {
            unsigned.push({ kind: 'group-session', id: record.id, line, path: ['attendees', i, 'note', 'signedAt'], endMs: toMs(record.end) });
          }
        });
        if (record.status === 'completed') {
          if (outsideHours(record.start, false)) report('workload.outside-hours', { ...base('group-session'), path: ['start'] });
          if (record.groupNote && record.groupNote.signedAt === undefined) {
            unsigned.push({ kind: 'group-session', id: record.id, line, path: ['groupNote', 'signedAt'], endMs: toMs(record.end) });
          }
        }
        break;
      }
      case 'specialist':
        specialists.set(record.id, { record, line });
        break;
      case 'peer':
        peers.set(record.id, record);
        break;
      case 'recovery-plan': {
        const list = plans.get(record.peerId);
        if (list) list.push(record);
        else plans.set(record.peerId, [record]);
        break;
      }
      case 'consent': {
        consents.set(record.id, record);
        if (enabled('confidentiality.part2-consent-incomplete')) {
          for (const issue of checkPart2Consent(record).issues) {
            if (issue.severity === 'error') report('confidentiality.part2-consent-incomplete', { ...base('consent'), path: issue.path });
          }
        }
        break;
      }
      case 'referral':
        see(record.created);
        referrals.push({ record, line });
        break;
      case 'organization':
        for (const p of (record as Organization).programs) part2Programs.set(p.id, p.part2);
        break;
    }
  };

  const finish = (): ClinicCheckReport => {
    if (finished) return finished;
    const asOf = options.asOf ?? (latest === '' ? undefined : latest);
    if (asOf !== undefined) {
      const asOfEndMs = toMs(asOf) + 86_400_000 - 1;
      // Specialists: credentials, education, supervision, caseload.
      const caseload = new Map<string, number>();
      for (const peer of peers.values()) {
        if (peer.primarySpecialistId === undefined) continue;
        if (!peer.enrollments.some((e) => e.start <= asOf && (e.end === undefined || asOf <= e.end))) continue;
        caseload.set(peer.primarySpecialistId, (caseload.get(peer.primarySpecialistId) ?? 0) + 1);
      }
      for (const { record: s, line } of specialists.values()) {
        const base = line === undefined ? { recordKind: 'specialist' as const, recordId: s.id } : { recordKind: 'specialist' as const, recordId: s.id, line };
        if (!s.active) continue;
        if (s.roleLevel !== 'trainee') {
          for (const i of lapsedCertifications(s, asOf, policy.credential.lapsedWithinDays)) {
            report('credential.expired', { ...base, path: ['certifications', i, 'expires'] });
          }
          const soon = expiringSoon(s, asOf, policy.credential.expiringWithinDays);
          if (soon !== -1) report('credential.expiring', { ...base, path: ['certifications', soon, 'expires'] });
          const certs = s.certifications.filter((c) => c.credential !== 'training-completed');
          const windowStart = monthsBefore(asOf, policy.credential.ceWindowMonths);
          const heldAllWindow = certs.length > 0 && certs.some((c) => c.issued <= windowStart);
          if (heldAllWindow) {
            const hours = educationHours(s.continuingEducation, windowStart, asOf);
            if (hours.total < policy.credential.ceHoursRequired || hours.ethics < policy.credential.ceEthicsHoursRequired) {
              report('credential.ce-short', { ...base, path: ['continuingEducation'] });
            }
          }
        }
        if (s.roleLevel !== 'supervisor') {
          const dates = s.supervisionLog.map((e) => e.date).filter((d) => d <= asOf);
          const last = dates.length === 0 ? undefined : dates.reduce((a, b) => (a > b ? a : b));
          const since = last ?? s.hired;
          if (since === undefined || daysBetween(since, asOf) > policy.supervision.maxDaysBetween) {
            report('supervision.overdue', { ...base, path: ['supervisionLog'] });
          }
        }
        const limit = policy.workload.caseloadLimit ?? s.caseloadLimit;
        if ((caseload.get(s.id) ?? 0) > limit) report('workload.caseload-over-limit', { ...base, path: ['caseloadLimit'] });
      }
      // Notes unsigned past the deadline.
      const deadlineMs = policy.documentation.signatureDeadlineHours * 3_600_000;
      for (const u of unsigned) {
        if (asOfEndMs - u.endMs > deadlineMs) {
          report('documentation.note-unsigned-late', u.line === undefined ? { recordKind: u.kind, recordId: u.id, path: u.path } : { recordKind: u.kind, recordId: u.id, line: u.line, path: u.path });
        }
      }
    }
    // Encounters: credential at the time of service, recovery plan, frequency.
    for (const e of completed) {
      const base = e.line === undefined ? { recordKind: 'encounter' as const, recordId: e.id } : { recordKind: 'encounter' as const, recordId: e.id, line: e.line };
      const spec = specialists.get(e.specialistId)?.record;
      if (spec && spec.roleLevel !== 'trainee' && credentialState(spec, e.date) === 'lapsed') {
        report('credential.service-while-expired', { ...base, path: ['specialistId'] });
      }
      const peer = peers.get(e.peerId);
      if (peer) {
        const inForce = (plans.get(e.peerId) ?? []).some(
          (p) => PLAN_IN_FORCE.has(p.status) && p.period.start <= e.date && (p.period.end === undefined || e.date <= p.period.end),
        );
        const enrolled = peer.enrollments.map((x) => x.start).reduce<string | undefined>((a, b) => (a === undefined || b < a ? b : a), undefined);
        const inGrace = enrolled !== undefined && daysBetween(enrolled, e.date) <= policy.documentation.planGraceDays;
        if (!inForce && !inGrace) report('documentation.no-active-plan', { ...base, path: ['planId'] });
      }
    }
    for (const list of contactsPerDay.values()) {
      list.slice(policy.workload.maxContactsPerPeerPerDay).forEach((e) => {
        report('workload.contact-too-frequent', e.line === undefined ? { recordKind: 'encounter', recordId: e.id, path: ['start'] } : { recordKind: 'encounter', recordId: e.id, line: e.line, path: ['start'] });
      });
    }
    // Referrals from Part 2 programs need a Part 2 consent in effect (emergencies excepted).
    for (const { record: r, line } of referrals) {
      if (r.status === 'draft' || r.target.type === 'crisis-service' || CRISIS_CATEGORIES.has(r.target.category) || r.urgency === 'stat') continue;
      const date = localDate(r.created);
      const peer = peers.get(r.peerId);
      if (!peer) continue;
      const inPart2 = peer.enrollments.some(
        (x) =>
          x.programType !== 'mental-health' &&
          (part2Programs.get(x.programId) ?? true) &&
          x.start <= date &&
          (x.end === undefined || date <= x.end),
      );
      if (!inPart2) continue;
      const c = r.consentId === undefined ? undefined : consents.get(r.consentId);
      const valid =
        c !== undefined &&
        c.peerId === r.peerId &&
        c.consentKind !== 'hipaa-authorization' &&
        (c.status === 'active' || c.status === 'revoked') &&
        c.signature !== undefined &&
        Date.parse(c.signature.signedAt) <= Date.parse(r.created) &&
        (c.revocation === undefined || Date.parse(r.created) < Date.parse(c.revocation.date)) &&
        (c.expiration?.date === undefined || date <= c.expiration.date) &&
        (c.period.end === undefined || date <= c.period.end);
      if (!valid) {
        report('confidentiality.referral-without-consent', line === undefined ? { recordKind: 'referral', recordId: r.id, path: ['consentId'] } : { recordKind: 'referral', recordId: r.id, line, path: ['consentId'] });
      }
    }
    // Stable sort: a line's note findings keep their order, record findings follow.
    findings.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
    finished = { asOf, records, findings, findingsOmitted: omitted, counts: { byCategory, byRule, bySeverity } };
    return finished;
  };

  return { add, finish };
}

/**
 * Checks the records of a clinic export against the rule catalog.
 *
 * @param records - valid records (e.g. `generateClinic(…).records`), or `{ record, line }` pairs
 * @param options - policy, as-of date, finding limit
 * @returns findings with counts by category, rule and severity
 * @example
 * const report = checkClinic(generateClinic({ seed: 1 }).records);
 * console.log(report.counts.byCategory['scope-of-practice']);
 */
export function checkClinic(
  records: Iterable<ClinicRecord | { record: ClinicRecord; line: number }>,
  options: CheckClinicOptions = {},
): ClinicCheckReport {
  const checker = createClinicChecker(options);
  for (const item of records) {
    if ('record' in item) checker.add(item.record, item.line);
    else checker.add(item);
  }
  return checker.finish();
}
