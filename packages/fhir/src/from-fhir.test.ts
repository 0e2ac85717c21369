import { generateClinic, type ClinicRecord } from '@peerkit/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromFhir } from './from-fhir';
import { toFhir } from './to-fhir';

/** What PeerKit deliberately does not export: host-owned demographics and private lived experience. */
function withoutUnexported(records: readonly ClinicRecord[]): unknown[] {
  return records.map((r) => {
    if (r.kind === 'peer') {
      const { birthDate: _b, preferredLanguage: _l, ...rest } = r;
      return rest;
    }
    if (r.kind === 'specialist') return { ...r, livedExperience: [] };
    return r;
  });
}

describe('fromFhir', () => {
  it('gives back the records of a generated clinic (model -> FHIR -> model)', () => {
    const { records } = generateClinic({ seed: 11, peers: 40, weeks: 6 });
    const fhir = toFhir(records);
    if (!fhir.ok) throw new Error('mapping failed');
    const back = fromFhir(fhir.value);
    // The only issues are the model's own warnings the generator plants (e.g. unsigned notes).
    expect(back.issues.filter((i) => i.severity === 'error' || i.code.startsWith('fhir.'))).toEqual([]);
    if (!back.ok) throw new Error('reverse mapping failed');
    expect(withoutUnexported(back.value)).toEqual(withoutUnexported(records));
  });

  it('returns identical bytes on FHIR -> model -> FHIR', () => {
    const { records } = generateClinic({ seed: 12, peers: 40, weeks: 6 });
    const first = toFhir(records);
    if (!first.ok) throw new Error('mapping failed');
    const back = fromFhir(first.value);
    if (!back.ok) throw new Error('reverse mapping failed');
    const second = toFhir(back.value);
    if (!second.ok) throw new Error('mapping failed');
    expect(JSON.stringify(second.value)).toBe(JSON.stringify(first.value));
  });
});

describe('fromFhir on resources written by other systems', () => {
  const { records } = generateClinic({ seed: 21, peers: 6, weeks: 2 });
  const own = toFhir(records);
  const resources = own.ok ? own.value : [];
  const episode = resources.find((r) => r.resourceType === 'EpisodeOfCare');
  const patient = episode?.resourceType === 'EpisodeOfCare' ? episode.patient : undefined;

  it('maps a foreign encounter as far as it can and says what it inferred or ignored', () => {
    const foreign = {
      resourceType: 'Encounter',
      id: 'other-1',
      extension: [{ url: 'https://other.example/ext/visit-kind', valueString: 'x' }],
      contained: [{ resourceType: 'Location', id: 'loc' }],
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: patient,
      period: { start: '2026-01-06T10:00:00-05:00', end: '2026-01-06T10:30:00-05:00' },
    };
    const result = fromFhir([...resources, foreign]);
    expect(result.ok).toBe(true);
    const index = resources.length;
    const mine = result.issues.filter((i) => i.path[0] === index);
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'fhir.element-ignored', path: [index, 'extension', 0] }),
        expect.objectContaining({ code: 'fhir.element-ignored', path: [index, 'contained'] }),
        expect.objectContaining({ code: 'fhir.element-ignored', path: [index, 'class'] }),
        // No program, specialist or activities: the model rejects the record, naming the fields.
        expect.objectContaining({ severity: 'error', path: [index, 'programId'] }),
      ]),
    );
    // Every PeerKit record still comes back.
    expect(result.ok && result.value.length).toBe(records.length);
  });

  it('reports a patient it cannot resolve to a peer', () => {
    const result = fromFhir([{ resourceType: 'Consent', id: 'c1', status: 'active', patient: { reference: 'Patient/unknown' } }]);
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'fhir.unresolved-reference', path: [0, 'patient'] })]));
  });

  it('names nested consent provisions it does not hold', () => {
    const consent = resources.find((r) => r.resourceType === 'Consent');
    if (consent?.resourceType !== 'Consent') throw new Error('no consent');
    const nested = { ...consent, provision: { ...consent.provision, provision: [{ type: 'deny' }] } };
    const result = fromFhir([...resources.filter((r) => r !== consent), nested]);
    expect(result.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'fhir.element-ignored', path: [resources.length - 1, 'provision', 'provision'] })]));
  });

  it('reports entries that are not resources and resources it does not map', () => {
    const result = fromFhir([null, 42, { foo: 1 }, { resourceType: 'Observation', id: 'o1' }]);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['fhir.not-a-resource', [0]],
      ['fhir.not-a-resource', [1]],
      ['fhir.not-a-resource', [2]],
      ['fhir.unsupported-resource', [3, 'resourceType']],
    ]);
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.jsonValue(), fc.record({ resourceType: fc.constantFrom('Encounter', 'Consent', 'CarePlan', 'Group', 'ServiceRequest', 'Practitioner', 'EpisodeOfCare', 'Organization'), id: fc.string(), subject: fc.jsonValue(), extension: fc.jsonValue(), identifier: fc.jsonValue(), provision: fc.jsonValue() }))), (input) => {
        const result = fromFhir(input);
        return Array.isArray(result.issues);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on PeerKit resources with any element removed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: resources.length - 1 }), fc.integer({ min: 0, max: 40 }), (which, field) => {
        const copy = structuredClone(resources) as unknown as Record<string, unknown>[];
        const target = copy[which]!;
        const keys = Object.keys(target).filter((k) => k !== 'resourceType');
        delete target[keys[field % keys.length]!];
        fromFhir(copy);
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
