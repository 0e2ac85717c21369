/**
 * `runSync` in `import` mode, over HTTP on loopback against the embedded FHIR server: the export
 * written as NDJSON per type, served to the server (by the run's own file server, or at a base URL
 * the caller publishes), `$import` driven; a second import of the same export leaves one copy of
 * each resource; a server without `$import` and an unfinished REST run are refused with codes.
 */
import { createReadStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clinicToNdjson, generateClinic, parseClinicExport, type ClinicRecord } from '@peerkit/model';
import type { Bundle, BundleEntry } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toSyncEntries } from '../src/clinic';
import { SYNC_ERROR_CODES } from '../src/errors';
import { entryKey } from '../src/outbox';
import type { SyncEvent } from '../src/events';
import { runSync, type RunSyncSummary } from '../src/run-sync';
import { createFhirTransport } from '../src/transport';
import { FAST_RETRY, useEmbeddedServer } from './helpers';

const server = useEmbeddedServer();
const poll = { pollIntervalMs: 10, maxPollIntervalMs: 50, maxWaitMs: 60_000 };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'peerkit-run-import-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a generated clinic export; returns its path and the entries a sync of it sends. */
function clinicFile(seed: number): string {
  const path = join(dir, 'clinic.ndjson');
  const text = clinicToNdjson(generateClinic({ seed, peers: 4, weeks: 2 }));
  writeFileSync(path, text);
  const mapped = toSyncEntries(parseClinicExport(text).flatMap((e) => (e.result.ok ? [e.result.value as ClinicRecord] : [])));
  if (!mapped.ok) throw new Error('mapping failed');
  entries = mapped.value;
  return path;
}
let entries: BundleEntry[] = [];

/** How many resources the server holds of each entry's identity that it does not hold exactly once (none: each once). */
async function notOnce(): Promise<Record<string, number>> {
  const wrong: Record<string, number> = {};
  for (const entry of entries) {
    const key = entryKey(entry) ?? '';
    const total = ((await (await fetch(`${server.baseUrl}/${key}`)).json()) as Bundle).total ?? -1;
    if (total !== 1) wrong[key] = total;
  }
  return wrong;
}

function summaryOf(result: Awaited<ReturnType<typeof runSync>>): RunSyncSummary {
  if (!result.ok) throw new Error(`expected a run, got ${result.issues.map((i) => i.code).join(', ')}`);
  return result.value;
}

const count = async (type: string): Promise<number> => ((await (await fetch(`${server.baseUrl}/${type}?_summary=count`)).json()) as Bundle).total ?? -1;

/** A loopback HTTP server answering every request with `answer`; closed by the caller. */
async function listen(answer: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const http = createServer(answer);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, server: http };
}

describe('runSync with writeMode import', () => {
  it('imports the export through $import, counted per type, and a second import leaves one copy of each resource', async () => {
    const file = clinicFile(4101);
    const events: SyncEvent['type'][] = [];
    const options = { file, transport: createFhirTransport({ baseUrl: server.baseUrl }), stateDir: join(dir, 'state'), writeMode: 'import' as const, import: { poll } };
    const first = summaryOf(await runSync({ ...options, onEvent: (e) => events.push(e.type) }));
    expect(first.plan).toMatchObject({ mode: 'import', reason: 'configured' });
    expect(first).toMatchObject({ confirmed: first.resources, deadLettered: 0, pending: 0, complete: true, finished: true });
    expect(first.resources).toBeGreaterThan(0);
    expect(events[0]).toBe('queued');
    expect(events).toContain('confirmed');
    const byType = first.import?.byType ?? {};
    expect(Object.keys(byType)).toEqual(expect.arrayContaining(['Encounter', 'Organization', 'Consent']));
    const onServer = async (): Promise<Record<string, number>> => Object.fromEntries(await Promise.all(Object.keys(byType).map(async (t) => [t, await count(t)] as const)));
    const counted = await onServer();
    // The server's Provenance: the imported ones (specialists' signatures) and the run's own.
    expect(first.provenance.length).toBeGreaterThan(0);
    const imported: Record<string, number> = { ...counted, Provenance: (counted.Provenance ?? 0) - first.provenance.length };
    for (const [type, counts] of Object.entries(byType)) {
      expect(counts).toEqual({ written: imported[type], imported: imported[type], refused: 0 });
    }
    expect(existsSync(join(dir, 'state', 'import', 'Encounter.ndjson'))).toBe(true);

    // A second import is a run of its own: the same resources, and its own Provenance.
    const second = summaryOf(await runSync(options));
    expect(second.confirmed).toBe(first.confirmed);
    expect(await onServer()).toEqual({ ...counted, Provenance: (counted.Provenance ?? 0) + second.provenance.length });
    expect(await notOnce()).toEqual({});
  }, 120_000);

  it('fetches the files from a configured base URL where they are published', async () => {
    const published = join(dir, 'published');
    const requested: string[] = [];
    const files = await listen((req, res) => {
      requested.push(req.url ?? '');
      createReadStream(join(published, (req.url ?? '').slice(1))).on('error', () => res.writeHead(404).end()).pipe(res);
    });
    try {
      const result = summaryOf(
        await runSync({ file: clinicFile(4102), transport: createFhirTransport({ baseUrl: server.baseUrl }), stateDir: join(dir, 'state'), writeMode: 'import', import: { poll, dir: published, filesBaseUrl: `${files.url}/` } }),
      );
      expect(result.confirmed).toBe(result.resources);
      expect(requested.sort()).toEqual(Object.keys(result.import?.byType ?? {}).map((t) => `/${t}.ndjson`).sort());
    } finally {
      await new Promise((resolve) => files.server.close(resolve));
    }
  }, 120_000);

  it('is refused with a code when the CapabilityStatement does not offer $import, before any file is written', async () => {
    const plain = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify({ resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1', format: ['json'], rest: [{ mode: 'server', interaction: [{ code: 'transaction' }] }] }));
    });
    try {
      const result = await runSync({ file: clinicFile(4103), transport: createFhirTransport({ baseUrl: `${plain.url}/fhir` }), stateDir: join(dir, 'state'), writeMode: 'import' });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.issues).toEqual([expect.objectContaining({ code: SYNC_ERROR_CODES.bulkImportFailed, path: ['writeMode'] })]);
      expect(existsSync(join(dir, 'state', 'import'))).toBe(false);
    } finally {
      await new Promise((resolve) => plain.server.close(resolve));
    }
  });

  it('refuses to import over an unfinished REST run in the state directory (its resources would land twice)', async () => {
    const file = clinicFile(4104);
    const stateDir = join(dir, 'state');
    const down = createFhirTransport({ baseUrl: 'http://127.0.0.1:9/fhir', timeoutMs: 1000 });
    const rest = summaryOf(await runSync({ file, transport: down, stateDir, retry: { ...FAST_RETRY, maxAttempts: 2 } }));
    expect(rest.pending).toBeGreaterThan(0);
    const result = await runSync({ file, transport: createFhirTransport({ baseUrl: server.baseUrl }), stateDir, writeMode: 'import' });
    expect(result.ok ? [] : result.issues.map((i) => [i.code, i.path])).toEqual([[SYNC_ERROR_CODES.unfinishedRun, ['stateDir']]]);
  }, 60_000);

  it('stopped while the server imports: a coded issue, and running again imports each resource once', async () => {
    const file = clinicFile(4106);
    const controller = new AbortController();
    const options = { file, transport: createFhirTransport({ baseUrl: server.baseUrl }), stateDir: join(dir, 'state'), writeMode: 'import' as const, import: { poll } };
    const stopped = await runSync({ ...options, signal: controller.signal, onEvent: (e) => (e.type === 'paused' ? controller.abort() : undefined) });
    expect(stopped.ok ? [] : stopped.issues.map((i) => [i.code, i.path])).toEqual([[SYNC_ERROR_CODES.bulkImportFailed, ['signal']]]);
    const again = summaryOf(await runSync(options));
    expect(again).toMatchObject({ confirmed: again.resources, complete: true });
    expect(await notOnce()).toEqual({});
  }, 120_000);

  it('refuses a disclosure recipient (import has no gate) and a hub outbox', async () => {
    const file = clinicFile(4105);
    const transport = createFhirTransport({ baseUrl: server.baseUrl });
    const recipient = { actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], purposeOfUse: ['TREAT'] } as never;
    for (const extra of [{ recipient }, { hub: { outbox: 'postgres://127.0.0.1:9/none' } }]) {
      const result = await runSync({ file, transport, stateDir: join(dir, 'state'), writeMode: 'import', ...extra });
      expect(result.ok ? [] : result.issues.map((i) => [i.code, i.path])).toEqual([[SYNC_ERROR_CODES.invalidOption, ['writeMode']]]);
    }
  });
});
