/**
 * @peerkit/model — the domain vocabulary of peer support services: zod schemas and types for every
 * entity, `Result`/`Issue`, code lists, calendar arithmetic on ISO dates, the clinic export reader and the
 * synthetic clinic generator.
 *
 * @packageDocumentation
 */
export {
  fail,
  formatPath,
  hasErrors,
  ISSUE_CODE_SYSTEM,
  ok,
  PEERKIT_ERROR_CODES,
  PeerKitError,
  toOperationOutcome,
  unwrap,
} from './result';
export type {
  Err,
  Finding,
  Issue,
  IssuePath,
  IssueSeverity,
  Ok,
  OperationOutcome,
  OperationOutcomeIssue,
  PeerKitErrorCode,
  Result,
} from './result';
export { ISSUE_CODES } from './issue-codes';
export { fromZodIssues } from './internal/zod-issues';
// For PeerKit's own packages: validation that skips zod for records already in their parsed form.
export { compileParsedCheck } from './internal/parsed-check';
export type { ParsedCheck } from './internal/parsed-check';
export { schemaParser, withParsedCheck } from './internal/checked-parser';
export type { IssueCode } from './issue-codes';

export {
  ACTIVITIES,
  ATTENDANCE,
  codesOf,
  CONSENT_KINDS,
  CONSENT_PURPOSES,
  CONSENT_SIGNERS,
  CONSENT_STATUSES,
  CREDENTIAL_TYPES,
  CRISIS_ACTIONS,
  DATA_CATEGORIES,
  ENCOUNTER_STATUSES,
  GOAL_ACHIEVEMENTS,
  GOAL_STATUSES,
  GROUP_SESSION_STATUSES,
  GROUP_TOPICS,
  labelOf,
  LIVED_EXPERIENCE_AREAS,
  MODALITIES,
  PLAN_STATUSES,
  PROGRAM_TYPES,
  RECIPIENT_TYPES,
  RECORD_KINDS,
  RECOVERY_DOMAINS,
  REFERRAL_CATEGORIES,
  REFERRAL_OUTCOMES,
  REFERRAL_STATUSES,
  REFERRAL_TARGET_TYPES,
  REFERRAL_URGENCIES,
  ROLE_LEVELS,
  SETTINGS,
  SIGNATURE_METHODS,
  SIGNER_ROLES,
  SPECIALIZATIONS,
  STEP_OWNERS,
  STEP_STATUSES,
  SUPPORT_ROLES,
} from './codes';
export type {
  Activity,
  Attendance,
  CodeEntry,
  CodesOf,
  ConsentKind,
  ConsentPurpose,
  ConsentSigner,
  ConsentStatus,
  CredentialType,
  CrisisAction,
  DataCategory,
  EncounterStatus,
  GoalAchievement,
  GoalStatus,
  GroupSessionStatus,
  GroupTopic,
  LivedExperienceArea,
  Modality,
  PlanStatus,
  ProgramType,
  RecipientType,
  RecordKind,
  RecoveryDomain,
  ReferralCategory,
  ReferralOutcome,
  ReferralStatus,
  ReferralTargetType,
  ReferralUrgency,
  RoleLevel,
  Setting,
  SignatureMethod,
  SignerRole,
  Specialization,
  StepOwner,
  StepStatus,
  SupportRole,
} from './codes';

export {
  consentSignatureSchema,
  contactSchema,
  dateSchema,
  dateTimeSchema,
  humanNameSchema,
  identifierSchema,
  idSchema,
  languageTagSchema,
  longTextSchema,
  noteSchema,
  patientReferenceSchema,
  PATTERNS,
  periodSchema,
  phoneSchema,
  shortTextSchema,
  signatureSchema,
  stateSchema,
} from './common';
export type { ConsentSignature, Contact, HumanName, Identifier, Note, Period, Signature } from './common';

export { organizationSchema, parseOrganization, programSchema } from './organization';
export type { Organization, Program } from './organization';
export {
  certificationSchema,
  continuingEducationSchema,
  parseSpecialist,
  specialistSchema,
  supervisionEntrySchema,
} from './specialist';
export type { Certification, ContinuingEducation, Specialist, SupervisionEntry } from './specialist';
export { coverageSchema, enrollmentSchema, parsePeer, patientRefSchema, peerSchema } from './peer';
export type { Coverage, Enrollment, PatientRef, Peer } from './peer';
export {
  crisisPlanSchema,
  goalSchema,
  parseRecoveryPlan,
  recoveryPlanSchema,
  stepSchema,
  supportSchema,
} from './recovery-plan';
export type { CrisisPlan, Goal, RecoveryPlan, Step, Support } from './recovery-plan';
export { crisisSchema, parsePeerEncounter, peerEncounterSchema } from './encounter';
export type { Crisis, PeerEncounter } from './encounter';
export { attendeeSchema, groupSessionSchema, parseGroupSession } from './group-session';
export type { Attendee, GroupSession } from './group-session';
export {
  consentSchema,
  discloserSchema,
  expirationSchema,
  isConsentInForce,
  parseConsent,
  recipientSchema,
  revocationSchema,
} from './consent';
export type { Consent, Discloser, Expiration, Recipient, Revocation } from './consent';
export { parseReferral, referralSchema, referralTargetSchema } from './referral';
export type { Referral, ReferralTarget } from './referral';
export { isServiceConsentInForce, parseServiceConsent, serviceConsentSchema } from './service-consent';
export type { ServiceConsent } from './service-consent';

export { isRecordKind, parseRecord } from './record';
export type { ClinicRecord } from './record';

export {
  createClinicExportReport,
  DEFAULT_MAX_LINE_LENGTH,
  parseClinicExport,
  readClinicExport,
  toClinicExport,
} from './clinic-export';
export type {
  ClinicExportEntry,
  ClinicExportReport,
  ClinicExportReporter,
  ClinicExportReportOptions,
  KindCount,
  ReadClinicExportOptions,
} from './clinic-export';

export { CSV_MAPPING_FORMAT, parseCsvMapping } from './csv-import/mapping';
export type { CsvColumnSpec, CsvDefaultValue, CsvFieldMapping, CsvMapping } from './csv-import/mapping';
export type { ClinicTimeZone, CsvCompiledFormat } from './csv-import/dates';
export { createCsvImport, DEFAULT_MAX_CSV_ROW_LENGTH, importCsv } from './csv-import/import-csv';
export type { CsvImport, ImportCsvOptions } from './csv-import/import-csv';
export type { CsvImportIssue, CsvImportResult } from './csv-import/import-rows';

export {
  addBusinessDays,
  addDays,
  addMonths,
  ageOn,
  countBusinessDays,
  covers,
  datePart,
  dayOfWeek,
  daysBetween,
  daysInMonth,
  endOfMonth,
  fiscalYearOf,
  fromDateParts,
  fromEpochDay,
  isBusinessDay,
  isIsoDate,
  isLeapYear,
  periodBounds,
  periodKey,
  toDateParts,
  toEpochDay,
} from './calendar';
export type { BusinessDayOptions, CalendarPeriod, DateParts, DateRange } from './calendar';

export { JSON_SCHEMA_BASE, RECORD_SCHEMAS, toJsonSchemas } from './json-schema';
export type { JsonSchema } from './json-schema';

export { clinicToNdjson, generateClinic } from './generator/generate-clinic';
export type { GenerateClinicOptions, GeneratedClinic, InvalidSample, PlantedProblem } from './generator/options';
