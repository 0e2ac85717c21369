/**
 * The Provenance of a sync run: what it wrote, when, on whose behalf (author) and by what
 * (transmitter).
 */
import type { Provenance, Reference } from 'fhir/r4';
import type { Confirmation, OutboxEntry } from './outbox';

/** Provenance agent types. Source: US Core 9.0.0 Provenance (ProvenanceAuthor, ProvenanceTransmitter); THO provenance-participant-type. */
export const PROVENANCE_PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';

/** Provenance activity codes (CREATE, UPDATE). Source: THO v3-DataOperation. */
export const DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';

/** Options of {@link createRunProvenance}. */
export interface RunProvenanceOptions {
  /** The run's id (from the outbox). */
  runId: string;
  /** What the run wrote (the outbox's confirmations); Provenance resources among them are left out. */
  confirmations: readonly Confirmation[];
  /** When the run ended (ISO 8601 instant). */
  recorded: string;
  /** On whose behalf the data was written (e.g. the clinic's Organization). Optional. */
  author?: Reference;
  /** What sent it. Default `{ display: 'PeerKit sync' }`. */
  transmitter?: Reference;
  /** System of the `meta.tag` that identifies the run's Provenance. Default `https://peerkit.dev/fhir/CodeSystem/sync-run`. */
  tagSystem?: string;
  /** Most targets per Provenance. Default 1000. */
  maxTargets?: number;
  /**
   * How many of each activity's confirmations (in the order the outbox gives them) Provenance of
   * the run already names — written when an earlier attempt of the run stopped — so they are left
   * out. Default none (see {@link provenanceCoverage}).
   */
  covered?: Partial<ProvenanceCoverage>;
}

/** How many of a run's confirmations of each activity, counted in order from the first, its Provenance names. */
export interface ProvenanceCoverage {
  /** Confirmations of resources the server created. */
  CREATE: number;
  /** Confirmations of resources it updated or already held. */
  UPDATE: number;
}

/** Default system of the tag that identifies a run's Provenance (R4 Provenance has no `identifier`). */
export const SYNC_RUN_TAG_SYSTEM = 'https://peerkit.dev/fhir/CodeSystem/sync-run';

/**
 * Builds the Provenance resources of a run as outbox entries: one per activity (CREATE for what
 * the server created, UPDATE for what it updated or already held) and per `maxTargets` targets,
 * each with an author (when given) and a transmitter agent. Each is a conditional create on a
 * `meta.tag` naming the run and the range of the run's confirmations it covers (per activity,
 * `<run>-<activity>-<from>-<to>`), so sending them twice writes them once, and a run that stops
 * and resumes writes Provenance for what landed each time without naming a resource twice.
 *
 * @param options - see {@link RunProvenanceOptions}
 * @returns outbox entries (none when the run wrote nothing)
 * @example
 * await outbox.add(createRunProvenance({ runId, confirmations, recorded: new Date().toISOString() }));
 *
 * See: https://hl7.org/fhir/R4/provenance.html; US Core Provenance (author, transmitter)
 */
export function createRunProvenance(options: RunProvenanceOptions): OutboxEntry[] {
  const build = provenanceBuilder(options);
  const written = options.confirmations.filter((c) => !c.location.startsWith('Provenance/'));
  const entries: OutboxEntry[] = [];
  for (const activity of ['CREATE', 'UPDATE'] as const) {
    const targets = written.filter((c) => c.created === (activity === 'CREATE')).map((c) => c.location);
    for (let start = options.covered?.[activity] ?? 0; start < targets.length; start += build.maxTargets) {
      entries.push(build.entry(activity, start, targets.slice(start, start + build.maxTargets)));
    }
  }
  return entries;
}

/**
 * The same Provenance entries as {@link createRunProvenance} (same parts, same targets), built
 * while the confirmations are read — from disk, for a file outbox — so a run of any size never
 * holds them all. Entries come as each part fills (CREATE and UPDATE parts interleaved).
 *
 * @param options - as for {@link createRunProvenance}, with the confirmations as a (possibly async) iterable
 * @returns the outbox entries, one per part
 * @example
 * for await (const entry of runProvenanceEntries({ runId, confirmations: outbox.confirmations(), recorded })) await outbox.add([entry]);
 */
export async function* runProvenanceEntries(
  options: Omit<RunProvenanceOptions, 'confirmations'> & { confirmations: AsyncIterable<Confirmation> | Iterable<Confirmation> },
): AsyncGenerator<OutboxEntry> {
  const build = provenanceBuilder(options);
  const parts = { CREATE: { seen: 0, start: 0, targets: [] as string[] }, UPDATE: { seen: 0, start: 0, targets: [] as string[] } };
  for await (const c of options.confirmations) {
    if (c.location.startsWith('Provenance/')) continue;
    const activity = c.created ? 'CREATE' : 'UPDATE';
    const open = parts[activity];
    const index = open.seen++;
    if (index < (options.covered?.[activity] ?? 0)) continue;
    if (open.targets.length === 0) open.start = index;
    open.targets.push(c.location);
    if (open.targets.length === build.maxTargets) {
      yield build.entry(activity, open.start, open.targets);
      open.targets = [];
    }
  }
  for (const activity of ['CREATE', 'UPDATE'] as const) {
    const open = parts[activity];
    if (open.targets.length > 0) yield build.entry(activity, open.start, open.targets);
  }
}

/** The tag code of a run's Provenance for a range of its confirmations of one activity. */
function rangeCode(runId: string, activity: 'CREATE' | 'UPDATE', from: number, to: number): string {
  return `${runId}-${activity.toLowerCase()}-${from}-${to}`;
}

/**
 * How much of a run its Provenance already covers, from the keys of the outbox's Provenance
 * entries (pending or confirmed: a queued Provenance is delivered like any entry): per activity,
 * the end of the furthest range.
 *
 * @param keys - outbox keys (others than the run's Provenance are ignored)
 * @param runId - the run
 * @param tagSystem - the tag's system. Default {@link SYNC_RUN_TAG_SYSTEM}
 * @returns the coverage (0 and 0 when there is none)
 * @example
 * await provenanceCoverage(['Provenance?_tag=…|run-1-create-0-40'], 'run-1'); // { CREATE: 40, UPDATE: 0 }
 */
export async function provenanceCoverage(
  keys: Iterable<string> | AsyncIterable<string>,
  runId: string,
  tagSystem: string = SYNC_RUN_TAG_SYSTEM,
): Promise<ProvenanceCoverage> {
  const coverage: ProvenanceCoverage = { CREATE: 0, UPDATE: 0 };
  const prefix = `Provenance?_tag=${encodeURIComponent(tagSystem)}|`;
  const pattern = /^(create|update)-(\d+)-(\d+)$/;
  for await (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const code = decodeURIComponent(key.slice(prefix.length));
    if (!code.startsWith(`${runId}-`)) continue;
    const match = pattern.exec(code.slice(runId.length + 1));
    if (match === null) continue;
    const activity = match[1] === 'create' ? 'CREATE' : 'UPDATE';
    coverage[activity] = Math.max(coverage[activity], Number(match[3]));
  }
  return coverage;
}

/** Builds one Provenance entry of a run: an activity, where its range starts, its targets. */
function provenanceBuilder(options: Omit<RunProvenanceOptions, 'confirmations'>): {
  maxTargets: number;
  entry: (activity: 'CREATE' | 'UPDATE', start: number, targets: readonly string[]) => OutboxEntry;
} {
  const tagSystem = options.tagSystem ?? SYNC_RUN_TAG_SYSTEM;
  const transmitter = options.transmitter ?? { display: 'PeerKit sync' };
  return {
    maxTargets: Math.max(1, options.maxTargets ?? 1000),
    entry(activity, start, targets) {
      const code = rangeCode(options.runId, activity, start, start + targets.length);
      const provenance: Provenance = {
        resourceType: 'Provenance',
        meta: { tag: [{ system: tagSystem, code }] },
        target: targets.map((reference) => ({ reference })),
        recorded: options.recorded,
        activity: { coding: [{ system: DATA_OPERATION, code: activity }] },
        agent: [
          ...(options.author === undefined
            ? []
            : [{ type: { coding: [{ system: PROVENANCE_PARTICIPANT_TYPE, code: 'author', display: 'Author' }] }, who: options.author }]),
          {
            type: { coding: [{ system: PROVENANCE_PARTICIPANT_TYPE, code: 'transmitter', display: 'Transmitter' }] },
            who: transmitter,
          },
        ],
      };
      const query = `_tag=${encodeURIComponent(tagSystem)}|${encodeURIComponent(code)}`;
      return { key: `Provenance?${query}`, request: { method: 'POST', url: 'Provenance', ifNoneExist: query }, resource: provenance };
    },
  };
}
