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
import { FingerprintTable } from './internal/compact-index';
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

/** Elements whose Reference is the patient the resource is about (where an untyped logical reference is one). */
const PATIENT_ELEMENTS: ReadonlySet<string> = new Set(['subject', 'patient', 'beneficiary', 'for']);

type LooseIdentifier = { system?: unknown; value?: unknown };

function identifiersOf(value: unknown): { system?: string; value: string }[] {
  const list = (Array.isArray(value) ? value : value === undefined ? [] : [value]) as LooseIdentifier[];
  return list.flatMap((i) =>
    i !== null && typeof i === 'object' && typeof i.value === 'string' ? [typeof i.system === 'string' ? { system: i.system, value: i.value } : { value: i.value }] : [],
  );
}

/** The identifiers of a conditional reference `Patient?identifier=system|value,…` (none: it identifies no one here). */
function conditionalIdentifiers(reference: string): { system?: string; value: string }[] {
  const params = new URLSearchParams(reference.slice(reference.indexOf('?') + 1));
  return params.getAll('identifier').flatMap((token) =>
    token.split(',').flatMap((one) => {
      const bar = one.indexOf('|');
      if (bar < 0) return one === '' ? [] : [{ value: one }];
      const value = one.slice(bar + 1);
      return value === '' ? [] : [bar === 0 ? { value } : { system: one.slice(0, bar), value }];
    }),
  );
}

/**
 * Every patient a resource names, wherever in it: a Patient resource names itself; a Reference
 * names a patient when it is `Patient/<id>`, a conditional `Patient?…`, the `urn:uuid` of a Patient
 * entry of this sync (`patientEntries`), typed `Patient`, or an untyped logical reference (only an
 * `identifier`) in `subject`, `patient`, `beneficiary` or `for`. A patient named with nothing that
 * identifies them is still named: deciding them finds no consent and withholds.
 */
function patientsOf(resource: Resource, patientEntries: ReadonlyMap<string, NamedPatient>): NamedPatient[] {
  const out: NamedPatient[] = [];
  if (resource.resourceType === 'Patient') out.push({ identifier: identifiersOf((resource as { identifier?: unknown }).identifier) });
  const walk = (value: unknown, element: string | undefined): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, element);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const object = value as { reference?: unknown; type?: unknown; identifier?: unknown; resourceType?: unknown };
    const reference = typeof object.reference === 'string' ? object.reference : undefined;
    const logical = identifiersOf(object.identifier);
    if (object.resourceType === 'Patient') {
      // A contained Patient.
      out.push({ identifier: logical });
      return;
    }
    if (reference !== undefined && PATIENT_REFERENCE.test(reference)) {
      out.push({ reference, identifier: logical });
      return;
    }
    if (reference !== undefined && reference.startsWith('Patient?')) {
      out.push({ identifier: [...conditionalIdentifiers(reference), ...logical] });
      return;
    }
    const entry = reference === undefined ? undefined : patientEntries.get(reference);
    if (entry !== undefined) {
      out.push(entry);
      return;
    }
    const untypedLogical = reference === undefined && object.type === undefined && object.identifier !== undefined && element !== undefined && PATIENT_ELEMENTS.has(element);
    if (object.type === 'Patient' || untypedLogical) {
      out.push({ identifier: logical });
      return;
    }
    for (const [key, item] of Object.entries(value)) walk(item, key);
  };
  for (const [key, item] of Object.entries(resource)) if (key !== 'identifier' || resource.resourceType !== 'Patient') walk(item, key);
  return out;
}

/**
 * Creates the disclosure gate to pass as `withhold` to {@link sync}. For each entry, in order:
 *
 * - a resource that names no patient (Organization, Practitioner, HealthcareService…) is not a
 *   patient's record and goes;
 * - a resource that names one or more patients anywhere in it — a Patient resource itself, a
 *   `Patient/<id>` or `Patient?identifier=…` reference, a reference to a Patient entry of this sync,
 *   a logical reference typed `Patient`, or an untyped logical reference in `subject`, `patient`,
 *   `beneficiary` or `for` — goes only when, for every one of them, the
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
  // Keys and fullUrls of withheld entries, as compact fingerprints: a gate that withholds most of a
  // large export stays small.
  const withheld = new FingerprintTable();
  /** Patient entries of this sync that went, by fullUrl and key: references to them name that patient. */
  const patientEntries = new Map<string, NamedPatient>();

  return (entry) => {
    const resource = entry.resource as Resource | undefined;
    if (resource === undefined) return undefined;
    const references = collectReferences(resource);
    const depends = references.some((reference) => withheld.get(reference) !== undefined);
    let reason: SyncWithheldReason | undefined = depends ? 'depends-on-withheld' : undefined;
    const patients = patientsOf(resource, patientEntries);
    if (reason === undefined) {
      for (const patient of patients) {
        const request: DisclosureRequest = { ...recipient, patient };
        reason = decideResourceDisclosure(resource, consentsOf(patient), request, gateOptions).withheld;
        if (reason !== undefined) break;
      }
    }
    const key = entryKey(entry);
    if (reason !== undefined) {
      if (entry.fullUrl !== undefined) withheld.set(entry.fullUrl, 1);
      if (key !== undefined) withheld.set(key, 1);
    } else if (resource.resourceType === 'Patient' && patients[0] !== undefined) {
      if (entry.fullUrl !== undefined) patientEntries.set(entry.fullUrl, patients[0]);
      if (key !== undefined) patientEntries.set(key, patients[0]);
    }
    return reason;
  };
}
