import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHostFhir } from '@peerkit/fhir';
import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import type { Resource } from 'fhir/r4';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken } from '../src/auth';
import { bulkExport, type BulkExportEvent, type BulkExportOptions, type BulkExportSummary } from '../src/bulk-export';
import { FAST_RETRY } from './helpers';

const SYSTEM = 'urn:peerkit:test:bulk';

/** Every resource of an export, its events and its summary. */
async function drain(options: BulkExportOptions): Promise<{ resources: Resource[]; events: BulkExportEvent[]; summary: BulkExportSummary }> {
  const events: BulkExportEvent[] = [];
  const resources: Resource[] = [];
  const run = bulkExport({ pollIntervalMs: 1, retry: FAST_RETRY, onEvent: (e) => events.push(e), ...options });
  for (;;) {
    const next = await run.next();
    if (next.done === true) return { resources, events, summary: next.value };
    resources.push(next.value);
  }
}

async function post(server: FhirServer, resource: object): Promise<string> {
  const type = (resource as { resourceType: string }).resourceType;
  const res = await fetch(`${server.baseUrl}/${type}`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(resource) });
  return ((await res.json()) as { id: string }).id;
}

describe('bulkExport against the embedded server', () => {
  let server: FhirServer;
  let guarded: FhirServer;
  let group = '';
  let dir = '';
  beforeAll(async () => {
    server = await startFhirServer({ bulkExport: { pollsBeforeReady: 2, retryAfterSeconds: 0 } });
    guarded = await startFhirServer({ bulkExport: { pollsBeforeReady: 0, requiresAccessToken: true } });
    const patients: string[] = [];
    for (const value of ['a', 'b', 'c']) patients.push(await post(server, { resourceType: 'Patient', identifier: [{ system: SYSTEM, value }] }));
    for (const [n, patient] of patients.entries()) {
      await post(server, { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, identifier: [{ system: SYSTEM, value: `e${n}` }], subject: { reference: `Patient/${patient}` } });
    }
    await post(server, { resourceType: 'Organization', name: 'Clinic' });
    group = await post(server, { resourceType: 'Group', type: 'person', actual: true, member: [{ entity: { reference: `Patient/${patients[0] ?? ''}` } }] });
    await post(guarded, { resourceType: 'Patient', identifier: [{ system: SYSTEM, value: 'z' }] });
  }, 60_000);
  afterAll(async () => {
    await server.close();
    await guarded.close();
  });
  afterEach(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  it('kicks off, polls through 202s (X-Progress, Retry-After), and streams every file of the manifest', async () => {
    const { resources, events, summary } = await drain({ baseUrl: server.baseUrl, types: ['Patient', 'Encounter', 'Organization'] });
    expect(resources.map((r) => r.resourceType)).toEqual(['Patient', 'Patient', 'Patient', 'Encounter', 'Encounter', 'Encounter', 'Organization']);
    expect(events.slice(0, 4)).toEqual([
      { type: 'kicked-off', resumed: false },
      { type: 'waiting', delayMs: 0, progress: '1 of 3 steps', failed: false },
      { type: 'waiting', delayMs: 0, progress: '2 of 3 steps', failed: false },
      { type: 'ready', files: 3, errorFiles: 0 },
    ]);
    expect(events.filter((e) => e.type === 'file')).toHaveLength(3);
    expect(summary).toMatchObject({ files: 3, resources: 7, invalid: 0, errorFiles: 0 });
    expect(Number.isNaN(Date.parse(summary.transactionTime))).toBe(false);
  });

  it('feeds the host-data readers (readHostFhir takes the stream as it comes)', async () => {
    const read = await readHostFhir(bulkExport({ baseUrl: server.baseUrl, types: ['Patient', 'Encounter', 'Organization'], pollIntervalMs: 1, retry: FAST_RETRY }));
    expect(read.records.length + read.context.length + read.findings.length).toBeGreaterThan(0);
  });

  it.each<[string, BulkExportOptions['level'], Record<string, number>]>([
    ['patient', 'patient', { Patient: 3, Encounter: 3 }],
    ['group', undefined, { Patient: 1, Encounter: 1 }],
  ])('exports at %s level', async (_, level, expected) => {
    const { resources } = await drain({ baseUrl: server.baseUrl, level: level ?? { group }, types: ['Patient', 'Encounter', 'Organization'] });
    const counts: Record<string, number> = {};
    for (const r of resources) counts[r.resourceType] = (counts[r.resourceType] ?? 0) + 1;
    expect(counts).toEqual(expected);
  });

  it('sends the token to download files when the manifest requires it, and fails without one', async () => {
    const { resources } = await drain({ baseUrl: guarded.baseUrl, auth: bearerToken('t'), types: ['Patient'] });
    expect(resources).toHaveLength(1);
    await expect(drain({ baseUrl: guarded.baseUrl, types: ['Patient'] })).rejects.toMatchObject({ code: 'sync.bulk-export-failed', message: expect.stringMatching(/HTTP 401/) });
  });

  it('resumes after a crash: no second kick-off or wait, finished files are not read again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'peerkit-bulk-'));
    const stateFile = join(dir, 'export.json');
    const options: BulkExportOptions = { baseUrl: server.baseUrl, types: ['Patient', 'Encounter'], stateFile, pollIntervalMs: 1, retry: FAST_RETRY };
    const first = bulkExport(options);
    // Read into the second file, then "crash": the generator is dropped, never finished or returned.
    for (let i = 0; i < 4; i++) await first.next();
    const events: BulkExportEvent[] = [];
    const { resources } = await drain({ ...options, onEvent: (e) => events.push(e) });
    expect(events[0]).toEqual({ type: 'kicked-off', resumed: true });
    expect(events.some((e) => e.type === 'waiting')).toBe(false);
    // The Patients file was read to its end before the crash; the Encounters file is read again.
    expect(resources.map((r) => r.resourceType)).toEqual(['Encounter', 'Encounter', 'Encounter']);
    expect(events.filter((e) => e.type === 'file').map((e) => (e.type === 'file' ? e.resourceType : ''))).toEqual(['Encounter']);
  });

  it.each([
    ['before its manifest', false],
    ['after its manifest (its files are gone)', true],
  ])('kicks off again when the job of a resumed export is gone from the server %s', async (_, afterManifest) => {
    dir = mkdtempSync(join(tmpdir(), 'peerkit-bulk-'));
    const stateFile = join(dir, 'export.json');
    const options: BulkExportOptions = { baseUrl: server.baseUrl, types: ['Organization', 'Patient'], stateFile, pollIntervalMs: 1, retry: FAST_RETRY };
    // A run that "crashes" (is stopped) after the kick-off, or after reading the first file.
    const controller = new AbortController();
    const first = bulkExport({ ...options, signal: controller.signal, onEvent: (e) => {
      if (e.type === (afterManifest ? 'file' : 'kicked-off')) controller.abort();
      // A listener's failures are ignored.
      throw new Error('listener');
    } });
    await expect((async () => {
      for (;;) if ((await first.next()).done === true) return;
    })()).rejects.toBeDefined();
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { statusUrl: string; manifest?: unknown };
    expect(saved.manifest !== undefined).toBe(afterManifest);
    await fetch(saved.statusUrl, { method: 'DELETE' });
    const events: BulkExportEvent[] = [];
    const { resources } = await drain({ ...options, onEvent: (e) => events.push(e) });
    expect(events[0]).toEqual({ type: 'kicked-off', resumed: true });
    // Started again: everything comes (again, for what the stopped run had handed over).
    expect(resources.map((r) => r.resourceType)).toEqual(['Organization', 'Patient', 'Patient', 'Patient']);
  });
});

describe('bulkExport through faults (a scripted loopback server)', () => {
  let http: Server;
  let base = '';
  let handler: (req: IncomingMessage, res: ServerResponse, n: number) => void = (_req, res) => res.end();
  let n = 0;
  const seen: { method: string; url: string; authorization: string | undefined }[] = [];
  beforeAll(async () => {
    http = createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
      req.resume();
      req.on('end', () => handler(req, res, ++n));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/fhir`;
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });
  afterEach(() => {
    n = 0;
    seen.length = 0;
  });

  const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ resourceType: 'Patient', id: `p${i}` }));

  it('retries a refused kick-off (503), failed polls (500, 429) and a download cut part-way, handing every line over once', async () => {
    let downloads = 0;
    handler = (req, res, count) => {
      const url = req.url ?? '';
      if (url.startsWith('/fhir/$export')) {
        if (count === 1) return void res.writeHead(503, { 'retry-after': '0' }).end();
        return void res.writeHead(202, { 'content-location': `${base}/status/1` }).end();
      }
      if (url === '/fhir/status/1') {
        if (count === 3) return void res.writeHead(500).end();
        if (count === 4) return void res.writeHead(429, { 'retry-after': '0' }).end();
        if (count === 5) return void res.writeHead(202, { 'x-progress': 'half way', 'retry-after': '0' }).end();
        if (req.method === 'DELETE') return void res.writeHead(202).end();
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ transactionTime: '2026-12-07T00:00:00Z', request: 'x', requiresAccessToken: false, output: [{ type: 'Patient', url: `${base}/files/1` }, { type: 'Patient', url: `${base}/files/2`, count: 1 }], error: [{ type: 'OperationOutcome', url: `${base}/errors/1` }] }));
      }
      if (url === '/fhir/files/1') {
        downloads++;
        res.writeHead(200, { 'content-type': 'application/fhir+ndjson' });
        // The first download stops after 20 lines (the connection dies).
        if (downloads === 1) {
          res.write(`${lines.slice(0, 20).join('\n')}\n`);
          setTimeout(() => res.destroy(), 20);
          return;
        }
        return void res.end(`${lines.join('\n')}\nnot json\n`);
      }
      if (url === '/fhir/files/2') return void res.writeHead(200).end(`${JSON.stringify({ resourceType: 'Encounter', id: 'e1' })}`);
      res.writeHead(404).end();
    };
    const { resources, events, summary } = await drain({ baseUrl: base });
    expect(resources.map((r) => r.id)).toEqual([...lines.map((_, i) => `p${i}`), 'e1']);
    expect(summary).toMatchObject({ files: 2, resources: 51, invalid: 1, errorFiles: 1 });
    expect(events.filter((e) => e.type === 'retried').map((e) => (e.type === 'retried' ? e.step : ''))).toEqual(['kick-off', 'file']);
    expect(events.filter((e) => e.type === 'waiting').map((e) => (e.type === 'waiting' ? [e.failed, e.progress] : []))).toEqual([
      [true, undefined],
      [true, undefined],
      [false, 'half way'],
    ]);
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/fhir/status/1' });
  });

  it.each([
    ['a refused kick-off (400)', (res: ServerResponse) => res.writeHead(400, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"OperationOutcome","issue":[]}'), /kick-off \(HTTP 400\)/],
    ['a synchronous answer (200)', (res: ServerResponse) => res.writeHead(200).end(), /not 202/],
    ['a 202 without Content-Location', (res: ServerResponse) => res.writeHead(202).end(), /Content-Location/],
  ])('fails on %s with sync.bulk-export-failed', async (_, answer, message) => {
    handler = (_req, res) => answer(res);
    await expect(drain({ baseUrl: base })).rejects.toMatchObject({ code: 'sync.bulk-export-failed', message: expect.stringMatching(message) });
  });

  it('never sends the token to a status URL on another origin', async () => {
    handler = (_req, res) => res.writeHead(202, { 'content-location': 'http://127.0.0.2:9/fhir/status/1' }).end();
    await expect(drain({ baseUrl: base, auth: bearerToken('secret') })).rejects.toMatchObject({ code: 'sync.bulk-export-failed', message: expect.stringMatching(/another origin/) });
    expect(seen.every((s) => s.url.startsWith('/fhir/$export'))).toBe(true);
  });

  it('gives up when the export does not complete within maxWaitMs', async () => {
    handler = (req, res) =>
      (req.url ?? '').startsWith('/fhir/$export') ? res.writeHead(202, { 'content-location': `${base}/status/1` }).end() : res.writeHead(202, { 'retry-after': '3600' }).end();
    await expect(drain({ baseUrl: base, maxWaitMs: 60_000 })).rejects.toMatchObject({ code: 'sync.bulk-export-failed', message: expect.stringMatching(/maxWaitMs/) });
  });

  it('builds the kick-off of each level with _type and _since', async () => {
    handler = (_req, res) => res.writeHead(400).end();
    for (const level of ['system', 'patient', { group: 'g 1' }] as const) await drain({ baseUrl: base, level, types: ['Patient', 'Encounter'], since: '2026-01-01T00:00:00Z' }).catch(() => undefined);
    expect(seen.map((s) => s.url)).toEqual([
      '/fhir/$export?_type=Patient%2CEncounter&_since=2026-01-01T00%3A00%3A00Z',
      '/fhir/Patient/$export?_type=Patient%2CEncounter&_since=2026-01-01T00%3A00%3A00Z',
      '/fhir/Group/g%201/$export?_type=Patient%2CEncounter&_since=2026-01-01T00%3A00%3A00Z',
    ]);
  });
});
