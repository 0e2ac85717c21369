import { readHostFhir } from '@peerkit/fhir';
import { describe, expect, it } from 'vitest';
import { CLAIM_OPTIONS, MEMBERS, parseIndependently } from './__fixtures__/claims';
import { context, encounter, peer } from './__fixtures__/clinic';
import { hostFhirBundle, type HostFhirOptions } from './__fixtures__/host-fhir';
import { billEncounters } from './bill-encounters';
import type { BillingEvidence } from './billing-context';
import { mergeBillingEvidence, toBillingFacts } from './host-facts';
import { NC_MEDICAID_PACK, VA_MEDICAID_PACK } from './packs';
import { toProfessionalClaims } from './professional-claim';
import { toX12Professional } from './x12';

const read = (options: HostFhirOptions = {}) => readHostFhir(hostFhirBundle(options), { asOf: '2025-04-01' });
/** The export's peer without coverage: the host's Coverage supplies it. */
const bare = peer({ coverage: [] });

describe('toBillingFacts', () => {
  it("turns the host's Coverage, Conditions, order and prior authorization into the peer's coverage and evidence", () => {
    const facts = toBillingFacts(read(), { peers: [bare] });
    expect(facts.peers[0]?.coverage).toEqual([{ payerId: 'medicaid-generic', memberId: 'M000000001', start: '2024-01-01' }]);
    // The encounter diagnosis comes first (the principal), the problem-list diagnosis after it; the refuted one is left out.
    expect(facts.evidence.diagnoses?.map((d) => d.code)).toEqual(['F11.20', 'F33.1']);
    expect(facts.evidence.diagnoses?.[0]).toEqual({ peerId: 'peer-1', code: 'F11.20', start: '2024-11-01' });
    expect(facts.evidence.authorizations).toEqual([
      { peerId: 'peer-1', kind: 'prior-authorization', start: '2025-01-01', end: '2025-06-30', reference: 'PA-2025-0042', code: 'H0038', units: 48 },
      { peerId: 'peer-1', kind: 'service-order', start: '2025-01-02' },
    ]);
    expect(facts.summary).toEqual({ peersWithCoverage: 1, coverages: 1, diagnoses: 2, serviceOrders: 1, priorAuthorizations: 1, otherPatients: 1, notUsed: 2 });
    expect(facts.issues.map((i) => i.code).sort()).toEqual(['billing.host-condition-refuted', 'billing.host-coverage-inactive', 'billing.host-other-patient']);
    // Issues name fields and count, never values.
    expect(JSON.stringify(facts.issues)).not.toMatch(/F20|M0000|ehr-999|OLD-1/);
  });

  it('matches a patient by identifier when the export names it by MRN only', () => {
    const byMrn = peer({ coverage: [], patient: { identifier: { system: 'https://example.org/test/mrn', value: 'MRN-0001' } } });
    const facts = toBillingFacts(read({ patientId: 'other-id' }), { peers: [byMrn] });
    expect(facts.summary.diagnoses).toBe(2);
    expect(facts.peers[0]?.coverage).toHaveLength(1);
  });

  it("names the payer by the id a pack or the payer map knows, and keeps the export's coverage when the host has none usable", () => {
    const mapped = toBillingFacts(read({ payerId: 'EXMCD-17' }), { peers: [bare], payerIds: { 'EXMCD-17': 'nc-medicaid' } });
    expect(mapped.peers[0]?.coverage[0]?.payerId).toBe('nc-medicaid');
    const byPack = toBillingFacts(read({ payerId: 'NC-PAYER' }), { peers: [bare], packs: [{ ...NC_MEDICAID_PACK, coveragePayerIds: ['NC-PAYER'] }] });
    expect(byPack.peers[0]?.coverage[0]?.payerId).toBe('NC-PAYER');
    const own = peer();
    const noCoverage = toBillingFacts({ records: [], context: [] }, { peers: [own] });
    expect(noCoverage.peers[0]).toBe(own);
    expect(noCoverage.evidence).toEqual({ diagnoses: [], authorizations: [] });
  });

  it('does not mutate the peers it is given', () => {
    const peers = [bare];
    const before = structuredClone(peers);
    toBillingFacts(read(), { peers });
    expect(peers).toEqual(before);
  });
});

describe('billing from the host FHIR', () => {
  const encounters = [encounter('2025-03-03T10:00:00', 45), encounter('2025-03-10T10:00:00', 30)];

  it('bills the same lines from the host FHIR as from the equivalent evidence file', () => {
    const facts = toBillingFacts(read(), { peers: [bare] });
    const fromHost = billEncounters(encounters, context(VA_MEDICAID_PACK, { peers: facts.peers, evidence: facts.evidence }));
    const file: BillingEvidence = {
      diagnoses: [
        { peerId: 'peer-1', code: 'F11.20', start: '2024-11-01' },
        { peerId: 'peer-1', code: 'F33.1', start: '2023-05-01' },
      ],
      authorizations: [
        { peerId: 'peer-1', kind: 'prior-authorization', start: '2025-01-01', end: '2025-06-30', reference: 'PA-2025-0042', code: 'H0038', units: 48 },
        { peerId: 'peer-1', kind: 'service-order', start: '2025-01-02' },
      ],
    };
    const fromFile = billEncounters(encounters, context(VA_MEDICAID_PACK, { peers: [peer()], evidence: file }));
    expect(fromHost.lines.map((l) => l.status)).toEqual(['billable', 'billable']);
    expect(fromHost).toEqual(fromFile);
  });

  it('holds what the host lacks: no prior authorization holds the VA lines (ORDER_AUTH)', () => {
    const facts = toBillingFacts(read({ preAuth: null }), { peers: [bare] });
    const run = billEncounters(encounters, context(VA_MEDICAID_PACK, { peers: facts.peers, evidence: facts.evidence }));
    expect(run.lines.map((l) => [l.status, l.findings.filter((f) => f.severity === 'error').map((f) => f.check)])).toEqual([
      ['held', ['ORDER_AUTH']],
      ['held', ['ORDER_AUTH']],
    ]);
  });

  it('writes an 837P from the host facts that the independent parser reads back: the principal diagnosis first and the authorization number', async () => {
    const facts = toBillingFacts(read({ payerId: 'nc-medicaid' }), { peers: [bare] });
    const evidence = mergeBillingEvidence(facts.evidence, { authorizations: [{ peerId: 'peer-1', kind: 'assessment', start: '2025-01-01' }] });
    const run = billEncounters(encounters, context(NC_MEDICAID_PACK, { peers: facts.peers, ...(evidence ? { evidence } : {}) }));
    expect(run.lines.map((l) => l.status)).toEqual(['billable', 'billable']);
    const claims = toProfessionalClaims(run, { ...CLAIM_OPTIONS, members: { 'peer-1': MEMBERS['peer-1']! }, ...(evidence ? { evidence } : {}) });
    expect(claims.omitted).toEqual([]);
    const files = toX12Professional(claims, { interchangeControlNumber: 7, createdAt: '2025-04-01T09:00' });
    if (!files.ok) throw new Error('no 837P');
    const segments = await parseIndependently(files.value[0]?.text ?? '');
    const hi = segments.find((s) => s.name === 'HI');
    expect([hi?.['1-1'], hi?.['2-1']]).toEqual(['F1120', 'F331']);
    expect(segments.filter((s) => s.name === 'REF' && s['1'] === 'G1').map((s) => s['2'])).toEqual(['PA-2025-0042']);
    expect(segments.filter((s) => s.name === 'SV1')).toHaveLength(2);
    expect(segments.find((s) => s.name === 'NM1' && s['1'] === 'IL')?.['9']).toBe('M000000001');
  });
});

describe('mergeBillingEvidence', () => {
  it('keeps each list any source has, each entry once, and fills MUE values in', () => {
    const a: BillingEvidence = { diagnoses: [{ peerId: 'p', code: 'F11.20' }], mue: { H0038: 16 } };
    const b: BillingEvidence = { diagnoses: [{ peerId: 'p', code: 'F11.20' }, { peerId: 'p', code: 'F33.1' }], initiatingVisits: [], mue: { H0038: 24, G0140: 1 } };
    expect(mergeBillingEvidence(a, undefined, b)).toEqual({
      diagnoses: [{ peerId: 'p', code: 'F11.20' }, { peerId: 'p', code: 'F33.1' }],
      initiatingVisits: [],
      mue: { H0038: 16, G0140: 1 },
    });
    expect(mergeBillingEvidence(undefined)).toBeUndefined();
  });
});
