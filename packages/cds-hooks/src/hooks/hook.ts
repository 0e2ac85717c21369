/**
 * What every hook of the service is: its discovery entry, the context it requires, and a pure
 * function from the request and its resolved prefetch to the cards.
 */
import type { PayerPack } from '@peerkit/billing';
import type { FhirJson } from '../internal/resources';
import type { CdsRequest, CdsResponse, CdsServiceDefinition } from '../types';

/** What a hook's answer is computed from. */
export interface HookInput {
  readonly request: CdsRequest;
  /** The resources of each prefetch key (prefetched or fetched). */
  readonly data: Readonly<Record<string, readonly FhirJson[]>>;
  /** Prefetch keys whose data could not be had. */
  readonly missing: readonly string[];
  /** The service's clock reading for this request. */
  readonly now: Date;
  /** A new UUID (cards, suggestions). */
  readonly newId: () => string;
  /** The payer packs order-sign checks eligibility against. */
  readonly payerPacks: readonly PayerPack[];
}

/** One hook the service answers. */
export interface CdsHook {
  /** Its discovery entry (`id` is the path segment under `/cds-services/`). */
  readonly definition: CdsServiceDefinition;
  /** String context fields it requires. */
  readonly contextFields: readonly string[];
  /** Object context fields it requires. */
  readonly contextObjects: readonly string[];
  /** The cards for one request. */
  answer(input: HookInput): CdsResponse;
}

/** The patient of a request as a `Patient/<id>` reference. */
export const patientOf = (request: CdsRequest): string => `Patient/${String(request.context.patientId)}`;

/** `YYYY-MM-DD` of an instant (UTC). */
export const dateOf = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * The prefetch templates the hooks use, one definition per key (reference searches name the patient
 * as `Patient/<id>`, which every server accepts).
 * See: https://cds-hooks.hl7.org/2.0/#prefetch-template
 */
const PREFETCH_TEMPLATES = {
  patient: 'Patient/{{context.patientId}}',
  encounter: 'Encounter/{{context.encounterId}}',
  conditions: 'Condition?patient=Patient/{{context.patientId}}',
  encounters: 'Encounter?patient=Patient/{{context.patientId}}',
  carePlans: 'CarePlan?patient=Patient/{{context.patientId}}',
  consents: 'Consent?patient=Patient/{{context.patientId}}',
  serviceRequests: 'ServiceRequest?patient=Patient/{{context.patientId}}',
  coverage: 'Coverage?patient=Patient/{{context.patientId}}',
} as const;

/** The templates of the given keys, for a hook's discovery entry. */
export function prefetchTemplates(...keys: readonly (keyof typeof PREFETCH_TEMPLATES)[]): Readonly<Record<string, string>> {
  return Object.fromEntries(keys.map((key) => [key, PREFETCH_TEMPLATES[key]]));
}
