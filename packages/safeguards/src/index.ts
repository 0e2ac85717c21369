/**
 * @peerkit/safeguards — consent decisions over FHIR R4 Consent, 42 CFR Part 2 consent
 * completeness, DS4P security labels, the disclosure gate and group-note redaction, and the
 * boundary and scope rule catalog for peer support notes and records. Pure: no I/O.
 *
 * @packageDocumentation
 */
export { parseDisclosureRecipient, parseDisclosureRequest } from './consent/request';
export type { DisclosureRecipient, DisclosureRequest, PatientSelector, RequestActor, RequestIdentifier } from './consent/request';
export { MAX_PROVISION_DEPTH, readConsents } from './consent/read-consents';
export { isFhirDateTime } from './internal/dates';
export { decideConsent, DEFAULT_PART2_LABELS, PART2_REDISCLOSURE_NOTICE } from './consent/decide';
export type { DecideConsentOptions } from './consent/decide';
export type { ConsentDecision, ConsentDecisionCode, DecisionBasis, ExplanationEntry, Obligation, UnauditedDecision } from './consent/decision';
export type { ConflictStrategy, DataScope, ReferenceResolver } from './consent/provision';
export { compileConsents } from './consent/compile-consents';
export type { CompileConsentsOptions, CompiledConsents } from './consent/compile-consents';
export { createCodeVocabulary, DEFAULT_CODE_SYSTEMS, relateCodes } from './consent/compile-codes';
export type { CodeCriterion, CodeRelation, CodeSystemRule, CodeVocabulary, CompiledSystem } from './consent/compile-codes';
export { CONSENT_FINDINGS } from './consent/compile-findings';
export type { ConsentFindingCode } from './consent/compile-findings';
export { POLICY_RULES, readConsentPolicy } from './consent/compile-policy';
export type { ConsentPolicy, PolicyRuleMeaning } from './consent/compile-policy';
export { compareIdentities, createActorDirectory, identifyReference, identifyRequestActor, readActorResources } from './consent/actors';
export type { ActorDirectory, ActorIdentity, ActorResources, IdentityRelation } from './consent/actors';
export {
  fromPermission,
  fromR5Consent,
  isR5Consent,
  RULE_COMBINING_EXTENSION,
  SOURCE_PATH_EXTENSION,
  toEngineConsent,
  UNSUPPORTED_CRITERION_EXTENSION,
} from './consent/r5';
export type { ConsentResource, MappedConsent } from './consent/r5';
export { toCdsObligations } from './consent/cds-obligations';
export type { CdsObligation } from './consent/cds-obligations';
export { createConsentAuditEvent } from './consent/audit-event';
export type { AuditEntityInput, AuditInput, AuditOptions } from './consent/audit-event';
export { checkPart2Consent, checkPart2FhirConsent, PART2_ELEMENTS } from './consent/part2-completeness';
export type { Part2CompletenessOptions, Part2Element, Part2Statement } from './consent/part2-completeness';

export {
  highWaterMark,
  isPart2Labeled,
  labelBundle,
  labelResource,
  securityLabelsFor,
  withHighWaterMark,
} from './disclosure/security-labels';
export type { HighWaterMarkOptions, LabelContext, LabelOptions } from './disclosure/security-labels';
export { compileGateConsents, decideResourceDisclosure, gateDisclosure } from './disclosure/disclosure-gate';
export type { DisclosureGateOptions, ResourceDisclosure } from './disclosure/disclosure-gate';
export type { DisclosureGateResult, DisclosurePreview, WithheldReason } from './disclosure/gate-result';
export { peerkitDataCategories } from './disclosure/data-categories';
export { createGroupNoteCopy } from './disclosure/group-note';
export type { GroupNoteCopy, GroupNoteCopyOptions } from './disclosure/group-note';

export { NOTE_MODEL_RULES, RULE_IDS, RULES, ruleById } from './rules/catalog';
export { NOTE_CONTEXTS, RULE_CATEGORIES } from './rules/rule-definition';
export type { NoteContext, RuleCategory, RuleDefinition, RuleTarget } from './rules/rule-definition';
export { SOURCES } from './rules/sources';
export type { Finding } from './rules/finding';
export { DEFAULT_POLICY, parsePolicy, severityFor } from './rules/policy';
export type { Policy, PolicyInput } from './rules/policy';
export { lintNote } from './rules/lint-note';
export type { LintNoteOptions } from './rules/lint-note';
export { findCrisisIndicators } from './rules/note-rules';
export { checkClinic, createClinicChecker } from './rules/check-clinic';
export type { CheckClinicOptions, ClinicChecker, ClinicCheckReport, FindingCounts } from './rules/check-clinic';
export { checkSecurityLabels } from './rules/check-labels';

export { ACCOUNTING_CONTENT, ACCOUNTING_LOOK_BACK, PART2_2024_RULE } from './part2/regulation';
export type { AccountingSectionId, LookBackPeriod, RegulatoryFact, Verification } from './part2/regulation';
export {
  createDisclosureLedgerEntry,
  createMemoryDisclosureLedger,
  DISCLOSURE_LEDGER_SUBTYPE,
  matchesLedgerQuery,
  readDisclosureRecord,
  toDisclosureLedgerEntry,
} from './part2/ledger';
export type {
  DisclosureChannel,
  DisclosureLedger,
  DisclosureLedgerInput,
  DisclosureLedgerQuery,
  DisclosureRecord,
  GateLedgerOptions,
  LedgerEntryOptions,
  LedgerPosition,
} from './part2/ledger';
export { createAccountingReport, formatAccountingReport, toAccountingBundle } from './part2/accounting';
export type {
  AccountedDisclosure,
  AccountingBundleOptions,
  AccountingReport,
  AccountingReportOptions,
  AccountingSection,
  DatePeriod,
  TpoAccounting,
} from './part2/accounting';
export {
  attachRedisclosureNotice,
  CONSENT_COPY_REQUIREMENT,
  createConsentScopeExplanation,
  PART2_NOTICE_STATEMENTS,
  REDISCLOSURE_NOTICE_EXTENSION,
  REDISCLOSURE_NOTICE_TAG,
} from './part2/notice';
export type { NoticeStatement, RedisclosureNoticeOptions } from './part2/notice';
export {
  applyCounselingNoteRule,
  checkCounselingNoteConsent,
  COUNSELING_NOTE_RULES,
  counselingNoteScope,
  isSudCounselingNote,
  SUD_COUNSELING_NOTES,
} from './part2/counseling-notes';
export type { CounselingNoteOptions, CounselingNoteRuleInput, CounselingNoteScope, Part2RuleOutcome } from './part2/counseling-notes';
export { applyRestrictions, parseRestriction, RESTRICTION_RULES, restrictionsFor } from './part2/restrictions';
export type { RestrictionContext, RestrictionOptions, RestrictionRecord } from './part2/restrictions';
export { createBreachScopeReport, formatBreachScopeReport } from './part2/breach';
export type { BreachScopeOptions, BreachScopePatient, BreachScopeReport } from './part2/breach';
