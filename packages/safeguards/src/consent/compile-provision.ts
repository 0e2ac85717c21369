/**
 * A Consent's provision tree compiled once into predicates (interned code and actor matchers,
 * parsed periods), and its evaluation against one request. A deny provision applies unless the
 * request positively falls outside it; a permit applies only when the request positively falls
 * inside it (docs/consent-and-part2.md, semantics table). Internal to the consent engine.
 *
 * See: reference/fhir-mapping.md §5 (LEAP evaluates first-level provisions on purpose, actor and
 * class; PeerKit evaluates every level and every criterion).
 */
import type { Coding, Consent, ConsentProvision } from 'fhir/r4';
import { intersects, SOURCE_ROLES, toCodes, type Code } from '../internal/codes';
import { toRange, type InstantRange } from '../internal/dates';
import { identifyReference, normalizeReference, type ActorDirectory, type ActorIdentity } from './actors';
import type { CodeVocabulary, ResolvedCode } from './compile-codes';
import {
  actorResult,
  APPLIES,
  codeResult,
  DENY,
  internActors,
  internCodes,
  internScope,
  OPEN,
  PERMIT_ALL,
  PERMIT_ANY,
  provisionState,
  type ActorMatcher,
  type CodeMatcher,
  type DecisionState,
  type MatcherTable,
  type NumberedIdentity,
  type OpenScope,
} from './compile-matchers';
import type { DataScope, Effect } from './provision';
import { SOURCE_PATH_EXTENSION, UNSUPPORTED_CRITERION_EXTENSION } from './r5';

/** Why a provision did not apply. */
export type ProvisionMismatch =
  | 'before-period'
  | 'after-period'
  | 'unreadable-period'
  | 'actor'
  | 'discloser'
  | 'action'
  | 'purpose'
  | 'unsupported'
  | 'data';

type Actor = NonNullable<ConsentProvision['actor']>[number];

/** A period parsed once; `unreadable` when a bound is not a FHIR date. */
export interface CompiledPeriod {
  /** The bounds as written. */
  readonly bounds: { readonly start?: string; readonly end?: string };
  readonly low: number;
  readonly high: number;
  readonly unreadable: boolean;
}

const OPEN_LABEL = 1;
const OPEN_CLASS = 2;
const OPEN_CODE = 4;
const OPEN_DATA = 8;
const OPEN_PERIOD = 16;

/** The open scope of a provision for a mask of OPEN_* bits, interned on first use. */
function openScopeOf(table: MatcherTable, p: CompiledProvision, mask: number): OpenScope {
  const known = p.openScopes[mask];
  if (known) return known;
  const scope: { -readonly [K in keyof DataScope]: DataScope[K] } = {};
  if (mask & OPEN_LABEL && p.securityLabel) scope.securityLabel = p.securityLabel.codes;
  if (mask & OPEN_CLASS && p.class) scope.class = p.class.codes;
  if (mask & OPEN_CODE && p.code) scope.code = p.code.codes;
  if (mask & OPEN_DATA && p.data) scope.data = p.data.refs;
  if (mask & OPEN_PERIOD && p.dataPeriod) scope.dataPeriod = p.dataPeriod.bounds;
  const open = internScope(table, scope);
  p.openScopes[mask] = open;
  return open;
}

function compilePeriod(period: { start?: string | undefined; end?: string | undefined } | undefined): CompiledPeriod | undefined {
  if (!period || (period.start === undefined && period.end === undefined)) return undefined;
  const s = period.start === undefined ? undefined : toRange(period.start);
  const e = period.end === undefined ? undefined : toRange(period.end);
  const bounds: { start?: string; end?: string } = {};
  if (period.start !== undefined) bounds.start = period.start;
  if (period.end !== undefined) bounds.end = period.end;
  return {
    bounds,
    low: s?.low ?? Number.NEGATIVE_INFINITY,
    high: e?.high ?? Number.POSITIVE_INFINITY,
    unreadable: (period.start !== undefined && !s) || (period.end !== undefined && !e),
  };
}

/**
 * `true` for an actor marked as a general designation by PeerKit's `recipient-type` extension (any
 * canonical base): a class of persons, allowed for a single TPO consent (42 CFR §2.31(a)(4)).
 */
export function isGeneralDesignation(actor: Actor): boolean {
  return (actor.extension ?? []).some((e) => e.url.endsWith('/StructureDefinition/recipient-type') && e.valueCoding?.code === 'general-designation');
}

/** What compiling a provision needs. */
export interface ProvisionCompileContext {
  readonly table: MatcherTable;
  readonly vocabulary: CodeVocabulary;
  readonly consent: Consent;
  readonly directory: ActorDirectory;
  /** The labels that mark Part 2 data, and the purposes of a single TPO consent (options). */
  readonly part2Labels: readonly Code[];
  readonly tpo: readonly string[];
}

const opposite = (e: Effect): Effect => (e === 'permit' ? 'deny' : 'permit');

/** How many provisions a tree holds (the ids it reserves). */
export function countProvisions(p: ConsentProvision): number {
  let n = 1;
  for (const c of p.provision ?? []) n += countProvisions(c);
  return n;
}

function codesOf(concepts: readonly { coding?: Coding[] | undefined }[] | undefined): Code[] {
  const out: Code[] = [];
  for (const cc of concepts ?? []) out.push(...toCodes(cc.coding));
  return out;
}

/**
 * One provision, compiled: its criteria as interned matchers and parsed periods. Its nested
 * provisions are compiled when first reached (ids reserved up front), so a consent whose root does
 * not apply costs one provision.
 */
export class CompiledProvision {
  /** Index into the per-decision state of the compiled set. */
  readonly id: number;
  /** `provision.provision[1]`, or the source path of an R5 element. */
  readonly path: string;
  readonly parent: CompiledProvision | undefined;
  readonly effect: Effect | undefined;
  /** `effect === 'permit'`. */
  readonly permit: boolean;
  /** It has a data criterion (securityLabel, class, code, data, dataPeriod). */
  readonly hasData: boolean;
  readonly period: CompiledPeriod | undefined;
  readonly recipients: ActorMatcher | undefined;
  readonly sources: ActorMatcher | undefined;
  readonly action: CodeMatcher | undefined;
  readonly purpose: CodeMatcher | undefined;
  readonly securityLabel: CodeMatcher | undefined;
  readonly class: CodeMatcher | undefined;
  readonly code: CodeMatcher | undefined;
  readonly data: { readonly refs: readonly string[]; readonly graph: boolean } | undefined;
  readonly dataPeriod: CompiledPeriod | undefined;
  /** A criterion the engine cannot evaluate (R5 expression, Permission limit): a permit never applies. */
  readonly unsupported: boolean;
  /** For Part 2 coverage: its own purposes, and whether its labels describe Part 2 data and its purposes make it a TPO consent. */
  readonly purposes: readonly Code[];
  readonly describesPart2: boolean;
  readonly tpoWide: boolean;
  /** It or an ancestor describes Part 2 data; it or an ancestor lists every TPO purpose. */
  readonly chainPart2: boolean;
  readonly chainTpo: boolean;
  /** The data criteria a request left open, by mask of OPEN_* bits (interned when first met). */
  readonly openScopes: (OpenScope | undefined)[] = [];
  /**
   * The whole-consent outcomes it decides (permit; deny; deny with the patient not comparable),
   * built once by `evaluate-consent.ts` (typed there: the outcome type depends on this file).
   */
  readonly outcomes: unknown[] = [];
  /** The single-scope subsets it decides, by open scope and effect (built once, see `scopedEffects`): the last one met, then the others. */
  lastScoped: ScopedEffect | undefined = undefined;
  moreScoped: Map<number, ScopedEffect> | undefined = undefined;
  /** The nested provisions once compiled (see {@link CompiledProvision.children}). */
  compiled: readonly CompiledProvision[] | undefined;
  readonly #nested: readonly ConsentProvision[];
  readonly #rawPath: string;
  readonly #ctx: ProvisionCompileContext;

  constructor(p: ConsentProvision, path: string, parent: CompiledProvision | undefined, effect: Effect | undefined, ctx: ProvisionCompileContext, id: number) {
    const { table, vocabulary } = ctx;
    const recipients: ActorIdentity[] = [];
    const sources: ActorIdentity[] = [];
    for (const a of p.actor ?? []) {
      // Actors in recipient roles, and in roles PeerKit does not know, constrain the recipient; a
      // general designation ("my treating providers", a class of persons) constrains no one.
      if (toCodes(a.role?.coding).some((c) => SOURCE_ROLES.includes(c.code))) sources.push(identifyReference(a.reference, ctx.consent, ctx.directory));
      else if (!isGeneralDesignation(a)) recipients.push(identifyReference(a.reference, ctx.consent, ctx.directory));
    }
    const refs: string[] = [];
    for (const d of p.data ?? []) if (d.reference?.reference !== undefined) refs.push(normalizeReference(d.reference.reference));
    const purposes = toCodes(p.purpose);
    const labels = toCodes(p.securityLabel);
    this.id = id;
    this.path = p.extension?.find((e) => e.url === SOURCE_PATH_EXTENSION)?.valueString ?? path;
    this.parent = parent;
    this.effect = effect;
    this.permit = effect === 'permit';
    this.period = compilePeriod(p.period);
    this.recipients = internActors(table, 'recipient', recipients);
    this.sources = internActors(table, 'discloser', sources);
    this.action = internCodes(table, vocabulary, 'action', codesOf(p.action));
    this.purpose = internCodes(table, vocabulary, 'purpose', purposes);
    this.securityLabel = internCodes(table, vocabulary, 'securityLabel', labels);
    this.class = internCodes(table, vocabulary, 'class', toCodes(p.class));
    this.code = internCodes(table, vocabulary, 'code', codesOf(p.code));
    this.data = p.data && p.data.length > 0 ? { refs, graph: p.data.some((d) => d.meaning !== 'instance') } : undefined;
    this.dataPeriod = compilePeriod(p.dataPeriod);
    this.hasData = this.securityLabel !== undefined || this.class !== undefined || this.code !== undefined || this.data !== undefined || this.dataPeriod !== undefined;
    this.unsupported = (p.extension ?? []).some((e) => e.url === UNSUPPORTED_CRITERION_EXTENSION);
    this.purposes = purposes;
    this.describesPart2 = intersects(labels, ctx.part2Labels);
    this.tpoWide = ctx.tpo.every((code) => purposes.some((x) => x.code === code));
    this.chainPart2 = this.describesPart2 || (parent?.chainPart2 ?? false);
    this.chainTpo = this.tpoWide || (parent?.chainTpo ?? false);
    this.compiled = p.provision && p.provision.length > 0 ? undefined : [];
    this.#nested = p.provision ?? [];
    this.#rawPath = path;
    this.#ctx = ctx;
  }

  /** The nested provisions, compiled on first use. A nested provision without `type` means the opposite of this one. */
  get children(): readonly CompiledProvision[] {
    if (this.compiled === undefined) {
      let next = this.id + 1;
      const effect = this.effect;
      this.compiled = this.#nested.map((child, i) => {
        const compiled = new CompiledProvision(child, `${this.#rawPath}.provision[${i}]`, this, child.type ?? (effect === undefined ? undefined : opposite(effect)), this.#ctx, next);
        next += countProvisions(child);
        return compiled;
      });
    }
    return this.compiled;
  }
}

/**
 * Compiles a provision tree, reserving an id for each of its provisions. A nested provision without
 * `type` means the opposite of its parent (LEAP's exception convention; R5 provisions are exceptions
 * to the decision).
 *
 * @param p - the root provision
 * @param path - its path (`provision`), replaced by an R5 source path when the mapper recorded one
 * @param effect - its effect (from `type` or the policy base)
 * @param ctx - interning tables, the consent (contained resources), the actor directory, the Part 2 options
 * @returns the compiled root (its subtree compiles when first reached)
 */
export function compileProvision(p: ConsentProvision, path: string, effect: Effect | undefined, ctx: ProvisionCompileContext): CompiledProvision {
  const id = ctx.table.provisions;
  ctx.table.provisions += countProvisions(p);
  return new CompiledProvision(p, path, undefined, effect, ctx, id);
}

/** A request prepared for evaluation: codes looked up, identities resolved, the clock fixed. */
export interface PreparedRequest {
  readonly at: InstantRange;
  /** `[action]`, or `undefined` when not stated (a deny applies to every action). */
  readonly action: readonly ResolvedCode[] | undefined;
  /** `[disclose]`: what a permit reads an unstated action as. */
  readonly disclose: readonly ResolvedCode[];
  readonly purposeOfUse: readonly ResolvedCode[];
  readonly securityLabel: readonly ResolvedCode[] | undefined;
  readonly class: readonly ResolvedCode[] | undefined;
  readonly code: readonly ResolvedCode[] | undefined;
  readonly data: readonly string[] | undefined;
  readonly dataPeriod: { readonly low: number; readonly high: number } | undefined;
  readonly actors: readonly NumberedIdentity[];
  readonly disclosers: readonly NumberedIdentity[];
}

function inPeriod(at: InstantRange, period: CompiledPeriod, permit: boolean): ProvisionMismatch | undefined {
  if (period.unreadable && permit) return 'unreadable-period';
  if (at.low < period.low) return 'before-period';
  if (at.high > period.high) return 'after-period';
  return undefined;
}

/** 0: the criterion excludes the request; 1: it holds; 2: the request left it open. */
function codeCriterion(m: CodeMatcher, requested: readonly ResolvedCode[] | undefined, wanted: number, s: DecisionState): 0 | 1 | 2 {
  if (requested === undefined) return 2;
  return (codeResult(m, requested, s) & wanted) === 0 ? 0 : 1;
}

/** The data criteria against the request: -1 mismatch, else the mask of criteria the request left open. */
function dataCriteria(p: CompiledProvision, req: PreparedRequest, permit: boolean, s: DecisionState): number {
  let mask = 0;
  const wanted = permit ? PERMIT_ANY : DENY;
  if (p.securityLabel) {
    const r = codeCriterion(p.securityLabel, req.securityLabel, wanted, s);
    if (r === 0) return -1;
    if (r === 2) mask |= OPEN_LABEL;
  }
  if (p.class) {
    const r = codeCriterion(p.class, req.class, wanted, s);
    if (r === 0) return -1;
    if (r === 2) mask |= OPEN_CLASS;
  }
  if (p.code) {
    const r = codeCriterion(p.code, req.code, wanted, s);
    if (r === 0) return -1;
    if (r === 2) mask |= OPEN_CODE;
  }
  if (p.data) {
    if (req.data === undefined) mask |= OPEN_DATA;
    else {
      const refs = p.data.refs;
      const equal = req.data.some((r) => refs.includes(r));
      // related / dependents / authoredby need the resource graph: a deny applies to any stated data.
      const unknown = !permit && p.data.graph && req.data.length > 0;
      if (!equal && !unknown) return -1;
    }
  }
  const dp = p.dataPeriod;
  if (dp) {
    const r = req.dataPeriod;
    if (r === undefined) mask |= OPEN_PERIOD;
    else if (dp.unreadable) {
      if (permit) return -1;
    } else if (r.high < dp.low || r.low > dp.high) return -1;
    else if (!(r.low >= dp.low && r.high <= dp.high)) mask |= OPEN_PERIOD;
  }
  return mask;
}

/**
 * Evaluates a provision and its subtree against a request, recording in `state` which provisions
 * apply, for which data, and whether the request's recipient was named.
 *
 * @param p - the compiled provision
 * @param req - the prepared request
 * @param s - the decision's state
 * @returns why the provision did not apply, or `undefined` when it applies
 */
export function evaluateCompiled(p: CompiledProvision, req: PreparedRequest, s: DecisionState): ProvisionMismatch | undefined {
  const permit = p.permit;
  if (p.period) {
    const miss = inPeriod(req.at, p.period, permit);
    if (miss) return miss;
  }
  let named = false;
  if (p.recipients) {
    if (req.actors.length === 0) {
      if (permit) return 'actor';
    } else {
      const bits = actorResult(p.recipients, req.actors, s);
      if ((bits & (permit ? PERMIT_ANY : DENY)) === 0) return 'actor';
      named = (bits & PERMIT_ANY) !== 0;
    }
  }
  // A request that does not say who discloses is made by the discloser itself (a permit applies);
  // a deny naming a source applies unless the stated discloser is positively someone else.
  if (p.sources && req.disclosers.length > 0) {
    const bits = actorResult(p.sources, req.disclosers, s);
    if ((bits & (permit ? PERMIT_ANY : DENY)) === 0) return 'discloser';
  }
  if (p.action && (permit || req.action !== undefined)) {
    const bits = codeResult(p.action, req.action ?? req.disclose, s);
    if ((bits & (permit ? PERMIT_ANY : DENY)) === 0) return 'action';
  }
  if (p.purpose) {
    if (req.purposeOfUse.length === 0) {
      if (permit) return 'purpose';
    } else if ((codeResult(p.purpose, req.purposeOfUse, s) & (permit ? PERMIT_ALL : DENY)) === 0) return 'purpose';
  }
  if (p.unsupported && permit) return 'unsupported';
  const mask = p.hasData ? dataCriteria(p, req, permit, s) : 0;
  if (mask < 0) return 'data';
  const id = p.id;
  s.stateAt[id] = s.generation;
  s.state[id] = mask === 0 ? APPLIES : OPEN;
  s.named[id] = named ? 1 : 0;
  const opensBefore = s.opens;
  if (mask !== 0) {
    s.partial[id] = openScopeOf(s.table, p, mask);
    s.opens += 1;
  }
  // The deciding provision, computed on the way back (see `decidingProvision`).
  let first: CompiledProvision | undefined;
  let preferred: CompiledProvision | undefined;
  const children = p.compiled ?? p.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i] as CompiledProvision;
    if (evaluateCompiled(child, req, s) !== undefined || s.state[child.id] !== APPLIES) continue;
    const r = s.decided[child.id] as CompiledProvision | undefined;
    if (r === undefined) continue;
    first ??= r;
    if (preferred === undefined && r.effect === s.prefer) preferred = r;
  }
  s.decided[id] = preferred ?? first ?? (p.effect === undefined ? undefined : p);
  s.openBelow[id] = s.opens > opensBefore ? 1 : 0;
  return undefined;
}

/**
 * The provision that decides the data an applicable provision (and its applicable descendants)
 * fully cover, as {@link evaluateCompiled} recorded it: the most specific with an effect wins;
 * siblings in conflict resolve by the consent's strategy.
 *
 * @param p - a provision evaluated in this decision
 * @param s - the decision's state
 * @returns the deciding provision, or `undefined` when it does not apply or none has an effect
 */
export function decidedBy(p: CompiledProvision, s: DecisionState): CompiledProvision | undefined {
  return provisionState(s, p.id) === 0 ? undefined : (s.decided[p.id] as CompiledProvision | undefined);
}

/** A data subset whose decision differs from the decision around it. */
export interface ScopedEffect {
  readonly effect: Effect;
  /** Every scope must hold (outermost first). */
  readonly scopes: readonly OpenScope[];
  /** The provision that decided the subset (its chain is its ancestors). */
  readonly end: CompiledProvision;
  /** For a single-scope subset (shared between decisions): its redact or limit-to obligation, built once (see obligations.ts). */
  obligation: unknown;
}

/**
 * Walks the open (partial) provisions: a `deny` subset under a `permit` context must be redacted; a
 * `permit` subset under a `deny` (or no) context is the only data that may go. Subtrees where
 * every applicable provision covers all the requested data are skipped.
 *
 * @param children - the children to walk
 * @param context - the effect around them
 * @param scopes - the open scopes of the enclosing provisions
 * @param s - the decision's state
 * @param out - collects the subsets
 */
export function scopedEffects(children: readonly CompiledProvision[], context: Effect | undefined, scopes: readonly OpenScope[], s: DecisionState, out: ScopedEffect[]): void {
  for (let i = 0; i < children.length; i++) {
    const child = children[i] as CompiledProvision;
    const id = child.id;
    if (s.stateAt[id] !== s.generation || s.openBelow[id] === 0) continue;
    const decided = s.decided[id] as CompiledProvision | undefined;
    const nested = child.compiled ?? child.children;
    if (s.state[id] === OPEN) {
      const effect = decided?.effect ?? context;
      const open = s.partial[id] as OpenScope;
      const childScopes = scopes.length === 0 ? open.alone : [...scopes, open];
      if (effect !== undefined && effect !== context && (effect === 'deny' ? context === 'permit' : true)) {
        out.push(scopedEffect(effect, childScopes, decided ?? child, scopes.length === 0 ? open : undefined));
      }
      scopedEffects(nested, effect, childScopes, s, out);
    } else {
      scopedEffects(nested, decided?.effect ?? context, scopes, s, out);
    }
  }
}

/** A subset's effect; the common one (one open scope) is built once per deciding provision, effect and scope. */
function scopedEffect(effect: Effect, scopes: readonly OpenScope[], end: CompiledProvision, alone: OpenScope | undefined): ScopedEffect {
  if (alone === undefined) return { effect, scopes, end, obligation: undefined };
  const last = end.lastScoped;
  if (last !== undefined && last.effect === effect && last.scopes === scopes) return last;
  const key = alone.id * 2 + (effect === 'deny' ? 1 : 0);
  let known = end.moreScoped?.get(key);
  if (!known) {
    known = { effect, scopes, end, obligation: undefined };
    (end.moreScoped ??= new Map()).set(key, known);
  }
  end.lastScoped = known;
  return known;
}

/**
 * `true` when some provision from the root down to `end` satisfies `test`.
 *
 * @param end - the last provision of the chain
 * @param test - the condition
 * @returns whether any provision of the chain satisfies it
 */
export function chainSome(end: CompiledProvision, test: (p: CompiledProvision) => boolean): boolean {
  for (let p: CompiledProvision | undefined = end; p; p = p.parent) if (test(p)) return true;
  return false;
}
