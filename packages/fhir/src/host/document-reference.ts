/**
 * DocumentReference → the note of its encounter (`context.encounter`): a text/plain attachment with
 * inline base64 `data`. The Encounter and Group readers take the notes of the records they read; this
 * reader reads the rest: a note whose encounter is not in the input is a `note` record of its own, a
 * note of an encounter that is not peer support is reported, and an attachment with only a `url`, or
 * one that is not text (a PDF), is `host.attachment-unreadable`. Security labels travel with the record.
 *
 * See: https://hl7.org/fhir/R4/documentreference.html; US Core DocumentReference (clinical-note);
 * fhir-mapping.md §2.3.
 */
import type { IssuePath } from '@peerkit/model';
import { fromBase64 } from '../internal/base64';
import type { HostReadContext } from './internal/context';
import { dateTimeOf, referenceStrings, type HostTypeReader } from './internal/fields';
import type { HostEntry } from './internal/ingest';
import { obj, objs, str, type Json } from './internal/json';

const MAX_NOTE = 20_000;
const NOT_BLANK = /\S/;

/** Elements of a DocumentReference a note carries. */
export const DOCUMENT_REFERENCE_MAPPED = ['content', 'context', 'date', 'docStatus', 'author', 'authenticator', 'subject', 'status', 'meta.security', 'securityLabel'] as const;

/** A note read from a DocumentReference, or why there is none. */
export type NoteRead = { readonly note: Json } | { readonly problem: string; readonly element: IssuePath };

/** Reads the note text (and signature) of a DocumentReference. */
export function noteOf(entry: HostEntry, cx: HostReadContext): NoteRead {
  const doc = entry.resource;
  let problem: NoteRead | undefined;
  const contents = objs(doc.content);
  for (let i = 0; i < contents.length; i++) {
    const attachment = obj(contents[i]!.attachment);
    if (attachment === undefined) continue;
    const type = attachment.contentType === 'text/plain' ? 'text/plain' : str(attachment.contentType)?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'text/plain') {
      problem = { problem: 'DocumentReference: the attachment is not text/plain; PeerKit keeps text notes only', element: ['content', i, 'attachment', 'contentType'] };
      continue;
    }
    const data = str(attachment.data);
    if (data === undefined) {
      problem = {
        problem: attachment.url === undefined ? 'DocumentReference: the attachment has no data' : 'DocumentReference: the attachment has only a url (no inline data)',
        element: ['content', i, 'attachment', 'data'],
      };
      continue;
    }
    const text = fromBase64(data);
    if (text === undefined || text.length > MAX_NOTE || !NOT_BLANK.test(text)) {
      problem = { problem: 'DocumentReference: attachment.data is not base64 UTF-8 text of 1 to 20,000 characters', element: ['content', i, 'attachment', 'data'] };
      continue;
    }
    const final = doc.docStatus === 'final' || doc.docStatus === 'amended';
    const signedAt = final ? dateTimeOf(doc.date) : undefined;
    const signedBy = signedAt === undefined ? undefined : cx.practitionerIdOf(doc.authenticator ?? objs(doc.author)[0], entry);
    const note: Json = { text };
    if (signedAt !== undefined) note.signedAt = signedAt;
    if (signedAt !== undefined && signedBy !== undefined) note.signedBy = signedBy;
    return { note };
  }
  return problem ?? { problem: 'DocumentReference: no content attachment', element: ['content'] };
}

/** The DocumentReferences whose note belongs to `encounter` and can be read, in input order. */
export function notesOfEncounter(encounter: HostEntry, cx: HostReadContext): { entry: HostEntry; note: Json }[] {
  const out: { entry: HostEntry; note: Json }[] = [];
  for (const doc of cx.linked(encounter, 'note')) {
    if (cx.isClaimed(doc)) continue;
    const read = noteOf(doc, cx);
    if ('note' in read) out.push({ entry: doc, note: read.note });
  }
  return out;
}

/** The first DocumentReference whose note belongs to `encounter` and can be read (see {@link notesOfEncounter}). */
export function firstNoteOf(encounter: HostEntry, cx: HostReadContext): { entry: HostEntry; note: Json } | undefined {
  const docs = cx.linked(encounter, 'note');
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i]!;
    if (cx.isClaimed(doc)) continue;
    const read = noteOf(doc, cx);
    if ('note' in read) return { entry: doc, note: read.note };
  }
  return undefined;
}

/** Reads the DocumentReferences no encounter or group session record took. */
export const documentReferenceReader: HostTypeReader = {
  type: 'DocumentReference',
  link(entry, cx) {
    if (entry.linkReferences !== undefined && cx.linkAll(entry, 'note', entry.linkReferences)) return;
    for (const encounter of objs(obj(entry.resource.context)?.encounter)) cx.link(entry, 'note', encounter);
  },
  linkReferences: (resource) => referenceStrings(objs(obj(resource.context)?.encounter)),
  read(entry, cx) {
    const context = obj(entry.resource.context);
    const encounterRef = objs(context?.encounter)[0];
    if (encounterRef === undefined) {
      cx.report('host.not-peer-support', entry, ['context', 'encounter'], 'DocumentReference: no context.encounter; PeerKit reads notes of encounters');
      return;
    }
    const read = noteOf(entry, cx);
    if ('problem' in read) {
      cx.report('host.attachment-unreadable', entry, read.element, read.problem);
      return;
    }
    const encounter = cx.resolve(encounterRef, entry);
    if (encounter !== undefined && !cx.isClaimed(encounter)) {
      cx.report('host.not-peer-support', entry, ['context', 'encounter', 0], 'DocumentReference: its encounter is not a peer-support encounter PeerKit read');
      return;
    }
    const peerId = cx.peerIdOf(entry.resource.subject, entry);
    const encounterId = cx.idOf(encounterRef, entry, ['Encounter']);
    cx.emit(
      'note',
      entry,
      { ...(peerId === undefined ? {} : { peerId }), ...(encounterId === undefined ? {} : { encounterId }), note: read.note },
      { mapped: DOCUMENT_REFERENCE_MAPPED },
    );
  },
};
