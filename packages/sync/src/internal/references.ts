// Walking references is @peerkit/fhir's: one implementation for the mapping and the sync.
export { collectReferences, rewriteReferences } from '@peerkit/fhir';

/** `Type?params`: a conditional reference (resolved by the server in a transaction). */
export function isConditionalReference(reference: string): boolean {
  return /^[A-Z][A-Za-z]+\?./.test(reference);
}

/**
 * `Type/id` from a response `location` or a reference: absolute or relative, with or without
 * `_history/vid`. Undefined when it names no resource.
 */
export function toLocalReference(location: string): string | undefined {
  const path = location.split('?')[0] ?? '';
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?\/?$/.exec(path);
  return match === null ? undefined : `${match[1]}/${match[2]}`;
}

/** Deep equality of JSON values, ignoring key order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(b)) return false;
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ak.length === bk.length &&
    ak.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/**
 * A flat copy of a string. Keys built by concatenation are V8 "cons strings" that keep every piece
 * alive (several objects per key); indexes holding hundreds of thousands of keys keep flat copies.
 */
export function flat(value: string): string {
  return JSON.parse(JSON.stringify(value)) as string;
}
