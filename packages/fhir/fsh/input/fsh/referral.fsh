// Referral: ServiceRequest + Task, the Gravity SDOH closed-loop referral pattern (SDOHCC ServiceRequest,
// SDOHCC Task For Referral Management; fhir-mapping.md sections 1 and 2.5). US Core 9.0.0
// ServiceRequest rules are carried by hand, each naming the US Core element in its `requirements`.

Profile: PeerKitReferralProfile
Parent: ServiceRequest
Id: peerkit-referral
Title: "PeerKit referral"
Description: "A referral made by a peer support specialist: to a community resource (housing, food, employment...), a crisis service (988, mobile crisis) or a clinical service, with its reason, urgency, the goal it pertains to and the consent that allows it. A peerkit-referral-task tracks it to closure."
* extension contains
    http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal named pertainsToGoal 0..1 MS and
    PeerKitReferralPhone named targetPhone 0..1 MS
* insert Unfold(extension[pertainsToGoal])
* insert Unfold(extension[targetPhone])
* extension[pertainsToGoal] ^requirements = "SDOHCC ServiceRequest: the pertainsToGoal extension links the request to the goal (fhir-mapping.md section 2.5)."
* identifier 1..* MS
* basedOn MS
* basedOn only Reference(CarePlan)
* status MS
* status ^requirements = "US Core 9.0.0 ServiceRequest.status (1..1, Must Support)."
* intent MS
* intent = #order
* intent ^requirements = "US Core 9.0.0 ServiceRequest.intent (1..1, Must Support). SDOHCC: order."
* category 1..* MS
* category from PeerKitReferralRequestCategoryVS (required)
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category ^requirements = "US Core 9.0.0 ServiceRequest.category (Must Support; binding us-core-servicerequest-category, which US Core lets implementers treat as extensible)."
* category contains socialService 1..1 MS
* category[socialService] = $sct#410606002
* category[socialService] ^requirements = "SNOMED CT 410606002 Social service procedure (BHP peer mentoring example; SDOHCC ServiceRequest)."
* priority MS
* code 1..1 MS
* code from PeerKitReferralCategoryVS (required)
* code ^requirements = "US Core 9.0.0 ServiceRequest.code (1..1, Must Support). US Core binds it (required) to US Core Procedure Codes; PeerKit sends its referral category instead, as no verified SNOMED CT code exists for most referral targets (fhir-mapping.md section 2.5): see README, deviations."
* subject MS
* subject only Reference(Patient)
* subject ^requirements = "US Core 9.0.0 ServiceRequest.subject (1..1, Must Support; US Core Patient)."
* encounter MS
* encounter only Reference(Encounter)
* encounter ^requirements = "US Core 9.0.0 ServiceRequest.encounter (Must Support)."
* occurrence[x] MS
* occurrence[x] ^requirements = "US Core 9.0.0 ServiceRequest.occurrence[x] (Must Support); PeerKit sends none."
* authoredOn 1..1 MS
* authoredOn ^requirements = "US Core 9.0.0 ServiceRequest.authoredOn (Must Support)."
* requester 1..1 MS
* requester only Reference(Practitioner)
* requester ^requirements = "US Core 9.0.0 ServiceRequest.requester (Must Support)."
* performer MS
* performer ^short = "The service referred to (by name)"
* reasonCode MS
* reasonCode ^requirements = "US Core 9.0.0 ServiceRequest.reasonCode (USCDI additional requirement: reason for referral)."
* reasonReference MS
* reasonReference ^requirements = "US Core 9.0.0 ServiceRequest.reasonReference (USCDI additional requirement); PeerKit sends none."
* supportingInfo MS
* supportingInfo ^short = "The consent that allows the referral"

Profile: PeerKitReferralTaskProfile
Parent: Task
Id: peerkit-referral-task
Title: "PeerKit referral task"
Description: "Tracks a peerkit-referral through closure (Gravity SDOH TaskForReferralManagement pattern): status, owner, execution period, status reason and outcome."
* identifier 1..* MS
* status MS
* status ^requirements = "SDOHCC TaskForReferralManagement: task-status without ready and received (the PeerKit referral statuses)."
* statusReason MS
* statusReason.text 1..1
* statusReason.text ^requirements = "SDOHCC TaskForReferralManagement: statusReason.text is required whenever statusReason is sent."
* intent = #order
* code 1..1 MS
* code = $task-code#fulfill
* focus 1..1 MS
* focus only Reference(ServiceRequest)
* for 1..1 MS
* for only Reference(Patient)
* executionPeriod MS
* authoredOn 1..1 MS
* requester 1..1 MS
* requester only Reference(Practitioner)
* owner 1..1 MS
* output MS
* output ^short = "The referral outcome"
* output.value[x] only CodeableConcept
* output.value[x] from PeerKitReferralOutcomeVS (required)
