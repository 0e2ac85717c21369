/**
 * `streamHostFhir`: `readHostFhir` for inputs too large to hold (a Bulk Data `$export`), window by
 * window. Each window's resources are read, handed over as one result and let go; memory stays flat.
 */
import { US_CORE_IMPORT_PROFILE } from './import-profile';
import { isIterable, type HostEntry } from './internal/ingest';
import { createMatchers } from './internal/matchers';
import { createIngest, HELD_TYPES, isAsyncIterable, mergeByOrder, nothingReadFinding, readIngested } from './read-host';
import type { HostInput, HostReadResult, ReadHostOptions } from './types';

/** Options of {@link streamHostFhir}. */
export interface StreamHostOptions extends ReadHostOptions {
  /** Resources per window: what is read and handed over together. Default 10,000. */
  windowSize?: number;
}

/**
 * Resources held back to the last window: staff, organizations, services and groups (few, named by
 * everything else, and records of several resources that come in any order), and what a Group is the
 * subject of (a session's Encounter, the group note).
 */
function isHeld(entry: HostEntry): boolean {
  return HELD_TYPES.has(entry.type) || entry.subject?.startsWith('Group/') === true;
}

/**
 * Reads the host's FHIR like {@link readHostFhir}, a window at a time, and yields one result per
 * window: its records, context and findings. The resources of a window are let go once it is read,
 * so memory does not grow with the input (what the caller keeps of the results aside).
 *
 * - References resolve to resources already read: the window's own, and the staff, organizations,
 *   services and groups read so far, which are held back (they are few) and read together in the last
 *   window. A reference to a resource of an earlier window, or one not yet read, is kept as the host's
 *   (`host.reference-unresolved` where a reader follows it), exactly as for a resource read alone.
 * - So a record's parts should come in its window: a note whose Encounter was in an earlier window is
 *   a `note` record naming the encounter, a CarePlan whose Goals come later names them unresolved. An
 *   input ordered by patient (`$everything`, a compartment read from a server) reads as a whole input
 *   does; a Bulk export ordered by type reads each type's records on their own.
 * - A peer's defaulted enrollment starts at its earliest dated service in its window (else `asOf`).
 * - An input of at most `windowSize` resources yields one result, the same as `readHostFhir`'s.
 *
 * @param input - an (async) iterable of resources, NDJSON lines, {@link HostLine}s, {@link HostEntryItem}s or
 *   Bundles, read a window at a time; text or a single Bundle is one window
 * @param options - `windowSize` and {@link ReadHostOptions}
 * @returns the results, one per window (`host.nothing-read` in the last when no window had a record)
 * @throws RangeError when `windowSize` is not a positive whole number
 * @example
 * for await (const { records, findings } of streamHostFhir(lines(), { asOf: '2025-04-01' })) {
 *   for (const r of records) await save(r.record);
 * }
 * See: docs/reading-host-fhir.md (size and speed); https://hl7.org/fhir/uv/bulkdata/
 */
export async function* streamHostFhir(input: HostInput | AsyncIterable<unknown>, options: StreamHostOptions = {}): AsyncGenerator<HostReadResult> {
  const { windowSize = 10_000, ...readOptions } = options;
  if (!Number.isInteger(windowSize) || windowSize < 1) throw new RangeError('streamHostFhir: windowSize must be a positive whole number');
  const ingest = createIngest(readOptions.file);
  const matchers = createMatchers(readOptions.profile ?? US_CORE_IMPORT_PROFILE);
  const held: HostEntry[] = [];
  let read = 0;
  const window = (last: boolean): HostReadResult => {
    const taken = ingest.take();
    const entries: HostEntry[] = [];
    for (let i = 0; i < taken.entries.length; i++) (isHeld(taken.entries[i]!) ? held : entries).push(taken.entries[i]!);
    const result = last
      ? readIngested({ ...taken, entries: mergeByOrder(held, entries) }, readOptions, { nothingRead: false, matchers })
      : readIngested({ ...taken, entries }, readOptions, { known: held, nothingRead: false, matchers });
    read += result.records.length;
    if (last && read === 0) result.findings.push(nothingReadFinding());
    return result;
  };
  if (isAsyncIterable(input)) {
    for await (const item of input) {
      ingest.item(item);
      if (ingest.entries.length >= windowSize) yield window(false);
    }
  } else if (Array.isArray(input)) {
    // An array by index (its iterator would allocate a result per item).
    for (let i = 0; i < input.length; i++) {
      ingest.item(input[i]);
      if (ingest.entries.length >= windowSize) yield window(false);
    }
  } else if (typeof input !== 'string' && isIterable(input)) {
    for (const item of input) {
      ingest.item(item);
      if (ingest.entries.length >= windowSize) yield window(false);
    }
  } else {
    // Text (a file, NDJSON) or a Bundle: one input, read whole.
    ingest.whole(input);
  }
  yield window(true);
}
