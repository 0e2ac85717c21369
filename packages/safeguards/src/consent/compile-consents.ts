/**
 * The consent engine, compiled: `compileConsents` reads a set of consents once (R4, R5 Consent,
 * R5 Permission), indexes them by patient and precomputes every provision's predicates; its
 * `decide(request)` then evaluates only the requested patient's consents, sharing each distinct
 * code list or actor list between provisions within one decision. `decideConsent` is the same
 * engine compiled for one call.
 *
 * Semantics (the table with the reason for each line is in docs/consent-and-part2.md):
 * - A consent applies when it is for the requested patient, is a privacy consent (`scope`, or a
 *   consentscope code in `category`), is `active`, was signed no later than the request date, and
 *   the request date lies in its root period. A consent whose patient cannot be compared with the
 *   request's patient counts only when it denies (fail closed).
 * - A deny provision applies unless the request positively falls outside it; a permit applies only
 *   when the request positively falls inside it; criteria the request leaves open become
 *   obligations (REDACT for a denied subset, limit-to for the only permitted subset).
 * - The root effect is the root `type`, else the base of `policyRule` / `policy`; a deny base also
 *   applies outside a permitting root. Conflicts: deny-overrides by default.
 * - 42 CFR Part 2 data is never permitted unless an active consent covers it (names the recipient,
 *   or is a single TPO consent, and describes the SUD information); break-glass (§2.51) permits,
 *   flagged; the §2.32 notice travels with any permitted disclosure that may carry Part 2 data.
 *
 * See: reference/fhir-mapping.md §2.4, §5, §6; https://hl7.org/fhir/R4/consent.html
 */
import type { Issue } from '@peerkit/model';
import { SYSTEMS } from '@peerkit/fhir';
import type { CodeableConcept, Consent, ConsentProvision } from 'fhir/r4';
import { hasCode, TPO_PURPOSES, toCodes, type Code } from '../internal/codes';
import { toRange, type InstantRange } from '../internal/dates';
import { createActorDirectory, identifyReference, type ActorResources } from './actors';
import { createConsentAuditEvent } from './audit-event';
import { combineOutcomes } from './combine-outcomes';
import { createCodeVocabulary, DEFAULT_CODE_SYSTEMS, resolveCode, type CodeSystemRule, type CodeVocabulary } from './compile-codes';
import { consentFinding } from './compile-findings';
import { beginDecision, createDecisionState, createMatcherTable } from './compile-matchers';
import {
  CompiledDecision,
  type CompiledConsent,
  type ConsentOutcome,
  type DecisionAudit,
  type DecisionCompletion,
  type DecisionDetails,
  type DecisionRecord,
  type NotApplicable,
} from './compile-outcome';
import type { CriteriaUse, Engine, Settings } from './compile-engine';
import { consentScopes, readConsentPolicy } from './compile-policy';
import { candidates, part2Labelled, patientIdentity, prepare, purposeFlags, shapeKey } from './compile-request';
import { compileProvision, type ProvisionCompileContext } from './compile-provision';
import type { ConsentDecision, DecisionBasis, Obligation, UnauditedDecision } from './decision';
import { DEFAULT_PART2_LABELS, PART2_REDISCLOSURE_NOTICE, type DecideConsentOptions } from './decision-options';
import { consentRef, evaluateConsent, statusInert, type Candidate } from './evaluate-consent';
import { documentEmergencyObligation, part2RedactObligation, redisclosureNoticeObligation, scopedObligations } from './obligations';
import { coversPart2, type Part2Context } from './part2-coverage';
import type { ConflictStrategy, Effect } from './provision';
import { RULE_COMBINING_EXTENSION, toEngineConsent, type ConsentResource } from './r5';
import type { DisclosureRequest } from './request';

/** Options of {@link compileConsents}: those of `decideConsent`, plus actor resources and code systems. */
export interface CompileConsentsOptions extends DecideConsentOptions {
  /**
   * Organizations, Practitioners, PractitionerRoles… (a Bundle or an array) whose identifiers resolve
   * literal actor references in the consents and in requests (`Organization/54`). Default none.
   */
  resources?: ActorResources;
  /** Code systems the engine knows besides {@link DEFAULT_CODE_SYSTEMS} (same system: replaces). Default none. */
  codeSystems?: readonly CodeSystemRule[];
  /**
   * How many decisions to remember by request shape (patient, actors, purposes, action, labels,
   * classes, codes, date, and the data criteria some provision reads): a request of a shape already
   * decided gets the same decision without evaluating the consents again. `0` turns it off.
   * Default 4096.
   */
  decisionCache?: number;
}

/** Consents compiled once, decided many times. */
export interface CompiledConsents {
  /** The consents as evaluated (R4; R5 inputs mapped), in input order. */
  readonly consents: readonly Consent[];
  /** Findings from reading them (`consent.` codes; paths start at the consent's index). */
  readonly issues: readonly Issue[];
  /**
   * Decides a request: the same decision as `decideConsent(consents, request, options)`, whose
   * `explanation` and `audit` are built when first read (`toJSON()` gives the plain object).
   */
  decide(request: DisclosureRequest): ConsentDecision;
  /** {@link CompiledConsents.decide} without the AuditEvent, with the references of the consents that decided. */
  decideWithoutAudit(request: DisclosureRequest): UnauditedDecision;
}

const STRATEGIES: readonly ConflictStrategy[] = ['deny-overrides', 'permit-overrides', 'most-recent'];
/** The default code systems, compiled once (read-only). */
const DEFAULT_VOCABULARY: CodeVocabulary = createCodeVocabulary(DEFAULT_CODE_SYSTEMS);

const NO_OBLIGATIONS: readonly Obligation[] = Object.freeze([]);

/** An obligation shared by many decisions: frozen, with its lists. */
function frozen(o: Obligation): Obligation {
  if (o.scope) Object.freeze(o.scope);
  if (o.codes) Object.freeze(o.codes);
  return Object.freeze(o);
}

/** The shared obligations of the default options. */
const DEFAULT_NOTICE = frozen(redisclosureNoticeObligation(PART2_REDISCLOSURE_NOTICE));
const DEFAULT_PART2_REDACT = frozen(part2RedactObligation(DEFAULT_PART2_LABELS));
const EMERGENCY = frozen(documentEmergencyObligation());

function toInstantRange(now: string | Date): InstantRange {
  if (now instanceof Date) return { low: now.getTime(), high: now.getTime() };
  const range = toRange(now);
  if (!range) throw new TypeError('decideConsent: option now must be a Date or a FHIR date/dateTime');
  return range;
}

function codesOfConcepts(concepts: readonly CodeableConcept[]): Code[] {
  const out: Code[] = [];
  for (const c of concepts) out.push(...toCodes(c.coding));
  return out;
}

/** Walks a provision tree as written, with each provision's path and effect (untyped: the opposite of its parent). */
function walkProvisions(p: ConsentProvision, path: string, effect: Effect | undefined, visit: (p: ConsentProvision, path: string, effect: Effect | undefined) => void): void {
  visit(p, path, effect);
  (p.provision ?? []).forEach((c, i) => walkProvisions(c, `${path}.provision[${i}]`, c.type ?? (effect === undefined ? undefined : effect === 'permit' ? 'deny' : 'permit'), visit));
}

function compileOne(
  input: ConsentResource,
  index: number,
  options: CompileConsentsOptions,
  ctx: Omit<ProvisionCompileContext, 'consent'>,
  issues: Issue[],
  uses: CriteriaUse,
): CompiledConsent {
  const mapped = toEngineConsent(input);
  for (const i of mapped.issues) issues.push({ ...i, path: [index, ...i.path] });
  const consent = mapped.consent;
  const policy = readConsentPolicy(consent);
  if (policy.conflicting) issues.push(consentFinding('consent.policy-conflict', [index, 'policyRule'], 'policyRule and policy set both a permit and a deny base'));
  for (const element of policy.unevaluated.length === 0 ? [] : new Set(policy.unevaluated)) {
    issues.push(consentFinding('consent.policy-not-evaluated', [index, element === 'policy.uri' ? 'policy' : 'policyRule'], `${element} is not evaluated`));
  }
  const combining = consent.extension?.find((e) => e.url === RULE_COMBINING_EXTENSION)?.valueCode as ConflictStrategy | undefined;
  const strategy = combining !== undefined && STRATEGIES.includes(combining) ? combining : (options.strategy ?? 'deny-overrides');
  const rootType = consent.provision?.type;
  const base = policy.base?.effect;
  if (rootType !== undefined && base !== undefined && rootType !== base) {
    issues.push(consentFinding('consent.root-type-and-policy', [index, 'provision', 'type'], 'provision.type differs from the policyRule/policy base'));
  }
  const rootEffect = rootType ?? base;
  const provisionContext: ProvisionCompileContext = { table: ctx.table, vocabulary: ctx.vocabulary, directory: ctx.directory, part2Labels: ctx.part2Labels, tpo: ctx.tpo, consent };
  const root = consent.provision ? compileProvision(consent.provision, 'provision', rootEffect, provisionContext) : undefined;
  let canDeny = false;
  if (consent.provision) {
    walkProvisions(consent.provision, 'provision', rootEffect, (p, path, effect) => {
      if (effect === 'deny') canDeny = true;
      if ((p.code ?? []).length > 0) uses.code = true;
      if ((p.data ?? []).length > 0) uses.data = true;
      if (p.dataPeriod !== undefined) uses.dataPeriod = true;
      if ((p.data ?? []).some((d) => d.meaning !== 'instance')) issues.push(consentFinding('consent.data-meaning', [index], `${path}.data.meaning needs the resource graph: read fail-closed`));
    });
  }
  // The deny base covers requests outside a permitting root: the root is the exception to the opt-out.
  const denyBase = base === 'deny' && rootType === 'permit' && policy.base ? (policy.base.system === 'urn:ietf:rfc:3986' ? 'policy' : 'policyRule') : undefined;
  const scopes = consentScopes(consent);
  return {
    index,
    ref: consentRef(consent, index),
    consent,
    patient: identifyReference(consent.patient, consent, ctx.directory),
    inert: statusInert(consent) ?? (root ? undefined : { reason: 'no-provision', message: 'Consent has no provision: nothing to evaluate' }),
    scopeFails: scopes.length > 0 && !hasCode(scopes, SYSTEMS.consentScope, 'patient-privacy'),
    categories: consent.category ? codesOfConcepts(consent.category) : [],
    signed: toRange(consent.dateTime),
    root,
    rootList: root ? [root] : [],
    denyBase,
    strategy,
    part2Policy: policy.part2,
    canDeny: canDeny || denyBase !== undefined,
    memo: new Map(),
    misses: {},
    baseOutcomes: [],
  };
}

/**
 * Compiles consents for many decisions: reads R4 Consents, R5 Consents and R5 Permissions, indexes
 * them by patient, resolves actor references (contained resources, `options.resources`,
 * `options.resolveReference`) and precomputes every provision's predicates.
 *
 * @param consents - the consents (any patients, any mix of R4 Consent, R5 Consent, R5 Permission)
 * @param options - the clock and decision options of `decideConsent`, plus `resources` and `codeSystems`
 * @returns the compiled set: `decide(request)` for each request
 * @example
 * const compiled = compileConsents(consents, { now: '2026-05-01', resources: orgBundle });
 * for (const request of requests) if (compiled.decide(request).decision === 'PERMIT') send(request);
 * See: docs/consent-and-part2.md; reference/fhir-mapping.md §5
 */
export function compileConsents(consents: readonly ConsentResource[], options: CompileConsentsOptions): CompiledConsents {
  const settings: Settings = {
    strategy: options.strategy ?? 'deny-overrides',
    part2Labels: options.part2Labels ?? DEFAULT_PART2_LABELS,
    tpo: options.tpoPurposes ?? TPO_PURPOSES,
    explicit: options.requireExplicitPart2Scope ?? true,
    breakGlass: options.breakGlassPurposes ?? ['BTG'],
    now: toInstantRange(options.now),
    notice: options.redisclosureNotice ?? PART2_REDISCLOSURE_NOTICE,
    noticeObligation: options.redisclosureNotice === undefined ? DEFAULT_NOTICE : frozen(redisclosureNoticeObligation(options.redisclosureNotice)),
    part2Redact: options.part2Labels === undefined ? DEFAULT_PART2_REDACT : frozen(part2RedactObligation(options.part2Labels)),
    emergency: EMERGENCY,
  };
  const vocabulary = options.codeSystems ? createCodeVocabulary([...DEFAULT_CODE_SYSTEMS, ...options.codeSystems]) : DEFAULT_VOCABULARY;
  const directory = createActorDirectory(options.resources, options.resolveReference);
  const table = createMatcherTable();
  const issues: Issue[] = [];
  const uses: CriteriaUse = { code: false, data: false, dataPeriod: false };
  const compiled = consents.map((c, i) => compileOne(c, i, options, { table, vocabulary, directory, part2Labels: settings.part2Labels, tpo: settings.tpo }, issues, uses));
  const shapeLimit = Math.max(0, Math.floor(options.decisionCache ?? DEFAULT_DECISION_CACHE));

  // Index by patient: literal reference and identifier value (candidates are then verified).
  const byKey = new Map<string, number[]>();
  const add = (key: string, i: number): void => {
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  };
  for (const c of compiled) {
    for (const r of c.patient.references) add(`r:${r}`, c.index);
    for (const id of c.patient.identifiers) add(`v:${id.value}`, c.index);
  }
  const denying = compiled.filter((c) => c.canDeny && c.inert === undefined);
  const engine: Engine = {
    compiled,
    settings,
    vocabulary,
    directory,
    state: createDecisionState(table),
    byKey,
    same: compiled.map((c) => ({ c, unknown: false })),
    unknown: compiled.map((c) => ({ c, unknown: true })),
    denying,
    denyingWithoutReference: denying.filter((c) => c.patient.references.length === 0),
    actorCache: new WeakMap(),
    actorIds: new Map(),
    patientCache: new WeakMap(),
    candidateCache: new WeakMap(),
    dates: new Map(),
    codeIds: new Map(),
    resolvedCache: { action: new WeakMap(), purpose: new WeakMap(), securityLabel: new WeakMap(), class: new WeakMap(), code: new WeakMap() },
    disclose: [resolveCode(vocabulary, 'action', { system: SYSTEMS.consentAction, code: 'disclose' })],
    shapes: shapeLimit > 0 ? new Map() : undefined,
    shapeLimit,
    lists: new WeakMap(),
    uses,
  };
  const audit: DecisionAudit = (d, request) =>
    createConsentAuditEvent({ decision: d.decision, breakGlass: d.breakGlass, basis: d.basis, request, now: options.now, consents: d.deciding }, options.audit);
  const evaluate = (request: DisclosureRequest): DecisionDetails => decideCompiled(engine, request, undefined, true).details();
  return {
    consents: compiled.map((c) => c.consent),
    issues,
    decide: (request) => decideCompiled(engine, request, audit, false, evaluate),
    decideWithoutAudit: (request) => decideCompiled(engine, request, undefined, false, evaluate),
  };
}

/**
 * Decides one request. Under deny-overrides the first consent that denies settles the decision
 * (its basis is the first deny in input order either way): the rest is evaluated only when the
 * explanation, the deciding consents or the AuditEvent are read (`full`).
 */
function decideCompiled(
  engine: Engine,
  request: DisclosureRequest,
  audit: DecisionAudit | undefined,
  full: boolean,
  evaluate?: (request: DisclosureRequest) => DecisionDetails,
): CompiledDecision {
  const { settings } = engine;
  const { strategy } = settings;
  const patient = patientIdentity(engine, request.patient);
  const key = !full && engine.shapes ? shapeKey(engine, request, patient) : undefined;
  if (key !== undefined) {
    const known = engine.shapes?.get(key);
    if (known) return new CompiledDecision(known.record, known.obligations, known.deciding, request, known.complete, audit);
  }
  const req = prepare(engine, request);
  beginDecision(engine.state);
  const outcomes: ConsentOutcome[] = [];
  // A decision that stops at its first deny never builds its explanation from this record.
  const inapplicable: NotApplicable[] = [];
  const early = !full && strategy === 'deny-overrides';
  let stopped: ConsentOutcome | undefined;
  const list = candidates(engine, patient);
  for (let i = 0; i < list.length; i++) {
    const evaluated = evaluateConsent(list[i] as Candidate, request, req, engine.state);
    if (evaluated.effect === undefined) inapplicable.push(evaluated);
    else {
      outcomes.push(evaluated);
      if (early && evaluated.effect === 'deny') {
        stopped = evaluated;
        break;
      }
    }
  }

  // Under deny-overrides, the first deny decides, and it is the only deny seen.
  const combined = stopped ? { decision: 'DENY' as const, deciding: [stopped], basis: stopped } : combineOutcomes(outcomes, strategy);
  let decision = combined.decision;
  const { deciding } = combined;
  let obligations: Obligation[] | readonly Obligation[] = decision === 'PERMIT' ? scopedObligations(deciding, engine.state) : NO_OBLIGATIONS;
  let basis: DecisionBasis = combined.basis ? { kind: 'consent', consent: combined.basis.c.ref, provision: combined.basis.path, strategy } : { kind: 'none', strategy };

  // 42 CFR Part 2: never permitted without a covering active consent.
  const labelsStated = request.securityLabel !== undefined;
  const part2Requested = labelsStated && part2Labelled(engine, request.securityLabel);
  const purposes = purposeFlags(engine, request.purposeOfUse);
  let part2Overruled: string | undefined;
  let part2Redacted = false;
  if (decision === 'PERMIT') {
    const ctx: Part2Context = { state: engine.state, explicit: settings.explicit };
    const covering = deciding.find((o) => coversPart2(o, ctx, purposes.tpo));
    if (part2Requested && !covering) {
      decision = 'DENY';
      obligations = NO_OBLIGATIONS;
      basis = { kind: 'part2', strategy, source: '42 CFR §2.31, §2.33' };
      part2Overruled = combined.basis?.c.ref ?? '-';
    } else if (!labelsStated && !covering) {
      part2Redacted = true;
      obligations = withObligation(obligations, settings.part2Redact);
    } else if (covering && combined.basis && covering !== combined.basis && part2Requested) {
      basis = { kind: 'consent', consent: covering.c.ref, provision: covering.path, strategy };
    }
  }

  // Break-glass: a bona fide medical emergency (42 CFR §2.51) overrides, flagged and audited.
  const wantsBreakGlass = purposes.breakGlass;
  const breakGlass = wantsBreakGlass && request.actor.length > 0;
  const wouldHave = decision;
  if (breakGlass) {
    decision = 'PERMIT';
    basis = { kind: 'break-glass', strategy, source: '42 CFR §2.51 (medical emergencies)' };
    obligations = [settings.emergency];
  }

  const mayCarryPart2 = decision === 'PERMIT' && (part2Requested || (!labelsStated && !(part2Redacted && !breakGlass)));
  if (mayCarryPart2) obligations = withObligation(obligations, settings.noticeObligation);

  const record: DecisionRecord = {
    consents: engine.compiled,
    strategy,
    outcomes,
    inapplicable,
    decision,
    basis,
    breakGlass,
    breakGlassNoActor: wantsBreakGlass && request.actor.length === 0,
    wouldHave,
    part2Requested,
    part2Overruled,
  };
  if (key !== undefined && engine.shapes) {
    // Shared by every decision of this shape: frozen.
    Object.freeze(obligations);
    Object.freeze(basis);
    let details: DecisionDetails | undefined;
    const complete: DecisionCompletion | undefined = stopped && evaluate ? (r) => (details ??= evaluate(r)) : undefined;
    if (engine.shapes.size >= engine.shapeLimit) engine.shapes.clear();
    engine.shapes.set(key, { record, obligations, deciding, complete });
    return new CompiledDecision(record, obligations, deciding, request, complete, audit);
  }
  return new CompiledDecision(record, obligations, deciding, request, stopped ? evaluate : undefined, audit);
}

/** Default size of the decision cache (decisions remembered by request shape). */
const DEFAULT_DECISION_CACHE = 4096;

/** `list` with `o` appended (a new array when `list` is the shared empty one). */
function withObligation(list: Obligation[] | readonly Obligation[], o: Obligation): Obligation[] {
  if (list === NO_OBLIGATIONS) return [o];
  (list as Obligation[]).push(o);
  return list as Obligation[];
}
