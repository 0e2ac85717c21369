/**
 * Who is who, as one string: a literal reference (`Organization/54`) or an identifier in FHIR token
 * search form (`system|value`, or `|value` for any system). The Part 2 ledger, restrictions and
 * reports name patients and recipients this way, so a query from the command line (`--patient
 * Patient/1`, `--recipient http://hl7.org/fhir/sid/us-npi|1000000004`) matches the stored form.
 *
 * See: https://hl7.org/fhir/R4/search.html#token
 */
import type { Identifier, Reference } from 'fhir/r4';

/** An actor as the request and the AuditEvent carry it: a reference and/or identifiers. */
export interface TokenSource {
  readonly reference?: string | undefined;
  readonly identifier?: readonly { readonly system?: string | undefined; readonly value?: string | undefined }[] | Identifier | undefined;
}

/** `https://x/fhir/Patient/1/_history/2` → `Patient/1`; `#c1` and `urn:` stay as they are. */
export function normalizeReferenceToken(reference: string): string {
  if (reference.startsWith('#') || reference.startsWith('urn:')) return reference;
  const path = reference.replace(/\/_history\/[^/]+$/, '').replace(/\?.*$/, '');
  const parts = path.split('/').filter((p) => p !== '');
  return parts.length >= 2 ? `${parts[parts.length - 2]}/${parts[parts.length - 1]}` : path;
}

/** The identifier token `system|value` (`|value` without a system). */
export function identifierToken(identifier: { readonly system?: string | undefined; readonly value?: string | undefined }): string | undefined {
  if (identifier.value === undefined || identifier.value === '') return undefined;
  return `${identifier.system ?? ''}|${identifier.value}`;
}

/** Every token an actor can be matched by: its reference and each identifier. */
export function tokensOf(source: TokenSource | Reference | undefined): string[] {
  if (source === undefined) return [];
  const out: string[] = [];
  if (typeof source.reference === 'string' && source.reference !== '') out.push(normalizeReferenceToken(source.reference));
  const ids = source.identifier;
  const list = ids === undefined ? [] : Array.isArray(ids) ? ids : [ids as Identifier];
  for (const id of list) {
    const token = identifierToken(id);
    if (token !== undefined) out.push(token);
  }
  return out;
}

/**
 * `true` when two tokens name the same actor: equal references, or identifiers with the same value
 * and the same system (an identifier token without a system matches that value in any system).
 */
export function sameToken(a: string, b: string): boolean {
  const ai = a.indexOf('|');
  const bi = b.indexOf('|');
  if (ai < 0 || bi < 0) return ai < 0 && bi < 0 && normalizeReferenceToken(a) === normalizeReferenceToken(b);
  if (a.slice(ai + 1) !== b.slice(bi + 1)) return false;
  const as = a.slice(0, ai);
  const bs = b.slice(0, bi);
  return as === '' || bs === '' || as === bs;
}

/** `true` when some token of `a` names the same actor as some token of `b`. */
export function anySameToken(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => sameToken(x, y)));
}

/** A token back as a FHIR Reference (a literal reference, or a logical one by identifier). */
export function tokenToReference(token: string): Reference {
  const bar = token.indexOf('|');
  if (bar < 0) return { reference: token };
  const system = token.slice(0, bar);
  const value = token.slice(bar + 1);
  return { identifier: system === '' ? { value } : { system, value } };
}
