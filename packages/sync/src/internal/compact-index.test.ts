import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintTable, StringArena } from './compact-index';

describe('FingerprintTable', () => {
  it('stores and finds any strings, through growth', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 400 }), (keys) => {
        const table = new FingerprintTable(16);
        keys.forEach((key, i) => table.set(key, i));
        expect(table.size).toBe(keys.length);
        keys.forEach((key, i) => expect(table.get(key)).toBe(i));
        expect(table.get('\u0000not-a-key\u0000')).toBeUndefined();
      }),
    );
  });

  it('tells apart 300,000 keys that differ in one character, in length only, or in the order of code units', () => {
    const table = new FingerprintTable();
    const keys: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const id = i.toString(36);
      keys.push(`Encounter?identifier=https://example.org/enc|e-${id}`, `Encounter?identifier=https://example.org/enc|e-${id}\u0000`, `urn:uuid:${id.padStart(8, '0')}-0000-4000-8000-000000000000`);
    }
    keys.forEach((key, i) => table.set(key, i));
    expect(table.size).toBe(keys.length);
    expect(keys.every((key, i) => table.get(key) === i)).toBe(true);
    const swapped = new FingerprintTable();
    swapped.set('ab', 1);
    expect(swapped.get('ba')).toBeUndefined();
  });

  it('replaces a value and forgets everything on clear', () => {
    const table = new FingerprintTable();
    table.set('k', 1);
    table.set('k', 2);
    expect([table.size, table.get('k')]).toEqual([1, 2]);
    table.clear();
    expect([table.size, table.get('k')]).toEqual([0, undefined]);
  });
});

describe('StringArena', () => {
  it('gives back every string as added, whatever its characters', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 60 }), { maxLength: 300 }), (texts) => {
        const arena = new StringArena();
        const records = texts.map((t) => arena.add(t));
        expect(records.map((r) => arena.get(r))).toEqual(texts);
      }),
    );
  });
});
