/**
 * Compact in-memory indexes for runs of hundreds of thousands of resources: strings are kept as
 * 128-bit fingerprints in typed arrays instead of as JavaScript strings in Maps (which cost several
 * hundred bytes per entry). The fingerprint is MurmurHash3 x86_128's mixing over the string's UTF-16
 * code units, with a random seed per process (fingerprints never outlive it: the scratch files that
 * hold some of them are rebuilt when an outbox is opened): computed in
 * JavaScript with no allocation, where a crypto hash costs a native object per call. Two of the
 * sync's own keys share a fingerprint with a probability of about n²/2¹²⁹ — for ten million keys,
 * below 10⁻²⁴. (It is not a cryptographic hash: whoever can write the export can also just leave a
 * record out.)
 *
 * See: https://github.com/aappleby/smhasher (MurmurHash3)
 */

/** 32-bit words in a fingerprint. */
export const WORDS = 4;
const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;
/** One seed per process: fingerprints only have to agree within it. */
const SEED = (Math.random() * 0x100000000) >>> 0;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The 128-bit fingerprint of a string, as four uint32 words written into `out`. */
export function fingerprint(text: string, out: Uint32Array): void {
  let h1 = SEED;
  let h2 = SEED;
  let h3 = SEED;
  let h4 = SEED;
  const n = text.length;
  // Blocks of eight UTF-16 code units: four 32-bit words.
  const word = (i: number): number => (i < n ? text.charCodeAt(i) : 0) | ((i + 1 < n ? text.charCodeAt(i + 1) : 0) << 16);
  const blocks = n - (n % 8);
  let i = 0;
  for (; i < blocks; i += 8) {
    let k1 = word(i);
    let k2 = word(i + 2);
    let k3 = word(i + 4);
    let k4 = word(i + 6);
    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  if (i < n) {
    // The tail (1–7 code units), zero-padded.
    h4 ^= Math.imul(rotl(Math.imul(word(i + 6), C4), 18), C1);
    h3 ^= Math.imul(rotl(Math.imul(word(i + 4), C3), 17), C4);
    h2 ^= Math.imul(rotl(Math.imul(word(i + 2), C2), 16), C3);
    h1 ^= Math.imul(rotl(Math.imul(word(i), C1), 15), C2);
  }
  h1 ^= n;
  h2 ^= n;
  h3 ^= n;
  h4 ^= n;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  out[0] = h1 >>> 0;
  out[1] = (h2 + h1) >>> 0;
  out[2] = (h3 + h1) >>> 0;
  out[3] = (h4 + h1) >>> 0;
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
