/**
 * Condition → a `condition` context item: a diagnosis of the patient as billing reads it — its codes
 * (ICD-10-CM, SNOMED CT… as the host wrote them), clinical and verification status, category
 * (`encounter-diagnosis`, `problem-list-item`), and when it held (onset, abatement, recorded date).
 * `@peerkit/billing` (`toBillingFacts`) picks the diagnoses a claim may carry.
 *
 * See: https://hl7.org/fhir/R4/condition.html; US Core Condition Encounter Diagnosis and Problems and
 * Health Concerns profiles.
 */
import { codesOf, conceptCodes, patientOf } from './internal/billing-facts';
import { dateOf, type HostTypeReader } from './internal/fields';
import { codings, obj, str } from './internal/json';

/** Elements of a Condition the context item carries. */
export const CONDITION_MAPPED = [
  'code',
  'subject',
  'clinicalStatus',
  'verificationStatus',
  'category',
  'onsetDateTime',
  'onsetPeriod',
  'abatementDateTime',
  'abatementPeriod',
  'recordedDate',
  'meta.lastUpdated',
] as const;

const firstCode = (concept: unknown): string | undefined => {
  for (const coding of codings(concept)) {
    const code = str(coding.code);
    if (code !== undefined) return code;
  }
  return undefined;
};

/** Reads a Condition into a `condition` context item. */
export const conditionReader: HostTypeReader = {
  type: 'Condition',
  read(entry, cx) {
    const condition = entry.resource;
    const patient = patientOf(condition.subject, entry, cx);
    const codes = codesOf(condition.code);
    const missing = [...(patient === undefined ? ['subject'] : []), ...(codes.length === 0 ? ['code'] : [])];
    if (patient === undefined || missing.length > 0) {
      cx.report('host.required-missing', entry, [], `Condition: ${missing.join(', ')} missing (a diagnosis needs its Patient and a coded code)`);
      return;
    }
    const clinicalStatus = firstCode(condition.clinicalStatus);
    const verificationStatus = firstCode(condition.verificationStatus);
    const onset = dateOf(condition.onsetDateTime) ?? dateOf(obj(condition.onsetPeriod)?.start);
    const abatement = dateOf(condition.abatementDateTime) ?? dateOf(obj(condition.abatementPeriod)?.end);
    const recorded = dateOf(condition.recordedDate);
    cx.addContext(
      entry,
      {
        kind: 'condition',
        id: cx.recordId(entry),
        ...patient,
        codes,
        ...(clinicalStatus === undefined ? {} : { clinicalStatus }),
        ...(verificationStatus === undefined ? {} : { verificationStatus }),
        categories: conceptCodes(condition.category),
        ...(onset === undefined ? {} : { onset }),
        ...(abatement === undefined ? {} : { abatement }),
        ...(recorded === undefined ? {} : { recorded }),
      },
      CONDITION_MAPPED,
    );
  },
};
