/**
 * Push with `$import`, over HTTP on loopback: a generated clinic written as NDJSON per resource type
 * (writeImportFiles), served from a loopback file server, imported into the embedded FHIR server
 * (bulkImport); the references resolve on the server, and a second import changes nothing.
 */
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clinicToNdjson, generateClinic, parseClinicExport, type ClinicRecord } from '@peerkit/model';
import type { Bundle, Encounter } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkImport, importId, offersImport, writeImportFiles, type BulkImportEvent } from '../src/bulk-import';
import { toSyncEntries } from '../src/clinic';
import { entryKey } from '../src/outbox';
import { useEmbeddedServer } from './helpers';

const server = useEmbeddedServer();
let dir: string;
let files: Server;
let filesUrl = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'peerkit-import-'));
  files = createServer((req, res) => {
    const name = (req.url ?? '').slice(1);
    if (!/^[A-Za-z]+\.ndjson$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/fhir+ndjson' });
    createReadStream(join(dir, name)).on('error', () => res.end()).pipe(res);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => files.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const total = async (url: string): Promise<number> => ((await (await fetch(url)).json()) as Bundle).total ?? -1;

describe('writeImportFiles and bulkImport', () => {
  it('import a generated clinic over HTTP: one file per type, literal references that resolve, the same ids on a second import', async () => {
    const records = parseClinicExport(clinicToNdjson(generateClinic({ seed: 31, peers: 5, weeks: 2 }))).flatMap((e) => (e.result.ok ? [e.result.value as ClinicRecord] : []));
    const entries = toSyncEntries(records);
    if (!entries.ok) throw new Error('mapping failed');
    const written = await writeImportFiles(entries.value, { dir });
    expect(written.resources).toBe(entries.value.length);
    const byType = new Map<string, number>();
    for (const e of entries.value) byType.set(e.resource?.resourceType ?? '', (byType.get(e.resource?.resourceType ?? '') ?? 0) + 1);
    expect(new Map(written.files.map((f) => [f.type, f.count]))).toEqual(byType);
    // Each line: its import id, no urn:uuid left.
    const encounters = readFileSync(join(dir, 'Encounter.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Encounter);
    expect(JSON.stringify(encounters)).not.toContain('urn:uuid:');
    const firstEncounter = entries.value.find((e) => e.resource?.resourceType === 'Encounter');
    expect(encounters[0]?.id).toBe(importId(entryKey(firstEncounter ?? {}) ?? ''));

    const inputs = written.files.map((f) => ({ type: f.type, url: `${filesUrl}/${f.file}` }));
    const events: BulkImportEvent['type'][] = [];
    const poll = { pollIntervalMs: 10, maxPollIntervalMs: 50, maxWaitMs: 60_000 };
    const first = await bulkImport({ baseUrl: server.baseUrl, inputs, poll, onEvent: (e) => events.push(e.type) });
    expect(first).toMatchObject({ imported: entries.value.length, refused: 0 });
    expect(events[0]).toBe('kicked-off');
    expect(events).toContain('waiting');
    expect(events.at(-1)).toBe('done');
    // The references are literal and resolve on the server.
    for (const reference of [encounters[0]?.subject?.reference, encounters[0]?.serviceProvider?.reference, encounters[0]?.participant?.[0]?.individual?.reference]) {
      if (reference === undefined || reference.includes('?')) continue;
      expect((await fetch(`${server.baseUrl}/${reference}`)).status).toBe(200);
    }
    const counts = await Promise.all(written.files.map((f) => total(`${server.baseUrl}/${f.type}?_summary=count`)));
    expect(counts).toEqual(written.files.map((f) => f.count));
    // Importing again overwrites the same ids: nothing new on the server.
    const second = await bulkImport({ baseUrl: server.baseUrl, inputs, poll });
    expect(second.imported).toBe(entries.value.length);
    expect(await Promise.all(written.files.map((f) => total(`${server.baseUrl}/${f.type}?_summary=count`)))).toEqual(counts);
  }, 120_000);

  it('does not kick off where the CapabilityStatement does not offer $import (a coded error), unless told to', async () => {
    const plain = createServer((req, res) => {
      if (req.url?.endsWith('/metadata')) res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify({ resourceType: 'CapabilityStatement', rest: [{ mode: 'server' }] }));
      else res.writeHead(404, { 'content-type': 'application/fhir+json' }).end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [] }));
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/fhir`;
    try {
      const inputs = [{ type: 'Patient', url: `${filesUrl}/Patient.ndjson` }];
      await expect(bulkImport({ baseUrl: base, inputs })).rejects.toMatchObject({ code: 'sync.bulk-import-failed', message: 'the server does not offer $import in its CapabilityStatement' });
      await expect(bulkImport({ baseUrl: base, inputs, requireOffered: false })).rejects.toMatchObject({ code: 'sync.bulk-import-failed', message: 'the server refused the $import kick-off (HTTP 404)' });
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
    expect(offersImport({ resourceType: 'CapabilityStatement', status: 'active', date: '2026-01-01', kind: 'instance', fhirVersion: '4.0.1', format: ['json'], rest: [{ mode: 'server', operation: [{ name: 'import', definition: 'x' }] }] })).toBe(true);
  });
});
