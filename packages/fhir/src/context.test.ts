import { generateClinic, type ClinicRecord, type Peer } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { createFhirContext, isPart2Peer, patientReference, type MappingPeer, type PeerLookup } from './context';
import { toFhirRecord } from './to-fhir';

/** A lookup that keeps, of each peer, only what {@link MappingPeer} names (as a stream would). */
function slimLookup(records: readonly ClinicRecord[]): PeerLookup & { calls: number } {
  const slim = new Map<string, MappingPeer>();
  for (const r of records) {
    if (r.kind !== 'peer') continue;
    slim.set(r.id, { patient: { ...r.patient }, enrollments: r.enrollments.map((e) => ({ programId: e.programId, programType: e.programType })) });
  }
  const lookup = {
    calls: 0,
    get: (id: string) => {
      lookup.calls++;
      return slim.get(id);
    },
    has: (id: string) => slim.has(id),
  };
  return lookup;
}

describe('createFhirContext with a peer lookup', () => {
  it.each([1, 2, 3])('maps every record exactly as with the peer records (seed %i)', (seed) => {
    const { records } = generateClinic({ seed, peers: 10, weeks: 3 });
    const full = createFhirContext(records);
    const organizations = records.filter((r) => r.kind === 'organization');
    const lookup = slimLookup(records);
    const slim = createFhirContext(organizations, {}, lookup);
    if (!full || !slim) throw new Error('no context');
    for (const record of records) expect(toFhirRecord(record, slim)).toEqual(toFhirRecord(record, full));
    expect(lookup.calls).toBeGreaterThan(0);
  });

  it('ignores peer records when a lookup is given, and answers what the lookup holds', () => {
    const { records } = generateClinic({ seed: 5, peers: 4, weeks: 1 });
    const peer = records.find((r): r is Peer => r.kind === 'peer');
    if (!peer) throw new Error('no peer');
    const empty: PeerLookup = { get: () => undefined, has: () => false };
    const ctx = createFhirContext(records, {}, empty);
    if (!ctx) throw new Error('no context');
    expect(ctx.peers.has(peer.id)).toBe(false);
    expect(patientReference(ctx, peer.id)).toBeUndefined();
    expect(toFhirRecord(peer, ctx)).toBeUndefined();
    const identifierOnly: PeerLookup = {
      get: () => ({ patient: { identifier: { system: 'urn:oid:2.999.1', value: 'MRN-1' } }, enrollments: [{ programId: 'nowhere', programType: 'substance-use' }] }),
      has: () => true,
    };
    const other = createFhirContext(records, {}, identifierOnly);
    if (!other) throw new Error('no context');
    expect(patientReference(other, 'any')).toEqual({ type: 'Patient', identifier: { system: 'urn:oid:2.999.1', value: 'MRN-1' } });
    // An unknown program is Part 2 by its type.
    expect(isPart2Peer(other, 'any')).toBe(true);
  });
});
