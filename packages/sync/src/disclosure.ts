/**
 * The disclosure gate of a sync: the target server is a recipient like any other. Each entry is
 * decided with `@peerkit/safeguards` against its patient's consents before it is queued; what the
 * consents do not permit is withheld and counted, never sent.
 *
 * A clinic's own server is usually internal use (no disclosure, no gate): the gate is for servers
 * of another organization (a health plan, a partner's EHR, an HIE).
 *
 * See: 45 CFR §164.506 (TPO), 42 CFR §2.31–2.33 (Part 2 consent and redisclosure);
 * reference/fhir-mapping.md §2.4
 */
import {
  decideResourceDisclosure,
  type DisclosureGateOptions,
  type DisclosureRecipient,
  type DisclosureRequest,
  type WithheldReason,
} from '@peerkit/safeguards';
import type { BundleEntry, Consent, Resource } from 'fhir/r4';
import { SYNC_ERROR_CODES, SyncError } from './errors';
import { entryKey } from './outbox';
import { collectReferences } from './internal/references';

/** Why the gate withheld an entry: the safeguards reason, or a dependency on a withheld entry. */
export type SyncWithheldReason = WithheldReason | 'depends-on-withheld';

/** Options of {@link createDisclosureGate}. */
export interface SyncDisclosureOptions extends Omit<DisclosureGateOptions, 'now'> {
  /** The patients' FHIR R4 Consents (e.g. every Consent of the clinic export; see `readSyncConsents`). */
  consents: readonly Consent[];
  /** The server as a recipient: who it is (`actor`) and why it receives the data (`purposeOfUse`). */
  recipient: DisclosureRecipient;
  /** The evaluation clock: when the disclosure happens. */
  now: string | Date;
}

/** A reference to a Patient: `Patient/<id>`, absolute or relative, with or without a version. */
const PATIENT_REFERENCE = /(?:^|\/)Patient\/[^/?#]+(?:\/_history\/[^/?#]+)?$/;

/** A patient a resource names: by reference, by identifier (a logical reference), or both. */
interface NamedPatient {
  reference?: string;
  identifier: { system?: string; value: string }[];
}

const identifierKey = (identifier: { system?: string | undefined; value?: string | undefined }): string =>
  `${identifier.system ?? ''}|${identifier.value ?? ''}`;

/**
 * Every patient a resource names: References to `Patient/<id>` and logical references
 * (`type: 'Patient'` with an `identifier`), wherever they are in the resource.
 */
function patientsOf(value: unknown, out: NamedPatient[] = []): NamedPatient[] {
  if (Array.isArray(value)) {
    for (const item of value) patientsOf(item, out);
  } else if (value !== null && typeof value === 'object') {
    const object = value as { reference?: unknown; type?: unknown; identifier?: unknown };
    const reference = typeof object.reference === 'string' && PATIENT_REFERENCE.test(object.reference) ? object.reference : undefined;
    const identifier = object.identifier as { system?: unknown; value?: unknown } | undefined;
    const logical =
      (reference !== undefined || object.type === 'Patient') &&
      identifier !== undefined &&
      typeof identifier === 'object' &&
      typeof identifier.value === 'string'
        ? [typeof identifier.system === 'string' ? { system: identifier.system, value: identifier.value } : { value: identifier.value }]
        : [];
    // A Reference typed Patient that identifies no one still names a patient: it is decided (and,
    // matching no consent, withheld) rather than waved through.
    if (reference !== undefined || object.type === 'Patient') {
      out.push(reference === undefined ? { identifier: logical } : { reference, identifier: logical });
      return out;
    }
    for (const item of Object.values(value)) patientsOf(item, out);
  }
  return out;
}

/**
 * Creates the disclosure gate to pass as `withhold` to {@link sync}. For each entry, in order:
 *
 * - a resource that names no patient (Organization, Practitioner, HealthcareService…) is not a
 *   patient's record and goes;
 * - a resource that names one or more patients (a `Patient/<id>` reference, or a logical reference:
 *   `type: 'Patient'` with an `identifier`), anywhere in it, goes only when, for every one of them, the
 *   safeguards decision is a clean PERMIT for this recipient and purpose (Part 2 data needs a
 *   consent naming the recipient, or a TPO consent covering the purpose);
 * - an entry that refers to a withheld entry is withheld too (`depends-on-withheld`): nothing is
 *   sent with a reference the server cannot resolve.
 *
 * Entries must be given in order, an entry before those that refer to it (as the mappers write them).
 *
 * @param options - consents, recipient, clock and decision options
 * @returns a function: the reason to withhold an entry, or `undefined` to send it
 * @throws SyncError `sync.invalid-option` when the recipient names no actor
 * @example
 * const withhold = createDisclosureGate({ consents, recipient, now: new Date() });
 * const summary = await sync({ transport, outbox, entries, withhold });
 * summary.withheldBy; // { 'part2-not-covered': 12, 'depends-on-withheld': 3 }
 */
export function createDisclosureGate(options: SyncDisclosureOptions): (entry: BundleEntry) => SyncWithheldReason | undefined {
  if (options.recipient.actor.length === 0) {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'the disclosure gate needs the recipient (actor) the server stands for');
  }
  // Consents by the patient they are about (by reference and by identifier); a consent that names
  // its patient neither way is tried for every patient (the decision matches patients itself).
  const byPatient = new Map<string, Consent[]>();
  const unindexed: Consent[] = [];
  for (const consent of options.consents) {
    const keys = [consent.patient?.reference, consent.patient?.identifier?.value === undefined ? undefined : identifierKey(consent.patient.identifier)];
    const present = keys.filter((k): k is string => k !== undefined);
    if (present.length === 0) unindexed.push(consent);
    for (const key of present) {
      const list = byPatient.get(key);
      if (list === undefined) byPatient.set(key, [consent]);
      else list.push(consent);
    }
  }
  const consentsOf = (patient: NamedPatient): Consent[] => {
    const found = new Set<Consent>(unindexed);
    for (const key of [patient.reference, ...patient.identifier.map(identifierKey)]) {
      if (key !== undefined) for (const consent of byPatient.get(key) ?? []) found.add(consent);
    }
    return [...found];
  };
  const { consents: _all, recipient, now, ...decideOptions } = options;
  const gateOptions: DisclosureGateOptions = { ...decideOptions, now };
  const withheld = new Set<string>();

  return (entry) => {
    const resource = entry.resource as Resource | undefined;
    if (resource === undefined) return undefined;
    const references = collectReferences(resource);
    const depends = references.some((reference) => withheld.has(reference));
    let reason: SyncWithheldReason | undefined = depends ? 'depends-on-withheld' : undefined;
    if (reason === undefined) {
      for (const patient of patientsOf(resource)) {
        const request: DisclosureRequest = { ...recipient, patient };
        reason = decideResourceDisclosure(resource, consentsOf(patient), request, gateOptions).withheld;
        if (reason !== undefined) break;
      }
    }
    if (reason !== undefined) {
      if (entry.fullUrl !== undefined) withheld.add(entry.fullUrl);
      const key = entryKey(entry);
      if (key !== undefined) withheld.add(key);
    }
    return reason;
  };
}
