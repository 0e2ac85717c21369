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
import { HostIngest, identifierKey, type HostEntry } from './internal/ingest';
import { isObject, obj, str, type Json } from './internal/json';
import { R4_RESOURCE_TYPES } from './internal/r4-resource-types';
import type { HostInput, HostReference, HostReferenceKind } from './types';

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const HISTORY = /\/_history\/[^/]*$/;

/** `true` when `value[start..end)` is one or more ASCII letters (a resource type's shape). */
function isLettersAt(value: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i) | 32;
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/** `true` when `value[start..end)` is an R4 id: 1 to 64 of `A-Z a-z 0-9 - .`. */
function isIdAt(value: string, start: number, end: number): boolean {
  if (end <= start || end - start > 64) return false;
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 45 || c === 46)) return false;
  }
  return true;
}

/**
 * How a Reference is written: `#id`, `urn:`, an absolute URL, `Type?identifier=` (conditional),
 * `Type/id` (relative, well-formed or not), an identifier, or neither (display only).
 */
export function referenceKindOf(reference: unknown): HostReferenceKind {
  const ref = obj(reference);
  if (ref === undefined) return 'display';
  const value = str(ref.reference);
  if (value === undefined) {
    const identifier = obj(ref.identifier);
    return identifier !== undefined && typeof identifier.value === 'string' ? 'identifier' : 'display';
  }
  if (value.startsWith('#')) return 'contained';
  if (value.startsWith('urn:')) return 'urn';
  if (ABSOLUTE.test(value)) return 'absolute';
  return value.indexOf('?') > 0 ? 'conditional' : 'relative';
}

/** What a reference resolved to (internal form). */
export interface Resolution {
  readonly entry: HostEntry | undefined;
  readonly by: HostReferenceKind;
}

/** Adds `entry` to the list of `key` (after the entries added before it). */
function addTo(table: Map<string, HostEntry[]>, key: string, entry: HostEntry): void {
  const list = table.get(key);
  if (list === undefined) table.set(key, [entry]);
  else list.push(entry);
}

/** The index the readers resolve references with (internal). */
export class HostIndex {
  // Each lookup table is built on its first use, from every entry in input order (the first entry
  // of a key wins): a window of a streamed read indexes only the types, URLs and identifiers its
  // references ask for (Observations, say, are named by nothing a reader follows).
  /** Top-level entries of each type asked for, by id (no `Type/id` string built per entry). */
  private readonly byTypeThenId = new Map<string, Map<string, HostEntry>>();
  /** Entries by full URL (its version left out). */
  private byUrlTable: Map<string, HostEntry> | undefined;
  /** Entries by `system|value` of each of their identifiers. */
  private byIdentifierTable: Map<string, HostEntry[]> | undefined;
  /** Entries by resource object, built on the first {@link entryOf} (only `createHostIndex` asks). */
  private byResource: Map<Json, HostEntry> | undefined;
  /** What each reference string (by service base) names: an entry, or `null` for nothing. */
  private readonly found = new Map<string, HostEntry | null>();

  constructor(private readonly entries: readonly HostEntry[]) {}

  /** The entries of `type` by id. */
  private idsOf(type: string): Map<string, HostEntry> {
    let ids = this.byTypeThenId.get(type);
    if (ids !== undefined) return ids;
    this.byTypeThenId.set(type, (ids = new Map()));
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.type !== type) continue;
      const { id } = entry;
      if (id !== undefined && !ids.has(id)) ids.set(id, entry);
    }
    return ids;
  }

  private get byUrl(): Map<string, HostEntry> {
    if (this.byUrlTable !== undefined) return this.byUrlTable;
    const urls = (this.byUrlTable = new Map());
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.fullUrl === undefined) continue;
      const url = entry.fullUrl.replace(HISTORY, '');
      if (!urls.has(url)) urls.set(url, entry);
    }
    return urls;
  }

  private get byIdentifier(): Map<string, HostEntry[]> {
    if (this.byIdentifierTable !== undefined) return this.byIdentifierTable;
    // From the keys each entry read at ingest: a resource kept as its line is not parsed again here.
    const table = (this.byIdentifierTable = new Map<string, HostEntry[]>());
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      const keys = entry.identifierKeys;
      if (keys === undefined) continue;
      if (typeof keys === 'string') addTo(table, keys, entry);
      else for (let j = 0; j < keys.length; j++) addTo(table, keys[j]!, entry);
    }
    return table;
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
    // Only R4 types are entries (so at most ~150 tables, each built by one pass over the entries).
    return R4_RESOURCE_TYPES.has(type) ? this.idsOf(type).get(id) : undefined;
  }

  /**
   * Resolves a Reference written in `from` (whose contained resources and Bundle base count).
   *
   * @param reference - a FHIR Reference (any value)
   * @param from - the entry the reference is written in
   */
  resolve(reference: unknown, from: HostEntry | undefined): Resolution {
    return { entry: this.find(reference, from), by: referenceKindOf(reference) };
  }

  /** The entry a Reference written in `from` names, or `undefined` (see {@link resolve}). */
  find(reference: unknown, from: HostEntry | undefined): HostEntry | undefined {
    const ref = obj(reference);
    if (ref === undefined) return undefined;
    const value = str(ref.reference);
    if (value !== undefined) return this.findReference(value, from);
    const identifier = obj(ref.identifier);
    return identifier !== undefined && typeof identifier.value === 'string' ? this.byIdentifierOf(str(ref.type), identifier.system, identifier.value) : undefined;
  }

  /** The entry a Reference whose `reference` is `value`, written in `from`, names (see {@link find}). */
  findReference(value: string, from: HostEntry | undefined): HostEntry | undefined {
    if (value.startsWith('#')) {
      const container = from?.container ?? from;
      const id = value.slice(1);
      return id === '' ? container : container?.contained?.get(id);
    }
    // The same reference strings recur across a whole export (the organization, each practitioner):
    // resolve each once per service base (`null`: it names nothing in the input).
    const base = (from?.container ?? from)?.base;
    const key = base === undefined ? value : `${base}\u0000${value}`;
    let known = this.found.get(key);
    if (known === undefined) this.found.set(key, (known = this.findUncached(value, base) ?? null));
    return known ?? undefined;
  }

  private findUncached(value: string, base: string | undefined): HostEntry | undefined {
    if (value.startsWith('urn:')) return this.byUrl.get(value);
    if (ABSOLUTE.test(value)) return this.byUrl.get(value.replace(HISTORY, ''));
    const query = value.indexOf('?');
    if (query > 0) return this.conditional(value.slice(0, query), value.slice(query + 1));
    // `Type/id` or `Type/id/_history/vid` (type letters, ids of 1 to 64 `A-Za-z0-9-.`), read without building a match.
    const slash = value.indexOf('/');
    if (slash < 1 || !isLettersAt(value, 0, slash)) return undefined;
    const history = value.indexOf('/', slash + 1);
    const end = history < 0 ? value.length : history;
    if (!isIdAt(value, slash + 1, end)) return undefined;
    if (history >= 0 && !(value.startsWith('/_history/', history) && isIdAt(value, history + 10, value.length))) return undefined;
    const type = value.slice(0, slash);
    const id = value.slice(slash + 1, end);
    const entry = base === undefined ? undefined : this.byUrl.get(`${base}${type}/${id}`);
    return entry ?? this.byId(type, id);
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

/**
 * Every Reference of a resource (contained resources too), with its path, in the resource's order.
 *
 * @param only - when given, only the Reference objects it keeps are listed
 */
export function referencesOf(resource: Json, only?: (reference: Json) => boolean): FoundReference[] {
  const references: FoundReference[] = [];
  walkResource(resource, (node, path) => {
    if (path.length === 0 || node.resourceType !== undefined) return undefined;
    if (typeof node.reference !== 'string' && !isObject(node.identifier)) return undefined;
    if (only === undefined || only(node)) references.push({ path: [...path], reference: node });
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
    const { id } = target;
    const where = { resourceType: target.type, path: [...target.path, ...target.element] };
    return {
      ...out,
      target: {
        ...(id === undefined ? where : { ...where, id }),
        ...(target.line === undefined ? {} : { line: target.line }),
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
      const out: HostResolved = { resource: entry.resource, resourceType: entry.type, path: [...entry.path, ...entry.element], by };
      return entry.line === undefined ? out : { ...out, line: entry.line };
    },
  };
}
