/**
 * Group (`actual` true, members the attending Patients) + its session Encounter (an Encounter whose
 * `subject` is the Group, as plain R4 allows) → `group-session` record: facilitators and time from the
 * Encounter, attendance from `Group.member` (`inactive` = absent; the member's `period` = minutes
 * present). A Group is a peer session when its `code` carries a peer-support code of the import
 * profile or a peer-support Encounter has it as subject.
 *
 * See: https://hl7.org/fhir/R4/group.html (groups of people present at a session);
 * fhir-mapping.md §1 (Group session).
 */
import { DOCUMENT_REFERENCE_MAPPED, notesOfEncounter } from './document-reference';
import type { HostReadContext } from './internal/context';
import { dateTimeOf, minutesBetween, modalityAndSetting, performerOf, textOf, type HostTypeReader } from './internal/fields';
import type { HostEntry } from './internal/ingest';
import { obj, objs, type Json } from './internal/json';

/** Elements of a Group the session record carries. */
export const GROUP_MAPPED = ['actual', 'type', 'code', 'name', 'member', 'active'] as const;

/** Elements of an Encounter a one-on-one or session record carries. */
export const ENCOUNTER_MAPPED = ['status', 'class', 'type', 'serviceType', 'subject', 'participant', 'period', 'length', 'meta.lastUpdated'] as const;

/** `completed` for a finished Encounter, `cancelled` for a cancelled one; otherwise `undefined`. */
export function encounterStatus(encounter: Json | undefined): 'completed' | 'cancelled' | undefined {
  if (encounter?.status === 'finished') return 'completed';
  return encounter?.status === 'cancelled' ? 'cancelled' : undefined;
}

/** `true` when an Encounter's `type` or `serviceType` carries a peer-support code of the profile. */
export function isPeerEncounter(encounter: Json, cx: HostReadContext): boolean {
  return cx.match.peerSupport(encounter.type) !== undefined || cx.match.peerSupport(encounter.serviceType) !== undefined;
}

function attendeesOf(group: HostEntry | undefined, cx: HostReadContext): Json[] {
  const out: Json[] = [];
  const seen = new Set<string>();
  for (const member of objs(group?.resource.member)) {
    const peerId = group === undefined ? undefined : cx.peerIdOf(member.entity, group);
    if (peerId === undefined || seen.has(peerId) || out.length === 100) continue;
    seen.add(peerId);
    const period = obj(member.period);
    const minutes = minutesBetween(dateTimeOf(period?.start), dateTimeOf(period?.end));
    const absent = member.inactive === true;
    out.push({ peerId, attendance: absent ? 'absent' : 'present', ...(absent || minutes === undefined ? {} : { minutesPresent: minutes }) });
  }
  return out;
}

function memberBounds(group: HostEntry | undefined): { start?: string; end?: string } {
  let start: string | undefined;
  let end: string | undefined;
  for (const member of objs(group?.resource.member)) {
    const s = dateTimeOf(obj(member.period)?.start);
    const e = dateTimeOf(obj(member.period)?.end);
    if (s !== undefined && (start === undefined || Date.parse(s) < Date.parse(start))) start = s;
    if (e !== undefined && (end === undefined || Date.parse(e) > Date.parse(end))) end = e;
  }
  return { ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) };
}

/**
 * Emits the group session of a Group and/or its session Encounters (`main` is the Group, or the
 * Encounter when the Group is not in the input).
 */
export function emitGroupSession(cx: HostReadContext, main: HostEntry, group: HostEntry | undefined, sessions: readonly HostEntry[]): void {
  const { defaults } = cx.profile;
  const session = sessions[0];
  const defaulted: string[] = ['programId', 'programType', 'topic'];
  const status = session === undefined ? 'completed' : encounterStatus(session.resource);
  if (status === undefined) {
    cx.report('host.status-not-read', main, [], `${main.type}: the session Encounter is neither finished nor cancelled`);
    return;
  }
  if (session === undefined) defaulted.push('status');
  const period = obj(session?.resource.period);
  const bounds = memberBounds(group);
  const start = dateTimeOf(period?.start) ?? bounds.start;
  const end = dateTimeOf(period?.end) ?? bounds.end;
  if (start === undefined || end === undefined) {
    cx.report('host.required-missing', main, ['period'], `${main.type}: no start and end date-time of the session (Encounter.period or Group.member.period)`);
    return;
  }
  const facilitatorIds = sessions.flatMap((s) => performerOf(s.resource, s, cx)).filter((id, i, all) => all.indexOf(id) === i).slice(0, 5);
  if (facilitatorIds.length === 0) {
    facilitatorIds.push(defaults.specialistId);
    defaulted.push('facilitatorIds');
  }
  const place = modalityAndSetting(session?.resource, cx, defaulted);
  const notes = sessions.flatMap((s) => notesOfEncounter(s, cx));
  const attendees = attendeesOf(group, cx);
  for (const a of attendees) cx.notePeerDate(a.peerId as string, start);
  const title = textOf(group?.resource.name);
  const id = group !== undefined ? cx.recordId(group) : (cx.idOfUnresolved(session?.resource.subject) ?? cx.recordId(main));
  const parts = [
    ...(group !== undefined && group !== main ? [{ entry: group, mapped: GROUP_MAPPED }] : []),
    ...sessions.filter((s) => s !== main).map((s) => ({ entry: s, mapped: ENCOUNTER_MAPPED })),
    ...notes.map((n) => ({ entry: n.entry, mapped: DOCUMENT_REFERENCE_MAPPED })),
  ];
  cx.emit(
    'group-session',
    main,
    {
      kind: 'group-session',
      id,
      programId: defaults.programId,
      programType: defaults.programType,
      facilitatorIds,
      topic: defaults.groupTopic,
      ...(title === undefined ? {} : { title }),
      status,
      start,
      end,
      modality: place.modality,
      setting: place.setting,
      attendees,
      ...(notes[0] === undefined ? {} : { groupNote: notes[0].note }),
    },
    { mapped: main === group ? GROUP_MAPPED : ENCOUNTER_MAPPED, parts, defaulted },
  );
}

/** Reads a Group (with its session Encounters) into a `group-session` record. */
export const groupReader: HostTypeReader = {
  type: 'Group',
  read(entry, cx) {
    const group = entry.resource;
    const sessions = cx.linked(entry, 'session').filter((s) => !cx.isClaimed(s) && isPeerEncounter(s.resource, cx));
    if (cx.match.peerSupport(group.code) === undefined && sessions.length === 0) {
      cx.report('host.not-peer-support', entry, ['code'], 'Group: no peer-support code in code and no peer-support Encounter has it as subject');
      return;
    }
    if (group.actual !== true) {
      cx.report('host.not-peer-support', entry, ['actual'], 'Group: actual is not true; PeerKit reads groups of people present at a session');
      return;
    }
    emitGroupSession(cx, entry, entry, sessions);
  },
};
