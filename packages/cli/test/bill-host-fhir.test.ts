import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureClaimsConfig, parseIndependently, type ParsedSegment } from '../../billing/src/__fixtures__/claims';
import { hostFhirBundle } from '../../billing/src/__fixtures__/host-fhir';
import { FIXTURE, oneLineError, peerkit, tempDir } from './helpers';

interface Out {
  billableLines: number;
  heldLines: number;
  hostFhir?: { files: string[]; used: { peersWithCoverage: number; diagnoses: number; serviceOrders: number; priorAuthorizations: number; otherPatients: number }; issues: { code: string }[] };
  x12?: { files: { file: string; lineIds: string[]; claimControlNumbers: string[] }[]; omitted: { reason: string }[] };
  exitCode: number;
}

/** The host's FHIR for the fixture clinic's peer: Patient/ehr-1001 (MRN-1001), covered by the payer EXMCD. */
const HOST = hostFhirBundle({
  patientId: 'ehr-1001',
  mrn: { system: 'https://example.org/harbor/mrn', value: 'MRN-1001' },
  payerId: 'EXMCD',
  memberId: 'M-000123',
  coverageStart: '2025-01-01',
  preAuth: { ref: 'PA-2026-0007', start: '2026-01-01', end: '2026-03-31', units: 40 },
});

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  // The export's peer without coverage: it comes from the host's Coverage.
  const lines = readFileSync(FIXTURE, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const record = JSON.parse(line) as { kind: string; coverage?: unknown[] };
      if (record.kind === 'peer') record.coverage = [];
      return JSON.stringify(record);
    });
  writeFileSync(join(dir, 'clinic.ndjson'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'host.json'), JSON.stringify(HOST));
  // The same resources as a Bulk export: one NDJSON file per type.
  mkdirSync(join(dir, 'bulk'));
  const byType = new Map<string, string[]>();
  for (const { resource } of HOST.entry as { resource: { resourceType: string } }[]) byType.set(resource.resourceType, [...(byType.get(resource.resourceType) ?? []), JSON.stringify(resource)]);
  for (const [type, rows] of byType) writeFileSync(join(dir, 'bulk', `${type}.ndjson`), `${rows.join('\n')}\n`);
  // The host's Coverage names the payer EXMCD: the claims config files it under medicaid-generic.
  writeFileSync(join(dir, 'claims-config.json'), JSON.stringify(fixtureClaimsConfig({ 'medicaid-generic': { name: 'Example Medicaid Plan', id: 'EXMCD' } })));
});
afterAll(() => cleanup());

const named = (segments: readonly ParsedSegment[], name: string, first?: string): ParsedSegment[] =>
  segments.filter((s) => s.name === name && (first === undefined || s['1'] === first));

describe('peerkit bill --host-fhir', () => {
  const bill = (...more: string[]) => peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic', '--claims-config', 'claims-config.json', ...more], dir);

  it.each([['a Bundle', 'host.json'], ['a Bulk export directory', 'bulk']])(
    "bills from the clinic export and the host's FHIR (%s) with no evidence file: claim lines, an 837P that parses back, the report",
    async (_what, input) => {
      const run = bill('--host-fhir', input, '--837p', `claims-${input}`, '--json');
      const out = JSON.parse(run.stdout) as Out;
      expect(run.code).toBe(0);
      expect(out.billableLines).toBe(2);
      expect(out.heldLines).toBe(0);
      expect(out.hostFhir?.used).toMatchObject({ peersWithCoverage: 1, diagnoses: 2, serviceOrders: 1, priorAuthorizations: 1, otherPatients: 1 });
      expect(out.x12?.omitted).toEqual([]);
      const [file] = out.x12?.files ?? [];
      const segments = await parseIndependently(readFileSync(join(dir, file?.file ?? ''), 'utf8'));
      expect(named(segments, 'SV1')).toHaveLength(out.billableLines);
      expect(named(segments, 'REF', '6R').map((s) => s['2']).sort()).toHaveLength(file?.lineIds.length ?? -1);
      expect(named(segments, 'CLM').map((s) => s['1'])).toEqual(file?.claimControlNumbers);
      expect(named(segments, 'NM1', 'IL')[0]?.['9']).toBe('M-000123');
      expect(named(segments, 'NM1', 'PR')[0]?.['9']).toBe('EXMCD');
      expect(named(segments, 'HI')[0]).toMatchObject({ '1': 'ABK', '1-1': 'F1120', '2-1': 'F331' });
      expect(named(segments, 'REF', 'G1')[0]?.['2']).toBe('PA-2026-0007');
    },
  );

  it('says in text what it took from the host, and the facts it left out by code', () => {
    const run = bill('--host-fhir', 'host.json', '--837p', 'claims-text');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('host FHIR: host.json: coverage for 1 member (1 Coverage), 2 diagnoses, 1 service order, 1 prior authorization');
    expect(run.stdout).toMatch(/information\s+billing\.host-other-patient\s+1\s+Facts about patients who are no peer of the export were not used \(1\)/);
    expect(run.stdout).not.toContain('MRN-1001');
  });

  it('without the host FHIR and without evidence the same export has no coverage to bill', () => {
    const out = JSON.parse(bill('--837p', 'claims-none', '--json').stdout) as Out & { notBilled: { reason: string }[] };
    expect(out.billableLines).toBe(0);
    expect(out.notBilled.map((n) => n.reason)).toEqual(['no-coverage']);
  });

  it('exits 2 for --profile without --host-fhir', () => {
    const run = peerkit(['bill', 'clinic.ndjson', '--payer', 'medicaid-generic', '--profile', 'p.json'], dir);
    expect(run.code).toBe(2);
    expect(oneLineError(run.stderr.includes('\n') ? { ...run, stderr: `${run.stderr.split('\n')[0] ?? ''}\n` } : run)).toMatch(/--profile goes with --host-fhir/);
  });
});
