import { randomBytes } from 'node:crypto';
import type { SmartLaunchContext } from '../types';

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** A map whose entries expire; expired ones are dropped when met and on each insert. */
export class ExpiringMap<T> {
  readonly #entries = new Map<string, Entry<T>>();

  constructor(private readonly ttlMs: number) {}

  set(key: string, value: T): void {
    const now = Date.now();
    for (const [k, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(k);
    this.#entries.set(key, { value, expiresAt: now + this.ttlMs });
  }

  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}

/**
 * EHR launches: an opaque id bound to the context the launcher chose, used by one authorization
 * (a launch that names its user signs that user in, so a launch URL seen again in a browser's
 * history or a log must not sign anyone in a second time).
 */
export class LaunchStore {
  readonly #launches: ExpiringMap<SmartLaunchContext>;

  constructor(ttlSeconds: number) {
    this.#launches = new ExpiringMap(ttlSeconds * 1000);
  }

  create(context: SmartLaunchContext): string {
    const id = randomBytes(18).toString('base64url');
    this.#launches.set(id, { ...context });
    return id;
  }

  get(id: string): SmartLaunchContext | undefined {
    return this.#launches.get(id);
  }

  /** Ends a launch once an authorization has used it. */
  use(id: string): void {
    this.#launches.delete(id);
  }

  clear(): void {
    this.#launches.clear();
  }
}
