// Readers of untrusted JSON: every accessor accepts any value and never throws.

/** A JSON object. */
export type Json = Record<string, unknown>;

/** `true` for a JSON object (not null, not an array). */
export const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The value when it is a non-empty string. */
export const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The value when it is a finite number. */
export const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The value when it is an object. */
export const obj = (value: unknown): Json | undefined => (isObject(value) ? value : undefined);

/** The object members of an array (or of a single object, as some senders write 0..* elements). */
export function objs(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** The codings of a CodeableConcept, or of a list of them. */
export function codings(concepts: unknown): Json[] {
  const out: Json[] = [];
  for (const concept of objs(concepts)) out.push(...objs(concept.coding));
  return out;
}

/** A coding's `system|code` key (`undefined` when either is missing). */
export function codingKey(coding: Json): string | undefined {
  const system = str(coding.system);
  const code = str(coding.code);
  return system === undefined || code === undefined ? undefined : `${system}|${code}`;
}

/** The first coding of `concepts` in `system`, by its code. */
export function codeIn(concepts: unknown, system: string): string | undefined {
  for (const coding of codings(concepts)) if (coding.system === system && str(coding.code)) return coding.code as string;
  return undefined;
}
