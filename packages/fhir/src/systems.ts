/**
 * Code system and identifier system URIs PeerKit uses, and the codes more than one concept uses, each
 * with the source where it was verified.
 * Sources are the short ids of `reference/fhir-mapping.md` (THO = HL7 Terminology, USC = US Core 9.0.0,
 * SDOH = Gravity SDOH Clinical Care 3.0.0, DS4P = FHIR DS4P IG 1.0.0, BHP = US Behavioral Health
 * Profiles draft).
 */

/** Well-known external systems. */
export const SYSTEMS = {
  /** v3 ActCode: encounter class (AMB, VR, HH, FLD), sensitivity (SUD, ETH), policy (42CFRPart2), handling (NORDSCLCD), IDSCL. Source: THO. */
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  /** v3 Confidentiality (N, R, V). Source: THO; DS4P. */
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  /** v3 ActReason: purpose of use (TREAT, HPAYMT, HOPERAT, COC, PATRQT, HRESCH, ETREAT, BTG). Source: THO. */
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  /** v3 ParticipationType (IRCP, INF, AUT, CST, PRF). Source: THO. */
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  /** Consent scope (patient-privacy). Source: THO consentscope 2.0.1. */
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  /** Consent action (collect, access, use, disclose, correct). Source: THO. */
  consentAction: 'http://terminology.hl7.org/CodeSystem/consentaction',
  /** Consent policy codes (hipaa-auth…); there is no 42 CFR Part 2 code in it (THO consentpolicycodes 3.0.1). */
  consentPolicy: 'http://terminology.hl7.org/CodeSystem/consentpolicycodes',
  /** LOINC (59284-0 Patient Consent, 11506-3 Progress note, 34904-3 Mental health Progress note). Source: R4; USC; BHP. */
  loinc: 'http://loinc.org',
  /** SNOMED CT (461481000124109 Referral to peer support; 410606002 Social service procedure). Source: BHP. */
  snomed: 'http://snomed.info/sct',
  /** NUCC provider taxonomy (175T00000X Peer Specialist). Source: THO NamingSystem + tx-cache. */
  nucc: 'http://nucc.org/provider-taxonomy',
  /** HCPCS Level II (H0038, G0140, G0146). THO's preferred URI (http). Source: THO; billing.md §0.5. */
  hcpcs: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  /** The https variant some IGs (CARIN BB, US Core 6–7) use; accepted on input. Source: billing.md §0.5. */
  hcpcsHttps: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  /** CMS Place of Service codes. Source: THO. */
  placeOfService: 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set',
  /** US Core CarePlan category (assess-plan: the slice US Core 5.0.1 requires). Source: USC. */
  usCoreCarePlanCategory: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category',
  /** US Core DocumentReference category (clinical-note). Source: USC. */
  usCoreDocumentCategory: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
  /** Gravity SDOH temporary codes (social-connection, resulting-activity…). Source: SDOH. */
  sdohTemporary: 'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes',
  /** Task codes (fulfill). Source: SDOH. */
  taskCode: 'http://hl7.org/fhir/CodeSystem/task-code',
  /** Provenance participant type (author, transmitter). Source: USC; THO. */
  provenanceParticipantType: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  /** v3 DataOperation (CREATE, UPDATE). Source: THO. */
  dataOperation: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
  /** Goal achievement (in-progress, achieved…). Source: R4 core. */
  goalAchievement: 'http://terminology.hl7.org/CodeSystem/goal-achievement',
  /** US NPI identifiers. */
  npi: 'http://hl7.org/fhir/sid/us-npi',
  /** Resource types, as used in Consent provision.class. Source: LEAP; R4. */
  resourceTypes: 'http://hl7.org/fhir/resource-types',
  /** DS4P security-label basis extension. Source: DS4P. */
  securityLabelBasisExtension: 'http://hl7.org/fhir/uv/security-label-ds4p/StructureDefinition/extension-sec-label-basis',
} as const;

/** Default canonical base of PeerKit's profiles, CodeSystems and ValueSets. */
export const PEERKIT_CANONICAL = 'https://peerkit.dev/fhir';

/** SNOMED CT 410606002 Social service procedure (an encounter's service, a referral's category). Source: BHP example; R4 procedure-category; SDOHCC ServiceRequest (fhir-mapping.md §2.2, §2.5). */
export const SOCIAL_SERVICE_PROCEDURE = { system: SYSTEMS.snomed, code: '410606002', display: 'Social service procedure' } as const;
