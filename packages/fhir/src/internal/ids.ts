/** FNV-1a 64-bit hash of a string, as 16 hex digits. Deterministic and dependency-free. */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * prime) & mask;
  }
  return hash.toString(16).padStart(16, '0');
}

const MAX_ID = 64;

/**
 * A FHIR resource id from a prefix and record ids: `<prefix>-<part>.<part>`; an id over 64 characters
 * becomes its first 47 characters, `-` and a 16-hex hash of the whole, so it stays unique and valid.
 */
export function resourceId(prefix: string, ...parts: string[]): string {
  const id = `${prefix}-${parts.join('.')}`;
  return id.length <= MAX_ID ? id : `${id.slice(0, MAX_ID - 17)}-${fnv1a64(id)}`;
}
