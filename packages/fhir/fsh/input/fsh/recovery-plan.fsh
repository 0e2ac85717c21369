// Recovery plan: CarePlan + one Goal per goal (MCC eCare Plan pattern: the goal in the peer's own
// words, expressedBy the peer) + one Provenance per signature. US Core 9.0.0 CarePlan, Goal and
// Provenance rules are carried by hand; each names the US Core element in its `requirements`.

Profile: PeerKitRecoveryPlanProfile
Parent: CarePlan
Id: peerkit-recovery-plan
Title: "PeerKit recovery plan"
Description: "A person-directed recovery plan: goals in the peer's own words, steps with owners and due dates, strengths, supports and a crisis and safety plan. Signatures are Provenance resources (peerkit-signature) targeting it."
* extension contains
    PeerKitProgram named program 0..1 MS and
    PeerKitStrength named strength 0..* MS and
    PeerKitReviewDue named reviewDue 0..1 MS and
    PeerKitSupport named support 0..* MS and
    PeerKitCrisisPlan named crisisPlan 0..1 MS
* insert Unfold(extension[program])
* insert Unfold(extension[strength])
* insert Unfold(extension[reviewDue])
* text MS
* text ^requirements = "US Core 9.0.0 CarePlan.text (Must Support); US Core 5.0.1 requires it (1..1). PeerKit sends a generated narrative naming the plan's kind, status and counts, never its content (free text stays in structured elements)."
* text.status MS
* text.status from $us-core-narrative-status (required)
* text.status ^requirements = "US Core 9.0.0 CarePlan.text.status (Must Support, required binding us-core-narrative-status: generated | additional)."
* text.div MS
* text.div ^requirements = "US Core 9.0.0 CarePlan.text.div (Must Support)."
* identifier 1..* MS
* status MS
* status ^requirements = "US Core 9.0.0 CarePlan.status (Must Support, required binding request-status)."
* intent MS
* intent = #plan
* intent ^requirements = "US Core 9.0.0 CarePlan.intent (Must Support, required binding care-plan-intent). PeerKit: always plan."
* category 1..* MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category ^requirements = "US Core 9.0.0 CarePlan.category (1..*, Must Support, sliced by value)."
* category contains
    AssessPlan 0..1 MS and
    PeerRecoveryPlan 1..1 MS
* category[AssessPlan] = $us-core-careplan-category#assess-plan
* category[AssessPlan] ^requirements = "US Core 9.0.0 CarePlan.category:AssessPlan (0..1, Must Support; deprecated in US Core 9). US Core 5.0.1 requires it (1..1), so PeerKit sends it."
* category[PeerRecoveryPlan] = PeerKitPeerKitCodesCS#peer-recovery-plan
* category[PeerRecoveryPlan] ^requirements = "A local category code, as US Core 9 suggests for plan kinds (fhir-mapping.md section 2.1)."
* subject MS
* subject only Reference(Patient)
* subject ^requirements = "US Core 9.0.0 CarePlan.subject (Must Support; US Core Patient or Group). A recovery plan is one peer's."
* period MS
* created MS
* author MS
* author only Reference(Practitioner)
* contributor MS
* contributor ^requirements = "US Core 9.0.0 CarePlan.contributor (USCDI additional requirement): the peer and the specialist."
* goal MS
* goal only Reference(Goal)
* activity MS
* activity.extension contains PeerKitStep named step 0..1 MS
* activity.detail MS
* activity.detail.status MS
* activity.detail.description MS
* activity.detail.goal only Reference(Goal)
* activity.detail.performer only Reference(Patient or Practitioner or RelatedPerson or Organization or PractitionerRole or CareTeam)

Profile: PeerKitRecoveryGoalProfile
Parent: Goal
Id: peerkit-recovery-goal
Title: "PeerKit recovery goal"
Description: "A recovery goal in the peer's own words (description.text), expressed by the peer, in a recovery domain (health, home, purpose, community), with target date and achievement status (MCC MCCGoal pattern)."
* identifier 1..* MS
* lifecycleStatus MS
* lifecycleStatus ^requirements = "US Core 9.0.0 Goal.lifecycleStatus (Must Support, required binding goal-status)."
* achievementStatus MS
* achievementStatus ^requirements = "MCC MCCGoal.achievementStatus (Must Support)."
* category 1..* MS
* category from PeerKitRecoveryDomainVS (required)
* category ^requirements = "The recovery domain of the goal (SAMHSA dimensions of recovery)."
* description MS
* description from $us-core-goal-description (preferred)
* description ^requirements = "US Core 9.0.0 Goal.description (Must Support, preferred binding us-core-goal-description)."
* description.text 1..1 MS
* description.text ^requirements = "The goal as the peer said it."
* subject MS
* subject only Reference(Patient)
* subject ^requirements = "US Core 9.0.0 Goal.subject (Must Support; US Core Patient)."
* start[x] MS
* start[x] ^requirements = "US Core 9.0.0 Goal.start[x] (Must Support; startDate Must Support)."
* target MS
* target ^requirements = "US Core 9.0.0 Goal.target (Must Support)."
* target.due[x] MS
* target.due[x] ^requirements = "US Core 9.0.0 Goal.target.due[x] (Must Support; dueDate Must Support)."
* expressedBy 1..1 MS
* expressedBy only Reference(Patient)
* expressedBy ^requirements = "US Core 9.0.0 Goal.expressedBy (Must Support); MCC MCCGoal: a patient-authored goal is expressedBy the Patient. In PeerKit every recovery goal is the peer's."

Profile: PeerKitSignatureProfile
Parent: Provenance
Id: peerkit-signature
Title: "PeerKit recovery plan signature"
Description: "One signature on a recovery plan (peer, specialist, supervisor, clinician or guardian): who signed, in which role, when and how."
* target 1..1 MS
* target only Reference(CarePlan)
* target ^requirements = "US Core 9.0.0 Provenance.target (Must Support)."
* target.reference 1..1 MS
* target.reference ^requirements = "US Core 9.0.0 Provenance.target.reference (Must Support)."
* recorded MS
* recorded ^requirements = "US Core 9.0.0 Provenance.recorded (Must Support)."
* agent 1..1 MS
* agent ^requirements = "US Core 9.0.0 Provenance.agent (Must Support). US Core's provenance-1 invariant (onBehalfOf when who is a Practitioner) is met by the mapping (a specialist signs on behalf of the agency) but not required here: see README, deviations."
* agent.type 1..1 MS
* agent.type = $provenance-participant-type#attester
* agent.type ^requirements = "US Core 9.0.0 Provenance.agent.type (Must Support, extensible binding us-core-provenance-participant-type): a signer attests the plan, provenance-participant-type#attester."
* agent.role 1..1 MS
* agent.role from PeerKitSignerRoleVS (required)
* agent.who MS
* agent.who only Reference(Patient or Practitioner or RelatedPerson)
* agent.who ^requirements = "US Core 9.0.0 Provenance.agent.who (Must Support)."
* agent.onBehalfOf MS
* agent.onBehalfOf only Reference(Organization)
* agent.onBehalfOf ^requirements = "US Core 9.0.0 Provenance.agent.onBehalfOf (Must Support; US Core Organization)."
* signature 1..1 MS
* signature.extension contains PeerKitSignatureMethod named method 1..1 MS
* insert Unfold(signature.extension[method])
* signature.when MS
