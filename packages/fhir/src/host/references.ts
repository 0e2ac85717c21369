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

/** What a reference resolved to (internal form). */
export interface Resolution {
  readonly entry: HostEntry | undefined;
  readonly by: HostReferenceKind;
}

const identifierKey = (system: unknown, value: unknown): string => `${typeof system === 'string' ? system : ''}|${typeof value === 'string' || typeof value === 'number' ? String(value) : ''}`;

/** The index the readers resolve references with (internal). */
export class HostIndex {
  /** Top-level entries by type, then id (no `Type/id` string built per entry). */
  private readonly byTypeThenId = new Map<string, Map<string, HostEntry>>();
  private readonly byUrl = new Map<string, HostEntry>();
  /** Entries by `system|value` of each of their identifiers. */
  private readonly byIdentifier = new Map<string, HostEntry[]>();
  /** Entries by resource object, built on the first {@link entryOf} (only `createHostIndex` asks). */
  private byResource: Map<Json, HostEntry> | undefined;
  private readonly resolved = new Map<string, Resolution>();

  constructor(private readonly entries: readonly HostEntry[]) {
    for (let i = 0; i < entries.length; i++) this.add(entries[i]!);
  }

  private add(entry: HostEntry): void {
    const { resource, type } = entry;
    const id = str(resource.id);
    if (id !== undefined) {
      let byId = this.byTypeThenId.get(type);
      if (byId === undefined) this.byTypeThenId.set(type, (byId = new Map()));
      if (!byId.has(id)) byId.set(id, entry);
    }
    if (entry.fullUrl !== undefined) {
      const url = entry.fullUrl.replace(HISTORY, '');
      if (!this.byUrl.has(url)) this.byUrl.set(url, entry);
    }
    if (Array.isArray(resource.identifier)) {
      for (let i = 0; i < resource.identifier.length; i++) {
        const identifier: unknown = resource.identifier[i];
        if (!isObject(identifier) || typeof identifier.value !== 'string') continue;
        const key = identifierKey(identifier.system, identifier.value);
        const list = this.byIdentifier.get(key);
        if (list === undefined) this.byIdentifier.set(key, [entry]);
        else list.push(entry);
      }
    }
  }

  /** The entry of a resource object of the input (top-level or contained). */
  entryOf(resource: unknown): HostEntry | undefined {
    if (!isObject(resource)) return undefined;
    if (this.byResource === undefined) {
      this.byResource = new Map();
      for (const entry of this.entries) {
        this.byResource.set(entry.resource, entry);
        if (entry.contained) for (const inner of entry.contained.values()) this.byResource.set(inner.resource, inner);
      }
    }
    return this.byResource.get(resource);
  }

  /** The top-level entry of a resource id, e.g. `Patient/123`. */
  byTypeAndId(key: string): HostEntry | undefined {
    const slash = key.indexOf('/');
    return slash < 0 ? undefined : this.byId(key.slice(0, slash), key.slice(slash + 1));
  }

  private byId(type: string, id: string): HostEntry | undefined {
    return this.byTypeThenId.get(type)?.get(id);
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
      return { entry: this.byIdentifierOf(str(ref.type), identifier.system, identifier.value), by: 'identifier' };
    }
    return { entry: undefined, by: 'display' };
  }

  private resolveString(value: string, from: HostEntry | undefined): Resolution {
    if (value.startsWith('#')) {
      const container = from?.container ?? from;
      const id = value.slice(1);
      return { entry: id === '' ? container : container?.contained?.get(id), by: 'contained' };
    }
    // The same reference strings recur across a whole export (the organization, each practitioner):
    // resolve each once per service base.
    const base = (from?.container ?? from)?.base;
    const key = base === undefined ? value : `${base}\u0000${value}`;
    let known = this.resolved.get(key);
    if (known === undefined) this.resolved.set(key, (known = this.resolveUncached(value, base)));
    return known;
  }

  private resolveUncached(value: string, base: string | undefined): Resolution {
    if (value.startsWith('urn:')) return { entry: this.byUrl.get(value), by: 'urn' };
    if (ABSOLUTE.test(value)) return { entry: this.byUrl.get(value.replace(HISTORY, '')), by: 'absolute' };
    const query = value.indexOf('?');
    if (query > 0) return { entry: this.conditional(value.slice(0, query), value.slice(query + 1)), by: 'conditional' };
    const match = RELATIVE.exec(value);
    if (!match) return { entry: undefined, by: 'relative' };
    const entry = base === undefined ? undefined : this.byUrl.get(`${base}${match[1]}/${match[2]}`);
    return { entry: entry ?? this.byId(match[1]!, match[2]!), by: 'relative' };
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
    return bar < 0 ? this.anySystem(type, token) : this.byIdentifierOf(type, token.slice(0, bar), token.slice(bar + 1));
  }

  /** The first entry (of `type`, when given) with the identifier `system|value`. */
  private byIdentifierOf(type: string | undefined, system: unknown, value: unknown): HostEntry | undefined {
    const list = this.byIdentifier.get(identifierKey(system, value));
    return type === undefined ? list?.[0] : list?.find((e) => e.type === type);
  }

  /** The first entry of `type` with an identifier of any system and `value` (`identifier=value` searches). */
  private anySystem(type: string, value: string): HostEntry | undefined {
    for (const [key, list] of this.byIdentifier) {
      if (!key.endsWith(`|${value}`)) continue;
      const found = list.find((e) => e.type === type);
      if (found) return found;
    }
    return undefined;
  }
}

/** A reference found in a resource, with its path (internal form). */
export interface FoundReference {
  readonly path: IssuePath;
  readonly reference: Json;
}

/** What a visit says about a node: go on (`undefined`), do not look inside it, or stop the walk. */
type Visit = (node: Json, path: readonly (string | number)[]) => 'skip' | 'stop' | undefined;

/**
 * Visits every object of a resource (contained resources too) with its path; one mutable path,
 * so a visit copies it only where it keeps it. Returns `true` when a visit stopped the walk.
 */
function walkResource(resource: Json, visit: Visit): boolean {
  const path: (string | number)[] = [];
  const walk = (value: unknown): boolean => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (item === null || typeof item !== 'object') continue;
        path.push(i);
        if (walk(item)) return true;
        path.pop();
      }
      return false;
    }
    const node = value as Json;
    const verdict = visit(node, path);
    if (verdict !== undefined) return verdict === 'stop';
    for (const key in node) {
      const item = node[key];
      if (item === null || typeof item !== 'object') continue;
      path.push(key);
      if (walk(item)) return true;
      path.pop();
    }
    return false;
  };
  return walk(resource);
}

/** Every Reference of a resource (contained resources too), with its path. */
export function referencesOf(resource: Json): FoundReference[] {
  const references: FoundReference[] = [];
  walkResource(resource, (node, path) => {
    if (path.length === 0 || node.resourceType !== undefined) return undefined;
    if (typeof node.reference !== 'string' && !isObject(node.identifier)) return undefined;
    references.push({ path: [...path], reference: node });
    return 'skip';
  });
  return references;
}

/** The path of the first non-empty `modifierExtension` in a resource (contained resources too), if any. */
export function modifierExtensionOf(resource: Json): IssuePath | undefined {
  let found: IssuePath | undefined;
  walkResource(resource, (node, path) => {
    if (!Array.isArray(node.modifierExtension) || node.modifierExtension.length === 0) return undefined;
    found = [...path, 'modifierExtension'];
    return 'stop';
  });
  return found;
}

/** The references of a resource as {@link HostReference}s, resolved against the index. */
export function describeReferences(index: HostIndex, entry: HostEntry, found: readonly FoundReference[]): HostReference[] {
  return found.map(({ path, reference }) => {
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

/** The entry of the contained resource at `contained[index]` (the container when there is none). */
export function containedAt(entry: HostEntry, index: number): HostEntry {
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
