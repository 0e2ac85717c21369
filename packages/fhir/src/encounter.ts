/**
 * PeerEncounter ↔ FHIR `Encounter` + `Procedure` (the peer support service, its activities, the plan
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
  type PeerEncounter,
  type Setting,
} from '@peerkit/model';
import type { Coding, DocumentReference, Encounter, Extension, Procedure } from 'fhir/r4';
import { isPart2Program, patientReference, type FhirContext } from './context';
import { businessIdentifier, codeSystemUrl, ext, exts, meta, peerkitCoding, ref, structureUrl } from './internal/build';
import { compact, extOf, extsOf, isCode, type Reader } from './internal/read';
import {
  businessId,
  code,
  codingOf,
  defined,
  peerIdOf,
  refType,
  resourceReader,
  sub,
  subs,
  warnForeignExtensions,
  type Json,
  type Loose,
  type ReadIndex,
  type RecordReader,
} from './internal/record-reader';
import { noteOfEncounter, PROGRESS_NOTE_TYPE, readNote, toFhirNote } from './note';
import {
  carePlanResourceId,
  encounterResourceId,
  goalResourceId,
  noteResourceId,
  organizationResourceId,
  practitionerResourceId,
  programResourceId,
  referralResourceId,
  serviceResourceId,
} from './resource-ids';
import { SOCIAL_SERVICE_PROCEDURE, SYSTEMS } from './systems';

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

/** The fields a one-on-one encounter and a group session read alike from their `Encounter`. */
export function sessionFields(ix: ReadIndex, r: Reader, e: Loose<Encounter>): Json {
  return {
    programId: ix.recordIdOfProgram(extOf(e, ix.url('program'))?.valueReference),
    programType: code(r, PROGRAM_TYPES, e.serviceType, ix.cs('program-type'), ['serviceType'], 'Encounter.serviceType'),
    start: e.period?.start,
    end: e.period?.end,
    modality: codingOf(r, MODALITIES, extOf(e, ix.url('modality')), ix.cs('modality'), ['extension'], 'Modality') ?? inferModality(r, e),
    setting: codingOf(r, SETTINGS, extOf(e, ix.url('setting')), ix.cs('setting'), ['extension'], 'Setting') ?? inferSetting(r, e),
  };
}

function inferModality(r: Reader, e: Loose<Encounter>): string | undefined {
  const cls = e.class?.code;
  if (cls === undefined) return undefined;
  r.ignored(['class'], 'Encounter.class (modality inferred from it)');
  return cls === 'VR' ? 'video' : 'in-person';
}

function inferSetting(r: Reader, e: Loose<Encounter>): string | undefined {
  const map: Record<string, string> = { HH: 'home', FLD: 'community', EMER: 'emergency-department', IMP: 'hospital', AMB: 'clinic', VR: 'home' };
  const cls = e.class?.code;
  return cls === undefined ? undefined : (map[cls] ?? (r.unknownCode(['class'], 'Encounter.class'), undefined));
}

/**
 * Reads one-on-one encounters (`Encounter` with its service `Procedure` and note) back from FHIR.
 * Encounters of group sessions (subject a Group, or `partOf` a session) are left to the group reader.
 */
export const encounterReader: RecordReader = resourceReader({
  type: 'Encounter',
  identifier: 'encounter',
  read: readEncounter,
  skip: (ix, e) => ix.consumed.has(e) || e.partOf !== undefined || refType(e.subject) === 'Group',
});

function readEncounter(ix: ReadIndex, r: Reader, e: Loose<Encounter>): Json {
  warnForeignExtensions(ix, r, e);
  const me = `Encounter/${String(e.id)}`;
  const service = ix.find<Procedure>('Procedure', (p) => p.encounter?.reference === me);
  if (service) ix.consumed.add(service);
  const doc = noteOfEncounter(ix, e.id);
  const crisis = extOf(e, ix.url('crisis'));
  const planId = ix.idOf(service?.basedOn?.[0], 'CarePlan');
  return defined({
    kind: 'encounter',
    id: businessId(e.identifier, 'encounter')?.value ?? e.id,
    peerId: peerIdOf(ix, r, e.subject, ['subject']),
    specialistId: ix.idOf(e.participant?.[0]?.individual, 'Practitioner'),
    ...sessionFields(ix, r, e),
    status:
      codingOf(r, ENCOUNTER_STATUSES, extOf(e, ix.url('encounter-outcome')), ix.cs('encounter-outcome'), ['extension'], 'Encounter outcome') ??
      (e.status === 'finished' ? 'completed' : e.status === 'cancelled' ? 'cancelled' : undefined),
    durationMinutes: e.length?.value,
    activities: extsOf(service, ix.url('peer-activity')).flatMap((x) => (isCode(ACTIVITIES, x.valueCoding?.code) ? [x.valueCoding.code] : [])),
    planId,
    goalIds: extsOf(service, ix.url('goal-addressed')).map((x) => ix.idOf(x.valueReference, 'Goal')),
    note: readNote(ix, r, doc),
    crisis:
      crisis === undefined
        ? undefined
        : defined({
            indicated: sub(crisis, 'indicated')?.valueBoolean,
            actions: subs(crisis, 'action').flatMap((x) => (isCode(CRISIS_ACTIONS, x.valueCoding?.code) ? [x.valueCoding.code] : [])),
            referralId: ix.idOf(sub(crisis, 'referral')?.valueReference, 'ServiceRequest'),
          }),
    statusReason: service?.statusReason?.text,
    referralIds: extsOf(service, ix.url('referral')).map((x) => ix.idOf(x.valueReference, 'ServiceRequest')),
  });
}
