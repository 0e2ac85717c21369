/**
 * The finding codes `@peerkit/outcomes` emits, with their meaning, and the code systems of its own
 * codes. Codes are stable: a host may switch on them. Prefix `outcomes.`; the crisis indicator joins
 * the `crisis.` family of `@peerkit/safeguards` (category `crisis-follow-up`), so a host that routes
 * crisis findings of notes routes these too.
 */
import { PEERKIT_CANONICAL } from '@peerkit/fhir';

/**
 * Every code this package reports, with its meaning. The package README lists the same table.
 *
 * @example
 * OUTCOME_CODES['outcomes.item-unanswered']; // 'A scored item has no answer: no total is computed.'
 */
export const OUTCOME_CODES = {
  // Reading a QuestionnaireResponse
  'outcomes.response-invalid': 'The input is not a FHIR R4 QuestionnaireResponse (resourceType, item list).',
  'outcomes.response-status': 'The response is not completed or amended (in progress, stopped or entered in error): no score.',
  'outcomes.questionnaire-mismatch': 'The response names another Questionnaire than the instrument (warning: items are still matched by linkId).',
  'outcomes.authored-missing': 'The response has no authored date: it is scored but cannot be placed in time (warning).',
  'outcomes.subject-missing': 'The response has no subject: it is scored but belongs to nobody (warning).',
  'outcomes.item-unanswered': 'A scored item has no answer: no total is computed.',
  'outcomes.item-unknown': 'The response has an item whose linkId the instrument does not define (warning).',
  'outcomes.item-duplicate': 'The same item appears more than once in the response.',
  'outcomes.answer-multiple': 'A single-choice item has more than one answer.',
  'outcomes.answer-out-of-range': 'An answer is outside the item\'s answer scale (unknown code or value).',
  'outcomes.answer-invalid-type': 'An answer is neither a valueCoding nor a whole number.',
  'outcomes.score-prorated': 'The total was prorated over missing items, as the instrument\'s own source allows (warning).',
  // A program's own instrument definition
  'outcomes.instrument-duplicate-item': 'Two items of the instrument share a linkId or an alias.',
  'outcomes.instrument-duplicate-answer': 'Two answers of a scale share a value or a code.',
  'outcomes.instrument-no-scored-item': 'The instrument scores no item.',
  'outcomes.instrument-bands': 'The bands do not cover the score range exactly once, in order.',
  'outcomes.instrument-value-outside-scale': 'A crisis threshold or prorating limit lies outside what the items allow.',
  // Accepting a goal suggestion
  'outcomes.suggestion-goal-text': 'An accepted goal needs the peer\'s own words (text).',
  'outcomes.suggestion-goal-id': 'The goal id is already used in the plan.',
  'outcomes.suggestion-plan-mismatch': 'The suggestion was made for another peer than the plan\'s.',
  // Crisis (family and category of @peerkit/safeguards)
  'crisis.instrument-item': 'An instrument answer is a crisis indicator (PHQ-9 item 9 above 0): follow-up must be documented (warning).',
  'crisis.no-follow-up': 'A crisis indicator with no documented crisis action or referral: the rule of @peerkit/safeguards, applied to instrument answers.',
} as const;

/** A code of {@link OUTCOME_CODES}. */
export type OutcomeCode = keyof typeof OUTCOME_CODES;

/**
 * The CodeSystems of PeerKit's own outcome codes (instruments without a LOINC code, answer scales
 * without LOINC answers, score bands), under PeerKit's canonical base.
 */
export const OUTCOME_SYSTEMS = {
  /** Panel, total and item codes of instruments LOINC does not have (BARC-10, program instruments). */
  instrument: `${PEERKIT_CANONICAL}/CodeSystem/outcome-instrument`,
  /** Answer codes of scales without LOINC answers (the BARC-10 agreement scale). */
  answer: `${PEERKIT_CANONICAL}/CodeSystem/outcome-answer`,
  /** Score bands (`<instrument>.<band>`, e.g. `phq-9.moderate`), as Observation.interpretation. */
  band: `${PEERKIT_CANONICAL}/CodeSystem/score-band`,
} as const;

/** LOINC, the system of the PHQ-9 and GAD-7 codes. */
export const LOINC = 'http://loinc.org';

/** FHIR R4 `ordinalValue` extension: the score of an answer option. See: OUTCOME_SOURCES['fhir-ordinal-value']. */
export const ORDINAL_VALUE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
