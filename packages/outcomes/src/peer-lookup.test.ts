import type { ClinicRecord } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { createPeerLookup } from './peer-lookup';

const peer = (id: string, patient: object): ClinicRecord => ({ kind: 'peer', id, patient }) as unknown as ClinicRecord;
const records = [
  peer('peer-a', { reference: 'Patient/pa' }),
  peer('peer-b', { identifier: { system: 'urn:mrn', value: 'MRN-0002' } }),
  peer('peer-c', { reference: 'Patient/pc', identifier: { system: 'urn:mrn', value: 'MRN-0003' } }),
];

describe('createPeerLookup', () => {
  it.each([
    ['by reference', { reference: 'Patient/pa' }, 'peer-a'],
    ['by identifier when the subject has no reference', { identifier: { system: 'urn:mrn', value: 'MRN-0002' } }, 'peer-b'],
    ['by reference first, even when the identifier would match', { reference: 'Patient/px', identifier: { system: 'urn:mrn', value: 'MRN-0003' } }, undefined],
    ['a peer known both ways, by identifier', { identifier: { system: 'urn:mrn', value: 'MRN-0003' } }, 'peer-c'],
    ['no subject', undefined, undefined],
    ['an identifier of another system', { identifier: { system: 'urn:other', value: 'MRN-0002' } }, undefined],
  ])('finds the peer %s', (_, subject, expected) => {
    expect(createPeerLookup(records)(subject)).toBe(expected);
  });
});
