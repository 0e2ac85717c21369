// Encounters: a one-on-one peer support encounter, a peer's attendance at a group session, and the
// group session itself. US Core Encounter (9.0.0) rules are carried by hand (the US Core package cannot
// be loaded offline); each carried rule names the US Core element in its `requirements`.

RuleSet: UsCoreEncounter
// US Core 9.0.0 Encounter: must-support elements, identifier.system/value 1..1, type 1..*, subject 1..1.
* meta MS
* meta ^requirements = "US Core 9.0.0 Encounter.meta (Must Support)."
* meta.lastUpdated MS
* meta.lastUpdated ^requirements = "US Core 9.0.0 Encounter.meta.lastUpdated (Must Support)."
* identifier MS
* identifier ^requirements = "US Core 9.0.0 Encounter.identifier (Must Support). PeerKit sends the business identifier <identifierSystem>/encounter."
* identifier.system 1..1 MS
* identifier.system ^requirements = "US Core 9.0.0 Encounter.identifier.system (1..1, Must Support)."
* identifier.value 1..1 MS
* identifier.value ^requirements = "US Core 9.0.0 Encounter.identifier.value (1..1, Must Support)."
* status MS
* status ^requirements = "US Core 9.0.0 Encounter.status (Must Support; R4 required binding encounter-status)."
* class MS
* class ^requirements = "US Core 9.0.0 Encounter.class (Must Support). PeerKit: v3-ActCode AMB, VR, HH, FLD, EMER or IMP by modality and setting (fhir-mapping.md section 2.2)."
* type 1..* MS
* type ^requirements = "US Core 9.0.0 Encounter.type (1..*, Must Support, extensible binding VSAC 2.16.840.1.113762.1.4.1267.23): no code there describes a peer support encounter (fhir-mapping.md section 3), so PeerKit sends its own code, as an extensible binding allows."
* subject 1..1 MS
* subject ^requirements = "US Core 9.0.0 Encounter.subject (1..1, Must Support; US Core Patient or Group)."
* participant MS
* participant ^requirements = "US Core 9.0.0 Encounter.participant (Must Support)."
* participant.type MS
* participant.type ^requirements = "US Core 9.0.0 Encounter.participant.type (Must Support). PeerKit: v3-ParticipationType PPRF."
* participant.period MS
* participant.period ^requirements = "US Core 9.0.0 Encounter.participant.period (Must Support)."
* participant.individual MS
* participant.individual ^requirements = "US Core 9.0.0 Encounter.participant.individual (Must Support; US Core Practitioner)."
* period MS
* period ^requirements = "US Core 9.0.0 Encounter.period (Must Support)."
* reasonCode MS
* reasonCode ^requirements = "US Core 9.0.0 Encounter.reasonCode (Must Support); PeerKit sends none."
* reasonReference MS
* reasonReference ^requirements = "US Core 9.0.0 Encounter.reasonReference (Must Support); PeerKit sends none."
* hospitalization MS
* hospitalization ^requirements = "US Core 9.0.0 Encounter.hospitalization (Must Support); PeerKit sends none."
* hospitalization.dischargeDisposition MS
* hospitalization.dischargeDisposition from $v3-USEncounterDischargeDisposition (preferred)
* hospitalization.dischargeDisposition ^requirements = "US Core 9.0.0 Encounter.hospitalization.dischargeDisposition (Must Support, preferred binding v3-USEncounterDischargeDisposition)."
* location MS
* location ^requirements = "US Core 9.0.0 Encounter.location (Must Support); PeerKit sends the setting as an extension instead."
* location.location MS
* location.location ^requirements = "US Core 9.0.0 Encounter.location.location (Must Support)."
* serviceProvider MS
* serviceProvider ^requirements = "US Core 9.0.0 Encounter.serviceProvider (Must Support; US Core Organization)."

RuleSet: PeerKitEncounterCommon
* extension contains
    PeerKitModality named modality 1..1 MS and
    PeerKitSetting named setting 1..1 MS and
    PeerKitEncounterOutcome named encounterOutcome 0..1 MS and
    PeerKitProgram named program 0..1 MS
* insert Unfold(extension[modality])
* insert Unfold(extension[setting])
* insert Unfold(extension[encounterOutcome])
* insert Unfold(extension[program])
* serviceType MS
* serviceType from PeerKitProgramTypeVS (required)
* serviceType ^requirements = "The program type (mental health, substance use, co-occurring): it decides whether 42 CFR Part 2 labels apply."
* period 1..1
* period.start 1..1 MS
* participant.individual only Reference(Practitioner)
* length MS
* length.system 1..1
* length.system = "http://unitsofmeasure.org"
* length.code 1..1
* length.code = #min
* serviceProvider only Reference(Organization)

Invariant: pk-enc-1
Description: "Only a group attendance Encounter (part of a group session) carries the attendance extension."
Severity: #error
Expression: "extension('https://peerkit.dev/fhir/StructureDefinition/attendance').exists() implies partOf.exists()"

Invariant: pk-enc-2
Description: "An Encounter that is part of a group session is a group attendance."
Severity: #error
Expression: "partOf.exists() implies type.coding.where(system = 'https://peerkit.dev/fhir/CodeSystem/peerkit-codes' and code = 'peer-support-group-attendance').exists()"

Profile: PeerKitEncounterProfile
Parent: Encounter
Id: peerkit-encounter
Title: "PeerKit peer support encounter"
Description: "A peer's own peer support encounter: a one-on-one contact with a peer support specialist, or the peer's attendance at a group session (then partOf the session Encounter, with the attendance extension and the minutes present as length). Its subject is the peer alone: an attendee's Encounter names no other attendee."
* insert UsCoreEncounter
* insert PeerKitEncounterCommon
* obeys pk-enc-1 and pk-enc-2
* extension contains
    PeerKitCrisis named crisis 0..1 MS and
    PeerKitAttendance named attendance 0..1 MS
* insert Unfold(extension[attendance])
* type from PeerKitEncounterTypeVS (required)
* subject only Reference(Patient)
* partOf MS
* partOf only Reference(Encounter)
* partOf ^short = "The group session, for a group attendance"

Profile: PeerKitGroupSessionEncounterProfile
Parent: Encounter
Id: peerkit-group-session-encounter
Title: "PeerKit group session encounter"
Description: "A peer support group session as a whole: its subject is the Group (the roster), its participants the facilitators. Each attendee has an own peerkit-encounter that is partOf this one."
* insert UsCoreEncounter
* insert PeerKitEncounterCommon
* type ^slicing.discriminator.type = #pattern
* type ^slicing.discriminator.path = "$this"
* type ^slicing.rules = #open
* type contains groupSession 1..1 MS
* type[groupSession] = PeerKitPeerKitCodesCS#peer-support-group-session
* subject only Reference(Group)
* subject ^requirements = "US Core 9.0.0 Encounter.subject allows a Group: the roster of the session."
* partOf 0..0
