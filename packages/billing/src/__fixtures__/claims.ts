/**
 * A synthetic billing run for the 837P and 835 tests: members of two payers, individual and group
 * lines, a held line, diagnoses and a numbered prior authorization, and the demographics and trading
 * partner settings the claim needs. Every name, id and number is made up.
 */
import { Readable } from 'node:stream';
import { X12parser } from 'x12-parser';
import { billEncounters } from '../bill-encounters';
import type { BillingEvidence } from '../billing-context';
import type { BillingRun } from '../claim-line';
import { MEDICAID_GENERIC_PACK, NC_MEDICAID_PACK } from '../packs';
import type { ClaimMember, ProfessionalClaimOptions } from '../professional-claim';
import { context, encounter, groupPeers, groupSession, peer, plan, specialist } from './clinic';

/** One segment as the independent parser (`x12-parser`) gives it: `name`, elements `'1'…`, components `'1-1'…`. */
export type ParsedSegment = Record<string, string> & { name: string };

/** Parses X12 text with `x12-parser` (a stream parser with no code in common with node-x12). */
export async function parseIndependently(text: string): Promise<ParsedSegment[]> {
  const out: ParsedSegment[] = [];
  await new Promise<void>((resolve, reject) => {
    Readable.from([text])
      .pipe(new X12parser())
      .on('data', (segment: ParsedSegment) => out.push(segment))
      .on('end', resolve)
      .on('error', reject);
  });
  return out;
}

const address = { line1: '1 Example Way', city: 'Springfield', state: 'NJ', postalCode: '08601' };

function member(last: string): ClaimMember {
  return { lastName: last, firstName: 'Test', birthDate: '1980-06-15', gender: 'U', address };
}

/** Members peer-1, peer-2 (NC Medicaid) and peer-g1…g3 (generic Medicaid); peer-9 has no demographics. */
export const MEMBERS: Record<string, ClaimMember> = {
  'peer-1': member('Alpha'),
  'peer-2': member('Bravo'),
  'peer-g1': member('Golf'),
  'peer-g2': member('Hotel'),
  'peer-g3': member('India'),
};

/** Diagnoses for every member, and a numbered prior authorization for peer-1. */
export const EVIDENCE: BillingEvidence = {
  diagnoses: ['peer-1', 'peer-2', 'peer-9', 'peer-g1', 'peer-g2', 'peer-g3'].flatMap((peerId) => [
    { peerId, code: 'F11.20' },
    { peerId, code: 'F33.1' },
  ]),
  authorizations: [{ peerId: 'peer-1', kind: 'prior-authorization', start: '2025-03-01', end: '2025-03-31', reference: 'PA-12345' }],
};

/** The run: NC lines for peer-1, peer-2 and peer-9 (one held), generic group lines for peer-g1…g3, over two months. */
export function claimRun(): BillingRun {
  const nc = { payerId: 'nc-medicaid', memberId: 'NC0000001', start: '2024-01-01' };
  const peers = [
    peer({ coverage: [nc] }),
    peer({ id: 'peer-2', patient: { reference: 'Patient/ehr-2' }, coverage: [{ ...nc, memberId: 'NC0000002' }] }),
    peer({ id: 'peer-9', patient: { reference: 'Patient/ehr-9' }, coverage: [{ ...nc, memberId: 'NC0000009' }] }),
    ...groupPeers(3),
  ];
  const plans = peers.map((p, i) => plan({ id: `plan-${i}`, peerId: p.id }));
  const encounters = [
    encounter('2025-03-03T10:00:00', 45),
    encounter('2025-03-10T10:00:00', 30, { modality: 'video', setting: 'home' }),
    encounter('2025-03-11T10:00:00', 5),
    encounter('2025-03-12T10:00:00', 30, { peerId: 'peer-2' }),
    encounter('2025-04-02T10:00:00', 60, { peerId: 'peer-2', setting: 'community' }),
    encounter('2025-03-13T10:00:00', 30, { peerId: 'peer-9' }),
    groupSession('2025-03-04T17:00:00', 60, 3),
    groupSession('2025-04-08T17:00:00', 45, 2),
  ];
  const base = context(NC_MEDICAID_PACK, { peers, plans, evidence: { ...EVIDENCE, authorizations: [...(EVIDENCE.authorizations ?? []), { peerId: 'peer-2', kind: 'service-order', start: '2025-01-01' }, { peerId: 'peer-1', kind: 'service-order', start: '2025-01-01' }, { peerId: 'peer-9', kind: 'service-order', start: '2025-01-01' }, { peerId: 'peer-1', kind: 'assessment', start: '2025-01-01' }, { peerId: 'peer-2', kind: 'assessment', start: '2025-01-01' }, { peerId: 'peer-9', kind: 'assessment', start: '2025-01-01' }] } });
  return billEncounters(encounters, { ...base, packs: [NC_MEDICAID_PACK, MEDICAID_GENERIC_PACK] });
}

/** Trading partners, billing provider and members for {@link claimRun}. */
export const CLAIM_OPTIONS: ProfessionalClaimOptions = {
  submitter: { name: 'Test Peer Center', id: 'SUB123', contactName: 'Billing Desk', phone: '555-010-0000' },
  receiver: { name: 'Example Clearinghouse', id: 'RCV456' },
  billingProvider: { name: 'Test Peer Center', npi: '1234567893', taxId: '12-3456789', address: { ...address, postalCode: '08601-0001' } },
  payers: { 'nc-medicaid': { name: 'Example Medicaid Plan', id: 'NCMCD' } },
  members: MEMBERS,
  specialists: [specialist()],
  evidence: EVIDENCE,
  chargePerUnit: { H0038: 15 },
};

/**
 * A claims config (what `peerkit bill --claims-config` reads) for the CLI fixture clinic's peer-1, with
 * the export's organization as billing provider; `payers` as given.
 */
export function fixtureClaimsConfig(payers?: Record<string, { name: string; id: string }>): Record<string, unknown> {
  const pa = { line1: '1 Example Way', city: 'Harrisburg', state: 'PA', postalCode: '171010000' };
  return {
    submitter: { name: 'Example Peer Center', id: 'SUB123', contactName: 'Billing Desk', phone: '5550100000' },
    receiver: { name: 'Example Clearinghouse', id: 'RCV456' },
    billingProvider: { taxId: '123456789', address: pa },
    ...(payers === undefined ? {} : { payers }),
    members: { 'peer-1': { lastName: 'Alpha', firstName: 'Test', birthDate: '1988-04-12', gender: 'U', address: { ...pa, postalCode: '17101' } } },
    chargePerUnit: { H0038: 15 },
  };
}
