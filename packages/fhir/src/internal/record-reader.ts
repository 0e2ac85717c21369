/**
 * What the FHIR → model readers share: the {@link RecordReader} each concept file declares, the
 * {@link ReadIndex} over the whole input (references, record ids, peers behind patients, what was
 * read) and small helpers to read codes and extensions into record JSON.
 */
import type { CodeEntry } from '@peerkit/model';
import type { CodeableConcept, Extension, Identifier, Reference } from 'fhir/r4';
import { codeIn, extOf, extsOf, isCode, type Reader } from './read';

/** A resource or record as plain JSON. */
export type Json = Record<string, unknown>;

/** A FHIR resource of type `T` as read from untrusted input: any element may be missing. */
export type Loose<T> = Partial<T> & Json;

/** A resource of the input with its position. */
export interface Indexed<T = Json> {
  resource: T;
  index: number;
}

/** Builds one record's JSON, reporting on `r`; `undefined` when it cannot be built. */
export type BuildRecord = (r: Reader) => Json | undefined;

/** Hands one record to `fromFhir`: the index of its first resource, and how to build it. */
export type EmitRecord = (index: number, build: BuildRecord) => void;

/**
 * How one concept reads its records back from FHIR. `fromFhir` calls every reader's `index` for each
 * resource, then every reader's `read`, in the order of its reader list.
 */
export interface RecordReader {
  /** Notes what references to the concept's resources resolve to (record ids, peers behind patients). */
  index?(ix: ReadIndex, resource: Json): void;
  /** Emits the concept's records and marks each resource it reads as consumed. */
  read(ix: ReadIndex, emit: EmitRecord): void;
}

/** Options of {@link resourceReader}. */
export interface ResourceReaderOptions<T> {
  /** The resource type each record starts from. */
  type: string;
  /** The business identifier (`<base>/<name>`) that names the record, so references to the resource resolve to its record id. */
  identifier: string;
  /** Builds the record from one resource, marking the other resources it reads as consumed. */
  read: (ix: ReadIndex, r: Reader, resource: Loose<T>) => Json | undefined;
  /** `true` for a resource of the type that another reader reads. Default: none. */
  skip?: (ix: ReadIndex, resource: Loose<T>) => boolean;
  /** Indexes more than the record id (e.g. the Goals of a plan). Default: nothing more. */
  index?: (ix: ReadIndex, resource: Json) => void;
}

/** A reader whose records each start from one resource of a type, in input order. */
export function resourceReader<T>(options: ResourceReaderOptions<T>): RecordReader {
  const { type, identifier, read, skip, index } = options;
  return {
    index(ix, resource) {
      ix.noteRecordId(resource, type, identifier);
      index?.(ix, resource);
    },
    read(ix, emit) {
      for (const { resource, index: at } of ix.of<T>(type)) {
        if (skip?.(ix, resource)) continue;
        ix.consumed.add(resource);
        emit(at, (r) => read(ix, r, resource));
      }
    },
  };
}

/** The keys a patient reference is known by: its reference and its identifier. */
export function patientKeys(reference: Reference | undefined): string[] {
  if (!reference || typeof reference !== 'object') return [];
  const keys: string[] = [];
  if (typeof reference.reference === 'string') keys.push(reference.reference);
  const id = reference.identifier;
  if (id && typeof id.value === 'string') keys.push(`${id.system ?? ''}|${id.value}`);
  return keys;
}

/** Resolves references and identifiers across the whole input, and tracks which resources were read. */
export class ReadIndex {
  readonly byRef = new Map<string, Indexed>();
  /** `Patient` reference or identifier key → peer id. */
  readonly peerOfPatient = new Map<string, string>();
  /** Resource key (`Type/id`) → record id, for resources that carry a PeerKit business identifier. */
  readonly recordId = new Map<string, string>();
  /** Resources that some record was read from (the others are reported as unsupported). */
  readonly consumed = new Set<Json>();
  /** Every resource, in input order. */
  readonly resources: (Indexed & { type: string })[] = [];
  private readonly byType = new Map<string, Indexed[]>();

  constructor(readonly canonical: string) {}

  /** Adds a resource of the input. */
  add(resource: Json, index: number, type: string): void {
    this.resources.push({ resource, index, type });
    const list = this.byType.get(type) ?? [];
    list.push({ resource, index });
    this.byType.set(type, list);
    if (typeof resource.id === 'string') this.byRef.set(`${type}/${resource.id}`, { resource, index });
  }

  /** The resources of a type, in input order. */
  of<T>(type: string): Indexed<Loose<T>>[] {
    return (this.byType.get(type) ?? []) as Indexed<Loose<T>>[];
  }

  /** The first resource of a type that passes `test`. */
  find<T>(type: string, test: (resource: Loose<T>) => boolean): Loose<T> | undefined {
    return this.of<T>(type).find((t) => test(t.resource))?.resource;
  }

  /** The URI of a PeerKit CodeSystem. */
  cs(name: string): string {
    return `${this.canonical}/CodeSystem/${name}`;
  }

  /** The URI of a PeerKit extension or profile. */
  url(name: string): string {
    return `${this.canonical}/StructureDefinition/${name}`;
  }

  /** Notes the record id behind a resource of `type` that carries the business identifier `name`. */
  noteRecordId(resource: Json, type: string, name: string): void {
    if (resource.resourceType !== type || typeof resource.id !== 'string') return;
    const found = businessId(resource.identifier, name);
    if (found) this.recordId.set(`${type}/${resource.id}`, found.value);
  }

  /** The record id behind a reference, or the referenced id itself for foreign data. */
  idOf(reference: Reference | undefined, type: string): string | undefined {
    const value = reference?.reference;
    if (typeof value !== 'string') return undefined;
    const match = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(value);
    if (!match || match[1] !== type) return undefined;
    return this.recordId.get(value) ?? match[2];
  }

  /** The program id behind a `HealthcareService` reference (from the resource when present). */
  recordIdOfProgram(reference: Reference | undefined): string | undefined {
    const value = reference?.reference;
    if (typeof value !== 'string') return undefined;
    const found = this.byRef.get(value);
    if (found) return businessId(found.resource.identifier, 'program')?.value;
    // Not in the input: the id is `hs-<organizationId>.<programId>`.
    const id = value.split('/')[1] ?? '';
    return id.startsWith('hs-') ? id.slice(id.lastIndexOf('.') + 1) : id;
  }

  /** The peer behind a patient reference. */
  peerOf(reference: Reference | undefined): string | undefined {
    for (const key of patientKeys(reference)) {
      const peer = this.peerOfPatient.get(key);
      if (peer !== undefined) return peer;
    }
    return undefined;
  }
}

/** The peer behind a patient reference; reports an unresolved reference when there is none. */
export function peerIdOf(ix: ReadIndex, r: Reader, reference: Reference | undefined, path: (string | number)[]): string | undefined {
  const peer = ix.peerOf(reference);
  if (peer === undefined) r.unresolved(path, 'The patient reference');
  return peer;
}

/** The value when it is a string. */
export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The business identifier value under `<base>/<name>`, with the base it was found under. */
export function businessId(identifiers: unknown, name: string): { base: string; value: string } | undefined {
  if (!Array.isArray(identifiers)) return undefined;
  for (const id of identifiers as Identifier[]) {
    if (typeof id?.system === 'string' && id.system.endsWith(`/${name}`) && typeof id.value === 'string') {
      return { base: id.system.slice(0, -name.length - 1), value: id.value };
    }
  }
  return undefined;
}

/** Identifiers other than PeerKit's business identifiers of the given names. */
export function otherIdentifiers(identifiers: Identifier[] | undefined, names: string[]): { system?: string; value: string }[] {
  return (identifiers ?? []).flatMap((id) => {
    if (typeof id.value !== 'string') return [];
    if (typeof id.system === 'string' && names.some((n) => id.system!.endsWith(`/${n}`))) return [];
    return [id.system === undefined ? { value: id.value } : { system: id.system, value: id.value }];
  });
}

/** The code of a CodeableConcept in `system` when it is in the model code list; an unknown code is reported. */
export function code<C extends string>(
  r: Reader,
  list: readonly CodeEntry<C>[],
  concept: CodeableConcept | undefined,
  system: string,
  path: (string | number)[],
  what: string,
): C | undefined {
  const value = codeIn(concept, system);
  if (value === undefined) return undefined;
  if (isCode(list, value)) return value;
  r.unknownCode(path, what);
  return undefined;
}

/** The code of an extension's `valueCoding` in `system` when it is in the model code list; else reported. */
export function codingOf<C extends string>(
  r: Reader,
  list: readonly CodeEntry<C>[],
  extension: Extension | undefined,
  system: string,
  path: (string | number)[],
  what: string,
): C | undefined {
  const coding = extension?.valueCoding;
  if (!coding) return undefined;
  if (coding.system === system && isCode(list, coding.code)) return coding.code;
  r.unknownCode(path, what);
  return undefined;
}

/** The first sub-extension of a complex extension. */
export const sub = (extension: Extension | undefined, url: string): Extension | undefined => extOf(extension, url);

/** The sub-extensions of a complex extension. */
export const subs = (extension: Extension | undefined, url: string): Extension[] => extsOf(extension, url);

/** Drops undefined members (shallow), so records hold no undefined keys. */
export function defined<T extends Json>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

/** The resource type a reference points to. */
export function refType(reference: Reference | undefined): string | undefined {
  const value = reference?.reference;
  return typeof value === 'string' ? value.split('/')[0] : undefined;
}

/** Reports extensions outside PeerKit's canonical base (and `known`), and contained resources, as ignored. */
export function warnForeignExtensions(ix: ReadIndex, r: Reader, element: { extension?: unknown }, known: string[] = []): void {
  if (!Array.isArray(element.extension)) return;
  (element.extension as Extension[]).forEach((e, i) => {
    if (typeof e?.url !== 'string' || (!known.includes(e.url) && !e.url.startsWith(`${ix.canonical}/`))) {
      r.ignored(['extension', i], 'An extension');
    }
  });
  if (Array.isArray((element as { contained?: unknown }).contained)) r.ignored(['contained'], 'A contained resource');
}
