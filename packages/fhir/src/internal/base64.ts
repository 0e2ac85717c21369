// UTF-8 <-> base64 without Node's Buffer, so the package runs in a browser too.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Encodes text as UTF-8, then base64 (RFC 4648, with padding). */
export function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += b === undefined ? '=' : ALPHABET[(n >> 6) & 63]!;
    out += c === undefined ? '=' : ALPHABET[n & 63]!;
  }
  return out;
}

/** One strict UTF-8 decoder for every call: a non-streaming `decode` keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const NOT_ASCII = /[^\x00-\x7f]/;

/** Decodes base64 to UTF-8 text; `undefined` when the input is not base64. */
export function fromBase64(data: string): string | undefined {
  const clean = /\s/.test(data) ? data.replace(/\s+/g, '') : data;
  if (clean.length % 4 !== 0 || !BASE64.test(clean)) return undefined;
  // `atob` (browsers, Node) gives each byte as one character, and accepts everything the pattern
  // above does. When every byte is ASCII that string is the UTF-8 text itself (most notes): no bytes
  // to decode.
  const binary = atob(clean);
  if (!NOT_ASCII.test(binary)) return binary;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}
