/**
 * What FHIR servers document about the Bundles and request rates they accept, each figure with the
 * page it comes from and how it was checked. A push that reads the server's CapabilityStatement
 * (`writeMode: 'auto'`) keeps its Bundles and its pace within the figures of the server it
 * recognizes; figures no page states stay PeerKit's configurable defaults.
 */
import type { ServerCapabilities } from './write-mode';

/** One documented figure, with its source. */
export interface SourcedFigure {
  /** The figure. */
  value: number;
  /** The page that states it. */
  source: string;
  /** How and when it was checked. */
  checked: string;
}

/** What one server (family) documents. Every figure is optional: a server that documents none has none. */
export interface ServerLimits {
  /** Stable id, e.g. `aws-healthlake`. */
  id: string;
  /** The server, as people call it. */
  name: string;
  /** True when a CapabilityStatement is this server's (by its software name or description). */
  applies(capabilities: ServerCapabilities): boolean;
  /** Most entries per batch or transaction Bundle. */
  maxEntries?: SourcedFigure;
  /** Largest request body, in bytes. */
  maxBytes?: SourcedFigure;
  /** Most Bundle requests per second. */
  bundleRequestsPerSecond?: SourcedFigure;
  /** Whether a transaction is all-or-nothing, with its source. */
  atomicTransactions?: { value: boolean; source: string; checked: string };
}

/** Entries per Bundle when neither the caller nor the server's documentation says otherwise. */
export const DEFAULT_BATCH_SIZE = 100;

/**
 * Largest Bundle body when neither the caller nor the server's documentation says otherwise: 1 MiB.
 * PeerKit's own default (no page checked states a smaller limit for a server PeerKit targets; the
 * documented ones below are larger) — configurable with `maxBundleBytes`. UNVERIFIED as a server limit.
 */
export const DEFAULT_MAX_BUNDLE_BYTES = 1024 * 1024;

const CHECKED = 'read with the search tool on 2026-12-07 (issue 18)';

const matches =
  (pattern: RegExp) =>
  (capabilities: ServerCapabilities): boolean =>
    pattern.test(capabilities.software ?? '') || pattern.test(capabilities.implementation ?? '');

/**
 * The documented limits of the servers PeerKit targets. The first entry whose `applies` matches is
 * the server's. Matching by software name is a heuristic: a server that reports another name gets
 * the defaults (and the caller's options).
 */
export const SERVER_LIMITS: readonly ServerLimits[] = [
  {
    id: 'peerkit-embedded',
    name: 'PeerKit embedded FHIR server (@peerkit/fhir-server)',
    applies: matches(/PeerKit embedded/i),
    maxBytes: { value: 64 * 1024 * 1024, source: 'packages/fhir-server/README.md (maxBodyBytes default 64 MiB; larger bodies get 413)', checked: 'this repository' },
    atomicTransactions: { value: false, source: 'packages/fhir-server/README.md, Known limits: transactions are not atomic', checked: 'this repository' },
  },
  {
    id: 'aws-healthlake',
    name: 'AWS HealthLake',
    applies: matches(/HealthLake/i),
    maxEntries: {
      value: 160,
      source: 'https://docs.aws.amazon.com/healthlake/latest/devguide/reference-healthlake-endpoints-quotas.html (Number of resources per Bundle: 160, not adjustable)',
      checked: CHECKED,
    },
    bundleRequestsPerSecond: {
      value: 10,
      source: 'https://docs.aws.amazon.com/general/latest/gr/Amazon-HealthLake.html (Rate of Bundle requests per data store: 10 per second, adjustable)',
      checked: CHECKED,
    },
    atomicTransactions: {
      value: true,
      source: 'https://docs.aws.amazon.com/healthlake/latest/devguide/managing-fhir-resources-bundle.html (transaction bundles process all resources atomically)',
      checked: CHECKED,
    },
  },
  {
    id: 'azure-health-data-services',
    name: 'Azure Health Data Services FHIR service (Microsoft FHIR Server)',
    applies: matches(/Microsoft FHIR Server|Azure/i),
    maxEntries: {
      value: 500,
      source: 'https://learn.microsoft.com/azure/healthcare-apis/fhir/fhir-features-supported (Service limits: each bundle is limited to 500 items)',
      checked: CHECKED,
    },
  },
  {
    id: 'google-cloud-healthcare',
    name: 'Google Cloud Healthcare API',
    applies: matches(/Cloud Healthcare|Google/i),
    maxBytes: {
      value: 50 * 1000 * 1000,
      source:
        'https://cloud.google.com/healthcare-api/quotas (FHIR executeBundle size limits); https://cloud.google.com/solutions/importing-fhir-clinical-data (fhirStores.import accepts bundles beyond the 50 MB limit of fhir.executeBundle)',
      checked: CHECKED,
    },
  },
  {
    id: 'medplum',
    name: 'Medplum',
    applies: matches(/Medplum/i),
    // Medplum documents a per-user FHIR interaction load (create/update 100 points each) and reports
    // it in the RateLimit header (https://www.medplum.com/docs/rate-limits); the per-user budget is
    // not stated as a default there, so the pace comes from the headers, not from a figure here.
  },
  {
    id: 'hapi',
    name: 'HAPI FHIR',
    applies: matches(/HAPI/i),
    // No default Bundle size or rate limit found in HAPI's documentation: configurable per server.
  },
];

/**
 * The documented limits of the server a CapabilityStatement describes.
 *
 * @param capabilities - from `readServerCapabilities`
 * @param catalog - the servers to look in (default {@link SERVER_LIMITS})
 * @returns the first matching entry, or undefined for a server PeerKit has no figures for
 * @example
 * serverLimitsFor({ transaction: true, batch: true, conditionalCreate: true, conditionalUpdate: true, software: 'AWS HealthLake' })?.maxEntries?.value; // 160
 */
export function serverLimitsFor(
  capabilities: ServerCapabilities | undefined,
  catalog: readonly ServerLimits[] = SERVER_LIMITS,
): ServerLimits | undefined {
  if (capabilities === undefined) return undefined;
  return catalog.find((limits) => limits.applies(capabilities));
}
