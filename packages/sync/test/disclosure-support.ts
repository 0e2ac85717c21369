/**
 * What the gated-sync tests share: a recipient by a synthetic NPI, the summary of a run that
 * must have started, and the check that a stopped and resumed run records each decision once.
 */
import { join } from 'node:path';
import { createMemoryDisclosureLedger, parseDisclosureRecipient, readDisclosureRecord, type DisclosureLedger, type DisclosureRecipient } from '@peerkit/safeguards';
import { expect } from 'vitest';
import { openFileDisclosureLedger } from '../src/disclosure-ledger';
import type { SyncEvent } from '../src/events';
import { runSync, SYNC_DISCLOSURE_LEDGER_FILE, type RunSyncOptions, type RunSyncSummary } from '../src/run-sync';
import type { FhirTransport } from '../src/transport';
import { FAST_RETRY } from './helpers';

/**
 * A recipient named by a synthetic NPI, for treatment.
 *
 * @param value - the NPI
 * @returns the parsed recipient
 */
export function recipientOf(value: string): DisclosureRecipient {
  const parsed = parseDisclosureRecipient({ actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value }], purposeOfUse: ['TREAT'] });
  if (!parsed.ok) throw new Error('recipient');
  return parsed.value;
}

/**
 * The summary of a run that must have started.
 *
 * @param result - what runSync returned
 * @returns its summary (throws with the issue codes otherwise)
 */
export function summaryOf(result: Awaited<ReturnType<typeof runSync>>): RunSyncSummary {
  if (!result.ok) throw new Error(`expected a run, got ${result.issues.map((i) => i.code).join(', ')}`);
  return result.value;
}

/**
 * A ledger's disclosed resources by patient and type, summed over every entry; and how many
 * entries it holds (to compare a stopped and resumed run's ledger with one uninterrupted run's).
 *
 * @param ledger - the ledger to read
 * @returns the sums and the entry count
 */
async function tallyLedger(ledger: DisclosureLedger): Promise<{ disclosed: Record<string, number>; entries: number }> {
  const disclosed: Record<string, number> = {};
  let entries = 0;
  for await (const event of ledger.query({})) {
    const record = readDisclosureRecord(event);
    if (record === undefined) continue;
    entries++;
    const patient = record.patient.join(' ');
    for (const [type, n] of Object.entries(record.disclosed)) disclosed[`${patient} ${type}`] = (disclosed[`${patient} ${type}`] ?? 0) + n;
  }
  return { disclosed, entries };
}

/**
 * Options that stop a run once its first entries are queued (a stop part-way, to resume).
 *
 * @returns the `signal` and `onEvent` to pass to runSync
 */
export function stopWhenQueued(): { signal: AbortSignal; onEvent: (event: SyncEvent) => void } {
  const stop = new AbortController();
  return {
    signal: stop.signal,
    onEvent: (event) => {
      if (event.type === 'queued') stop.abort();
    },
  };
}

/**
 * Checks that a gated run stopped once its first entries are queued and then resumed records each
 * decision in the disclosure ledger once: its ledger (the default file in `<dir>/state`) adds up to
 * the ledger of one uninterrupted run (in `<dir>/reference`), and the resume decided again.
 *
 * @param dir - a fresh directory for both runs' state
 * @param run - the export, the server and the recipient; `reference` and `resumed` add options to each run (e.g. a hub)
 * @returns the stopped attempt's and the resume's summaries
 */
export async function expectEachDecisionOnce(
  dir: string,
  run: { file: string; transport: () => FhirTransport; recipient: DisclosureRecipient; reference?: Partial<RunSyncOptions>; resumed?: Partial<RunSyncOptions> },
): Promise<{ first: RunSyncSummary; resumed: RunSyncSummary }> {
  const base = { file: run.file, recipient: run.recipient, retry: FAST_RETRY, provenance: false as const };
  const reference = createMemoryDisclosureLedger();
  summaryOf(await runSync({ ...base, transport: run.transport(), stateDir: join(dir, 'reference'), ledger: reference, ...run.reference }));
  const expected = await tallyLedger(reference);
  expect(Object.keys(expected.disclosed).length).toBeGreaterThan(1);

  const stateDir = join(dir, 'state');
  const first = summaryOf(await runSync({ ...base, transport: run.transport(), stateDir, ...run.resumed, ...stopWhenQueued() }));
  expect(first.finished).toBe(false);
  expect(first.ledgerEntries).toBeGreaterThan(0);
  const resumed = summaryOf(await runSync({ ...base, transport: run.transport(), stateDir, resume: true, ...run.resumed }));
  expect(resumed).toMatchObject({ pending: 0, finished: true });
  // The resume read the input again and queued the rest: the gate decided again what it decided before the stop.
  expect(resumed.queued).toBeGreaterThan(0);

  const ledger = await openFileDisclosureLedger({ path: join(stateDir, SYNC_DISCLOSURE_LEDGER_FILE) });
  try {
    const got = await tallyLedger(ledger);
    expect(got.disclosed).toEqual(expected.disclosed);
    expect(got.entries).toBe(first.ledgerEntries + resumed.ledgerEntries);
  } finally {
    await ledger.close();
  }
  return { first, resumed };
}
