// What every host reader works with: the index, the profile, ids, claims between resources, and
// the sink for records, context and findings. One instance per read; no module-level state.
import type { Finding, IssuePath, IssueSeverity } from '@peerkit/model';
import { fnv1a64 } from '../../internal/ids';
import { hostFinding, type HostFindingCode } from '../findings';
import type { ImportProfile } from '../import-profile';
import { describeReferences, referenceKindOf, referencesOf, type HostIndex } from '../references';
import type { HostContextItem, HostRecordKind, HostReference, HostSource, ReadHostOptions } from '../types';
import type { HostEntry } from './ingest';
import { isObject, obj, str, type Json } from './json';
import { createMatchers, type ProfileMatchers } from './matchers';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const RELATIVE = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[^/]*)?$/;
const ABSOLUTE_TAIL = /\/([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[^/]*)?$/;
const MAX_ID = 64;
const DAY_PREFIX = /^\d{4}-\d{2}-\d{2}/;
// Type lists of `idOf`, built once.
const PATIENT: readonly string[] = ['Patient'];
const PRACTITIONER: readonly string[] = ['Practitioner'];
const PRACTITIONER_OR_ROLE: readonly string[] = ['Practitioner', 'PractitionerRole'];

/** A resource a record was read from besides its main one, with the elements its reader maps. */
export interface RecordPart {
  readonly entry: HostEntry;
  readonly mapped: readonly string[];
}

/**
 * A record waiting for validation: its JSON, main resource and the other resources it was read from.
 * Once emitted it is also what the record's `sources` are built from, when first read.
 */
export interface PendingRecord {
  readonly kind: HostRecordKind;
  readonly main: HostEntry;
  /** Elements of the main resource its reader maps (the rest is listed as unmapped on its source). */
  readonly mapped: readonly string[];
  /** The other resources it was read from, each once, in the order the reader named them. */
  readonly parts: readonly RecordPart[];
  /** The index its sources' references are described with. */
  readonly index: HostIndex;
  /** The record (for `goal`, `note`, `program`: the HostGoal, HostNote, HostProgram). */
  record: Json;
  /** Record fields set from the profile defaults. */
  readonly defaulted: string[];
  /** The record's sources, once read (see {@link HostReadContext.defineSources}). */
  sources?: HostSource[] | undefined;
}

/**
 * A {@link PendingRecord}: a class, not an object literal, as every object a window keeps until its end
 * (see `Entry` in ingest.ts: V8 would allocate a literal's objects straight in the old generation).
 */
class Pending implements PendingRecord {
  sources: HostSource[] | undefined = undefined;
  constructor(
    readonly kind: HostRecordKind,
    readonly main: HostEntry,
    readonly mapped: readonly string[],
    readonly parts: readonly RecordPart[],
    readonly index: HostIndex,
    public record: Json,
    readonly defaulted: string[],
  ) {}
}

/** A context item waiting for its source. */
export interface PendingContext {
  readonly entry: HostEntry;
  readonly mapped: readonly string[];
  readonly item: ContextItemBody;
}

/** A context item without its source (a resource's context items; the manifest has none). */
export type ContextItemBody = Exclude<HostContextItem, { kind: 'bulk-manifest' }> extends infer T
  ? T extends unknown
    ? Omit<T, 'source'>
    : never
  : never;

/** Options of {@link HostReadContext.emit}. */
export interface EmitOptions {
  /** Other resources the record was read from. Default none. */
  readonly parts?: readonly RecordPart[] | undefined;
  /** Elements of the main resource the reader maps. */
  readonly mapped: readonly string[];
  /**
   * Record fields set from the profile defaults (listed on the record, summed up as `host.defaulted`):
   * the record's own list from then on, kept as it is (not copied). Default none.
   */
  readonly defaulted?: string[] | undefined;
}

/** A record id no longer than 64 characters: long ids keep a prefix and a hash of the whole. */
export function fitId(id: string): string {
  return id.length <= MAX_ID ? id : `${id.slice(0, MAX_ID - 17)}-${fnv1a64(id)}`;
}

/** The reading context of one `readHostFhir` call (internal). */
export class HostReadContext {
  readonly records: PendingRecord[] = [];
  readonly contexts: PendingContext[] = [];
  /** The findings reported, each with the input order of its entry at the same index of {@link findingOrders}. */
  readonly findings: Finding[] = [];
  readonly findingOrders: number[] = [];
  readonly match: ProfileMatchers;
  /** Dates of dated service per peer id (for a defaulted enrollment start). */
  readonly peerDates = new Map<string, string>();
  /** By role, the entries that point to each entry in that role (one map per role, not per entry). */
  private readonly links = new Map<string, Map<HostEntry, HostEntry[]>>();
  /**
   * The Reference objects a reader followed that name nothing in the input, each with the top-level
   * entry (or entries: input objects may share a Reference object) it was followed from — one map for
   * the read, not a set per entry — and those entries in the order of their first such reference.
   */
  private readonly unresolvedFollowed = new Map<Json, HostEntry | HostEntry[]>();
  private readonly unresolvedEntries = new Set<HostEntry>();
  /** What each reference string written in the input names by its form (see {@link writtenOf}), worked out once per read. */
  private readonly written = new Map<string, WrittenReference | null>();
  private readonly usedContained = new Set<HostEntry>();

  /**
   * @param match - the profile's lookups when already built (a streamed read builds them once for all
   *   its windows); default built here
   */
  constructor(
    readonly index: HostIndex,
    readonly profile: ImportProfile,
    readonly options: ReadHostOptions,
    match?: ProfileMatchers,
  ) {
    this.match = match ?? createMatchers(profile);
  }

  // --- claims and links between resources of one record -------------------------------------------

  /** Marks a resource as read into another resource's record. */
  claim(entry: HostEntry): void {
    entry.claimed = true;
  }

  isClaimed(entry: HostEntry): boolean {
    return entry.claimed;
  }

  /** Notes that `from` points to `to` in the role `role` (e.g. a PractitionerRole to its Practitioner). */
  link(from: HostEntry, role: string, reference: unknown): void {
    const to = this.resolve(reference, from);
    if (to !== undefined) this.linkTo(from, role, to);
  }

  /**
   * Links `from` in `role` to what each reference string names, when every one names a resource of the
   * input; else links nothing and returns `false` (the caller then follows the References themselves,
   * so that one naming nothing is noted as unresolved).
   */
  linkAll(from: HostEntry, role: string, references: readonly string[]): boolean {
    for (let i = 0; i < references.length; i++) if (this.index.findReference(references[i]!, from) === undefined) return false;
    for (let i = 0; i < references.length; i++) this.linkTo(from, role, this.index.findReference(references[i]!, from)!);
    return true;
  }

  private linkTo(from: HostEntry, role: string, to: HostEntry): void {
    if (to === from) return;
    let byTarget = this.links.get(role);
    if (!byTarget) this.links.set(role, (byTarget = new Map()));
    const list = byTarget.get(to);
    if (list === undefined) byTarget.set(to, [from]);
    else if (!list.includes(from)) list.push(from);
  }

  /** The entries that point to `to` in `role`, in input order. */
  linked(to: HostEntry, role: string): readonly HostEntry[] {
    return this.links.get(role)?.get(to) ?? NO_ENTRIES;
  }

  // --- references and ids -------------------------------------------------------------------------

  /** The entry a reference in `from` names, or `undefined`. */
  resolve(reference: unknown, from: HostEntry): HostEntry | undefined {
    const entry = this.index.find(reference, from);
    if (entry === undefined && referenceKindOf(reference) !== 'display') {
      const top = from.container ?? from;
      // Reported later by this object's identity in the resource: the resource must stay the one read now.
      top.pin();
      const known = this.unresolvedFollowed.get(reference as Json);
      if (known === undefined) this.unresolvedFollowed.set(reference as Json, top);
      else if (Array.isArray(known)) {
        if (!known.includes(top)) known.push(top);
      } else if (known !== top) this.unresolvedFollowed.set(reference as Json, [known, top]);
      this.unresolvedEntries.add(top);
    }
    return entry;
  }

  /** The record id of a resource: its id, a `urn:uuid` fullUrl's uuid, or a hash of its position. */
  recordId(entry: HostEntry): string {
    const { id } = entry;
    if (entry.container) return fitId(`${this.recordId(entry.container)}.${id ?? 'contained'}`);
    if (id !== undefined && ID.test(id)) return id;
    const url = entry.fullUrl;
    const uuid = url?.startsWith('urn:uuid:') ? url.slice('urn:uuid:'.length) : undefined;
    if (uuid !== undefined && ID.test(uuid)) return uuid;
    return `h-${fnv1a64(url ?? JSON.stringify([...entry.path, entry.line ?? 0]))}`;
  }

  /** The id a reference that names nothing in the input stands for (`undefined` when it names no id). */
  idOfUnresolved(reference: unknown): string | undefined {
    const ref = obj(reference);
    if (ref === undefined) return undefined;
    const value = str(ref.reference);
    if (value === undefined) {
      const identifier = obj(ref.identifier);
      return identifier && typeof identifier.value === 'string'
        ? `ref-${fnv1a64(`${str(identifier.system) ?? ''}|${identifier.value}`)}`
        : undefined;
    }
    const written = this.writtenOf(value);
    if (written !== null) return written.id;
    if (value.startsWith('urn:uuid:') && ID.test(value.slice(9))) return value.slice(9);
    return value.startsWith('#') ? undefined : `ref-${fnv1a64(value)}`;
  }

  /** The resource type a reference names (resolved, or as written). */
  typeOf(reference: unknown, from: HostEntry): string | undefined {
    return this.resolve(reference, from)?.type ?? this.writtenTypeOf(reference);
  }

  /** The record id a reference to one of `types` stands for: the resolved resource's, or the host's id. */
  idOf(reference: unknown, from: HostEntry, types: readonly string[]): string | undefined {
    return this.idOfResolved(this.resolve(reference, from), reference, types);
  }

  /** {@link idOf} of a reference already resolved to `entry` (each reference is resolved once). */
  private idOfResolved(entry: HostEntry | undefined, reference: unknown, types: readonly string[]): string | undefined {
    if (entry) return types.includes(entry.type) ? this.recordId(entry) : undefined;
    const type = this.writtenTypeOf(reference);
    return type !== undefined && types.includes(type) ? this.idOfUnresolved(reference) : undefined;
  }

  /** The peer id a Patient reference stands for (see {@link idOf}). */
  peerIdOf(reference: unknown, from: HostEntry): string | undefined {
    return this.idOf(reference, from, PATIENT);
  }

  /** The specialist id behind a Practitioner or PractitionerRole reference (a role's practitioner). */
  practitionerIdOf(reference: unknown, from: HostEntry): string | undefined {
    return this.practitionerIdOfResolved(this.resolve(reference, from), reference);
  }

  /** {@link practitionerIdOf} of a reference already resolved to `entry`. */
  practitionerIdOfResolved(entry: HostEntry | undefined, reference: unknown): string | undefined {
    if (entry?.type === 'PractitionerRole') {
      return this.idOf(entry.resource.practitioner, entry, PRACTITIONER) ?? this.recordId(entry);
    }
    return this.idOfResolved(entry, reference, PRACTITIONER_OR_ROLE);
  }

  /** Notes a contained resource a record uses, so it is listed in the context. */
  useContained(entry: HostEntry | undefined): void {
    if (entry?.container !== undefined) this.usedContained.add(entry);
  }

  /** The contained resources the records used. */
  containedUsed(): readonly HostEntry[] {
    return [...this.usedContained];
  }

  /** Notes a date of dated service of a peer (the earliest becomes a defaulted enrollment's start). */
  notePeerDate(peerId: string | undefined, date: unknown): void {
    if (peerId === undefined || typeof date !== 'string' || !DAY_PREFIX.test(date)) return;
    const day = date.slice(0, 10);
    const known = this.peerDates.get(peerId);
    if (known === undefined || day < known) this.peerDates.set(peerId, day);
  }

  // --- output -------------------------------------------------------------------------------------

  /** Reports a `host.*` finding at an element of an entry. */
  report(code: HostFindingCode, entry: HostEntry, element: IssuePath, message: string, severity?: IssueSeverity): void {
    const path = entry.element.length === 0 ? element : [...entry.element, ...element];
    this.addFinding(entry.order, hostFinding(code, entry, path, message, severity));
  }

  /** Adds a finding at the input order `order`. */
  addFinding(order: number, finding: Finding): void {
    this.findings.push(finding);
    this.findingOrders.push(order);
  }

  /** Emits a record read from `main` (and `options.parts`: each claimed, and kept once). */
  emit(kind: HostRecordKind, main: HostEntry, record: Json, options: EmitOptions): PendingRecord {
    const parts = distinctParts(main, options.parts ?? NO_PARTS);
    for (let i = 0; i < parts.length; i++) this.claim(parts[i]!.entry);
    this.claim(main);
    const pending = new Pending(kind, main, options.mapped, parts, this.index, record, options.defaulted ?? []);
    this.records.push(pending);
    return pending;
  }

  /** Adds a context item read from `entry`. */
  addContext(entry: HostEntry, item: PendingContext['item'], mapped: readonly string[]): void {
    this.claim(entry);
    this.contexts.push({ entry, item, mapped });
  }

  /**
   * The source of an entry: the resource as written, its unmapped elements and references. The last
   * two are computed when first read (most callers never read them), from the index as it is now.
   */
  source(entry: HostEntry, mapped: readonly string[]): HostSource {
    return sourceOf(this.index, entry, mapped);
  }

  /**
   * Defines a record's `sources` (its main resource, then its parts, with the elements each maps) as an
   * own enumerable getter, built from `pending` when first read: most callers never read them. Defined
   * here so the record keeps its key order.
   */
  defineSources(record: object, pending: PendingRecord): void {
    Object.defineProperty(record, 'sources', RECORD_GETTERS.sources!);
    defineState(record, RECORD_STATE, pending);
  }

  /** The top-level entries read into a record or context with followed references that name nothing in the input, in the order of the first. */
  unresolved(): HostEntry[] {
    const out: HostEntry[] = [];
    for (const entry of this.unresolvedEntries) if (entry.claimed) out.push(entry);
    return out;
  }

  /** `true` when a reader followed `reference`, a Reference object of `entry` (contained resources included), and it names nothing in the input. */
  followedUnresolved(entry: HostEntry, reference: unknown): boolean {
    const known = this.unresolvedFollowed.get(reference as Json);
    return known === entry || (Array.isArray(known) && known.includes(entry));
  }

  /** The resource type a reference that names nothing in the input is written with (`Type/id`, a URL's, `Type?…`, or `type`). */
  private writtenTypeOf(reference: unknown): string | undefined {
    const ref = obj(reference);
    const value = str(ref?.reference);
    if (value === undefined) return str(ref?.type);
    const written = this.writtenOf(value);
    if (written !== null) return written.type;
    const query = value.indexOf('?');
    return query > 0 ? value.slice(0, query) : str(ref?.type);
  }

  /** The type and id a reference string names by its form (`Type/id`, or a URL ending so), else `null`: read once per string. */
  private writtenOf(value: string): WrittenReference | null {
    let written = this.written.get(value);
    if (written === undefined) {
      const match = RELATIVE.exec(value) ?? ABSOLUTE_TAIL.exec(value);
      this.written.set(value, (written = match === null ? null : { type: match[1]!, id: match[2]! }));
    }
    return written;
  }
}

/** The type and id a reference string is written with. */
interface WrittenReference {
  readonly type: string;
  readonly id: string;
}

/** The source of an entry (see {@link HostReadContext.source}). */
function sourceOf(index: HostIndex, entry: HostEntry, mapped: readonly string[]): HostSource {
    const source = {
      resourceType: entry.type,
      path: entry.element.length === 0 ? entry.path : [...entry.path, ...entry.element],
      resource: entry.resource,
    } as { -readonly [K in keyof HostSource]: HostSource[K] };
    // `unmapped` and `references`: own enumerable getters (as an object literal's), shared by every
    // source instead of two closures and accessor pairs per source; their state sits under a symbol.
    Object.defineProperty(source, 'unmapped', SOURCE_GETTERS.unmapped!);
    Object.defineProperty(source, 'references', SOURCE_GETTERS.references!);
    defineState(source, SOURCE_STATE, { index, entry, mapped } satisfies SourceState);
    const { id } = entry;
    if (id !== undefined) source.id = id;
    if (entry.fullUrl !== undefined) source.fullUrl = entry.fullUrl;
    if (entry.line !== undefined) source.line = entry.line;
    return source;
}


const RECORD_STATE = Symbol('peerkit.host-record');

/** One descriptor for every state property (read by `defineProperty` when called): none built per record or source. */
const STATE: PropertyDescriptor = { value: undefined };

/** Defines `object[key]` as a non-enumerable, read-only `state` (as `{ value: state }` would). */
function defineState(object: object, key: symbol, state: object): void {
  STATE.value = state;
  try {
    Object.defineProperty(object, key, STATE);
  } finally {
    STATE.value = undefined;
  }
}

const RECORD_GETTERS: PropertyDescriptorMap = {
  sources: {
    enumerable: true,
    configurable: true,
    get(this: object): HostSource[] {
      const pending = (this as { [RECORD_STATE]: PendingRecord })[RECORD_STATE];
      return (pending.sources ??= sourcesOf(pending));
    },
  },
};

/** The sources of a record: its main resource's, then its parts'. */
function sourcesOf({ index, main, mapped, parts }: PendingRecord): HostSource[] {
  const sources = [sourceOf(index, main, mapped)];
  for (let i = 0; i < parts.length; i++) sources.push(sourceOf(index, parts[i]!.entry, parts[i]!.mapped));
  return sources;
}

/**
 * The parts of a record without `main` and without repeats (the first naming of an entry counts): the
 * list itself when it has neither, as it mostly has.
 */
function distinctParts(main: HostEntry, parts: readonly RecordPart[]): readonly RecordPart[] {
  let distinct = true;
  for (let i = 0; i < parts.length && distinct; i++) distinct = parts[i]!.entry !== main && !hasEntry(parts, i, parts[i]!.entry);
  if (distinct) return parts;
  const out: RecordPart[] = [];
  for (let i = 0; i < parts.length; i++) if (parts[i]!.entry !== main && !hasEntry(out, out.length, parts[i]!.entry)) out.push(parts[i]!);
  return out;
}

/** `true` when one of `parts[0..end)` is `entry`'s. */
function hasEntry(parts: readonly RecordPart[], end: number, entry: HostEntry): boolean {
  for (let i = 0; i < end; i++) if (parts[i]!.entry === entry) return true;
  return false;
}

const NO_ENTRIES: readonly HostEntry[] = Object.freeze([]);
const NO_PARTS: readonly RecordPart[] = Object.freeze([]);

/** What a source's getters compute from, and what they computed. */
interface SourceState {
  readonly index: HostIndex;
  readonly entry: HostEntry;
  readonly mapped: readonly string[];
  unmapped?: string[];
  references?: HostReference[];
}

const SOURCE_STATE = Symbol('peerkit.host-source');

const stateOf = (source: object): SourceState => (source as { [SOURCE_STATE]: SourceState })[SOURCE_STATE];

/** A source's `unmapped` and `references`, computed when first read (most callers never read them), from the index as it is then. */
const SOURCE_GETTERS: PropertyDescriptorMap = {
  unmapped: {
    enumerable: true,
    configurable: true,
    get(this: object): string[] {
      const state = stateOf(this);
      return (state.unmapped ??= unmappedOf(state.entry.resource, new Set(state.mapped)));
    },
  },
  references: {
    enumerable: true,
    configurable: true,
    get(this: object): HostReference[] {
      const state = stateOf(this);
      return (state.references ??= describeReferences(state.index, state.entry, referencesOf(state.entry.resource)));
    },
  },
};

const NESTED = (key: string): boolean => key === 'extension' || key === 'modifierExtension' || key.startsWith('_');

/** The elements of a resource a reader does not map, as dotted paths without indexes. */
export function unmappedOf(resource: Json, mapped: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const key in resource) {
    if (key === 'resourceType' || key === 'id') continue;
    const value = resource[key];
    if (key === 'meta' && isObject(value)) {
      for (const sub in value) if (!mapped.has(`meta.${sub}`)) out.push(`meta.${sub}`);
    } else if (!mapped.has(key)) out.push(key);
    else nestedUnmapped(value, key, out, 0);
  }
  return out;
}

function nestedUnmapped(value: unknown, path: string, out: string[], depth: number): void {
  if (depth > 4 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) nestedUnmapped(item, path, out, depth + 1);
    return;
  }
  for (const key in value as Json) {
    const child = `${path}.${key}`;
    if (NESTED(key)) {
      if (!out.includes(child)) out.push(child);
    } else nestedUnmapped((value as Json)[key], child, out, depth + 1);
  }
}
