import type { Issue } from '@peerkit/model';
import type { CodeableConcept, Coding, Extension, Identifier, Reference } from 'fhir/r4';

/** Collects issues while reading one FHIR resource; paths are relative to the resource. */
export class Reader {
  readonly issues: Issue[] = [];

  constructor(private readonly prefix: (string | number)[]) {}

  /** A required element is missing or unreadable: the record cannot be built. */
  missing(path: (string | number)[], what: string): void {
    this.issues.push({
      severity: 'error',
      code: 'fhir.missing-element',
      path: [...this.prefix, ...path],
      message: `${what} is missing or not in a form PeerKit can read`,
    });
  }

  /** An element was present but not mapped (other system's extension, unknown code…). */
  ignored(path: (string | number)[], what: string): void {
    this.issues.push({
      severity: 'information',
      code: 'fhir.element-ignored',
      path: [...this.prefix, ...path],
      message: `${what} has no place in the PeerKit model and was not read`,
    });
  }

  /** A code outside the code list the model allows. */
  unknownCode(path: (string | number)[], what: string): void {
    this.issues.push({
      severity: 'warning',
      code: 'fhir.unknown-code',
      path: [...this.prefix, ...path],
      message: `${what} uses a code PeerKit does not know; it was not read`,
    });
  }

  /** A reference PeerKit cannot resolve to a record. */
  unresolved(path: (string | number)[], what: string): void {
    this.issues.push({
      severity: 'error',
      code: 'fhir.unresolved-reference',
      path: [...this.prefix, ...path],
      message: `${what} does not resolve to a record PeerKit knows`,
    });
  }
}

/** The extensions with a URL. */
export function extsOf(element: { extension?: Extension[] | undefined } | undefined, url: string): Extension[] {
  return element?.extension?.filter((e) => e.url === url) ?? [];
}

/** The first extension with a URL. */
export function extOf(element: { extension?: Extension[] | undefined } | undefined, url: string): Extension | undefined {
  return element?.extension?.find((e) => e.url === url);
}

/** The code of the first coding in a system. */
export function codeIn(concept: CodeableConcept | undefined, system: string): string | undefined {
  return concept?.coding?.find((c) => c.system === system)?.code;
}

/** The code of a Coding when it is in the system. */
export function codingCode(coding: Coding | undefined, system: string): string | undefined {
  return coding?.system === system ? coding.code : undefined;
}

/** The value of the first identifier with the system. */
export function identifierValue(identifiers: Identifier[] | undefined, system: string): string | undefined {
  return identifiers?.find((i) => i.system === system)?.value;
}

/** The id part of a relative reference `Type/id` of the given type. */
export function refId(reference: Reference | undefined, type: string): string | undefined {
  const value = reference?.reference;
  if (value === undefined) return undefined;
  const match = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(value);
  return match && match[1] === type ? match[2] : undefined;
}

/** `true` when `code` is one of the codes of a model code list. */
export function isCode<C extends string>(list: readonly { code: C }[], code: string | undefined): code is C {
  return code !== undefined && list.some((entry) => entry.code === code);
}

/**
 * Drops `undefined` members recursively, so output has no undefined keys. Builds new objects rather
 * than deleting keys (deleting turns objects into slow dictionaries); arrays and primitives are kept.
 */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = compact(value[i]);
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = compact(item);
  }
  return out as T;
}
