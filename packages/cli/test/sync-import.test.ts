/**
 * `peerkit sync --write-mode import` over HTTP on loopback against the embedded FHIR server: the
 * export written as NDJSON per type (--import-files), fetched by the server through `$import`;
 * run twice, each resource is on the server once; a server without `$import` is refused.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { clinicToNdjson, generateClinic, parseClinicExport, type ClinicRecord } from '@peerkit/model';
import { createFhirTransport, entryKey, runSync, toSyncEntries } from '@peerkit/sync';
import type { Bundle, BundleEntry } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneLineError, peerkitAsync, tempDir, type Run } from './helpers';

let dir: string;
let cleanup: () => void;
let fhir: FhirServer | undefined;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(async () => {
  await fhir?.close();
  fhir = undefined;
  cleanup();
});

/** Writes a generated clinic to dir/clinic.ndjson; returns the entries a sync of it sends. */
function clinic(seed: number): BundleEntry[] {
  const text = clinicToNdjson(generateClinic({ seed, peers: 6, weeks: 2 }));
  writeFileSync(join(dir, 'clinic.ndjson'), text);
  const entries = toSyncEntries(parseClinicExport(text).flatMap((e) => (e.result.ok ? [e.result.value as ClinicRecord] : [])));
  if (!entries.ok) throw new Error('mapping failed');
  return entries.value;
}

const cli = (args: readonly string[]): Promise<Run> => peerkitAsync(args, dir);

describe('peerkit sync --write-mode import', () => {
  it('imports the export with $import, per-type counts in the summary, and a second run leaves one copy of each resource', async () => {
    fhir = await startFhirServer();
    const entries = clinic(51);
    const first = await cli(['sync', 'clinic.ndjson', '--server', fhir.baseUrl, '--write-mode', 'import', '--import-files', 'out']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('written as import (configured)');
    expect(first.stdout).toMatch(/imported per type: .*Encounter \d+\/\d+/);
    expect(first.stderr).toMatch(/confirmed/);
    expect(existsSync(join(dir, 'out', 'Encounter.ndjson'))).toBe(true);

    const second = await cli(['sync', 'clinic.ndjson', '--server', fhir.baseUrl, '--write-mode', 'import', '--import-files', 'out', '--json']);
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout) as { confirmed: number; resources: number; plan: { mode: string }; import: { byType: Record<string, { written: number; imported: number; refused: number }> } };
    expect(summary).toMatchObject({ confirmed: entries.length, resources: entries.length, plan: { mode: 'import' } });
    expect(Object.values(summary.import.byType).reduce((n, t) => n + t.imported, 0)).toBe(entries.length);
    const wrong: Record<string, number> = {};
    for (const entry of entries) {
      const key = entryKey(entry) ?? '';
      const total = ((await (await fetch(`${fhir.baseUrl}/${key}`)).json()) as Bundle).total ?? -1;
      if (total !== 1) wrong[key] = total;
    }
    expect(wrong).toEqual({});
  }, 120_000);

  it('refuses a server whose CapabilityStatement does not offer $import (exit 2, one line)', async () => {
    clinic(52);
    const plain = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify({ resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1', format: ['json'], rest: [{ mode: 'server' }] }));
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const run = await cli(['sync', 'clinic.ndjson', '--server', `http://127.0.0.1:${(plain.address() as AddressInfo).port}/fhir`, '--write-mode', 'import']);
      expect(run.code).toBe(2);
      expect(oneLineError(run)).toBe('peerkit: --write-mode import: the server does not offer $import in its CapabilityStatement');
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('refuses a REST sync over an unfinished import in --state (exit 2, one line naming the state file, no value), and runs once the import is finished', async () => {
    fhir = await startFhirServer();
    const entries = clinic(54);
    // An import stopped once its files are written, before the kick-off: import-state.json says it is not done.
    const controller = new AbortController();
    const stopped = await runSync({
      file: join(dir, 'clinic.ndjson'),
      transport: createFhirTransport({ baseUrl: fhir.baseUrl }),
      stateDir: join(dir, '.peerkit-sync'),
      writeMode: 'import',
      import: { poll: { pollIntervalMs: 10, maxPollIntervalMs: 50, maxWaitMs: 60_000 } },
      signal: controller.signal,
      onEvent: (e) => (e.type === 'queued' ? controller.abort() : undefined),
    });
    expect(stopped.ok ? [] : stopped.issues.map((i) => i.code)).toEqual(['sync.bulk-import-failed']);
    const state = (): string[] => readdirSync(join(dir, '.peerkit-sync')).sort();
    const before = state();
    for (const extra of [[], ['--resume'], ['--write-mode', 'single']]) {
      const refused = await cli(['sync', 'clinic.ndjson', '--server', fhir.baseUrl, ...extra]);
      expect(refused.code, extra.join(' ')).toBe(2);
      expect(oneLineError(refused)).toBe(
        'peerkit: .peerkit-sync: holds an unfinished --write-mode import run (import-state.json: done is false); finish it with --write-mode import and the same export before a REST run',
      );
    }
    // Nothing of a REST run was started in --state.
    expect(state()).toEqual(before);
    const finished = await cli(['sync', 'clinic.ndjson', '--server', fhir.baseUrl, '--write-mode', 'import']);
    expect(finished.code).toBe(0);
    const rest = await cli(['sync', 'clinic.ndjson', '--server', fhir.baseUrl, '--json']);
    expect(rest.code).toBe(0);
    expect(JSON.parse(rest.stdout)).toMatchObject({ resources: entries.length, confirmed: entries.length, pending: 0, deadLettered: 0 });
  }, 120_000);

  it('refuses --import-files without --write-mode import', async () => {
    clinic(53);
    const run = await cli(['sync', 'clinic.ndjson', '--server', 'http://127.0.0.1:9/fhir', '--import-files', 'out']);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toBe('peerkit: --import-files and --import-base-url go with --write-mode import');
  });
});
