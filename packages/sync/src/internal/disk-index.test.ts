import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskSettledIndex, DiskStrings, DiskTable, openStringMap, type Settled } from './disk-index';

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
  it('finds a settled entry by key and by fullUrl; a dead letter can be confirmed later, not the reverse', () => {
    const index = new DiskSettledIndex(join(tempDir(), 'settled'));
    index.confirm('Patient?identifier=s|1', 'urn:uuid:1', 'Patient/a', true);
    index.deadLetter('Encounter?identifier=s|2', 'urn:uuid:2');
    expect(index.get('urn:uuid:1')).toEqual({ state: 'confirmed', location: 'Patient/a', created: true });
    expect(index.get('Patient?identifier=s|1')).toEqual(index.get('urn:uuid:1'));
    expect(index.get('urn:uuid:2')).toEqual({ state: 'dead-lettered' });
    expect(index.state('urn:uuid:2')).toBe('dead-lettered');
    index.deadLetter('Patient?identifier=s|1', undefined);
    expect(index.get('Patient?identifier=s|1')?.state).toBe('confirmed');
    index.confirm('Encounter?identifier=s|2', 'urn:uuid:2', 'Encounter/b', false);
    expect(index.get('urn:uuid:2')).toEqual({ state: 'confirmed', location: 'Encounter/b', created: false });
    expect(index.confirmed).toBe(2);
    index.clear();
    expect([index.confirmed, index.get('urn:uuid:1')]).toEqual([0, undefined]);
    index.close();
  });

  it('answers exactly as a Map model for any sequence of settlements', () => {
    type Op = { op: 'confirm' | 'dead'; n: number; created: boolean };
    fc.assert(
      fc.property(fc.array(fc.record({ op: fc.constantFrom('confirm' as const, 'dead' as const), n: fc.nat(40), created: fc.boolean() }), { maxLength: 80 }), (ops: Op[]) => {
        const disk = new DiskSettledIndex(join(tempDir(), 'settled'));
        // The contract: a confirmation is final; a dead letter only marks what is not settled yet.
        const model = new Map<string, Settled>();
        let confirmed = 0;
        for (const { op, n, created } of ops) {
          const key = `K?identifier=s|${n}`;
          const fullUrl = n % 3 === 0 ? undefined : `urn:uuid:${n}`;
          const names = fullUrl === undefined ? [key] : [key, fullUrl];
          if (op === 'confirm') {
            const location = `Encounter/${n}-${created ? 'c' : 'u'}`;
            disk.confirm(key, fullUrl, location, created);
            if (model.get(key)?.state !== 'confirmed') {
              for (const name of names) model.set(name, { state: 'confirmed', location, created });
              confirmed++;
            }
          } else {
            disk.deadLetter(key, fullUrl);
            if (!model.has(key)) for (const name of names) model.set(name, { state: 'dead-lettered' });
          }
        }
        for (let n = 0; n <= 40; n++) {
          expect(disk.get(`K?identifier=s|${n}`)).toEqual(model.get(`K?identifier=s|${n}`));
          expect(disk.get(`urn:uuid:${n}`)).toEqual(model.get(`urn:uuid:${n}`));
        }
        expect(disk.confirmed).toBe(confirmed);
        disk.clear();
        expect(disk.get('K?identifier=s|1')).toBeUndefined();
        disk.close();
      }),
      { numRuns: 60 },
    );
  });
});

describe('openStringMap', () => {
  it.each([['in scratch files', true], ['in memory', false]] as const)('maps strings to strings %s, a later set replacing, close removing its files', (_, onDisk) => {
    const dir = tempDir();
    const map = openStringMap(onDisk ? dir : undefined, 'peers');
    for (let i = 0; i < 3000; i++) map.set(`peer-${i}`, JSON.stringify([`Patient/p${i}`, null, [['prog', 'substance-use']]]));
    map.set('peer-7', 'replaced');
    expect(map.get('peer-7')).toBe('replaced');
    expect(map.get('peer-2999')).toBe(JSON.stringify(['Patient/p2999', null, [['prog', 'substance-use']]]));
    expect(map.get('peer-3000')).toBeUndefined();
    expect(readdirSync(dir).sort()).toEqual(onDisk ? ['peers.index', 'peers.strings'] : []);
    map.close();
    expect(readdirSync(dir)).toEqual([]);
  });
});
