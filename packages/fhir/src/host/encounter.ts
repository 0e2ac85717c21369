/**
 * Encounter → `encounter` record when its `type` or `serviceType` carries a peer-support code of the
 * import profile (HCPCS H0038, G0140, G0146 under either HCPCS URI by default; free text is never
 * matched). Its readable DocumentReference note (`context.encounter`) comes with it. An Encounter whose
 * `subject` is a Group is the session of a group session (read with the Group when it is in the input).
 *
 * R4 does not record PeerKit's activities; a completed encounter without them (or without a note) is
 * kept with `valid: false` and `host.record-incomplete`, never given invented activities.
 *
 * See: https://hl7.org/fhir/R4/encounter.html; US Core Encounter; billing.md §1–2 (codes), §0.5 (URIs);
 * fhir-mapping.md §2.2 (class).
 */
import { DOCUMENT_REFERENCE_MAPPED, firstNoteOf } from './document-reference';
import { emitGroupSession, ENCOUNTER_MAPPED, encounterStatus, isPeerEncounter } from './group';
import { dateTimeOf, firstPerformerOf, minutesOf, modalityAndSetting, type HostTypeReader } from './internal/fields';
import { obj, type Json } from './internal/json';

const REQUIRED = ['status', 'class', 'subject'] as const;

/** Reads a peer-support Encounter into an `encounter` record (or a group session's). */
export const encounterReader: HostTypeReader = {
  type: 'Encounter',
  link(entry, cx) {
    // A subject (its reference string, read at ingest) naming a resource other than a Group has no
    // session to link: known without parsing the resource again.
    const subject = entry.subject === undefined ? undefined : cx.index.findReference(entry.subject, entry);
    if (subject !== undefined && subject.type !== 'Group') return;
    if (cx.typeOf(entry.resource.subject, entry) === 'Group') cx.link(entry, 'session', entry.resource.subject);
  },
  read(entry, cx) {
    const e = entry.resource;
    if (!isPeerEncounter(e, cx)) {
      cx.report('host.not-peer-support', entry, ['type'], 'Encounter: no type or serviceType code the import profile marks as peer support');
      return;
    }
    if (e.status === undefined || e.class === undefined || e.subject === undefined) {
      const missing = REQUIRED.filter((element) => e[element] === undefined);
      cx.report('host.required-missing', entry, [], `Encounter: ${missing.join(', ')} missing (R4 requires status and class; a peer encounter needs its subject)`);
      return;
    }
    const subjectType = cx.typeOf(e.subject, entry);
    if (subjectType === 'Group') {
      const group = cx.resolve(e.subject, entry);
      if (group !== undefined) {
        cx.report('host.not-peer-support', entry, ['subject'], 'Encounter: its Group is not a peer group session PeerKit read');
        return;
      }
      emitGroupSession(cx, entry, undefined, [entry]);
      return;
    }
    const peerId = cx.peerIdOf(e.subject, entry);
    if (peerId === undefined) {
      cx.report('host.required-missing', entry, ['subject'], 'Encounter: subject is not a Patient or Group reference');
      return;
    }
    const status = encounterStatus(e);
    if (status === undefined) {
      cx.report('host.status-not-read', entry, ['status'], 'Encounter: status is neither finished nor cancelled; PeerKit records held or cancelled contacts');
      return;
    }
    const period = obj(e.period);
    const start = dateTimeOf(period?.start);
    if (start === undefined) {
      cx.report('host.required-missing', entry, ['period', 'start'], 'Encounter: period.start is missing or not a date-time with a time zone');
      return;
    }
    const end = dateTimeOf(period?.end);
    const durationMinutes = minutesOf(e.length);
    const { defaults } = cx.profile;
    const defaulted = ['programId', 'programType'];
    let specialistId = firstPerformerOf(e, entry, cx);
    if (specialistId === undefined) {
      specialistId = defaults.specialistId;
      defaulted.push('specialistId');
    }
    const place = modalityAndSetting(e, cx, defaulted);
    const note = firstNoteOf(entry, cx);
    cx.notePeerDate(peerId, start);
    const record: Json = {
      kind: 'encounter',
      id: cx.recordId(entry),
      peerId,
      specialistId,
      programId: defaults.programId,
      programType: defaults.programType,
      status,
      start,
    };
    // Optional fields set in their place in the model's key order (a spread builds an object for each).
    if (end !== undefined) record.end = end;
    if (durationMinutes !== undefined) record.durationMinutes = durationMinutes;
    record.modality = place.modality;
    record.setting = place.setting;
    record.activities = [];
    record.goalIds = [];
    if (note !== undefined) record.note = note.note;
    record.referralIds = [];
    cx.emit('encounter', entry, record, {
      mapped: ENCOUNTER_MAPPED,
      parts: note === undefined ? undefined : [{ entry: note.entry, mapped: DOCUMENT_REFERENCE_MAPPED }],
      defaulted,
    });
  },
};
