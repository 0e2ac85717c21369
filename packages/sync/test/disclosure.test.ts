import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { generateClinic } from '@peerkit/model';
import { createMemoryDisclosureLedger, parseDisclosureRecipient, readDisclosureRecord, type DisclosureRecipient } from '@peerkit/safeguards';
import type { Bundle, BundleEntry, Consent, Resource } from 'fhir/r4';
import { afterEach, describe, expect, it } from 'vitest';
import { readSyncConsents, toSyncEntries } from '../src/clinic';
import { createDisclosureGate } from '../src/disclosure';
import { collectReferences } from '../src/internal/references';
import { createMemoryOutbox } from '../src/outbox';
import { sync } from '../src/sync';
import { createFhirTransport } from '../src/transport';

const open: FhirServer[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

const NOW = '2026-06-01';
const clinic = generateClinic({ seed: 3, peers: 12, weeks: 3 });

function recipient(input: unknown): DisclosureRecipient {
  const parsed = parseDisclosureRecipient(input);
  if (!parsed.ok) throw new Error('recipient');
  return parsed.value;
}

function entries(): BundleEntry[] {
  const mapped = toSyncEntries(clinic.records);
  if (!mapped.ok) throw new Error('mapping failed');
  return mapped.value;
}

/** Names a patient: a Patient reference or a logical reference typed Patient, anywhere. */
const namesPatient = (resource: Resource | undefined): boolean => /"reference":"Patient\/|"type":"Patient"/.test(JSON.stringify(resource ?? {}));

/** Runs the gate over the entries in order: what went and what was withheld, by reason. */
function gate(withhold: (entry: BundleEntry) => string | undefined, list: BundleEntry[]) {
  const sent: BundleEntry[] = [];
  const withheld: Record<string, number> = {};
  const reasonOf = new Map<BundleEntry, string>();
  for (const entry of list) {
    const reason = withhold(entry);
    if (reason === undefined) sent.push(entry);
    else {
      withheld[reason] = (withheld[reason] ?? 0) + 1;
      reasonOf.set(entry, reason);
    }
  }
  return { sent, withheld, reasonOf };
}

describe('createDisclosureGate', () => {
  it('withholds every patient record from a recipient no consent covers, and sends the rest', async () => {
    const consents = await readSyncConsents(clinic.records);
    expect(consents.length).toBe(clinic.records.filter((r) => r.kind === 'consent').length);
    // Marketing: no consent of the clinic permits it.
    const withhold = createDisclosureGate({
      consents,
      recipient: recipient({ actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], purposeOfUse: ['HMARKT'] }),
      now: NOW,
    });
    const list = entries();
    const { sent, withheld, reasonOf } = gate(withhold, list);
    expect(sent.length).toBeGreaterThan(0);
    for (const entry of sent) expect(namesPatient(entry.resource)).toBe(false);
    // What names no patient goes, unless it refers to something withheld (a signature's Provenance).
    for (const entry of list) if (!namesPatient(entry.resource) && !sent.includes(entry)) expect(reasonOf.get(entry)).toBe('depends-on-withheld');
    expect(Object.values(withheld).reduce((a, b) => a + b, 0)).toBe(list.length - sent.length);
  });

  it('for treatment, sends only the records of peers whose TPO consent is in force', async () => {
    const consents = await readSyncConsents(clinic.records);
    const withhold = createDisclosureGate({
      consents,
      recipient: recipient({ actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], purposeOfUse: ['TREAT'] }),
      now: NOW,
    });
    const { sent, withheld } = gate(withhold, entries());
    const sentPatients = new Set(sent.flatMap((e) => collectReferences(e.resource).filter((r) => r.startsWith('Patient/'))));
    // Only peers with an active, signed TPO consent in force on NOW may have records sent.
    const peers = new Map(clinic.records.flatMap((r) => (r.kind === 'peer' ? [[r.id, r.patient.reference] as const] : [])));
    const covered = new Set(
      clinic.records.flatMap((r) =>
        r.kind === 'consent' && r.consentKind === 'part2-tpo' && r.status === 'active' && r.period.start <= NOW && (r.period.end ?? '9999') >= NOW
          ? [peers.get(r.peerId)]
          : [],
      ),
    );
    expect(sentPatients.size).toBeGreaterThan(0);
    for (const patient of sentPatients) expect(covered).toContain(patient);
    expect(withheld['no-consent'] ?? 0).toBeGreaterThan(0);
  });

  it('withholds an entry that refers to a withheld one, whatever its own decision', () => {
    const encounter: BundleEntry = {
      fullUrl: 'urn:uuid:20000000-0000-4000-8000-000000000001',
      resource: {
        resourceType: 'Encounter',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject: { reference: 'Patient/no-consent' },
      } as Resource,
      request: { method: 'PUT', url: 'Encounter?identifier=s|e1' },
    };
    const practitioner: BundleEntry = {
      fullUrl: 'urn:uuid:30000000-0000-4000-8000-000000000001',
      resource: { resourceType: 'Practitioner', active: true } as Resource,
      request: { method: 'PUT', url: 'Practitioner?identifier=s|p1' },
    };
    const byUrn: BundleEntry = {
      fullUrl: 'urn:uuid:30000000-0000-4000-8000-000000000002',
      resource: { resourceType: 'Basic', code: { text: 'x' }, subject: { reference: encounter.fullUrl } } as Resource,
      request: { method: 'PUT', url: 'Basic?identifier=s|b1' },
    };
    const byCondition: BundleEntry = {
      resource: { resourceType: 'Basic', code: { text: 'y' }, subject: { reference: 'Encounter?identifier=s|e1' } } as Resource,
      request: { method: 'PUT', url: 'Basic?identifier=s|b2' },
    };
    const withhold = createDisclosureGate({ consents: [], recipient: recipient({ actor: [{ value: 'partner' }], purposeOfUse: ['TREAT'] }), now: NOW });
    expect([encounter, practitioner, byUrn, byCondition].map(withhold)).toEqual([
      'no-consent',
      undefined,
      'depends-on-withheld',
      'depends-on-withheld',
    ]);
  });

  it('sees a patient however a resource names them, and withholds without a permit', () => {
    const withhold = createDisclosureGate({ consents: [], recipient: recipient({ actor: [{ value: 'partner' }], purposeOfUse: ['TREAT'] }), now: NOW });
    const encounter = (subject: unknown, extra: Record<string, unknown> = {}): BundleEntry => ({
      resource: { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject, ...extra } as Resource,
      request: { method: 'POST', url: 'Encounter' },
    });
    const named = [
      { resource: { resourceType: 'Patient', identifier: [{ system: 'mrn', value: '1' }] } as Resource, request: { method: 'POST', url: 'Patient' } },
      encounter({ reference: 'Patient?identifier=mrn|2' }),
      encounter({ identifier: { system: 'mrn', value: '3' } }),
      encounter({ reference: 'https://ehr.example.org/fhir/Patient/4/_history/2' }),
      encounter({ type: 'Patient', display: 'someone' }),
      encounter({ reference: '#p' }, { contained: [{ resourceType: 'Patient', id: 'p', identifier: [{ system: 'mrn', value: '5' }] }] }),
    ] as BundleEntry[];
    expect(named.map(withhold)).toEqual(named.map(() => 'no-consent'));
    const practitioner = { resource: { resourceType: 'Practitioner', identifier: [{ system: 'npi', value: '1' }] } as Resource, request: { method: 'POST', url: 'Practitioner' } } as BundleEntry;
    expect(withhold(practitioner)).toBeUndefined();
  });

  it('decides a reference to a Patient entry of the sync as that patient', () => {
    // A consent for patient mrn|1 that permits only the Patient resource itself, for treatment.
    const consent: Consent = {
      resourceType: 'Consent',
      status: 'active',
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { identifier: { system: 'mrn', value: '1' } },
      dateTime: '2026-01-01',
      provision: {
        type: 'permit',
        period: { start: '2026-01-01' },
        purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }],
        class: [{ system: 'http://hl7.org/fhir/resource-types', code: 'Patient' }],
      },
    };
    const withhold = createDisclosureGate({ consents: [consent], recipient: recipient({ actor: [{ value: 'partner' }], purposeOfUse: ['TREAT'] }), now: NOW });
    const patient: BundleEntry = {
      fullUrl: 'urn:uuid:10000000-0000-4000-8000-000000000001',
      resource: { resourceType: 'Patient', identifier: [{ system: 'mrn', value: '1' }] } as Resource,
      request: { method: 'PUT', url: 'Patient?identifier=mrn|1' },
    };
    const visit: BundleEntry = {
      resource: { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: patient.fullUrl } } as Resource,
      request: { method: 'POST', url: 'Encounter' },
    };
    expect(withhold(patient)).toBeUndefined();
    // The encounter names the patient only by the entry's urn:uuid; the consent does not cover it.
    expect(withhold(visit)).toBe('no-consent');
  });

  it('tallies its decisions per patient and flushes one ledger entry each: counts and consents, never content', async () => {
    const consents = await readSyncConsents(clinic.records);
    const ledger = createMemoryDisclosureLedger();
    const withhold = createDisclosureGate({
      consents,
      recipient: recipient({ actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], purposeOfUse: ['TREAT'] }),
      now: NOW,
      ledger,
    });
    const { sent, reasonOf } = gate(withhold, entries());
    expect(ledger.entries).toHaveLength(0);
    const appended = await withhold.flush();
    expect(appended).toBe(ledger.entries.length);
    const records = ledger.entries.map((e) => readDisclosureRecord(e));
    // One entry per patient: every entry names a patient no other entry names.
    const patients = records.map((r) => r?.patient[0]);
    expect(new Set(patients).size).toBe(appended);
    expect(appended).toBeGreaterThan(1);
    // Each decided entry is counted under every patient it names.
    const disclosed = records.reduce((n, r) => n + (r?.total ?? 0), 0);
    const withheldCount = ledger.entries.reduce(
      (n, e) => n + (e.entity?.[1]?.detail ?? []).filter((d) => d.type.startsWith('withheld:')).reduce((m, d) => m + Number(d.valueString), 0),
      0,
    );
    expect(disclosed).toBeGreaterThanOrEqual(sent.filter((e) => namesPatient(e.resource)).length);
    expect(withheldCount).toBeGreaterThanOrEqual([...reasonOf.keys()].filter((e) => namesPatient(e.resource)).length);
    for (const r of records) {
      expect(r?.channel).toBe('ehr');
      expect(r?.purposes).toEqual(['TREAT']);
      if (r?.decision === 'PERMIT') {
        expect(r.total).toBeGreaterThan(0);
        expect(r.consents.length).toBeGreaterThan(0);
      } else expect(r?.total).toBe(0);
    }
    expect(records.some((r) => r?.decision === 'PERMIT')).toBe(true);
    // Types, counts, labels and references of patients and consents only: no entries, no text.
    expect(JSON.stringify(ledger.entries)).not.toMatch(/urn:uuid|attachment|"text"|"name"/);
    expect(await withhold.flush()).toBe(0);
    // Without a ledger there is nothing to flush.
    const plain = createDisclosureGate({ consents, recipient: recipient({ actor: [{ value: 'partner' }], purposeOfUse: ['TREAT'] }), now: NOW });
    gate(plain, entries());
    expect(await plain.flush()).toBe(0);
  });

  it('needs a recipient', () => {
    expect(() => createDisclosureGate({ consents: [], recipient: recipient({ purposeOfUse: ['TREAT'] }), now: NOW })).toThrow(/recipient/);
  });

  it('sync with the gate: the server holds exactly what was not withheld, and every reference resolves', async () => {
    const server = await startFhirServer();
    open.push(server);
    const consents = await readSyncConsents(clinic.records);
    const withhold = createDisclosureGate({
      consents,
      recipient: recipient({ actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], purposeOfUse: ['TREAT'] }),
      now: NOW,
    });
    const list = entries();
    const summary = await sync({ transport: createFhirTransport({ baseUrl: server.baseUrl }), outbox: createMemoryOutbox(), entries: list, withhold, provenance: false });
    expect(summary.deadLettered).toBe(0);
    expect(summary.withheld).toBeGreaterThan(0);
    expect(summary.confirmed + summary.withheld).toBe(list.length);
    expect(Object.values(summary.withheldBy).reduce((a, b) => a + b, 0)).toBe(summary.withheld);
    let onServer = 0;
    for (const type of new Set(list.map((e) => e.resource?.resourceType ?? ''))) {
      const bundle = (await (await fetch(`${server.baseUrl}/${type}?_summary=count`)).json()) as Bundle;
      onServer += bundle.total ?? 0;
    }
    expect(onServer).toBe(summary.confirmed);
  });
});
