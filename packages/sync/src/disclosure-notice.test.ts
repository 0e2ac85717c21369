/**
 * The §2.32 notice a gated sync sends with Part 2 data, checked on the embedded FHIR server over
 * loopback HTTP: it lands next to the data, one per patient whose Part 2 records went, with the
 * statement, its citation and the consents' scope; its wording is configurable; a second sync does
 * not write it twice.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFhirServer } from '@peerkit/fhir-server';
import { clinicToNdjson, generateClinic } from '@peerkit/model';
import {
  createMemoryDisclosureLedger,
  PART2_NOTICE_STATEMENTS,
  readDisclosureRecord,
  REDISCLOSURE_NOTICE_TAG,
} from '@peerkit/safeguards';
import type { Bundle, BundleEntry, DocumentReference } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recipientOf, summaryOf } from '../test/disclosure-support';
import { FAST_RETRY, useEmbeddedServer } from '../test/helpers';
import { readSyncConsents, toSyncEntries } from './clinic';
import { createDisclosureGate } from './disclosure';
import { SYNC_NOTICE_IDENTIFIER_SYSTEM } from './disclosure-notice';
import { createMemoryOutbox } from './outbox';
import { runSync } from './run-sync';
import { sync } from './sync';
import { createFhirTransport } from './transport';

const server = useEmbeddedServer();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'peerkit-disclosure-notice-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const clinic = generateClinic({ seed: 3, peers: 30, weeks: 2 });

/** The notices on the server (every page). */
async function noticesOnServer(baseUrl = server.baseUrl): Promise<DocumentReference[]> {
  const out: DocumentReference[] = [];
  const bundle = (await (
    await fetch(`${baseUrl}/DocumentReference?_tag=${encodeURIComponent(REDISCLOSURE_NOTICE_TAG.system)}|${REDISCLOSURE_NOTICE_TAG.code}&_count=1000`)
  ).json()) as Bundle;
  for (const e of bundle.entry ?? []) if (e.resource?.resourceType === 'DocumentReference') out.push(e.resource as DocumentReference);
  return out;
}

const textOf = (doc: DocumentReference, index: number): string => Buffer.from(doc.content[index]?.attachment.data ?? '', 'base64').toString('utf8');

describe('a gated sync and the §2.32 notice', () => {
  it('writes one notice per patient whose Part 2 records went, next to the data, with the statement, citation and consent scope', async () => {
    const file = join(dir, 'clinic.ndjson');
    writeFileSync(file, clinicToNdjson(clinic));
    const ledger = createMemoryDisclosureLedger();
    const recipient = recipientOf('1234567893');
    summaryOf(await runSync({ file, transport: createFhirTransport({ baseUrl: server.baseUrl }), stateDir: join(dir, 'state'), recipient, ledger, retry: FAST_RETRY, provenance: false }));

    const part2 = ledger.entries.map(readDisclosureRecord).filter((r) => r !== undefined && r.part2 && r.total > 0);
    expect(part2.length).toBeGreaterThan(0);
    // The ledger says the notice went with each of them.
    expect(part2.every((r) => r?.noticeAttached === true)).toBe(true);

    const notices = await noticesOnServer();
    expect(notices.length).toBe(part2.length);
    for (const notice of notices) {
      expect(notice.identifier?.[0]?.system).toBe(SYNC_NOTICE_IDENTIFIER_SYSTEM);
      expect(notice.meta?.tag).toEqual(expect.arrayContaining([expect.objectContaining({ system: REDISCLOSURE_NOTICE_TAG.system, code: REDISCLOSURE_NOTICE_TAG.code })]));
      expect(textOf(notice, 0)).toContain(PART2_NOTICE_STATEMENTS['statement-2'].text);
      expect(textOf(notice, 0)).toContain('42 CFR §2.32');
      // §2.32(b): the scope of the consent the data went under.
      expect(notice.content[1]?.attachment.title).toContain('§2.32(b)');
      expect(textOf(notice, 1)).toMatch(/This disclosure was made under/);
      // About a patient whose Part 2 data is on the server.
      const subject = notice.subject?.reference ?? '';
      expect(subject).toMatch(/^Patient\//);
      let data = 0;
      for (const type of ['Encounter', 'CarePlan', 'Goal', 'Procedure', 'ServiceRequest']) {
        const found = (await (await fetch(`${server.baseUrl}/${type}?subject=${encodeURIComponent(subject)}&_summary=count`)).json()) as Bundle;
        data += found.total ?? 0;
      }
      expect(data).toBeGreaterThan(0);
    }
    expect(new Set(notices.map((n) => n.subject?.reference)).size).toBe(notices.length);

    // Another sync of the same export to the same recipient writes no second notice.
    summaryOf(await runSync({ file, transport: createFhirTransport({ baseUrl: server.baseUrl }), stateDir: join(dir, 'again'), recipient, ledger: false, retry: FAST_RETRY, provenance: false }));
    expect((await noticesOnServer()).length).toBe(notices.length);
  }, 120_000);

  it("uses the host's wording, and sends no notice with attachNotice: false", async () => {
    const consents = await readSyncConsents(clinic.records);
    const mapped = toSyncEntries(clinic.records);
    if (!mapped.ok) throw new Error('mapping');
    const entries: BundleEntry[] = mapped.value;
    const recipient = recipientOf('1234567893');
    const text = 'Synthetic host wording: these records may not be redisclosed.';
    // A server of its own: the first test's notices are not in it.
    const own = await startFhirServer();
    try {
      const quiet = createDisclosureGate({ consents, recipient, now: new Date(), attachNotice: false });
      await sync({ transport: createFhirTransport({ baseUrl: own.baseUrl }), outbox: createMemoryOutbox(), entries: quiet.withNotices(entries), withhold: quiet, provenance: false });
      expect(await noticesOnServer(own.baseUrl)).toEqual([]);

      const gate = createDisclosureGate({ consents, recipient, now: new Date(), notice: { statement: { text, source: '42 CFR §2.32(a)(1)' } } });
      const summary = await sync({ transport: createFhirTransport({ baseUrl: own.baseUrl }), outbox: createMemoryOutbox(), entries: gate.withNotices(entries), withhold: gate, provenance: false });
      expect(summary.deadLettered).toBe(0);
      const notices = await noticesOnServer(own.baseUrl);
      expect(notices.length).toBeGreaterThan(0);
      for (const notice of notices) {
        expect(textOf(notice, 0)).toContain(text);
        expect(textOf(notice, 0)).toContain('42 CFR §2.32(a)(1)');
      }
    } finally {
      await own.close();
    }
  }, 120_000);
});
