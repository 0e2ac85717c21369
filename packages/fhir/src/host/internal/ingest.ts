// Turns any input form (Bundle, resource, array, NDJSON text or lines) into positioned resources,
// reporting every position that holds no resource.
import type { Finding, IssuePath } from '@peerkit/model';
import { hostFinding, type HostPosition } from '../findings';
import type { HostEntryItem, HostLine } from '../types';
import { isObject, str, type Json } from './json';
import { R4_RESOURCE_TYPES } from './r4-resource-types';

/** A resource of the input with its position; contained resources point to their container. */
export interface HostEntry extends HostPosition {
  readonly resource: Json;
  readonly type: string;
  /** Path of the input item (the container's, for a contained resource): the entry is its own {@link HostPosition}. */
  readonly path: IssuePath;
  /** 1-based NDJSON line of the item, when it is a line. */
  readonly line: number | undefined;
  /** Path from the item to the resource: `[]` (shared, {@link TOP_LEVEL}), or `['contained', i]`. */
  readonly element: IssuePath;
  readonly fullUrl: string | undefined;
  /** Service base of an absolute `http(s)` fullUrl (`https://host/fhir/`), against which relative references resolve. */
  readonly base: string | undefined;
  readonly container: HostEntry | undefined;
  /** Contained resources by id. */
  readonly contained: ReadonlyMap<string, HostEntry> | undefined;
  /** Input order of top-level entries (contained ones share their container's). */
  readonly order: number;
  /** `true` when the JSON text it was parsed from has no `modifierExtension` (so no walk is needed to know). */
  readonly noModifier: boolean;
  /** Set once a reader has read it into a record or the context (one read's state: entries are per read). */
  claimed: boolean;
  /** `resource.id` when a non-empty string (read once, so finding a resource by id needs no parse). */
  readonly id: string | undefined;
  /** `resource.meta.profile` when it is an array. */
  readonly profiles: readonly unknown[] | undefined;
  /** `true` when `status` or `lifecycleStatus` is `entered-in-error`. */
  readonly enteredInError: boolean;
  /** `true` when the resource has `meta.security` or `securityLabel` (else it has no security label). */
  readonly labeled: boolean;
  /** `subject.reference` when a non-empty string. */
  readonly subject: string | undefined;
  /**
   * The reference to the patient the resource is about, as written: `subject`, else `patient`,
   * `beneficiary` or `for` (a Task's) — the elements by which most resources PeerKit reads are in a
   * Patient's compartment (https://hl7.org/fhir/R4/compartmentdefinition-patient.html). A streamed
   * read closes its windows where it changes (see `streamHostFhir`).
   */
  readonly about: string | undefined;
  /**
   * The `system|value` key of each identifier with a string `value`, in order (repeats kept), read at
   * ingest so the index finds resources by identifier without parsing them again (see {@link identifierKey}):
   * one key as itself (no list per resource for the usual single identifier), several as a list.
   */
  readonly identifierKeys: string | readonly string[] | undefined;
  /** For a resource kept as its NDJSON line, the reference strings its reader's `link` follows (see `HostTypeReader.linkReferences`). */
  readonly linkReferences: readonly string[] | undefined;
  /** Keeps the resource object read now for the rest of the read (a reader keeps objects of it by identity). */
  pin(): void;
}

/** The slots {@link EntryLoads} keeps between turns (a reader's turn parses a few resources; more are let go). */
const KEPT_SLOTS = 64;

/**
 * The resources of a read parsed again from their NDJSON line (see {@link HostIngestOptions.lazy}):
 * while a read runs, each one parsed is let go at the next {@link release} (unless pinned), so the
 * parsed JSON dies young instead of living, and being copied by the garbage collector, until the end
 * of the window. Outside a read a resource parsed again stays.
 */
export class EntryLoads {
  /** The resources parsed again since the last release, in `loaded[0 … count)`; its slots are reused (a list emptied by `length = 0` would be reallocated at each read). */
  private readonly loaded: (Entry | undefined)[] = [];
  /** `-1` outside a read (nothing is let go). */
  private count = -1;

  /** Notes a resource parsed again (internal: called by the entry). */
  add(entry: Entry): void {
    if (this.count >= 0) this.loaded[this.count++] = entry;
  }

  /** From now on, resources parsed again are let go at each {@link release}. */
  start(): void {
    if (this.count < 0) this.count = 0;
  }

  /** Lets go every resource parsed again since the last release (a pinned one stays). */
  release(): void {
    for (let i = 0; i < this.count; i++) {
      this.loaded[i]!.release();
      this.loaded[i] = undefined;
    }
    if (this.count > 0) this.count = 0;
    // A turn that parsed many (a whole window) leaves no slots beyond the usual few behind it.
    if (this.loaded.length > KEPT_SLOTS) this.loaded.length = KEPT_SLOTS;
  }

  /** Releases, and from now on keeps what is parsed again (the caller reads a record's sources). */
  stop(): void {
    this.release();
    this.count = -1;
  }
}

/**
 * The key a resource is found by for the identifier `system|value` (a system that is no string counts as
 * none; a value that is neither a string nor a number as empty): the index's one normalisation, at ingest
 * and at lookup.
 */
export const identifierKey = (system: unknown, value: unknown): string =>
  `${typeof system === 'string' ? system : ''}|${typeof value === 'string' || typeof value === 'number' ? String(value) : ''}`;

/** The {@link HostEntry.identifierKeys} of a resource: `undefined` when it has none. */
function identifierKeysOf(identifiers: unknown): string | readonly string[] | undefined {
  if (!Array.isArray(identifiers)) return undefined;
  let first: string | undefined;
  let keys: string[] | undefined;
  for (let i = 0; i < identifiers.length; i++) {
    const identifier: unknown = identifiers[i];
    if (!isObject(identifier) || typeof identifier.value !== 'string') continue;
    const key = identifierKey(identifier.system, identifier.value);
    if (first === undefined) first = key;
    else (keys ??= [first]).push(key);
  }
  return keys ?? first;
}

/** Options of {@link HostIngest}. */
export interface HostIngestOptions {
  /**
   * The types whose resources, read from an NDJSON line, keep only that line and what the index needs
   * (id, profiles, status, labels, subject, identifier keys), and are parsed again when read. Default none: every
   * resource is kept parsed.
   */
  readonly lazy?: (type: string) => boolean;
  /** The reference strings a lazily read resource's type links by (see `HostTypeReader.linkReferences`). Default none. */
  readonly linkReferences?: (type: string, resource: Json) => readonly string[] | undefined;
}

/** A Bulk Data `$export` completion manifest found in the input. */
export interface HostManifest {
  readonly json: Json;
  readonly position: HostPosition;
}

/** The `element` of every top-level entry: one frozen empty path, not one per resource. */
export const TOP_LEVEL: IssuePath = Object.freeze([]);

const BASE = /^(https?:\/\/.*\/)[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}(\/_history\/[^/]*)?$/;

const isHostLine = (value: unknown): value is HostLine =>
  isObject(value) && value.resourceType === undefined && typeof value.text === 'string' && typeof value.line === 'number';

const isEntryItem = (value: unknown): value is HostEntryItem =>
  isObject(value) && value.resourceType === undefined && isObject(value.resource) && Array.isArray(value.path);

const isManifest = (value: Json): boolean => Array.isArray(value.output) && value.transactionTime !== undefined;

/** What an ingest read: its resources, findings (with the input order they stand at) and manifests. */
export interface HostIngested {
  readonly entries: readonly HostEntry[];
  readonly findings: readonly Finding[];
  /** For each finding, the number of entries read before it (to merge findings in input order). */
  readonly findingOrders: readonly number[];
  readonly manifests: readonly HostManifest[];
  /** The loads of the resources parsed again (only when some are). */
  readonly loads?: EntryLoads | undefined;
}

/** Collects the resources of the input, in order, with a finding for every position that holds none. */
export class HostIngest implements HostIngested {
  readonly entries: HostEntry[] = [];
  readonly manifests: HostManifest[] = [];
  readonly findings: Finding[] = [];
  /** For each finding, the number of entries read before it (to merge findings in input order). */
  readonly findingOrders: number[] = [];
  private nextIndex = 0;
  private nextLine = 1;
  /** Entries read so far, over every {@link take}: the input order of the next entry. */
  private nextOrder = 0;
  /** The file of the last line read, and the path of its lines (frozen, shared by their positions, findings and sources). */
  private lineFile: string | undefined = undefined;
  private linePath: IssuePath = TOP_LEVEL;

  readonly loads: EntryLoads | undefined;
  private readonly lazy: ((type: string) => boolean) | undefined;
  private readonly linkReferences: ((type: string, resource: Json) => readonly string[] | undefined) | undefined;

  constructor(
    private readonly file: string | undefined,
    options: HostIngestOptions = {},
  ) {
    this.lazy = options.lazy;
    this.linkReferences = options.linkReferences;
    this.loads = this.lazy === undefined ? undefined : new EntryLoads();
  }

  /**
   * What was read since the last call (entries, findings, manifests), handed over and let go here.
   *
   * @param keep - how many of the last entries to keep for the next call, with the findings reported
   *   after the first of them came in (those reported before it are handed over now). Default none.
   */
  take(keep = 0): HostIngested {
    const handed = Math.max(0, this.entries.length - keep);
    // Findings are in input order: those at or before the first kept entry's order go now.
    const firstKept = handed < this.entries.length ? this.entries[handed]!.order : Number.POSITIVE_INFINITY;
    let findings = 0;
    while (findings < this.findingOrders.length && this.findingOrders[findings]! <= firstKept) findings++;
    return {
      entries: this.entries.splice(0, handed),
      findings: this.findings.splice(0, findings),
      findingOrders: this.findingOrders.splice(0, findings),
      manifests: this.manifests.splice(0),
      loads: this.loads,
    };
  }

  /** Reads a whole input that is not an iterable of items. */
  whole(input: unknown): void {
    if (typeof input === 'string') this.text(input);
    else if (Array.isArray(input)) for (let i = 0; i < input.length; i++) this.item(input[i]);
    else if (!isObject(input) && isIterable(input)) for (const item of input) this.item(item);
    else this.value(input, this.at([]), undefined, undefined);
  }

  /** Reads one item of an iterable input: a resource, an NDJSON line, a {@link HostLine} or a {@link HostEntryItem}. */
  item(value: unknown): void {
    const index = this.nextIndex++;
    if (typeof value === 'string') this.line(value, this.nextLine++, this.file);
    else if (isHostLine(value)) this.line(value.text, value.line, value.file ?? this.file);
    else if (isEntryItem(value)) this.value(value.resource, this.at(value.path), undefined, str(value.fullUrl));
    else this.value(value, this.at([index]), undefined, undefined);
  }

  /** A text: one JSON document (a file), or NDJSON lines. */
  private text(text: string): void {
    const first = text.trimStart()[0];
    if (first === '{' || first === '[') {
      let parsed: unknown;
      let whole = true;
      try {
        parsed = JSON.parse(text);
      } catch {
        whole = false;
      }
      if (whole) {
        this.value(parsed, this.at([]), undefined, undefined, !text.includes('modifierExtension'));
        return;
      }
    }
    let line = 0;
    for (const part of text.split('\n')) this.line(part, ++line, this.file);
  }

  private line(text: string, line: number, file: string | undefined): void {
    // A line that opens an object is not blank (no trimmed copy of every line to know it).
    if (text.charCodeAt(0) !== 123 && text.trim() === '') return;
    if (file !== this.lineFile) {
      this.lineFile = file;
      this.linePath = file === undefined ? TOP_LEVEL : Object.freeze([file]);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.report(hostFinding('host.invalid-json', { path: this.linePath, line }, [], 'The line is not JSON'));
      return;
    }
    // The line's path and number go on its entry, with no position object per line.
    this.value(parsed, this.linePath, line, undefined, !text.includes('modifierExtension'), text);
  }

  private report(finding: Finding): void {
    this.findings.push(finding);
    this.findingOrders.push(this.nextOrder);
  }

  private at(path: IssuePath): IssuePath {
    return this.file === undefined ? path : [this.file, ...path];
  }

  /**
   * `noModifier`: the text `value` was parsed from has no `modifierExtension` (default false: unknown).
   * `text`: the NDJSON line `value` is, kept instead of `value` when its type is read lazily.
   */
  private value(value: unknown, path: IssuePath, line: number | undefined, fullUrl: string | undefined, noModifier = false, text?: string): void {
    if (!isObject(value)) {
      this.report(hostFinding('host.not-an-object', { path, line }, [], 'The item is JSON but not an object (a resource or a Bundle)'));
      return;
    }
    const type = value.resourceType;
    if (type === undefined && isManifest(value)) {
      this.manifests.push({ json: value, position: { path, line } });
      return;
    }
    if (typeof type !== 'string' || !R4_RESOURCE_TYPES.has(type)) {
      this.report(
        hostFinding(
          'host.unknown-resource-type',
          { path, line },
          ['resourceType'],
          type === undefined ? 'The object has no resourceType' : 'resourceType is not an R4 resource type',
        ),
      );
      return;
    }
    if (type === 'Bundle') {
      this.bundle(value, path, line, noModifier);
      return;
    }
    // A resource with contained resources stays parsed: their entries are objects of it.
    const lazy = text !== undefined && fullUrl === undefined && value.contained === undefined && this.lazy?.(type) === true;
    const order = this.nextOrder++;
    this.entries.push(
      lazy
        ? new Entry(value, text, this.loads, this.linkReferences?.(type, value), type, path, line, order, noModifier, undefined)
        : createEntry(value, type, path, line, TOP_LEVEL, fullUrl, undefined, order, noModifier),
    );
  }

  private bundle(bundle: Json, path: IssuePath, line: number | undefined, noModifier: boolean): void {
    const entries = bundle.entry;
    if (!Array.isArray(entries)) return;
    entries.forEach((entry: unknown, i) => {
      const at: HostPosition = { path: [...path, 'entry', i], line };
      if (!isObject(entry)) {
        this.report(hostFinding('host.not-an-object', at, [], 'Bundle.entry is not an object'));
        return;
      }
      if (entry.resource === undefined) {
        const method = isObject(entry.request) ? entry.request.method : undefined;
        const deletion = method === 'DELETE';
        this.report(
          hostFinding(
            'host.entry-without-resource',
            at,
            ['resource'],
            deletion ? 'Bundle.entry is a DELETE request and carries no resource by design' : 'Bundle.entry has no resource',
            deletion ? 'information' : 'warning',
          ),
        );
        return;
      }
      if (!isObject(entry.resource)) {
        this.report(hostFinding('host.not-an-object', at, ['resource'], 'Bundle.entry.resource is not an object'));
        return;
      }
      this.value(entry.resource, at.path, line, str(entry.fullUrl), noModifier);
    });
  }
}

/** `true` for an object that is a (sync) `Iterable`. */
export function isIterable(value: unknown): value is Iterable<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/**
 * A {@link HostEntry}. A class, not an object literal: a window's entries live until it is read, and
 * V8 moves the objects of a literal that mostly outlive the young generation straight to the old one
 * (allocation-site pretenuring), from where each points back at its young parsed resource; every
 * scavenge then pays for those pointers (with literals, streaming took about twice the CPU time).
 */
class Entry implements HostEntry {
  /** `CLAIMED`, `ENTERED_IN_ERROR`, `LABELED`, `NO_MODIFIER`, `PINNED`: one field for five (a window keeps its entries). */
  private flags: number;
  readonly id: string | undefined;
  readonly subject: string | undefined;
  readonly about: string | undefined;
  readonly identifierKeys: string | readonly string[] | undefined;
  /** What few entries have (a fullUrl, contained resources, a container, profiles): one object, else none. */
  private readonly rare: EntryRare | undefined;
  /** The parsed resource; `undefined` while a resource kept as its line is not parsed. */
  private json: Json | undefined;

  /**
   * @param resource - the parsed resource (its fields above are read from it)
   * @param text - its NDJSON line when it is kept as that line (`resource` is then let go); else `undefined`
   */
  constructor(
    resource: Json,
    private text: string | undefined,
    private readonly loads: EntryLoads | undefined,
    readonly linkReferences: readonly string[] | undefined,
    readonly type: string,
    readonly path: IssuePath,
    readonly line: number | undefined,
    readonly order: number,
    noModifier: boolean,
    rare: Omit<EntryRare, 'profiles'> | undefined,
  ) {
    this.id = str(resource.id);
    const meta = isObject(resource.meta) ? resource.meta : undefined;
    const profiles = Array.isArray(meta?.profile) ? meta.profile : undefined;
    this.rare = rare === undefined && profiles === undefined ? undefined : { ...NO_RARE, ...rare, profiles };
    this.flags =
      (resource.status === 'entered-in-error' || resource.lifecycleStatus === 'entered-in-error' ? ENTERED_IN_ERROR : 0) |
      (meta?.security !== undefined || resource.securityLabel !== undefined ? LABELED : 0) |
      (noModifier ? NO_MODIFIER : 0);
    this.subject = isObject(resource.subject) ? str(resource.subject.reference) : undefined;
    this.about = this.subject ?? referenceOf(resource.patient) ?? referenceOf(resource.beneficiary) ?? referenceOf(resource.for);
    this.identifierKeys = identifierKeysOf(resource.identifier);
    this.json = text === undefined ? resource : undefined;
  }

  get resource(): Json {
    if (this.json !== undefined) return this.json;
    // The line parsed to an object when it was read: it does again.
    const json = JSON.parse(this.text!) as Json;
    this.json = json;
    this.loads?.add(this);
    return json;
  }

  get claimed(): boolean {
    return (this.flags & CLAIMED) !== 0;
  }

  set claimed(claimed: boolean) {
    this.flags = claimed ? this.flags | CLAIMED : this.flags & ~CLAIMED;
  }

  get enteredInError(): boolean {
    return (this.flags & ENTERED_IN_ERROR) !== 0;
  }

  get labeled(): boolean {
    return (this.flags & LABELED) !== 0;
  }

  get noModifier(): boolean {
    return (this.flags & NO_MODIFIER) !== 0;
  }

  get element(): IssuePath {
    return this.rare?.element ?? TOP_LEVEL;
  }

  get fullUrl(): string | undefined {
    return this.rare?.fullUrl;
  }

  get base(): string | undefined {
    return this.rare?.base;
  }

  get container(): HostEntry | undefined {
    return this.rare?.container;
  }

  get contained(): ReadonlyMap<string, HostEntry> | undefined {
    return this.rare?.contained;
  }

  get profiles(): readonly unknown[] | undefined {
    return this.rare?.profiles;
  }

  pin(): void {
    this.flags |= PINNED;
    // Kept parsed from now on: its line is needed no more (pinned, the parse is never let go).
    if (this.json !== undefined) this.text = undefined;
  }

  /** Lets a resource kept as its line go (internal: see {@link EntryLoads}). */
  release(): void {
    if ((this.flags & PINNED) === 0 && this.text !== undefined) this.json = undefined;
  }
}

/** `reference.reference` when a non-empty string. */
const referenceOf = (reference: unknown): string | undefined => (isObject(reference) ? str(reference.reference) : undefined);

const CLAIMED = 1;
const ENTERED_IN_ERROR = 2;
const LABELED = 4;
const NO_MODIFIER = 8;
const PINNED = 16;

/** The fields of an {@link Entry} few entries have. */
interface EntryRare {
  readonly element: IssuePath;
  readonly fullUrl: string | undefined;
  readonly base: string | undefined;
  readonly container: HostEntry | undefined;
  readonly contained: ReadonlyMap<string, HostEntry> | undefined;
  readonly profiles: readonly unknown[] | undefined;
}

const NO_RARE: EntryRare = { element: TOP_LEVEL, fullUrl: undefined, base: undefined, container: undefined, contained: undefined, profiles: undefined };

function createEntry(
  resource: Json,
  type: string,
  path: IssuePath,
  line: number | undefined,
  element: IssuePath,
  fullUrl: string | undefined,
  container: HostEntry | undefined,
  order: number,
  noModifier: boolean,
): HostEntry {
  const list = container === undefined && Array.isArray(resource.contained) ? (resource.contained as unknown[]) : undefined;
  const contained = list === undefined ? undefined : new Map<string, HostEntry>();
  const base = fullUrl === undefined || !fullUrl.startsWith('http') ? undefined : BASE.exec(fullUrl)?.[1];
  const rare = element === TOP_LEVEL && fullUrl === undefined && container === undefined && contained === undefined ? undefined : { element, fullUrl, base, container, contained };
  const entry = new Entry(resource, undefined, undefined, undefined, type, path, line, order, noModifier, rare);
  list?.forEach((item, i) => {
    if (!isObject(item) || typeof item.resourceType !== 'string' || typeof item.id !== 'string') return;
    contained!.set(item.id, createEntry(item, item.resourceType, path, line, ['contained', i], undefined, entry, order, noModifier));
  });
  return entry;
}
