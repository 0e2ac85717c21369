/**
 * A Consent's provision tree compiled once into predicates (interned code and actor matchers,
 * parsed periods), and its evaluation against one request. A deny provision applies unless the
 * request positively falls outside it; a permit applies only when the request positively falls
 * inside it (docs/consent-and-part2.md, semantics table). Internal to the consent engine.
 *
 * See: reference/fhir-mapping.md §5 (LEAP evaluates first-level provisions on purpose, actor and
 * class; PeerKit evaluates every level and every criterion).
 */
import type { Consent, ConsentProvision } from 'fhir/r4';
import { SOURCE_ROLES, toCodes, type Code } from '../internal/codes';
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
  type OpenScope,
} from './compile-matchers';
import type { ConflictStrategy, DataScope, Effect } from './provision';
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

/** A period parsed once; `unreadable` when a bound is not a FHIR date. */
export interface CompiledPeriod {
  /** The bounds as written. */
  readonly bounds: { readonly start?: string; readonly end?: string };
  readonly low: number;
  readonly high: number;
  readonly unreadable: boolean;
}

/** One provision, compiled. */
export interface CompiledProvision {
  /** Index into the per-decision state of the compiled set. */
  readonly id: number;
  /** `provision.provision[1]`, or the source path of an R5 element. */
  readonly path: string;
  readonly parent: CompiledProvision | undefined;
  readonly effect: Effect | undefined;
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
  /** For Part 2 coverage: the provision's own purposes and labels. */
  readonly purposes: readonly Code[];
  readonly labels: readonly Code[];
  /** The data criteria a request may leave open, by mask of OPEN_* bits (built once). */
  readonly openScopes: readonly (OpenScope | undefined)[];
  readonly children: readonly CompiledProvision[];
}

const OPEN_LABEL = 1;
const OPEN_CLASS = 2;
const OPEN_CODE = 4;
const OPEN_DATA = 8;
const OPEN_PERIOD = 16;

function openScopesOf(table: MatcherTable, p: Omit<CompiledProvision, 'openScopes' | 'children'>): (OpenScope | undefined)[] {
  const present =
    (p.securityLabel ? OPEN_LABEL : 0) | (p.class ? OPEN_CLASS : 0) | (p.code ? OPEN_CODE : 0) | (p.data ? OPEN_DATA : 0) | (p.dataPeriod ? OPEN_PERIOD : 0);
  const out: (OpenScope | undefined)[] = [];
  for (let mask = 1; mask < 32; mask++) {
    if ((mask & ~present) !== 0) continue;
    const scope: { -readonly [K in keyof DataScope]: DataScope[K] } = {};
    if (mask & OPEN_LABEL && p.securityLabel) scope.securityLabel = p.securityLabel.codes;
    if (mask & OPEN_CLASS && p.class) scope.class = p.class.codes;
    if (mask & OPEN_CODE && p.code) scope.code = p.code.codes;
    if (mask & OPEN_DATA && p.data) scope.data = p.data.refs;
    if (mask & OPEN_PERIOD && p.dataPeriod) scope.dataPeriod = p.dataPeriod.bounds;
    out[mask] = internScope(table, scope);
  }
  return out;
}

function compilePeriod(period: { start?: string | undefined; end?: string | undefined } | undefined): CompiledPeriod | undefined {
  if (!period || (period.start === undefined && period.end === undefined)) return undefined;
  const s = period.start === undefined ? undefined : toRange(period.start);
  const e = period.end === undefined ? undefined : toRange(period.end);
  return {
    bounds: { ...(period.start === undefined ? {} : { start: period.start }), ...(period.end === undefined ? {} : { end: period.end }) },
    low: s?.low ?? Number.NEGATIVE_INFINITY,
    high: e?.high ?? Number.POSITIVE_INFINITY,
    unreadable: (period.start !== undefined && !s) || (period.end !== undefined && !e),
  };
}

/**
 * `true` for an actor marked as a general designation by PeerKit's `recipient-type` extension (any
 * canonical base): a class of persons, allowed for a single TPO consent (42 CFR §2.31(a)(4)).
 */
export function isGeneralDesignation(actor: NonNullable<ConsentProvision['actor']>[number]): boolean {
  return (actor.extension ?? []).some((e) => e.url.endsWith('/StructureDefinition/recipient-type') && e.valueCoding?.code === 'general-designation');
}

/** What compiling a provision needs. */
export interface ProvisionCompileContext {
  readonly table: MatcherTable;
  readonly vocabulary: CodeVocabulary;
  readonly consent: Consent;
  readonly directory: ActorDirectory;
}

const opposite = (e: Effect): Effect => (e === 'permit' ? 'deny' : 'permit');

/**
 * Compiles a provision tree. A nested provision without `type` means the opposite of its parent
 * (LEAP's exception convention; R5 provisions are exceptions to the decision).
 *
 * @param p - the provision
 * @param path - its path (`provision`), replaced by an R5 source path when the mapper recorded one
 * @param parent - the compiled parent
 * @param effect - its effect (the root's comes from `type` or the policy base)
 * @param ctx - interning tables, the consent (contained resources), the actor directory
 * @returns the compiled provision and its subtree
 */
export function compileProvision(
  p: ConsentProvision,
  path: string,
  parent: CompiledProvision | undefined,
  effect: Effect | undefined,
  ctx: ProvisionCompileContext,
): CompiledProvision {
  const { table } = ctx;
  const source = p.extension?.find((e) => e.url === SOURCE_PATH_EXTENSION)?.valueString;
  const actors = p.actor ?? [];
  const isSource = (a: (typeof actors)[number]): boolean => toCodes(a.role?.coding).some((c) => SOURCE_ROLES.includes(c.code));
  // Actors in recipient roles, and in roles PeerKit does not know, constrain the recipient; a general
  // designation ("my treating providers", a class of persons) names no one and constrains nothing.
  const recipients = actors.filter((a) => !isSource(a) && !isGeneralDesignation(a)).map((a) => identifyReference(a.reference, ctx.consent, ctx.directory));
  const sources = actors.filter(isSource).map((a) => identifyReference(a.reference, ctx.consent, ctx.directory));
  const refs = (p.data ?? []).map((d) => d.reference?.reference).filter((r): r is string => r !== undefined).map(normalizeReference);
  const node: { -readonly [K in keyof CompiledProvision]: CompiledProvision[K] } = {
    id: table.provisions++,
    path: source ?? path,
    parent,
    effect,
    period: compilePeriod(p.period),
    recipients: internActors(table, 'recipient', recipients),
    sources: internActors(table, 'discloser', sources),
    action: internCodes(table, ctx.vocabulary, 'action', (p.action ?? []).flatMap((cc) => toCodes(cc.coding))),
    purpose: internCodes(table, ctx.vocabulary, 'purpose', toCodes(p.purpose)),
    securityLabel: internCodes(table, ctx.vocabulary, 'securityLabel', toCodes(p.securityLabel)),
    class: internCodes(table, ctx.vocabulary, 'class', toCodes(p.class)),
    code: internCodes(table, ctx.vocabulary, 'code', (p.code ?? []).flatMap((cc) => toCodes(cc.coding))),
    data: (p.data ?? []).length === 0 ? undefined : { refs, graph: (p.data ?? []).some((d) => d.meaning !== 'instance') },
    dataPeriod: compilePeriod(p.dataPeriod),
    unsupported: (p.extension ?? []).some((e) => e.url === UNSUPPORTED_CRITERION_EXTENSION),
    purposes: toCodes(p.purpose),
    labels: toCodes(p.securityLabel),
    openScopes: [],
    children: [],
  };
  node.openScopes = openScopesOf(table, node);
  node.children = (p.provision ?? []).map((child, i) =>
    compileProvision(child, `${path}.provision[${i}]`, node, child.type ?? (effect === undefined ? undefined : opposite(effect)), ctx),
  );
  return node;
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
  readonly actors: readonly ActorIdentity[];
  readonly disclosers: readonly ActorIdentity[];
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
  const permit = p.effect === 'permit';
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
  const mask = dataCriteria(p, req, permit, s);
  if (mask < 0) return 'data';
  s.stateAt[p.id] = s.generation;
  s.state[p.id] = mask === 0 ? APPLIES : OPEN;
  s.named[p.id] = named ? 1 : 0;
  if (mask !== 0) {
    s.partial[p.id] = p.openScopes[mask];
    s.opens += 1;
  }
  for (const child of p.children) evaluateCompiled(child, req, s);
  return undefined;
}

/**
 * The provision that decides the data every applicable provision fully covers: the most specific
 * wins; siblings in conflict resolve by the strategy.
 *
 * @param children - the applicable children to consider
 * @param owner - the provision they belong to (`undefined` for the virtual parent of the root)
 * @param s - the decision's state
 * @param strategy - how siblings in conflict resolve
 * @returns the deciding provision, or `undefined` when none has an effect
 */
export function decidingProvision(
  children: readonly CompiledProvision[],
  owner: CompiledProvision | undefined,
  s: DecisionState,
  strategy: ConflictStrategy,
): CompiledProvision | undefined {
  const prefer: Effect = strategy === 'permit-overrides' ? 'permit' : 'deny';
  let first: CompiledProvision | undefined;
  let preferred: CompiledProvision | undefined;
  for (const child of children) {
    if (provisionState(s, child.id) !== APPLIES) continue;
    const r = decidingProvision(child.children, child, s, strategy);
    if (!r) continue;
    first ??= r;
    if (preferred === undefined && r.effect === prefer) preferred = r;
  }
  const decided = preferred ?? first;
  if (decided) return decided;
  return owner?.effect === undefined ? undefined : owner;
}

/** A data subset whose decision differs from the decision around it. */
export interface ScopedEffect {
  readonly effect: Effect;
  /** Every scope must hold (outermost first). */
  readonly scopes: readonly OpenScope[];
  /** The provision that decided the subset (its chain is its ancestors). */
  readonly end: CompiledProvision;
}

/**
 * Walks the open (partial) provisions: a `deny` subset under a `permit` context must be redacted; a
 * `permit` subset under a `deny` (or no) context is the only data that may go.
 *
 * @param children - the children to walk
 * @param context - the effect around them
 * @param scopes - the open scopes of the enclosing provisions
 * @param s - the decision's state
 * @param strategy - how siblings in conflict resolve
 * @param out - collects the subsets
 */
export function scopedEffects(
  children: readonly CompiledProvision[],
  context: Effect | undefined,
  scopes: readonly OpenScope[],
  s: DecisionState,
  strategy: ConflictStrategy,
  out: ScopedEffect[],
): void {
  for (const child of children) {
    const state = provisionState(s, child.id);
    if (state === 0) continue;
    const decided = decidingProvision(child.children, child, s, strategy);
    if (state === OPEN) {
      const effect = decided?.effect ?? context;
      const open = s.partial[child.id] as OpenScope;
      const childScopes = scopes.length === 0 ? open.alone : [...scopes, open];
      if (effect !== undefined && effect !== context && (effect === 'deny' ? context === 'permit' : true)) {
        out.push({ effect, scopes: childScopes, end: decided ?? child });
      }
      scopedEffects(child.children, effect, childScopes, s, strategy, out);
    } else {
      scopedEffects(child.children, decided?.effect ?? context, scopes, s, strategy, out);
    }
  }
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

/**
 * Walks a compiled tree (for findings and statistics).
 *
 * @param p - the root
 * @param visit - called on every provision
 */
export function walkCompiled(p: CompiledProvision, visit: (p: CompiledProvision) => void): void {
  visit(p);
  for (const c of p.children) walkCompiled(c, visit);
}
