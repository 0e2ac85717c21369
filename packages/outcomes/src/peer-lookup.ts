/**
 * Which peer a QuestionnaireResponse (or its score) is about: the host EHR owns the Patient, so a
 * response's `subject` names it by reference or by identifier, and a peer record carries both.
 */
import type { ClinicRecord } from '@peerkit/model';
import type { Reference } from 'fhir/r4';

/** Finds the peer a response's `subject` names; `undefined` when no peer of the export matches. */
export type PeerLookup = (subject: Reference | undefined) => string | undefined;

/**
 * Builds a lookup from a response's `subject` to the id of the peer record whose host Patient it
 * names: by `reference` when the subject has one, else by `identifier` (system and value).
 *
 * @param records - the clinic export's records (only `peer` records are read)
 * @returns the lookup; it names no patient data, it only returns peer ids
 * @example
 * const peerOf = createPeerLookup(clinic.records);
 * peerOf({ reference: 'Patient/p-17' }); // 'peer-17'
 */
export function createPeerLookup(records: readonly ClinicRecord[]): PeerLookup {
  const keys = new Map<string, string>();
  for (const record of records) {
    if (record.kind !== 'peer') continue;
    const { reference, identifier } = record.patient;
    if (reference !== undefined) keys.set(`ref:${reference}`, record.id);
    if (identifier !== undefined) keys.set(`id:${identifier.system}|${identifier.value}`, record.id);
  }
  return (subject) => {
    if (subject === undefined) return undefined;
    if (subject.reference !== undefined) return keys.get(`ref:${subject.reference}`);
    return subject.identifier ? keys.get(`id:${subject.identifier.system ?? ''}|${subject.identifier.value ?? ''}`) : undefined;
  };
}
