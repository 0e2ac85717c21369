/**
 * A seeded pseudo-random stream for the response generator: mulberry32 (Tommy Ettinger's 32-bit
 * generator). Deterministic on every JavaScript engine: 32-bit integer arithmetic only, no
 * `Math.random`, no clock.
 */
export class SeededStream {
  private state: number;

  /** @param seed - any safe integer; its low and high 32 bits both count */
  constructor(seed: number) {
    this.state = (seed ^ Math.imul(Math.floor(seed / 4_294_967_296), 0x9e3779b9)) | 0;
  }

  /** A float in `[0, 1)`. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** A float in `[min, max)`. */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** `true` with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An index drawn with the given non-negative weights (not all zero). */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let roll = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      roll -= weights[i] ?? 0;
      if (roll < 0) return i;
    }
    return weights.length - 1;
  }
}
