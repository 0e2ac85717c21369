/**
 * The disclosure gate applied to a sync's input: what it withholds is counted by reason and
 * reported, never queued; the rest goes on as outbox entries. Shared by `sync` and `hubSync`.
 */
import type { BundleEntry } from 'fhir/r4';
import { toOutboxEntry } from '../entries';
import type { SyncEvent } from '../events';
import type { OutboxEntry } from '../outbox';

/** Entries the gate withheld, in all and by reason code. */
export interface Withheld {
  withheld: number;
  withheldBy: Record<string, number>;
}

/**
 * The input's entries the gate lets through, as outbox entries, in order; the withheld ones are
 * counted in `tally` and reported (`withheld` events).
 *
 * @param entries - the input
 * @param withhold - the gate (a reason code to withhold, else undefined); none lets all through
 * @param tally - receives the counts
 * @param emit - receives the events
 * @returns the entries to queue
 */
export async function* passGate(
  entries: Iterable<BundleEntry> | AsyncIterable<BundleEntry>,
  withhold: ((entry: BundleEntry) => string | undefined) | undefined,
  tally: Withheld,
  emit: (event: SyncEvent) => void,
): AsyncGenerator<OutboxEntry> {
  for await (const entry of entries) {
    const reason = withhold?.(entry);
    if (reason === undefined) {
      yield toOutboxEntry(entry);
      continue;
    }
    tally.withheld++;
    tally.withheldBy[reason] = (tally.withheldBy[reason] ?? 0) + 1;
    emit({ type: 'withheld', count: 1, reason });
  }
}
