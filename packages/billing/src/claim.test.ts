import { generateClinic } from '@peerkit/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { context, encounter, groupPeers, groupSession, peer, plan } from './__fixtures__/clinic';
import { loadDefinitions, validationErrors } from './__fixtures__/medplum';
import { billEncounters } from './bill-encounters';
import { collectBillingRecords } from './billing-context';
import { CHARGE_ITEM_MODIFIER_EXTENSION, toFhirChargeItems, toFhirClaims } from './claim';
import { MEDICAID_GENERIC_PACK, MEDICARE_PIN_PACK, NC_MEDICAID_PACK, PAYER_PACKS } from './packs';

beforeAll(() => loadDefinitions(), 60_000);

const clinic = generateClinic({ seed: 11, peers: 80, weeks: 10 });
const { encounters, ...records } = collectBillingRecords(clinic.records);

describe('toFhirClaims and toFhirChargeItems on a generated clinic', () => {
  it.each(PAYER_PACKS.map((p) => [p.id, p] as const))(
    'under %s: Claims and ChargeItems pass Medplum validateResource with zero errors',
    (_id, pack) => {
      const run = billEncounters(encounters, { ...records, packs: [pack] });
      const options = { organizationId: records.organization?.id ?? 'org' };
      const claims = toFhirClaims(run, options);
      const charges = toFhirChargeItems(run, options);
      expect(claims.length).toBeGreaterThan(0);
      expect(charges).toHaveLength(run.lines.filter((l) => l.status === 'billable').length);
      const errors = [...claims, ...charges].flatMap((r) => validationErrors(r).map((e) => `${r.resourceType}/${r.id}: ${e}`));
      expect(errors).toEqual([]);
      // Every billable line is on exactly one claim; no held line is.
      const items = claims.reduce((n, c) => n + (c.item?.length ?? 0), 0);
      expect(items).toBe(run.lines.filter((l) => l.status === 'billable').length);
    },
  );

  it('the validator does reject a broken Claim (the check above can fail)', () => {
    const run = billEncounters(encounters, { ...records, packs: [MEDICAID_GENERIC_PACK] });
    const [claim] = toFhirClaims(run);
    expect(claim).toBeDefined();
    const { patient: _p, ...broken } = claim as NonNullable<typeof claim>;
    expect(validationErrors(broken).length).toBeGreaterThan(0);
    expect(validationErrors({ ...claim, modifiers: ['HQ'] }).length).toBeGreaterThan(0);
  });
});

describe('toFhirClaims', () => {
  it('makes one professional claim per payer, member and month, with only billable lines', () => {
    const run = billEncounters(
      [
        encounter('2025-03-03T09:00:00', 240),
        encounter('2025-03-03T14:00:00', 60),
        encounter('2025-03-10T10:00:00', 30, { modality: 'video', setting: 'home' }),
        encounter('2025-04-01T10:00:00', 7),
        encounter('2025-04-02T10:00:00', 30),
      ],
      context(MEDICAID_GENERIC_PACK, { evidence: { mue: { H0038: 16 } } }),
    );
    const claims = toFhirClaims(run, { organizationId: 'org-test' });
    expect(claims.map((c) => c.billablePeriod)).toEqual([
      { start: '2025-03-01', end: '2025-03-31' },
      { start: '2025-04-01', end: '2025-04-30' },
    ]);
    const [march, april] = claims;
    expect(march?.type.coding?.[0]).toEqual({ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' });
    expect(march?.use).toBe('claim');
    expect(march?.patient).toEqual({ reference: 'Patient/ehr-1' });
    expect(march?.provider.reference).toMatch(/^Organization\//);
    expect(march?.insurance[0]?.coverage.identifier?.value).toBe('M000000001');
    expect(march?.item?.map((i) => [i.productOrService.coding?.[0]?.code, i.quantity?.value, i.servicedDate])).toEqual([
      ['H0038', 16, '2025-03-03'],
      ['H0038', 2, '2025-03-10'],
    ]);
    expect(march?.item?.[1]?.modifier?.[0]?.coding?.[0]?.code).toBe('GT');
    expect(march?.item?.[1]?.locationCodeableConcept?.coding?.[0]).toMatchObject({ code: '10', display: "Telehealth Provided in Patient's Home" });
    expect(april?.item).toHaveLength(1);
    expect(march?.meta?.security?.map((s) => s.code)).toEqual(['R', 'SUD', '42CFRPart2', 'NORDSCLCD']);
    expect(march?.created).toBe('2025-03-31');
    expect(toFhirClaims(run, { organizationId: 'org-test' })).toEqual(claims);
  });

  it('prices NC lines and totals the claim', () => {
    const peers = [peer(), ...groupPeers(1)];
    const run = billEncounters(
      [encounter('2025-03-03T10:00:00', 30), groupSession('2025-03-04T17:00:00', 60, 1, { attendees: [] }), groupSession('2025-03-05T17:00:00', 60, 1)],
      context(NC_MEDICAID_PACK, { peers, plans: [plan(), plan({ id: 'p-g1', peerId: 'peer-g1' })] }),
    );
    const [claim] = toFhirClaims(run);
    expect(claim?.item?.[0]?.unitPrice).toEqual({ value: 11.97, currency: 'USD' });
    expect(claim?.item?.[0]?.net).toEqual({ value: 23.94, currency: 'USD' });
    expect(claim?.total).toEqual({ value: 23.94, currency: 'USD' });
  });

  it('bills a PIN month with a serviced period and the CPT system for modifier 95', () => {
    const pinPeer = peer({ coverage: [{ payerId: 'medicare-pin', memberId: 'MBI1', start: '2024-01-01' }] });
    const run = billEncounters(
      [encounter('2025-02-03T10:00:00', 70, { modality: 'video', setting: 'home' })],
      context(MEDICARE_PIN_PACK, { peers: [pinPeer], evidence: { initiatingVisits: [{ peerId: 'peer-1', date: '2025-01-02' }] } }),
    );
    const [claim] = toFhirClaims(run, { hcpcsSystem: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets' });
    const item = claim?.item?.[0];
    expect(item?.servicedPeriod).toEqual({ start: '2025-02-03', end: '2025-02-03' });
    expect(item?.productOrService.coding?.[0]?.system).toBe('https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets');
    expect(item?.modifier?.[0]?.coding?.[0]).toEqual({ system: 'http://www.ama-assn.org/go/cpt', code: '95' });
  });

  it('lists diagnoses from the evidence and points items at them', () => {
    const run = billEncounters(
      [encounter('2025-03-03T10:00:00', 30)],
      context(MEDICAID_GENERIC_PACK, { evidence: { diagnoses: [{ peerId: 'peer-1', code: 'F11.20' }] } }),
    );
    const [claim] = toFhirClaims(run);
    expect(claim?.diagnosis?.[0]?.diagnosisCodeableConcept?.coding?.[0]).toEqual({ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F11.20' });
    expect(claim?.item?.[0]?.diagnosisSequence).toEqual([1]);
  });
});

describe('toFhirChargeItems', () => {
  it('carries modifiers and place of service in extensions and links the encounter', () => {
    const e = encounter('2025-03-03T10:00:00', 30, { modality: 'audio-only', setting: 'community' });
    const [item] = toFhirChargeItems(billEncounters([e], context(MEDICAID_GENERIC_PACK)));
    expect(item?.status).toBe('billable');
    expect(item?.quantity?.value).toBe(2);
    expect(item?.extension?.find((x) => x.url === CHARGE_ITEM_MODIFIER_EXTENSION)?.valueCodeableConcept?.coding?.[0]?.code).toBe('93');
    expect(item?.context?.reference).toMatch(/^Encounter\/.+/);
    expect(item?.occurrencePeriod?.start).toBe(e.start);
  });
});
