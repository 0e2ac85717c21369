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

  constructor(private readonly file: string | undefined) {}

  /** What was read since the last call (entries, findings, manifests), handed over and let go here. */
  take(): HostIngested {
    return { entries: this.entries.splice(0), findings: this.findings.splice(0), findingOrders: this.findingOrders.splice(0), manifests: this.manifests.splice(0) };
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
    if (text.trim() === '') return;
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
    this.value(parsed, this.linePath, line, undefined, !text.includes('modifierExtension'));
  }

  private report(finding: Finding): void {
    this.findings.push(finding);
    this.findingOrders.push(this.nextOrder);
  }

  private at(path: IssuePath): IssuePath {
    return this.file === undefined ? path : [this.file, ...path];
  }

  /** `noModifier`: the text `value` was parsed from has no `modifierExtension` (default false: unknown). */
  private value(value: unknown, path: IssuePath, line: number | undefined, fullUrl: string | undefined, noModifier = false): void {
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
    this.entries.push(createEntry(value, type, path, line, TOP_LEVEL, fullUrl, undefined, this.nextOrder++, noModifier));
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
  const entry: HostEntry = { resource, type, path, line, element, fullUrl, base, container, contained, order, noModifier, claimed: false };
  list?.forEach((item, i) => {
    if (!isObject(item) || typeof item.resourceType !== 'string' || typeof item.id !== 'string') return;
    contained!.set(item.id, createEntry(item, item.resourceType, path, line, ['contained', i], undefined, entry, order, noModifier));
  });
  return entry;
}
