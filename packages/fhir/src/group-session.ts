/**
 * GroupSession ↔ FHIR `Group` (the roster), a session `Encounter` (subject the Group), the group note,
 * and for each attendee their own `Encounter` (`partOf` the session) and note.
 *
 * Confidentiality: an attendee's Encounter and note reference only that attendee's Patient; the roster
 * lives in the Group and the session Encounter, which are never part of one peer's record.
 *
 * See: fhir-mapping.md §1 (Group session row: per-attendee Encounters keep US Core conformance and
 * per-patient consent/labels), R4 Group (actual=true).
 */
import {
  ATTENDANCE,
  ENCOUNTER_STATUSES,
  GROUP_TOPICS,
  MODALITIES,
  PROGRAM_TYPES,
  SETTINGS,
  type Attendee,
  type GroupSession,
} from '@peerkit/model';
import type { DocumentReference, Encounter, Group } from 'fhir/r4';
import { isPart2Program, patientReference, type FhirContext } from './context';
import { encounterClass, minutes, peerkitCode, sessionFields } from './encounter';
import { businessIdentifier, ext, exts, meta, peerkitCoding, ref, structureUrl } from './internal/build';
import { compact, extOf, type Reader } from './internal/read';
import {
  businessId,
  code,
  codingOf,
  defined,
  peerIdOf,
  resourceReader,
  type Json,
  type Loose,
  type ReadIndex,
  type RecordReader,
} from './internal/record-reader';
import { noteOfEncounter, PROGRESS_NOTE_TYPE, readNote, toFhirNote } from './note';
import {
  attendeeEncounterResourceId,
  attendeeNoteResourceId,
  groupNoteResourceId,
  groupResourceId,
  organizationResourceId,
  practitionerResourceId,
  programResourceId,
  sessionEncounterResourceId,
} from './resource-ids';
import { SYSTEMS } from './systems';

const attended = (a: Attendee): boolean => a.attendance === 'present' || a.attendance === 'late' || a.attendance === 'left-early';

/**
 * Maps a group session. The attendees whose peer is not in the context are reported by
 * {@link toFhir}; here they are skipped.
 *
 * @param session - the group session record
 * @param ctx - the mapping context
 * @returns `[Group, session Encounter, group note?, ...attendee Encounters and notes]`
 * @example
 * const resources = toFhirGroupSession(session, ctx);
 * See: https://hl7.org/fhir/R4/group.html, https://hl7.org/fhir/R4/encounter.html
 */
export function toFhirGroupSession(session: GroupSession, ctx: FhirContext): (Group | Encounter | DocumentReference)[] {
  const part2 = isPart2Program(ctx, session.programId, session.programType);
  const url = (name: string): string => structureUrl(ctx, name);
  const organizationId = ctx.programs.get(session.programId)?.organizationId ?? ctx.organizationId;
  const groupRef = ref('Group', groupResourceId(session.id));
  const sessionRef = ref('Encounter', sessionEncounterResourceId(session.id));
  const lead = ref('Practitioner', practitionerResourceId(session.facilitatorIds[0] ?? ''));
  const held = session.status === 'completed';
  const common = {
    class: encounterClass(session.modality, session.setting),
    serviceType: { coding: [peerkitCoding(ctx, 'program-type', PROGRAM_TYPES, session.programType)] },
    serviceProvider: organizationId === undefined ? undefined : ref('Organization', organizationResourceId(organizationId)),
  };
  const sessionExtensions = [
    ext(url('modality'), { valueCoding: peerkitCoding(ctx, 'modality', MODALITIES, session.modality) }),
    ext(url('setting'), { valueCoding: peerkitCoding(ctx, 'setting', SETTINGS, session.setting) }),
    ext(url('encounter-outcome'), { valueCoding: peerkitCoding(ctx, 'encounter-outcome', ENCOUNTER_STATUSES, session.status) }),
    ext(
      url('program'),
      organizationId === undefined ? undefined : { valueReference: ref('HealthcareService', programResourceId(organizationId, session.programId)) },
    ),
  ];

  const members = session.attendees.flatMap((a) => {
    const patient = patientReference(ctx, a.peerId);
    return patient ? [{ attendee: a, patient }] : [];
  });

  const group: Group = compact({
    resourceType: 'Group',
    id: groupResourceId(session.id),
    meta: meta(ctx, 'peerkit-group', part2),
    identifier: [businessIdentifier(ctx, 'group-session', session.id)],
    active: true,
    type: 'person',
    actual: true,
    code: { coding: [peerkitCoding(ctx, 'group-topic', GROUP_TOPICS, session.topic)] },
    name: session.title,
    quantity: members.length,
    managingEntity: { ...lead },
    member: members.map(({ attendee, patient }) => ({ entity: { ...patient }, inactive: !attended(attendee) })),
  });

  const sessionEncounter: Encounter = compact({
    resourceType: 'Encounter',
    id: sessionEncounterResourceId(session.id),
    meta: meta(ctx, 'peerkit-group-session-encounter', part2),
    extension: exts(...sessionExtensions),
    identifier: [businessIdentifier(ctx, 'group-session', session.id)],
    status: held ? 'finished' : 'cancelled',
    class: common.class,
    type: [{ coding: [peerkitCode(ctx, 'peer-support-group-session', 'Peer support group session')] }],
    serviceType: common.serviceType,
    subject: { ...groupRef },
    participant: session.facilitatorIds.map((id) => ({
      type: [{ coding: [{ system: SYSTEMS.participationType, code: 'PPRF', display: 'primary performer' }] }],
      individual: ref('Practitioner', practitionerResourceId(id)),
    })),
    period: { start: session.start, end: session.end },
    serviceProvider: common.serviceProvider,
  });

  const out: (Group | Encounter | DocumentReference)[] = [group, sessionEncounter];
  if (session.groupNote) {
    out.push(
      toFhirNote(ctx, {
        id: groupNoteResourceId(session.id),
        identifier: { name: 'group-note', value: session.id },
        profile: 'peerkit-group-note',
        part2,
        note: session.groupNote,
        subject: groupRef,
        author: lead,
        encounter: sessionRef,
        period: { start: session.start, end: session.end },
        type: [peerkitCode(ctx, 'group-note', 'Peer support group note'), { ...PROGRESS_NOTE_TYPE }],
      }),
    );
  }

  for (const { attendee, patient } of members) {
    const attendeeRef = ref('Encounter', attendeeEncounterResourceId(session.id, attendee.peerId));
    out.push(
      compact({
        resourceType: 'Encounter',
        id: attendeeEncounterResourceId(session.id, attendee.peerId),
        meta: meta(ctx, 'peerkit-encounter', part2),
        extension: exts(
          ...sessionExtensions,
          ext(url('attendance'), { valueCoding: peerkitCoding(ctx, 'attendance', ATTENDANCE, attendee.attendance) }),
        ),
        identifier: [businessIdentifier(ctx, 'group-attendance', `${session.id}/${attendee.peerId}`)],
        status: held && attended(attendee) ? 'finished' : 'cancelled',
        class: common.class,
        type: [{ coding: [peerkitCode(ctx, 'peer-support-group-attendance', 'Peer support group attendance')] }],
        serviceType: common.serviceType,
        subject: { ...patient },
        participant: [
          {
            type: [{ coding: [{ system: SYSTEMS.participationType, code: 'PPRF', display: 'primary performer' }] }],
            individual: { ...lead },
          },
        ],
        period: { start: session.start, end: session.end },
        length: attendee.minutesPresent === undefined ? undefined : minutes(attendee.minutesPresent),
        serviceProvider: common.serviceProvider,
        partOf: { ...sessionRef },
      } satisfies Encounter),
    );
    if (attendee.note) {
      out.push(
        toFhirNote(ctx, {
          id: attendeeNoteResourceId(session.id, attendee.peerId),
          identifier: { name: 'group-attendance-note', value: `${session.id}/${attendee.peerId}` },
          profile: 'peerkit-progress-note',
          part2,
          note: attendee.note,
          subject: patient,
          author: lead,
          encounter: attendeeRef,
          period: { start: session.start, end: session.end },
          type: [{ ...PROGRESS_NOTE_TYPE }],
        }),
      );
    }
  }
  return out;
}

/** Reads group sessions (`Group`, its session `Encounter`, attendee Encounters and notes) back from FHIR. */
export const groupSessionReader: RecordReader = resourceReader({ type: 'Group', identifier: 'group-session', read: readGroup });

function readGroup(ix: ReadIndex, r: Reader, g: Loose<Group>): Json | undefined {
  const me = `Group/${String(g.id)}`;
  const session = ix.find<Encounter>('Encounter', (e) => e.subject?.reference === me);
  if (!session) {
    r.missing(['Encounter'], 'The session Encounter of the group');
    return undefined;
  }
  ix.consumed.add(session);
  const sessionRef = `Encounter/${String(session.id)}`;
  const groupNote = ix.find<DocumentReference>('DocumentReference', (d) => d.subject?.reference === me);
  if (groupNote) ix.consumed.add(groupNote);
  const attendees = ix
    .of<Encounter>('Encounter')
    .filter((t) => t.resource.partOf?.reference === sessionRef)
    .map(({ resource: e }) => {
      ix.consumed.add(e);
      const doc = noteOfEncounter(ix, e.id);
      return defined({
        peerId: peerIdOf(ix, r, e.subject, ['member']),
        attendance: codingOf(r, ATTENDANCE, extOf(e, ix.url('attendance')), ix.cs('attendance'), ['extension'], 'Attendance'),
        minutesPresent: e.length?.value,
        note: readNote(ix, r, doc),
      });
    });
  return defined({
    kind: 'group-session',
    id: businessId(g.identifier, 'group-session')?.value ?? g.id,
    ...sessionFields(ix, r, session),
    facilitatorIds: (session.participant ?? []).map((p) => ix.idOf(p.individual, 'Practitioner')),
    topic: code(r, GROUP_TOPICS, g.code, ix.cs('group-topic'), ['code'], 'Group.code'),
    title: g.name,
    status:
      codingOf(r, ENCOUNTER_STATUSES, extOf(session, ix.url('encounter-outcome')), ix.cs('encounter-outcome'), ['extension'], 'Session outcome') ??
      (session.status === 'finished' ? 'completed' : 'cancelled'),
    attendees,
    groupNote: readNote(ix, r, groupNote),
  });
}
