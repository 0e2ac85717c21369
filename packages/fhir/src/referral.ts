/**
 * Referral → FHIR `ServiceRequest` + `Task` (Gravity SDOH closed-loop referral pattern: the Task
 * tracks status through closure and carries the outcome).
 *
 * See: fhir-mapping.md §1 (Referral row), §2.5 (SDOHCC ServiceRequest: category 410606002, pertainsToGoal;
 * SDOHCC Task: intent order, code task-code#fulfill, focus → ServiceRequest, status without ready/received).
 */
import {
  REFERRAL_CATEGORIES,
  REFERRAL_OUTCOMES,
  REFERRAL_TARGET_TYPES,
  type Referral,
  type ReferralStatus,
} from '@peerkit/model';
import type { ServiceRequest, Task } from 'fhir/r4';
import { isPart2Peer, patientReference, type FhirContext } from './context';
import { consentResourceId } from './consent';
import { encounterResourceId, SOCIAL_SERVICE_PROCEDURE } from './encounter';
import { businessIdentifier, ext, exts, meta, peerkitCoding, ref, structureUrl } from './internal/build';
import { resourceId } from './internal/ids';
import { compact } from './internal/read';
import { carePlanResourceId, goalResourceId } from './recovery-plan';
import { practitionerResourceId } from './specialist';
import { SYSTEMS } from './systems';

/** Logical id of a referral's `ServiceRequest`. */
export const referralResourceId = (referralId: string): string => resourceId('sr', referralId);

/** Logical id of a referral's `Task`. */
export const referralTaskResourceId = (referralId: string): string => resourceId('tk', referralId);

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
