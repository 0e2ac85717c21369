/**
 * The finding codes of the host readers (prefix `host.`): what `readHostFhir` says about every input
 * position that does not become a record, and about records it had to complete. Messages name the
 * resource type and the element, never a value: no names, identifier values or free text from the input.
 */
import type { Finding, IssuePath, IssueSeverity } from '@peerkit/model';

/**
 * Every `host.*` finding code with its severity and meaning. A host may switch on the codes; they are
 * stable. `docs/reading-host-fhir.md` lists the same table (a test keeps them in step).
 *
 * @example
 * HOST_FINDING_CODES['host.not-peer-support'].severity; // 'information'
 */
export const HOST_FINDING_CODES = {
  'host.type-not-used': {
    severity: 'information',
    meaning: 'A valid R4 resource of a type PeerKit does not read (Observation, OperationOutcome…).',
  },
  'host.not-peer-support': {
    severity: 'information',
    meaning:
      'A resource of a type PeerKit reads that is not peer support under the import profile (an encounter or practitioner role without a configured code, a ServiceRequest that is not a referral, a consent that is not a privacy consent, a note of a non-peer encounter).',
  },
  'host.status-not-read': {
    severity: 'information',
    meaning: 'The resource is `entered-in-error`, or an Encounter that is neither finished nor cancelled: PeerKit records held or cancelled contacts only.',
  },
  'host.required-missing': {
    severity: 'error',
    meaning: 'An element R4 or the PeerKit record requires is missing or unreadable. The resource is skipped; the rest is read.',
  },
  'host.not-an-object': {
    severity: 'error',
    meaning: 'A line, file, Bundle entry or `entry.resource` is JSON but not an object.',
  },
  'host.invalid-json': {
    severity: 'error',
    meaning: 'A line or file is not JSON at all.',
  },
  'host.unknown-resource-type': {
    severity: 'error',
    meaning: '`resourceType` is missing or is not an R4 resource type.',
  },
  'host.unknown-modifier-extension': {
    severity: 'error',
    meaning: 'The resource carries a `modifierExtension`: it may change the meaning of what PeerKit would read, so the resource is skipped (R4 §2.5.0.1).',
  },
  'host.entry-without-resource': {
    severity: 'warning',
    meaning: 'A Bundle entry has no resource. Information for a transaction or batch `DELETE` entry, which has none by design.',
  },
  'host.reference-unresolved': {
    severity: 'information',
    meaning: 'A reference names nothing in the input. It is kept as the host wrote it on the record source; the record uses the id it names.',
  },
  'host.attachment-unreadable': {
    severity: 'warning',
    meaning: 'No note text can be taken from a DocumentReference: the attachment has only a url, is not text/plain, is not base64 UTF-8, is blank or is over 20,000 characters.',
  },
  'host.element-skipped': {
    severity: 'warning',
    meaning: 'An element PeerKit reads is malformed or incomplete (a partial date, a certification without a number…); it is left out of the record, kept on the source, and the rest is read.',
  },
  'host.defaulted': {
    severity: 'information',
    meaning:
      'Fields a PeerKit record requires have no source in the resources; they were set from the import profile defaults (or the import date). One finding per resource type, record kind and field list, with the count; each record lists its own in `defaulted`.',
  },
  'host.record-incomplete': {
    severity: 'warning',
    meaning:
      "Records break PeerKit rules the host's data does not satisfy (e.g. a completed encounter without activities or a note). They are kept with `valid: false` and the model's issues, never completed with invented data. One finding per resource type, record kind and rule list, with the count.",
  },
  'host.record-invalid': {
    severity: 'error',
    meaning: "The record built from the resource does not pass PeerKit's schema; it is left out and the resource stays unread.",
  },
  'host.nothing-read': {
    severity: 'warning',
    meaning: 'The input produced no record at all; the other findings say why.',
  },
  'host.patient-not-found': {
    severity: 'error',
    meaning: 'Reading from a server: no Patient has the id or identifier asked for (the server answered 404 or 410, or the search matched none). Nothing else is read.',
  },
  'host.patient-ambiguous': {
    severity: 'error',
    meaning: 'Reading from a server: more than one Patient has the identifier asked for. Nothing is read; ask by id, or by an identifier only one patient holds.',
  },
  'host.search-failed': {
    severity: 'warning',
    meaning:
      "Reading from a server: the server refused a search of the patient's record (an HTTP status such as 400 or 403, or a `next` link to another server). The resources it would have returned are missing; the other searches are still read.",
  },
} as const satisfies Readonly<Record<`host.${string}`, { severity: IssueSeverity; meaning: string }>>;

/** One of {@link HOST_FINDING_CODES}. */
export type HostFindingCode = keyof typeof HOST_FINDING_CODES;

/** Where an input item is: its path prefix (file name, `entry` index, array index) and NDJSON line. */
export interface HostPosition {
  /** Path of the item in the input, e.g. `['entry', 3]`, `[2]` or `['Encounter.ndjson']`. */
  readonly path: IssuePath;
  /** 1-based NDJSON line, when the item is a line. */
  readonly line?: number | undefined;
}

/** Builds a `host.*` finding at an element of a positioned item (internal). */
export function hostFinding(
  code: HostFindingCode,
  position: HostPosition,
  element: IssuePath,
  message: string,
  severity: IssueSeverity = HOST_FINDING_CODES[code].severity,
): Finding {
  const path = position.path.length === 0 ? element : element.length === 0 ? position.path : [...position.path, ...element];
  return position.line === undefined ? { severity, code, path, message } : { severity, code, path, message, line: position.line };
}
