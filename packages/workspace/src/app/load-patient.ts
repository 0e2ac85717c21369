/**
 * Reading the patient in context from the FHIR server with the launch's token: the Patient, the
 * patient's compartment searches (enrollments, coverage, plan and goals, encounters and their service
 * and notes, consents), the signed-in specialist and, where the token allows it, the organization.
 * PeerKit's own readers (`readHostFhir`) turn the resources into records.
 */
import {
  consentResourceId,
  encounterResourceId,
  practitionerResourceId,
  readHostFhir,
  type HostRecord,
  type HostRecordKind,
  type HostRecordValues,
} from '@peerkit/fhir';
import type { Consent, Organization, Peer, PeerEncounter, RecoveryPlan, Specialist } from '@peerkit/model';
import type { Coding } from 'fhir/r4';

/** What the workspace asks the FHIR server: a GET of a relative URL that resolves to resources. */
export interface FhirReader {
  /** A read (`Type/id`) returns one resource; a search returns every resource of every page. */
  read(url: string): Promise<FhirResourceJson>;
  search(url: string): Promise<FhirResourceJson[]>;
}

/** A FHIR resource as JSON. */
export type FhirResourceJson = Readonly<Record<string, unknown>> & { readonly resourceType: string; readonly id?: string };

/** The patient's record as the workspace shows and extends it. */
export interface PatientRecord {
  /** The FHIR id of the patient in context. */
  readonly patientId: string;
  /** The patient's name as the EHR has it, for the header. */
  readonly patientName: string | undefined;
  /** The peer record (enrollments, coverage), when PeerKit has written one for this patient. */
  readonly peer: Peer | undefined;
  readonly plans: readonly RecoveryPlan[];
  /** One-on-one encounters, newest first. */
  readonly encounters: readonly PeerEncounter[];
  readonly consents: readonly Consent[];
  /** The signed-in specialist's record, when the server let the app read it. */
  readonly specialist: Specialist | undefined;
  /** The specialist's record id (from `fhirUser`), the author of a new encounter. */
  readonly specialistId: string | undefined;
  readonly organization: Organization | undefined;
  /** The base of PeerKit's business identifiers on this server (e.g. `https://example.org/peerkit`). */
  readonly identifierSystem: string | undefined;
  /** The security labels (`meta.security`) of the resources, by `Type/id`. */
  readonly labels: ReadonlyMap<string, readonly Coding[]>;
  /** What the token did not let the app read (`Organization`, `PractitionerRole`…): shown, not fatal. */
  readonly unavailable: readonly string[];
}

/** The patient compartment searches the workspace runs (the embedded server needs `Patient/<id>` in reference searches). */
export const PATIENT_SEARCHES: readonly ((patient: string) => string)[] = [
  (p) => `EpisodeOfCare?patient=${p}&_count=200`,
  (p) => `Coverage?beneficiary=${p}&_count=200`,
  (p) => `CarePlan?subject=${p}&_count=200`,
  (p) => `Goal?subject=${p}&_count=200`,
  (p) => `Encounter?subject=${p}&_count=200`,
  (p) => `Procedure?subject=${p}&_count=200`,
  (p) => `DocumentReference?subject=${p}&_count=200`,
  (p) => `Consent?patient=${p}&_count=200`,
];

const RELATIVE = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * Reads the patient's record.
 *
 * @param reader - the FHIR server, through the SMART client
 * @param patientId - the patient in context
 * @param fhirUser - the user's `fhirUser` (`Practitioner/<id>`), when the launch gave one
 * @returns the record; a search the token refuses leaves its part empty and is named in `unavailable`
 */
export async function loadPatientRecord(reader: FhirReader, patientId: string, fhirUser: string | undefined): Promise<PatientRecord> {
  const patientRef = `Patient/${patientId}`;
  const unavailable: string[] = [];
  const attempt = async <T>(what: string, run: () => Promise<T>, empty: T): Promise<T> => {
    try {
      return await run();
    } catch {
      unavailable.push(what);
      return empty;
    }
  };
  const patient = await reader.read(patientRef);
  const compartment = (await Promise.all(PATIENT_SEARCHES.map((search) => attempt(search(patientRef).split('?')[0] ?? '', () => reader.search(search(patientRef)), [])))).flat();

  const user = fhirUser === undefined ? undefined : RELATIVE.exec(fhirUser.replace(/^.*\/(?=[A-Za-z]+\/[^/]+$)/, ''));
  const staff: FhirResourceJson[] = [];
  if (user?.[1] === 'Practitioner') {
    const practitioner = await attempt('Practitioner', () => reader.read(`Practitioner/${user[2]}`), undefined);
    if (practitioner) staff.push(practitioner);
    staff.push(...(await attempt('PractitionerRole', () => reader.search(`PractitionerRole?practitioner=Practitioner/${user[2]}`), [])));
  }
  const organizationId = organizationOf(compartment);
  if (organizationId !== undefined) {
    const organization = await attempt('Organization', () => reader.read(`Organization/${organizationId}`), undefined);
    if (organization) staff.push(organization);
    staff.push(...(await attempt('HealthcareService', () => reader.search(`HealthcareService?organization=Organization/${organizationId}`), [])));
  }

  const resources = [patient, ...compartment, ...staff];
  const { records } = readHostFhir(resources);
  const of = <K extends HostRecordKind>(kind: K): HostRecordValues[K][] => recordsOf(records, kind);
  const peers = of('peer');
  const specialist = of('specialist')[0];
  const labels = new Map<string, Coding[]>();
  for (const resource of resources) {
    const security = (resource['meta'] as { security?: Coding[] } | undefined)?.security;
    if (resource.id !== undefined && security !== undefined) labels.set(`${resource.resourceType}/${resource.id}`, security);
  }
  return {
    patientId,
    patientName: nameOf(patient),
    peer: peers.find((p) => p.patient.reference === patientRef) ?? peers[0],
    plans: of('recovery-plan'),
    encounters: of('encounter').sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0)),
    consents: of('consent'),
    specialist,
    specialistId: specialist?.id ?? specialistIdOf(staff, user?.[2]),
    organization: of('organization')[0],
    identifierSystem: identifierSystemOf(resources),
    labels,
    unavailable,
  };
}

function recordsOf<K extends HostRecordKind>(records: readonly HostRecord[], kind: K): HostRecordValues[K][] {
  return records.filter((r) => r.kind === kind).map((r) => r.record as HostRecordValues[K]);
}

/** The `Type/id` key of a consent's or an encounter's resource, for {@link PatientRecord.labels}. */
export const labelKey = {
  consent: (consent: Consent): string => `Consent/${consentResourceId(consent.id)}`,
  encounter: (encounter: PeerEncounter): string => `Encounter/${encounterResourceId(encounter.id)}`,
};

function nameOf(patient: FhirResourceJson): string | undefined {
  const names = patient['name'] as { text?: string; given?: string[]; family?: string }[] | undefined;
  const name = names?.[0];
  if (!name) return undefined;
  return name.text ?? [...(name.given ?? []), name.family].filter((part) => part !== undefined && part !== '').join(' ');
}

/** The organization that manages the enrollments or provides the encounters. */
function organizationOf(resources: readonly FhirResourceJson[]): string | undefined {
  for (const resource of resources) {
    const reference = (resource['managingOrganization'] ?? resource['serviceProvider']) as { reference?: string } | undefined;
    const match = reference?.reference === undefined ? null : RELATIVE.exec(reference.reference);
    if (match?.[1] === 'Organization') return match[2];
  }
  return undefined;
}

/**
 * The specialist id PeerKit wrote on the Practitioner (`<identifierSystem>/specialist`); when the
 * Practitioner could not be read, the id PeerKit's Practitioner id was made from (`pr-<id>`), else
 * the FHIR id (a host's own Practitioner).
 */
function specialistIdOf(staff: readonly FhirResourceJson[], practitionerId: string | undefined): string | undefined {
  const practitioner = staff.find((r) => r.resourceType === 'Practitioner');
  const identifiers = (practitioner?.['identifier'] as { system?: string; value?: string }[] | undefined) ?? [];
  const written = identifiers.find((i) => i.system?.endsWith('/specialist'))?.value;
  if (written !== undefined || practitionerId === undefined) return written;
  const own = practitionerId.replace(/^pr-/, '');
  return own !== practitionerId && practitionerResourceId(own) === practitionerId ? own : practitionerId;
}

/** The base of PeerKit's business identifiers, read from an identifier PeerKit wrote (`<base>/peer`, `<base>/encounter`…). */
function identifierSystemOf(resources: readonly FhirResourceJson[]): string | undefined {
  for (const resource of resources) {
    const identifiers = (resource['identifier'] as { system?: string }[] | undefined) ?? [];
    for (const { system } of identifiers) {
      const match = system === undefined ? null : /^(.+)\/(peer|encounter|consent|recovery-plan|enrollment)$/.exec(system);
      if (match?.[1] !== undefined) return match[1];
    }
  }
  return undefined;
}
