// Service consent: a peer's consent to receive a service (Medicare PIN G0140/G0146, some Medicaid
// plans), not a disclosure consent. See: fhir-mapping.md section 1 (THO consentscope: treatment),
// section 3 (LOINC 59284-0, R4 consent-category value set); billing.md section 2.1 [S16].

Alias: $hcpcs = http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets

Profile: PeerKitServiceConsentProfile
Parent: Consent
Id: peerkit-service-consent
Title: "PeerKit service consent"
Description: "A peer's consent to receive a service, as Medicare requires for principal illness navigation - peer support (G0140/G0146) and some Medicaid plans require. Scope treatment, category LOINC 59284-0, one permit provision with the services (HCPCS codes; every peer support service when none) and the period. It discloses nothing: disclosure consents use the peerkit-consent profile."
* extension contains
    PeerKitConsentSignature named signature 0..1 MS and
    PeerKitConsentRevocation named revocation 0..1 MS and
    PeerKitProgram named program 0..1 MS and
    PeerKitDocumentedBy named documentedBy 0..1 MS and
    PeerKitCostSharingExplained named costSharingExplained 0..1 MS
* insert Unfold(extension[program])
* insert Unfold(extension[documentedBy])
* insert Unfold(extension[costSharingExplained])
* identifier 1..* MS
* status MS
* scope MS
* scope = $consentscope#treatment
* category MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category contains consentDocument 1..1 MS
* category[consentDocument] = $loinc#59284-0
* category[consentDocument] ^requirements = "LOINC 59284-0 Patient Consent (R4 consent-category value set)."
* patient 1..1 MS
* dateTime MS
* performer MS
* performer ^short = "The peer, when the peer gave the consent"
* policy MS
* policy ^requirements = "R4 invariant ppc-1 needs a policy or policyRule; consentpolicycodes has no consent-to-service code, so the policy is PeerKit's service-consent policy URI."
* provision 1..1 MS
* provision.type 1..1 MS
* provision.type = #permit
* provision.period MS
* provision.code MS
* provision.code ^short = "The services consented to (HCPCS); every peer support service when absent"
* provision.code.coding.system = $hcpcs
