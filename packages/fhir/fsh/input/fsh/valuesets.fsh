// ValueSets that combine PeerKit codes with the standard codes PeerKit sends beside them, so an
// element whose codings mix both can still carry one `required` binding. PeerKit codes are included
// by system (never listed), so they follow the generated CodeSystems.

ValueSet: PeerKitEncounterTypeVS
Id: encounter-type
Title: "PeerKit encounter type"
Description: "Types of a peer's own encounter: a one-on-one peer support encounter, or a peer's attendance at a group session. No SNOMED CT or LOINC code for a peer support encounter was found (fhir-mapping.md section 3), so US Core's extensible VSAC encounter-type binding (2.16.840.1.113762.1.4.1267.23) is met by a local code."
* ^experimental = false
* PeerKitPeerKitCodesCS#peer-support-individual
* PeerKitPeerKitCodesCS#peer-support-group-attendance

ValueSet: PeerKitSpecialistRoleCodeVS
Id: specialist-role-code
Title: "PeerKit peer specialist role code"
Description: "PractitionerRole.code of a peer specialist: the PeerKit role level, with NUCC 175T00000X Peer Specialist as an extra coding. NUCC 175T00000X has no SNOMED CT map in HL7's NUCC to Care Team Member Function ConceptMap (fhir-mapping.md section 1, EHRX), so US Core's extensible VSAC 2.16.840.1.113762.1.4.1099.30 binding cannot be met by a standard code."
* ^experimental = false
* include codes from system PeerKitRoleLevelCS
* $nucc#175T00000X "Peer Specialist"

ValueSet: PeerKitSpecialistSpecialtyVS
Id: specialist-specialty
Title: "PeerKit peer specialist specialty"
Description: "PractitionerRole.specialty of a peer specialist: NUCC 175T00000X Peer Specialist (fhir-mapping.md section 3, THO NUCC tx-cache), then the PeerKit specializations."
* ^experimental = false
* $nucc#175T00000X "Peer Specialist"
* include codes from system PeerKitSpecializationCS

ValueSet: PeerKitProgressNoteTypeVS
Id: progress-note-type
Title: "PeerKit progress note type"
Description: "LOINC document codes for a peer support progress note. No LOINC code with a peer support role exists (fhir-mapping.md section 2.3); 11506-3 Progress note is the default (US Core clinical notes), 34904-3 for behavioral health programs (BHP, C-CDA on FHIR). All are LOINC Doc-scale codes, so within US Core's required us-core-documentreference-type binding."
* ^experimental = false
* $loinc#11506-3 "Progress note"
* $loinc#34904-3 "Mental health Progress note"
* $loinc#28656-7 "Social work Progress note"
* $loinc#34125-5 "Case manager Patient's home Progress note"

ValueSet: PeerKitGroupNoteTypeVS
Id: group-note-type
Title: "PeerKit group note type"
Description: "Type of a group session note: PeerKit's group-note code, with a LOINC progress note code as a translation (which meets US Core's required us-core-documentreference-type binding)."
* ^experimental = false
* PeerKitPeerKitCodesCS#group-note
* include codes from valueset PeerKitProgressNoteTypeVS

ValueSet: PeerKitConsentCategoryVS
Id: consent-category
Title: "PeerKit consent category"
Description: "Consent.category of a PeerKit consent: LOINC 59284-0 Patient Consent (R4 consent-category), v3-ActCode IDSCL information disclosure (THO; the SDOHCC Consent requires it) and the PeerKit consent kind."
* ^experimental = false
* $loinc#59284-0 "Patient Consent"
* $v3-ActCode#IDSCL "information disclosure"
* include codes from system PeerKitConsentKindCS

ValueSet: PeerKitReferralRequestCategoryVS
Id: referral-request-category
Title: "PeerKit referral request category"
Description: "ServiceRequest.category of a PeerKit referral: SNOMED CT 410606002 Social service procedure (BHP peer mentoring example; SDOHCC ServiceRequest) and the PeerKit referral target type."
* ^experimental = false
* $sct#410606002 "Social service procedure"
* include codes from system PeerKitReferralTargetTypeCS
