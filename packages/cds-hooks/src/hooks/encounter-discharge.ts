/**
 * `encounter-discharge`: an emergency or inpatient discharge with an overdose (ICD-10-CM T40) or
 * substance-use (F10–F19) diagnosis suggests a warm hand-off to a peer recovery specialist before the
 * patient leaves.
 *
 * See: https://cds-hooks.hl7.org/hooks/encounter-discharge/2.0/
 */
import { DISCHARGE_ENCOUNTER_CLASSES, ICD10CM_URL } from '../codes';
import { makeCard } from '../internal/cards';
import { codings, isObject, ofType, referenceOf, refersTo, type FhirJson } from '../internal/resources';
import { dateOf, patientOf, prefetchTemplates, type CdsHook } from './hook';
import { openPeerSupportOrders, peerReferralRequest, qualifyingDiagnoses, rangeNames, REFERRAL_OVERRIDE_REASONS, requesterOf } from './peer-referral';

/** Id of the encounter-discharge service. */
export const ENCOUNTER_DISCHARGE_SERVICE_ID = 'peerkit-encounter-discharge';

const PREFETCH = prefetchTemplates('encounter', 'conditions', 'serviceRequests');

const HANDOFF_KINDS = new Set(['overdose', 'substance-use'] as const);

/** `true` when the Encounter is an emergency or inpatient stay. */
function isDischargeSetting(encounter: FhirJson): boolean {
  return codings(encounter.class).some((c) => c.code !== undefined && DISCHARGE_ENCOUNTER_CLASSES.has(c.code));
}

/** The Conditions of this encounter: its `diagnosis` list, and Conditions whose `encounter` is it. */
function encounterConditions(encounter: FhirJson, conditions: readonly FhirJson[]): FhirJson[] {
  const target = `Encounter/${String(encounter.id)}`;
  const listed = new Set(
    (Array.isArray(encounter.diagnosis) ? encounter.diagnosis : []).flatMap((d: unknown) => (isObject(d) ? (referenceOf(d.condition) ?? []) : [])),
  );
  return conditions.filter((c) => refersTo(c.encounter, target) || [...listed].some((ref) => ref === `Condition/${String(c.id)}` || ref.endsWith(`/Condition/${String(c.id)}`)));
}

/**
 * The `encounter-discharge` service: a warm hand-off suggestion for ED and inpatient discharges after
 * an overdose or with a substance-use diagnosis.
 * See: https://cds-hooks.hl7.org/hooks/encounter-discharge/2.0/
 */
export const ENCOUNTER_DISCHARGE_HOOK: CdsHook = {
  definition: {
    hook: 'encounter-discharge',
    id: ENCOUNTER_DISCHARGE_SERVICE_ID,
    title: 'PeerKit warm hand-off to a peer recovery specialist',
    description: 'On an emergency or inpatient discharge with an overdose (ICD-10-CM T40) or substance-use (F10–F19) diagnosis, suggests a warm hand-off to a peer recovery specialist.',
    prefetch: PREFETCH,
    usageRequirements: 'Read access to the Encounter and to Condition and ServiceRequest of the patient (prefetch or fhirAuthorization).',
  },
  contextFields: ['userId', 'patientId', 'encounterId'],
  contextObjects: [],
  answer(input) {
    const encounter = ofType(input.data.encounter ?? [], 'Encounter')[0];
    if (encounter === undefined || !isDischargeSetting(encounter)) return { cards: [] };
    const diagnoses = qualifyingDiagnoses(encounterConditions(encounter, input.data.conditions ?? []), HANDOFF_KINDS);
    if (diagnoses.length === 0 || openPeerSupportOrders(input.data.serviceRequests ?? []).length > 0) return { cards: [] };
    const overdose = diagnoses.some((d) => d.range.kind === 'overdose');
    const requester = requesterOf(input.request.context.userId);
    const resource = peerReferralRequest({
      patient: patientOf(input.request),
      encounter: `Encounter/${String(input.request.context.encounterId)}`,
      reasons: diagnoses,
      priority: 'urgent',
      note: 'Warm hand-off: a peer recovery specialist meets the patient before discharge (in person or by phone) and follows up after.',
      authoredOn: dateOf(input.now),
      ...(requester === undefined ? {} : { requester }),
    });
    const card = makeCard(input.newId, {
      summary: overdose ? 'Overdose at this visit: warm hand-off to a peer recovery specialist before discharge' : 'Substance-use diagnosis at this visit: warm hand-off to a peer recovery specialist',
      detail: `This ${codings(encounter.class)[0]?.code === 'EMER' ? 'emergency' : 'inpatient'} encounter has a diagnosis in ICD-10-CM ${rangeNames(diagnoses)} and no peer-support order is open. Connecting the patient with a peer recovery specialist before they leave links them to recovery support and treatment after an overdose.`,
      indicator: overdose ? 'warning' : 'info',
      source: { label: 'ICD-10-CM T40, F10–F19 (CDC NCHS); SAMHSA peer recovery support', url: ICD10CM_URL },
      suggestions: [{ label: 'Warm hand-off to a peer recovery specialist', isRecommended: true, actions: [{ type: 'create', description: 'Create an urgent referral to peer support for this encounter (SNOMED CT 461481000124109)', resource }] }],
      overrideReasons: [...REFERRAL_OVERRIDE_REASONS],
    });
    return { cards: [card] };
  },
};
