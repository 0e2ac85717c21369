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
  /**
   * Resources per window: what is read and handed over together. Default {@link DEFAULT_WINDOW_SIZE}
   * (500). A window of up to 2,000 resources keeps them parsed until it is read;
   * a larger one keeps NDJSON lines as text and parses each again when read (see the docs' "Size and
   * speed").
   */
  windowSize?: number;
}

/**
 * The default {@link StreamHostOptions.windowSize}: small enough that a window's parsed resources, its
 * index and its records die in the garbage collector's young generation. They live about two windows
 * (a `for await` loop holds a window's result until the next one is handed over), so a window must
 * allocate well under half of what the young generation takes between two collections; past that, a
 * window's objects are copied into the old generation, and a streamed read costs about twice the CPU.
 * On the bench's 100,000 resources, windows of 500 read at 2.6× `JSON.parse` ordered by patient and
 * 3.6× ordered by type, where windows of 1,000 took 3.0× and 5.2× and windows of 10,000 5.7× and 10.7×
 * (`bench/host-read.bench.mjs`). The price is reach: a reference resolves only within its window (and
 * to held staff and organizations), so an input ordered by type joins its records only within 500
 * resources; an input ordered by patient loses nothing (a window closes between patients).
 */
export const DEFAULT_WINDOW_SIZE = 500;

/**
 * The largest window whose resources are kept parsed from when they come in until the window is read
 * (parsed once). A larger window would keep its parsed resources past the young generation, where
 * copying and marking them costs more than parsing each line again when it is read.
 */
const KEEP_PARSED_UP_TO = 2_000;

/**
 * Resources held back to the last window: staff, organizations, services and groups (few, named by
 * everything else, and records of several resources that come in any order), and what a Group is the
 * subject of (a session's Encounter, the group note).
 */
function isHeld(entry: HostEntry): boolean {
  return HELD_TYPES.has(entry.type) || entry.subject?.startsWith('Group/') === true;
}

/** A window closes at a compartment boundary, or at this many times `windowSize` resources at the latest. */
const MAX_WINDOW_FACTOR = 4;

/**
 * `true` when `next` starts another patient's resources than `previous` (a window may close between
 * them): `next` is a Patient (unless `previous` is about it: a patient's resources before its Patient),
 * or both are about a patient (see `HostEntry.about`), by different references, and `previous` is no
 * Patient (a Patient and its resources may name it by different forms of reference).
 */
export function startsAnotherPatient(previous: HostEntry, next: HostEntry): boolean {
  if (next.type === 'Patient') {
    const { about } = previous;
    return about === undefined || next.id === undefined || !about.endsWith(`Patient/${next.id}`);
  }
  return next.about !== undefined && previous.about !== undefined && previous.type !== 'Patient' && next.about !== previous.about;
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
 * - A window closes between two patients' resources: once it holds `windowSize` resources, before
 *   the next Patient or the next resource about another patient (by `subject`, `patient`,
 *   `beneficiary` or a Task's `for`), and at 4 × `windowSize` resources at the latest. So an input
 *   ordered by patient (`$everything`, a compartment read from a server, a Bulk export grouped by
 *   patient) never has a patient's resources split between windows, and reads into the records a whole
 *   read gives (but for one patient with more than 4 × `windowSize` resources).
 * - So a record's parts should come in its window: a note whose Encounter was in an earlier window is
 *   a `note` record naming the encounter, a CarePlan whose Goals come later names them unresolved. A
 *   Bulk export ordered by type reads each type's records on their own (the CLI reads with windows of
 *   10,000 for that reason).
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
  const { windowSize = DEFAULT_WINDOW_SIZE, ...readOptions } = options;
  if (!Number.isInteger(windowSize) || windowSize < 1) throw new RangeError('streamHostFhir: windowSize must be a positive whole number');
  const ingest = createIngest(readOptions.file, windowSize > KEEP_PARSED_UP_TO);
  const matchers = createMatchers(readOptions.profile ?? US_CORE_IMPORT_PROFILE);
  const held: HostEntry[] = [];
  const largest = windowSize * MAX_WINDOW_FACTOR;
  let read = 0;
  /** How many of the last entries the window to close now leaves to the next (`undefined`: not closing now). */
  const closing = (): number | undefined => {
    const { entries } = ingest;
    const count = entries.length;
    if (count <= windowSize) return undefined;
    if (startsAnotherPatient(entries[count - 2]!, entries[count - 1]!)) return 1;
    return count >= largest ? 0 : undefined;
  };
  const window = (last: boolean, keep = 0): HostReadResult => {
    const taken = ingest.take(keep);
    const entries: HostEntry[] = [];
    for (let i = 0; i < taken.entries.length; i++) (isHeld(taken.entries[i]!) ? held : entries).push(taken.entries[i]!);
    const result = last
      ? readIngested({ ...taken, entries: mergeByOrder(held, entries) }, readOptions, { nothingRead: false, matchers })
      : readIngested({ ...taken, entries }, readOptions, { known: held, nothingRead: false, matchers });
    read += result.records.length;
    if (last && read === 0) result.findings.push(nothingReadFinding());
    return result;
  };
  let keep: number | undefined;
  if (isAsyncIterable(input)) {
    for await (const item of input) {
      ingest.item(item);
      if ((keep = closing()) !== undefined) yield window(false, keep);
    }
  } else if (Array.isArray(input)) {
    // An array by index (its iterator would allocate a result per item).
    for (let i = 0; i < input.length; i++) {
      ingest.item(input[i]);
      if ((keep = closing()) !== undefined) yield window(false, keep);
    }
  } else if (typeof input !== 'string' && isIterable(input)) {
    for (const item of input) {
      ingest.item(item);
      if ((keep = closing()) !== undefined) yield window(false, keep);
    }
  } else {
    // Text (a file, NDJSON) or a Bundle: one input, read whole.
    ingest.whole(input);
  }
  yield window(true);
}
