import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SettledIndex } from './compact-index';
import { DiskSettledIndex, DiskStrings, DiskTable } from './disk-index';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'peerkit-disk-index-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('DiskTable', () => {
  it('stores and finds any strings through growth (wrapping probes included), like a Map', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 30 }), fc.nat()), { maxLength: 300 }), (pairs) => {
        const dir = tempDir();
        const table = new DiskTable(join(dir, 't.index'), 16);
        const model = new Map<string, number>();
        for (const [key, value] of pairs) {
          table.set(key, { value, aux: value % 7 });
          model.set(key, value);
        }
        expect(table.size).toBe(model.size);
        for (const [key, value] of model) expect(table.get(key)).toEqual({ value, aux: value % 7 });
        expect(table.get('\u0000absent\u0000')).toBeUndefined();
        table.close();
        expect(readdirSync(dir)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});

describe('DiskStrings', () => {
  it('gives back every string as added', () => {
    const strings = new DiskStrings(join(tempDir(), 's'));
    const texts = ['Encounter/abc', '', 'Patient/é✓', 'x'.repeat(1000)];
    const places = texts.map((t) => strings.add(t));
    expect(places.map((p) => strings.get(p))).toEqual(texts);
    strings.clear();
    expect(strings.get(strings.add('again'))).toBe('again');
    strings.close();
  });
});

describe('DiskSettledIndex', () => {
  it('answers exactly as the in-memory SettledIndex for any sequence of settlements', () => {
    type Op = { op: 'confirm' | 'dead'; n: number; created: boolean };
    fc.assert(
      fc.property(fc.array(fc.record({ op: fc.constantFrom('confirm' as const, 'dead' as const), n: fc.nat(40), created: fc.boolean() }), { maxLength: 80 }), (ops: Op[]) => {
        const disk = new DiskSettledIndex(join(tempDir(), 'settled'));
        const memory = new SettledIndex();
        for (const { op, n, created } of ops) {
          const fullUrl = n % 3 === 0 ? undefined : `urn:uuid:${n}`;
          if (op === 'confirm') {
            disk.confirm(`K?identifier=s|${n}`, fullUrl, `Encounter/${n}-${created ? 'c' : 'u'}`, created);
            memory.confirm(`K?identifier=s|${n}`, fullUrl, `Encounter/${n}-${created ? 'c' : 'u'}`, created);
          } else {
            disk.deadLetter(`K?identifier=s|${n}`, fullUrl);
            memory.deadLetter(`K?identifier=s|${n}`, fullUrl);
          }
        }
        for (let n = 0; n <= 40; n++) {
          expect(disk.get(`K?identifier=s|${n}`)).toEqual(memory.get(`K?identifier=s|${n}`));
          expect(disk.get(`urn:uuid:${n}`)).toEqual(memory.get(`urn:uuid:${n}`));
        }
        expect(disk.confirmed).toBe(memory.confirmed);
        disk.clear();
        expect(disk.get('K?identifier=s|1')).toBeUndefined();
        disk.close();
      }),
      { numRuns: 60 },
    );
  });
});
