/// <reference path="./oidc-provider.d.ts" />
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Stored {
  payload: AdapterPayload;
  expiresAt: number | undefined;
}

/**
 * oidc-provider's storage, in memory: one map per model (sessions, codes, tokens, grants,
 * interactions, clients), expired entries dropped on read. Replaces the library's quick-start
 * adapter so nothing development-only is picked silently; the data goes with the process.
 */
export class MemoryStore {
  readonly #models = new Map<string, MemoryAdapter>();

  /** The adapter factory oidc-provider calls once per model name. */
  readonly adapterFor = (name: string): MemoryAdapter => {
    let adapter = this.#models.get(name);
    if (adapter === undefined) {
      adapter = new MemoryAdapter(this);
      this.#models.set(name, adapter);
    }
    return adapter;
  };

  /** Every model's entries belonging to a grant, dropped together (revocation, code reuse). */
  revokeGrant(grantId: string): void {
    for (const adapter of this.#models.values()) adapter.dropGrant(grantId);
  }

  clear(): void {
    this.#models.clear();
  }
}

class MemoryAdapter implements Adapter {
  readonly #entries = new Map<string, Stored>();

  constructor(private readonly store: MemoryStore) {}

  #get(id: string): Stored | undefined {
    const entry = this.#entries.get(id);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    this.#entries.set(id, { payload: structuredClone(payload), expiresAt: expiresIn > 0 ? Date.now() + expiresIn * 1000 : undefined });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const entry = this.#get(id);
    return entry === undefined ? undefined : structuredClone(entry.payload);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    for (const id of this.#entries.keys()) {
      const entry = this.#get(id);
      if (entry?.payload.userCode === userCode) return structuredClone(entry.payload);
    }
    return undefined;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    for (const id of this.#entries.keys()) {
      const entry = this.#get(id);
      if (entry?.payload.uid === uid) return structuredClone(entry.payload);
    }
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const entry = this.#get(id);
    if (entry !== undefined) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.#entries.delete(id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.store.revokeGrant(grantId);
  }

  dropGrant(grantId: string): void {
    for (const [id, entry] of this.#entries) if (entry.payload.grantId === grantId) this.#entries.delete(id);
  }
}
