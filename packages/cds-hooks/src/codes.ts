/**
 * The codes the hooks look for, each with its source: which diagnoses make a patient someone peer
 * support serves, which overdose, which orders are peer support, which encounters are ED or inpatient.
 */

/** ICD-10-CM's FHIR system URI. See: https://terminology.hl7.org/NamingSystem-icd10CM.html */
export const ICD10CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';
/** SNOMED CT's FHIR system URI. */
export const SNOMED_SYSTEM = 'http://snomed.info/sct';

/** A range of ICD-10-CM categories (first three characters, inclusive), with what it is and its source. */
export interface DiagnosisRange {
  /** First category, e.g. `F10`. */
  readonly from: string;
  /** Last category, e.g. `F19`. */
  readonly to: string;
  /** What the block holds. */
  readonly kind: 'substance-use' | 'mental-health' | 'overdose';
  /** The block's title in the classification. */
  readonly title: string;
  /** Where it is defined. */
  readonly source: string;
}

const ICD10CM_SOURCE = 'ICD-10-CM (CDC NCHS), Tabular List';

/**
 * The ICD-10-CM blocks the hooks treat as a substance-use or mental-health condition, or an opioid or
 * other narcotic overdose.
 *
 * See: https://www.cdc.gov/nchs/icd/icd-10-cm/ (chapter 5 "Mental, Behavioral and Neurodevelopmental
 * disorders" F01–F99; chapter 19 T40 "Poisoning by, adverse effect of and underdosing of narcotics and
 * psychodysleptics [hallucinogens]")
 */
export const DIAGNOSIS_RANGES: readonly DiagnosisRange[] = [
  { from: 'F10', to: 'F19', kind: 'substance-use', title: 'Mental and behavioral disorders due to psychoactive substance use', source: `${ICD10CM_SOURCE}, block F10-F19` },
  { from: 'F20', to: 'F29', kind: 'mental-health', title: 'Schizophrenia, schizotypal, delusional, and other non-mood psychotic disorders', source: `${ICD10CM_SOURCE}, block F20-F29` },
  { from: 'F30', to: 'F39', kind: 'mental-health', title: 'Mood [affective] disorders', source: `${ICD10CM_SOURCE}, block F30-F39` },
  { from: 'F40', to: 'F48', kind: 'mental-health', title: 'Anxiety, dissociative, stress-related, somatoform and other nonpsychotic mental disorders', source: `${ICD10CM_SOURCE}, block F40-F48` },
  { from: 'T40', to: 'T40', kind: 'overdose', title: 'Poisoning by, adverse effect of and underdosing of narcotics and psychodysleptics [hallucinogens]', source: `${ICD10CM_SOURCE}, category T40` },
];

/** Public page of the ICD-10-CM classification (cards link to it). */
export const ICD10CM_URL = 'https://www.cdc.gov/nchs/icd/icd-10-cm/';

/**
 * SNOMED CT 461481000124109 "Referral to peer support (procedure)": the code of the ServiceRequests the
 * hooks suggest. Source: HL7 US Behavioral Health Profiles `ServiceRequest-peer-mentoring-example-1`
 * (reference/fhir-mapping.md §3).
 */
export const PEER_SUPPORT_REFERRAL = { system: SNOMED_SYSTEM, code: '461481000124109', display: 'Referral to peer support (procedure)' } as const;

/** SNOMED CT 410606002 "Social service procedure", the suggested ServiceRequest's category (BHP example). */
export const SOCIAL_SERVICE_CATEGORY = { system: SNOMED_SYSTEM, code: '410606002', display: 'Social service procedure' } as const;

/**
 * Order codes that make a ServiceRequest peer support: the referral code above and the HCPCS peer
 * services (H0038 self-help/peer services; G0140, G0146 principal illness navigation – peer support).
 * Source: reference/fhir-mapping.md §3, reference/billing.md §1–2.
 */
export const PEER_SUPPORT_ORDER_CODES: readonly { readonly system: string; readonly code: string }[] = [
  PEER_SUPPORT_REFERRAL,
  { system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'H0038' },
  { system: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'H0038' },
  { system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'G0140' },
  { system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'G0146' },
  { system: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'G0140' },
  { system: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'G0146' },
];

/**
 * `Encounter.class` codes (v3-ActCode) of an emergency or inpatient stay: EMER, IMP, ACUTE, NONAC, OBSENC.
 * See: https://terminology.hl7.org/ValueSet-v3-ActEncounterCode.html
 */
export const DISCHARGE_ENCOUNTER_CLASSES: ReadonlySet<string> = new Set(['EMER', 'IMP', 'ACUTE', 'NONAC', 'OBSENC']);

/** Where the 42 CFR Part 2 rules the consent cards cite are published. */
export const PART2_URL = 'https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2';

/**
 * The ICD-10-CM range a code falls in, if any (`F11.20` and `F1120` alike).
 *
 * @param code - an ICD-10-CM code
 * @param ranges - the ranges to look in. Default {@link DIAGNOSIS_RANGES}
 * @returns the range, or `undefined`
 * @example
 * diagnosisRangeOf('F11.20')?.kind; // 'substance-use'
 */
export function diagnosisRangeOf(code: string, ranges: readonly DiagnosisRange[] = DIAGNOSIS_RANGES): DiagnosisRange | undefined {
  const category = code.trim().toUpperCase().replace('.', '').slice(0, 3);
  if (!/^[A-Z]\d\d$/.test(category)) return undefined;
  return ranges.find((range) => category >= range.from && category <= range.to);
}
