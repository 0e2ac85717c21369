/**
 * Evaluation of one Consent's provision tree against a request: every level, every criterion.
 * Internal to the consent engine (see decide.ts for the semantics it implements).
 */
import type { Consent, ConsentProvision, Identifier, Reference } from 'fhir/r4';
import {
  intersects,
  normalizeSystem,
  sameCode,
  SOURCE_ROLES,
  toCodes,
  type Code,
} from '../internal/codes';
import { periodOverlap, positionIn, type InstantRange } from '../internal/dates';
import type { DisclosureRequest, RequestActor, RequestIdentifier } from './request';

/** A provision effect. */
export type Effect = 'permit' | 'deny';

/** Which conflict strategy combines provisions at the same level and consents. */
export type ConflictStrategy = 'deny-overrides' | 'permit-overrides' | 'most-recent';

/**
 * The part of the requested data a provision controls, when the request did not say enough to
 * settle it: every criterion listed must hold (AND); within one criterion any code matches (OR).
 */
export interface DataScope {
  readonly securityLabel?: readonly Code[];
  readonly class?: readonly Code[];
  readonly code?: readonly Code[];
  readonly data?: readonly string[];
  readonly dataPeriod?: { readonly start?: string; readonly end?: string };
}

/** Identifiers a host resolves for a literal reference (`Organization/123`), as LEAP fetches them. */
export type ReferenceResolver = (reference: string) => readonly Identifier[] | undefined;

/** What the evaluation needs besides the provision. */
export interface EvalContext {
  readonly request: DisclosureRequest;
  readonly at: InstantRange;
  readonly consent: Consent;
  readonly strategy: ConflictStrategy;
  readonly resolve?: ReferenceResolver | undefined;
}

/** An applicable provision. */
export interface Node {
  readonly path: string;
  readonly effect: Effect | undefined;
  /** Data criteria the request left open; `undefined` when the request settled them all. */
  readonly partial: DataScope | undefined;
  /** The request's recipient matched one of this provision's recipient actors by identity. */
  readonly recipientNamed: boolean;
  readonly purposes: readonly Code[];
  readonly labels: readonly Code[];
  readonly children: readonly Node[];
}

/** Why a provision did not apply. */
export type Mismatch = 'before-period' | 'after-period' | 'actor' | 'discloser' | 'action' | 'purpose' | 'data';

/** The result of evaluating one provision. */
export type NodeResult = { readonly node: Node } | { readonly mismatch: Mismatch; readonly path: string };

const opposite = (e: Effect): Effect => (e === 'permit' ? 'deny' : 'permit');

/** `Patient/1`, `https://x/fhir/Patient/1` and `Patient/1/_history/2` name the same resource. */
export function normalizeReference(reference: string): string {
  const noHistory = reference.replace(/\/_history\/[^/]+$/, '');
  const match = /([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})$/.exec(noHistory);
  return match?.[1] ?? noHistory;
}

/** `true` when two identifiers are the same: same value and, when both say, the same system. */
export function sameIdentifier(a: RequestIdentifier | Identifier, b: RequestIdentifier | Identifier): boolean {
  if (a.value === undefined || b.value === undefined || a.value !== b.value) return false;
  const sa = normalizeSystem(a.system);
  const sb = normalizeSystem(b.system);
  return sa === undefined || sb === undefined || sa === sb;
}

/** Identifiers a reference stands for: its own, a contained resource's, or the host resolver's. */
export function referenceIdentifiers(ref: Reference | undefined, consent: Consent, resolve?: ReferenceResolver): Identifier[] {
  if (!ref) return [];
  const ids: Identifier[] = [];
  if (ref.identifier) ids.push(ref.identifier);
  const literal = ref.reference;
  if (literal?.startsWith('#')) {
    const contained = consent.contained?.find((r) => r.id === literal.slice(1)) as { identifier?: Identifier[] } | undefined;
    ids.push(...(contained?.identifier ?? []));
  } else if (literal !== undefined && resolve) {
    ids.push(...(resolve(literal) ?? []));
  }
  return ids;
}

/** `true` when a request actor and a consent reference name the same party. */
export function actorMatches(actor: RequestActor, ref: Reference | undefined, consent: Consent, resolve?: ReferenceResolver): boolean {
  if (!ref) return false;
  if (actor.reference !== undefined && ref.reference !== undefined && !ref.reference.startsWith('#')) {
    if (normalizeReference(actor.reference) === normalizeReference(ref.reference)) return true;
  }
  const ids = referenceIdentifiers(ref, consent, resolve);
  return actor.identifier.some((a) => ids.some((b) => sameIdentifier(a, b)));
}

function roleCodes(actor: NonNullable<ConsentProvision['actor']>[number]): Code[] {
  return toCodes(actor.role?.coding);
}

/**
 * `true` for an actor marked as a general designation by PeerKit's `recipient-type` extension (any
 * canonical base): a class of persons, allowed for a single TPO consent (42 CFR §2.31(a)(4)).
 */
export function isGeneralDesignation(actor: NonNullable<ConsentProvision['actor']>[number]): boolean {
  return (actor.extension ?? []).some(
    (e) => e.url.endsWith('/StructureDefinition/recipient-type') && e.valueCoding?.code === 'general-designation',
  );
}

function hasRole(codes: readonly Code[], roles: readonly string[]): boolean {
  return codes.some((c) => roles.includes(c.code));
}

/** Data criteria of a provision against the request's data: all / none / some (left open). */
type DataMatch = { readonly kind: 'all' } | { readonly kind: 'none' } | { readonly kind: 'some'; readonly scope: DataScope };

function dataMatch(p: ConsentProvision, request: DisclosureRequest): DataMatch {
  const scope: { -readonly [K in keyof DataScope]: DataScope[K] } = {};
  let open = false;
  const labels = toCodes(p.securityLabel);
  if (labels.length > 0) {
    if (request.securityLabel === undefined) {
      scope.securityLabel = labels;
      open = true;
    } else if (!intersects(labels, request.securityLabel)) return { kind: 'none' };
  }
  const classes = toCodes(p.class);
  if (classes.length > 0) {
    if (request.class === undefined) {
      scope.class = classes;
      open = true;
    } else if (!intersects(classes, request.class)) return { kind: 'none' };
  }
  const codes = (p.code ?? []).flatMap((cc) => toCodes(cc.coding));
  if (codes.length > 0) {
    if (request.code === undefined) {
      scope.code = codes;
      open = true;
    } else if (!intersects(codes, request.code)) return { kind: 'none' };
  }
  // `meaning` (instance | related | dependents | authoredby) needs the resource graph; every meaning
  // is read as "this resource" here (reference/fhir-mapping.md: data meaning codes UNVERIFIED).
  const refs = (p.data ?? []).map((d) => d.reference?.reference).filter((r): r is string => r !== undefined).map(normalizeReference);
  if (refs.length > 0) {
    if (request.data === undefined) {
      scope.data = refs;
      open = true;
    } else if (!request.data.some((r) => refs.includes(normalizeReference(r)))) return { kind: 'none' };
  }
  if (p.dataPeriod && (p.dataPeriod.start !== undefined || p.dataPeriod.end !== undefined)) {
    const period: { start?: string; end?: string } = {};
    if (p.dataPeriod.start !== undefined) period.start = p.dataPeriod.start;
    if (p.dataPeriod.end !== undefined) period.end = p.dataPeriod.end;
    if (request.dataPeriod === undefined) {
      scope.dataPeriod = period;
      open = true;
    } else {
      const overlap = periodOverlap(request.dataPeriod.start, request.dataPeriod.end, period.start, period.end);
      if (overlap === 'disjoint') return { kind: 'none' };
      // Data partly inside the period: the rule controls only that part of it.
      if (overlap === 'partial') {
        scope.dataPeriod = period;
        open = true;
      }
    }
  }
  return open ? { kind: 'some', scope } : { kind: 'all' };
}

/**
 * Evaluates a provision and, recursively, its nested provisions.
 *
 * Context criteria (period, actor, action, purpose) must hold for the provision to apply. When the
 * request leaves one of them unstated, a `deny` provision is taken to apply and a `permit` one not
 * (the conservative reading). A nested provision without `type` means the opposite of its parent
 * (LEAP's exception convention).
 */
export function evaluateProvision(p: ConsentProvision, path: string, parentEffect: Effect | undefined, ctx: EvalContext): NodeResult {
  const { request } = ctx;
  const effect: Effect | undefined = p.type ?? (parentEffect === undefined ? undefined : opposite(parentEffect));
  const conservative = effect !== 'permit';

  if (p.period) {
    const position = positionIn(ctx.at, p.period.start, p.period.end);
    if (position === 'before') return { mismatch: 'before-period', path };
    if (position === 'after') return { mismatch: 'after-period', path };
  }

  let recipientNamed = false;
  const actors = p.actor ?? [];
  const sources = actors.filter((a) => hasRole(roleCodes(a), SOURCE_ROLES));
  // Actors in recipient roles, and in roles PeerKit does not know, constrain the recipient; a general
  // designation ("my treating providers", a class of persons) names no one and constrains nothing.
  const recipients = actors.filter((a) => !hasRole(roleCodes(a), SOURCE_ROLES) && !isGeneralDesignation(a));
  if (recipients.length > 0) {
    if (request.actor.length === 0) {
      if (!conservative) return { mismatch: 'actor', path };
    } else {
      recipientNamed = recipients.some((a) => request.actor.some((r) => actorMatches(r, a.reference, ctx.consent, ctx.resolve)));
      if (!recipientNamed) return { mismatch: 'actor', path };
    }
  }
  // A request that does not say who discloses is made by the discloser itself.
  if (sources.length > 0 && request.discloser.length > 0) {
    const matched = sources.some((a) => request.discloser.some((d) => actorMatches(d, a.reference, ctx.consent, ctx.resolve)));
    if (!matched) return { mismatch: 'discloser', path };
  }

  const actions = (p.action ?? []).flatMap((cc) => toCodes(cc.coding));
  const requested = request.action ?? { system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'disclose' };
  if (actions.length > 0 && !actions.some((a) => sameCode(a, requested))) return { mismatch: 'action', path };

  const purposes = toCodes(p.purpose);
  if (purposes.length > 0) {
    if (request.purposeOfUse.length === 0) {
      if (!conservative) return { mismatch: 'purpose', path };
    } else if (conservative) {
      if (!intersects(purposes, request.purposeOfUse)) return { mismatch: 'purpose', path };
    } else if (!request.purposeOfUse.every((r) => purposes.some((c) => sameCode(c, r)))) {
      return { mismatch: 'purpose', path };
    }
  }

  const data = dataMatch(p, request);
  if (data.kind === 'none') return { mismatch: 'data', path };

  const children: Node[] = [];
  (p.provision ?? []).forEach((child, i) => {
    const result = evaluateProvision(child, `${path}.provision[${i}]`, effect, ctx);
    if ('node' in result) children.push(result.node);
  });
  return {
    node: {
      path,
      effect,
      partial: data.kind === 'some' ? data.scope : undefined,
      recipientNamed,
      purposes,
      labels: toCodes(p.securityLabel),
      children,
    },
  };
}

/** A crisp decision for the data every applicable provision fully covers, and the provisions behind it. */
export interface Crisp {
  readonly effect: Effect;
  /** From the outermost provision to the deciding one. */
  readonly chain: readonly Node[];
}

function combine(results: readonly Crisp[], strategy: ConflictStrategy): Crisp | undefined {
  const prefer: Effect = strategy === 'permit-overrides' ? 'permit' : 'deny';
  return results.find((r) => r.effect === prefer) ?? results[0];
}

/** The decision for the data outside every open (partial) provision: the most specific wins. */
export function crisp(node: Node, strategy: ConflictStrategy): Crisp | undefined {
  const results: Crisp[] = [];
  for (const child of node.children) {
    if (child.partial) continue;
    const r = crisp(child, strategy);
    if (r) results.push(r);
  }
  const decided = combine(results, strategy);
  if (decided) return { effect: decided.effect, chain: [node, ...decided.chain] };
  return node.effect === undefined ? undefined : { effect: node.effect, chain: [node] };
}

/** A data subset whose decision differs from the decision around it. */
export interface ScopedEffect {
  readonly effect: Effect;
  /** Every scope must hold (outermost first). */
  readonly scopes: readonly DataScope[];
  /** From the outermost provision to the one that decided the subset. */
  readonly chain: readonly Node[];
  readonly path: string;
}

/**
 * Walks the open (partial) provisions: a `deny` subset under a `permit` context must be redacted; a
 * `permit` subset under a `deny` (or no) context is the only data that may go.
 */
export function scopedEffects(
  node: Node,
  context: Effect | undefined,
  scopes: readonly DataScope[],
  chain: readonly Node[],
  strategy: ConflictStrategy,
  out: ScopedEffect[],
): void {
  for (const child of node.children) {
    const childChain = [...chain, child];
    if (child.partial) {
      const decided = crisp(child, strategy);
      const effect = decided?.effect ?? context;
      const childScopes = [...scopes, child.partial];
      const deciding = decided ? [...chain, ...decided.chain] : childChain;
      if (effect !== undefined && effect !== context && (effect === 'deny' ? context === 'permit' : true)) {
        out.push({ effect, scopes: childScopes, chain: deciding, path: deciding[deciding.length - 1]?.path ?? child.path });
      }
      scopedEffects(child, effect, childScopes, childChain, strategy, out);
    } else {
      const decided = crisp(child, strategy);
      scopedEffects(child, decided?.effect ?? context, scopes, childChain, strategy, out);
    }
  }
}
