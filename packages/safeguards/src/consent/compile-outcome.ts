/**
 * What one decision of the compiled engine produced per consent, the explanation built from it, and
 * the decision object whose explanation and AuditEvent are built when first read (a disclosure
 * gate over a large export reads neither for most records). Internal to the consent engine.
 *
 * See: docs/consent-and-part2.md.
 */
import type { AuditEvent, Consent } from 'fhir/r4';
import type { Code } from '../internal/codes';
import type { InstantRange } from '../internal/dates';
import type { ActorIdentity } from './actors';
import type { CompiledProvision, ProvisionMismatch, ScopedEffect } from './compile-provision';
import type { ConsentDecision, ConsentDecisionCode, DecisionBasis, ExplanationEntry, Obligation, UnauditedDecision } from './decision';
import type { ConflictStrategy } from './provision';
import type { DisclosureRequest } from './request';

/** One consent of a compiled set. */
export interface CompiledConsent {
  readonly index: number;
  readonly ref: string;
  readonly consent: Consent;
  readonly patient: ActorIdentity;
  /** A reason it never applies, whatever the request (status, no provision). */
  readonly inert: { readonly reason: string; readonly message: string } | undefined;
  readonly scopeFails: boolean;
  readonly categories: readonly Code[];
  readonly signed: InstantRange | undefined;
  readonly root: CompiledProvision | undefined;
  /** `[root]`: the children of the virtual parent. */
  readonly rootList: readonly CompiledProvision[];
  /** A deny policy base applies to requests outside a permitting root. */
  readonly denyBase: 'policyRule' | 'policy' | undefined;
  readonly strategy: ConflictStrategy;
  readonly part2Policy: boolean;
  readonly canDeny: boolean;
  /** Not-applicable results, which depend only on the consent and the reason: built once, by reason. */
  readonly memo: Map<string, NotApplicable>;
  /** Not-applicable results of a root provision mismatch, by mismatch (built once). */
  readonly misses: { [K in ProvisionMismatch]?: NotApplicable };
  /** The outcome of its deny base (known patient, unknown patient), built once. */
  readonly baseOutcomes: (ConsentOutcome | undefined)[];
}

/** A consent that applied, and its own outcome. */
export interface ConsentOutcome {
  readonly c: CompiledConsent;
  readonly effect: 'permit' | 'deny';
  readonly limited: boolean;
  /** The deciding provision (for a limited permit: the first permitted subset's). */
  readonly end: CompiledProvision | undefined;
  readonly path: string;
  readonly redacts: readonly ScopedEffect[];
  readonly allows: readonly ScopedEffect[];
  /** Its patient could not be compared with the request's: it counts only because it denies. */
  readonly patientUnknown: boolean;
}

/** A consent that did not apply: a provision mismatch at its root, or a consent-level reason. */
export interface NotApplicable {
  readonly c: CompiledConsent;
  readonly effect?: undefined;
  readonly miss?: ProvisionMismatch;
  readonly reason?: string;
  readonly message?: string;
  readonly provision?: string;
}

/** What the explanation is built from. */
export interface DecisionRecord {
  readonly consents: readonly CompiledConsent[];
  readonly strategy: ConflictStrategy;
  readonly outcomes: readonly ConsentOutcome[];
  readonly inapplicable: readonly NotApplicable[];
  readonly decision: ConsentDecisionCode;
  readonly basis: DecisionBasis;
  readonly breakGlass: boolean;
  /** Break-glass was asked for without an actor. */
  readonly breakGlassNoActor: boolean;
  readonly wouldHave: ConsentDecisionCode;
  readonly part2Requested: boolean;
  /** The Part 2 rule overruled a permit: the consent it overruled, or `-`. */
  readonly part2Overruled: string | undefined;
}

const MISMATCH: Readonly<Record<ProvisionMismatch, { readonly reason: string; readonly text: string }>> = {
  'before-period': { reason: 'not-yet-valid', text: 'the request date is before provision.period.start (not yet valid)' },
  'after-period': { reason: 'expired', text: 'the request date is after provision.period.end (expired)' },
  'unreadable-period': { reason: 'unreadable-period', text: 'provision.period is not a readable date range: a permit with it never applies' },
  actor: { reason: 'actor', text: 'no provision.actor matches the requesting actor by identifier or reference' },
  discloser: { reason: 'discloser', text: 'no provision.actor in a source role (INF, AUT, CST) matches the stated discloser' },
  action: { reason: 'action', text: 'provision.action does not include the requested action' },
  purpose: { reason: 'purpose', text: 'provision.purpose does not cover the requested purposeOfUse' },
  unsupported: { reason: 'unsupported', text: 'provision has a criterion the engine cannot evaluate (expression or limit): a permit with it never applies' },
  data: { reason: 'data', text: 'provision data criteria (securityLabel, class, code, data, dataPeriod) do not match the requested data' },
};

function notApplicableEntry(n: NotApplicable): ExplanationEntry {
  const reason = n.miss ? MISMATCH[n.miss].reason : (n.reason ?? 'not-applicable');
  const message = n.miss ? `${n.provision ?? 'provision'}: ${MISMATCH[n.miss].text}` : (n.message ?? '');
  return n.provision === undefined
    ? { consent: n.c.ref, role: 'not-applicable', reason, message }
    : { consent: n.c.ref, role: 'not-applicable', reason, provision: n.provision, message };
}

function outcomeEntry(o: ConsentOutcome, x: DecisionRecord): ExplanationEntry {
  const outcome: ExplanationEntry['outcome'] = o.effect === 'deny' ? 'deny' : o.limited ? 'permit-limited' : 'permit';
  const isBasis = x.basis.kind === 'consent' && x.basis.consent === o.c.ref;
  const sameSide = (x.decision === 'PERMIT') === (o.effect === 'permit');
  const role: ExplanationEntry['role'] = x.breakGlass || x.basis.kind === 'part2' ? 'overridden' : isBasis ? 'decided' : sameSide ? 'agreed' : 'overridden';
  const what =
    o.effect === 'deny'
      ? o.end === undefined
        ? `denies the request (the ${o.path} base denies what the root provision does not permit)`
        : 'denies the request'
      : o.limited
        ? 'permits only part of the requested data (see limit-to obligations)'
        : o.redacts.length > 0
          ? 'permits the request except the data in its redact obligations'
          : 'permits the request';
  const why =
    role === 'overridden'
      ? x.breakGlass
        ? ' (break-glass overrides consents)'
        : x.basis.kind === 'part2'
          ? ' (overruled by the 42 CFR Part 2 rule)'
          : ` (overridden: ${x.strategy})`
      : '';
  const patient = o.patientUnknown ? ' (its patient cannot be matched to the request: a deny counts, fail closed)' : '';
  return { consent: o.c.ref, role, outcome, reason: o.effect, provision: o.path, message: `${o.path} ${what}${why}${patient}` };
}

function part2NoteEntry(ref: string): ExplanationEntry {
  return {
    consent: ref,
    role: 'overridden',
    reason: 'part2-not-covered',
    message:
      'The request carries a 42 CFR Part 2 label and no permitting consent covers Part 2 data (it must name the recipient or be a single TPO consent, and describe the SUD information)',
  };
}

/**
 * The explanation of a decision: one entry per consent in input order (consents for other patients
 * too), the Part 2 note after the consent it overruled, then the decision-wide entries.
 *
 * @param x - the decision's record
 * @returns the explanation entries
 */
export function explainDecision(x: DecisionRecord): ExplanationEntry[] {
  const byIndex = new Map<number, ExplanationEntry>();
  for (const n of x.inapplicable) byIndex.set(n.c.index, notApplicableEntry(n));
  for (const o of x.outcomes) byIndex.set(o.c.index, outcomeEntry(o, x));
  const out: ExplanationEntry[] = [];
  for (const c of x.consents) {
    const entry = byIndex.get(c.index);
    out.push(entry ?? { consent: c.ref, role: 'not-applicable', reason: 'other-patient', message: 'Consent.patient does not match the requested patient' });
    if (entry && x.part2Overruled === c.ref) out.push(part2NoteEntry(c.ref));
  }
  if (x.breakGlassNoActor) {
    out.push({
      consent: '-',
      role: 'not-applicable',
      reason: 'break-glass-no-actor',
      message: 'Break-glass needs the requesting actor (actor) so the emergency disclosure can be recorded; evaluated as an ordinary request',
    });
  }
  if (x.part2Overruled === '-') out.push(part2NoteEntry('-'));
  if (x.breakGlass) {
    out.push({
      consent: '-',
      role: 'decided',
      reason: 'break-glass',
      message: `Break-glass for a medical emergency: permitted and flagged; without it the decision would be ${x.wouldHave}`,
    });
  }
  if (x.decision !== 'PERMIT' && x.part2Requested && x.part2Overruled === undefined) {
    out.push({
      consent: '-',
      role: 'not-applicable',
      reason: 'part2-requires-consent',
      message: 'The request carries a 42 CFR Part 2 label: Part 2 data is never disclosed without a covering active consent',
    });
  }
  return out;
}

/** How a decision that stopped at its first deny evaluates the rest: the engine's full evaluation of the request. */
export type DecisionCompletion = (request: DisclosureRequest) => DecisionDetails;

/** How a decision builds its AuditEvent: the engine's builder. */
export type DecisionAudit = (decision: CompiledDecision, request: DisclosureRequest) => AuditEvent;

/** The full record of a decision, and the outcomes that decided it. */
export interface DecisionDetails {
  readonly record: DecisionRecord;
  readonly deciding: readonly ConsentOutcome[];
}

/**
 * A decision of the compiled engine: `decision`, `breakGlass`, `obligations` and `basis` are own
 * properties; `explanation`, `audit` and `deciding` are built when first read (from the details,
 * which a decision that stopped at its first deny computes then), and `toJSON` gives the plain
 * object (what `decideConsent` returns).
 */
export class CompiledDecision implements ConsentDecision, UnauditedDecision {
  readonly decision: ConsentDecisionCode;
  readonly breakGlass: boolean;
  readonly obligations: readonly Obligation[];
  readonly basis: DecisionBasis;
  readonly #record: DecisionRecord;
  readonly #deciding: readonly ConsentOutcome[];
  readonly #request: DisclosureRequest;
  readonly #complete: DecisionCompletion | undefined;
  readonly #audit: DecisionAudit | undefined;
  #detailed: DecisionDetails | undefined;
  #explanation: ExplanationEntry[] | undefined;
  #auditEvent: AuditEvent | undefined;
  #refs: readonly string[] | undefined;

  /**
   * @param record - what the decision was made from
   * @param obligations - its obligations
   * @param deciding - the outcomes that decided it
   * @param request - the request decided
   * @param complete - when the decision stopped at its first deny: how to evaluate the rest when read
   * @param audit - how to build its AuditEvent (none for `decideWithoutAudit`)
   */
  constructor(
    record: DecisionRecord,
    obligations: readonly Obligation[],
    deciding: readonly ConsentOutcome[],
    request: DisclosureRequest,
    complete: DecisionCompletion | undefined,
    audit: DecisionAudit | undefined,
  ) {
    this.decision = record.decision;
    this.breakGlass = record.breakGlass;
    this.obligations = obligations;
    this.basis = record.basis;
    this.#record = record;
    this.#deciding = deciding;
    this.#request = request;
    this.#complete = complete;
    this.#audit = audit;
  }

  /** The full record and the deciding outcomes (computed once). */
  details(): DecisionDetails {
    this.#detailed ??= this.#complete ? this.#complete(this.#request) : { record: this.#record, deciding: this.#deciding };
    return this.#detailed;
  }

  /** Why each consent did or did not take part, in input order. */
  get explanation(): readonly ExplanationEntry[] {
    this.#explanation ??= explainDecision(this.details().record);
    return this.#explanation;
  }

  /** References of the consents that decided. */
  get deciding(): readonly string[] {
    this.#refs ??= this.details().deciding.map((d) => d.c.ref);
    return this.#refs;
  }

  /** The decision's AuditEvent (throws when the decision was made without one). */
  get audit(): AuditEvent {
    if (!this.#audit) throw new TypeError('decideWithoutAudit: this decision has no AuditEvent; use decide');
    this.#auditEvent ??= this.#audit(this, this.#request);
    return this.#auditEvent;
  }

  /** The plain decision: what `decideConsent` returns. */
  toJSON(): ConsentDecision {
    return { decision: this.decision, breakGlass: this.breakGlass, obligations: this.obligations, basis: this.basis, explanation: this.explanation, audit: this.audit };
  }
}
