/**
 * What the gated-sync tests share: a recipient by a synthetic NPI, and the summary of a run that
 * must have started.
 */
import { parseDisclosureRecipient, readDisclosureRecord, type DisclosureLedger, type DisclosureRecipient } from '@peerkit/safeguards';
import type { SyncEvent } from '../src/events';
import type { runSync, RunSyncSummary } from '../src/run-sync';

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
export async function tallyLedger(ledger: DisclosureLedger): Promise<{ disclosed: Record<string, number>; entries: number }> {
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
