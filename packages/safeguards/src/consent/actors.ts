/**
 * Who an actor is, for consent decisions: a provision actor named by a literal reference
 * (`Organization/54`), a logical reference (an identifier), or a contained resource (`#to`), and a
 * requesting actor named by reference and/or identifiers, all resolve to one identity (references and
 * identifiers). Two identities are the same party when they share a reference or an identifier;
 * they are positively different only when they can be compared (both have references, or both have
 * identifiers in one identifier system) and do not match. Anything else is unknown: a deny applies,
 * a permit does not.
 *
 * See: reference/fhir-mapping.md §5 (LEAP fetches each actor reference and intersects its
 * identifiers with the request's actor identifiers); C2S contained INF/IRCP actors (§2.4).
 */
import { fail, ok, type Issue, type Result } from '@peerkit/model';
import type { Bundle, Consent, Identifier, Reference, Resource } from 'fhir/r4';
import { normalizeSystem } from '../internal/codes';
import type { RequestActor, RequestIdentifier } from './request';

/** Identifiers a host resolves for a literal reference (`Organization/123`), as LEAP fetches them. */
export type ReferenceResolver = (reference: string) => readonly Identifier[] | undefined;

/** A party as the engine compares it. */
export interface ActorIdentity {
  /** Normalized literal references (`Organization/54`). */
  readonly references: readonly string[];
  /** Identifiers with a value, their systems normalized. */
  readonly identifiers: readonly RequestIdentifier[];
}

/** How two identities relate. */
export type IdentityRelation = 'same' | 'distinct' | 'unknown';

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

/** Identifiers of the resources a host supplies for actor resolution, by reference. */
export interface ActorDirectory {
  /** Identifiers for a literal reference, from the supplied resources and the resolver. */
  identifiersOf(reference: string): readonly Identifier[];
}

/** Resources whose identifiers resolve literal actor references: a Bundle or an array. */
export type ActorResources = Bundle | readonly Resource[];

function resourcesOf(input: ActorResources | undefined): { resource: Resource; fullUrl?: string | undefined }[] {
  if (input === undefined) return [];
  if (Array.isArray(input)) return (input as readonly Resource[]).map((resource) => ({ resource }));
  const bundle = input as Bundle;
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [{ resource: e.resource, fullUrl: e.fullUrl }] : []));
}

/**
 * Builds the directory the engine resolves literal references with: the supplied resources
 * (Organizations, Practitioners, PractitionerRoles… with their identifiers), then the host resolver.
 *
 * @param resources - a Bundle or an array of resources (anything with `id` and `identifier`)
 * @param resolve - the host's resolver, asked when the resources do not name the reference
 * @returns the directory
 * @example
 * createActorDirectory({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: org }] }).identifiersOf('Organization/54');
 */
export function createActorDirectory(resources?: ActorResources, resolve?: ReferenceResolver): ActorDirectory {
  const byReference = new Map<string, Identifier[]>();
  for (const { resource, fullUrl } of resourcesOf(resources)) {
    const ids = (resource as { identifier?: Identifier[] }).identifier ?? [];
    if (resource.id !== undefined) byReference.set(`${resource.resourceType}/${resource.id}`, ids);
    if (fullUrl !== undefined) byReference.set(normalizeReference(fullUrl), ids);
  }
  return {
    identifiersOf(reference: string): readonly Identifier[] {
      const key = normalizeReference(reference);
      const known = byReference.get(key);
      const resolved = resolve?.(reference) ?? [];
      if (!known) return resolved;
      return resolved.length === 0 ? known : [...known, ...resolved];
    },
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The problem with one supplied resource, if any: it must name its type, and its identifiers must be Identifiers. */
function resourceIssue(value: unknown, path: (string | number)[]): Issue | undefined {
  if (!isObject(value) || typeof value.resourceType !== 'string' || value.resourceType === '') {
    return { severity: 'error', code: 'schema.invalid-type', path, message: 'Must be a FHIR resource (an object with a resourceType)' };
  }
  if (value.id !== undefined && typeof value.id !== 'string') return { severity: 'error', code: 'schema.invalid-type', path: [...path, 'id'], message: 'Must be a string' };
  const ids = value.identifier;
  if (ids === undefined) return undefined;
  if (!Array.isArray(ids)) return { severity: 'error', code: 'schema.invalid-type', path: [...path, 'identifier'], message: 'Must be an array of Identifiers' };
  const bad = ids.findIndex((i) => !isObject(i) || (i.system !== undefined && typeof i.system !== 'string') || (i.value !== undefined && typeof i.value !== 'string'));
  return bad < 0 ? undefined : { severity: 'error', code: 'schema.invalid-type', path: [...path, 'identifier', bad], message: 'Must be an Identifier (system and value strings)' };
}

/**
 * Reads the resources a host supplies to resolve literal actor references (Organizations,
 * Practitioners, PractitionerRoles…): a Bundle, an array of resources, or one resource. Only what
 * the engine uses is checked: each names its `resourceType`, its `id` is a string, its
 * `identifier` a list of Identifiers.
 *
 * @param input - parsed JSON
 * @returns the resources, for `compileConsents(consents, { resources })`; or issues naming each
 *   invalid element (never its value)
 * @example
 * const resources = readActorResources(JSON.parse(text));
 * if (resources.ok) compileConsents(consents, { now, resources: resources.value });
 * See: reference/fhir-mapping.md §5 (LEAP resolves actor references to their identifiers)
 */
export function readActorResources(input: unknown): Result<Resource[]> {
  let items: { value: unknown; path: (string | number)[] }[];
  if (Array.isArray(input)) items = input.map((value, i) => ({ value, path: [i] }));
  else if (isObject(input) && input.resourceType === 'Bundle') {
    const entries = input.entry ?? [];
    if (!Array.isArray(entries)) return fail([{ severity: 'error', code: 'schema.invalid-type', path: ['entry'], message: 'Must be an array' }]);
    items = entries.map((entry: unknown, i) => ({ value: isObject(entry) ? entry.resource : entry, path: ['entry', i, 'resource'] }));
  } else if (isObject(input) && typeof input.resourceType === 'string') items = [{ value: input, path: [] }];
  else return fail([{ severity: 'error', code: 'schema.invalid-type', path: [], message: 'Expected a FHIR Bundle, an array of resources, or one resource' }]);
  const issues = items.flatMap(({ value, path }) => resourceIssue(value, path) ?? []);
  return issues.length > 0 ? fail(issues) : ok(items.map(({ value }) => value as Resource));
}

function normalizedIdentifiers(ids: readonly (RequestIdentifier | Identifier)[]): RequestIdentifier[] {
  const out: RequestIdentifier[] = [];
  for (const id of ids) {
    if (id.value === undefined) continue;
    const system = normalizeSystem(id.system);
    out.push(system === undefined ? { value: id.value } : { system, value: id.value });
  }
  return out;
}

/**
 * The identity of a consent's actor reference: its logical identifier, the contained resource it
 * points to (`#id`), or the literal reference and the identifiers the directory knows for it.
 *
 * @param ref - the provision actor's (or `Consent.patient`'s) reference
 * @param consent - the consent holding it (for contained resources)
 * @param directory - supplied resources and resolver
 * @returns the identity; empty when the reference names no one the engine can compare
 */
export function identifyReference(ref: Reference | undefined, consent: Consent, directory: ActorDirectory): ActorIdentity {
  if (!ref) return { references: [], identifiers: [] };
  const identifiers: Identifier[] = [];
  const references: string[] = [];
  if (ref.identifier) identifiers.push(ref.identifier);
  const literal = ref.reference;
  if (literal?.startsWith('#')) {
    const contained = consent.contained?.find((r) => r.id === literal.slice(1)) as { identifier?: Identifier[] } | undefined;
    identifiers.push(...(contained?.identifier ?? []));
  } else if (literal !== undefined) {
    references.push(normalizeReference(literal));
    identifiers.push(...directory.identifiersOf(literal));
  }
  return { references, identifiers: normalizedIdentifiers(identifiers) };
}

/**
 * The identity of a requesting actor: its reference, its own identifiers, and those the directory
 * knows for its reference.
 *
 * @param actor - a request's actor or discloser
 * @param directory - supplied resources and resolver
 * @returns the identity
 */
export function identifyRequestActor(actor: RequestActor, directory: ActorDirectory): ActorIdentity {
  if (actor.reference === undefined) return { references: [], identifiers: normalizedIdentifiers(actor.identifier) };
  const resolved = directory.identifiersOf(actor.reference);
  return {
    references: [normalizeReference(actor.reference)],
    identifiers: normalizedIdentifiers(resolved.length === 0 ? actor.identifier : [...actor.identifier, ...resolved]),
  };
}

/**
 * Compares two identities: `same` when they share a reference or an identifier; `distinct` when
 * they can be compared (both have references, or both have identifiers in one system) and do not
 * match; otherwise `unknown`.
 *
 * @param a - one identity (from {@link identifyReference} or {@link identifyRequestActor}: systems normalized)
 * @param b - the other
 * @returns the relation
 */
export function compareIdentities(a: ActorIdentity, b: ActorIdentity): IdentityRelation {
  for (const r of a.references) if (b.references.includes(r)) return 'same';
  let comparable = a.references.length > 0 && b.references.length > 0;
  for (const x of a.identifiers) {
    for (const y of b.identifiers) {
      if (x.value === y.value && (x.system === undefined || y.system === undefined || x.system === y.system)) return 'same';
      if (x.system !== undefined && x.system === y.system) comparable = true;
    }
  }
  return comparable ? 'distinct' : 'unknown';
}
