// Consent: 42 CFR Part 2 disclosure consent, Part 2 single TPO consent, HIPAA authorization.
// See: fhir-mapping.md section 2.4 (Consent resource field mapping), 42 CFR 2.31.

Profile: PeerKitConsentProfile
Parent: Consent
Id: peerkit-consent
Title: "PeerKit peer support consent"
Description: "A peer's consent to disclose peer support records: a 42 CFR Part 2 consent to named recipients, a Part 2 single consent for treatment, payment and health care operations, or a HIPAA authorization. Scope patient-privacy, category LOINC 59284-0 and IDSCL, one permit provision with the recipients, purposes, data categories and period; the 42 CFR 2.31 elements FHIR lacks are PeerKit extensions."
* extension contains
    PeerKitConsentExpiration named expiration 0..1 MS and
    PeerKitConsentSignature named signature 0..1 MS and
    PeerKitConsentRevocation named revocation 0..1 MS and
    PeerKitInformationDescription named informationDescription 0..1 MS and
    PeerKitRightToRevokeStatement named rightToRevokeStatement 0..1 MS and
    PeerKitRedisclosureNotice named redisclosureNotice 0..1 MS
* insert Unfold(extension[informationDescription])
* insert Unfold(extension[rightToRevokeStatement])
* insert Unfold(extension[redisclosureNotice])
* identifier 1..* MS
* status MS
* scope MS
* scope = $consentscope#patient-privacy
* category MS
* category from PeerKitConsentCategoryVS (required)
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category contains
    consentDocument 1..1 MS and
    disclosure 1..1 MS
* category[consentDocument] = $loinc#59284-0
* category[consentDocument] ^requirements = "LOINC 59284-0 Patient Consent (R4 consent-category value set)."
* category[disclosure] = $v3-ActCode#IDSCL
* category[disclosure] ^requirements = "v3-ActCode IDSCL information disclosure (THO); the Gravity SDOHCC Consent requires it."
* patient 1..1 MS
* dateTime MS
* organization MS
* organization ^short = "The discloser (42 CFR 2.31(a)(2))"
* policy MS
* policy ^requirements = "42 CFR Part 2 by policy.uri: consentpolicycodes 3.0.1 has no Part 2 code (fhir-mapping.md section 2.4)."
* policyRule MS
* provision 1..1 MS
* provision.type 1..1 MS
* provision.type = #permit
* provision.period MS
* provision.actor MS
* provision.actor ^short = "A recipient (42 CFR 2.31(a)(4))"
* provision.actor.extension contains
    PeerKitRecipientType named recipientType 1..1 MS and
    PeerKitRecipientDescription named recipientDescription 0..1 MS
* insert Unfold(provision.actor.extension[recipientType])
* insert Unfold(provision.actor.extension[recipientDescription])
* provision.actor.role = $v3-ParticipationType#IRCP
* provision.action MS
* provision.securityLabel MS
* provision.securityLabel ^short = "Sensitive data categories covered (v3-ActCode SUD, MH, HIV)"
* provision.purpose MS
* provision.code MS
* provision.code from PeerKitDataCategoryVS (required)
* provision.code ^short = "Data categories covered that have no v3-ActCode sensitivity code"
