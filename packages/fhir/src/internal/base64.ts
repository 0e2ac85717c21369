// UTF-8 <-> base64 without Node's Buffer, so the package runs in a browser too.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Each base64 character's value, by char code (a constant table: never written after it is built). */
const VALUE = Uint8Array.from({ length: 128 }, (_, code) => Math.max(0, ALPHABET.indexOf(String.fromCharCode(code))));

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

/** Decodes base64 to UTF-8 text; `undefined` when the input is not base64. */
export function fromBase64(data: string): string | undefined {
  const clean = /\s/.test(data) ? data.replace(/\s+/g, '') : data;
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((clean.length / 4) * 3 - padding);
  let out = 0;
  for (let i = 0; i < clean.length; i += 4) {
    // The pattern above admits only ASCII alphabet characters and '=' (value 0).
    const n =
      (VALUE[clean.charCodeAt(i)]! << 18) | (VALUE[clean.charCodeAt(i + 1)]! << 12) | (VALUE[clean.charCodeAt(i + 2)]! << 6) | VALUE[clean.charCodeAt(i + 3)]!;
    bytes[out++] = (n >> 16) & 255;
    if (out < bytes.length) bytes[out++] = (n >> 8) & 255;
    if (out < bytes.length) bytes[out++] = n & 255;
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}
