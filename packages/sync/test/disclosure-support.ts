/**
 * What the gated-sync tests share: a recipient by a synthetic NPI, and the summary of a run that
 * must have started.
 */
import { parseDisclosureRecipient, type DisclosureRecipient } from '@peerkit/safeguards';
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
