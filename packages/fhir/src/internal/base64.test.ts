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
