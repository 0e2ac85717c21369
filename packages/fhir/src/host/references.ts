/**
 * Reference resolution over a host's input: a Bundle (searchset, collection, transaction… with
 * absolute or `urn:uuid:` fullUrls) or a set of NDJSON resources. A reference resolves by `Type/id`
 * (version-specific too), by full URL, by identifier (`Type?identifier=system|value` or
 * `Reference.identifier`) and to contained resources (`#id`). What does not resolve stays the host's.
 *
 * See: https://hl7.org/fhir/R4/references.html (resolving references in Bundles),
 * https://hl7.org/fhir/R4/http.html#trules (conditional references)
 */
import { formatPath, type Finding, type IssuePath } from '@peerkit/model';
import type { Reference } from 'fhir/r4';
import { HostIngest, type HostEntry } from './internal/ingest';
import { isObject, obj, str, type Json } from './internal/json';
import type { HostInput, HostReference, HostReferenceKind } from './types';

const RELATIVE = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const HISTORY = /\/_history\/[^/]*$/;
const BASE = /^(https?:\/\/.*\/)[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}(\/_history\/[^/]*)?$/;

/** What a reference resolved to (internal form). */
export interface Resolution {
  readonly entry: HostEntry | undefined;
  readonly by: HostReferenceKind;
}

const identifierKey = (type: string, system: unknown, value: unknown): string => `${type}|${typeof system === 'string' ? system : ''}|${String(value)}`;

/** The index the readers resolve references with (internal). */
export class HostIndex {
  private readonly byKey = new Map<string, HostEntry>();
  private readonly byUrl = new Map<string, HostEntry>();
  private readonly byIdentifier = new Map<string, HostEntry>();
  private readonly byResource = new Map<Json, HostEntry>();

  constructor(entries: readonly HostEntry[]) {
    for (const entry of entries) this.add(entry);
  }

  private add(entry: HostEntry): void {
    const { resource, type } = entry;
    this.byResource.set(resource, entry);
    if (entry.contained) for (const inner of entry.contained.values()) this.byResource.set(inner.resource, inner);
    const id = str(resource.id);
    if (id !== undefined && !this.byKey.has(`${type}/${id}`)) this.byKey.set(`${type}/${id}`, entry);
    if (entry.fullUrl !== undefined) {
      const url = entry.fullUrl.replace(HISTORY, '');
      if (!this.byUrl.has(url)) this.byUrl.set(url, entry);
    }
    if (Array.isArray(resource.identifier)) {
      for (const identifier of resource.identifier) {
        if (!isObject(identifier) || typeof identifier.value !== 'string') continue;
        for (const key of [identifierKey(type, identifier.system, identifier.value), identifierKey('*', identifier.system, identifier.value)]) {
          if (!this.byIdentifier.has(key)) this.byIdentifier.set(key, entry);
        }
      }
    }
  }

  /** The entry of a resource object of the input (top-level or contained). */
  entryOf(resource: unknown): HostEntry | undefined {
    return isObject(resource) ? this.byResource.get(resource) : undefined;
  }

  /** The top-level entry of a resource id, e.g. `Patient/123`. */
  byTypeAndId(key: string): HostEntry | undefined {
    return this.byKey.get(key);
  }

  /**
   * Resolves a Reference written in `from` (whose contained resources and Bundle base count).
   *
   * @param reference - a FHIR Reference (any value)
   * @param from - the entry the reference is written in
   */
  resolve(reference: unknown, from: HostEntry | undefined): Resolution {
    const ref = obj(reference);
    if (ref === undefined) return { entry: undefined, by: 'display' };
    const value = str(ref.reference);
    if (value !== undefined) return this.resolveString(value, from);
    const identifier = obj(ref.identifier);
    if (identifier !== undefined && typeof identifier.value === 'string') {
      return { entry: this.byIdentifier.get(identifierKey(str(ref.type) ?? '*', identifier.system, identifier.value)), by: 'identifier' };
    }
    return { entry: undefined, by: 'display' };
  }

  private resolveString(value: string, from: HostEntry | undefined): Resolution {
    if (value.startsWith('#')) {
      const container = from?.container ?? from;
      const id = value.slice(1);
      return { entry: id === '' ? container : container?.contained?.get(id), by: 'contained' };
    }
    if (value.startsWith('urn:')) return { entry: this.byUrl.get(value), by: 'urn' };
    if (ABSOLUTE.test(value)) return { entry: this.byUrl.get(value.replace(HISTORY, '')), by: 'absolute' };
    const query = value.indexOf('?');
    if (query > 0) return { entry: this.conditional(value.slice(0, query), value.slice(query + 1)), by: 'conditional' };
    const match = RELATIVE.exec(value);
    if (!match) return { entry: undefined, by: 'relative' };
    const key = `${match[1]}/${match[2]}`;
    const top = from?.container ?? from;
    const base = top?.fullUrl === undefined ? undefined : BASE.exec(top.fullUrl)?.[1];
    return { entry: (base === undefined ? undefined : this.byUrl.get(`${base}${key}`)) ?? this.byKey.get(key), by: 'relative' };
  }

  private conditional(type: string, query: string): HostEntry | undefined {
    const params = query.split('&');
    if (params.length !== 1 || !params[0]!.startsWith('identifier=')) return undefined;
    let token: string;
    try {
      token = decodeURIComponent(params[0]!.slice('identifier='.length));
    } catch {
      return undefined;
    }
    const bar = token.indexOf('|');
    return bar < 0
      ? this.byIdentifier.get(identifierKey(type, undefined, token)) ?? this.anySystem(type, token)
      : this.byIdentifier.get(identifierKey(type, token.slice(0, bar), token.slice(bar + 1)));
  }

  private anySystem(type: string, value: string): HostEntry | undefined {
    for (const [key, entry] of this.byIdentifier) if (key.startsWith(`${type}|`) && key.endsWith(`|${value}`)) return entry;
    return undefined;
  }
}

/** A reference found in a resource, with its path (internal form). */
export interface FoundReference {
  readonly path: IssuePath;
  readonly reference: Json;
}

/** What one walk over a resource finds: its references and where it has modifier extensions. */
export interface ResourceScan {
  readonly references: readonly FoundReference[];
  readonly modifierExtensions: readonly IssuePath[];
}

/** Walks a resource (contained resources too) for References and `modifierExtension`s. */
export function scanResource(resource: Json): ResourceScan {
  const references: FoundReference[] = [];
  const modifierExtensions: IssuePath[] = [];
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walk(value[i], [...path, i]);
      return;
    }
    if (!isObject(value)) return;
    if (path.length > 0 && value.resourceType === undefined && (typeof value.reference === 'string' || isObject(value.identifier))) {
      references.push({ path, reference: value });
      if (isObject(value.extension) || Array.isArray(value.extension)) walk(value.extension, [...path, 'extension']);
      return;
    }
    for (const key in value) {
      const item = value[key];
      if (key === 'modifierExtension' && Array.isArray(item) && item.length > 0) modifierExtensions.push([...path, key]);
      if (item !== null && typeof item === 'object') walk(item, [...path, key]);
    }
  };
  walk(resource, []);
  return { references, modifierExtensions };
}

/** The references of a resource as {@link HostReference}s, resolved against the index. */
export function describeReferences(index: HostIndex, entry: HostEntry, scan: ResourceScan): HostReference[] {
  return scan.references.map(({ path, reference }) => {
    const from = path[0] === 'contained' && typeof path[1] === 'number' ? containedAt(entry, path[1]) : entry;
    const { entry: target, by } = index.resolve(reference, from);
    const out: HostReference = { path: formatPath(path), reference: reference as Reference, by, resolved: target !== undefined };
    if (target === undefined) return out;
    const id = str(target.resource.id);
    const where = { resourceType: target.type, path: [...target.position.path, ...target.element] };
    return {
      ...out,
      target: {
        ...(id === undefined ? where : { ...where, id }),
        ...(target.position.line === undefined ? {} : { line: target.position.line }),
      },
    };
  });
}

function containedAt(entry: HostEntry, index: number): HostEntry {
  const inner = (entry.resource.contained as unknown[] | undefined)?.[index];
  if (entry.contained) for (const candidate of entry.contained.values()) if (candidate.resource === inner) return candidate;
  return entry;
}

/** What {@link createHostIndex} resolves a reference to. */
export interface HostResolved {
  /** The resource, as the input holds it. */
  readonly resource: Readonly<Record<string, unknown>>;
  readonly resourceType: string;
  /** Its position in the input (with `contained`, index for a contained resource). */
  readonly path: IssuePath;
  readonly line?: number;
  /** How the reference was written. */
  readonly by: HostReferenceKind;
}

/** An index over a host's input that resolves references (see {@link createHostIndex}). */
export interface HostResourceIndex {
  /**
   * Resolves a Reference.
   *
   * @param reference - a FHIR Reference (any value)
   * @param from - the resource (of the input) it is written in: contained `#id` and a Bundle entry's
   *   base resolve against it. Default none.
   * @returns the resource it names, or `undefined` when it names nothing in the input
   */
  resolve(reference: unknown, from?: unknown): HostResolved | undefined;
  /** What the input held that is not a resource (not JSON, not an object, no R4 resourceType…). */
  readonly findings: readonly Finding[];
}

/**
 * Indexes a host's input for reference resolution: every resource of a Bundle, array or NDJSON text by
 * `Type/id`, full URL and identifier, with its contained resources.
 *
 * @param input - a Bundle, resource, array of resources or NDJSON text (see {@link HostInput})
 * @returns the index
 * @example
 * const index = createHostIndex(searchsetBundle);
 * index.resolve({ reference: 'Patient/123' })?.resource;
 * index.resolve({ identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' } });
 * See: https://hl7.org/fhir/R4/references.html
 */
export function createHostIndex(input: HostInput): HostResourceIndex {
  const ingest = new HostIngest(undefined);
  ingest.whole(input);
  const index = new HostIndex(ingest.entries);
  return {
    findings: ingest.findings,
    resolve(reference, from) {
      const { entry, by } = index.resolve(reference, index.entryOf(from));
      if (entry === undefined) return undefined;
      const out: HostResolved = { resource: entry.resource, resourceType: entry.type, path: [...entry.position.path, ...entry.element], by };
      return entry.position.line === undefined ? out : { ...out, line: entry.position.line };
    },
  };
}
