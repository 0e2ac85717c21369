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
   * (500). With a `windowSize` of up to 2,000, a window keeps its resources parsed until it is read;
   * with a larger one it keeps NDJSON lines as text and parses each again when read (see the docs'
   * "Size and speed"). A window holds up to 4 × `windowSize` resources (see below).
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

const PATIENT_REFERENCE = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]*)?$/;
const OTHER_REFERENCE = /(?:^|\/)[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[^/]*)?$/;
const BY_IDENTIFIER = 'Patient?identifier=';

/**
 * The key of the patient a reference names, the same for every form of it: `Patient/<id>` for a
 * relative or absolute reference (its version dropped), the identifier key (`system|value`, see
 * `identifierKey`) for `Patient?identifier=`, the reference as written for other forms (`urn:uuid:`);
 * `undefined` for a reference to another type (a Group, a Location).
 */
export function patientKeyOf(reference: string | undefined): string | undefined {
  if (reference === undefined) return undefined;
  const id = PATIENT_REFERENCE.exec(reference)?.[1];
  if (id !== undefined) return `Patient/${id}`;
  if (OTHER_REFERENCE.test(reference)) return undefined;
  if (reference.startsWith(BY_IDENTIFIER)) {
    let token: string;
    try {
      token = decodeURIComponent(reference.slice(BY_IDENTIFIER.length));
    } catch {
      return reference;
    }
    return token.includes('|') ? token : `|${token}`;
  }
  return reference.includes('?') ? undefined : reference;
}

/**
 * Follows an input's resources in order and says where another patient's begin (internal: where a
 * streamed window may close). The current patient is known by every key seen for it: its Patient's
 * `Patient/<id>` and identifier keys, and the keys of the references its resources are about by (see
 * `HostEntry.about`), so a Patient before or after its resources, and references written in
 * different forms, stay one patient. Held resources (staff, organizations) and resources about no
 * patient change nothing.
 */
export class PatientCompartments {
  private keys: string[] | undefined = undefined;
  /** The last `about` text and its key (consecutive resources of a patient repeat it). */
  private lastAbout: string | undefined = undefined;
  private lastKey: string | undefined = undefined;

  /** Takes the next resource; `true` when it starts another patient's resources than those before it. */
  next(entry: HostEntry): boolean {
    if (isHeld(entry)) return false;
    if (entry.type === 'Patient') {
      const own = patientKeysOf(entry);
      if (own.length === 0) {
        // A Patient with neither id nor identifier: a new patient, whose resources cannot name it by key.
        const starts = this.keys !== undefined;
        this.keys = undefined;
        return starts;
      }
      if (this.keys !== undefined && own.some((key) => this.has(key))) {
        // Its resources came before it.
        this.keys.push(...own);
        return false;
      }
      const starts = this.keys !== undefined;
      this.keys = own;
      return starts;
    }
    const { about } = entry;
    if (about === undefined) return false;
    if (about !== this.lastAbout) {
      this.lastAbout = about;
      this.lastKey = patientKeyOf(about);
    }
    const key = this.lastKey;
    if (key === undefined) return false;
    if (this.keys === undefined) {
      this.keys = [key];
      return false;
    }
    if (this.has(key)) return false;
    this.keys = [key];
    return true;
  }

  private has(key: string): boolean {
    const keys = this.keys!;
    if (keys.includes(key)) return true;
    // `identifier=value` (no system) names the patient with that value in any system.
    return key.startsWith('|') && keys.some((k) => k.endsWith(key));
  }
}

/** The keys a Patient is named by: `Patient/<id>` and its identifier keys. */
function patientKeysOf(entry: HostEntry): string[] {
  const keys = entry.id === undefined ? [] : [`Patient/${entry.id}`];
  const identifiers = entry.identifierKeys;
  if (typeof identifiers === 'string') keys.push(identifiers);
  else if (identifiers !== undefined) keys.push(...identifiers);
  return keys;
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
 *   the first resource about another patient than those before it (a Patient, or a resource naming
 *   one by `subject`, `patient`, `beneficiary` or a Task's `for`, known by every form of reference to it),
 *   and at 4 × `windowSize` resources at the latest. So an input
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
  const compartments = new PatientCompartments();
  /** How many of the ingest's entries the compartments have taken. */
  let followed = 0;
  /**
   * How many of the last entries the window to close now leaves to the next (`undefined`: not closing
   * now): those from the first one, after `windowSize`, that starts another patient's resources.
   */
  const closing = (): number | undefined => {
    const { entries } = ingest;
    let cut: number | undefined;
    for (; followed < entries.length; followed++) {
      if (compartments.next(entries[followed]!) && cut === undefined && followed >= windowSize) cut = followed;
    }
    if (cut !== undefined) return entries.length - cut;
    return entries.length >= largest ? 0 : undefined;
  };
  const window = (last: boolean, keep = 0): HostReadResult => {
    const taken = ingest.take(keep);
    followed = keep;
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
