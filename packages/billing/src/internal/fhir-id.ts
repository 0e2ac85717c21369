const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** FNV-1a, 32 bits, as 8 hex digits: a short stable digest for ids. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * A FHIR resource id derived from a key: the key itself when it is a valid id, else its characters
 * outside `[A-Za-z0-9-.]` replaced by `-` and, when too long, cut with a digest of the whole key.
 */
export function toFhirId(key: string): string {
  if (FHIR_ID.test(key)) return key;
  const clean = key.replace(/[^A-Za-z0-9\-.]/g, '-');
  if (clean !== key || clean.length > 64) {
    const digest = fnv1a(key);
    return `${clean.slice(0, 64 - digest.length - 1)}-${digest}`;
  }
  return clean;
}
