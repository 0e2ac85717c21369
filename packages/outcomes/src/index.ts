/**
 * @peerkit/outcomes — measurement-based care for peer support: BARC-10, PHQ-9 and GAD-7 as FHIR R4
 * Questionnaires with sourced scoring and licence notes, a slot for a program's own instrument,
 * scoring of QuestionnaireResponses with coded findings (never a silent score), the score as an
 * Observation linked to the recovery plan, crisis follow-up of PHQ-9 item 9 with the safeguards
 * crisis rule, plan-goal suggestions from low BARC-10 answers, synthetic responses over time, and the
 * de-identified program report (JSON). Pure: no I/O. The report's HTML with charts is in the subpath
 * `@peerkit/outcomes/html`.
 *
 * @packageDocumentation
 */
export { LOINC, ORDINAL_VALUE_EXTENSION, OUTCOME_CODES, OUTCOME_SYSTEMS } from './codes';
export type { OutcomeCode } from './codes';
export { OUTCOME_SOURCES } from './sources';
export type { OutcomeSourceId, SourcedFact, Verification } from './sources';

export { answersOf, bandOf, defineInstrument, instrumentSchema, scoreRange } from './instrument';
export { createPeerLookup } from './peer-lookup';
export type { PeerLookup } from './peer-lookup';
export type { AnswerOption, InstrumentCoding, InstrumentDefinition, InstrumentInput, InstrumentItem, ScoreBand } from './instrument';
export { BARC_10, BARC_10_ANSWERS, BARC_10_CUTOFF } from './instruments/barc-10';
export { PHQ_9, PHQ_COPYRIGHT, PHQ_FREQUENCY_ANSWERS } from './instruments/phq-9';
export { GAD_7 } from './instruments/gad-7';
export { getInstrument, INSTRUMENTS } from './instruments';

export { matchesInstrument, questionnaireUrl, toFhirQuestionnaire } from './questionnaire';
export type { QuestionnaireOptions } from './questionnaire';
export { scoreQuestionnaireResponse } from './score';
export type { InstrumentScore, ItemScore, ScoreOptions } from './score';
export { toScoreObservation } from './observation';
export type { ScoreObservationOptions } from './observation';
export { checkCrisisFollowUp } from './crisis';
export type { CrisisAction, CrisisFollowUp, CrisisFollowUpOptions } from './crisis';
export { acceptGoalSuggestion, suggestPlanGoals } from './suggestions';
export type { GoalAcceptance, GoalSuggestion, SuggestGoalsOptions } from './suggestions';
export { generateInstrumentResponses, TRAJECTORIES } from './generate-responses';
export type { GeneratedResponse, GenerateResponsesOptions, Trajectory } from './generate-responses';

export { createProgramReport, PROGRAM_REPORT_FORMAT } from './report/program-report';
export type {
  BillingSection,
  BillingSummaryInput,
  MixRow,
  MonthRow,
  ProgramReport,
  ProgramReportOptions,
  ReferralSection,
} from './report/program-report';
export type { BandCount, OutcomeChange } from './report/outcome-change';
export { isSuppressed } from './report/suppression';
export type { Cell, SuppressedCell } from './report/suppression';
