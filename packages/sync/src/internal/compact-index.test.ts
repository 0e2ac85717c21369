import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintTable, SettledIndex, StringArena } from './compact-index';

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

describe('SettledIndex', () => {
  it('finds a settled entry by key and by fullUrl; a dead letter can be confirmed later, not the reverse', () => {
    const index = new SettledIndex();
    index.confirm('Patient?identifier=s|1', 'urn:uuid:1', 'Patient/a', true);
    index.deadLetter('Encounter?identifier=s|2', 'urn:uuid:2');
    expect(index.get('urn:uuid:1')).toEqual({ state: 'confirmed', location: 'Patient/a', created: true });
    expect(index.get('Patient?identifier=s|1')).toEqual(index.get('urn:uuid:1'));
    expect(index.get('urn:uuid:2')).toEqual({ state: 'dead-lettered' });
    index.deadLetter('Patient?identifier=s|1', undefined);
    expect(index.get('Patient?identifier=s|1')?.state).toBe('confirmed');
    index.confirm('Encounter?identifier=s|2', 'urn:uuid:2', 'Encounter/b', false);
    expect(index.get('urn:uuid:2')).toEqual({ state: 'confirmed', location: 'Encounter/b', created: false });
    expect(index.confirmed).toBe(2);
    index.clear();
    expect([index.confirmed, index.get('urn:uuid:1')]).toEqual([0, undefined]);
  });
});
