/**
 * Task (Gravity SDOH TaskForReferralManagement: `focus` the ServiceRequest) → part of its referral:
 * its status carries the referral through closure. The ServiceRequest reader takes the Tasks of the
 * referrals it reads; this reader reports the rest.
 *
 * See: https://hl7.org/fhir/R4/task.html; fhir-mapping.md §2.5 (Task `fulfill`, status VS, statusReason).
 */
import type { ReferralStatus } from '@peerkit/model';
import { referenceStrings, type HostTypeReader } from './internal/fields';
import { isObject } from './internal/json';

/** Elements of a Task the referral carries. */
export const TASK_MAPPED = ['status', 'statusReason', 'focus', 'for', 'owner', 'authoredOn', 'lastModified', 'executionPeriod', 'intent', 'code'] as const;

/** R4 `Task.status` → referral status (`received` is still requested; `ready` is accepted). */
export const REFERRAL_STATUS_OF_TASK: Readonly<Record<string, ReferralStatus>> = {
  draft: 'draft',
  requested: 'requested',
  received: 'requested',
  accepted: 'accepted',
  rejected: 'rejected',
  ready: 'accepted',
  cancelled: 'cancelled',
  'in-progress': 'in-progress',
  'on-hold': 'on-hold',
  failed: 'failed',
  completed: 'completed',
};

/** Reads the Tasks no referral took. */
export const taskReader: HostTypeReader = {
  type: 'Task',
  link(entry, cx) {
    if (entry.linkReferences !== undefined && cx.linkAll(entry, 'task', entry.linkReferences)) return;
    cx.link(entry, 'task', entry.resource.focus);
  },
  // A focus that is no object names nothing (an empty list); one without a reference string is followed as written.
  linkReferences: (resource) => (isObject(resource.focus) ? referenceStrings([resource.focus]) : []),
  read(entry, cx) {
    const focus = cx.resolve(entry.resource.focus, entry);
    if (focus !== undefined || entry.resource.focus === undefined) {
      cx.report('host.not-peer-support', entry, ['focus'], 'Task: its focus is not a referral PeerKit read');
      return;
    }
    cx.addContext(entry, { kind: 'task', id: cx.recordId(entry) }, TASK_MAPPED);
  },
};
