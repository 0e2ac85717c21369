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
}

/** Default system of the tag that identifies a run's Provenance (R4 Provenance has no `identifier`). */
export const SYNC_RUN_TAG_SYSTEM = 'https://peerkit.dev/fhir/CodeSystem/sync-run';

/**
 * Builds the Provenance resources of a run as outbox entries: one per activity (CREATE for what
 * the server created, UPDATE for what it updated or already held) and per `maxTargets` targets,
 * each with an author (when given) and a transmitter agent. Each is a conditional create on a
 * `meta.tag` naming the run, so sending them twice writes them once.
 *
 * @param options - see {@link RunProvenanceOptions}
 * @returns outbox entries (none when the run wrote nothing)
 * @example
 * await outbox.add(createRunProvenance({ runId, confirmations: outbox.confirmations(), recorded: new Date().toISOString() }));
 *
 * See: https://hl7.org/fhir/R4/provenance.html; US Core Provenance (author, transmitter)
 */
export function createRunProvenance(options: RunProvenanceOptions): OutboxEntry[] {
  const tagSystem = options.tagSystem ?? SYNC_RUN_TAG_SYSTEM;
  const maxTargets = Math.max(1, options.maxTargets ?? 1000);
  const transmitter = options.transmitter ?? { display: 'PeerKit sync' };
  const written = options.confirmations.filter((c) => !c.location.startsWith('Provenance/'));
  const entries: OutboxEntry[] = [];
  for (const [activity, targets] of [
    ['CREATE', written.filter((c) => c.created)],
    ['UPDATE', written.filter((c) => !c.created)],
  ] as const) {
    for (let start = 0, part = 0; start < targets.length; start += maxTargets, part++) {
      const code = `${options.runId}-${activity.toLowerCase()}-${part}`;
      const provenance: Provenance = {
        resourceType: 'Provenance',
        meta: { tag: [{ system: tagSystem, code }] },
        target: targets.slice(start, start + maxTargets).map((c) => ({ reference: c.location })),
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
      entries.push({
        key: `Provenance?${query}`,
        request: { method: 'POST', url: 'Provenance', ifNoneExist: query },
        resource: provenance,
      });
    }
  }
  return entries;
}
