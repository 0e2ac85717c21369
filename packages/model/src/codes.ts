/**
 * Code lists of the peer support domain, each an exported const list of `{ code, label }` so a host
 * UI can render choices and the schemas accept exactly these codes.
 *
 * Where a list mirrors a FHIR value set, its TSDoc names it; the FHIR package maps the rest to
 * PeerKit CodeSystems.
 */

/** One entry of a code list: the stable code and a human label for a host UI. */
export interface CodeEntry<C extends string = string> {
  readonly code: C;
  readonly label: string;
}

/** The codes of a code list, in order. */
export type CodesOf<L extends readonly CodeEntry[]> = L[number]['code'];

/**
 * Returns the codes of a code list, in order, for use in a schema or a select box.
 *
 * @example
 * codesOf(MODALITIES); // ['in-person', 'video', 'audio-only']
 */
export function codesOf<const L extends readonly CodeEntry[]>(list: L): CodesOf<L>[] {
  return list.map((entry) => entry.code) as CodesOf<L>[];
}

/**
 * Returns the label of a code, or `undefined` when the code is not in the list.
 *
 * @example
 * labelOf(MODALITIES, 'audio-only'); // 'Audio only (telephone)'
 */
export function labelOf<L extends readonly CodeEntry[]>(list: L, code: string): string | undefined {
  return list.find((entry) => entry.code === code)?.label;
}

/** Kinds of record in a clinic export (the `kind` field of each NDJSON line). */
export const RECORD_KINDS = [
  { code: 'organization', label: 'Organization and its programs' },
  { code: 'specialist', label: 'Peer support specialist' },
  { code: 'peer', label: 'Peer (person served)' },
  { code: 'recovery-plan', label: 'Recovery plan' },
  { code: 'encounter', label: 'Peer encounter (one-on-one)' },
  { code: 'group-session', label: 'Group session' },
  { code: 'consent', label: 'Consent' },
  { code: 'referral', label: 'Referral' },
  { code: 'service-consent', label: 'Consent to a service' },
] as const;
/** A record kind. */
export type RecordKind = CodesOf<typeof RECORD_KINDS>;

/** Career level of a specialist, from trainee to supervisor. */
export const ROLE_LEVELS = [
  { code: 'trainee', label: 'Trainee (certification in progress)' },
  { code: 'specialist', label: 'Certified peer specialist' },
  { code: 'senior', label: 'Senior peer specialist' },
  { code: 'supervisor', label: 'Peer supervisor' },
] as const;
/** A specialist's role level. */
export type RoleLevel = CodesOf<typeof ROLE_LEVELS>;

/** Credentials a peer specialist may hold. State credentials vary; `state-certified` covers them. */
export const CREDENTIAL_TYPES = [
  { code: 'cps', label: 'Certified Peer Specialist (CPS)' },
  { code: 'cprs', label: 'Certified Peer Recovery Specialist (CPRS)' },
  { code: 'nc-prss', label: 'National Certified Peer Recovery Support Specialist (NCPRSS)' },
  { code: 'crps', label: 'Certified Recovery Peer Specialist / Recovery Coach' },
  { code: 'cfps', label: 'Certified Family Peer Specialist' },
  { code: 'cyps', label: 'Certified Youth Peer Specialist' },
  { code: 'veteran-peer', label: 'Veteran peer support certification' },
  { code: 'state-certified', label: 'Other state peer certification' },
  { code: 'training-completed', label: 'Core peer training completed (not yet certified)' },
] as const;
/** A credential type. */
export type CredentialType = CodesOf<typeof CREDENTIAL_TYPES>;

/** Populations a specialist is trained to serve. */
export const SPECIALIZATIONS = [
  { code: 'youth', label: 'Youth and young adults' },
  { code: 'family', label: 'Family / parent peer support' },
  { code: 'veterans', label: 'Veterans' },
  { code: 'forensic', label: 'Forensic (justice-involved)' },
  { code: 'perinatal', label: 'Pregnant and parenting' },
  { code: 'older-adults', label: 'Older adults' },
  { code: 'lgbtq', label: 'LGBTQ+' },
  { code: 'homelessness', label: 'People experiencing homelessness' },
  { code: 'emergency-department', label: 'Emergency department / hospital bridge' },
  { code: 'opioid-use', label: 'Opioid use disorder / MOUD' },
] as const;
/** A specialization. */
export type Specialization = CodesOf<typeof SPECIALIZATIONS>;

/**
 * Areas of a specialist's own lived experience. Private: never exported to FHIR unless the caller
 * opts in.
 */
export const LIVED_EXPERIENCE_AREAS = [
  { code: 'mental-health', label: 'Mental health recovery' },
  { code: 'substance-use', label: 'Substance use recovery' },
  { code: 'co-occurring', label: 'Co-occurring recovery' },
  { code: 'trauma', label: 'Trauma' },
  { code: 'homelessness', label: 'Homelessness' },
  { code: 'incarceration', label: 'Incarceration' },
  { code: 'military', label: 'Military service' },
  { code: 'family-member', label: 'Family member of a person in recovery' },
] as const;
/** A lived-experience area. */
export type LivedExperienceArea = CodesOf<typeof LIVED_EXPERIENCE_AREAS>;

/**
 * Program types. Substance-use and co-occurring programs may be federally assisted SUD programs
 * under 42 CFR Part 2 (see `Program.part2`).
 */
export const PROGRAM_TYPES = [
  { code: 'mental-health', label: 'Mental health' },
  { code: 'substance-use', label: 'Substance use' },
  { code: 'co-occurring', label: 'Co-occurring mental health and substance use' },
] as const;
/** A program type. */
export type ProgramType = CodesOf<typeof PROGRAM_TYPES>;

/** How an encounter took place. */
export const MODALITIES = [
  { code: 'in-person', label: 'In person' },
  { code: 'video', label: 'Video (audio and video)' },
  { code: 'audio-only', label: 'Audio only (telephone)' },
] as const;
/** A modality. */
export type Modality = CodesOf<typeof MODALITIES>;

/** Where an encounter took place (for video and audio, where the peer was). */
export const SETTINGS = [
  { code: 'community', label: 'Community (café, library, park…)' },
  { code: 'home', label: "Peer's home" },
  { code: 'clinic', label: 'Clinic or office' },
  { code: 'emergency-department', label: 'Emergency department' },
  { code: 'hospital', label: 'Hospital (inpatient)' },
  { code: 'shelter', label: 'Shelter' },
  { code: 'street-outreach', label: 'Street outreach' },
  { code: 'recovery-center', label: 'Recovery community center' },
  { code: 'correctional', label: 'Jail, prison or re-entry site' },
  { code: 'school', label: 'School or campus' },
  { code: 'mobile-unit', label: 'Mobile unit' },
] as const;
/** A setting. */
export type Setting = CodesOf<typeof SETTINGS>;

/** What happened during a peer encounter. */
export const ACTIVITIES = [
  { code: 'emotional-support', label: 'Emotional support' },
  { code: 'sharing-lived-experience', label: 'Sharing lived experience (purposeful self-disclosure)' },
  { code: 'goal-planning', label: 'Recovery goal planning' },
  { code: 'skill-building', label: 'Skill building' },
  { code: 'resource-navigation', label: 'Resource navigation and linkage' },
  { code: 'advocacy', label: 'Advocacy' },
  { code: 'crisis-support', label: 'Crisis support' },
  { code: 'wellness-planning', label: 'Wellness and relapse-prevention planning' },
  { code: 'transport-logistics', label: 'Transport and logistics' },
  { code: 'appointment-support', label: 'Accompanying to appointments' },
  { code: 'mutual-aid-linkage', label: 'Linkage to mutual aid / recovery community' },
  { code: 'family-support', label: 'Family support' },
  { code: 'outreach-engagement', label: 'Outreach and engagement' },
] as const;
/** An activity. */
export type Activity = CodesOf<typeof ACTIVITIES>;

/** Status of a one-on-one encounter. */
export const ENCOUNTER_STATUSES = [
  { code: 'completed', label: 'Completed' },
  { code: 'no-show', label: 'No-show' },
  { code: 'cancelled', label: 'Cancelled' },
] as const;
/** An encounter status. */
export type EncounterStatus = CodesOf<typeof ENCOUNTER_STATUSES>;

/** What a specialist did about a crisis. */
export const CRISIS_ACTIONS = [
  { code: 'safety-plan-reviewed', label: 'Safety plan reviewed with the peer' },
  { code: 'supervisor-consulted', label: 'Supervisor consulted' },
  { code: 'warm-handoff-clinician', label: 'Warm handoff to a clinician' },
  { code: 'referred-988', label: 'Connected to 988 Suicide & Crisis Lifeline' },
  { code: 'mobile-crisis', label: 'Mobile crisis team called' },
  { code: 'emergency-services', label: 'Emergency services (911) called' },
  { code: 'accompanied-to-ed', label: 'Accompanied to the emergency department' },
] as const;
/** A crisis action. */
export type CrisisAction = CodesOf<typeof CRISIS_ACTIONS>;

/** Recovery domains of a goal (SAMHSA's dimensions of recovery: health, home, purpose, community). */
export const RECOVERY_DOMAINS = [
  { code: 'health', label: 'Health' },
  { code: 'home', label: 'Home' },
  { code: 'purpose', label: 'Purpose' },
  { code: 'community', label: 'Community' },
] as const;
/** A recovery domain. */
export type RecoveryDomain = CodesOf<typeof RECOVERY_DOMAINS>;

/** Recovery plan status; mirrors FHIR `request-status` (CarePlan.status). */
export const PLAN_STATUSES = [
  { code: 'draft', label: 'Draft' },
  { code: 'active', label: 'Active' },
  { code: 'on-hold', label: 'On hold' },
  { code: 'completed', label: 'Completed' },
  { code: 'revoked', label: 'Ended early' },
] as const;
/** A plan status. */
export type PlanStatus = CodesOf<typeof PLAN_STATUSES>;

/** Goal lifecycle; a subset of FHIR `goal-status` (Goal.lifecycleStatus). */
export const GOAL_STATUSES = [
  { code: 'proposed', label: 'Proposed' },
  { code: 'active', label: 'Active' },
  { code: 'on-hold', label: 'On hold' },
  { code: 'completed', label: 'Completed' },
  { code: 'cancelled', label: 'Cancelled' },
] as const;
/** A goal status. */
export type GoalStatus = CodesOf<typeof GOAL_STATUSES>;

/** Goal achievement; mirrors FHIR `goal-achievement` (Goal.achievementStatus). */
export const GOAL_ACHIEVEMENTS = [
  { code: 'in-progress', label: 'In progress' },
  { code: 'improving', label: 'Improving' },
  { code: 'worsening', label: 'Worsening' },
  { code: 'no-change', label: 'No change' },
  { code: 'achieved', label: 'Achieved' },
  { code: 'sustaining', label: 'Sustaining' },
  { code: 'not-achieved', label: 'Not achieved' },
  { code: 'no-progress', label: 'No progress' },
  { code: 'not-attainable', label: 'Not attainable' },
] as const;
/** A goal achievement status. */
export type GoalAchievement = CodesOf<typeof GOAL_ACHIEVEMENTS>;

/** Who owns a plan step. */
export const STEP_OWNERS = [
  { code: 'peer', label: 'Peer' },
  { code: 'specialist', label: 'Peer specialist' },
  { code: 'support', label: 'Natural support (family, friend, sponsor)' },
  { code: 'clinician', label: 'Clinician' },
  { code: 'other', label: 'Other' },
] as const;
/** A step owner. */
export type StepOwner = CodesOf<typeof STEP_OWNERS>;

/** Plan step status; a subset of FHIR `care-plan-activity-status`. */
export const STEP_STATUSES = [
  { code: 'not-started', label: 'Not started' },
  { code: 'in-progress', label: 'In progress' },
  { code: 'on-hold', label: 'On hold' },
  { code: 'completed', label: 'Completed' },
  { code: 'cancelled', label: 'Cancelled' },
] as const;
/** A step status. */
export type StepStatus = CodesOf<typeof STEP_STATUSES>;

/** Kinds of support person in a recovery plan or crisis plan. */
export const SUPPORT_ROLES = [
  { code: 'family', label: 'Family' },
  { code: 'friend', label: 'Friend' },
  { code: 'sponsor', label: 'Sponsor or mentor' },
  { code: 'mutual-aid', label: 'Mutual-aid group' },
  { code: 'clinician', label: 'Clinician' },
  { code: 'case-manager', label: 'Case manager' },
  { code: 'faith-community', label: 'Faith community' },
  { code: 'crisis-line', label: 'Crisis line' },
  { code: 'other', label: 'Other' },
] as const;
/** A support role. */
export type SupportRole = CodesOf<typeof SUPPORT_ROLES>;

/** Who signed a plan or note. */
export const SIGNER_ROLES = [
  { code: 'peer', label: 'Peer' },
  { code: 'specialist', label: 'Peer specialist' },
  { code: 'supervisor', label: 'Supervisor' },
  { code: 'clinician', label: 'Clinician' },
  { code: 'guardian', label: 'Parent, guardian or personal representative' },
] as const;
/** A signer role. */
export type SignerRole = CodesOf<typeof SIGNER_ROLES>;

/** How a signature was captured. */
export const SIGNATURE_METHODS = [
  { code: 'wet', label: 'Handwritten (wet) signature' },
  { code: 'electronic', label: 'Electronic signature' },
  { code: 'verbal', label: 'Verbal agreement, documented' },
] as const;
/** A signature method. */
export type SignatureMethod = CodesOf<typeof SIGNATURE_METHODS>;

/** Attendance at a group session. */
export const ATTENDANCE = [
  { code: 'present', label: 'Present' },
  { code: 'late', label: 'Arrived late' },
  { code: 'left-early', label: 'Left early' },
  { code: 'absent', label: 'Absent' },
  { code: 'excused', label: 'Excused' },
] as const;
/** An attendance status. */
export type Attendance = CodesOf<typeof ATTENDANCE>;

/** Status of a group session. */
export const GROUP_SESSION_STATUSES = [
  { code: 'completed', label: 'Held' },
  { code: 'cancelled', label: 'Cancelled' },
] as const;
/** A group session status. */
export type GroupSessionStatus = CodesOf<typeof GROUP_SESSION_STATUSES>;

/** Topics of peer support groups. */
export const GROUP_TOPICS = [
  { code: 'wellness-recovery-action-plan', label: 'Wellness Recovery Action Plan (WRAP)' },
  { code: 'relapse-prevention', label: 'Relapse prevention' },
  { code: 'coping-skills', label: 'Coping skills' },
  { code: 'recovery-stories', label: 'Recovery stories' },
  { code: 'employment', label: 'Employment and education' },
  { code: 'housing', label: 'Housing' },
  { code: 'family', label: 'Family and relationships' },
  { code: 'whole-health', label: 'Whole health and self-care' },
  { code: 'self-advocacy', label: 'Self-advocacy' },
  { code: 'other', label: 'Other' },
] as const;
/** A group topic. */
export type GroupTopic = CodesOf<typeof GROUP_TOPICS>;

/**
 * Kinds of consent PeerKit documents.
 * See: 42 CFR §2.31 (Part 2 written consent); 45 CFR §164.508 (HIPAA authorization).
 */
export const CONSENT_KINDS = [
  { code: 'part2-disclosure', label: '42 CFR Part 2 consent to disclose to named recipients' },
  { code: 'part2-tpo', label: '42 CFR Part 2 single consent for treatment, payment and health care operations' },
  { code: 'hipaa-authorization', label: 'HIPAA authorization' },
] as const;
/** A consent kind. */
export type ConsentKind = CodesOf<typeof CONSENT_KINDS>;

/** Status of a consent; maps to FHIR `consent-state-codes` (revoked → inactive). */
export const CONSENT_STATUSES = [
  { code: 'draft', label: 'Draft (not signed)' },
  { code: 'active', label: 'Active' },
  { code: 'revoked', label: 'Revoked' },
  { code: 'rejected', label: 'Declined by the peer' },
] as const;
/** A consent status. */
export type ConsentStatus = CodesOf<typeof CONSENT_STATUSES>;

/** Purposes of use a consent can allow; the FHIR package maps them to v3-ActReason. */
export const CONSENT_PURPOSES = [
  { code: 'treatment', label: 'Treatment' },
  { code: 'payment', label: 'Payment' },
  { code: 'operations', label: 'Health care operations' },
  { code: 'care-coordination', label: 'Care coordination' },
  { code: 'patient-request', label: "At the peer's request" },
  { code: 'research', label: 'Research' },
] as const;
/** A consent purpose. */
export type ConsentPurpose = CodesOf<typeof CONSENT_PURPOSES>;

/** Categories of information a consent covers (§2.31 "how much and what kind of information"). */
export const DATA_CATEGORIES = [
  { code: 'substance-use', label: 'Substance use disorder information' },
  { code: 'mental-health', label: 'Mental health information' },
  { code: 'progress-notes', label: 'Peer support progress notes' },
  { code: 'recovery-plan', label: 'Recovery plan and goals' },
  { code: 'attendance', label: 'Attendance and dates of service' },
  { code: 'referrals', label: 'Referrals and linkage' },
  { code: 'crisis', label: 'Crisis events and safety plans' },
  { code: 'billing', label: 'Billing and claims information' },
  { code: 'hiv', label: 'HIV/AIDS information' },
] as const;
/** A data category. */
export type DataCategory = CodesOf<typeof DATA_CATEGORIES>;

/** How a consent recipient is identified (§2.31 allows a general designation for TPO). */
export const RECIPIENT_TYPES = [
  { code: 'individual', label: 'Named individual' },
  { code: 'organization', label: 'Named organization' },
  { code: 'general-designation', label: 'General designation (e.g. "my treating providers")' },
] as const;
/** A recipient type. */
export type RecipientType = CodesOf<typeof RECIPIENT_TYPES>;

/** Who signed a consent. */
export const CONSENT_SIGNERS = [
  { code: 'peer', label: 'The peer' },
  { code: 'guardian', label: 'Parent or guardian' },
  { code: 'personal-representative', label: 'Personal representative' },
] as const;
/** A consent signer. */
export type ConsentSigner = CodesOf<typeof CONSENT_SIGNERS>;

/** Where a referral goes. */
export const REFERRAL_TARGET_TYPES = [
  { code: 'community-resource', label: 'Community resource' },
  { code: 'crisis-service', label: 'Crisis service' },
  { code: 'clinical-service', label: 'Clinical service' },
] as const;
/** A referral target type. */
export type ReferralTargetType = CodesOf<typeof REFERRAL_TARGET_TYPES>;

/** What a referral is for. */
export const REFERRAL_CATEGORIES = [
  { code: 'housing', label: 'Housing' },
  { code: 'food', label: 'Food' },
  { code: 'employment', label: 'Employment' },
  { code: 'education', label: 'Education' },
  { code: 'transportation', label: 'Transportation' },
  { code: 'benefits', label: 'Benefits and income' },
  { code: 'legal', label: 'Legal aid' },
  { code: 'mutual-aid', label: 'Mutual-aid or recovery community' },
  { code: 'primary-care', label: 'Primary care' },
  { code: 'mental-health-treatment', label: 'Mental health treatment' },
  { code: 'sud-treatment', label: 'Substance use treatment' },
  { code: 'moud', label: 'Medication for opioid use disorder' },
  { code: 'crisis-988', label: '988 Suicide & Crisis Lifeline' },
  { code: 'mobile-crisis', label: 'Mobile crisis team' },
  { code: 'crisis-stabilization', label: 'Crisis stabilization unit' },
  { code: 'emergency-department', label: 'Emergency department' },
] as const;
/** A referral category. */
export type ReferralCategory = CodesOf<typeof REFERRAL_CATEGORIES>;

/** Referral urgency; mirrors FHIR `request-priority`. */
export const REFERRAL_URGENCIES = [
  { code: 'routine', label: 'Routine' },
  { code: 'urgent', label: 'Urgent' },
  { code: 'asap', label: 'As soon as possible' },
  { code: 'stat', label: 'Immediately (emergency)' },
] as const;
/** A referral urgency. */
export type ReferralUrgency = CodesOf<typeof REFERRAL_URGENCIES>;

/**
 * Referral status through closure; the FHIR `task-status` codes the Gravity SDOH referral Task
 * allows (task-status without `ready` and `received`).
 */
export const REFERRAL_STATUSES = [
  { code: 'draft', label: 'Draft' },
  { code: 'requested', label: 'Sent' },
  { code: 'accepted', label: 'Accepted by the service' },
  { code: 'rejected', label: 'Declined by the service' },
  { code: 'in-progress', label: 'In progress' },
  { code: 'on-hold', label: 'On hold' },
  { code: 'completed', label: 'Completed (loop closed)' },
  { code: 'failed', label: 'Failed' },
  { code: 'cancelled', label: 'Cancelled' },
] as const;
/** A referral status. */
export type ReferralStatus = CodesOf<typeof REFERRAL_STATUSES>;

/** How a closed referral turned out. */
export const REFERRAL_OUTCOMES = [
  { code: 'linked', label: 'Peer connected with the service' },
  { code: 'waitlisted', label: 'Placed on a waitlist' },
  { code: 'not-eligible', label: 'Not eligible' },
  { code: 'declined-by-peer', label: 'Peer chose not to go' },
  { code: 'unable-to-reach', label: 'Unable to reach the service or the peer' },
] as const;
/** A referral outcome. */
export type ReferralOutcome = CodesOf<typeof REFERRAL_OUTCOMES>;
