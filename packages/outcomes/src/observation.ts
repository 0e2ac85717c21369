/**
 * A score as a FHIR R4 Observation: the total (LOINC where a code exists, PeerKit's code otherwise),
 * its band as the interpretation, `derivedFrom` the QuestionnaireResponse, `subject` the host's
 * Patient, and `basedOn` the peer's recovery plan CarePlan, so the measure shows up with the plan.
 *
 * See: https://hl7.org/fhir/R4/observation.html
 */
import { carePlanResourceId, deterministicUuid } from '@peerkit/fhir';
import type { Coding, Observation, Reference } from 'fhir/r4';
import { OUTCOME_SYSTEMS } from './codes';
import type { InstrumentDefinition } from './instrument';
import type { InstrumentScore } from './score';

/** Options of {@link toScoreObservation}. */
export interface ScoreObservationOptions {
  /**
   * The host EHR's Patient, e.g. `patientReference(createFhirContext(records), peerId)` of
   * `@peerkit/fhir`. Default: the response's own subject; one of the two is required.
   */
  subject?: Reference;
  /** PeerKit id of the peer's recovery plan: `basedOn` `CarePlan/<carePlanResourceId(planId)>`. Default: none. */
  planId?: string;
  /**
   * The QuestionnaireResponse the score comes from. Default `QuestionnaireResponse/<id>` of the
   * scored response; none when it had no id.
   */
  derivedFrom?: Reference;
  /** Logical id. Default `sc-<instrument>.<response id>` (a UUID when longer than 64); none without a response id. */
  id?: string;
  /** Who gave the instrument, e.g. the specialist's Practitioner. Default: none. */
  performer?: Reference[];
  /** Security labels (e.g. `part2Labels()` of `@peerkit/fhir` for a 42 CFR Part 2 program). Default: none. */
  security?: Coding[];
}

/**
 * Writes a score as an Observation (category `survey`, value in `{score}`).
 *
 * @param score - from `scoreQuestionnaireResponse`
 * @param instrument - the instrument it was scored with
 * @param options - subject, recovery plan, response reference, id, performer, labels
 * @returns the Observation, or `undefined` when neither the options nor the score give a subject
 * @example
 * const obs = toScoreObservation(score, PHQ_9, { subject: patientReference(ctx, peer.id), planId: plan.id });
 * obs?.code.coding?.[0]?.code; // '44261-6'
 * See: https://hl7.org/fhir/R4/observation.html
 */
export function toScoreObservation(score: InstrumentScore, instrument: InstrumentDefinition, options: ScoreObservationOptions = {}): Observation | undefined {
  const subject = options.subject ?? score.subject;
  if (subject === undefined) return undefined;
  const id = options.id ?? (score.responseId === undefined ? undefined : scoreObservationId(instrument.id, score.responseId));
  const derivedFrom = options.derivedFrom ?? (score.responseId === undefined ? undefined : { reference: `QuestionnaireResponse/${score.responseId}` });
  // Fields in the order of the R4 Observation definition, so the JSON reads like the spec.
  const observation: Observation = {
    resourceType: 'Observation',
    ...(id !== undefined ? { id } : {}),
    ...(options.security && options.security.length > 0 ? { meta: { security: options.security.map((c) => ({ ...c })) } } : {}),
    ...(options.planId !== undefined ? { basedOn: [{ reference: `CarePlan/${carePlanResourceId(options.planId)}` }] } : {}),
    status: score.status === 'amended' ? 'amended' : 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' }] }],
    code: { coding: [{ ...instrument.totalCode }], text: `${instrument.title} total score` },
    subject: { ...subject },
    ...(score.authored !== undefined ? { effectiveDateTime: score.authored } : {}),
    ...(options.performer && options.performer.length > 0 ? { performer: options.performer.map((p) => ({ ...p })) } : {}),
    valueQuantity: { value: score.total, unit: '{score}', system: 'http://unitsofmeasure.org', code: '{score}' },
    interpretation: [
      {
        coding: [{ system: OUTCOME_SYSTEMS.band, code: `${instrument.id}.${score.band.code}`, display: score.band.label }],
        text: score.band.label,
      },
    ],
    referenceRange: [{ low: { value: score.range.min }, high: { value: score.range.max }, text: 'Possible total scores' }],
    ...(derivedFrom ? { derivedFrom: [derivedFrom] } : {}),
  };
  return observation;
}

function scoreObservationId(instrumentId: string, responseId: string): string {
  const id = `sc-${instrumentId}.${responseId}`;
  return id.length <= 64 ? id : deterministicUuid(id).slice('urn:uuid:'.length);
}
