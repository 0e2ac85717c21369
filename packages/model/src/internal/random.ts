/**
 * A small seeded pseudo-random number generator for the synthetic clinic generator: sfc32 (Chris
 * Doty-Humphrey's Small Fast Counting generator), seeded through splitmix32. Deterministic on every
 * JavaScript engine: 32-bit integer arithmetic only, no `Math.random`, no clock.
 *
 * See: https://pracrand.sourceforge.net/ (sfc32)
 */

const TWO_POW_32 = 4_294_967_296;

/** One step of splitmix32: returns the next state and its mixed output. */
function splitmix32(state: number): [state: number, output: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [next, z >>> 0];
}

/**
 * A seeded random stream. Every method advances the stream, so the same seed and the same sequence
 * of calls always give the same values.
 *
 * @example
 * const rng = new Random(42);
 * rng.int(1, 6); // the same die roll for seed 42, every time
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * @param seed - any safe integer (negative and above 2^32 included: all its bits count)
   * @param stream - an independent stream number for the same seed (default 0)
   */
  constructor(seed: number, stream = 0) {
    const low = seed >>> 0;
    const high = Math.floor(seed / TWO_POW_32) >>> 0;
    let state = low ^ Math.imul(high, 0x27d4eb2d) ^ Math.imul(stream + 1, 0x165667b1);
    let out: number;
    [state, out] = splitmix32(state);
    this.a = out | 0;
    [state, out] = splitmix32(state);
    this.b = out | 0;
    [state, out] = splitmix32(state);
    this.c = out | 0;
    [, out] = splitmix32(state);
    this.d = out | 0;
    // The first outputs of sfc32 still show the seed; discard them.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in `[0, 1)`. */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /**
   * An integer in `[min, max]`, both included.
   *
   * @param min - smallest value
   * @param max - largest value; when below `min`, `min` is returned
   */
  int(min: number, max: number): number {
    if (max <= min) return min;
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /**
   * `true` with probability `p`.
   *
   * @param p - probability, 0 to 1
   */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /**
   * One item of a non-empty list, uniformly.
   *
   * @param items - the list; throws on an empty list (a generator bug)
   */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick needs a non-empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /**
   * An index drawn with the given weights (non-negative, not all zero).
   *
   * @param weights - one weight per index
   */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let roll = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      roll -= weights[i] as number;
      if (roll < 0) return i;
    }
    // Rounding can leave a tiny remainder: fall back to the last index with weight.
    for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] as number) > 0) return i;
    throw new RangeError('weightedIndex needs at least one positive weight');
  }

  /**
   * One item drawn with weights.
   *
   * @param items - the items
   * @param weights - one weight per item
   */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    return items[this.weightedIndex(weights)] as T;
  }

  /**
   * Shuffles a list in place (Fisher–Yates) and returns it.
   *
   * @param items - the list to shuffle
   */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /**
   * Up to `count` distinct items of a list, in random order.
   *
   * @param items - the list
   * @param count - how many; at most the list's length
   */
  sample<T>(items: readonly T[], count: number): T[] {
    const n = Math.min(count, items.length);
    if (n <= 0) return [];
    if (n * 4 < items.length) {
      // Few of many: draw indexes and skip repeats instead of copying the list.
      const seen = new Set<number>();
      const out: T[] = [];
      while (out.length < n) {
        const i = Math.floor(this.next() * items.length);
        if (!seen.has(i)) {
          seen.add(i);
          out.push(items[i] as T);
        }
      }
      return out;
    }
    return this.shuffle(items.slice()).slice(0, n);
  }

  /**
   * A string of `length` decimal digits.
   *
   * @param length - number of digits
   */
  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }
}
