/**
 * Indexes kept in files instead of memory, for runs of any size: a hash table of 128-bit string
 * fingerprints (see `compact-index.ts`) and a log of the strings it points to. Reads and writes are
 * small synchronous positioned I/O (the operating system's page cache keeps them fast), so lookups
 * stay synchronous and memory stays flat however many entries there are.
 *
 * The files are scratch: an index is rebuilt from the outbox journal (or the export) when it is
 * opened, never trusted across processes. They are created 0600 (they hold identifiers).
 */
import { closeSync, ftruncateSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint, FingerprintTable, StringArena, WORDS } from './compact-index';

/** Bytes per slot: four fingerprint words, a float64 value, a uint32 aux, a uint32 tag (0 = empty). */
const SLOT = 32;
/** Slots read per probe. */
const BLOCK = 16;

/** A value stored in a {@link DiskTable}: a number (exact up to 2⁵³) and a uint32. */
export interface DiskValue {
  value: number;
  aux: number;
}

/** An open-addressing hash table in a file, from a string's fingerprint to a {@link DiskValue}. */
export class DiskTable {
  private fd: number;
  private capacity: number;
  private count = 0;
  private readonly fp = new Uint32Array(WORDS);
  private readonly block = Buffer.alloc(SLOT * BLOCK);
  private readonly slot = Buffer.alloc(SLOT);

  /** @param initialCapacity - slots to start with: a power of two (the probe masks with it) */
  constructor(
    private readonly path: string,
    private readonly initialCapacity = 1 << 14,
  ) {
    if (!Number.isInteger(Math.log2(initialCapacity))) throw new RangeError('DiskTable: initialCapacity must be a power of two');
    this.capacity = initialCapacity;
    this.fd = DiskTable.create(path, this.capacity);
  }

  private static create(path: string, capacity: number): number {
    const fd = openSync(path, 'w+', 0o600);
    ftruncateSync(fd, capacity * SLOT);
    return fd;
  }

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  /** The value stored for the string, if any. */
  get(text: string): DiskValue | undefined {
    fingerprint(text, this.fp);
    const found = this.find(this.fd, this.capacity, this.fp);
    return found.empty ? undefined : { value: this.block.readDoubleLE(found.at + 16), aux: this.block.readUInt32LE(found.at + 24) };
  }

  /** Stores a value for the string (replacing any). */
  set(text: string, value: DiskValue): void {
    if ((this.count + 1) * 5 > this.capacity * 3) this.grow();
    fingerprint(text, this.fp);
    if (this.put(this.fd, this.capacity, this.fp, value)) this.count++;
  }

  /** Forgets everything (the file shrinks back). */
  clear(): void {
    closeSync(this.fd);
    this.capacity = this.initialCapacity;
    this.fd = DiskTable.create(this.path, this.capacity);
    this.count = 0;
  }

  /** Closes and removes the file. */
  close(): void {
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }

  /** Writes a slot; returns true when it was empty. */
  private put(fd: number, capacity: number, fp: Uint32Array, value: DiskValue): boolean {
    const found = this.find(fd, capacity, fp);
    const s = this.slot;
    for (let i = 0; i < WORDS; i++) s.writeUInt32LE(fp[i] as number, i * 4);
    s.writeDoubleLE(value.value, 16);
    s.writeUInt32LE(value.aux >>> 0, 24);
    s.writeUInt32LE(1, 28);
    writeSync(fd, s, 0, SLOT, found.slot * SLOT);
    return found.empty;
  }

  /**
   * Linear probing from the fingerprint's home slot, a block of slots per read: the slot holding
   * it, or the first empty one. `at` is its offset in `this.block`.
   */
  private find(fd: number, capacity: number, fp: Uint32Array): { slot: number; at: number; empty: boolean } {
    let slot = (fp[0] as number) & (capacity - 1);
    for (;;) {
      const count = Math.min(BLOCK, capacity - slot);
      readSync(fd, this.block, 0, count * SLOT, slot * SLOT);
      for (let i = 0; i < count; i++) {
        const at = i * SLOT;
        if (this.block.readUInt32LE(at + 28) === 0) return { slot: slot + i, at, empty: true };
        if (
          this.block.readUInt32LE(at) === fp[0] &&
          this.block.readUInt32LE(at + 4) === fp[1] &&
          this.block.readUInt32LE(at + 8) === fp[2] &&
          this.block.readUInt32LE(at + 12) === fp[3]
        ) {
          return { slot: slot + i, at, empty: false };
        }
      }
      slot = (slot + count) & (capacity - 1);
    }
  }

  /** Doubles the table into a new file, reinserting every slot. */
  private grow(): void {
    const oldFd = this.fd;
    const oldCapacity = this.capacity;
    const tmpPath = `${this.path}.grow`;
    const capacity = oldCapacity * 2;
    const fd = DiskTable.create(tmpPath, capacity);
    const chunk = Buffer.alloc(SLOT * 4096);
    const fp = new Uint32Array(WORDS);
    for (let start = 0; start < oldCapacity; start += 4096) {
      const n = Math.min(4096, oldCapacity - start);
      readSync(oldFd, chunk, 0, n * SLOT, start * SLOT);
      for (let i = 0; i < n; i++) {
        const at = i * SLOT;
        if (chunk.readUInt32LE(at + 28) === 0) continue;
        for (let w = 0; w < WORDS; w++) fp[w] = chunk.readUInt32LE(at + w * 4);
        this.put(fd, capacity, fp, { value: chunk.readDoubleLE(at + 16), aux: chunk.readUInt32LE(at + 24) });
      }
    }
    closeSync(oldFd);
    closeSync(fd);
    renameSync(tmpPath, this.path);
    this.fd = openSync(this.path, 'r+');
    this.capacity = capacity;
  }
}

/** Strings appended to a file, addressed by offset. */
export class DiskStrings {
  private fd: number;
  private size = 0;
  private buffer = Buffer.alloc(256);

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'w+', 0o600);
  }

  /** Appends a string; returns where it is (offset and byte length). */
  add(text: string): DiskValue {
    const length = Buffer.byteLength(text, 'utf8');
    if (length > this.buffer.length) this.buffer = Buffer.alloc(length * 2);
    this.buffer.write(text, 0, 'utf8');
    writeSync(this.fd, this.buffer, 0, length, this.size);
    const where = { value: this.size, aux: length };
    this.size += length;
    return where;
  }

  /** The string at a place {@link add} returned. */
  get(where: DiskValue): string {
    if (where.aux > this.buffer.length) this.buffer = Buffer.alloc(where.aux * 2);
    readSync(this.fd, this.buffer, 0, where.aux, where.value);
    return this.buffer.toString('utf8', 0, where.aux);
  }

  /** Forgets everything (the file is emptied). */
  clear(): void {
    ftruncateSync(this.fd, 0);
    this.size = 0;
  }

  /** Closes and removes the file. */
  close(): void {
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }
}

/** What the outbox remembers of a settled entry. */
export type Settled = { state: 'confirmed'; location: string; created: boolean } | { state: 'dead-lettered' };

/**
 * The settled entries of a run, by key and by fullUrl, kept in two scratch files: confirmed ones with
 * their location on the server, dead-lettered ones with nothing. A dead letter may be confirmed
 * later (sent again in a new attempt); a confirmation is final.
 */
export class DiskSettledIndex {
  private readonly table: DiskTable;
  private readonly locations: DiskStrings;
  private confirmedCount = 0;

  /** @param base - path prefix of the scratch files (`<base>.index`, `<base>.strings`) */
  constructor(base: string) {
    this.table = new DiskTable(`${base}.index`);
    this.locations = new DiskStrings(`${base}.strings`);
  }

  /** Confirmed entries held. */
  get confirmed(): number {
    return this.confirmedCount;
  }

  /** Records a confirmation under the entry's key and fullUrl. */
  confirm(key: string, fullUrl: string | undefined, location: string, created: boolean): void {
    const existing = this.table.get(key);
    if (existing !== undefined && existing.value >= 0) return;
    const where = this.locations.add(location);
    const value = { value: where.value, aux: where.aux * 2 + (created ? 1 : 0) };
    this.table.set(key, value);
    if (fullUrl !== undefined) this.table.set(fullUrl, value);
    this.confirmedCount++;
  }

  /** Records a dead letter under the entry's key and fullUrl. */
  deadLetter(key: string, fullUrl: string | undefined): void {
    if (this.table.get(key) !== undefined) return;
    this.table.set(key, { value: -1, aux: 0 });
    if (fullUrl !== undefined) this.table.set(fullUrl, { value: -1, aux: 0 });
  }

  /** Whether the entry with this key or fullUrl is settled, and how (one read: no location). */
  state(keyOrFullUrl: string): Settled['state'] | undefined {
    const found = this.table.get(keyOrFullUrl);
    return found === undefined ? undefined : found.value < 0 ? 'dead-lettered' : 'confirmed';
  }

  /** The settled entry with this key or fullUrl. */
  get(keyOrFullUrl: string): Settled | undefined {
    const found = this.table.get(keyOrFullUrl);
    if (found === undefined) return undefined;
    if (found.value < 0) return { state: 'dead-lettered' };
    return { state: 'confirmed', location: this.locations.get({ value: found.value, aux: found.aux >>> 1 }), created: (found.aux & 1) === 1 };
  }

  /** Forgets everything. */
  clear(): void {
    this.table.clear();
    this.locations.clear();
    this.confirmedCount = 0;
  }

  /** Closes and removes the scratch files. */
  close(): void {
    this.table.close();
    this.locations.close();
  }
}

/** A map from strings to strings (see {@link openStringMap}). */
export interface StringMap {
  set: (key: string, value: string) => void;
  get: (key: string) => string | undefined;
  close: () => void;
}

/**
 * A map from strings to strings for runs of any size: in scratch files `<name>.index` and
 * `<name>.strings` under `dir` (memory flat; `close` removes them), or compactly in memory (a
 * 128-bit fingerprint per key and the values in one byte buffer) without a `dir`.
 *
 * @param dir - the scratch directory, or `undefined` for memory
 * @param name - the scratch files' base name
 * @returns the map
 */
export function openStringMap(dir: string | undefined, name: string): StringMap {
  if (dir !== undefined) {
    const table = new DiskTable(join(dir, `${name}.index`));
    const values = new DiskStrings(join(dir, `${name}.strings`));
    return {
      set: (key, value) => table.set(key, values.add(value)),
      get: (key) => {
        const where = table.get(key);
        return where === undefined ? undefined : values.get(where);
      },
      close: () => {
        table.close();
        values.close();
      },
    };
  }
  const table = new FingerprintTable();
  const values = new StringArena();
  return {
    set: (key, value) => table.set(key, values.add(value)),
    get: (key) => {
      const record = table.get(key);
      return record === undefined ? undefined : values.get(record);
    },
    close: () => undefined,
  };
}
