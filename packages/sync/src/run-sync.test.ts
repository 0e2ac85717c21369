import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clinicToNdjson, generateClinic } from '@peerkit/model';
import {
  createAccountingReport,
  createMemoryDisclosureLedger,
  parseDisclosureRecipient,
  readDisclosureRecord,
  type DisclosureLedger,
  type DisclosureRecipient,
} from '@peerkit/safeguards';
import type { AuditEvent, Bundle, Provenance } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAST_RETRY, useEmbeddedServer } from '../test/helpers';
import type { SyncEvent } from './events';
import { openFileDisclosureLedger } from './disclosure-ledger';
import { SYNC_ERROR_CODES, SyncError } from './errors';
import { OUTBOX_FILES } from './file-outbox';
import { runSync, SYNC_DISCLOSURE_LEDGER_FILE, type RunSyncProgress, type RunSyncSummary } from './run-sync';
import { createFhirTransport } from './transport';

const server = useEmbeddedServer();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'peerkit-run-sync-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a generated clinic export; returns its path. */
function clinicFile(seed: number, peers = 6, weeks = 2, edit: (lines: string[]) => string[] = (l) => l): string {
  const path = join(dir, 'clinic.ndjson');
  const lines = clinicToNdjson(generateClinic({ seed, peers, weeks })).trim().split('\n');
  writeFileSync(path, `${edit(lines).join('\n')}\n`);
  return path;
}

function recipientOf(value: string): DisclosureRecipient {
  const parsed = parseDisclosureRecipient({ actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value }], purposeOfUse: ['TREAT'] });
  if (!parsed.ok) throw new Error('recipient');
  return parsed.value;
}

/** The summary of a run that must have started. */
function summaryOf(result: Awaited<ReturnType<typeof runSync>>): RunSyncSummary {
  if (!result.ok) throw new Error(`expected a run, got ${result.issues.map((i) => i.code).join(', ')}`);
  return result.value;
}

const transport = () => createFhirTransport({ baseUrl: server.baseUrl });
const down = () => createFhirTransport({ baseUrl: 'http://127.0.0.1:9/fhir', timeoutMs: 1000 });

describe('runSync', () => {
  it.each([
    ['transaction (the default)', undefined, 'transaction'],
    ['auto, on the embedded server', 'auto', 'transaction'],
    ['batch', 'batch', 'batch'],
    ['single', 'single', 'single'],
  ] as const)('writes with %s, exactly once, Provenance included', async (_, writeMode, mode) => {
    const file = clinicFile(22, 3, 1);
    const summary = summaryOf(
      await runSync({ file, transport: transport(), stateDir: join(dir, 'state'), retry: FAST_RETRY, ...(writeMode === undefined ? {} : { writeMode }) }),
    );
    expect(summary.plan.mode).toBe(mode);
    expect(summary).toMatchObject({ deadLettered: 0, pending: 0, finished: true, complete: true });
    expect(summary.confirmed).toBe(summary.resources);
    expect(summary.provenance.length).toBeGreaterThan(0);
  });

  it('sends a clinic export exactly once, with the Provenance authored by its Organization, and closes the run', async () => {
    const file = clinicFile(21);
    const stateDir = join(dir, 'state');
    const progress: RunSyncProgress[] = [];
    const summary = summaryOf(
      await runSync({ file, transport: transport(), stateDir, batchSize: 25, retry: FAST_RETRY, onEvent: (_e, p) => progress.push({ ...p }) }),
    );
    expect(summary).toMatchObject({ invalidRecords: 0, unmappedRecords: 0, deadLettered: 0, pending: 0, withheld: 0, disclosure: 'internal', finished: true, complete: true });
    expect(summary.records).toBeGreaterThan(0);
    expect(summary.confirmed).toBe(summary.resources);
    expect(summary.deadLetterFile).toBe(join(stateDir, OUTBOX_FILES.deadLetter));
    expect(progress.at(-1)?.resources).toBe(summary.resources);
    expect(existsSync(join(stateDir, OUTBOX_FILES.disclosureMode))).toBe(false);
    const provenance = summary.provenance[0] ?? '';
    const author = ((await (await fetch(`${server.baseUrl}/${provenance}`)).json()) as Provenance).agent.find((a) => a.type?.coding?.[0]?.code === 'author');
    expect(author?.who.reference).toMatch(/^Organization\/[^?]+$/);

    // A second run finds everything on the server: nothing new is created.
    const again = summaryOf(await runSync({ file, transport: transport(), stateDir, retry: FAST_RETRY }));
    expect(again).toMatchObject({ confirmed: summary.resources, complete: true });
    const total = (type: string) => fetch(`${server.baseUrl}/${type}?_summary=count`).then(async (r) => ((await r.json()) as Bundle).total);
    const encounters = await total('Encounter');
    expect(encounters).toBeGreaterThan(0);
    const third = summaryOf(await runSync({ file, transport: transport(), stateDir, retry: FAST_RETRY, provenance: false }));
    expect(third.provenance).toEqual([]);
    expect(await total('Encounter')).toBe(encounters);
  }, 60_000);

  it('with a recipient, withholds what the consents do not permit and counts it by reason', async () => {
    const file = clinicFile(3, 12, 3);
    const summary = summaryOf(await runSync({ file, transport: transport(), stateDir: join(dir, 'state'), recipient: recipientOf('1234567893'), retry: FAST_RETRY, provenance: false }));
    expect(summary.disclosure).toBe('consent');
    expect(summary.withheld).toBeGreaterThan(0);
    expect(summary.confirmed).toBe(summary.resources);
    expect(Object.values(summary.withheldBy).reduce((a, b) => a + b, 0)).toBe(summary.withheld);
    expect(summary.complete).toBe(true);
  }, 60_000);

  it('with a recipient, records one ledger entry per patient in the state directory, a patient can be accounted from it', async () => {
    const file = clinicFile(3, 12, 3);
    const stateDir = join(dir, 'state');
    const summary = summaryOf(await runSync({ file, transport: transport(), stateDir, recipient: recipientOf('1234567893'), retry: FAST_RETRY, provenance: false }));
    const path = join(stateDir, SYNC_DISCLOSURE_LEDGER_FILE);
    expect(summary.ledgerFile).toBe(path);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(summary.ledgerEntries).toBe(lines.length);
    expect(lines.length).toBeGreaterThan(1);
    const records = lines.map((line) => readDisclosureRecord(JSON.parse(line) as AuditEvent));
    const permitted = records.find((r) => r?.decision === 'PERMIT');
    expect(permitted?.total).toBeGreaterThan(0);
    const ledger = await openFileDisclosureLedger({ path });
    try {
      const report = await createAccountingReport(ledger, { patient: permitted?.patient[0] ?? '', asOf: new Date() });
      expect(report.disclosures).toHaveLength(1);
      expect(report.disclosures[0]).toMatchObject({ purposes: ['TREAT'], tpo: true, channel: 'ehr', disclosed: permitted?.disclosed });
    } finally {
      await ledger.close();
    }
  }, 60_000);

  it('writes the decisions to the ledger given, to none with ledger: false, and none without a recipient', async () => {
    const file = clinicFile(3, 12, 3);
    const memory = createMemoryDisclosureLedger();
    const given = summaryOf(await runSync({ file, transport: transport(), stateDir: join(dir, 'a'), recipient: recipientOf('1234567893'), ledger: memory, retry: FAST_RETRY }));
    expect(given.ledgerEntries).toBe(memory.entries.length);
    expect(given.ledgerEntries).toBeGreaterThan(1);
    expect(given.ledgerFile).toBeUndefined();
    expect(existsSync(join(dir, 'a', SYNC_DISCLOSURE_LEDGER_FILE))).toBe(false);
    const none = summaryOf(await runSync({ file, transport: transport(), stateDir: join(dir, 'b'), recipient: recipientOf('1234567893'), ledger: false, retry: FAST_RETRY }));
    expect(none.ledgerEntries).toBe(0);
    expect(existsSync(join(dir, 'b', SYNC_DISCLOSURE_LEDGER_FILE))).toBe(false);
    const internal = summaryOf(await runSync({ file, transport: transport(), stateDir: join(dir, 'c'), retry: FAST_RETRY }));
    expect(internal.ledgerEntries).toBe(0);
    expect(existsSync(join(dir, 'c', SYNC_DISCLOSURE_LEDGER_FILE))).toBe(false);
  }, 60_000);

  it('fails on ledger when the ledger cannot record the decisions', async () => {
    const file = clinicFile(3, 12, 3);
    const refusing: DisclosureLedger = {
      append: async () => {
        throw new SyncError(SYNC_ERROR_CODES.serverUnavailable, 'POST AuditEvent failed (status 500)');
      },
      query: async function* () {},
    };
    const result = await runSync({ file, transport: transport(), stateDir: join(dir, 'state'), recipient: recipientOf('1234567893'), ledger: refusing, retry: FAST_RETRY });
    expect(result).toMatchObject({ ok: false, issues: [expect.objectContaining({ severity: 'error', code: 'sync.server-unavailable', path: ['ledger'] })] });
  }, 60_000);

  it('counts invalid lines and leaves the run incomplete (not failed)', async () => {
    const file = clinicFile(22, 3, 1, (lines) => [...lines, '{ not json']);
    const summary = summaryOf(await runSync({ file, transport: transport(), stateDir: join(dir, 'state'), retry: FAST_RETRY }));
    expect(summary).toMatchObject({ invalidRecords: 1, pending: 0, finished: true, complete: false });
  }, 60_000);

  it('stops when the server is down, keeps the run, refuses a fresh start, and finishes with resume', async () => {
    const file = clinicFile(23, 3, 1);
    const stateDir = join(dir, 'state');
    const stopped = summaryOf(await runSync({ file, transport: down(), stateDir, retry: { ...FAST_RETRY, maxAttempts: 2 } }));
    expect(stopped).toMatchObject({ confirmed: 0, stopped: 'server-unavailable', finished: false, complete: false });
    expect(stopped.pending).toBeGreaterThan(0);
    expect(readFileSync(join(stateDir, OUTBOX_FILES.disclosureMode), 'utf8').trim()).toBe('internal');

    const fresh = await runSync({ file, transport: transport(), stateDir, retry: FAST_RETRY });
    expect(fresh).toMatchObject({ ok: false, issues: [expect.objectContaining({ code: 'sync.unfinished-run', path: ['stateDir'] })] });
    const resumed = summaryOf(await runSync({ file, transport: transport(), stateDir, resume: true, retry: FAST_RETRY }));
    expect(resumed).toMatchObject({ pending: 0, finished: true, complete: true });
    expect(existsSync(join(stateDir, OUTBOX_FILES.disclosureMode))).toBe(false);
  }, 60_000);

  it('holds a resumed run to the disclosure it started with', async () => {
    const file = clinicFile(3, 12, 3);
    const stateDir = join(dir, 'state');
    const first = recipientOf('1234567893');
    const started = summaryOf(await runSync({ file, transport: down(), stateDir, recipient: first, retry: { ...FAST_RETRY, maxAttempts: 1 } }));
    expect(started.finished).toBe(false);
    // The state directory names the recipient by a hash only.
    expect(readFileSync(join(stateDir, OUTBOX_FILES.disclosureMode), 'utf8')).not.toContain('1234567893');
    const cases = [
      [undefined, 'sync.disclosure-mismatch'],
      [recipientOf('1003000126'), 'sync.recipient-mismatch'],
    ] as const;
    for (const [recipient, code] of cases) {
      const result = await runSync({ file, transport: transport(), stateDir, resume: true, retry: FAST_RETRY, ...(recipient === undefined ? {} : { recipient }) });
      expect(result).toMatchObject({ ok: false, issues: [expect.objectContaining({ severity: 'error', code, path: ['recipient'] })] });
    }
    const resumed = summaryOf(await runSync({ file, transport: transport(), stateDir, resume: true, recipient: first, retry: FAST_RETRY }));
    expect(resumed).toMatchObject({ pending: 0, finished: true });
  }, 60_000);

  it.each([
    ['a missing export', { file: 'missing.ndjson' }, 'sync.input-unreadable', ['file']],
    ['an export without an organization (internal)', { noOrganization: true }, 'sync.no-identifier-system', ['file']],
    ['an export without an organization (consent)', { noOrganization: true, recipient: true }, 'sync.no-identifier-system', ['file']],
    ['a recipient naming no actor', { emptyActor: true }, 'sync.invalid-option', ['recipient', 'actor']],
    ['a state directory that is a file', { stateIsFile: true }, 'sync.state-unusable', ['stateDir']],
  ] as const)('returns %s as an issue, never a value', async (_name, setup, code, path) => {
    const file =
      'file' in setup
        ? join(dir, setup.file)
        : clinicFile(24, 2, 1, (lines) => ('noOrganization' in setup ? lines.filter((l) => !l.includes('"kind":"organization"')) : lines));
    const stateDir = join(dir, 'state');
    if ('stateIsFile' in setup) writeFileSync(stateDir, '');
    const recipient = 'emptyActor' in setup ? { ...recipientOf('1234567893'), actor: [] } : 'recipient' in setup ? recipientOf('1234567893') : undefined;
    const result = await runSync({ file, transport: transport(), stateDir, retry: FAST_RETRY, ...(recipient === undefined ? {} : { recipient }) });
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([expect.objectContaining({ severity: 'error', code, path })]);
    expect(JSON.stringify(result.issues)).not.toContain('1234567893');
  }, 60_000);

  it('sends nothing when its signal is already aborted, and keeps nothing to resume', async () => {
    const file = clinicFile(25, 3, 1);
    const events: SyncEvent[] = [];
    const summary = summaryOf(
      await runSync({ file, transport: transport(), stateDir: join(dir, 'state'), signal: AbortSignal.abort(), retry: FAST_RETRY, onEvent: (e) => events.push(e) }),
    );
    expect(summary).toMatchObject({ sent: 0, stopped: 'aborted', finished: false, complete: true });
    expect(events.some((e) => e.type === 'sent')).toBe(false);
  }, 60_000);
});
