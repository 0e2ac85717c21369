/**
 * How a push writes to a server — `transaction` Bundles, `batch` Bundles or one conditional request
 * per resource — chosen from what the server's CapabilityStatement says it supports, or set by the
 * caller. Every mode writes each resource exactly once: the writes are conditional on business
 * identifiers whatever carries them.
 */
import type { CapabilityStatement } from 'fhir/r4';
import type { FhirTransport } from './transport';

/**
 * How writes travel:
 * - `transaction`: Bundles of type `transaction` (entries that refer to each other travel together;
 *   atomic on servers that promise it);
 * - `batch`: Bundles of type `batch` (entries independent; each settled by its own outcome; an
 *   entry goes only once the entries it refers to are confirmed);
 * - `single`: one conditional request per resource (`PUT Type?identifier=…`, `POST` with
 *   `If-None-Exist`), several in flight.
 */
export type WriteMode = 'transaction' | 'batch' | 'single';

/** The write modes, in the order `auto` prefers them. */
export const WRITE_MODES: readonly WriteMode[] = ['transaction', 'batch', 'single'];

/**
 * The modes a whole run (`runSync`, `peerkit sync`) may use: the REST {@link WriteMode}s, or
 * `import`: NDJSON files per resource type and FHIR Bulk Data `$import` (ids derived from each
 * record's identity, so importing again overwrites). `auto` never picks `import`: it is only ever
 * configured, as a server fetches the files from storage it must be able to reach.
 *
 * See: https://github.com/smart-on-fhir/bulk-import/blob/master/import-pnp.md
 */
export type RunWriteMode = WriteMode | 'import';

/** The plan of a run in `import` mode, shaped like a {@link WritePlan}. */
export interface ImportPlan extends Omit<WritePlan, 'mode' | 'reason'> {
  /** Files and `$import`. */
  mode: 'import';
  /** Always configured: `auto` never picks `import`. */
  reason: 'configured';
}

/** What a server's CapabilityStatement says about writing to it. */
export interface ServerCapabilities {
  /** `rest.interaction` lists `transaction`. */
  transaction: boolean;
  /** `rest.interaction` lists `batch`. */
  batch: boolean;
  /** Every resource type the statement lists declares `conditionalCreate` (false when it lists none). */
  conditionalCreate: boolean;
  /** Every resource type the statement lists declares `conditionalUpdate` (false when it lists none). */
  conditionalUpdate: boolean;
  /** `software.name`, for matching the server's documented limits (see `SERVER_LIMITS`). */
  software?: string;
  /** `implementation.description`, also used for that matching. */
  implementation?: string;
}

/** Why a run writes the way it does. */
export type WriteModeReason =
  /** The caller named the mode. */
  | 'configured'
  /** `auto`: the server lists `transaction`. */
  | 'server-transaction'
  /** `auto`: the server lists `batch` but not `transaction`. */
  | 'server-batch'
  /** `auto`: the server lists neither, so one request per resource. */
  | 'server-neither'
  /** `auto`: the CapabilityStatement could not be read; `transaction`, as before write modes existed. */
  | 'no-capability-statement';

/** The mode a run uses, and why. */
export interface WriteModeChoice {
  mode: WriteMode;
  reason: WriteModeReason;
}

/** How a run writes: its mode (and why), and the sizes it keeps to. */
export interface WritePlan {
  /** How writes travel. */
  mode: WriteMode;
  /** Why this mode. */
  reason: WriteModeReason;
  /** Most entries per Bundle (1 in `single` mode). */
  batchSize: number;
  /** Largest Bundle body, in bytes. */
  maxBundleBytes: number;
  /** Most requests in flight. */
  concurrency: number;
  /** The server whose documented limits apply (`SERVER_LIMITS` id), when `auto` recognized it. */
  server?: string;
  /** The cap on resources written per second, if any. */
  writesPerSecond?: number;
  /** The cap on write requests per second, if any (the caller's, or the server's documented one). */
  requestsPerSecond?: number;
}

/**
 * Reads what matters for writing from a CapabilityStatement: batch and transaction support
 * (`rest[mode=server].interaction`), conditional create and update on every listed resource type,
 * and the software's name.
 *
 * @param statement - the server's CapabilityStatement (`GET [base]/metadata`)
 * @returns the capabilities; a statement with no server `rest` supports nothing
 * @example
 * toServerCapabilities({ resourceType: 'CapabilityStatement', rest: [{ mode: 'server', interaction: [{ code: 'batch' }] }] } as CapabilityStatement);
 * // { transaction: false, batch: true, conditionalCreate: false, conditionalUpdate: false }
 *
 * See: https://hl7.org/fhir/R4/capabilitystatement.html, https://hl7.org/fhir/R4/http.html#capabilities
 */
export function toServerCapabilities(statement: CapabilityStatement): ServerCapabilities {
  const rest = (statement.rest ?? []).find((r) => r.mode === 'server') ?? statement.rest?.[0];
  const codes = new Set((rest?.interaction ?? []).map((i) => i.code));
  const types = rest?.resource ?? [];
  const every = (declares: (resource: (typeof types)[number]) => boolean): boolean => types.length > 0 && types.every(declares);
  return {
    transaction: codes.has('transaction'),
    batch: codes.has('batch'),
    conditionalCreate: every((r) => r.conditionalCreate === true),
    conditionalUpdate: every((r) => r.conditionalUpdate === true),
    ...(statement.software?.name === undefined ? {} : { software: statement.software.name }),
    ...(statement.implementation?.description === undefined ? {} : { implementation: statement.implementation.description }),
  };
}

/**
 * Reads the server's CapabilityStatement (`GET [base]/metadata`).
 *
 * @param transport - the server
 * @param options - `signal` stops the request
 * @returns its capabilities, or undefined when it does not answer with a CapabilityStatement
 * @example
 * const capabilities = await readServerCapabilities(transport);
 * const { mode } = chooseWriteMode(capabilities);
 */
export async function readServerCapabilities(
  transport: FhirTransport,
  options: { signal?: AbortSignal } = {},
): Promise<ServerCapabilities | undefined> {
  const reply = await transport.get<CapabilityStatement>('metadata', options.signal === undefined ? {} : { signal: options.signal });
  if (reply.kind !== 'response' || reply.status !== 200 || reply.body?.resourceType !== 'CapabilityStatement') return undefined;
  return toServerCapabilities(reply.body);
}

/**
 * Chooses the write mode of a run: the one asked for, or with `auto` the first the server supports
 * of `transaction`, `batch`, `single` (`transaction` when its CapabilityStatement could not be read,
 * which is how PeerKit wrote before write modes existed).
 *
 * @param capabilities - from {@link readServerCapabilities} (undefined: not read)
 * @param requested - a mode, or `auto` (the default)
 * @returns the mode and the reason
 * @example
 * chooseWriteMode({ transaction: false, batch: true, conditionalCreate: true, conditionalUpdate: true });
 * // { mode: 'batch', reason: 'server-batch' }
 */
export function chooseWriteMode(capabilities: ServerCapabilities | undefined, requested: WriteMode | 'auto' = 'auto'): WriteModeChoice {
  if (requested !== 'auto') return { mode: requested, reason: 'configured' };
  if (capabilities === undefined) return { mode: 'transaction', reason: 'no-capability-statement' };
  if (capabilities.transaction) return { mode: 'transaction', reason: 'server-transaction' };
  if (capabilities.batch) return { mode: 'batch', reason: 'server-batch' };
  return { mode: 'single', reason: 'server-neither' };
}
