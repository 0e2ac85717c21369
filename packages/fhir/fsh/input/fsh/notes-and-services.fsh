// Progress notes (DocumentReference), the peer support service (Procedure) and the group roster
// (Group). US Core 9.0.0 DocumentReference rules are carried by hand, each naming the US Core element
// in its `requirements`.

Invariant: us-core-6
Description: "DocumentReference.content.attachment.url or DocumentReference.content.attachment.data or both SHALL be present."
Severity: #error
Expression: "url.exists() or data.exists()"

RuleSet: UsCoreDocumentReference
// US Core 9.0.0 DocumentReference: must-support elements, type 1..1 (required binding), category 1..*
// with the clinical-note category, subject 1..1, attachment invariant us-core-6.
* identifier 1..* MS
* identifier ^requirements = "US Core 9.0.0 DocumentReference.identifier (Must Support)."
* status MS
* status ^requirements = "US Core 9.0.0 DocumentReference.status (Must Support, required binding document-reference-status)."
* docStatus MS
* type 1..1 MS
* type ^requirements = "US Core 9.0.0 DocumentReference.type (1..1, Must Support, required binding us-core-documentreference-type: LOINC Doc-scale codes). The PeerKit value set holds LOINC Doc-scale codes only (with PeerKit's group-note code beside one, for group notes)."
* category 1..* MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category ^requirements = "US Core 9.0.0 DocumentReference.category (1..*, Must Support, sliced by value; slice uscore required binding us-core-documentreference-category)."
* category contains uscore 1..1 MS
* category[uscore] = $us-core-documentreference-category#clinical-note
* category[uscore] ^requirements = "US Core 9.0.0 DocumentReference.category:uscore: clinical-note (US Core clinical notes guidance; fhir-mapping.md section 2.3)."
* subject 1..1 MS
* subject ^requirements = "US Core 9.0.0 DocumentReference.subject (1..1, Must Support; US Core Patient, or Group)."
* date MS
* date ^requirements = "US Core 9.0.0 DocumentReference.date (Must Support): when the note was signed."
* author MS
* author only Reference(Practitioner)
* author ^requirements = "US Core 9.0.0 DocumentReference.author (Must Support; US Core Practitioner)."
* authenticator MS
* authenticator only Reference(Practitioner)
* content MS
* content ^requirements = "US Core 9.0.0 DocumentReference.content (Must Support)."
* content.attachment MS
* content.attachment obeys us-core-6
* content.attachment ^requirements = "US Core 9.0.0 DocumentReference.content.attachment (Must Support, invariant us-core-6)."
* content.attachment.contentType 1..1 MS
* content.attachment.contentType ^requirements = "US Core 9.0.0 DocumentReference.content.attachment.contentType (Must Support)."
* content.attachment.data MS
* content.attachment.data ^requirements = "US Core 9.0.0 DocumentReference.content.attachment.data (Must Support; condition us-core-6). PeerKit sends the note text inline."
* content.attachment.url MS
* content.attachment.url ^requirements = "US Core 9.0.0 DocumentReference.content.attachment.url (Must Support; condition us-core-6)."
* content.format MS
* content.format from $hl7-format-codes (extensible)
* content.format ^requirements = "US Core 9.0.0 DocumentReference.content.format (Must Support, extensible binding v3-HL7FormatCodes)."
* context MS
* context ^requirements = "US Core 9.0.0 DocumentReference.context (Must Support)."
* context.encounter 1..1 MS
* context.encounter only Reference(Encounter)
* context.encounter ^requirements = "US Core 9.0.0 DocumentReference.context.encounter (0..1, Must Support). PeerKit: every note documents one encounter."
* context.period MS
* context.period ^requirements = "US Core 9.0.0 DocumentReference.context.period (Must Support)."
* extension contains PeerKitNoteCosignature named cosignature 0..1 MS

Profile: PeerKitProgressNoteProfile
Parent: DocumentReference
Id: peerkit-progress-note
Title: "PeerKit peer progress note"
Description: "The progress note of one peer support contact: of a one-on-one encounter, or a peer's own copy of a group session note (which names no other attendee). The text is inline (text/plain, UTF-8); docStatus final once signed."
* insert UsCoreDocumentReference
* type from PeerKitProgressNoteTypeVS (required)
* subject only Reference(Patient)

Profile: PeerKitGroupNoteProfile
Parent: DocumentReference
Id: peerkit-group-note
Title: "PeerKit group session note"
Description: "The facilitators' note of a group session as a whole: its subject is the Group, its encounter the session Encounter. It is not part of any one peer's record; each attendee has an own peerkit-progress-note."
* insert UsCoreDocumentReference
* obeys pk-note-1
* type from PeerKitGroupNoteTypeVS (required)
* type.coding 1..*
* subject only Reference(Group)

Invariant: pk-note-1
Description: "A group note's type carries PeerKit's group-note code."
Severity: #error
Expression: "type.coding.where(system = 'https://peerkit.dev/fhir/CodeSystem/peerkit-codes' and code = 'group-note').exists()"

Profile: PeerKitPeerServiceProfile
Parent: Procedure
Id: peerkit-peer-service
Title: "PeerKit peer support service"
Description: "The peer support service delivered in a one-on-one encounter: its activities, the recovery goals it addressed, the plan it is based on. Status not-done (with the reason as text) for a no-show or cancellation."
* obeys pk-svc-1
* extension contains
    PeerKitPeerActivity named activity 0..* MS and
    PeerKitGoalAddressed named goalAddressed 0..* MS and
    PeerKitReferral named referral 0..* MS
* insert Unfold(extension[activity])
* insert Unfold(extension[goalAddressed])
* insert Unfold(extension[referral])
* identifier 1..* MS
* basedOn MS
* basedOn only Reference(CarePlan)
* basedOn ^requirements = "Procedure.basedOn is R4's standard link from a service to the plan it fulfils."
* status MS
* statusReason MS
* category 1..1 MS
* category = $sct#410606002
* category ^requirements = "SNOMED CT 410606002 Social service procedure (BHP example; R4 procedure-category)."
* code 1..1 MS
* code = PeerKitPeerKitCodesCS#peer-support-service
* code ^requirements = "No SNOMED CT code for the peer support service itself was found (fhir-mapping.md section 3); billing codes (HCPCS H0038...) belong to the claim."
* subject MS
* subject only Reference(Patient)
* encounter 1..1 MS
* encounter only Reference(Encounter)
* performed[x] MS
* performed[x] only Period
* performer 1..* MS
* performer.actor only Reference(Practitioner)

Invariant: pk-svc-1
Description: "A service that was not done has no performed period; a completed one has one."
Severity: #error
Expression: "(status = 'not-done') = performed.exists().not()"

Profile: PeerKitGroupProfile
Parent: Group
Id: peerkit-group
Title: "PeerKit peer support group"
Description: "The roster of one peer support group session (R4 Group, actual = true; R4 cites group therapy or treatment sessions as a use): the topic, the attendees (inactive when absent or excused) and the lead facilitator."
* identifier 1..* MS
* active MS
* type = #person
* actual = true
* code 1..1 MS
* code from PeerKitGroupTopicVS (required)
* name MS
* name ^requirements = "The session title. The mapping spec says title or else the topic label; PeerKit's mapping sends the title only when there is one, the topic being in Group.code."
* quantity MS
* managingEntity MS
* managingEntity only Reference(Practitioner)
* member MS
* member.entity only Reference(Patient)
* member.inactive MS
