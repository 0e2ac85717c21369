// PeerKit extensions: what peer support records carry that FHIR R4 has no element for.
// URL of each: https://peerkit.dev/fhir/StructureDefinition/<Id>. Codes come from the PeerKit
// CodeSystems of terminology.generated.fsh, bound `required`.

RuleSet: CodingValue(vs)
* value[x] 1..1
* value[x] only Coding
* value[x] from {vs} (required)

RuleSet: SubCoding(name, vs)
* extension[{name}].value[x] 1..1
* extension[{name}].value[x] only Coding
* extension[{name}].value[x] from {vs} (required)

RuleSet: SubValue(name, type)
* extension[{name}].value[x] 1..1
* extension[{name}].value[x] only {type}

RuleSet: Complex
* value[x] 0..0

// A profile's slice of a simple extension, with its `url` child unfolded in the snapshot: validators
// that match extension slices on the url element itself (Medplum 4.5) then find the slice. Not used
// for complex extensions: Medplum 4.5 would read their unfolded sub-extension slices as slices of the
// resource's own extension list.
RuleSet: Unfold(slice)
* {slice}.url ^short = "Identifies the extension (fixed to its canonical URL)"

// ---------------------------------------------------------------- Encounter

Extension: PeerKitModality
Id: modality
Title: "Modality"
Description: "How the encounter took place: in person, video or audio only (the peer's choice, and what telehealth billing depends on)."
Context: Encounter
* insert CodingValue(PeerKitModalityVS)

Extension: PeerKitSetting
Id: setting
Title: "Setting"
Description: "Where the encounter took place (community, home, shelter, street outreach...); for video and audio, where the peer was. Finer than Encounter.class."
Context: Encounter
* insert CodingValue(PeerKitSettingVS)

Extension: PeerKitEncounterOutcome
Id: encounter-outcome
Title: "Encounter outcome"
Description: "Completed, no-show or cancelled: Encounter.status says only finished or cancelled."
Context: Encounter
* insert CodingValue(PeerKitEncounterOutcomeVS)

Extension: PeerKitProgram
Id: program
Title: "Program"
Description: "The program (HealthcareService) the encounter, plan, enrollment or service consent belongs to; it decides whether 42 CFR Part 2 applies."
Context: Encounter, CarePlan, EpisodeOfCare, Consent
* value[x] 1..1
* value[x] only Reference(HealthcareService)

Extension: PeerKitCrisis
Id: crisis
Title: "Crisis"
Description: "Whether a crisis was indicated during the encounter, what the specialist did about it, and the crisis referral made."
Context: Encounter
* insert Complex
* extension contains
    indicated 1..1 and
    action 0..* and
    referral 0..1
* extension[indicated] ^short = "A crisis was indicated"
* insert SubValue(indicated, boolean)
* extension[action] ^short = "What the specialist did about it"
* insert SubCoding(action, PeerKitCrisisActionVS)
* extension[referral] ^short = "The crisis referral"
* extension[referral].value[x] 1..1
* extension[referral].value[x] only Reference(ServiceRequest)

Extension: PeerKitAttendance
Id: attendance
Title: "Attendance"
Description: "A peer's attendance at a group session (present, late, left early, absent, excused), on the peer's own attendance Encounter."
Context: Encounter
* insert CodingValue(PeerKitAttendanceVS)

// ---------------------------------------------------------------- Procedure (the peer service)

Extension: PeerKitPeerActivity
Id: peer-activity
Title: "Peer support activity"
Description: "An activity of the peer support service (emotional support, sharing lived experience, resource navigation...)."
Context: Procedure
* insert CodingValue(PeerKitPeerActivityVS)

Extension: PeerKitGoalAddressed
Id: goal-addressed
Title: "Goal addressed"
Description: "A recovery goal the service worked on."
Context: Procedure
* value[x] 1..1
* value[x] only Reference(Goal)

Extension: PeerKitReferral
Id: referral
Title: "Referral made"
Description: "A referral (ServiceRequest) made during the service."
Context: Procedure
* value[x] 1..1
* value[x] only Reference(ServiceRequest)

// ---------------------------------------------------------------- DocumentReference (notes)

Extension: PeerKitNoteCosignature
Id: note-cosignature
Title: "Note co-signature"
Description: "Who co-signed the note (typically the supervisor of a trainee) and when."
Context: DocumentReference
* insert Complex
* extension contains
    by 0..1 and
    at 0..1
* extension[by].value[x] 1..1
* extension[by].value[x] only Reference(Practitioner)
* insert SubValue(at, dateTime)

// ---------------------------------------------------------------- CarePlan (recovery plan)

Extension: PeerKitStrength
Id: strength
Title: "Strength"
Description: "A strength of the peer, in the peer's words (strengths-based recovery planning)."
Context: CarePlan
* value[x] 1..1
* value[x] only string

Extension: PeerKitReviewDue
Id: review-due
Title: "Review due"
Description: "When the recovery plan is due for review."
Context: CarePlan
* value[x] 1..1
* value[x] only date

Extension: PeerKitSupport
Id: support
Title: "Support"
Description: "A person or group that supports the peer's recovery."
Context: CarePlan
* insert Complex
* extension contains
    name 1..1 and
    role 1..1 and
    phone 0..1
* insert SubValue(name, string)
* insert SubCoding(role, PeerKitSupportRoleVS)
* insert SubValue(phone, string)

Extension: PeerKitCrisisPlan
Id: crisis-plan
Title: "Crisis and safety plan"
Description: "The crisis and safety plan of a recovery plan: warning signs, coping strategies, people and professionals to contact, steps to a safer environment, last review."
Context: CarePlan
* insert Complex
* extension contains
    warningSign 1..* and
    copingStrategy 1..* and
    contact 0..* and
    professionalContact 0..* and
    safeEnvironment 0..* and
    reviewed 1..1
* insert SubValue(warningSign, string)
* insert SubValue(copingStrategy, string)
* extension[contact] ^short = "A person or place that helps"
* extension[contact].value[x] 0..0
* extension[contact].extension contains
    name 1..1 and
    relationship 0..1 and
    phone 0..1
* extension[contact].extension[name].value[x] 1..1
* extension[contact].extension[name].value[x] only string
* extension[contact].extension[relationship].value[x] 1..1
* extension[contact].extension[relationship].value[x] only string
* extension[contact].extension[phone].value[x] 1..1
* extension[contact].extension[phone].value[x] only string
* extension[professionalContact] ^short = "A professional or crisis line (e.g. 988)"
* extension[professionalContact].value[x] 0..0
* extension[professionalContact].extension contains
    name 1..1 and
    relationship 0..1 and
    phone 0..1
* extension[professionalContact].extension[name].value[x] 1..1
* extension[professionalContact].extension[name].value[x] only string
* extension[professionalContact].extension[relationship].value[x] 1..1
* extension[professionalContact].extension[relationship].value[x] only string
* extension[professionalContact].extension[phone].value[x] 1..1
* extension[professionalContact].extension[phone].value[x] only string
* insert SubValue(safeEnvironment, string)
* insert SubValue(reviewed, date)

Extension: PeerKitStep
Id: step
Title: "Recovery plan step"
Description: "The step behind a CarePlan activity: its id in the plan, who owns it, when it was completed."
Context: CarePlan.activity
* insert Complex
* extension contains
    id 1..1 and
    owner 1..1 and
    completedOn 0..1
* insert SubValue(id, id)
* insert SubCoding(owner, PeerKitStepOwnerVS)
* insert SubValue(completedOn, date)

// ---------------------------------------------------------------- Provenance (signatures)

Extension: PeerKitSignatureMethod
Id: signature-method
Title: "Signature method"
Description: "How the signature was captured (wet, electronic, verbal)."
Context: Provenance.signature
* insert CodingValue(PeerKitSignatureMethodVS)

// ---------------------------------------------------------------- Consent (42 CFR 2.31 elements)

Extension: PeerKitConsentExpiration
Id: consent-expiration
Title: "Consent expiration"
Description: "The expiration date, event or condition of the consent (42 CFR 2.31(a)(6)); openEnded is true when the consent period itself had no end."
Context: Consent
* insert Complex
* extension contains
    date 0..1 and
    event 0..1 and
    openEnded 0..1
* insert SubValue(date, date)
* insert SubValue(event, string)
* insert SubValue(openEnded, boolean)

Extension: PeerKitConsentSignature
Id: consent-signature
Title: "Consent signature"
Description: "Who signed the consent (the peer, a guardian, a personal representative) and how (42 CFR 2.31(a)(7))."
Context: Consent
* insert Complex
* extension contains
    signer 1..1 and
    method 1..1
* insert SubCoding(signer, PeerKitConsentSignerVS)
* insert SubCoding(method, PeerKitSignatureMethodVS)

Extension: PeerKitConsentRevocation
Id: consent-revocation
Title: "Consent revocation"
Description: "When and how the peer revoked the consent (42 CFR 2.31(a)(5) right to revoke)."
Context: Consent
* insert Complex
* extension contains
    date 1..1 and
    method 1..1
* insert SubValue(date, dateTime)
* insert SubCoding(method, PeerKitSignatureMethodVS)

Extension: PeerKitInformationDescription
Id: information-description
Title: "Information to be disclosed"
Description: "How much and what kind of information is to be disclosed, as written on the consent (42 CFR 2.31(a)(3))."
Context: Consent
* value[x] 1..1
* value[x] only string

Extension: PeerKitRightToRevokeStatement
Id: right-to-revoke-statement
Title: "Right-to-revoke statement"
Description: "Whether the consent states the patient's right to revoke it and how (42 CFR 2.31(a)(5))."
Context: Consent
* value[x] 1..1
* value[x] only boolean

Extension: PeerKitRedisclosureNotice
Id: redisclosure-notice
Title: "Redisclosure notice"
Description: "Whether the 42 CFR 2.32 notice prohibiting redisclosure accompanies the disclosure."
Context: Consent
* value[x] 1..1
* value[x] only boolean

Extension: PeerKitDocumentedBy
Id: documented-by
Title: "Documented by"
Description: "The peer specialist who documented the peer's consent to a service (Medicare PIN: consent documented in the record)."
Context: Consent
* value[x] 1..1
* value[x] only Reference(Practitioner)

Extension: PeerKitCostSharingExplained
Id: cost-sharing-explained
Title: "Cost sharing explained"
Description: "Whether the peer was told, when consenting to a service, that cost sharing (Medicare coinsurance) applies and that they may stop at any time."
Context: Consent
* value[x] 1..1
* value[x] only boolean

Extension: PeerKitRecipientType
Id: recipient-type
Title: "Recipient type"
Description: "How the recipient is identified: named individual, named organization or general designation (42 CFR 2.31(a)(4))."
Context: Consent.provision.actor
* insert CodingValue(PeerKitRecipientTypeVS)

Extension: PeerKitRecipientDescription
Id: recipient-description
Title: "Recipient description"
Description: "The description of a recipient that also has a name (the actor's display holds the name)."
Context: Consent.provision.actor
* value[x] 1..1
* value[x] only string

// ---------------------------------------------------------------- HealthcareService (program)

Extension: PeerKitPart2Program
Id: part2-program
Title: "42 CFR Part 2 program"
Description: "Whether the program is a federally assisted substance use disorder program under 42 CFR Part 2 (42 CFR 2.11, 2.12): its records carry the DS4P labels R, SUD, 42CFRPart2 and NORDSCLCD."
Context: HealthcareService
* value[x] 1..1
* value[x] only boolean

Extension: PeerKitProgramStart
Id: program-start
Title: "Program start"
Description: "When the program started."
Context: HealthcareService
* value[x] 1..1
* value[x] only date

// ---------------------------------------------------------------- Practitioner and PractitionerRole

Extension: PeerKitContinuingEducation
Id: continuing-education
Title: "Continuing education"
Description: "A continuing-education activity of the specialist (certification renewal counts hours, often with an ethics minimum)."
Context: Practitioner
* insert Complex
* extension contains
    date 1..1 and
    hours 1..1 and
    topic 1..1 and
    ethics 0..1
* insert SubValue(date, date)
* insert SubValue(hours, decimal)
* insert SubValue(topic, string)
* insert SubValue(ethics, boolean)

Extension: PeerKitCredentialState
Id: credential-state
Title: "Credential state"
Description: "The US state (USPS code) whose board issued the certification."
Context: Practitioner.qualification
* value[x] 1..1
* value[x] only code

Extension: PeerKitLivedExperience
Id: lived-experience
Title: "Lived experience"
Description: "An area of the specialist's own lived experience. Private: PeerKit exports it only when the caller opts in."
Context: Practitioner
* insert CodingValue(PeerKitLivedExperienceVS)

Extension: PeerKitSupervisor
Id: supervisor
Title: "Supervisor"
Description: "The specialist's supervisor."
Context: PractitionerRole
* value[x] 1..1
* value[x] only Reference(Practitioner)

Extension: PeerKitSupervision
Id: supervision
Title: "Supervision contact"
Description: "One supervision contact: when, with whom, how long, individual or group."
Context: PractitionerRole
* insert Complex
* extension contains
    date 1..1 and
    supervisor 1..1 and
    minutes 1..1 and
    format 1..1
* insert SubValue(date, date)
* extension[supervisor].value[x] 1..1
* extension[supervisor].value[x] only Reference(Practitioner)
* insert SubValue(minutes, integer)
* insert SubCoding(format, PeerKitSupervisionFormatVS)

Extension: PeerKitCaseloadLimit
Id: caseload-limit
Title: "Caseload limit"
Description: "How many peers the specialist may serve at once."
Context: PractitionerRole
* value[x] 1..1
* value[x] only integer

// ---------------------------------------------------------------- ServiceRequest (referral)

Extension: PeerKitReferralPhone
Id: referral-phone
Title: "Referral target phone"
Description: "The phone number of the service the peer is referred to (the performer is known by name only)."
Context: ServiceRequest
* value[x] 1..1
* value[x] only string
