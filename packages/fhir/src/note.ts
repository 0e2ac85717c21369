/**
 * Note ↔ FHIR `DocumentReference`: the progress note of an encounter, of a group session and of each
 * attendee (text as a base64 attachment; signature in `date` + `authenticator`, co-signature as an
 * extension).
 *
 * See: fhir-mapping.md §2.3 (progress note LOINC 11506-3, US Core category clinical-note).
 */
import type { Note } from '@peerkit/model';
import type { Coding, DocumentReference, Extension, Reference } from 'fhir/r4';
import type { FhirContext } from './context';
import { fromBase64, toBase64 } from './internal/base64';
import { businessIdentifier, ext, exts, meta, ref, structureUrl } from './internal/build';
import { compact, extOf, type Reader } from './internal/read';
import { defined, sub, type Json, type Loose, type ReadIndex } from './internal/record-reader';
import { practitionerResourceId } from './resource-ids';
import { SYSTEMS } from './systems';

/** LOINC 11506-3 Progress note. Source: US Core clinical-notes (fhir-mapping.md §2.3). */
export const PROGRESS_NOTE_TYPE = { system: SYSTEMS.loinc, code: '11506-3', display: 'Progress note' } as const;

/** What a note's `DocumentReference` is about, besides the note itself. */
export interface NoteArgs {
  id: string;
  identifier: { name: string; value: string };
  profile: string;
  part2: boolean;
  note: Note;
  subject: Reference;
  author: Reference;
  encounter: Reference;
  period: { start: string; end?: string | undefined };
  type: Coding[];
}

/**
 * Maps a note to a `DocumentReference` (`final` when signed, else `preliminary`).
 *
 * @param ctx - the mapping context
 * @param args - the note and the resource's id, profile, subject, author, encounter, period and type
 * @returns the DocumentReference
 * See: https://hl7.org/fhir/R4/documentreference.html
 */
export function toFhirNote(ctx: FhirContext, args: NoteArgs): DocumentReference {
  const { note } = args;
  const signed = note.signedAt !== undefined;
  return compact({
    resourceType: 'DocumentReference',
    id: args.id,
    meta: meta(ctx, args.profile, args.part2),
    extension: exts(
      note.cosignedBy === undefined && note.cosignedAt === undefined
        ? undefined
        : {
            url: structureUrl(ctx, 'note-cosignature'),
            extension: exts(
              ext('by', note.cosignedBy === undefined ? undefined : { valueReference: ref('Practitioner', practitionerResourceId(note.cosignedBy)) }),
              ext('at', note.cosignedAt === undefined ? undefined : { valueDateTime: note.cosignedAt }),
            ) as Extension[],
          },
    ),
    identifier: [businessIdentifier(ctx, args.identifier.name, args.identifier.value)],
    status: 'current',
    docStatus: signed ? 'final' : 'preliminary',
    type: { coding: args.type },
    category: [{ coding: [{ system: SYSTEMS.usCoreDocumentCategory, code: 'clinical-note', display: 'Clinical Note' }] }],
    subject: { ...args.subject },
    date: note.signedAt,
    author: [{ ...args.author }],
    authenticator: note.signedBy === undefined ? undefined : ref('Practitioner', practitionerResourceId(note.signedBy)),
    content: [{ attachment: { contentType: 'text/plain;charset=utf-8', data: toBase64(note.text) } }],
    context: { encounter: [{ ...args.encounter }], period: { start: args.period.start, end: args.period.end } },
  });
}

/** The `DocumentReference` whose context is the encounter `Encounter/<id>`, marked as read. */
export function noteOfEncounter(ix: ReadIndex, encounterId: unknown): Loose<DocumentReference> | undefined {
  const me = `Encounter/${String(encounterId)}`;
  const doc = ix.find<DocumentReference>('DocumentReference', (d) => d.context?.encounter?.some((x) => x.reference === me) ?? false);
  if (doc) ix.consumed.add(doc);
  return doc;
}

/** Reads a note back from its `DocumentReference`; `undefined` (with an issue) when its text cannot be read. */
export function readNote(ix: ReadIndex, r: Reader, doc: Loose<DocumentReference> | undefined): Json | undefined {
  if (!doc) return undefined;
  const data = doc.content?.[0]?.attachment?.data;
  const text = typeof data === 'string' ? fromBase64(data) : undefined;
  if (text === undefined) {
    r.missing(['DocumentReference', 'content'], 'The note text (base64 attachment data)');
    return undefined;
  }
  const cosign = extOf(doc, ix.url('note-cosignature'));
  return defined({
    text,
    signedAt: doc.date,
    signedBy: ix.idOf(doc.authenticator, 'Practitioner'),
    cosignedAt: sub(cosign, 'at')?.valueDateTime,
    cosignedBy: ix.idOf(sub(cosign, 'by')?.valueReference, 'Practitioner'),
  });
}
