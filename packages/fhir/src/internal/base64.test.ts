import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64';

describe('fromBase64', () => {
  it('gives back any UTF-8 text encoded with toBase64', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => fromBase64(toBase64(text)) === text));
  });

  it.each([
    ['a length that is not a multiple of 4', 'abc'],
    ['characters outside base64', 'ab$d'],
    ['bytes that are not UTF-8', '/w=='],
  ])('refuses %s', (_name, data) => {
    expect(fromBase64(data)).toBeUndefined();
  });

  it('ignores line breaks inside the data', () => {
    expect(fromBase64(`${toBase64('peer support')}`.replace(/(.{4})/g, '$1\n'))).toBe('peer support');
  });
});

describe('fromBase64 on any bytes', () => {
  it('gives the bytes as UTF-8 text when they are UTF-8, else undefined (as a strict decoder does)', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        let expected: string | undefined;
        try {
          expected = strict.decode(bytes);
        } catch {
          expected = undefined;
        }
        return fromBase64(Buffer.from(bytes).toString('base64')) === expected;
      }),
    );
  });
});
