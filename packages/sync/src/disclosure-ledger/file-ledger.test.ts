import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDisclosureLedgerEntry, createAccountingReport, parseDisclosureRequest } from '@peerkit/safeguards';
import type { AuditEvent } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYNC_ERROR_CODES, SyncError } from '../errors';
import { openFileDisclosureLedger } from './file-ledger';

const NPI = 'http://hl7.org/fhir/sid/us-npi';
function entry(patient: string, recorded: string, recipient = '1000000004'): AuditEvent {
  const request = parseDisclosureRequest({ patient: { reference: patient }, actor: [{ system: NPI, value: recipient }], purposeOfUse: ['COC'] });
  if (!request.ok) throw new Error('request');
  return createDisclosureLedgerEntry({ request: request.value, decision: 'PERMIT', recorded, consents: ['Consent/c1'], disclosed: { DocumentReference: 1 }, part2: true });
}
async function all(iterable: AsyncIterable<AuditEvent>): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'peerkit-ledger-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openFileDisclosureLedger', () => {
  it('appends one NDJSON line per entry (file 0600) and reads them back by query', async () => {
    const path = join(dir, 'state', 'disclosures.ndjson');
    const ledger = await openFileDisclosureLedger({ path });
    await ledger.append(entry('Patient/p1', '2026-05-01T10:00:00Z'));
    await ledger.append(entry('Patient/p2', '2026-05-02T10:00:00Z'));
    await ledger.append(entry('Patient/p1', '2026-05-03T10:00:00Z', '1000000012'));
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(4);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await all(ledger.query({ patient: 'Patient/p1' }))).map((e) => e.recorded)).toEqual(['2026-05-01T10:00:00Z', '2026-05-03T10:00:00Z']);
    expect(await all(ledger.query({ recipient: `${NPI}|1000000012` }))).toHaveLength(1);
    expect(await all(ledger.query({ from: '2026-05-02', to: '2026-05-02' }))).toHaveLength(1);
    await ledger.close();
  });

  it('keeps every entry of concurrent appends, and survives reopening', async () => {
    const path = join(dir, 'disclosures.ndjson');
    const ledger = await openFileDisclosureLedger({ path });
    await Promise.all(Array.from({ length: 50 }, (_, i) => ledger.append(entry(`Patient/p${i % 5}`, `2026-05-01T10:${String(i).padStart(2, '0')}:00Z`))));
    await ledger.close();
    const again = await openFileDisclosureLedger({ path });
    expect(await all(again.query({}))).toHaveLength(50);
    expect(await all(again.query({ patient: 'Patient/p3' }))).toHaveLength(10);
    await again.close();
  });

  it('drops a torn last line (a crash mid-write) on open and appends after it', async () => {
    const path = join(dir, 'disclosures.ndjson');
    const good = JSON.stringify(entry('Patient/p1', '2026-05-01T10:00:00Z'));
    await writeFile(path, `${good}\n${good.slice(0, 40)}`);
    const ledger = await openFileDisclosureLedger({ path });
    await ledger.append(entry('Patient/p1', '2026-05-02T10:00:00Z'));
    expect((await all(ledger.query({ patient: 'Patient/p1' }))).map((e) => e.recorded)).toEqual(['2026-05-01T10:00:00Z', '2026-05-02T10:00:00Z']);
    expect((await readFile(path, 'utf8')).endsWith('\n')).toBe(true);
    await ledger.close();
  });

  it('reports a damaged line before the last one as sync.ledger-corrupt, naming the line, not its content', async () => {
    const path = join(dir, 'disclosures.ndjson');
    const good = JSON.stringify(entry('Patient/p1', '2026-05-01T10:00:00Z'));
    await writeFile(path, `${good}\n{"resourceType":"Audit\n${good}\n`);
    const ledger = await openFileDisclosureLedger({ path });
    const error = await all(ledger.query({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe(SYNC_ERROR_CODES.ledgerCorrupt);
    expect((error as SyncError).message).toBe('the disclosure ledger line 2 is damaged');
    await ledger.close();
  });

  it('skips a line another process is still writing', async () => {
    const path = join(dir, 'disclosures.ndjson');
    const ledger = await openFileDisclosureLedger({ path });
    await ledger.append(entry('Patient/p1', '2026-05-01T10:00:00Z'));
    await appendFile(path, '{"resourceType":"AuditEvent"');
    expect(await all(ledger.query({}))).toHaveLength(1);
    await ledger.close();
  });

  it.each([
    ['an AuditEvent that is not a ledger entry', { ...entry('Patient/p1', '2026-05-01T10:00:00Z'), subtype: [] }],
  ])('refuses %s', async (_name, event) => {
    const ledger = await openFileDisclosureLedger({ path: join(dir, 'disclosures.ndjson') });
    await expect(ledger.append(event)).rejects.toMatchObject({ code: SYNC_ERROR_CODES.invalidOption });
    await ledger.close();
    await expect(ledger.append(entry('Patient/p1', '2026-05-01T10:00:00Z'))).rejects.toMatchObject({ code: SYNC_ERROR_CODES.invalidOption });
  });

  it('feeds the accounting of disclosures', async () => {
    const ledger = await openFileDisclosureLedger({ path: join(dir, 'disclosures.ndjson') });
    await ledger.append(entry('Patient/p1', '2026-05-01T10:00:00Z'));
    await ledger.append(entry('Patient/p1', '2022-05-01T10:00:00Z'));
    const report = await createAccountingReport(ledger, { patient: 'Patient/p1', asOf: '2026-06-01' });
    expect(report.sections.find((s) => s.id === 'consented')?.disclosures.map((d) => d.date)).toEqual(['2026-05-01T10:00:00Z']);
    await ledger.close();
  });
});
