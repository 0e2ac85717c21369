// The agency, its programs, its specialists and each peer's enrollment and coverage.

Profile: PeerKitOrganizationProfile
Parent: Organization
Id: peerkit-organization
Title: "PeerKit organization"
Description: "The peer support agency: its business identifier and the identifiers it was given (NPI, Medicaid id), name, phone and state."
* identifier 1..* MS
* identifier.system 1..1
* identifier.value 1..1
* active MS
* name 1..1 MS
* telecom MS
* address MS
* address.state MS

Profile: PeerKitProgramProfile
Parent: HealthcareService
Id: peerkit-program
Title: "PeerKit program"
Description: "A peer support program of the agency (mental health, substance use or co-occurring) and whether 42 CFR Part 2 applies to it."
* extension contains
    PeerKitPart2Program named part2 1..1 MS and
    PeerKitProgramStart named start 0..1 MS
* insert Unfold(extension[part2])
* insert Unfold(extension[start])
* identifier 1..* MS
* active MS
* providedBy 1..1 MS
* providedBy only Reference(Organization)
* type 1..* MS
* type from PeerKitProgramTypeVS (required)
* name 1..1 MS

Profile: PeerKitProgramEnrollmentProfile
Parent: EpisodeOfCare
Id: peerkit-program-enrollment
Title: "PeerKit program enrollment"
Description: "A peer's enrollment in a program: the episode of care from enrollment to discharge, with the peer's primary specialist as care manager. Its identifiers carry the peer's record id (<identifierSystem>/peer), which maps the host's Patient back to the peer."
* extension contains PeerKitProgram named program 0..1 MS
* insert Unfold(extension[program])
* identifier 1..* MS
* status MS
* type 1..* MS
* type from PeerKitProgramTypeVS (required)
* patient MS
* managingOrganization MS
* managingOrganization only Reference(Organization)
* period 1..1 MS
* period.start 1..1
* careManager MS
* careManager only Reference(Practitioner)

Profile: PeerKitCoverageProfile
Parent: Coverage
Id: peerkit-coverage
Title: "PeerKit coverage"
Description: "A peer's coverage by a payer (the payer known by its identifier), for billing peer support services."
* identifier 1..* MS
* status MS
* subscriberId 1..1 MS
* beneficiary MS
* period MS
* period.start 1..1
* payor 1..1 MS
* payor.identifier 1..1 MS
* payor.identifier.system 1..1
* payor.identifier.value 1..1

Profile: PeerKitSpecialistProfile
Parent: Practitioner
Id: peerkit-specialist
Title: "PeerKit peer support specialist"
Description: "A peer support specialist: name, identifiers, certifications (as qualifications), continuing education and languages. Lived-experience areas are private and present only when the caller opted in."
* extension contains
    PeerKitContinuingEducation named continuingEducation 0..* MS and
    PeerKitLivedExperience named livedExperience 0..*
* insert Unfold(extension[livedExperience])
* identifier 1..* MS
* identifier.system 1..1
* identifier.value 1..1
* active MS
* name 1..* MS
* name.family MS
* name.given MS
* qualification MS
* qualification.extension contains PeerKitCredentialState named state 0..1 MS
* insert Unfold(qualification.extension[state])
* qualification.identifier MS
* qualification.code MS
* qualification.code from PeerKitCredentialTypeVS (required)
* qualification.period MS
* qualification.issuer MS
* communication MS

Invariant: us-core-13
Description: "SHALL have a practitioner, an organization, a healthcare service, or a location."
Severity: #error
Expression: "practitioner.exists() or organization.exists() or healthcareService.exists() or location.exists()"

Profile: PeerKitSpecialistRoleProfile
Parent: PractitionerRole
Id: peerkit-specialist-role
Title: "PeerKit peer specialist role"
Description: "A specialist's role at the agency: NUCC 175T00000X Peer Specialist, role level, specializations, supervisor, supervision log and caseload limit."
* obeys us-core-13
* . ^requirements = "US Core 9.0.0 PractitionerRole invariant us-core-13 is carried. Its pd-1 (telecom or endpoint) is met when the agency has a phone (sent as the role's telecom) but not required here: PeerKit records no phone of a specialist's own (see README, deviations)."
* extension contains
    PeerKitSupervisor named supervisor 0..1 MS and
    PeerKitSupervision named supervision 0..* MS and
    PeerKitCaseloadLimit named caseloadLimit 0..1 MS
* insert Unfold(extension[supervisor])
* insert Unfold(extension[caseloadLimit])
* identifier 1..* MS
* active MS
* period MS
* practitioner 1..1 MS
* practitioner only Reference(Practitioner)
* practitioner ^requirements = "US Core 9.0.0 PractitionerRole.practitioner (Must Support; condition us-core-13)."
* organization MS
* organization only Reference(Organization)
* organization ^requirements = "US Core 9.0.0 PractitionerRole.organization (Must Support; condition us-core-13)."
* code 1..* MS
* code from PeerKitSpecialistRoleCodeVS (required)
* code ^requirements = "US Core 9.0.0 PractitionerRole.code (Must Support, extensible binding VSAC 2.16.840.1.113762.1.4.1099.30). No code there is a peer specialist: PeerKit sends its role level with NUCC 175T00000X beside it."
* specialty 1..* MS
* specialty from PeerKitSpecialistSpecialtyVS (required)
* specialty ^slicing.discriminator.type = #pattern
* specialty ^slicing.discriminator.path = "$this"
* specialty ^slicing.rules = #open
* specialty ^requirements = "US Core 9.0.0 PractitionerRole.specialty (Must Support, extensible binding NUCC-based VSAC 2.16.840.1.114222.4.11.1066): NUCC 175T00000X Peer Specialist (fhir-mapping.md section 1)."
* specialty contains peerSpecialist 1..1 MS
* specialty[peerSpecialist] = $nucc#175T00000X
* location MS
* location ^requirements = "US Core 9.0.0 PractitionerRole.location (Must Support; condition us-core-13); PeerKit sends none."
* telecom MS
* telecom ^requirements = "US Core 9.0.0 PractitionerRole.telecom (Must Support; condition pd-1); PeerKit sends none."
* telecom.system 1..1 MS
* telecom.system ^requirements = "US Core 9.0.0 PractitionerRole.telecom.system (1..1, Must Support)."
* telecom.value 1..1 MS
* telecom.value ^requirements = "US Core 9.0.0 PractitionerRole.telecom.value (1..1, Must Support)."
* endpoint MS
* endpoint ^requirements = "US Core 9.0.0 PractitionerRole.endpoint (Must Support; condition pd-1); PeerKit sends none."
