/**
 * A gated sync stopped part-way and resumed records each decision in the disclosure ledger once
 * (42 CFR §2.25): the ledger after the stop and the resume adds up to the ledger of one
 * uninterrupted run. Real files, the embedded FHIR server over loopback HTTP.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clinicToNdjson, generateClinic } from '@peerkit/model';
import { createMemoryDisclosureLedger } from '@peerkit/safeguards';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectEachDecisionOnce, recipientOf } from '../test/disclosure-support';
import { useEmbeddedServer } from '../test/helpers';
import { readRecordedPositions } from './disclosure';
import { createFhirTransport } from './transport';

const server = useEmbeddedServer();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'peerkit-disclosure-resume-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const transport = () => createFhirTransport({ baseUrl: server.baseUrl });

describe('runSync with a disclosure ledger, stopped and resumed', () => {
  it('records each gate decision once across the stop and the resume', async () => {
    const file = join(dir, 'clinic.ndjson');
    writeFileSync(file, clinicToNdjson(generateClinic({ seed: 3, peers: 400, weeks: 6 })));
    const recipient = recipientOf('1234567893');

    await expectEachDecisionOnce(dir, { file, transport, recipient });
  }, 120_000);
});

describe('readRecordedPositions', () => {
  it('gives, per patient key, the furthest position a run recorded, and nothing of other runs', async () => {
    const ledger = createMemoryDisclosureLedger();
    const { createDisclosureLedgerEntry } = await import('@peerkit/safeguards');
    const request = { patient: { reference: 'Patient/p1', identifier: [] }, actor: [{ identifier: [{ system: 'urn:npi', value: '1' }] }], discloser: [], purposeOfUse: [], category: [] };
    const entry = (run: string, through: number, key: string) =>
      createDisclosureLedgerEntry({ request, decision: 'PERMIT', recorded: '2026-05-01T10:00:00Z', disclosed: { Encounter: 1 }, position: { run, through, key } });
    await ledger.append(entry('run-a', 10, 'Patient/p1'));
    await ledger.append(entry('run-a', 25, 'Patient/p1'));
    await ledger.append(entry('run-a', 7, 'Patient/p2'));
    await ledger.append(entry('run-b', 99, 'Patient/p1'));
    await ledger.append(createDisclosureLedgerEntry({ request, decision: 'PERMIT', recorded: '2026-05-01T10:00:00Z' }));
    expect(Object.fromEntries(await readRecordedPositions(ledger, 'run-a'))).toEqual({ 'Patient/p1': 25, 'Patient/p2': 7 });
    expect((await readRecordedPositions(ledger, 'run-c')).size).toBe(0);
  });
});
