/**
 * Import mode's Provenance and resume, over HTTP on loopback against the embedded FHIR server: the
 * run's Provenance names what the server reports it stored (refused lines left out); a run killed
 * after the kick-off (or before it) is continued by the next run of the same export — its status URL
 * polled again, or the same files imported again when the server lost the job — each resource on the
 * server once and named once by the run's Provenance; a changed export is refused.
 */
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { clinicToNdjson, generateClinic } from '@peerkit/model';
import type { Bundle, Provenance } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../test/fault-proxy';
import { SYNC_ERROR_CODES } from '../errors';
import { SYNC_RUN_TAG_SYSTEM } from '../provenance';
import { runSync, type RunSyncOptions, type RunSyncSummary } from '../run-sync';
import { createFhirTransport, type FhirTransport } from '../transport';
import { fileSha256, IMPORT_STATE_FILE, type ImportState } from './import-state';

const poll = { pollIntervalMs: 10, maxPollIntervalMs: 50, maxWaitMs: 60_000 };
let dir: string;
const closers: (() => Promise<void>)[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'peerkit-import-resume-'));
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  rmSync(dir, { recursive: true, force: true });
});

async function server(): Promise<FhirServer> {
  const started = await startFhirServer();
  closers.push(() => started.close());
  return started;
}

function exportFile(seed: number): string {
  const path = join(dir, 'clinic.ndjson');
  writeFileSync(path, clinicToNdjson(generateClinic({ seed, peers: 4, weeks: 2 })));
  return path;
}

const stateDir = (): string => join(dir, 'state');
const importDir = (): string => join(stateDir(), 'import');
const savedState = (): ImportState => JSON.parse(readFileSync(join(stateDir(), IMPORT_STATE_FILE), 'utf8')) as ImportState;

/** `Type/id` of every line of the import files, in file order. */
function importedResources(): string[] {
  return readdirSync(importDir())
    .filter((f) => f.endsWith('.ndjson'))
    .flatMap((f) =>
      readFileSync(join(importDir(), f), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => {
          const { resourceType, id } = JSON.parse(line) as { resourceType: string; id: string };
          return `${resourceType}/${id}`;
        }),
    );
}

/** The run Provenance on the server (tagged by a sync run). */
async function runProvenance(base: string): Promise<Provenance[]> {
  const bundle = (await (await fetch(`${base}/Provenance?_count=1000`)).json()) as Bundle<Provenance>;
  return (bundle.entry ?? []).flatMap((e) => (e.resource?.meta?.tag?.some((t) => t.system === SYNC_RUN_TAG_SYSTEM) === true ? [e.resource] : []));
}

/** Each imported resource is on the server under its id, and the types hold nothing else (run Provenance aside). */
async function expectEachOnce(base: string, resources: readonly string[], runProvenanceCount: number): Promise<void> {
  const byType = new Map<string, number>();
  for (const r of resources) byType.set(r.split('/')[0] ?? '', (byType.get(r.split('/')[0] ?? '') ?? 0) + 1);
  for (const [type, n] of byType) {
    const total = ((await (await fetch(`${base}/${type}?_summary=count`)).json()) as Bundle).total;
    expect(total, type).toBe(n + (type === 'Provenance' ? runProvenanceCount : 0));
  }
  for (const r of resources) expect((await fetch(`${base}/${r}`)).status, r).toBe(200);
}

/**
 * The run's Provenance names exactly `resources`, each once (Provenance among them aside, as in a
 * REST run: a run's Provenance does not name Provenance), authored by the export's Organization.
 */
async function expectProvenanceOf(base: string, resources: readonly string[]): Promise<Provenance[]> {
  const provenance = await runProvenance(base);
  expect(provenance.length).toBeGreaterThan(0);
  const named = provenance.flatMap((p) => p.target.map((t) => t.reference ?? ''));
  const targets = resources.filter((r) => !r.startsWith('Provenance/'));
  expect(targets.length).toBeLessThan(resources.length);
  expect([...named].sort()).toEqual([...targets].sort());
  for (const p of provenance) {
    expect(p.agent.map((a) => a.type?.coding?.[0]?.code)).toEqual(['author', 'transmitter']);
    expect(p.agent[0]?.who.reference).toMatch(/^Organization\//);
  }
  return provenance;
}

function summaryOf(result: Awaited<ReturnType<typeof runSync>>): RunSyncSummary {
  if (!result.ok) throw new Error(`expected a run, got ${result.issues.map((i) => `${i.code} ${i.path.join('.')}`).join(', ')}`);
  return result.value;
}

/** Serves `folder`'s files on loopback (a published folder that outlives the run), `edit` applied to each. */
async function publish(folder: () => string, edit: (name: string, text: string) => string = (_, text) => text): Promise<string> {
  const http: Server = createServer((req, res) => {
    const name = (req.url ?? '').slice(1);
    if (!/^[A-Za-z]+\.ndjson$/.test(name)) return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    createReadStream(join(folder(), name))
      .on('data', (c) => chunks.push(c as Buffer))
      .on('end', () => res.writeHead(200, { 'content-type': 'application/fhir+ndjson' }).end(edit(name, Buffer.concat(chunks).toString('utf8'))))
      .on('error', () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** The resumed run continued as `how`, stored every resource once, and its Provenance names each once. */
async function expectResumed(base: string, result: Awaited<ReturnType<typeof runSync>>, how: 'polled' | 'kicked-off-again'): Promise<void> {
  const resumed = summaryOf(result);
  expect(resumed.import?.resumed).toBe(how);
  const resources = importedResources();
  expect(resumed).toMatchObject({ confirmed: resources.length, complete: true, finished: true });
  const provenance = await expectProvenanceOf(base, resources);
  expect(resumed.provenance.length).toBe(provenance.length);
  await expectEachOnce(base, resources, provenance.length);
}

/** A run stopped by its signal once the server has the kick-off (at the first status poll). */
async function killedAfterKickOff(options: RunSyncOptions): Promise<void> {
  const controller = new AbortController();
  const stopped = await runSync({ ...options, signal: controller.signal, onEvent: (e) => (e.type === 'paused' ? controller.abort() : undefined) });
  expect(stopped.ok ? [] : stopped.issues.map((i) => [i.code, i.path])).toEqual([[SYNC_ERROR_CODES.bulkImportFailed, ['signal']]]);
  expect(savedState()).toMatchObject({ done: false, statusUrl: expect.stringContaining('$import-status') });
}

/** An import run that died between writing its files and the kick-off (a proxy drops the kick-off): its options, without a transport. */
async function diedBeforeKickOff(baseUrl: string, seed: number): Promise<Omit<RunSyncOptions, 'transport'>> {
  const proxy: FaultProxy = await startFaultProxy(baseUrl, ({ method, path }) => (method === 'POST' && path.includes('$import') ? { kind: 'drop-before' } : undefined));
  closers.push(() => proxy.close());
  const options = { file: exportFile(seed), stateDir: stateDir(), writeMode: 'import' as const, import: { poll }, retry: { maxAttempts: 1, timeoutMs: 2000 } };
  const failed = await runSync({ ...options, transport: createFhirTransport({ baseUrl: proxy.baseUrl }) });
  expect(failed.ok ? [] : failed.issues.map((i) => [i.code, i.path])).toEqual([[SYNC_ERROR_CODES.bulkImportFailed, ['import']]]);
  return options;
}

describe('import mode: Provenance for what the server stored', () => {
  it('names every imported resource once, as the import stored it, authored by the export’s Organization; none with provenance: false', async () => {
    const { baseUrl } = await server();
    const options = { file: exportFile(4201), transport: createFhirTransport({ baseUrl }), stateDir: stateDir(), writeMode: 'import' as const, import: { poll } };
    const run = summaryOf(await runSync(options));
    expect(run).toMatchObject({ complete: true, finished: true, deadLettered: 0 });
    const resources = importedResources();
    expect(run.import?.provenance).toEqual({ targets: resources.filter((r) => !r.startsWith('Provenance/')).length, unattributed: 0, failed: 0 });
    const provenance = await expectProvenanceOf(baseUrl, resources);
    expect(run.provenance.sort()).toEqual(provenance.map((p) => `Provenance/${p.id ?? ''}`).sort());
    expect(savedState().done).toBe(true);
    // Only the files the server fetches stay in the folder (the scratch files are gone).
    expect(readdirSync(importDir()).every((f) => f.endsWith('.ndjson') && !f.startsWith('.'))).toBe(true);

    const other = await server();
    const none = summaryOf(await runSync({ ...options, transport: createFhirTransport({ baseUrl: other.baseUrl }), stateDir: join(dir, 'state-2'), provenance: false }));
    expect(none).toMatchObject({ provenance: [], finished: true });
    expect(none.import?.provenance).toBeUndefined();
    expect(await runProvenance(other.baseUrl)).toEqual([]);
  }, 120_000);

  it('leaves out the lines the server refused (named by its error file), and names the rest', async () => {
    const { baseUrl } = await server();
    // The published Encounter file has its second line damaged: the server refuses that line only.
    const filesBaseUrl = await publish(importDir, (name, text) => (name === 'Encounter.ndjson' ? text.replace(/^(.*\n)(.*)\n/, '$1{"resourceType":"Encounter"\n') : text));
    const run = summaryOf(await runSync({ file: exportFile(4202), transport: createFhirTransport({ baseUrl }), stateDir: stateDir(), writeMode: 'import', import: { poll, filesBaseUrl } }));
    const encounters = run.import?.byType.Encounter;
    expect(encounters).toMatchObject({ refused: 1, imported: (encounters?.written ?? 0) - 1 });
    const resources = importedResources();
    const refused = resources.filter((r) => r.startsWith('Encounter/'))[1] ?? '';
    const landed = resources.filter((r) => r !== refused);
    expect(run.import?.provenance).toEqual({ targets: landed.filter((r) => !r.startsWith('Provenance/')).length, unattributed: 0, failed: 0 });
    await expectProvenanceOf(baseUrl, landed);
    expect((await fetch(`${baseUrl}/${refused}`)).status).toBe(404);
  }, 120_000);
});

describe('import mode: a run killed part-way, continued by the next run of the same export', () => {
  it('killed after the kick-off: the next run polls the same status URL, each resource lands once, Provenance present', async () => {
    const { baseUrl } = await server();
    // Files published where the server can still fetch them after the run dies.
    const filesBaseUrl = await publish(importDir);
    const options = { file: exportFile(4203), transport: createFhirTransport({ baseUrl }), stateDir: stateDir(), writeMode: 'import' as const, import: { poll, filesBaseUrl } };
    await killedAfterKickOff(options);
    const { statusUrl } = savedState();
    await expectResumed(baseUrl, await runSync(options), 'polled');
    expect(savedState()).toMatchObject({ statusUrl, done: true });
  }, 120_000);

  it('killed after the kick-off and the server lost the job: the same files are imported again (idempotent), each resource once', async () => {
    const { baseUrl } = await server();
    const options = { file: exportFile(4204), transport: createFhirTransport({ baseUrl }), stateDir: stateDir(), writeMode: 'import' as const, import: { poll } };
    await killedAfterKickOff(options);
    const { statusUrl } = savedState();
    expect((await fetch(statusUrl ?? '', { method: 'DELETE' })).status).toBeLessThan(300);
    await expectResumed(baseUrl, await runSync(options), 'kicked-off-again');
    expect(savedState().statusUrl).not.toBe(statusUrl);
  }, 120_000);

  it('died between writing the files and the kick-off: the next run kicks off the same files', async () => {
    const { baseUrl } = await server();
    const options = await diedBeforeKickOff(baseUrl, 4205);
    const before = savedState();
    expect(before).toMatchObject({ done: false });
    expect(before.statusUrl).toBeUndefined();
    await expectResumed(baseUrl, await runSync({ ...options, transport: createFhirTransport({ baseUrl }) }), 'kicked-off-again');
    expect(savedState()).toMatchObject({ runId: before.runId, done: true });
  }, 120_000);

  it('Provenance the server did not take: the run is unfinished, and the next run writes it (the import polled again, not repeated)', async () => {
    const { baseUrl } = await server();
    // The server takes the import, but answers the Provenance Bundles 503 (a transport that says so).
    const real = createFhirTransport({ baseUrl });
    const refusing: FhirTransport = { ...real, baseUrl: real.baseUrl, get: real.get.bind(real), request: real.request.bind(real), transaction: () => Promise.resolve({ kind: 'response', status: 503, headers: new Headers(), body: undefined }) };
    const options = { file: exportFile(4208), stateDir: stateDir(), writeMode: 'import' as const, import: { poll }, retry: { maxAttempts: 1, timeoutMs: 5000 } };
    const first = summaryOf(await runSync({ ...options, transport: refusing }));
    expect(first).toMatchObject({ finished: false, complete: false, provenance: [] });
    expect(first.import?.provenance?.failed).toBeGreaterThan(0);
    expect(savedState().done).toBe(false);
    expect(await runProvenance(baseUrl)).toEqual([]);
    await expectResumed(baseUrl, await runSync({ ...options, transport: createFhirTransport({ baseUrl }) }), 'polled');
    expect(savedState().done).toBe(true);
  }, 120_000);

  it('refuses to continue with an export that changed since (coded, on stateDir), and leaves the unfinished import’s files as they were', async () => {
    const { baseUrl } = await server();
    const options = { file: exportFile(4206), transport: createFhirTransport({ baseUrl }), stateDir: stateDir(), writeMode: 'import' as const, import: { poll } };
    await killedAfterKickOff(options);
    const state = savedState();
    exportFile(4207);
    const refused = await runSync(options);
    expect(refused.ok ? [] : refused.issues.map((i) => [i.code, i.path])).toEqual([[SYNC_ERROR_CODES.unfinishedRun, ['stateDir']]]);
    expect(refused.ok ? '' : (refused.issues[0]?.message ?? '')).toMatch(/another export/);
    expect(savedState()).toEqual(state);
    for (const f of state.files) expect(await fileSha256(join(importDir(), f.file))).toBe(f.sha256);
    expect(readdirSync(importDir()).filter((f) => f.startsWith('.'))).toEqual([]);
  }, 120_000);
});

describe('a REST run over an unfinished import in the same state directory', () => {
  /** Each type's count on the server. */
  async function totals(base: string, types: readonly string[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const type of types) counts[type] = ((await (await fetch(`${base}/${type}?_summary=count`)).json()) as Bundle).total ?? -1;
    return counts;
  }

  it('is refused in every REST mode, resumed or not (sync.unfinished-import on stateDir, naming the state file’s fields, not values); once the import is finished, the REST run goes and adds no copies', async () => {
    const { baseUrl } = await server();
    const filesBaseUrl = await publish(importDir);
    const options = { file: exportFile(4209), transport: createFhirTransport({ baseUrl }), stateDir: stateDir(), writeMode: 'import' as const, import: { poll, filesBaseUrl } };
    await killedAfterKickOff(options);
    const state = savedState();
    const before = readdirSync(stateDir()).sort();
    for (const writeMode of ['transaction', 'batch', 'single', 'auto'] as const) {
      for (const resume of [false, true]) {
        const refused = await runSync({ ...options, writeMode, resume });
        expect(refused.ok ? [] : refused.issues.map((i) => [i.code, i.path]), `${writeMode} resume ${resume}`).toEqual([[SYNC_ERROR_CODES.unfinishedImport, ['stateDir']]]);
        const message = refused.ok ? '' : (refused.issues[0]?.message ?? '');
        expect(message).toMatch(new RegExp(`${IMPORT_STATE_FILE.replace('.', '\\.')}: done is false, kicked off \\(statusUrl set\\)`));
        expect(message).not.toContain(state.statusUrl ?? '');
        expect(message).not.toContain(state.runId);
      }
    }
    // Nothing of a REST run was started: no outbox, the import's state as it was.
    expect(readdirSync(stateDir()).sort()).toEqual(before);
    expect(savedState()).toEqual(state);

    await expectResumed(baseUrl, await runSync(options), 'polled');
    const types = [...new Set(importedResources().map((r) => r.split('/')[0] ?? ''))].filter((t) => t !== 'Provenance');
    const imported = await totals(baseUrl, types);
    const rest = summaryOf(await runSync({ ...options, writeMode: 'transaction' }));
    expect(rest).toMatchObject({ complete: true, finished: true, deadLettered: 0 });
    expect(await totals(baseUrl, types)).toEqual(imported);
  }, 120_000);

  it('is refused before the kick-off too, and over a damaged state file (sync.state-unusable), in a hub run as well', async () => {
    const { baseUrl } = await server();
    const options = await diedBeforeKickOff(baseUrl, 4210);
    const transport = createFhirTransport({ baseUrl });
    const refused = await runSync({ ...options, transport, writeMode: 'batch' });
    expect(refused.ok ? [] : refused.issues.map((i) => [i.code, i.path, i.message])).toEqual([
      [SYNC_ERROR_CODES.unfinishedImport, ['stateDir'], expect.stringContaining('not kicked off (no statusUrl)')],
    ]);
    writeFileSync(join(stateDir(), IMPORT_STATE_FILE), '{"version":1,');
    // A hub run is refused before its PostgreSQL outbox is opened (this URL has no server behind it).
    for (const hub of [undefined, { outbox: 'postgres://peerkit@127.0.0.1:9/none' }]) {
      const damaged = await runSync({ ...options, transport, writeMode: 'transaction', ...(hub === undefined ? {} : { hub }) });
      expect(damaged.ok ? [] : damaged.issues.map((i) => [i.code, i.path, i.message])).toEqual([[SYNC_ERROR_CODES.stateUnusable, ['stateDir'], expect.stringContaining(IMPORT_STATE_FILE)]]);
    }
    expect(((await (await fetch(`${baseUrl}/Encounter?_summary=count`)).json()) as Bundle).total).toBe(0);
  }, 120_000);
});
