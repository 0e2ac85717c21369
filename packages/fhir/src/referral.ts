/**
 * Referral ↔ FHIR `ServiceRequest` + `Task` (Gravity SDOH closed-loop referral pattern: the Task
 * tracks status through closure and carries the outcome).
 *
 * See: fhir-mapping.md §1 (Referral row), §2.5 (SDOHCC ServiceRequest: category 410606002, pertainsToGoal;
 * SDOHCC Task: intent order, code task-code#fulfill, focus → ServiceRequest, status without ready/received).
 */
import {
  REFERRAL_CATEGORIES,
  REFERRAL_OUTCOMES,
  REFERRAL_STATUSES,
  REFERRAL_TARGET_TYPES,
  REFERRAL_URGENCIES,
  type Referral,
  type ReferralStatus,
} from '@peerkit/model';
import type { ServiceRequest, Task } from 'fhir/r4';
import { isPart2Peer, patientReference, type FhirContext } from './context';
import { businessIdentifier, ext, exts, meta, peerkitCoding, ref, structureUrl } from './internal/build';
import { codeIn, compact, extOf, isCode, type Reader } from './internal/read';
import {
  businessId,
  code,
  defined,
  peerIdOf,
  resourceReader,
  warnForeignExtensions,
  type Json,
  type Loose,
  type ReadIndex,
  type RecordReader,
} from './internal/record-reader';
import {
  carePlanResourceId,
  consentResourceId,
  encounterResourceId,
  goalResourceId,
  practitionerResourceId,
  referralResourceId,
  referralTaskResourceId,
} from './resource-ids';
import { SOCIAL_SERVICE_PROCEDURE, SYSTEMS } from './systems';

/** The core extension linking a request to the goal it pertains to. Source: SDOHCC ServiceRequest (fhir-mapping.md §2.5). */
export const PERTAINS_TO_GOAL = 'http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal';

const REQUEST_STATUS: Readonly<Record<ReferralStatus, ServiceRequest['status']>> = {
  draft: 'draft',
  requested: 'active',
  accepted: 'active',
  'in-progress': 'active',
  'on-hold': 'on-hold',
  completed: 'completed',
  rejected: 'revoked',
  failed: 'revoked',
  cancelled: 'revoked',
};

/**
 * Maps a referral to a `ServiceRequest` and the `Task` that tracks it to closure.
 *
 * @param referral - the referral record
 * @param ctx - the mapping context
 * @returns `[ServiceRequest, Task]`, or `undefined` when the peer is not in the context
 * @example
 * const [request, task] = toFhirReferral(referral, ctx) ?? [];
 * See: https://hl7.org/fhir/R4/servicerequest.html, https://hl7.org/fhir/R4/task.html
 */
export function toFhirReferral(referral: Referral, ctx: FhirContext): [ServiceRequest, Task] | undefined {
  const patient = patientReference(ctx, referral.peerId);
  if (!patient) return undefined;
  const part2 = isPart2Peer(ctx, referral.peerId);
  const requester = ref('Practitioner', practitionerResourceId(referral.specialistId));
  const performer = { display: referral.target.organizationName };

  const request: ServiceRequest = compact({
    resourceType: 'ServiceRequest',
    id: referralResourceId(referral.id),
    meta: meta(ctx, 'peerkit-referral', part2),
    extension: exts(
      ext(
        PERTAINS_TO_GOAL,
        referral.goalId === undefined || referral.planId === undefined
          ? undefined
          : { valueReference: ref('Goal', goalResourceId(referral.planId, referral.goalId)) },
      ),
      ext(structureUrl(ctx, 'referral-phone'), referral.target.phone === undefined ? undefined : { valueString: referral.target.phone }),
    ),
    identifier: [businessIdentifier(ctx, 'referral', referral.id)],
    basedOn: referral.planId === undefined ? undefined : [ref('CarePlan', carePlanResourceId(referral.planId))],
    status: REQUEST_STATUS[referral.status],
    intent: 'order',
    category: [
      { coding: [{ ...SOCIAL_SERVICE_PROCEDURE }] },
      { coding: [peerkitCoding(ctx, 'referral-target-type', REFERRAL_TARGET_TYPES, referral.target.type)] },
    ],
    priority: referral.urgency,
    code: { coding: [peerkitCoding(ctx, 'referral-category', REFERRAL_CATEGORIES, referral.target.category)] },
    subject: { ...patient },
    encounter: referral.encounterId === undefined ? undefined : ref('Encounter', encounterResourceId(referral.encounterId)),
    authoredOn: referral.created,
    requester: { ...requester },
    performer: [{ ...performer }],
    reasonCode: referral.reason === undefined ? undefined : [{ text: referral.reason }],
    supportingInfo: referral.consentId === undefined ? undefined : [ref('Consent', consentResourceId(referral.consentId))],
  });

  const task: Task = compact({
    resourceType: 'Task',
    id: referralTaskResourceId(referral.id),
    meta: meta(ctx, 'peerkit-referral-task', part2),
    identifier: [businessIdentifier(ctx, 'referral-task', referral.id)],
    status: referral.status,
    statusReason: referral.statusReason === undefined ? undefined : { text: referral.statusReason },
    intent: 'order',
    priority: referral.urgency,
    code: { coding: [{ system: SYSTEMS.taskCode, code: 'fulfill', display: 'Fulfill the focal request' }] },
    focus: ref('ServiceRequest', referralResourceId(referral.id)),
    for: { ...patient },
    executionPeriod: { start: referral.created, end: referral.closedAt },
    authoredOn: referral.created,
    requester: { ...requester },
    owner: { ...performer },
    output:
      referral.outcome === undefined
        ? undefined
        : [
            {
              type: { text: 'Referral outcome' },
              valueCodeableConcept: { coding: [peerkitCoding(ctx, 'referral-outcome', REFERRAL_OUTCOMES, referral.outcome)] },
            },
          ],
  });
  return [request, task];
}

/** Reads referrals (`ServiceRequest` with the `Task` that tracks it) back from FHIR. */
export const referralReader: RecordReader = resourceReader({ type: 'ServiceRequest', identifier: 'referral', read: readReferral });

function readReferral(ix: ReadIndex, r: Reader, s: Loose<ServiceRequest>): Json {
  const me = `ServiceRequest/${String(s.id)}`;
  const task = ix.find<Task>('Task', (t) => t.focus?.reference === me);
  if (task) ix.consumed.add(task);
  warnForeignExtensions(ix, r, s, [PERTAINS_TO_GOAL]);
  const category = (s.category ?? []).map((c) => codeIn(c, ix.cs('referral-target-type'))).find((v) => isCode(REFERRAL_TARGET_TYPES, v));
  const planId = ix.idOf(s.basedOn?.[0], 'CarePlan');
  return defined({
    kind: 'referral',
    id: businessId(s.identifier, 'referral')?.value ?? s.id,
    peerId: peerIdOf(ix, r, s.subject, ['subject']),
    specialistId: ix.idOf(s.requester, 'Practitioner'),
    created: s.authoredOn,
    target: defined({
      type: category,
      category: code(r, REFERRAL_CATEGORIES, s.code, ix.cs('referral-category'), ['code'], 'ServiceRequest.code'),
      organizationName: s.performer?.[0]?.display,
      phone: extOf(s, ix.url('referral-phone'))?.valueString,
    }),
    reason: s.reasonCode?.[0]?.text,
    urgency: isCode(REFERRAL_URGENCIES, s.priority) ? s.priority : 'routine',
    status: isCode(REFERRAL_STATUSES, task?.status) ? task?.status : s.status === 'draft' ? 'draft' : s.status === 'completed' ? 'completed' : 'requested',
    planId,
    goalId: ix.idOf(extOf(s, PERTAINS_TO_GOAL)?.valueReference, 'Goal'),
    consentId: ix.idOf(s.supportingInfo?.[0], 'Consent'),
    encounterId: ix.idOf(s.encounter, 'Encounter'),
    closedAt: task?.executionPeriod?.end,
    outcome: task?.output?.[0]?.valueCodeableConcept ? code(r, REFERRAL_OUTCOMES, task.output[0].valueCodeableConcept, ix.cs('referral-outcome'), ['Task', 'output'], 'Task.output') : undefined,
    statusReason: task?.statusReason?.text,
  });
}
