/**
 * `patient-view`: what peer support the patient has (active recovery plan, last peer contact, consent
 * in force), and a referral to peer support suggested when a substance-use or mental-health diagnosis
 * is on file and no peer service is.
 *
 * See: https://cds-hooks.hl7.org/hooks/patient-view/2.0/
 */
import { readHostFhir } from '@peerkit/fhir';
import { isConsentInForce } from '@peerkit/model';
import { ICD10CM_URL } from '../codes';
import { makeCard } from '../internal/cards';
import { ofType, type FhirJson } from '../internal/resources';
import type { Card } from '../types';
import { dateOf, patientOf, prefetchTemplates, type CdsHook, type HookInput } from './hook';
import { openPeerSupportOrders, peerReferralRequest, qualifyingDiagnoses, rangeNames, REFERRAL_OVERRIDE_REASONS, requesterOf } from './peer-referral';

/** Id of the patient-view service. */
export const PATIENT_VIEW_SERVICE_ID = 'peerkit-patient-view';

const PREFETCH = prefetchTemplates('patient', 'conditions', 'encounters', 'carePlans', 'consents', 'serviceRequests');

/** The source every patient-view card names. */
const SOURCE = { label: 'PeerKit peer support', topic: { system: 'https://peerkit.dev/cds', code: 'peer-support-summary', display: 'Peer support summary' } };

const PEER_KINDS = new Set(['substance-use', 'mental-health'] as const);

/** What peer support the patient has, read from the host's resources. */
interface PeerSupportStatus {
  readonly activePlans: number;
  readonly lastContact: string | undefined;
  readonly consents: number;
  readonly part2Consents: number;
}

function peerSupportStatus(input: HookInput, resources: readonly FhirJson[]): PeerSupportStatus {
  const today = dateOf(input.now);
  const { records } = readHostFhir(resources, { asOf: today });
  let activePlans = 0;
  let lastContact: string | undefined;
  let consents = 0;
  let part2Consents = 0;
  for (const { kind, record } of records) {
    if (kind === 'recovery-plan' && record.status === 'active') activePlans += 1;
    if (kind === 'encounter' && record.status === 'completed' && (lastContact === undefined || record.start > lastContact)) lastContact = record.start;
    if (kind === 'consent' && isConsentInForce(record, today)) {
      consents += 1;
      if (record.consentKind.startsWith('part2')) part2Consents += 1;
    }
  }
  return { activePlans, lastContact, consents, part2Consents };
}

function summaryCard(input: HookInput, status: PeerSupportStatus): Card | undefined {
  const { activePlans, lastContact, consents, part2Consents } = status;
  if (activePlans === 0 && lastContact === undefined && consents === 0) return undefined;
  const parts = [
    activePlans > 0 ? 'active recovery plan' : 'no active recovery plan',
    lastContact === undefined ? 'no peer contact on file' : `last peer contact ${lastContact.slice(0, 10)}`,
    consents > 0 ? 'consent on file' : 'no consent in force',
  ];
  const detail = [
    `- Active recovery plans: ${activePlans}`,
    `- Last completed peer encounter: ${lastContact === undefined ? 'none on file' : lastContact.slice(0, 10)}`,
    `- Consents in force today: ${consents}${part2Consents > 0 ? ` (42 CFR Part 2: ${part2Consents})` : ''}`,
    consents === 0 ? '\nNo consent in force: records of a Part 2 program may not be disclosed (42 CFR §2.31, §2.33).' : '',
  ].join('\n');
  return makeCard(input.newId, { summary: `Peer support: ${parts.join(' · ')}`, detail: detail.trim(), indicator: 'info', source: SOURCE });
}

function referralCard(input: HookInput, resources: readonly FhirJson[], hasPeerServices: boolean): Card | undefined {
  if (hasPeerServices || openPeerSupportOrders(resources).length > 0) return undefined;
  // Without the patient's encounters, plans and orders "no peer services" is not known: suggest nothing.
  if (['encounters', 'carePlans', 'serviceRequests'].some((key) => input.missing.includes(key))) return undefined;
  const diagnoses = qualifyingDiagnoses(input.data.conditions ?? [], PEER_KINDS);
  if (diagnoses.length === 0) return undefined;
  const requester = requesterOf(input.request.context.userId);
  const resource = peerReferralRequest({
    patient: patientOf(input.request),
    reasons: diagnoses,
    priority: 'routine',
    note: 'Peer support: a certified peer specialist with lived experience of recovery, alongside treatment.',
    authoredOn: dateOf(input.now),
    ...(requester === undefined ? {} : { requester }),
  });
  return makeCard(input.newId, {
    summary: 'Consider a referral to peer support: a substance-use or mental-health diagnosis is on file, no peer services',
    detail: `A diagnosis in ICD-10-CM ${rangeNames(diagnoses)} is on the problem list and no peer encounter, recovery plan or open peer-support order is on file. Peer support services are a Medicaid-covered evidence-based practice (CMS SMDL #07-011).`,
    indicator: 'info',
    source: { label: 'ICD-10-CM diagnosis blocks (CDC NCHS); CMS SMDL #07-011', url: ICD10CM_URL },
    suggestions: [{ label: 'Refer to peer support', isRecommended: true, actions: [{ type: 'create', description: 'Create a referral to peer support (SNOMED CT 461481000124109)', resource }] }],
    overrideReasons: [...REFERRAL_OVERRIDE_REASONS],
  });
}

/**
 * The `patient-view` service: a peer support summary card and, where it applies, a referral suggestion.
 * See: https://cds-hooks.hl7.org/hooks/patient-view/2.0/
 */
export const PATIENT_VIEW_HOOK: CdsHook = {
  definition: {
    hook: 'patient-view',
    id: PATIENT_VIEW_SERVICE_ID,
    title: 'PeerKit peer support summary',
    description: "Summarises the patient's peer support (recovery plan, last peer contact, consent on file) and suggests a referral to peer support when a substance-use or mental-health diagnosis is on file and no peer services are.",
    prefetch: PREFETCH,
    usageRequirements: 'Read access to Patient, Condition, Encounter, CarePlan, Consent and ServiceRequest of the patient (prefetch or fhirAuthorization).',
  },
  contextFields: ['userId', 'patientId'],
  contextObjects: [],
  answer(input) {
    const resources = ['patient', 'encounters', 'carePlans', 'consents', 'serviceRequests'].flatMap((key) => input.data[key] ?? []);
    const cards: Card[] = [];
    const status = peerSupportStatus(input, resources);
    const summary = summaryCard(input, status);
    if (summary !== undefined) cards.push(summary);
    const hasPeerServices = status.activePlans > 0 || status.lastContact !== undefined;
    const referral = referralCard(input, ofType(resources, 'ServiceRequest'), hasPeerServices);
    if (referral !== undefined) cards.push(referral);
    return { cards };
  },
};
