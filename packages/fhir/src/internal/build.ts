import { labelOf, type CodeEntry } from '@peerkit/model';
import type { Coding, Extension, Identifier, Meta, Reference } from 'fhir/r4';
import type { FhirContext } from '../context';
import { part2Labels } from '../security-labels';

/** The URI of a PeerKit CodeSystem. */
export const codeSystemUrl = (ctx: FhirContext, name: string): string => `${ctx.canonical}/CodeSystem/${name}`;

/** The URI of a PeerKit extension or profile. */
export const structureUrl = (ctx: FhirContext, name: string): string => `${ctx.canonical}/StructureDefinition/${name}`;

/** A Coding from a PeerKit CodeSystem built from a model code list (display = label). */
export function peerkitCoding(ctx: FhirContext, system: string, list: readonly CodeEntry[], code: string): Coding {
  const display = labelOf(list, code);
  return display === undefined
    ? { system: codeSystemUrl(ctx, system), code }
    : { system: codeSystemUrl(ctx, system), code, display };
}

/** A business identifier `<identifierSystem>/<name>|<value>`. */
export const businessIdentifier = (ctx: FhirContext, name: string, value: string): Identifier => ({
  system: `${ctx.identifierSystem}/${name}`,
  value,
});

/** A business key as a `meta.tag` Coding, for resources without an `identifier` element (Provenance). */
export const businessTag = (ctx: FhirContext, name: string, value: string): Coding => ({
  system: `${ctx.identifierSystem}/${name}`,
  code: value,
});

/** `meta` with the profile the resource claims, plus the Part 2 security labels when `part2`. */
export function meta(ctx: FhirContext, profile: string, part2: boolean): Meta {
  const out: Meta = { profile: [structureUrl(ctx, profile)] };
  if (part2) out.security = part2Labels();
  return out;
}

/** A relative reference `Type/id`. */
export const ref = (type: string, id: string): Reference => ({ reference: `${type}/${id}` });

/** A simple extension; `undefined` values are dropped by {@link exts}. */
export function ext(url: string, value: Omit<Extension, 'url'> | undefined): Extension | undefined {
  return value === undefined ? undefined : { url, ...value };
}

/** Drops undefined entries; `undefined` when none is left (so the element is omitted). */
export function exts(...items: (Extension | undefined)[]): Extension[] | undefined {
  const kept = items.filter((item): item is Extension => item !== undefined);
  return kept.length > 0 ? kept : undefined;
}

/** Sets `key` on `target` only when `value` is defined (keeps output free of `undefined`). */
export function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** A non-empty array or `undefined`. */
export function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}
