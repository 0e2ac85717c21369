/**
 * Crisis follow-up of instrument answers: a PHQ-9 item-9 answer above 0 (any answer at or above an
 * item's crisis threshold) must be followed by a documented action, exactly as a crisis mentioned in
 * a note must. The action is read the way `@peerkit/safeguards` reads it: structured crisis actions or
 * a crisis referral on the encounter, or an action the note linter recognises in the note text; the
 * finding is that package's `crisis.no-follow-up` rule (same id, category, severity policy, source
 * and suggestion).
 */
import { fail, ok, type ClinicRecord, type IssuePath, type PeerEncounter, type Result } from '@peerkit/model';
import { DEFAULT_POLICY, lintNote, ruleById, severityFor, type Finding as SafeguardsFinding, type Policy } from '@peerkit/safeguards';
import type { InstrumentDefinition } from './instrument';
import { readResponse } from './score';

/** Options of {@link checkCrisisFollowUp}. */
export interface CrisisFollowUpOptions {
  /**
   * Hours after the response within which a documented action counts. Default 24: a PeerKit policy
   * default (OUTCOME_SOURCES['crisis-follow-up-window']); set it from the program's crisis protocol.
   */
  windowHours?: number;
  /**
   * The date-time the check is judged at. Before the window ends, a missing action is `pending` and
   * gives no finding. Default: judged as if the window had ended.
   */
  asOf?: string;
  /** Only records of this peer count. Default: every record given. */
  peerId?: string;
  /** The safeguards policy: severity of `crisis.no-follow-up`, disabled rules, extra crisis terms. Default `DEFAULT_POLICY`. */
  policy?: Policy;
}

/** A record that documents a crisis action. */
export interface CrisisAction {
  readonly recordKind: 'encounter' | 'referral';
  readonly recordId: string;
  /** Structured `crisis.actions` or `crisis.referralId`; an action in the note text; a referral to a crisis service. */
  readonly how: 'crisis-actions' | 'note' | 'crisis-referral';
}

/** What {@link checkCrisisFollowUp} found. */
export interface CrisisFollowUp {
  /** `not-indicated`: no crisis answer; `documented`; `pending`: none yet, the window is still open; `missing`. */
  readonly status: 'not-indicated' | 'documented' | 'pending' | 'missing';
  /** linkIds of the crisis answers. */
  readonly crisisItems: readonly string[];
  /** Records documenting an action inside the window, in the order given. */
  readonly actions: readonly CrisisAction[];
  /** End of the window (ISO date-time, UTC); absent when the response has no authored date. */
  readonly deadline?: string;
}

// Referral categories and target type that are crisis services (the same set @peerkit/safeguards
// treats as a medical emergency under 42 CFR §2.51).
const CRISIS_REFERRAL_CATEGORIES = new Set(['crisis-988', 'mobile-crisis', 'crisis-stabilization', 'emergency-department']);

// @peerkit/safeguards exports the note linter, not its list of documented-action phrases. A note
// documents an action exactly when the linter, given a crisis statement followed by the note, does
// not report `crisis.no-follow-up`: the probe asks the linter itself, so both always agree.
const PROBE = 'Peer reported suicidal thoughts.';

function noteDocumentsAction(text: string, policy: Policy): boolean {
  const open = { ...policy, disabledRules: policy.disabledRules.filter((id) => id !== 'crisis.no-follow-up') };
  // Only the crisis rule's answer is read: the note model (which never reports crisis.no-follow-up) stays off.
  return !lintNote(`${PROBE} ${text}`, { policy: open, crisisDocumented: false, model: false }).some((f) => f.rule === 'crisis.no-follow-up');
}

const HOUR = 3_600_000;

function encounterSpan(encounter: PeerEncounter): [number, number] {
  const start = Date.parse(encounter.start);
  if (encounter.end !== undefined) return [start, Date.parse(encounter.end)];
  return [start, start + (encounter.durationMinutes ?? 0) * 60_000];
}

function actionOf(record: ClinicRecord, from: number, to: number, policy: Policy): CrisisAction | undefined {
  if (record.kind === 'encounter') {
    if (record.status !== 'completed') return undefined;
    const [start, end] = encounterSpan(record);
    if (end < from || start > to) return undefined;
    if ((record.crisis?.actions.length ?? 0) > 0 || record.crisis?.referralId !== undefined) {
      return { recordKind: 'encounter', recordId: record.id, how: 'crisis-actions' };
    }
    if (record.note && noteDocumentsAction(record.note.text, policy)) return { recordKind: 'encounter', recordId: record.id, how: 'note' };
    return undefined;
  }
  if (record.kind === 'referral') {
    const created = Date.parse(record.created);
    const crisis = record.target.type === 'crisis-service' || CRISIS_REFERRAL_CATEGORIES.has(record.target.category);
    if (!crisis || record.status === 'draft' || created < from || created > to) return undefined;
    return { recordKind: 'referral', recordId: record.id, how: 'crisis-referral' };
  }
  return undefined;
}

const peerOf = (record: ClinicRecord): string | undefined => (record.kind === 'encounter' || record.kind === 'referral' ? record.peerId : undefined);

/**
 * Says whether the crisis answers of a response were followed by a documented action: a completed
 * encounter overlapping the window with crisis actions, a crisis referral, or a note documenting an
 * action (safety plan, supervisor, warm handoff, 988…), or a referral to a crisis service created in
 * the window. No documented action once the window has ended gives `crisis.no-follow-up`.
 *
 * @param response - the QuestionnaireResponse (read even when it cannot be scored)
 * @param instrument - its instrument (PHQ-9: item 9 at 1 or above)
 * @param records - the peer's encounters and referrals (other kinds are ignored)
 * @param options - window, judging time, peer, safeguards policy
 * @returns the follow-up status; a failed result carries the `crisis.no-follow-up` finding when the
 *   policy makes it an error (the default), a successful one carries it as a warning otherwise
 * @example
 * const r = checkCrisisFollowUp(response, PHQ_9, clinic.records, { peerId: 'p-7' });
 * if (!r.ok) console.log(r.issues[0]?.code); // 'crisis.no-follow-up'
 */
export function checkCrisisFollowUp(
  response: unknown,
  instrument: InstrumentDefinition,
  records: readonly ClinicRecord[],
  options: CrisisFollowUpOptions = {},
): Result<CrisisFollowUp> {
  if (response === null || typeof response !== 'object' || (response as { resourceType?: unknown }).resourceType !== 'QuestionnaireResponse') {
    return fail([{ severity: 'error', code: 'outcomes.response-invalid', path: [], message: 'Must be a FHIR R4 QuestionnaireResponse' }]);
  }
  const qr = response as Record<string, unknown>;
  const crisis = readResponse(qr, instrument).crisis;
  const crisisItems = crisis.map(({ item }) => item.linkId);
  if (crisis.length === 0) return ok({ status: 'not-indicated', crisisItems, actions: [] });

  const policy = options.policy ?? DEFAULT_POLICY;
  const authored = typeof qr.authored === 'string' ? Date.parse(qr.authored) : Number.NaN;
  const from = Number.isNaN(authored) ? Number.NEGATIVE_INFINITY : authored;
  const to = Number.isNaN(authored) ? Number.POSITIVE_INFINITY : authored + (options.windowHours ?? 24) * HOUR;
  const actions: CrisisAction[] = [];
  for (const record of records) {
    if (options.peerId !== undefined && peerOf(record) !== options.peerId) continue;
    const action = actionOf(record, from, to, policy);
    if (action) actions.push(action);
  }
  const base = Number.isFinite(to) ? { crisisItems, actions, deadline: new Date(to).toISOString() } : { crisisItems, actions };
  if (actions.length > 0) return ok({ status: 'documented', ...base });
  if (options.asOf !== undefined && Date.parse(options.asOf) <= to) return ok({ status: 'pending', ...base });

  const rule = ruleById('crisis.no-follow-up');
  const value: CrisisFollowUp = { status: 'missing', ...base };
  if (policy.disabledRules.includes(rule.id)) return ok(value);
  const severity = severityFor(policy, rule);
  const path: IssuePath = crisis[0]?.path ?? ['item'];
  const finding: SafeguardsFinding = {
    code: rule.id as SafeguardsFinding['code'],
    rule: rule.id,
    category: rule.category,
    severity,
    message: rule.title,
    source: rule.source,
    path,
    recordKind: 'fhir-resource',
    ...(typeof qr.id === 'string' ? { recordId: qr.id } : {}),
    ...(rule.suggestion !== undefined ? { suggestion: rule.suggestion } : {}),
  };
  return severity === 'error' ? fail([finding]) : ok(value, [finding]);
}
