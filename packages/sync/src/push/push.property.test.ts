import fc from 'fast-check';
import type { Bundle, BundleEntry, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { toOutboxEntries } from '../entries';
import { collectReferences, rewriteReferences } from '../internal/references';
import { createMemoryOutbox } from '../outbox';
import { push } from '.';
import type { FhirReply, FhirTransport } from '../transport';
import type { WriteMode } from '../write-mode';

const SYSTEM = 'urn:test';

/** What the fake server does with one request. */
type Fault = 'ok' | 'drop-before' | 'drop-after' | 'status-503' | 'status-429' | 'partial';

interface Stored {
  id: string;
  value: string;
  resource: Resource & { identifier?: { value?: string }[] };
}

/**
 * An in-memory FHIR server that applies transactions entry by entry (like the embedded one),
 * resolves `urn:uuid:` references inside a Bundle, honours conditional create/update by identifier,
 * answers identifier searches, and injects the given faults request by request.
 */

function fakeServer(faults: Fault[]): { transport: FhirTransport; stored: Stored[]; unresolved: string[] } {
  const stored: Stored[] = [];
  const unresolved: string[] = [];
  let requests = 0;
  let nextId = 0;
  const headers = new Headers({ 'retry-after': '0' });
  const valueOf = (query: string): string => decodeURIComponent(query.split('|')[1] ?? '');
  const apply = (bundle: Bundle, skip: number | undefined): BundleEntry[] => {
    const entries = bundle.entry ?? [];
    // Ids first (urn:uuid resolution), as servers do for a transaction.
    const ids = entries.map((e) => {
      const conditional = e.request?.ifNoneExist ?? (e.request?.url.includes('?') === true ? e.request.url.split('?')[1] : undefined);
      const match = conditional === undefined ? undefined : stored.find((s) => s.value === valueOf(conditional));
      return { match, id: match?.id ?? `r${++nextId}` };
    });
    // Only a transaction resolves urn:uuid references between its entries; a batch's are independent.
    const byUrn = new Map(bundle.type === 'transaction' ? entries.map((e, i) => [e.fullUrl ?? '', `Encounter/${ids[i]?.id ?? ''}`]) : []);
    return entries.map((e, i) => {
      if (i === skip) return { response: { status: '503' } };
      const { match, id } = ids[i] as { match: Stored | undefined; id: string };
      const resource = rewriteReferences(e.resource as Resource, (r) => byUrn.get(r));
      for (const r of collectReferences(resource)) if (r.startsWith('urn:')) unresolved.push(r);
      const value = (resource as Stored['resource']).identifier?.[0]?.value ?? '';
      if (match !== undefined && e.request?.method === 'POST') return { response: { status: '200', location: `Encounter/${match.id}` } };
      if (match !== undefined) {
        match.resource = { ...resource, id } as Stored['resource'];
        return { response: { status: '200', location: `Encounter/${id}` } };
      }
      stored.push({ id, value, resource: { ...resource, id } as Stored['resource'] });
      return { response: { status: '201', location: `Encounter/${id}` } };
    });
  };
  /** Applies a Bundle with the next fault: the per-entry responses, or the whole request's failure. */
  const write = (bundle: Bundle): FhirReply<Bundle> | BundleEntry[] => {
    const fault = faults[requests++] ?? 'ok';
    if (fault === 'drop-before') return { kind: 'network', code: 'ECONNRESET' };
    if (fault === 'status-503' || fault === 'status-429') return { kind: 'response', status: fault === 'status-503' ? 503 : 429, headers, body: undefined };
    const entry = apply(bundle, fault === 'partial' ? 0 : undefined);
    if (fault === 'drop-after') return { kind: 'network', code: 'ECONNRESET' };
    return entry;
  };
  const transport: FhirTransport = {
    baseUrl: 'http://fake.invalid/fhir',
    transaction(bundle): Promise<FhirReply<Bundle>> {
      const result = write(bundle);
      if (!Array.isArray(result)) return Promise.resolve(result);
      return Promise.resolve({ kind: 'response', status: 200, headers: new Headers(), body: { resourceType: 'Bundle', type: `${bundle.type ?? 'batch'}-response` as Bundle['type'], entry: result } });
    },
    get<T extends Resource>(url: string): Promise<FhirReply<T>> {
      const tokens = decodeURIComponent(url.split('identifier=')[1]?.split('&')[0] ?? '').split(',');
      const values = new Set(tokens.map((t) => t.split('|')[1]?.replace(/\\(.)/g, '$1') ?? ''));
      const entry = stored.filter((s) => values.has(s.value)).map((s) => ({ resource: s.resource }));
      return Promise.resolve({ kind: 'response', status: 200, headers: new Headers(), body: { resourceType: 'Bundle', type: 'searchset', entry } as unknown as T });
    },
    // A single conditional request: the same write as a one-entry batch, answered with its own status.
    request<T extends Resource>(method: string, url: string, body?: Resource, options?: { headers?: Record<string, string> }): Promise<FhirReply<T>> {
      const ifNoneExist = options?.headers?.['if-none-exist'];
      const request = { method, url, ...(ifNoneExist === undefined ? {} : { ifNoneExist }) } as BundleEntry['request'];
      const result = write({ resourceType: 'Bundle', type: 'batch', entry: [{ ...(body === undefined ? {} : { resource: body }), request }] });
      if (!Array.isArray(result)) return Promise.resolve(result as FhirReply<T>);
      const response = result[0]?.response;
      const status = Number(response?.status);
      return Promise.resolve({ kind: 'response', status, headers: new Headers(response?.location === undefined ? {} : { location: response.location }), body: undefined });
    },
  };
  return { transport, stored, unresolved };
}

/** n encounters; each may refer to up to two others (cycles allowed); some are plain, unconditional POSTs. */
const scenario = fc
  .integer({ min: 1, max: 30 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      refs: fc.array(fc.array(fc.nat(n - 1), { maxLength: 2 }), { minLength: n, maxLength: n }),
      kinds: fc.array(fc.constantFrom('put', 'post-if-none-exist', 'post'), { minLength: n, maxLength: n }),
      faults: fc.array(fc.constantFrom<Fault>('ok', 'ok', 'drop-before', 'drop-after', 'status-503', 'status-429', 'partial'), { maxLength: 12 }),
      batchSize: fc.integer({ min: 1, max: 8 }),
      concurrency: fc.integer({ min: 1, max: 4 }),
      mode: fc.constantFrom<WriteMode>('transaction', 'batch', 'single'),
    }),
  );


function entriesOf(n: number, refs: number[][], kinds: string[]): BundleEntry[] {
  const urn = (i: number): string => `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return Array.from({ length: n }, (_, i) => {
    const value = `e${i}`;
    // Entries that refer to others are updates (PeerKit's default): only those can be corrected
    // after a partial failure left them pointing at an id that was never written.
    const kind = (refs[i] ?? []).some((j) => j !== i) ? 'put' : kinds[i];
    const request: BundleEntry['request'] =
      kind === 'put'
        ? { method: 'PUT', url: `Encounter?identifier=${SYSTEM}|${value}` }
        : kind === 'post-if-none-exist'
          ? { method: 'POST', url: 'Encounter', ifNoneExist: `identifier=${SYSTEM}|${value}` }
          : { method: 'POST', url: 'Encounter' };
    const partOf = (refs[i] ?? []).filter((j) => j !== i).map((j) => ({ reference: urn(j) }));
    return {
      fullUrl: urn(i),
      resource: { resourceType: 'Encounter', identifier: [{ system: SYSTEM, value }], status: 'finished', ...(partOf.length > 0 ? { extension: partOf.map((p) => ({ url: 'urn:part-of', valueReference: p })) } : {}) } as Resource,
      request,
    };
  });
}

describe('push (property)', () => {
  it('under any faults and in every write mode, writes every entry exactly once with every reference resolved, and confirms each once', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ n, refs, kinds, faults, batchSize, concurrency, mode }) => {
        const { transport, stored, unresolved } = fakeServer(faults);
        const outbox = createMemoryOutbox();
        await outbox.add(toOutboxEntries({ resourceType: 'Bundle', type: 'transaction', entry: entriesOf(n, refs, kinds) }));
        const summary = await push({
          transport,
          outbox,
          batchSize,
          concurrency,
          writeMode: mode,
          retry: { baseDelayMs: 0, maxDelayMs: 0, maxAttempts: 30 },
        });
        expect(summary).toMatchObject({ pending: 0, deadLettered: 0, confirmed: n });
        expect(outbox.counts()).toEqual({ pending: 0, confirmed: n, deadLettered: 0 });
        const counts = new Map<string, number>();
        for (const s of stored) counts.set(s.value, (counts.get(s.value) ?? 0) + 1);
        expect([...counts.values()].every((c) => c === 1) && counts.size === n).toBe(true);
        expect(unresolved).toEqual([]);
        // Every reference points at the stored resource of the entry it named.
        const idOf = new Map(stored.map((s) => [s.value, `Encounter/${s.id}`]));
        for (const s of stored) {
          const i = Number(s.value.slice(1));
          const expected = (refs[i] ?? []).filter((j) => j !== i).map((j) => idOf.get(`e${j}`));
          expect(collectReferences(s.resource)).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
