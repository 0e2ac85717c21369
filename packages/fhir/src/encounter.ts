/**
 * PeerEncounter → FHIR `Encounter` + `Procedure` (the peer support service, its activities, the plan
 * and goals it worked on) + `DocumentReference` (the progress note).
 *
 * The plan link: `Procedure.basedOn` → CarePlan is R4's standard "this service fulfils that plan"
 * link; it needs no change to the CarePlan when an encounter is added (CarePlan.activity.outcomeReference
 * would), so mapping stays per record and deterministic.
 *
 * See: fhir-mapping.md §2.2 (Encounter.class v3-ActCode AMB/VR/HH/FLD/EMER), §2.3 (progress note LOINC
 * 11506-3, category clinical-note).
 */
import {
  ACTIVITIES,
  CRISIS_ACTIONS,
  ENCOUNTER_STATUSES,
  MODALITIES,
  PROGRAM_TYPES,
  SETTINGS,
  type Modality,
  type Note,
  type PeerEncounter,
  type Setting,
} from '@peerkit/model';
import type { Coding, DocumentReference, Encounter, Extension, Procedure, Reference } from 'fhir/r4';
import { isPart2Program, patientReference, type FhirContext } from './context';
import { businessIdentifier, codeSystemUrl, ext, exts, meta, nonEmpty, peerkitCoding, ref, structureUrl } from './internal/build';
import { toBase64 } from './internal/base64';
import { resourceId } from './internal/ids';
import { compact } from './internal/read';
import { organizationResourceId, programResourceId } from './organization';
import { carePlanResourceId, goalResourceId } from './recovery-plan';
import { referralResourceId } from './referral';
import { practitionerResourceId } from './specialist';
import { SYSTEMS } from './systems';

/** Logical id of a one-on-one encounter's `Encounter`. */
export const encounterResourceId = (encounterId: string): string => resourceId('pe', encounterId);

/** Logical id of a one-on-one encounter's service `Procedure`. */
export const serviceResourceId = (encounterId: string): string => resourceId('ps', encounterId);

/** Logical id of a one-on-one encounter's progress note `DocumentReference`. */
export const noteResourceId = (encounterId: string): string => resourceId('pn', encounterId);

/** LOINC 11506-3 Progress note. Source: US Core clinical-notes (fhir-mapping.md §2.3). */
export const PROGRESS_NOTE_TYPE = { system: SYSTEMS.loinc, code: '11506-3', display: 'Progress note' } as const;

/** SNOMED CT 410606002 Social service procedure. Source: BHP example; R4 procedure-category (fhir-mapping.md §2.2). */
export const SOCIAL_SERVICE_PROCEDURE = { system: SYSTEMS.snomed, code: '410606002', display: 'Social service procedure' } as const;

const CLASS_DISPLAY: Record<string, string> = {
  AMB: 'ambulatory',
  VR: 'virtual',
  HH: 'home health',
  FLD: 'field',
  EMER: 'emergency',
  IMP: 'inpatient encounter',
};

/**
 * The `Encounter.class` (v3-ActCode) for a modality and setting: video or audio → VR; home → HH;
 * street outreach, mobile unit, community → FLD; emergency department → EMER; hospital → IMP;
 * otherwise AMB.
 *
 * See: fhir-mapping.md §2.2 (THO v3-ActCode _ActEncounterCode).
 */
export function encounterClass(modality: Modality, setting: Setting): Coding {
  let code = 'AMB';
  if (modality !== 'in-person') code = 'VR';
  else if (setting === 'home') code = 'HH';
  else if (setting === 'street-outreach' || setting === 'mobile-unit' || setting === 'community') code = 'FLD';
  else if (setting === 'emergency-department') code = 'EMER';
  else if (setting === 'hospital') code = 'IMP';
  return { system: SYSTEMS.actCode, code, display: CLASS_DISPLAY[code] ?? code };
}

/** PeerKit's own code (peerkit-codes CodeSystem). */
export const peerkitCode = (ctx: FhirContext, code: string, display: string): Coding => ({
  system: codeSystemUrl(ctx, 'peerkit-codes'),
  code,
  display,
});

/** Minutes as a FHIR Duration. */
export const minutes = (value: number) => ({ value, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' });

/** Builds a progress note `DocumentReference`. */
export function toFhirNote(
  ctx: FhirContext,
  args: {
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
  },
): DocumentReference {
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

/**
 * Maps a one-on-one peer encounter to `Encounter`, its service `Procedure` (status `not-done` for a
 * no-show or cancellation) and, when there is one, the progress note `DocumentReference`.
 *
 * @param encounter - the encounter record
 * @param ctx - the mapping context
 * @returns the resources, or `undefined` when the peer is not in the context
 * @example
 * const [fhirEncounter, service, note] = toFhirPeerEncounter(encounter, ctx) ?? [];
 * See: https://hl7.org/fhir/R4/encounter.html, https://hl7.org/fhir/R4/procedure.html
 */
export function toFhirPeerEncounter(
  encounter: PeerEncounter,
  ctx: FhirContext,
): (Encounter | Procedure | DocumentReference)[] | undefined {
  const patient = patientReference(ctx, encounter.peerId);
  if (!patient) return undefined;
  const part2 = isPart2Program(ctx, encounter.programId, encounter.programType);
  const url = (name: string): string => structureUrl(ctx, name);
  const practitioner = ref('Practitioner', practitionerResourceId(encounter.specialistId));
  const encounterRef = ref('Encounter', encounterResourceId(encounter.id));
  const held = encounter.status === 'completed';
  const organizationId = ctx.programs.get(encounter.programId)?.organizationId ?? ctx.organizationId;
  const crisis = encounter.crisis;

  const fhirEncounter: Encounter = compact({
    resourceType: 'Encounter',
    id: encounterResourceId(encounter.id),
    meta: meta(ctx, 'peerkit-encounter', part2),
    extension: exts(
      ext(url('modality'), { valueCoding: peerkitCoding(ctx, 'modality', MODALITIES, encounter.modality) }),
      ext(url('setting'), { valueCoding: peerkitCoding(ctx, 'setting', SETTINGS, encounter.setting) }),
      ext(url('encounter-outcome'), { valueCoding: peerkitCoding(ctx, 'encounter-outcome', ENCOUNTER_STATUSES, encounter.status) }),
      ext(
        url('program'),
        organizationId === undefined
          ? undefined
          : { valueReference: ref('HealthcareService', programResourceId(organizationId, encounter.programId)) },
      ),
      crisis === undefined
        ? undefined
        : {
            url: url('crisis'),
            extension: exts(
              { url: 'indicated', valueBoolean: crisis.indicated },
              ...crisis.actions.map((a) => ({ url: 'action', valueCoding: peerkitCoding(ctx, 'crisis-action', CRISIS_ACTIONS, a) })),
              ext('referral', crisis.referralId === undefined ? undefined : { valueReference: ref('ServiceRequest', referralResourceId(crisis.referralId)) }),
            ) as Extension[],
          },
    ),
    identifier: [businessIdentifier(ctx, 'encounter', encounter.id)],
    status: held ? 'finished' : 'cancelled',
    class: encounterClass(encounter.modality, encounter.setting),
    type: [{ coding: [peerkitCode(ctx, 'peer-support-individual', 'Peer support encounter')] }],
    serviceType: { coding: [peerkitCoding(ctx, 'program-type', PROGRAM_TYPES, encounter.programType)] },
    subject: { ...patient },
    participant: [
      {
        type: [{ coding: [{ system: SYSTEMS.participationType, code: 'PPRF', display: 'primary performer' }] }],
        individual: { ...practitioner },
      },
    ],
    period: { start: encounter.start, end: encounter.end },
    length: encounter.durationMinutes === undefined ? undefined : minutes(encounter.durationMinutes),
    serviceProvider: organizationId === undefined ? undefined : ref('Organization', organizationResourceId(organizationId)),
  });

  const service: Procedure = compact({
    resourceType: 'Procedure',
    id: serviceResourceId(encounter.id),
    meta: meta(ctx, 'peerkit-peer-service', part2),
    extension: exts(
      ...encounter.activities.map((a) => ({ url: url('peer-activity'), valueCoding: peerkitCoding(ctx, 'peer-activity', ACTIVITIES, a) })),
      ...encounter.goalIds.map((g) => ({
        url: url('goal-addressed'),
        valueReference: ref('Goal', goalResourceId(encounter.planId ?? '', g)),
      })),
      ...encounter.referralIds.map((r) => ({ url: url('referral'), valueReference: ref('ServiceRequest', referralResourceId(r)) })),
    ),
    identifier: [businessIdentifier(ctx, 'encounter-service', encounter.id)],
    basedOn: encounter.planId === undefined ? undefined : [ref('CarePlan', carePlanResourceId(encounter.planId))],
    status: held ? 'completed' : 'not-done',
    statusReason: encounter.statusReason === undefined ? undefined : { text: encounter.statusReason },
    category: { coding: [{ ...SOCIAL_SERVICE_PROCEDURE }] },
    code: { coding: [peerkitCode(ctx, 'peer-support-service', 'Peer support service')] },
    subject: { ...patient },
    encounter: { ...encounterRef },
    performedPeriod: held ? { start: encounter.start, end: encounter.end } : undefined,
    performer: [{ actor: { ...practitioner } }],
  });

  const resources: (Encounter | Procedure | DocumentReference)[] = [fhirEncounter, service];
  if (encounter.note) {
    resources.push(
      toFhirNote(ctx, {
        id: noteResourceId(encounter.id),
        identifier: { name: 'encounter-note', value: encounter.id },
        profile: 'peerkit-progress-note',
        part2,
        note: encounter.note,
        subject: patient,
        author: practitioner,
        encounter: encounterRef,
        period: { start: encounter.start, end: encounter.end },
        type: [{ ...PROGRESS_NOTE_TYPE }],
      }),
    );
  }
  return resources;
}
