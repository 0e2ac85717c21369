import type { ServiceConsent } from '@peerkit/model';
import { describe, expect, it } from 'vitest';
import { consent, context, encounter, peer, plan } from './__fixtures__/clinic';
import { billEncounters } from './bill-encounters';
import type { BillingContext } from './billing-context';
import type { ClaimLine } from './claim-line';
import { MEDICARE_PIN_PACK, PA_MEDICAID_PACK } from './packs';

const PIN_PEER = peer({ coverage: [{ payerId: 'medicare-pin', memberId: 'MBI0000001', start: '2024-01-01' }], birthDate: '1955-01-01' });
const VISIT = { initiatingVisits: [{ peerId: 'peer-1', date: '2025-01-10', code: '99214' }] };
const FEB = [encounter('2025-02-03T10:00:00', 40), encounter('2025-02-10T10:00:00', 50)];

function serviceConsent(patch: Partial<ServiceConsent> = {}): ServiceConsent {
  return {
    kind: 'service-consent',
    id: 'svc-1',
    peerId: 'peer-1',
    services: ['G0140', 'G0146'],
    status: 'active',
    period: { start: '2025-01-10' },
    signature: { signer: 'peer', signedAt: '2025-01-10T10:00:00-05:00', method: 'verbal' },
    costSharingExplained: true,
    ...patch,
  };
}

const consentFindings = (lines: readonly ClaimLine[]) =>
  lines.map((l) => [l.code, l.status, l.findings.filter((f) => f.check === 'PIN_PREREQS').map((f) => f.severity)]);
const bill = (ctx: Partial<BillingContext>) => billEncounters(FEB, context(MEDICARE_PIN_PACK, { peers: [PIN_PEER], evidence: VISIT, ...ctx }));

describe('billEncounters: the service consent (Medicare PIN)', () => {
  it('bills G0140/G0146 with a service consent in force, without any disclosure consent', () => {
    expect(consentFindings(bill({ consents: [], serviceConsents: [serviceConsent()] }).lines)).toEqual([
      ['G0140', 'billable', []],
      ['G0146', 'billable', []],
    ]);
  });

  it.each<[string, ServiceConsent]>([
    ['declined', serviceConsent({ status: 'rejected' })],
    ['given after the month', serviceConsent({ period: { start: '2025-03-01' }, signature: { signer: 'peer', signedAt: '2025-03-01T10:00:00-05:00', method: 'verbal' } })],
    ['for another service', serviceConsent({ services: ['H0038'] })],
    ['for another program', serviceConsent({ programId: 'prog-mh' })],
  ])('holds both lines with a service consent %s, citing the rule', (_what, sc) => {
    const run = bill({ consents: [], serviceConsents: [sc] });
    expect(consentFindings(run.lines)).toEqual([
      ['G0140', 'held', ['error']],
      ['G0146', 'held', ['error']],
    ]);
    expect(run.lines[0]?.findings.find((f) => f.check === 'PIN_PREREQS')?.source).toContain('[S16]');
  });

  it('accepts a treatment disclosure consent in its place with a warning, and holds it under --strict', () => {
    expect(consentFindings(bill({ consents: [consent()] }).lines)).toEqual([
      ['G0140', 'billable', ['warning']],
      ['G0146', 'billable', ['warning']],
    ]);
    expect(consentFindings(bill({ consents: [consent()], missingEvidence: 'hold' }).lines).map((l) => l[1])).toEqual(['held', 'held']);
  });
});

describe('billEncounters: the plan review (PA: every 6 months)', () => {
  const at = (date: string) => billEncounters([encounter(`${date}T10:00:00`, 30)], context(PA_MEDICAID_PACK, { plans: [plan({ reviewDue: '2030-01-01' })] }));
  const planFindings = (date: string) => at(date).lines[0]?.findings.filter((f) => f.check === 'PLAN').map((f) => f.message) ?? [];

  it('counts six months from the last signed review, whatever the plan\'s own reviewDue says', () => {
    expect(planFindings('2025-07-06')).toEqual([]);
    expect(planFindings('2025-07-07')).toEqual(['The recovery plan was last reviewed more than 6 months before the service (signatures.signedAt, period.start)']);
  });

  it('takes a later signature as the review', () => {
    const reviewed = plan({ reviewDue: '2030-01-01', signatures: [...plan().signatures, { role: 'peer', signedAt: '2025-06-30T10:00:00-05:00', method: 'electronic' }] });
    const run = billEncounters([encounter('2025-09-01T10:00:00', 30)], context(PA_MEDICAID_PACK, { plans: [reviewed] }));
    expect(run.lines[0]?.findings.filter((f) => f.check === 'PLAN')).toEqual([]);
  });
});
