import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, peerkitAsync, tempDir } from './helpers';

/** The synthetic host-EHR corpus of @peerkit/fhir: `resources/` is one patient's record (pat-alpha). */
const HOST = join(__dirname, '..', '..', 'fhir', 'test', 'fixtures', 'host', 'resources');
const MRN = 'https://ehr.example.org/fhir/sid/mrn|MRN-0001';

interface HostJson {
  fromServer: string;
  patient: string | null;
  requests: number;
  resources: number;
  written: number;
  parts: number;
  records: { kind: string }[];
  findings: { code: string; severity: string; path: (string | number)[] }[];
  exitCode: number;
}

describe('peerkit fhir --from-server', () => {
  let server: FhirServer;
  let dir: string;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    server = await startFhirServer();
    for (const file of readdirSync(HOST)) {
      const resource = JSON.parse(readFileSync(join(HOST, file), 'utf8')) as { resourceType: string; id: string };
      const res = await fetch(`${server.baseUrl}/${resource.resourceType}/${resource.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify(resource),
      });
      expect(res.status, file).toBeLessThan(300);
    }
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  const read = (patient: string, out: string, ...more: string[]) =>
    peerkitAsync(['fhir', '--from-server', server.baseUrl, '--patient', patient, '--out', out, '--as-of', '2025-04-01', ...more], dir);
  const kinds = (file: string): string[] =>
    readFileSync(join(dir, file), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { kind: string }).kind)
      .sort();

  it("reads one patient's record by id: the clinic records written, the goal listed, what was asked counted", async () => {
    const run = await read('pat-alpha', 'alpha.ndjson', '--json');
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as HostJson;
    expect(run.code).toBe(0);
    expect(out).toMatchObject({ fromServer: server.baseUrl, patient: 'Patient/pat-alpha', parts: 1, exitCode: 0 });
    expect(out.requests).toBeGreaterThan(8);
    expect(out.resources).toBe(readdirSync(HOST).length);
    expect(kinds('alpha.ndjson')).toEqual(['consent', 'consent', 'consent', 'encounter', 'encounter', 'encounter', 'encounter', 'encounter', 'organization', 'peer', 'recovery-plan', 'referral']);
    expect(out.written).toBe(12);
    expect(out.findings.some((f) => f.code === 'host.search-failed')).toBe(false);
    // Findings name the search, page and entry.
    expect(out.findings.find((f) => f.code === 'host.not-peer-support')?.path.slice(0, 3)).toEqual(['Encounter?patient', 0, 'entry']);
  });

  it('reads the same record by identifier (system|value), printing counts by kind and findings by code, never the identifier', async () => {
    const run = await read(MRN, 'by-mrn.ndjson');
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/requests?, 20 resources received: 13 records read, 12 records written → by-mrn\.ndjson/);
    expect(run.stderr).toMatch(/1 part not written[^\n]*\n\s+goal\s+Goal at Goal\?patient/);
    expect(run.stderr).toMatch(/findings by code:/);
    expect(run.stderr).not.toContain('MRN-0001');
    expect(kinds('by-mrn.ndjson')).toEqual(kinds('alpha.ndjson'));
  });

  it('exits 1 for a patient the server does not have: host.patient-not-found, nothing written, and says so', async () => {
    const run = await read('pat-nobody', 'nobody.ndjson');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error\s+host\.patient-not-found\s+1/);
    expect(run.stderr).toMatch(/nothing written: no PeerKit record/);
    expect(readFileSync(join(dir, 'nobody.ndjson'), 'utf8')).toBe('');
  });

  it.each([
    [['--patient', 'not an id!'], /^peerkit: --patient: patient must be a FHIR id/],
    [['--auth', 'bearer'], /--auth bearer needs the token in \$PEERKIT_FHIR_TOKEN/],
  ])('exits 2 for %j', async (args, message) => {
    const run = await peerkitAsync(['fhir', '--from-server', server.baseUrl, '--patient', 'pat-alpha', '--out', 'x.ndjson', ...args], dir, { PEERKIT_FHIR_TOKEN: '' });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(message);
  });

  it('exits 2 with one line when the server does not answer', async () => {
    const run = await peerkitAsync(['fhir', '--from-server', 'http://127.0.0.1:1/fhir', '--patient', 'pat-alpha', '--out', 'x.ndjson', '--max-attempts', '1'], dir);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toMatch(/^peerkit: http:\/\/127\.0\.0\.1:1\/fhir: reading a patient: the server did not answer/);
  });

  it('exits 2 for --from-server without --patient', async () => {
    const run = await peerkitAsync(['fhir', '--from-server', server.baseUrl, '--out', 'x.ndjson'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^peerkit: --from-server needs --patient <id\|system\|value>\nusage: peerkit fhir /);
  });
});
