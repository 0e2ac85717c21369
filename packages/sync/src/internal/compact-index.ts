/**
 * Compact in-memory indexes for runs of hundreds of thousands of resources: strings are kept as
 * 128-bit fingerprints (SHA-256, first 16 bytes) in typed arrays instead of as JavaScript strings in
 * Maps (which cost several hundred bytes per entry). Two different strings share a fingerprint with
 * a probability of about n²/2¹²⁹ — for ten million strings, below 10⁻²⁴.
 */
import { createHash } from 'node:crypto';

const WORDS = 4;

/** The 128-bit fingerprint of a string, as four uint32 words written into `out`. */
function fingerprint(text: string, out: Uint32Array): void {
  const digest = createHash('sha256').update(text, 'utf8').digest();
  for (let i = 0; i < WORDS; i++) out[i] = digest.readUInt32LE(i * 4);
}

/** An open-addressing hash table from a string's fingerprint to a uint32 value. */
export class FingerprintTable {
  /** Per slot: four fingerprint words, then value + 1 (0 marks an empty slot). */
  private slots: Uint32Array;
  private capacity: number;
  private count = 0;
  private readonly scratch = new Uint32Array(WORDS);

  constructor(private readonly initialCapacity = 1024) {
    this.capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.slots = new Uint32Array(this.capacity * (WORDS + 1));
  }

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  /** The value stored for the string, if any. */
  get(text: string): number | undefined {
    fingerprint(text, this.scratch);
    const slot = this.find(this.scratch, this.slots, this.capacity);
    const stored = this.slots[slot * (WORDS + 1) + WORDS] as number;
    return stored === 0 ? undefined : stored - 1;
  }

  /** Stores a value for the string (replacing any). */
  set(text: string, value: number): void {
    if ((this.count + 1) * 4 > this.capacity * 3) this.grow();
    fingerprint(text, this.scratch);
    const slot = this.find(this.scratch, this.slots, this.capacity);
    const base = slot * (WORDS + 1);
    if (this.slots[base + WORDS] === 0) {
      this.count++;
      for (let i = 0; i < WORDS; i++) this.slots[base + i] = this.scratch[i] as number;
    }
    this.slots[base + WORDS] = value + 1;
  }

  /** Forgets everything (and gives the memory back). */
  clear(): void {
    this.capacity = 1 << Math.ceil(Math.log2(Math.max(16, this.initialCapacity)));
    this.slots = new Uint32Array(this.capacity * (WORDS + 1));
    this.count = 0;
  }

  /** The slot holding this fingerprint, or the empty slot where it would go (linear probing). */
  private find(fp: Uint32Array, slots: Uint32Array, capacity: number): number {
    let slot = (fp[0] as number) & (capacity - 1);
    for (;;) {
      const base = slot * (WORDS + 1);
      if (slots[base + WORDS] === 0) return slot;
      if (slots[base] === fp[0] && slots[base + 1] === fp[1] && slots[base + 2] === fp[2] && slots[base + 3] === fp[3]) return slot;
      slot = (slot + 1) & (capacity - 1);
    }
  }

  private grow(): void {
    const old = this.slots;
    const oldCapacity = this.capacity;
    this.capacity *= 2;
    this.slots = new Uint32Array(this.capacity * (WORDS + 1));
    const fp = new Uint32Array(WORDS);
    for (let s = 0; s < oldCapacity; s++) {
      const base = s * (WORDS + 1);
      if (old[base + WORDS] === 0) continue;
      for (let i = 0; i < WORDS; i++) fp[i] = old[base + i] as number;
      const target = this.find(fp, this.slots, this.capacity) * (WORDS + 1);
      for (let i = 0; i <= WORDS; i++) this.slots[target + i] = old[base + i] as number;
    }
  }
}

/** Short strings appended to one growing byte buffer, addressed by record number. */
export class StringArena {
  private bytes = Buffer.alloc(64 * 1024);
  private used = 0;
  private offsets = new Uint32Array(1024);
  private lengths = new Uint32Array(1024);
  private count = 0;

  /** Records held. */
  get size(): number {
    return this.count;
  }

  /** Appends a string; returns its record number. */
  add(text: string): number {
    const length = Buffer.byteLength(text, 'utf8');
    while (this.used + length > this.bytes.length) {
      const next = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(next, 0, 0, this.used);
      this.bytes = next;
    }
    if (this.count === this.offsets.length) {
      const offsets = new Uint32Array(this.count * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const lengths = new Uint32Array(this.count * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    this.bytes.write(text, this.used, 'utf8');
    this.offsets[this.count] = this.used;
    this.lengths[this.count] = length;
    this.used += length;
    return this.count++;
  }

  /** The string of a record. */
  get(record: number): string {
    const offset = this.offsets[record] as number;
    return this.bytes.toString('utf8', offset, offset + (this.lengths[record] as number));
  }

  /** Forgets everything (and gives the memory back). */
  clear(): void {
    this.bytes = Buffer.alloc(64 * 1024);
    this.offsets = new Uint32Array(1024);
    this.lengths = new Uint32Array(1024);
    this.used = 0;
    this.count = 0;
  }
}

/** What the outbox remembers of a settled entry. */
export type Settled = { state: 'confirmed'; location: string; created: boolean } | { state: 'dead-lettered' };

/**
 * The settled entries of a run, by key and by fullUrl: confirmed ones with their location on the
 * server, dead-lettered ones with nothing. About 100 bytes per entry plus its location.
 */
export class SettledIndex {
  private readonly byText = new FingerprintTable();
  private readonly locations = new StringArena();
  /** Per record: 1 created, 0 updated; dead letters have no record. */
  private created = new Uint8Array(1024);
  private confirmedCount = 0;
  private static readonly DEAD = 0xfffffffe;

  /** Confirmed entries held. */
  get confirmed(): number {
    return this.confirmedCount;
  }

  /** Records a confirmation under the entry's key and fullUrl. */
  confirm(key: string, fullUrl: string | undefined, location: string, created: boolean): void {
    const existing = this.byText.get(key);
    if (existing !== undefined && existing !== SettledIndex.DEAD) return;
    const record = this.locations.add(location);
    if (record >= this.created.length) {
      const next = new Uint8Array(this.created.length * 2);
      next.set(this.created);
      this.created = next;
    }
    this.created[record] = created ? 1 : 0;
    this.confirmedCount++;
    this.byText.set(key, record);
    if (fullUrl !== undefined) this.byText.set(fullUrl, record);
  }

  /** Records a dead letter under the entry's key and fullUrl. */
  deadLetter(key: string, fullUrl: string | undefined): void {
    if (this.byText.get(key) !== undefined) return;
    this.byText.set(key, SettledIndex.DEAD);
    if (fullUrl !== undefined) this.byText.set(fullUrl, SettledIndex.DEAD);
  }

  /** The settled entry with this key or fullUrl. */
  get(keyOrFullUrl: string): Settled | undefined {
    const record = this.byText.get(keyOrFullUrl);
    if (record === undefined) return undefined;
    if (record === SettledIndex.DEAD) return { state: 'dead-lettered' };
    return { state: 'confirmed', location: this.locations.get(record), created: this.created[record] === 1 };
  }

  /** Forgets everything. */
  clear(): void {
    this.byText.clear();
    this.locations.clear();
    this.created = new Uint8Array(1024);
    this.confirmedCount = 0;
  }
}
