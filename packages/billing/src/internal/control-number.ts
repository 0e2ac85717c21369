/**
 * Short, stable control numbers for X12: the same key always gives the same number, so an 835's
 * CLP01 and REF*6R lead back to the claim and the line without a table kept between runs.
 */

/** 64-bit FNV-1a of a string (two 32-bit lanes), as an unsigned BigInt. */
function fnv64(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (const ch of new TextEncoder().encode(text)) {
    hash ^= BigInt(ch);
    hash = (hash * prime) & 0xffffffffffffffffn;
  }
  return hash;
}

/** `prefix` and the key's hash in upper-case base 36 (at most 13 characters after the prefix). */
export function controlNumber(prefix: string, key: string): string {
  return `${prefix}${fnv64(key).toString(36).toUpperCase()}`;
}
