// External code systems and value sets the profiles use. Each was verified in the source named in
// /work/shared/reference/fhir-mapping.md (THO = HL7 Terminology, USC = US Core 9.0.0, SDOH = Gravity
// SDOH Clinical Care, BHP = US Behavioral Health Profiles draft).
Alias: $v3-ActCode = http://terminology.hl7.org/CodeSystem/v3-ActCode
Alias: $v3-ParticipationType = http://terminology.hl7.org/CodeSystem/v3-ParticipationType
Alias: $consentscope = http://terminology.hl7.org/CodeSystem/consentscope
Alias: $consentaction = http://terminology.hl7.org/CodeSystem/consentaction
Alias: $loinc = http://loinc.org
Alias: $sct = http://snomed.info/sct
Alias: $nucc = http://nucc.org/provider-taxonomy
Alias: $task-code = http://hl7.org/fhir/CodeSystem/task-code
Alias: $provenance-participant-type = http://terminology.hl7.org/CodeSystem/provenance-participant-type
Alias: $us-core-documentreference-category = http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category
Alias: $us-core-careplan-category = http://hl7.org/fhir/us/core/CodeSystem/careplan-category
// US Core 9.0.0 value sets the carried rules cite (not shipped in this pack; see README "Profile pack").
Alias: $us-core-narrative-status = http://hl7.org/fhir/us/core/ValueSet/us-core-narrative-status
Alias: $us-core-documentreference-category-vs = http://hl7.org/fhir/us/core/ValueSet/us-core-documentreference-category
Alias: $vsac-encounter-type = http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113762.1.4.1267.23
Alias: $us-core-goal-description = http://hl7.org/fhir/us/core/ValueSet/us-core-goal-description
Alias: $us-core-provenance-participant-type = http://hl7.org/fhir/us/core/ValueSet/us-core-provenance-participant-type
Alias: $us-core-servicerequest-category = http://hl7.org/fhir/us/core/ValueSet/us-core-servicerequest-category
Alias: $hl7-format-codes = http://terminology.hl7.org/ValueSet/v3-HL7FormatCodes
Alias: $v3-USEncounterDischargeDisposition = http://terminology.hl7.org/ValueSet/v3-USEncounterDischargeDisposition
