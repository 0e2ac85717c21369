/**
 * The import profile: a small, validated configuration in which a host EHR says which of its codes
 * mean peer support, which identifier systems are its MRN and NPI, and what PeerKit fills in where a
 * record needs a field the host does not record. `US_CORE_IMPORT_PROFILE` holds the US Core defaults;
 * a host profile adds its own codes to them.
 *
 * Sources of the default codes: `reference/billing.md` §1–2 and §0.5 (HCPCS H0038, G0140, G0146 and
 * both HCPCS system URIs), `reference/fhir-mapping.md` §3 (NUCC 175T00000X; SNOMED 461481000124109;
 * v2-0203 MR), §2.1 and §2.5 (Gravity SDOH categories).
 */
import {
  codesOf,
  CONSENT_KINDS,
  CREDENTIAL_TYPES,
  fail,
  fromZodIssues,
  GROUP_TOPICS,
  idSchema,
  MODALITIES,
  ok,
  PROGRAM_TYPES,
  RECOVERY_DOMAINS,
  REFERRAL_CATEGORIES,
  REFERRAL_TARGET_TYPES,
  ROLE_LEVELS,
  SETTINGS,
  SIGNATURE_METHODS,
  shortTextSchema,
  stateSchema,
  type Result,
} from '@peerkit/model';
import { z } from 'zod';
import { SYSTEMS } from '../systems';

const uriSchema = z.string().min(1).max(500);

/** Codes of one code system, with where they come from. */
export const codeSetSchema = z.strictObject({
  /** Code system URI, e.g. `http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets`. */
  system: uriSchema,
  codes: z.array(z.string().min(1).max(100)).min(1).max(1000),
  /** Where the codes were verified (a citation), or the host's own note. */
  source: z.string().max(500).optional(),
});
/** Codes of one code system. */
export type CodeSet = z.output<typeof codeSetSchema>;

/** Referral codes (or categories) with the PeerKit referral target they stand for. */
export const referralCodeSetSchema = codeSetSchema.extend({
  target: z.strictObject({
    type: z.enum(codesOf(REFERRAL_TARGET_TYPES)),
    category: z.enum(codesOf(REFERRAL_CATEGORIES)),
  }),
});
/** Referral codes with their target. */
export type ReferralCodeSet = z.output<typeof referralCodeSetSchema>;

/** A host credential code (in `Practitioner.qualification.code`) and the PeerKit credential it is. */
export const credentialCodeSchema = z.strictObject({
  system: uriSchema,
  code: z.string().min(1).max(100),
  credential: z.enum(codesOf(CREDENTIAL_TYPES)),
});
/** A credential code. */
export type CredentialCode = z.output<typeof credentialCodeSchema>;

/** What PeerKit fills in where its record needs a field the host's resource does not carry. */
export const importDefaultsSchema = z.strictObject({
  /** Program of enrollments, encounters and sessions when the host names none. Default `peer-support`. */
  programId: idSchema.default('peer-support'),
  /** Name of that program. Default `Peer support`. */
  programName: shortTextSchema.default('Peer support'),
  /**
   * Type of that program. Default `co-occurring`: with `part2` `true`, PeerKit treats host data as
   * 42 CFR Part 2 data (labels, redisclosure notice) until the host says otherwise — over-protecting
   * is the safe side.
   */
  programType: z.enum(codesOf(PROGRAM_TYPES)).default('co-occurring'),
  /** Whether that program is a 42 CFR Part 2 program. Default `true` (see `programType`). */
  part2: z.boolean().default(true),
  /** Organization of specialists and programs when the host names none. Default `host-organization`. */
  organizationId: idSchema.default('host-organization'),
  /** Specialist of plans, referrals and sessions that name no practitioner. Default `unassigned`. */
  specialistId: idSchema.default('unassigned'),
  /** Role level of a peer specialist (R4 has no such element). Default `specialist`. */
  roleLevel: z.enum(codesOf(ROLE_LEVELS)).default('specialist'),
  /** Caseload limit of a specialist (R4 has no such element). Default `25`. */
  caseloadLimit: z.int().positive().max(500).default(25),
  /** Modality when `Encounter.class` is not a v3-ActCode PeerKit reads. Default `in-person`. */
  modality: z.enum(codesOf(MODALITIES)).default('in-person'),
  /** Setting when `Encounter.class` gives none. Default `clinic`. */
  setting: z.enum(codesOf(SETTINGS)).default('clinic'),
  /** Recovery domain of a goal without a Gravity SDOH category. Default `health`. */
  goalDomain: z.enum(codesOf(RECOVERY_DOMAINS)).default('health'),
  /** Topic of a group session (R4 `Group` has none PeerKit reads). Default `other`. */
  groupTopic: z.enum(codesOf(GROUP_TOPICS)).default('other'),
  /** Kind of a privacy consent whose policy names neither HIPAA nor 42 CFR Part 2. Default `hipaa-authorization`. */
  consentKind: z.enum(codesOf(CONSENT_KINDS)).default('hipaa-authorization'),
  /** How an active consent was signed (R4 `Consent` does not say). Default `electronic`. */
  signatureMethod: z.enum(codesOf(SIGNATURE_METHODS)).default('electronic'),
  /** Name of a referral target the input does not name. Default `Unnamed service`. */
  referralTargetName: shortTextSchema.default('Unnamed service'),
  /** State of an organization without `address.state`. Default none: such an organization is not a record. */
  state: stateSchema.optional(),
  /**
   * Base URI under which PeerKit mints business identifiers for records read from this host (when they
   * are written back). Default `urn:peerkit:host`.
   */
  identifierSystem: z.url().max(500).default('urn:peerkit:host'),
});
/** The defaults of an import profile. */
export type ImportDefaults = z.output<typeof importDefaultsSchema>;

/** The import profile as a host writes it (JSON or TS): every field optional. */
export const importProfileSchema = z.strictObject({
  /** A name for findings and logs. Default `custom`. */
  name: z.string().min(1).max(100).default('custom'),
  /**
   * `us-core` (default): the lists below are added to those of {@link US_CORE_IMPORT_PROFILE}.
   * `none`: only the lists below count.
   */
  extends: z.enum(['us-core', 'none']).default('us-core'),
  /** Codes that make an Encounter (`type`, `serviceType`), Group (`code`), HealthcareService (`type`, `specialty`) or CarePlan activity peer support. */
  peerSupportCodes: z.array(codeSetSchema).max(100).default([]),
  /** Codes that make a PractitionerRole (`code`, `specialty`) or a qualification a peer specialist's. */
  peerRoleCodes: z.array(codeSetSchema).max(100).default([]),
  /** `ServiceRequest.code` codes that make it a referral PeerKit tracks. */
  referralCodes: z.array(referralCodeSetSchema).max(100).default([]),
  /** `ServiceRequest.category` codes that make it a referral (Gravity SDOH categories). */
  referralCategories: z.array(referralCodeSetSchema).max(100).default([]),
  /** `CarePlan.category` codes that make a CarePlan a recovery plan (besides a peer-support activity code). */
  recoveryPlanCategories: z.array(codeSetSchema).max(100).default([]),
  /** Host credential codes in `Practitioner.qualification.code`. */
  credentialCodes: z.array(credentialCodeSchema).max(200).default([]),
  /** How to find the MRN among `Patient.identifier`: by identifier type, or by system. */
  mrn: z
    .strictObject({
      identifierTypes: z.array(z.strictObject({ system: uriSchema, code: z.string().min(1).max(100) })).max(20).default([]),
      systems: z.array(uriSchema).max(50).default([]),
    })
    .default({ identifierTypes: [], systems: [] }),
  /** Identifier systems of NPIs. */
  npiSystems: z.array(uriSchema).max(20).default([]),
  defaults: importDefaultsSchema.default(importDefaultsSchema.parse({})),
});

/** A resolved import profile: every list and default filled in. */
export type ImportProfile = z.output<typeof importProfileSchema>;

/** The import profile as a host writes it. */
export type ImportProfileInput = z.input<typeof importProfileSchema>;

const HCPCS_PEER_CODES = ['H0038', 'G0140', 'G0146'];

/**
 * The defaults for a US Core host: HCPCS H0038, G0140, G0146 (both HCPCS URIs) mark peer support;
 * NUCC 175T00000X marks a peer role; SNOMED 461481000124109 and the Gravity SDOH categories mark
 * referrals; the MRN is the identifier of type v2-0203 `MR`; NPIs are under `http://hl7.org/fhir/sid/us-npi`.
 *
 * @example
 * const profile = parseImportProfile({ peerSupportCodes: [{ system: 'urn:oid:2.999.1.7.10', codes: ['PEER-IND'] }] });
 */
export const US_CORE_IMPORT_PROFILE: ImportProfile = importProfileSchema.parse({
  name: 'us-core',
  extends: 'none',
  peerSupportCodes: [
    {
      system: SYSTEMS.hcpcs,
      codes: HCPCS_PEER_CODES,
      source: 'billing.md §1 (H0038 [S1]), §2 (G0140, G0146 [S15]); THO hcpcs-Level-II URI [S18]',
    },
    {
      system: SYSTEMS.hcpcsHttps,
      codes: HCPCS_PEER_CODES,
      source: 'billing.md §0.5: the https variant CARIN BB and US Core 6–7 use [S19, S22]',
    },
  ],
  peerRoleCodes: [{ system: SYSTEMS.nucc, codes: ['175T00000X'], source: 'fhir-mapping.md §3 (THO NamingSystem + tx-cache)' }],
  referralCodes: [
    {
      system: SYSTEMS.snomed,
      codes: ['461481000124109'],
      target: { type: 'community-resource', category: 'mutual-aid' },
      source: 'fhir-mapping.md §2.5 (BHP ServiceRequest-peer-mentoring-example-1)',
    },
  ],
  referralCategories: [
    { system: SYSTEMS.sdohTemporary, codes: ['food-insecurity'], target: { type: 'community-resource', category: 'food' }, source: 'fhir-mapping.md §2.1 (SDOH)' },
    { system: SYSTEMS.sdohTemporary, codes: ['housing-instability'], target: { type: 'community-resource', category: 'housing' }, source: 'fhir-mapping.md §2.1 (SDOH)' },
    { system: SYSTEMS.sdohTemporary, codes: ['employment-status'], target: { type: 'community-resource', category: 'employment' }, source: 'fhir-mapping.md §2.1 (SDOH)' },
    { system: SYSTEMS.sdohTemporary, codes: ['social-connection'], target: { type: 'community-resource', category: 'mutual-aid' }, source: 'fhir-mapping.md §2.1, §2.5 (SDOH; BHP)' },
    {
      system: SYSTEMS.sdohTemporary,
      codes: ['transportation-insecurity'],
      target: { type: 'community-resource', category: 'transportation' },
      source: 'SDOHCC-CodeSystemTemporaryCodes (UNVERIFIED in reference/fhir-mapping.md: configurable)',
    },
  ],
  mrn: { identifierTypes: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }], systems: [] },
  npiSystems: [SYSTEMS.npi],
});

/**
 * Validates an import profile and resolves it: with `extends: 'us-core'` (the default) its lists are
 * added to those of {@link US_CORE_IMPORT_PROFILE}; unset defaults take their documented values.
 * Never throws.
 *
 * @param input - the profile as a host wrote it (parsed JSON or a TS object)
 * @returns the resolved profile, or `schema.*` issues naming each invalid field
 * @example
 * const result = parseImportProfile({ name: 'example-host', peerRoleCodes: [{ system: 'https://ehr.example.org/job', codes: ['PRS'] }] });
 * if (result.ok) readHostFhir(bundle, { profile: result.value });
 */
export function parseImportProfile(input: unknown): Result<ImportProfile> {
  const parsed = importProfileSchema.safeParse(input ?? {});
  if (!parsed.success) return fail(fromZodIssues(parsed.error.issues, input));
  const own = parsed.data;
  if (own.extends === 'none') return ok(own);
  const base = US_CORE_IMPORT_PROFILE;
  return ok({
    ...own,
    peerSupportCodes: [...base.peerSupportCodes, ...own.peerSupportCodes],
    peerRoleCodes: [...base.peerRoleCodes, ...own.peerRoleCodes],
    referralCodes: [...base.referralCodes, ...own.referralCodes],
    referralCategories: [...base.referralCategories, ...own.referralCategories],
    recoveryPlanCategories: [...base.recoveryPlanCategories, ...own.recoveryPlanCategories],
    credentialCodes: [...base.credentialCodes, ...own.credentialCodes],
    mrn: {
      identifierTypes: [...base.mrn.identifierTypes, ...own.mrn.identifierTypes],
      systems: [...base.mrn.systems, ...own.mrn.systems],
    },
    npiSystems: [...base.npiSystems, ...own.npiSystems],
  });
}
