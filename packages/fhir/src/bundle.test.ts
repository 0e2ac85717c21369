import { generateClinic } from '@peerkit/model';
import type { FhirResource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { businessKey, toTransactionBundle, toTransactionBundles } from './bundle';
import { toFhir } from './to-fhir';

const { records } = generateClinic({ seed: 3, peers: 12, weeks: 3 });
const mapped = toFhir(records);
const resources: FhirResource[] = mapped.ok ? mapped.value : [];

function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => references(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else references(v, out);
    }
  }
  return out;
}

describe('toTransactionBundles', () => {
  it('writes every entry conditionally on its business key', () => {
    const [bundle] = toTransactionBundles(resources);
    expect(bundle?.type).toBe('transaction');
    expect(bundle?.entry).toHaveLength(resources.length);
    for (const entry of bundle?.entry ?? []) {
      expect(entry.fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(entry.request?.method).toBe('PUT');
      expect(entry.request?.url).toMatch(/^[A-Za-z]+\?(identifier|_tag)=[^|]+\|.+$/);
      expect(entry.resource?.id).toBeUndefined();
    }
  });

  it('uses POST with ifNoneExist for conditional-create', () => {
    const [bundle] = toTransactionBundles(resources, { method: 'conditional-create' });
    for (const entry of bundle?.entry ?? []) {
      expect(entry.request).toEqual({ method: 'POST', url: entry.resource?.resourceType, ifNoneExist: expect.stringMatching(/^(identifier|_tag)=/) });
    }
  });

  it('points references inside the Bundle at fullUrls and leaves the host Patient alone', () => {
    const [bundle] = toTransactionBundles(resources);
    const fullUrls = new Set(bundle?.entry?.map((e) => e.fullUrl));
    for (const reference of references(bundle?.entry?.map((e) => e.resource))) {
      expect(reference.startsWith('urn:uuid:') ? fullUrls.has(reference) : reference.startsWith('Patient/')).toBe(true);
    }
  });

  it('uses conditional references to resources of earlier Bundles', () => {
    const bundles = toTransactionBundles(resources, { batchSize: 10 });
    expect(bundles.length).toBe(Math.ceil(resources.length / 10));
    const later = references(bundles.slice(1).flatMap((b) => b.entry?.map((e) => e.resource)));
    expect(later.some((r) => /^Practitioner\?identifier=/.test(r))).toBe(true);
  });

  it.each([7, 10, 25])('split into Bundles of %i, refers only to resources of earlier Bundles or its own', (size) => {
    const bundles = toTransactionBundles(resources, { batchSize: size });
    const written = new Set<string>();
    for (const bundle of bundles) {
      const own = new Set(bundle.entry?.map((e) => e.fullUrl));
      for (const reference of references(bundle.entry?.map((e) => e.resource))) {
        if (reference.startsWith('urn:uuid:')) expect(own.has(reference)).toBe(true);
        else if (reference.includes('?')) expect(written.has(reference)).toBe(true);
        else expect(reference.startsWith('Patient/')).toBe(true);
      }
      for (const entry of bundle.entry ?? []) written.add(entry.request?.url ?? '');
    }
    // Every resource once.
    expect(bundles.flatMap((b) => b.entry ?? []).map((e) => e.fullUrl).sort()).toEqual((toTransactionBundles(resources)[0]?.entry ?? []).map((e) => e.fullUrl).sort());
  });

  it('is deterministic and does not mutate its input', () => {
    const before = JSON.stringify(resources);
    const a = JSON.stringify(toTransactionBundles(resources, { batchSize: 7 }));
    const b = JSON.stringify(toTransactionBundles(resources, { batchSize: 7 }));
    expect(a).toBe(b);
    expect(JSON.stringify(resources)).toBe(before);
  });

  it('gives every resource a distinct business key', () => {
    const keys = resources.map((r) => {
      const key = businessKey(r);
      return key ? `${r.resourceType}|${key.system}|${key.value}` : undefined;
    });
    expect(keys).not.toContain(undefined);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('toTransactionBundle', () => {
  it('maps records and packs them into one Bundle', () => {
    const result = toTransactionBundle(records);
    expect(result.ok && result.value.entry?.length).toBe(resources.length);
  });
});
