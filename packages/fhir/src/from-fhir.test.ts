import { generateClinic, type ClinicRecord } from '@peerkit/model';
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
