import { describe, expect, it, vi } from 'vitest';
import { HostIndex } from '../references';
import { HostIngest } from './ingest';

const line = JSON.stringify({
  resourceType: 'Encounter',
  id: 'enc-1',
  meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter'], security: [{ system: 'urn:x', code: 'R' }] },
  status: 'entered-in-error',
  subject: { reference: 'Patient/p-1' },
});

function lazyEntry(): { ingest: HostIngest; entry: ReturnType<HostIngest['take']>['entries'][number] } {
  const ingest = new HostIngest(undefined, { lazy: (type) => type === 'Encounter', linkReferences: () => ['Patient/p-1'] });
  ingest.item(line);
  return { ingest, entry: ingest.entries[0]! };
}

describe('HostIngest (lazy types)', () => {
  it('keeps what the index and the checks need from a line read lazily', () => {
    const { entry } = lazyEntry();
    expect(entry).toMatchObject({ type: 'Encounter', id: 'enc-1', enteredInError: true, labeled: true, subject: 'Patient/p-1', line: 1, linkReferences: ['Patient/p-1'] });
    expect(entry.profiles).toEqual(['http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter']);
  });

  it('parses the line again when the resource is read, the same JSON', () => {
    const { entry } = lazyEntry();
    expect(entry.resource).toEqual(JSON.parse(line));
  });

  it('lets a resource parsed during a read go at each release, unless pinned, and keeps it outside a read', () => {
    const { ingest, entry } = lazyEntry();
    const loads = ingest.loads!;
    loads.start();
    const first = entry.resource;
    expect(entry.resource).toBe(first);
    loads.release();
    const second = entry.resource;
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    entry.pin();
    expect((entry as unknown as { text: unknown }).text).toBeUndefined();
    loads.release();
    expect(entry.resource).toBe(second);
    loads.stop();
    const { ingest: other, entry: kept } = lazyEntry();
    const outside = kept.resource;
    other.loads!.release();
    expect(kept.resource).toBe(outside);
  });

  it('keeps other types, resources with contained ones, and non-line items parsed', () => {
    const ingest = new HostIngest(undefined, { lazy: () => true });
    const withContained = { resourceType: 'CarePlan', id: 'cp', contained: [{ resourceType: 'Goal', id: 'g' }] };
    ingest.item(JSON.stringify(withContained));
    ingest.item({ resourceType: 'Goal', id: 'g-2' });
    ingest.loads!.start();
    const [carePlan, goal] = ingest.entries;
    const before = [carePlan!.resource, goal!.resource];
    ingest.loads!.release();
    expect([carePlan!.resource, goal!.resource]).toEqual(before);
    expect(carePlan!.resource).toBe(before[0]);
    expect(goal!.resource).toBe(before[1]);
    expect(carePlan!.contained?.get('g')?.resource).toBe((before[0]!.contained as unknown[])[0]);
  });

  it('reports a lazy type line that is not JSON, or not an R4 resource, as any line', () => {
    const ingest = new HostIngest(undefined, { lazy: () => true });
    ingest.item('{"resourceType":"Encounter",');
    ingest.item('{"resourceType":"NotAType","id":"x"}');
    expect(ingest.entries).toHaveLength(0);
    expect(ingest.findings.map((f) => f.code)).toEqual(['host.invalid-json', 'host.unknown-resource-type']);
  });

  it('finds a resource kept as its line by identifier without parsing any line again', () => {
    const ingest = new HostIngest(undefined, { lazy: () => true });
    const system = 'urn:oid:2.999.1';
    ingest.item(JSON.stringify({ resourceType: 'Observation', id: 'o', identifier: [{ system, value: 'A' }] }));
    ingest.item(JSON.stringify({ resourceType: 'Encounter', id: 'e', identifier: [{ value: 'A' }, { system, value: 'A' }, { system, value: 1 }] }));
    ingest.item(JSON.stringify({ resourceType: 'Encounter', id: 'e-2', identifier: [{ system, value: 'B' }] }));
    expect(ingest.entries.map((e) => e.identifierKeys)).toEqual([`${system}|A`, ['|A', `${system}|A`], `${system}|B`]);
    const index = new HostIndex(ingest.entries);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(index.findReference(`Encounter?identifier=${system}|A`, undefined)?.id).toBe('e');
      expect(index.find({ identifier: { system, value: 'A' } }, undefined)?.id).toBe('o');
      expect(index.findReference('Encounter?identifier=B', undefined)?.id).toBe('e-2');
      expect(index.findReference(`Encounter?identifier=${system}|1`, undefined)).toBeUndefined();
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });
});
