/**
 * ServiceRequest (+ its Tasks) → `referral` record when its `code` is a referral code of the import
 * profile (SNOMED 461481000124109 referral to peer support by default) or its `category` a referral
 * category (Gravity SDOH: food, housing, employment, social connection…); each names the PeerKit
 * target type and category. The latest Task carries the status through closure (Gravity closed loop).
 *
 * See: https://hl7.org/fhir/R4/servicerequest.html; SDOHCC ServiceRequest and Task (fhir-mapping.md §2.5).
 */
import { REFERRAL_URGENCIES, type ReferralStatus } from '@peerkit/model';
import type { HostReadContext } from './internal/context';
import { dateTimeOf, phoneOf, textOf, type HostTypeReader } from './internal/fields';
import type { HostEntry } from './internal/ingest';
import { lookup, obj, objs, str, type Json } from './internal/json';
import { REFERRAL_STATUS_OF_TASK, TASK_MAPPED } from './task';

/** Elements of a ServiceRequest the referral carries. */
export const SERVICE_REQUEST_MAPPED = ['status', 'intent', 'code', 'category', 'subject', 'authoredOn', 'requester', 'performer', 'priority', 'reasonCode', 'meta.lastUpdated'] as const;

/** R4 `ServiceRequest.status` → referral status (`active` = sent; `revoked` = cancelled). */
const STATUS: Readonly<Record<string, ReferralStatus>> = {
  draft: 'draft',
  active: 'requested',
  'on-hold': 'on-hold',
  revoked: 'cancelled',
  completed: 'completed',
};

const CLOSED = new Set<ReferralStatus>(['completed', 'failed', 'cancelled', 'rejected']);

function latest(tasks: readonly HostEntry[]): HostEntry | undefined {
  let best: HostEntry | undefined;
  for (const task of tasks) {
    const at = Date.parse(str(task.resource.lastModified) ?? str(task.resource.authoredOn) ?? '');
    const bestAt = best === undefined ? Number.NaN : Date.parse(str(best.resource.lastModified) ?? str(best.resource.authoredOn) ?? '');
    if (best === undefined || !(at < bestAt)) best = task;
  }
  return best;
}

/** The name and phone of the target a reference names, when it has a name. */
function targetOf(reference: unknown, from: HostEntry, cx: HostReadContext): { name: string; phone?: string } | undefined {
  const target = cx.resolve(reference, from);
  const name = textOf(target?.resource.name) ?? textOf(obj(reference)?.display);
  if (name === undefined) return undefined;
  const phone = phoneOf(target?.resource.telecom);
  return phone === undefined ? { name } : { name, phone };
}

/** The referral's target: the first performer with a name, else the Task's owner. */
function targetName(entry: HostEntry, task: HostEntry | undefined, cx: HostReadContext): { name?: string; phone?: string } {
  const performers = objs(entry.resource.performer);
  for (let i = 0; i < performers.length; i++) {
    const found = targetOf(performers[i], entry, cx);
    if (found !== undefined) return found;
  }
  return (task === undefined ? undefined : targetOf(task.resource.owner, task, cx)) ?? {};
}

/** Reads a referral ServiceRequest (and its Tasks) into a `referral` record. */
export const serviceRequestReader: HostTypeReader = {
  type: 'ServiceRequest',
  read(entry, cx) {
    const request = entry.resource;
    const target = cx.match.referral(request.code, request.category);
    if (target === undefined) {
      cx.report('host.not-peer-support', entry, ['code'], 'ServiceRequest: neither code nor category is a referral code of the import profile');
      return;
    }
    const peerId = cx.peerIdOf(request.subject, entry);
    if (peerId === undefined || request.status === undefined || request.intent === undefined) {
      const missing = [...(request.status === undefined ? ['status'] : []), ...(request.intent === undefined ? ['intent'] : []), ...(peerId === undefined ? ['subject'] : [])];
      cx.report('host.required-missing', entry, [], `ServiceRequest: ${missing.join(', ')} missing (R4 requires status and intent; a referral needs its Patient)`);
      return;
    }
    const tasks = cx.linked(entry, 'task').filter((t) => !cx.isClaimed(t));
    const task = latest(tasks);
    const defaulted: string[] = [];
    const status = (task === undefined ? undefined : lookup(REFERRAL_STATUS_OF_TASK, task.resource.status)) ?? lookup(STATUS, request.status);
    if (status === undefined) defaulted.push('status');
    const created = dateTimeOf(request.authoredOn) ?? dateTimeOf(task?.resource.authoredOn) ?? dateTimeOf(obj(request.meta)?.lastUpdated);
    if (created === undefined) {
      cx.report('host.required-missing', entry, ['authoredOn'], 'ServiceRequest: authoredOn is missing or not a date-time with a time zone');
      return;
    }
    let specialistId = cx.practitionerIdOf(request.requester, entry);
    if (specialistId === undefined) {
      specialistId = cx.profile.defaults.specialistId;
      defaulted.push('specialistId');
    }
    const { name, phone } = targetName(entry, task, cx);
    if (name === undefined) defaulted.push('target.organizationName');
    const priority = str(request.priority);
    const urgency = REFERRAL_URGENCIES.some((u) => u.code === priority) ? priority : 'routine';
    const reason = textOf(objs(request.reasonCode)[0]?.text, 20_000);
    const finalStatus: ReferralStatus = status ?? 'requested';
    const closedAt = CLOSED.has(finalStatus) ? (dateTimeOf(obj(task?.resource.executionPeriod)?.end) ?? dateTimeOf(task?.resource.lastModified)) : undefined;
    const statusReason = textOf(obj(task?.resource.statusReason)?.text);
    cx.notePeerDate(peerId, created);
    const organization: Json = { ...target, organizationName: name ?? cx.profile.defaults.referralTargetName };
    if (phone !== undefined) organization.phone = phone;
    const record: Json = { kind: 'referral', id: cx.recordId(entry), peerId, specialistId, created, target: organization };
    // Optional fields in their place in the model's key order (a spread builds an object for each).
    if (reason !== undefined) record.reason = reason;
    record.urgency = urgency;
    record.status = finalStatus;
    if (closedAt !== undefined) record.closedAt = closedAt;
    if (statusReason !== undefined) record.statusReason = statusReason;
    cx.emit('referral', entry, record, { mapped: SERVICE_REQUEST_MAPPED, parts: tasks.map((t) => ({ entry: t, mapped: TASK_MAPPED })), defaulted });
  },
};
