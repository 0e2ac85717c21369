/**
 * Patient → the peer's identity: the host's reference (`Patient/<id>`), its MRN (by identifier type
 * `MR` or the profile's MRN systems), birth date (age rules) and preferred language. The host keeps
 * owning the Patient: names, addresses and contact details stay in its record (and on the source).
 *
 * See: https://hl7.org/fhir/R4/patient.html; US Core Patient (identifier type MR, v2-0203).
 */
import { fitId } from './internal/context';
import { dateOf, identifiersOf, languagesOf, type HostTypeReader } from './internal/fields';
import { objs, str, type Json } from './internal/json';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Elements of a Patient the peer record carries. */
export const PATIENT_MAPPED = ['identifier', 'birthDate', 'communication', 'meta.lastUpdated'] as const;

/**
 * Reads a Patient into a `peer` record. R4 has no enrollment in a peer program: `readHostFhir` adds one
 * in the profile's default program once the whole input is read (its start: the peer's earliest dated
 * service in the input, else `asOf`, else `meta.lastUpdated`).
 */
export const patientReader: HostTypeReader = {
  type: 'Patient',
  read(entry, cx) {
    const patient = entry.resource;
    const id = str(patient.id);
    const reference = id !== undefined && ID.test(id) ? `Patient/${id}` : undefined;
    const identifiers = objs(patient.identifier);
    const mrn = identifiers.find((i) => cx.match.isMrn(i) && str(i.value) !== undefined) ?? identifiers.find((i) => str(i.value) !== undefined);
    const identifier = mrn === undefined ? undefined : identifiersOf([mrn])[0];
    if (reference === undefined && identifier === undefined) {
      cx.report('host.required-missing', entry, ['identifier'], 'Patient: neither an id nor an identifier: PeerKit cannot reference the host\'s Patient');
      return;
    }
    const birthDate = dateOf(patient.birthDate);
    if (patient.birthDate !== undefined && birthDate === undefined) {
      cx.report('host.element-skipped', entry, ['birthDate'], 'Patient.birthDate is not a full date (YYYY-MM-DD); age rules will not see it');
    }
    const language = languagesOf(patient.communication)[0];
    const ref: Json = {};
    if (reference !== undefined) ref.reference = reference;
    if (identifier !== undefined) ref.identifier = identifier;
    const record: Json = { kind: 'peer', id: fitId(cx.recordId(entry)), patient: ref };
    // Optional fields in their place in the model's key order (a spread builds an object for each).
    if (birthDate !== undefined) record.birthDate = birthDate;
    record.enrollments = [];
    record.coverage = [];
    if (language !== undefined) record.preferredLanguage = language;
    cx.emit('peer', entry, record, { mapped: PATIENT_MAPPED });
  },
};
