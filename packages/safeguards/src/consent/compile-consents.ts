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
import { hasCode, intersects, TPO_PURPOSES, toCodes, type Code } from '../internal/codes';
import { toRange, type InstantRange } from '../internal/dates';
import {
  compareIdentities,
  createActorDirectory,
  identifyReference,
  identifyRequestActor,
  normalizeReference,
  type ActorDirectory,
  type ActorIdentity,
  type ActorResources,
} from './actors';
import { createConsentAuditEvent } from './audit-event';
import { combineOutcomes } from './combine-outcomes';
import { createCodeVocabulary, DEFAULT_CODE_SYSTEMS, resolveCode, type CodeCriterion, type CodeSystemRule, type CodeVocabulary, type ResolvedCode } from './compile-codes';
import { consentFinding } from './compile-findings';
import { beginDecision, createDecisionState, createMatcherTable, identityKey, type DecisionState, type NumberedIdentity } from './compile-matchers';
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
import { consentScopes, readConsentPolicy } from './compile-policy';
import { compileProvision, type PreparedRequest, type ProvisionCompileContext } from './compile-provision';
import type { ConsentDecision, DecisionBasis, Obligation, UnauditedDecision } from './decision';
import { DEFAULT_PART2_LABELS, PART2_REDISCLOSURE_NOTICE, type DecideConsentOptions } from './decision-options';
import { consentRef, evaluateConsent, statusInert, type Candidate } from './evaluate-consent';
import { documentEmergencyObligation, part2RedactObligation, redisclosureNoticeObligation, scopedObligations } from './obligations';
import { coversPart2, type Part2Context } from './part2-coverage';
import type { ConflictStrategy, Effect } from './provision';
import { RULE_COMBINING_EXTENSION, toEngineConsent, type ConsentResource } from './r5';
import type { DisclosureRequest, PatientSelector, RequestActor } from './request';

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

/** The options every decision of a compiled set shares, resolved once. */
interface Settings {
  readonly strategy: ConflictStrategy;
  readonly part2Labels: readonly Code[];
  readonly tpo: readonly string[];
  readonly explicit: boolean;
  readonly breakGlass: readonly string[];
  readonly now: InstantRange;
  readonly notice: string;
  /** The obligations every decision of the set shares (frozen): the §2.32 notice, the Part 2 redaction, break-glass documentation. */
  readonly noticeObligation: Obligation;
  readonly part2Redact: Obligation;
  readonly emergency: Obligation;
}

/** Data criteria some provision of a compiled set reads. */
interface CriteriaUse {
  code: boolean;
  data: boolean;
  dataPeriod: boolean;
}

/** See {@link Engine.lists}. */
interface ListInfo {
  ids?: string | null;
  raw?: string;
  part2?: boolean;
  purposes?: PurposeFlags;
}

/** The info of a request list (created on first use). */
function listInfo(engine: Engine, list: readonly unknown[]): ListInfo {
  let info = engine.lists.get(list);
  if (info === undefined) {
    info = {};
    engine.lists.set(list, info);
  }
  return info;
}

/** A decision remembered by request shape: everything but the request it was made for. */
interface ShapeEntry {
  readonly record: DecisionRecord;
  readonly obligations: readonly Obligation[];
  readonly deciding: readonly ConsentOutcome[];
  /** For a decision that stopped at its first deny: the full evaluation, made once when first read. */
  readonly complete: DecisionCompletion | undefined;
}

/** What a request's purposes and labels mean for the whole decision (cached by the request's lists). */
interface PurposeFlags {
  /** Every purpose is a TPO purpose. */
  readonly tpo: boolean;
  /** Break-glass is asked for. */
  readonly breakGlass: boolean;
}

const NO_OBLIGATIONS: readonly Obligation[] = Object.freeze([]);

interface Engine {
  readonly compiled: readonly CompiledConsent[];
  readonly settings: Settings;
  readonly vocabulary: CodeVocabulary;
  readonly directory: ActorDirectory;
  /** Reused by every decision (see `beginDecision`). */
  readonly state: DecisionState;
  readonly byKey: ReadonlyMap<string, readonly number[]>;
  readonly same: readonly Candidate[];
  readonly unknown: readonly Candidate[];
  readonly denying: readonly CompiledConsent[];
  readonly denyingWithoutReference: readonly CompiledConsent[];
  /** Identities of request actors and patients, by the request's (shared) arrays and objects. */
  readonly actorCache: WeakMap<readonly RequestActor[], readonly NumberedIdentity[]>;
  /** Numbers of the request actors met so far, by identity content (bounded). */
  readonly actorIds: Map<string, number>;
  readonly patientCache: WeakMap<PatientSelector, NumberedIdentity>;
  readonly candidateCache: WeakMap<ActorIdentity, readonly Candidate[]>;
  /** Request dates already parsed (bounded). */
  readonly dates: Map<string, InstantRange>;
  /** Numbers of the request codes met so far, by `system|code` (bounded). */
  readonly codeIds: Map<string, number>;
  /** Request code lists looked up, per criterion, by the (shared) list. */
  readonly resolvedCache: Readonly<Record<CodeCriterion, WeakMap<readonly Code[], readonly ResolvedCode[]>>>;
  readonly disclose: readonly ResolvedCode[];
  /** Decisions by request shape (see {@link shapeKey}); `undefined` when the cache is off. */
  readonly shapes: Map<string, ShapeEntry> | undefined;
  readonly shapeLimit: number;
  /**
   * What the engine derived from a request list, by the list: the numbers of a resolved list, the
   * JSON of a list read as written (data references, categories), whether labels hold a Part 2
   * label, what purposes mean. Each is a function of the list's content.
   */
  readonly lists: WeakMap<readonly unknown[], ListInfo>;
  /** Which data criteria some provision of the set reads (a request's other data criteria do not change a decision). */
  readonly uses: CriteriaUse;
}

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

const NO_ACTORS: readonly NumberedIdentity[] = Object.freeze([]);

function identities(engine: Engine, actors: readonly RequestActor[]): readonly NumberedIdentity[] {
  if (actors.length === 0) return NO_ACTORS;
  let cached = engine.actorCache.get(actors);
  if (!cached) {
    cached = actors.map((a) => numberIdentity(engine, identifyRequestActor(a, engine.directory)));
    engine.actorCache.set(actors, cached);
  }
  return cached;
}

/** Most distinct request actors a compiled set numbers (then matchers compare them each decision). */
const ACTOR_ID_LIMIT = 65_536;

/** A request actor's identity numbered by content, so actor matchers remember relations by number. */
function numberIdentity(engine: Engine, identity: ActorIdentity): NumberedIdentity {
  const key = identityKey(identity);
  let id = engine.actorIds.get(key);
  if (id === undefined && engine.actorIds.size < ACTOR_ID_LIMIT) {
    id = engine.actorIds.size;
    engine.actorIds.set(key, id);
  }
  return { references: identity.references, identifiers: identity.identifiers, id: id ?? -1 };
}

function patientIdentity(engine: Engine, patient: PatientSelector): NumberedIdentity {
  let cached = engine.patientCache.get(patient);
  if (!cached) {
    cached = numberIdentity(engine, identifyRequestActor(patient, engine.directory));
    engine.patientCache.set(patient, cached);
  }
  return cached;
}

/** Most distinct request codes a compiled set numbers (then matchers fall back to their maps). */
const CODE_ID_LIMIT = 65_536;

/** A request code looked up for one criterion and numbered, so matchers remember relations by number. */
function resolveNumbered(engine: Engine, criterion: CodeCriterion, code: Code): ResolvedCode {
  const r = resolveCode(engine.vocabulary, criterion, code);
  let id = engine.codeIds.get(r.key);
  if (id === undefined && engine.codeIds.size < CODE_ID_LIMIT) {
    id = engine.codeIds.size;
    engine.codeIds.set(r.key, id);
  }
  return id === undefined ? r : { ...r, id };
}

/** A request's code list looked up for one criterion (cached by the list: requests share their lists). */
function resolved(engine: Engine, criterion: CodeCriterion, codes: readonly Code[]): readonly ResolvedCode[] {
  const cache = engine.resolvedCache[criterion];
  let r = cache.get(codes);
  if (!r) {
    r = codes.map((c) => resolveNumbered(engine, criterion, c));
    cache.set(codes, r);
  }
  return r;
}

/** The instants the request date spans (the clock when not stated); parsed dates are remembered (bounded). */
function requestDate(engine: Engine, request: DisclosureRequest): InstantRange {
  const { now } = engine.settings;
  if (request.date === undefined) return now;
  let range = engine.dates.get(request.date);
  if (!range) {
    if (engine.dates.size > 1024) engine.dates.clear();
    range = toRange(request.date) ?? now;
    engine.dates.set(request.date, range);
  }
  return range;
}

function prepare(engine: Engine, request: DisclosureRequest): PreparedRequest {
  const dp = request.dataPeriod;
  return {
    at: requestDate(engine, request),
    action: request.action === undefined ? undefined : [resolveNumbered(engine, 'action', request.action)],
    disclose: engine.disclose,
    purposeOfUse: resolved(engine, 'purpose', request.purposeOfUse),
    securityLabel: request.securityLabel && resolved(engine, 'securityLabel', request.securityLabel),
    class: request.class && resolved(engine, 'class', request.class),
    code: request.code && resolved(engine, 'code', request.code),
    data: request.data?.map(normalizeReference),
    dataPeriod:
      dp === undefined ? undefined : { low: toRange(dp.start)?.low ?? Number.NEGATIVE_INFINITY, high: toRange(dp.end)?.high ?? Number.POSITIVE_INFINITY },
    actors: identities(engine, request.actor),
    disclosers: identities(engine, request.discloser),
  };
}

/** The consents to evaluate for the requested patient, in input order (cached per patient identity). */
function candidates(engine: Engine, patient: ActorIdentity): readonly Candidate[] {
  let cached = engine.candidateCache.get(patient);
  if (!cached) {
    cached = findCandidates(engine, patient);
    engine.candidateCache.set(patient, cached);
  }
  return cached;
}

function findCandidates(engine: Engine, patient: ActorIdentity): readonly Candidate[] {
  const lists: (readonly number[])[] = [];
  for (const r of patient.references) {
    const l = engine.byKey.get(`r:${r}`);
    if (l) lists.push(l);
  }
  for (const id of patient.identifiers) {
    const l = engine.byKey.get(`v:${id.value}`);
    if (l) lists.push(l);
  }
  const out: Candidate[] = [];
  const seen = lists.length > 1 ? new Set<number>() : undefined;
  for (const list of lists) {
    for (const i of list) {
      if (seen) {
        if (seen.has(i)) continue;
        seen.add(i);
      }
      const c = engine.compiled[i];
      const candidate = engine.same[i];
      if (c && candidate && compareIdentities(c.patient, patient) === 'same') out.push(candidate);
    }
  }
  let added = false;
  const denying = patient.references.length > 0 ? engine.denyingWithoutReference : engine.denying;
  if (denying.length > 0) {
    const taken = new Set(out.map((x) => x.c.index));
    for (const c of denying) {
      const candidate = engine.unknown[c.index];
      if (candidate && !taken.has(c.index) && compareIdentities(c.patient, patient) === 'unknown') {
        out.push(candidate);
        added = true;
      }
    }
  }
  if (lists.length > 1 || added) out.sort((a, b) => a.c.index - b.c.index);
  return out;
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

/**
 * The shape of a request: every part of it a decision reads, as numbers and strings (the patient's,
 * actors' and disclosers' identities; purposes, action, labels, classes and codes by their numbers;
 * the request date as the instants it spans; the data references, data period and codes only when
 * some provision reads them; the categories). Two requests of one shape get the same decision.
 *
 * @returns the key, or `undefined` when a part could not be numbered (then the decision is not remembered)
 */
function shapeKey(engine: Engine, request: DisclosureRequest, patient: NumberedIdentity): string | undefined {
  if (patient.id < 0) return undefined;
  const actors = listKey(engine, identities(engine, request.actor));
  const disclosers = listKey(engine, identities(engine, request.discloser));
  const purposes = listKey(engine, resolved(engine, 'purpose', request.purposeOfUse));
  const labels = request.securityLabel === undefined ? '-' : listKey(engine, resolved(engine, 'securityLabel', request.securityLabel));
  const classes = request.class === undefined ? '-' : listKey(engine, resolved(engine, 'class', request.class));
  const { uses } = engine;
  const codes = !uses.code || request.code === undefined ? '-' : listKey(engine, resolved(engine, 'code', request.code));
  if (actors === undefined || disclosers === undefined || purposes === undefined || labels === undefined || classes === undefined || codes === undefined) return undefined;
  let action = '-';
  if (request.action !== undefined) {
    const a = resolveNumbered(engine, 'action', request.action);
    if (a.id < 0) return undefined;
    action = String(a.id);
  }
  const at = requestDate(engine, request);
  const data = !uses.data || request.data === undefined ? '-' : rawKey(engine, request.data);
  const dp = request.dataPeriod;
  const period = !uses.dataPeriod || dp === undefined ? '-' : JSON.stringify([dp.start ?? null, dp.end ?? null]);
  const category = request.category.length === 0 ? '' : rawKey(engine, request.category);
  return `${patient.id}|${actors}|${disclosers}|${purposes}|${action}|${labels}|${classes}|${codes}|${at.low},${at.high}|${data}|${period}|${category}`;
}

/** The numbers of a resolved request list, joined (cached by the list); `undefined` when one has no number. */
function listKey(engine: Engine, list: readonly (ResolvedCode | NumberedIdentity)[]): string | undefined {
  if (list.length === 0) return '';
  const info = listInfo(engine, list);
  if (info.ids === undefined) {
    let key: string | null = '';
    for (let i = 0; i < list.length; i++) {
      const id = (list[i] as ResolvedCode | NumberedIdentity).id;
      if (id < 0) {
        key = null;
        break;
      }
      key += i === 0 ? String(id) : `,${id}`;
    }
    info.ids = key;
  }
  return info.ids ?? undefined;
}

/** A request list as written, as JSON (cached by the list). */
function rawKey(engine: Engine, list: readonly unknown[]): string {
  const info = listInfo(engine, list);
  info.raw ??= JSON.stringify(list);
  return info.raw;
}

/** `list` with `o` appended (a new array when `list` is the shared empty one). */
function withObligation(list: Obligation[] | readonly Obligation[], o: Obligation): Obligation[] {
  if (list === NO_OBLIGATIONS) return [o];
  (list as Obligation[]).push(o);
  return list as Obligation[];
}

/** Whether a request's labels include a Part 2 label (cached by the list). */
function part2Labelled(engine: Engine, labels: readonly Code[] | undefined): boolean {
  if (labels === undefined || labels.length === 0) return false;
  const info = listInfo(engine, labels);
  info.part2 ??= intersects(labels, engine.settings.part2Labels);
  return info.part2;
}

/** What a request's purposes mean for the decision (cached by the list). */
function purposeFlags(engine: Engine, purposes: readonly Code[]): PurposeFlags {
  const info = listInfo(engine, purposes);
  if (info.purposes === undefined) {
    const { tpo, breakGlass } = engine.settings;
    info.purposes = {
      tpo: purposes.length > 0 && purposes.every((p) => tpo.includes(p.code)),
      breakGlass: purposes.some((p) => breakGlass.includes(p.code) && (p.system === undefined || p.system === SYSTEMS.actReason)),
    };
  }
  return info.purposes;
}
