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
import type { Consent, ConsentProvision } from 'fhir/r4';
import {
  ACT_CODES,
  hasCode,
  intersects,
  PART2_POLICY_URI,
  TPO_PURPOSES,
  toCodes,
  type Code,
} from '../internal/codes';
import { positionIn, toRange, type InstantRange } from '../internal/dates';
import { createConsentAuditEvent, type AuditOptions } from './audit-event';
import type { ConsentDecision, ConsentDecisionCode, DecisionBasis, ExplanationEntry, Obligation, UnauditedDecision } from './decision';
import {
  crisp,
  evaluateProvision,
  normalizeReference,
  referenceIdentifiers,
  sameIdentifier,
  scopedEffects,
  type ConflictStrategy,
  type DataScope,
  type Mismatch,
  type Node,
  type ReferenceResolver,
  type ScopedEffect,
} from './provision';
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

const PART2_SOURCE = '42 CFR Part 2 (Fed. Reg. 2024-02544): §2.31 consent, §2.33 TPO, §2.32 notice';
const PEERKIT_OBLIGATION_SYSTEM = 'https://peerkit.dev/fhir/CodeSystem/obligation';

/** Default {@link DecideConsentOptions.part2Labels}. */
export const DEFAULT_PART2_LABELS: readonly Code[] = [
  { system: SYSTEMS.actCode, code: ACT_CODES.part2 },
  { system: SYSTEMS.actCode, code: ACT_CODES.sud },
  { system: SYSTEMS.actCode, code: ACT_CODES.eth },
  { system: SYSTEMS.actCode, code: ACT_CODES.ethud },
  { system: SYSTEMS.actCode, code: ACT_CODES.opioidud },
];

interface ConsentOutcome {
  readonly index: number;
  readonly ref: string;
  readonly consent: Consent;
  readonly effect: 'permit' | 'deny';
  readonly limited: boolean;
  /** Chains that permit (default permit chain, or each limit-to chain). */
  readonly permitChains: readonly (readonly Node[])[];
  readonly path: string;
  readonly redacts: readonly ScopedEffect[];
  readonly allows: readonly ScopedEffect[];
  readonly signed: InstantRange | undefined;
}

/**
 * How a consent is named in explanations and audits: `Consent/<id>`; in a transaction Bundle, where
 * resources have no id yet, `Consent?identifier=<system>|<value>`; else `#<index>` in the input.
 */
function consentRef(consent: Consent, index: number): string {
  if (consent.id !== undefined) return `Consent/${consent.id}`;
  const id = consent.identifier?.find((i) => i.value !== undefined);
  if (id?.value !== undefined) return `Consent?identifier=${id.system === undefined ? '' : `${id.system}|`}${id.value}`;
  return `#${index}`;
}

function toInstantRange(now: string | Date): InstantRange {
  if (now instanceof Date) return { low: now.getTime(), high: now.getTime() };
  const range = toRange(now);
  if (!range) throw new TypeError('decideConsent: option now must be a Date or a FHIR date/dateTime');
  return range;
}

function patientMatches(consent: Consent, request: DisclosureRequest, resolve?: ReferenceResolver): boolean {
  const ref = consent.patient;
  if (!ref) return false;
  const wanted = request.patient;
  if (wanted.reference !== undefined && ref.reference !== undefined && !ref.reference.startsWith('#')) {
    if (normalizeReference(wanted.reference) === normalizeReference(ref.reference)) return true;
  }
  const ids = referenceIdentifiers(ref, consent, resolve);
  if (wanted.identifier.some((a) => ids.some((b) => sameIdentifier(a, b)))) return true;
  // The host may resolve the requested patient reference to identifiers the consent uses.
  if (wanted.reference !== undefined && resolve) {
    const resolved = resolve(wanted.reference) ?? [];
    if (resolved.some((a) => ids.some((b) => sameIdentifier(a, b)))) return true;
  }
  return false;
}

/** Base effect of a root provision without `type`, from `policyRule` (v3-ActCode OPTIN… / OPTOUT…). */
function policyRuleEffect(consent: Consent): 'permit' | 'deny' | undefined {
  const codes = toCodes(consent.policyRule?.coding);
  if (codes.some((c) => c.code === 'OPTIN' || c.code === 'OPTINR')) return 'permit';
  if (codes.some((c) => c.code === 'OPTOUT' || c.code === 'OPTOUTE')) return 'deny';
  return undefined;
}

function declaresPart2(consent: Consent): boolean {
  const policyUri = /ecfr\.gov\/.*part-2|42\s*CFR\s*(part\s*)?2\b/i;
  if ((consent.policy ?? []).some((p) => p.uri !== undefined && (p.uri.startsWith(PART2_POLICY_URI) || policyUri.test(p.uri)))) {
    return true;
  }
  return toCodes(consent.policyRule?.coding).some((c) => c.code === ACT_CODES.part2);
}

const MISMATCH_TEXT: Readonly<Record<Mismatch, string>> = {
  'before-period': 'the request date is before provision.period.start (not yet valid)',
  'after-period': 'the request date is after provision.period.end (expired)',
  actor: 'no provision.actor matches the requesting actor by identifier or reference',
  discloser: 'no provision.actor in a source role (INF, AUT, CST) matches the stated discloser',
  action: 'provision.action does not include the requested action',
  purpose: 'provision.purpose does not cover the requested purposeOfUse',
  data: 'provision data criteria (securityLabel, class, code, data, dataPeriod) do not match the requested data',
};

const MISMATCH_REASON: Readonly<Record<Mismatch, string>> = {
  'before-period': 'not-yet-valid',
  'after-period': 'expired',
  actor: 'actor',
  discloser: 'discloser',
  action: 'action',
  purpose: 'purpose',
  data: 'data',
};

function scopeCodes(scopes: readonly DataScope[]): Code[] {
  const out: Code[] = [];
  for (const s of scopes) out.push(...(s.securityLabel ?? []), ...(s.class ?? []), ...(s.code ?? []));
  return out;
}

function scopeKey(scopes: readonly DataScope[]): string {
  return JSON.stringify(scopes);
}

type Evaluated =
  | { readonly kind: 'outcome'; readonly outcome: ConsentOutcome }
  | { readonly kind: 'not-applicable'; readonly entry: ExplanationEntry };

function notApplicable(ref: string, reason: string, message: string, provision?: string): Evaluated {
  const entry: ExplanationEntry =
    provision === undefined
      ? { consent: ref, role: 'not-applicable', reason, message }
      : { consent: ref, role: 'not-applicable', reason, provision, message };
  return { kind: 'not-applicable', entry };
}

function evaluateConsent(
  consent: Consent,
  index: number,
  request: DisclosureRequest,
  at: InstantRange,
  strategy: ConflictStrategy,
  resolve: ReferenceResolver | undefined,
): Evaluated {
  const ref = consentRef(consent, index);
  if (!patientMatches(consent, request, resolve)) {
    return notApplicable(ref, 'other-patient', 'Consent.patient does not match the requested patient');
  }
  const scope = toCodes(consent.scope?.coding);
  if (scope.length > 0 && !hasCode(scope, SYSTEMS.consentScope, 'patient-privacy')) {
    return notApplicable(ref, 'scope', 'Consent.scope is not patient-privacy: not a privacy consent');
  }
  if (request.category.length > 0 && !intersects((consent.category ?? []).flatMap((c) => toCodes(c.coding)), request.category)) {
    return notApplicable(ref, 'category', 'Consent.category does not include a requested category');
  }
  if (consent.status !== 'active') {
    const what =
      consent.status === 'inactive' ? 'inactive (revoked or ended)' : consent.status === 'entered-in-error' ? 'entered in error' : consent.status;
    return notApplicable(ref, `status-${consent.status}`, `Consent.status is ${what}: only an active consent can decide`);
  }
  const signed = toRange(consent.dateTime);
  if (signed && signed.low > at.high) {
    return notApplicable(ref, 'not-yet-valid', 'Consent.dateTime is after the request date: a consent cannot authorize earlier disclosures');
  }
  const root = consent.provision;
  if (!root) return notApplicable(ref, 'no-provision', 'Consent has no provision: nothing to evaluate');
  if (root.period) {
    const position = positionIn(at, root.period.start, root.period.end);
    if (position === 'before') return notApplicable(ref, 'not-yet-valid', MISMATCH_TEXT['before-period'], 'provision');
    if (position === 'after') return notApplicable(ref, 'expired', MISMATCH_TEXT['after-period'], 'provision');
  }
  const base = root.type ?? policyRuleEffect(consent);
  const rootProvision: ConsentProvision = base === undefined ? root : { ...root, type: base };
  const result = evaluateProvision(rootProvision, 'provision', undefined, { request, at, consent, strategy, resolve });
  if ('mismatch' in result) {
    return notApplicable(ref, MISMATCH_REASON[result.mismatch], `${result.path}: ${MISMATCH_TEXT[result.mismatch]}`, result.path);
  }
  // A virtual parent without effect holds the root, so an open (partial) root is handled like any other.
  const top: Node = { path: '', effect: undefined, partial: undefined, recipientNamed: false, purposes: [], labels: [], children: [result.node] };
  const decided = crisp(top, strategy);
  const scoped: ScopedEffect[] = [];
  scopedEffects(top, decided?.effect, [], [top], strategy, scoped);
  const redacts = scoped.filter((s) => s.effect === 'deny');
  const allows = scoped.filter((s) => s.effect === 'permit');
  const chainOf = (nodes: readonly Node[]): Node[] => nodes.filter((n) => n !== top);
  if (decided?.effect === 'permit') {
    const chain = chainOf(decided.chain);
    return {
      kind: 'outcome',
      outcome: { index, ref, consent, effect: 'permit', limited: false, permitChains: [chain], path: chain[chain.length - 1]?.path ?? 'provision', redacts, allows: [], signed },
    };
  }
  if (allows.length > 0) {
    return {
      kind: 'outcome',
      outcome: {
        index,
        ref,
        consent,
        effect: 'permit',
        limited: true,
        permitChains: allows.map((a) => chainOf(a.chain)),
        path: allows[0]?.path ?? 'provision',
        redacts,
        allows,
        signed,
      },
    };
  }
  if (decided?.effect === 'deny') {
    const chain = chainOf(decided.chain);
    return {
      kind: 'outcome',
      outcome: { index, ref, consent, effect: 'deny', limited: false, permitChains: [], path: chain[chain.length - 1]?.path ?? 'provision', redacts: [], allows: [], signed },
    };
  }
  return notApplicable(ref, 'no-effect', 'No provision with a type (permit or deny) applies to the request', 'provision');
}

interface Part2Check {
  readonly covered: boolean;
  readonly how?: 'recipient-named' | 'tpo';
}

function part2Coverage(outcome: ConsentOutcome, request: DisclosureRequest, labels: readonly Code[], tpo: readonly string[], explicit: boolean): Part2Check {
  const policy = declaresPart2(outcome.consent);
  for (const chain of outcome.permitChains) {
    const describes = policy || chain.some((n) => intersects(n.labels, labels));
    if (explicit && !describes) continue;
    if (chain.some((n) => n.recipientNamed)) return { covered: true, how: 'recipient-named' };
    const isTpo = chain.some((n) => tpo.every((code) => n.purposes.some((p) => p.code === code)));
    const requestTpo = request.purposeOfUse.length > 0 && request.purposeOfUse.every((p) => tpo.includes(p.code));
    if (isTpo && requestTpo) return { covered: true, how: 'tpo' };
  }
  return { covered: false };
}

function latestFirst(a: ConsentOutcome, b: ConsentOutcome): number {
  const ta = a.signed?.low ?? Number.NEGATIVE_INFINITY;
  const tb = b.signed?.low ?? Number.NEGATIVE_INFINITY;
  return tb - ta || b.index - a.index;
}

function redactObligation(s: ScopedEffect, ref: string): Obligation {
  return {
    kind: 'redact',
    code: { system: SYSTEMS.actCode, code: ACT_CODES.redact },
    scope: s.scopes,
    codes: scopeCodes(s.scopes),
    basis: `${ref} ${s.path}`,
  };
}

function limitObligation(s: ScopedEffect, ref: string): Obligation {
  return {
    kind: 'limit-to',
    code: { system: PEERKIT_OBLIGATION_SYSTEM, code: 'limit-to' },
    scope: s.scopes,
    codes: scopeCodes(s.scopes),
    basis: `${ref} ${s.path}`,
  };
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

  const permits = outcomes.filter((o) => o.effect === 'permit');
  const denies = outcomes.filter((o) => o.effect === 'deny');
  let decision: ConsentDecisionCode;
  let deciding: readonly ConsentOutcome[];
  let basisOutcome: ConsentOutcome | undefined;
  if (outcomes.length === 0) {
    decision = 'NO_CONSENT';
    deciding = [];
  } else if (strategy === 'most-recent') {
    basisOutcome = [...outcomes].sort(latestFirst)[0];
    decision = basisOutcome?.effect === 'permit' ? 'PERMIT' : 'DENY';
    deciding = basisOutcome ? [basisOutcome] : [];
  } else if (strategy === 'permit-overrides' ? permits.length > 0 : denies.length === 0) {
    decision = 'PERMIT';
    deciding = permits;
    // permit-overrides: the permitting consent with the fewest restrictions is the basis.
    basisOutcome =
      strategy === 'permit-overrides'
        ? [...permits].sort((a, b) => Number(a.limited) - Number(b.limited) || a.redacts.length - b.redacts.length || a.index - b.index)[0]
        : (permits.find((p) => !p.limited) ?? permits[0]);
    if (strategy === 'permit-overrides' && basisOutcome) deciding = [basisOutcome];
  } else {
    decision = 'DENY';
    deciding = denies;
    basisOutcome = denies[0];
  }

  // Obligations from the consents that decided.
  let obligations: Obligation[] = [];
  if (decision === 'PERMIT') {
    const seen = new Set<string>();
    for (const o of deciding) {
      for (const r of o.redacts) {
        const key = `redact:${scopeKey(r.scopes)}`;
        if (!seen.has(key)) {
          seen.add(key);
          obligations.push(redactObligation(r, o.ref));
        }
      }
    }
    if (deciding.every((o) => o.limited)) {
      for (const o of deciding) {
        for (const a of o.allows) {
          const key = `limit:${scopeKey(a.scopes)}`;
          if (!seen.has(key)) {
            seen.add(key);
            obligations.push(limitObligation(a, o.ref));
          }
        }
      }
    }
  }

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
      obligations.push({
        kind: 'redact',
        code: { system: SYSTEMS.actCode, code: ACT_CODES.redact },
        scope: [{ securityLabel: part2Labels }],
        codes: [...part2Labels],
        basis: 'part2: no permitting consent covers 42 CFR Part 2 data',
        source: PART2_SOURCE,
      });
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
      obligations = [
        {
          kind: 'document-emergency',
          code: { system: PEERKIT_OBLIGATION_SYSTEM, code: 'document-emergency' },
          basis: 'break-glass',
          source: '42 CFR §2.51(c): record the disclosing program, recipient, date and time, and the nature of the emergency',
        },
      ];
    }
  }

  const mayCarryPart2 = decision === 'PERMIT' && (part2Requested || (!labelsStated && !obligations.some((o) => o.basis.startsWith('part2:'))));
  if (mayCarryPart2) {
    obligations.push({
      kind: 'attach-notice',
      code: { system: SYSTEMS.actCode, code: ACT_CODES.nordsclcd },
      notice: options.redisclosureNotice ?? PART2_REDISCLOSURE_NOTICE,
      basis: 'part2: disclosure may carry 42 CFR Part 2 records',
      source: '42 CFR §2.32',
    });
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

