/**
 * The logical id of every resource PeerKit emits, in one place: each concept's mapping (both
 * directions) and other packages (billing, sync) reference resources by these ids, so no concept
 * imports another for an id. Each id is `<prefix>-<record id>[.<record id>…]`; the prefixes are
 * distinct, so two records never share a resource id.
 *
 * See: https://hl7.org/fhir/R4/datatypes.html#id (ids are at most 64 characters; longer ones are hashed)
 */
import { resourceId } from './internal/ids';

/** Logical id of an organization's `Organization` resource. */
export const organizationResourceId = (organizationId: string): string => resourceId('org', organizationId);

/** Logical id of a program's `HealthcareService`. */
export const programResourceId = (organizationId: string, programId: string): string =>
  resourceId('hs', organizationId, programId);

/** Logical id of a specialist's `Practitioner`. */
export const practitionerResourceId = (specialistId: string): string => resourceId('pr', specialistId);

/** Logical id of a specialist's `PractitionerRole`. */
export const practitionerRoleResourceId = (specialistId: string): string => resourceId('prr', specialistId);

/** Logical id of a peer's program enrollment `EpisodeOfCare`. */
export const enrollmentResourceId = (peerId: string, programId: string, start: string): string =>
  resourceId('eoc', peerId, programId, start);

/** Logical id of a peer's `Coverage`. */
export const coverageResourceId = (peerId: string, payerId: string, start: string): string =>
  resourceId('cov', peerId, payerId, start);

/** Logical id of a plan's `CarePlan`. */
export const carePlanResourceId = (planId: string): string => resourceId('cp', planId);

/** Logical id of a plan goal's `Goal`. */
export const goalResourceId = (planId: string, goalId: string): string => resourceId('rg', planId, goalId);

/** Logical id of a plan signature's `Provenance` (the signature's position in the plan). */
export const signatureResourceId = (planId: string, index: number): string => resourceId('sig', planId, String(index));

/** Logical id of a one-on-one encounter's `Encounter`. */
export const encounterResourceId = (encounterId: string): string => resourceId('pe', encounterId);

/** Logical id of a one-on-one encounter's service `Procedure`. */
export const serviceResourceId = (encounterId: string): string => resourceId('ps', encounterId);

/** Logical id of a one-on-one encounter's progress note `DocumentReference`. */
export const noteResourceId = (encounterId: string): string => resourceId('pn', encounterId);

/** Logical id of a session's `Group`. */
export const groupResourceId = (sessionId: string): string => resourceId('grp', sessionId);

/** Logical id of a session's `Encounter`. */
export const sessionEncounterResourceId = (sessionId: string): string => resourceId('gs', sessionId);

/** Logical id of a session's group note `DocumentReference`. */
export const groupNoteResourceId = (sessionId: string): string => resourceId('gn', sessionId);

/** Logical id of an attendee's `Encounter`. */
export const attendeeEncounterResourceId = (sessionId: string, peerId: string): string => resourceId('ga', sessionId, peerId);

/** Logical id of an attendee's note `DocumentReference`. */
export const attendeeNoteResourceId = (sessionId: string, peerId: string): string => resourceId('an', sessionId, peerId);

/** Logical id of a consent's `Consent`. */
export const consentResourceId = (consentId: string): string => resourceId('cons', consentId);

/** Logical id of a referral's `ServiceRequest`. */
export const referralResourceId = (referralId: string): string => resourceId('sr', referralId);

/** Logical id of a referral's `Task`. */
export const referralTaskResourceId = (referralId: string): string => resourceId('tk', referralId);

/** Logical id of a service consent's `Consent`. */
export const serviceConsentResourceId = (serviceConsentId: string): string => resourceId('scons', serviceConsentId);
