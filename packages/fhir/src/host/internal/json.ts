// Readers of untrusted JSON: every accessor accepts any value and never throws.

/** A JSON object. */
export type Json = Record<string, unknown>;

/** `true` for a JSON object (not null, not an array). */
export const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The value when it is a non-empty string. */
export const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The table's entry for a host value: only a string that is the table's own key (a host's
 * `"constructor"` is no key, and `String()` of a parsed object such as `{"toString": 1}` throws).
 */
export const lookup = <T>(table: Readonly<Record<string, T>>, value: unknown): T | undefined =>
  typeof value === 'string' && Object.hasOwn(table, value) ? table[value] : undefined;

/** The value when it is a finite number. */
export const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The value when it is an object. */
export const obj = (value: unknown): Json | undefined => (isObject(value) ? value : undefined);

const NONE: readonly Json[] = Object.freeze([]);

/**
 * The object members of an array (or of a single object, as some senders write 0..* elements). An
 * array of objects only (the usual case) is returned as it is, not copied: read it, never change it.
 */
export function objs(value: unknown): readonly Json[] {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isObject(value[i])) return value.filter(isObject);
    return value as Json[];
  }
  return isObject(value) ? [value] : NONE;
}

/** The codings of a CodeableConcept, or of a list of them (one concept's are not copied: read them, never change them). */
export function codings(concepts: unknown): readonly Json[] {
  if (isObject(concepts)) return objs(concepts.coding);
  if (!Array.isArray(concepts)) return NONE;
  if (concepts.length === 1) return isObject(concepts[0]) ? objs(concepts[0].coding) : NONE;
  const out: Json[] = [];
  for (const concept of objs(concepts)) out.push(...objs(concept.coding));
  return out;
}

/**
 * The first coding of `concepts` (a CodeableConcept or a list of them) `test` accepts, without building
 * lists; `arg` is handed to `test` (a module-level test with an argument needs no closure per call).
 */
export function findCoding<A = undefined>(concepts: unknown, test: (coding: Json, arg: A) => boolean, arg?: A): Json | undefined {
  if (isObject(concepts)) return findIn(concepts.coding, test, arg as A);
  if (!Array.isArray(concepts)) return undefined;
  for (const concept of concepts) {
    if (!isObject(concept)) continue;
    const found = findIn(concept.coding, test, arg as A);
    if (found !== undefined) return found;
  }
  return undefined;
}

function findIn<A>(list: unknown, test: (coding: Json, arg: A) => boolean, arg: A): Json | undefined {
  if (isObject(list)) return test(list, arg) ? list : undefined;
  if (!Array.isArray(list)) return undefined;
  for (const coding of list) if (isObject(coding) && test(coding, arg)) return coding;
  return undefined;
}

/** A coding's `system|code` key (`undefined` when either is missing). */
export function codingKey(coding: Json): string | undefined {
  const system = str(coding.system);
  const code = str(coding.code);
  return system === undefined || code === undefined ? undefined : `${system}|${code}`;
}

/** The first coding of `concepts` in `system`, by its code. */
export function codeIn(concepts: unknown, system: string): string | undefined {
  return findCoding(concepts, isCodedIn, system)?.code as string | undefined;
}

const isCodedIn = (coding: Json, system: string): boolean => coding.system === system && str(coding.code) !== undefined;
