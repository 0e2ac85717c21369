import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { clinicToNdjson, generateClinic } from '@peerkit/model';
import { readDisclosureRecord, type AccountingReport, type BreachScopeReport, type DisclosureRecord } from '@peerkit/safeguards';
import type { AuditEvent, Bundle, List } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, peerkit, peerkitAsync, tempDir } from './helpers';

const NPI = 'http://hl7.org/fhir/sid/us-npi';
const RECIPIENT = `${NPI}|1234567893`;
/** Tomorrow and yesterday in UTC: the ledger records instants, the run's day lies between. */
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

let dir: string;
let cleanup: () => void;
let server: FhirServer;
/** The ledger a gated `peerkit sync` wrote, read back. */
let records: DisclosureRecord[];
let lines: string[];

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  server = await startFhirServer({ port: 0 });
  writeFileSync(join(dir, 'clinic.ndjson'), clinicToNdjson(generateClinic({ seed: 3, peers: 12, weeks: 3 })));
  writeFileSync(join(dir, 'recipient.json'), JSON.stringify({ actor: [{ system: NPI, value: '1234567893' }], purposeOfUse: ['TREAT'] }));
  const run = await peerkitAsync(['sync', 'clinic.ndjson', '--server', server.baseUrl, '--disclosure', 'consent:recipient.json', '--json', '--no-provenance'], dir);
  if (run.code !== 0) throw new Error(`sync failed: ${run.stderr}`);
  const file = join(dir, '.peerkit-sync', 'disclosures.ndjson');
  lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
  records = lines.flatMap((line) => readDisclosureRecord(JSON.parse(line) as AuditEvent) ?? []);
}, 120_000);
afterAll(async () => {
  await server.close();
  cleanup();
});

const permitted = (): DisclosureRecord => {
  const record = records.find((r) => r.decision === 'PERMIT');
  if (record === undefined) throw new Error('no disclosure in the ledger');
  return record;
};
const patientOf = (record: DisclosureRecord): string => record.patient[0] ?? '';

describe('peerkit disclosures', () => {
  it('reads the ledger a gated peerkit sync wrote in its state directory: one entry per patient', () => {
    expect(records.length).toBe(lines.length);
    expect(new Set(records.map(patientOf)).size).toBe(records.length);
    expect(permitted().total).toBeGreaterThan(0);
  });

  it("prints the patient's accounting as text: date, recipient, purpose, what went, under which consent", () => {
    const record = permitted();
    const run = peerkit(['disclosures', '--patient', patientOf(record), '--as-of', day(1)], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [title, all, only] = run.stdout.split('\n');
    expect(title).toBe(`Accounting of disclosures for ${patientOf(record)}, requested ${day(1)}`);
    expect(all).toMatch(/^All disclosures \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}: 1$/);
    expect(only).toContain(`to ${RECIPIENT}  purpose TREAT`);
    expect(only).toContain(`under ${record.consents.join(', ')}`);
    expect(run.stdout).toMatch(/\(42 CFR §2\.25\(b\)\), .*: 1\n/);
  });

  it('--json prints the report, --fhir the FHIR Bundle (a List per section and the AuditEvent)', () => {
    const record = permitted();
    const json = peerkit(['disclosures', '--patient', patientOf(record), '--as-of', day(1), '--json'], dir);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as AccountingReport;
    expect(report.patient).toBe(patientOf(record));
    expect(report.disclosures).toHaveLength(1);
    expect(report.disclosures[0]).toMatchObject({ purposes: ['TREAT'], disclosed: record.disclosed, consents: record.consents, tpo: true, channel: 'ehr' });
    expect(report.sections.map((s) => [s.id, s.disclosures.length])).toEqual([
      ['consented', 0],
      ['tpo-ehr', 1],
    ]);
    const fhir = peerkit(['disclosures', '--patient', patientOf(record), '--as-of', day(1), '--fhir'], dir);
    expect(fhir.code).toBe(0);
    const bundle = JSON.parse(fhir.stdout) as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const types = (bundle.entry ?? []).map((e) => e.resource?.resourceType);
    expect(types).toEqual(['List', 'List', 'List', 'AuditEvent']);
    expect((bundle.entry?.[2]?.resource as List).entry).toEqual([{ item: { reference: bundle.entry?.[3]?.fullUrl } }]);
  });

  it('counts a decision that sent nothing without listing it', () => {
    const refused = records.find((r) => r.decision !== 'PERMIT');
    const run = peerkit(['disclosures', '--patient', patientOf(refused ?? permitted()), '--as-of', day(1), '--json'], dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ disclosures: [], notDisclosed: 1 });
  });

  it('--server reads the same accounting from AuditEvents on a FHIR server', async () => {
    for (const line of lines) {
      const answer = await fetch(`${server.baseUrl}/AuditEvent`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: line });
      expect(answer.status).toBe(201);
    }
    const record = permitted();
    const run = await peerkitAsync(['disclosures', '--server', server.baseUrl, '--patient', patientOf(record), '--as-of', day(1), '--json'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as AccountingReport;
    expect(report.disclosures.map((d) => d.disclosed)).toEqual([record.disclosed]);
  });

  it('--breach lists the patients whose records went to the recipient in the period', () => {
    const sent = records.filter((r) => r.decision === 'PERMIT');
    const json = peerkit(['disclosures', '--breach', '--recipient', RECIPIENT, '--from', day(-1), '--to', day(1), '--json'], dir);
    expect(json.code).toBe(0);
    const scope = JSON.parse(json.stdout) as BreachScopeReport;
    expect(scope.totals.patients).toBe(sent.length);
    expect(scope.patients.map((p) => p.patient[0]).sort()).toEqual(sent.map(patientOf).sort());
    const text = peerkit(['disclosures', '--breach', '--recipient', RECIPIENT, '--from', day(-1), '--to', day(1)], dir);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe(`Records that went to ${RECIPIENT}, ${day(-1)} to ${day(1)}`);
  });

  it.each([
    ['a bad --from', ['--patient', 'Patient/1', '--from', '2026-13-01'], '--from must be a date YYYY-MM-DD'],
    ['a bad --as-of', ['--patient', 'Patient/1', '--as-of', 'yesterday'], '--as-of must be a date YYYY-MM-DD'],
    ['--from after --to', ['--patient', 'Patient/1', '--from', '2026-05-02', '--to', '2026-05-01'], '--from must not be after --to'],
    ['no --patient', [], 'disclosures needs --patient <token>'],
    ['--breach without a period', ['--breach', '--recipient', RECIPIENT], 'disclosures --breach needs --from <date> and --to <date>'],
    ['--ledger and --server', ['--patient', 'Patient/1', '--ledger', 'x.ndjson', '--server', 'http://127.0.0.1:9/fhir'], 'give --ledger or --server, not both'],
    ['a ledger that does not exist', ['--patient', 'Patient/1', '--ledger', 'none.ndjson'], 'none.ndjson: no such file'],
  ])('exits 2 with one line for %s', (_name, args, message) => {
    const run = peerkit(['disclosures', ...args], dir);
    expect(run.code).toBe(2);
    // A usage error is followed by the usage line; a missing ledger is one line.
    expect(run.stderr.split('\n')[0]).toContain(`peerkit: ${message}`);
    expect(run.stdout).toBe('');
    expect(existsSync(join(dir, 'none.ndjson'))).toBe(false);
  });

  it('exits 2 naming the line of a damaged ledger, never its content', () => {
    writeFileSync(join(dir, 'damaged.ndjson'), `${lines[0] ?? ''}\n{"resourceType":"AuditEvent","secret\n`);
    const run = peerkit(['disclosures', '--patient', 'Patient/1', '--ledger', 'damaged.ndjson'], dir);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toBe('peerkit: damaged.ndjson: the disclosure ledger line 2 is damaged');
  });
});
