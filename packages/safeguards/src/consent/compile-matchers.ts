/**
 * The predicates of a compiled consent set: every distinct code list and actor list of its
 * provisions is interned once as a matcher, and a decision computes each matcher at most once
 * (memoized in a state reused across decisions, made current by a generation stamp). Internal to
 * the consent engine.
 *
 * See: docs/consent-and-part2.md (semantics table).
 */
import type { Code } from '../internal/codes';
import { compareIdentities, type ActorIdentity } from './actors';
import { codeKey, MATCH_COVERED, MATCH_DENY, relateToList, resolveCode, type CodeCriterion, type CodeVocabulary, type ResolvedCode } from './compile-codes';
import type { DataScope } from './provision';

/** Codes of one criterion of one provision, interned: equal lists share one matcher. */
export interface CodeMatcher {
  readonly id: number;
  readonly criterion: CodeCriterion;
  readonly codes: readonly Code[];
  /** The codes looked up in the vocabulary once. */
  readonly resolved: readonly ResolvedCode[];
  /** Relation bits of request codes already met, by code number (a memo of a pure function). */
  readonly byId: number[];
  /** The same for codes without a number, by `system|code` (bounded; created on first use). */
  seen: Map<string, number> | undefined;
}

/** The actors of one provision in recipient (or source) roles, interned. */
export interface ActorMatcher {
  readonly id: number;
  readonly side: 'recipient' | 'discloser';
  readonly identities: readonly ActorIdentity[];
  /** Relation bits of request actors already met, by their number (a memo of a pure function). */
  readonly byId: number[];
}

/** A request actor's identity with the number its compiled set gave it (-1: not numbered). */
export interface NumberedIdentity extends ActorIdentity {
  readonly id: number;
}

/**
 * The key of an identity's content: equal keys, equal identities.
 *
 * @param i - the identity
 * @returns its key
 */
export function identityKey(i: ActorIdentity): string {
  let key = `${i.references.length}`;
  for (const r of i.references) key += `|${r.length}:${r}`;
  for (const x of i.identifiers) key += `#${codeKey(x.system, x.value ?? '')}`;
  return key;
}

/** Interning tables shared by every consent of a compiled set. */
export interface MatcherTable {
  readonly codes: Map<string, CodeMatcher>;
  readonly actors: Map<string, ActorMatcher>;
  /** Open data scopes, by content. */
  readonly scopes: Map<string, OpenScope>;
  /** Number of matchers (code and actor): the size of the per-decision memo. */
  size: number;
  /** Number of provisions: the size of the per-decision state. */
  provisions: number;
}

/**
 * Creates empty interning tables.
 *
 * @returns the tables
 */
export function createMatcherTable(): MatcherTable {
  return { codes: new Map(), actors: new Map(), scopes: new Map(), size: 0, provisions: 0 };
}

/** Interns a provision's code list for one criterion (equal lists share one matcher). */
export function internCodes(table: MatcherTable, vocabulary: CodeVocabulary, criterion: CodeCriterion, codes: readonly Code[]): CodeMatcher | undefined {
  if (codes.length === 0) return undefined;
  let key: string = criterion;
  for (const c of codes) key += `\u0000${codeKey(c.system, c.code)}`;
  let m = table.codes.get(key);
  if (!m) {
    m = { id: table.size++, criterion, codes, resolved: codes.map((c) => resolveCode(vocabulary, criterion, c)), byId: [], seen: undefined };
    table.codes.set(key, m);
  }
  return m;
}

/** Interns a provision's actor identities for one side (equal lists share one matcher). */
export function internActors(table: MatcherTable, side: ActorMatcher['side'], identities: readonly ActorIdentity[]): ActorMatcher | undefined {
  if (identities.length === 0) return undefined;
  const key = `${side}\u0000${identities.map(identityKey).sort().join('\u0000')}`;
  let m = table.actors.get(key);
  if (!m) {
    m = { id: table.size++, side, identities, byId: [] };
    table.actors.set(key, m);
  }
  return m;
}

/** Data criteria a request left open, interned per provision and mask. */
export interface OpenScope {
  /** Index into the per-decision de-duplication stamps. */
  readonly id: number;
  readonly scope: DataScope;
  /** Its content as a key: equal scopes of different provisions share one OpenScope. */
  readonly key: string;
  /** The scope's security label, class and code codes (for display). */
  readonly codes: readonly Code[];
  /** `[this]` and `[scope]`, allocated once. */
  readonly alone: readonly OpenScope[];
  readonly scopes: readonly DataScope[];
}

/**
 * Interns a data scope by content.
 *
 * @param table - the compiled set's tables
 * @param scope - the criteria a request may leave open
 * @returns the shared OpenScope for that content
 */
export function internScope(table: MatcherTable, scope: DataScope): OpenScope {
  const key = JSON.stringify(scope);
  let o = table.scopes.get(key);
  if (!o) {
    const alone: OpenScope[] = [];
    // Shared by every decision (and their obligations): frozen.
    o = { id: table.scopes.size, scope, key, codes: Object.freeze([...(scope.securityLabel ?? []), ...(scope.class ?? []), ...(scope.code ?? [])]), alone, scopes: Object.freeze([scope]) };
    alone.push(o);
    table.scopes.set(key, o);
  }
  return o;
}

/**
 * Per-decision state, reused across the decisions of one compiled set: a value is current only
 * when its generation stamp equals `generation` (so nothing is cleared between decisions).
 */
export interface DecisionState {
  /** The compiled set's tables (open scopes are interned when first met). */
  readonly table: MatcherTable;
  generation: number;
  /** Per matcher: its result bits (COMPUTED | DENY | PERMIT_ANY | PERMIT_ALL); grows as provisions compile. */
  memo: Uint8Array;
  memoAt: Uint32Array;
  /** Per provision: 1 applicable, 2 applicable for part of the data (open); stale = not applicable. */
  readonly state: Uint8Array;
  /** Per provision: the request's recipient matched one of its recipient actors by identity. */
  readonly named: Uint8Array;
  readonly stateAt: Uint32Array;
  /** Per provision: the data criteria the request left open. */
  readonly partial: (OpenScope | undefined)[];
  /**
   * Per applicable provision: the provision that decides the data it and its applicable descendants
   * fully cover (the most specific with an effect; siblings in conflict resolve by `prefer`), or
   * `undefined` when none has an effect. Typed by compile-provision.ts.
   */
  readonly decided: unknown[];
  /** Per applicable provision: 1 when it or a descendant applies only to part of the data. */
  readonly openBelow: Uint8Array;
  /** The effect preferred between siblings in conflict, for the consent being evaluated. */
  prefer: 'permit' | 'deny';
  /** How many provisions applied only to part of the data in this decision so far. */
  opens: number;
  /** Per open scope: the generation it last produced an obligation in (de-duplication; grows with the scopes). */
  scopeAt: Uint32Array;
}

/**
 * Creates the reusable state of a compiled set's decisions.
 *
 * @param table - the compiled set's tables
 * @returns state for {@link beginDecision}
 */
export function createDecisionState(table: MatcherTable): DecisionState {
  return {
    table,
    generation: 0,
    memo: new Uint8Array(table.size),
    memoAt: new Uint32Array(table.size),
    state: new Uint8Array(table.provisions),
    named: new Uint8Array(table.provisions),
    stateAt: new Uint32Array(table.provisions),
    partial: new Array<OpenScope | undefined>(table.provisions).fill(undefined),
    decided: new Array<unknown>(table.provisions),
    openBelow: new Uint8Array(table.provisions),
    prefer: 'deny',
    opens: 0,
    scopeAt: new Uint32Array(table.scopes.size),
  };
}

/**
 * Starts a decision: every memo and provision state of earlier decisions becomes stale.
 *
 * @param s - the state
 */
export function beginDecision(s: DecisionState): void {
  s.generation = s.generation >= 0xfffffffe ? 1 : s.generation + 1;
  if (s.generation === 1) {
    s.memoAt.fill(0);
    s.stateAt.fill(0);
    s.scopeAt.fill(0);
  }
  s.opens = 0;
}

/**
 * A provision's state in the current decision.
 *
 * @param s - the state
 * @param id - the provision's id
 * @returns 0 not applicable, 1 applicable, 2 applicable for part of the data
 */
export function provisionState(s: DecisionState, id: number): number {
  return s.stateAt[id] === s.generation ? (s.state[id] ?? 0) : 0;
}

/**
 * Whether the request's recipient matched a provision's recipient actors in the current decision.
 *
 * @param s - the state
 * @param id - the provision's id
 * @returns `true` when it did
 */
export function recipientNamed(s: DecisionState, id: number): boolean {
  return s.stateAt[id] === s.generation && s.named[id] === 1;
}

/** Matcher result bits: computed, a deny applies, a permit applies (any / every request code covered). */
export const COMPUTED = 1;
export const DENY = 2;
export const PERMIT_ANY = 4;
export const PERMIT_ALL = 8;
/** Provision states: applicable, applicable for part of the data. */
export const APPLIES = 1;
export const OPEN = 2;


/** Makes room in the memo for matchers interned since it was sized (nested provisions compile on first use). */
function growMemo(s: DecisionState): void {
  const size = Math.max(s.table.size, s.memo.length * 2);
  const memo = new Uint8Array(size);
  const memoAt = new Uint32Array(size);
  memo.set(s.memo);
  memoAt.set(s.memoAt);
  s.memo = memo;
  s.memoAt = memoAt;
}

/** Most request codes a matcher remembers its relation to. */
const SEEN_LIMIT = 512;

/** A code matcher's result bits for the request's codes (resolved for its criterion), memoized for the decision. */
export function codeResult(m: CodeMatcher, request: readonly ResolvedCode[], s: DecisionState): number {
  if (m.id >= s.memo.length) growMemo(s);
  if (s.memoAt[m.id] === s.generation) return s.memo[m.id] ?? 0;
  let deny = false;
  let any = false;
  let all = request.length > 0;
  for (let i = 0; i < request.length; i++) {
    const r = request[i] as ResolvedCode;
    let bits: number;
    if (r.id >= 0) {
      const known = m.byId[r.id];
      if (known === undefined) {
        bits = relateToList(m.criterion, m.resolved, r);
        m.byId[r.id] = bits;
      } else bits = known;
    } else {
      const seen = (m.seen ??= new Map());
      const known = seen.get(r.key);
      if (known === undefined) {
        bits = relateToList(m.criterion, m.resolved, r);
        if (seen.size < SEEN_LIMIT) seen.set(r.key, bits);
      } else bits = known;
    }
    if (bits & MATCH_DENY) deny = true;
    if (bits & MATCH_COVERED) any = true;
    else all = false;
  }
  const result = COMPUTED | (deny ? DENY : 0) | (any ? PERMIT_ANY : 0) | (all ? PERMIT_ALL : 0);
  s.memo[m.id] = result;
  s.memoAt[m.id] = s.generation;
  return result;
}

/** An actor matcher's result bits for the request's actors, memoized for the decision. */
export function actorResult(m: ActorMatcher, request: readonly NumberedIdentity[], s: DecisionState): number {
  if (m.id >= s.memo.length) growMemo(s);
  if (s.memoAt[m.id] === s.generation) return s.memo[m.id] ?? 0;
  let bits = COMPUTED;
  for (let i = 0; i < request.length; i++) {
    const r = request[i] as NumberedIdentity;
    if (r.id < 0) bits |= relateActor(m, r);
    else {
      let known = m.byId[r.id];
      if (known === undefined) {
        known = relateActor(m, r);
        m.byId[r.id] = known;
      }
      bits |= known;
    }
  }
  s.memo[m.id] = bits;
  s.memoAt[m.id] = s.generation;
  return bits;
}

/** The bits of one request actor against a matcher's identities: named (PERMIT_ANY | DENY), maybe (DENY), or none. */
function relateActor(m: ActorMatcher, r: ActorIdentity): number {
  let bits = 0;
  for (const a of m.identities) {
    const relation = compareIdentities(a, r);
    if (relation === 'same') bits |= PERMIT_ANY | DENY;
    else if (relation === 'unknown') bits |= DENY;
  }
  return bits;
}
