import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { createAccountingReport, createBreachScopeReport, createDisclosureLedgerEntry, parseDisclosureRequest } from '@peerkit/safeguards';
import type { AuditEvent } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_ERROR_CODES } from '../errors';
import { createFhirTransport } from '../transport';
import { createFhirDisclosureLedger } from './fhir-ledger';

const NPI = 'http://hl7.org/fhir/sid/us-npi';
function entry(patient: string, recorded: string): AuditEvent {
  const request = parseDisclosureRequest({ patient: { reference: patient }, actor: [{ system: NPI, value: '1000000004' }], purposeOfUse: ['COC'] });
  if (!request.ok) throw new Error('request');
  return createDisclosureLedgerEntry({ request: request.value, decision: 'PERMIT', recorded, consents: ['Consent/c1'], disclosed: { DocumentReference: 2 }, part2: true }, { id: 'local-id' });
}

let server: FhirServer;
beforeAll(async () => {
  server = await startFhirServer({ port: 0 });
});
afterAll(async () => {
  await server.close();
});

describe('createFhirDisclosureLedger', () => {
  it('POSTs each entry as an AuditEvent and reads them back by patient and date, across pages', async () => {
    const ledger = createFhirDisclosureLedger({ transport: createFhirTransport({ baseUrl: server.baseUrl }), pageSize: 2 });
    for (const [patient, recorded] of [
      ['Patient/f1', '2026-05-01T10:00:00Z'],
      ['Patient/f1', '2026-05-02T10:00:00Z'],
      ['Patient/f2', '2026-05-02T11:00:00Z'],
      ['Patient/f1', '2026-05-03T10:00:00Z'],
      ['Patient/f1', '2022-01-01T10:00:00Z'],
    ] as const) {
      await ledger.append(entry(patient, recorded));
    }
    const report = await createAccountingReport(ledger, { patient: 'Patient/f1', asOf: '2026-06-01' });
    // The server may write the instant with milliseconds.
    expect(report.disclosures.map((d) => d.date.slice(0, 19))).toEqual(['2026-05-01T10:00:00', '2026-05-02T10:00:00', '2026-05-03T10:00:00']);
    const scope = await createBreachScopeReport(ledger, { recipient: `${NPI}|1000000004`, from: '2026-05-01', to: '2026-05-31' });
    expect(scope.totals).toMatchObject({ patients: 2, disclosures: 4 });
  });

  it('reports a server that refuses as sync.server-unavailable', async () => {
    const ledger = createFhirDisclosureLedger({ transport: createFhirTransport({ baseUrl: server.baseUrl }) });
    const bad = { ...entry('Patient/f1', '2026-05-01T10:00:00Z'), agent: [] } as AuditEvent;
    await expect(ledger.append(bad)).rejects.toMatchObject({ code: SYNC_ERROR_CODES.serverUnavailable });
  });

  it('rejects a page size out of range', () => {
    expect(() => createFhirDisclosureLedger({ transport: createFhirTransport({ baseUrl: server.baseUrl }), pageSize: 0 })).toThrow(/pageSize/);
  });
});
