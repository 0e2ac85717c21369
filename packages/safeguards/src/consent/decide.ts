/**
 * The consent decision engine: evaluates FHIR R4 Consent resources (PeerKit's own and those other
 * systems write) against a disclosure request and returns PERMIT, DENY or NO_CONSENT with its
 * obligations, its basis, an explanation for every consent, and an AuditEvent.
 *
 * Semantics (each choice is stated because the R4 specification leaves it open):
 * - A consent applies only when it is for the requested patient, has scope `patient-privacy` (or no
 *   scope), is `active`, was signed (`dateTime`) no later than the request date, and the request
 *   date lies in the root `provision.period`. Draft, proposed, rejected, inactive (revoked) and
 *   entered-in-error consents, expired ones and ones not yet valid never permit.
 * - The whole provision tree is evaluated, to any depth. Within a provision every criterion must
 *   hold (AND): period, actor (by role and by identifier or reference; contained resources and a
 *   host resolver supply identifiers), action, purpose, securityLabel, class, code, data,
 *   dataPeriod. Within one criterion any listed code matches (OR). A `permit` needs every requested
 *   purpose listed; a `deny` applies when any is. Unstated request context (no actor, no purpose)
 *   lets a `deny` apply and keeps a `permit` from applying.
 * - A nested provision overrides its parent for the data it matches (the most specific wins); a
 *   nested provision without `type` means the opposite of its parent (LEAP's convention). When the
 *   request does not state its data (no securityLabel, class…), provisions limited to some data
 *   become obligations: REDACT for a denied subset, LIMIT-TO for the only permitted subset.
 * - Conflicts between provisions at one level and between consents: deny-overrides by default;
 *   `permit-overrides` and `most-recent` (LEAP's behaviour) on request.
 * - Data labelled 42 CFR Part 2 is never permitted unless an active consent covers it: it names the
 *   recipient, or it is a single consent for treatment, payment and health care operations (2024
 *   rule); and it describes the SUD information (a Part 2 label in its data criteria, or the Part 2
 *   policy in `Consent.policy`/`policyRule`). Any permitted disclosure that may carry Part 2 data
 *   gets the §2.32 notice (NORDSCLCD).
 * - Break-glass (purpose `BTG` by default): PERMIT, flagged, for a bona fide medical emergency
 *   (42 CFR §2.51), with an obligation to document the disclosure; always audited.
 *
 * See: reference/fhir-mapping.md §2.4 and §5; https://hl7.org/fhir/R4/consent.html
 */
import { SYSTEMS } from '@peerkit/fhir';
import type { Consent } from 'fhir/r4';
import { ACT_CODES, intersects, TPO_PURPOSES, type Code } from '../internal/codes';
import { toRange, type InstantRange } from '../internal/dates';
import { createConsentAuditEvent, type AuditOptions } from './audit-event';
import { combineOutcomes } from './combine-outcomes';
import type { ConsentDecision, ConsentDecisionCode, DecisionBasis, ExplanationEntry, Obligation, UnauditedDecision } from './decision';
import { consentRef, evaluateConsent, type ConsentOutcome } from './evaluate-consent';
import { documentEmergencyObligation, part2RedactObligation, redisclosureNoticeObligation, scopedObligations } from './obligations';
import { part2Coverage } from './part2-coverage';
import type { ConflictStrategy, ReferenceResolver } from './provision';
import type { DisclosureRequest } from './request';

/** Options of {@link decideConsent}. */
export interface DecideConsentOptions {
  /** The evaluation clock; also the request date when the request has none. Required (purity). */
  now: string | Date;
  /** How conflicts resolve, between provisions at one level and between consents. Default `deny-overrides`. */
  strategy?: ConflictStrategy;
  /**
   * Security labels that mark 42 CFR Part 2 data. Default: v3-ActCode `42CFRPart2`, `SUD`, `ETH`,
   * `ETHUD`, `OPIOIDUD` (PeerKit policy default: SUD sensitivity is treated as Part 2 unless the
   * host narrows it).
   */
  part2Labels?: readonly Code[];
  /** Purposes a single TPO consent must list (2024 rule). Default v3-ActReason `TREAT`, `HPAYMT`, `HOPERAT`. */
  tpoPurposes?: readonly string[];
  /** Require a Part 2 label or the Part 2 policy on a consent that releases Part 2 data. Default `true`. */
  requireExplicitPart2Scope?: boolean;
  /** v3-ActReason purposes that invoke break-glass. Default `['BTG']`; `[]` disables break-glass. */
  breakGlassPurposes?: readonly string[];
  /** Identifiers for literal references in consents (`Organization/123`), e.g. from the host's FHIR server. */
  resolveReference?: ReferenceResolver;
  /** Notice text attached to Part 2 disclosures. Default {@link PART2_REDISCLOSURE_NOTICE}. */
  redisclosureNotice?: string;
  /** AuditEvent id, source and agent details. */
  audit?: AuditOptions;
}

/**
 * The notice that accompanies a disclosure of Part 2 records made with the patient's consent; the
 * abbreviated statement of 42 CFR §2.32(a)(2) as PeerKit reads the 2024 rule. Configurable through
 * `redisclosureNotice`: confirm against the current eCFR text before relying on it.
 */
export const PART2_REDISCLOSURE_NOTICE = '42 CFR part 2 prohibits unauthorized use or disclosure of these records.';

/** Default {@link DecideConsentOptions.part2Labels}. */
export const DEFAULT_PART2_LABELS: readonly Code[] = [
  { system: SYSTEMS.actCode, code: ACT_CODES.part2 },
  { system: SYSTEMS.actCode, code: ACT_CODES.sud },
  { system: SYSTEMS.actCode, code: ACT_CODES.eth },
  { system: SYSTEMS.actCode, code: ACT_CODES.ethud },
  { system: SYSTEMS.actCode, code: ACT_CODES.opioidud },
];

function toInstantRange(now: string | Date): InstantRange {
  if (now instanceof Date) return { low: now.getTime(), high: now.getTime() };
  const range = toRange(now);
  if (!range) throw new TypeError('decideConsent: option now must be a Date or a FHIR date/dateTime');
  return range;
}

/**
 * Decides whether a disclosure request is permitted by a patient's consents.
 *
 * @param consents - FHIR R4 Consent resources (any patient: the others are reported as not applicable)
 * @param request - a parsed request, see {@link parseDisclosureRequest}
 * @param options - clock, conflict strategy, Part 2 labels, break-glass purposes, audit details
 * @returns the decision with obligations, basis, explanation and one AuditEvent
 * @example
 * const decision = decideConsent(consents, request, { now: '2026-05-01' });
 * if (decision.decision === 'PERMIT') send(applyObligations(data, decision.obligations));
 * See: reference/fhir-mapping.md §2.4, §5; 42 CFR §2.31, §2.32, §2.33, §2.51
 */
export function decideConsent(consents: readonly Consent[], request: DisclosureRequest, options: DecideConsentOptions): ConsentDecision {
  const { deciding, ...decided } = decideWithoutAudit(consents, request, options);
  const audit = createConsentAuditEvent(
    { decision: decided.decision, breakGlass: decided.breakGlass, basis: decided.basis, request, now: options.now, consents: deciding },
    options.audit,
  );
  return { ...decided, audit };
}

/**
 * {@link decideConsent} without the AuditEvent, for callers that audit several evaluations as one
 * decision (the disclosure gate). Internal: not exported from the package.
 */
export function decideWithoutAudit(consents: readonly Consent[], request: DisclosureRequest, options: DecideConsentOptions): UnauditedDecision {
  const strategy = options.strategy ?? 'deny-overrides';
  const part2Labels = options.part2Labels ?? DEFAULT_PART2_LABELS;
  const tpo = options.tpoPurposes ?? TPO_PURPOSES;
  const explicit = options.requireExplicitPart2Scope ?? true;
  const breakGlassPurposes = options.breakGlassPurposes ?? ['BTG'];
  const now = toInstantRange(options.now);
  const at = request.date === undefined ? now : (toRange(request.date) ?? now);

  const explanation: ExplanationEntry[] = [];
  const outcomes: ConsentOutcome[] = [];
  consents.forEach((consent, index) => {
    const evaluated = evaluateConsent(consent, index, request, at, strategy, options.resolveReference);
    if (evaluated.kind === 'outcome') outcomes.push(evaluated.outcome);
    else explanation.push(evaluated.entry);
  });

  const combined = combineOutcomes(outcomes, strategy);
  const { deciding, basis: basisOutcome } = combined;
  let decision: ConsentDecisionCode = combined.decision;
  // Obligations from the consents that decided.
  let obligations: Obligation[] = decision === 'PERMIT' ? scopedObligations(deciding) : [];

  let basis: DecisionBasis = basisOutcome
    ? { kind: 'consent', consent: basisOutcome.ref, provision: basisOutcome.path, strategy }
    : { kind: 'none', strategy };

  // 42 CFR Part 2: never permitted without a covering active consent.
  const labelsStated = request.securityLabel !== undefined;
  const part2Requested = labelsStated && intersects(request.securityLabel ?? [], part2Labels);
  let part2Note: ExplanationEntry | undefined;
  if (decision === 'PERMIT') {
    const covering = deciding.map((o) => ({ o, check: part2Coverage(o, request, part2Labels, tpo, explicit) })).find((c) => c.check.covered);
    if (part2Requested && !covering) {
      decision = 'DENY';
      obligations = [];
      basis = { kind: 'part2', strategy, source: '42 CFR §2.31, §2.33' };
      part2Note = {
        consent: basisOutcome?.ref ?? '-',
        role: 'overridden',
        reason: 'part2-not-covered',
        message:
          'The request carries a 42 CFR Part 2 label and no permitting consent covers Part 2 data (it must name the recipient or be a single TPO consent, and describe the SUD information)',
      };
    } else if (!labelsStated && !covering) {
      obligations.push(part2RedactObligation(part2Labels));
    } else if (covering && basisOutcome && covering.o !== basisOutcome && part2Requested) {
      basis = { kind: 'consent', consent: covering.o.ref, provision: covering.o.path, strategy };
    }
  }

  // Break-glass: a bona fide medical emergency (42 CFR §2.51) overrides, flagged and audited.
  const wantsBreakGlass = request.purposeOfUse.some((p) => breakGlassPurposes.includes(p.code) && (p.system === undefined || p.system === SYSTEMS.actReason));
  let breakGlass = false;
  const wouldHave = decision;
  if (wantsBreakGlass) {
    if (request.actor.length === 0) {
      explanation.push({
        consent: '-',
        role: 'not-applicable',
        reason: 'break-glass-no-actor',
        message: 'Break-glass needs the requesting actor (actor) so the emergency disclosure can be recorded; evaluated as an ordinary request',
      });
    } else {
      breakGlass = true;
      decision = 'PERMIT';
      basis = { kind: 'break-glass', strategy, source: '42 CFR §2.51 (medical emergencies)' };
      obligations = [documentEmergencyObligation()];
    }
  }

  const mayCarryPart2 = decision === 'PERMIT' && (part2Requested || (!labelsStated && !obligations.some((o) => o.basis.startsWith('part2:'))));
  if (mayCarryPart2) {
    obligations.push(redisclosureNoticeObligation(options.redisclosureNotice ?? PART2_REDISCLOSURE_NOTICE));
  }

  // Explain every applicable consent.
  for (const o of outcomes) {
    const outcome: ExplanationEntry['outcome'] = o.effect === 'deny' ? 'deny' : o.limited ? 'permit-limited' : 'permit';
    const isBasis = basis.kind === 'consent' && basis.consent === o.ref;
    const sameSide = (decision === 'PERMIT') === (o.effect === 'permit');
    const role: ExplanationEntry['role'] = breakGlass || basis.kind === 'part2' ? 'overridden' : isBasis ? 'decided' : sameSide ? 'agreed' : 'overridden';
    const what =
      o.effect === 'deny'
        ? 'denies the request'
        : o.limited
          ? 'permits only part of the requested data (see limit-to obligations)'
          : o.redacts.length > 0
            ? 'permits the request except the data in its redact obligations'
            : 'permits the request';
    const why =
      role === 'overridden'
        ? breakGlass
          ? ' (break-glass overrides consents)'
          : basis.kind === 'part2'
            ? ' (overruled by the 42 CFR Part 2 rule)'
            : ` (overridden: ${strategy})`
        : '';
    explanation.push({ consent: o.ref, role, outcome, reason: o.effect, provision: o.path, message: `${o.path} ${what}${why}` });
  }
  if (part2Note) explanation.push(part2Note);
  if (breakGlass) {
    explanation.push({
      consent: '-',
      role: 'decided',
      reason: 'break-glass',
      message: `Break-glass for a medical emergency: permitted and flagged; without it the decision would be ${wouldHave}`,
    });
  }
  if (decision !== 'PERMIT' && part2Requested && !part2Note) {
    explanation.push({
      consent: '-',
      role: 'not-applicable',
      reason: 'part2-requires-consent',
      message: 'The request carries a 42 CFR Part 2 label: Part 2 data is never disclosed without a covering active consent',
    });
  }
  const position = new Map<string, number>();
  consents.forEach((c, i) => {
    const ref = consentRef(c, i);
    if (!position.has(ref)) position.set(ref, i);
  });
  const order = (ref: string): number => (ref === '-' ? Number.MAX_SAFE_INTEGER : (position.get(ref) ?? Number.MAX_SAFE_INTEGER - 1));
  explanation.sort((a, b) => order(a.consent) - order(b.consent));

  return { decision, breakGlass, obligations, basis, explanation, deciding: deciding.map((d) => d.ref) };
}

