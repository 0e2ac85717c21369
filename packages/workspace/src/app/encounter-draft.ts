/**
 * A new encounter as the form holds it, and what the library says about it before it is saved: the
 * model's validation, the billing preview under a payer pack, the FHIR resources it maps to (with
 * their security labels). Pure: the clock, the time zone and the new id come in as arguments.
 */
import { billEncounters, type ClaimLine, type NotBilled, type PayerPack } from '@peerkit/billing';
import { createFhirContext, toFhirPeerEncounter } from '@peerkit/fhir';
import { parsePeerEncounter, type Issue, type PeerEncounter, type Result } from '@peerkit/model';
import type { Coding, DocumentReference, Encounter, Procedure } from 'fhir/r4';
import type { PatientRecord } from './load-patient';

/** What the form holds. */
export interface EncounterFormValues {
  /** The program of the peer's enrollment the service belongs to. */
  readonly programId: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** `HH:MM`, local time. */
  readonly startTime: string;
  /** Minutes of direct service; `undefined` while the field is empty or not a whole number. */
  readonly minutes: number | undefined;
  readonly modality: string;
  readonly setting: string;
  readonly activities: readonly string[];
  /** Goal ids of the active plan. */
  readonly goalIds: readonly string[];
  readonly note: string;
}

/** What a draft is built with besides the form. */
export interface DraftContext {
  readonly record: PatientRecord;
  /** The new encounter's record id. */
  readonly encounterId: string;
  /** The local time zone as `+HH:MM` / `-HH:MM` (see {@link offsetOf}). */
  readonly offset: string;
  /** Now, an ISO date-time with offset: when the specialist signs the note by saving. */
  readonly now: string;
}

/** `+HH:MM` for `Date.prototype.getTimezoneOffset()` minutes (which are west-positive). */
export function offsetOf(timezoneOffsetMinutes: number): string {
  const east = -timezoneOffsetMinutes;
  const sign = east < 0 ? '-' : '+';
  const abs = Math.abs(east);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `date` + `time` local to `offset`, moved by `minutes`, as an ISO date-time with that offset. */
export function localDateTime(date: string, time: string, offset: string, minutes = 0): string {
  const [y, mo, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const shifted = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, hh ?? 0, (mm ?? 0) + minutes));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:00${offset}`;
}

/** The plan a new encounter works on: the active one, else the newest. */
export function currentPlan(record: PatientRecord): PatientRecord['plans'][number] | undefined {
  return record.plans.find((p) => p.status === 'active') ?? [...record.plans].sort((a, b) => (a.created < b.created ? 1 : -1))[0];
}

/**
 * The encounter record the form describes (not yet validated): a completed one-on-one encounter of
 * the peer in context, by the signed-in specialist, its note signed now.
 */
export function toEncounterCandidate(values: EncounterFormValues, context: DraftContext): Record<string, unknown> {
  const { record } = context;
  const enrollment = record.peer?.enrollments.find((e) => e.programId === values.programId);
  const plan = currentPlan(record);
  const validTime = /^\d{4}-\d{2}-\d{2}$/.test(values.date) && /^\d{2}:\d{2}$/.test(values.startTime);
  const start = validTime ? localDateTime(values.date, values.startTime, context.offset) : `${values.date}T${values.startTime}`;
  const note = values.note.trim();
  return {
    kind: 'encounter',
    id: context.encounterId,
    peerId: record.peer?.id,
    specialistId: record.specialistId,
    programId: values.programId,
    programType: enrollment?.programType,
    status: 'completed',
    start,
    ...(validTime && values.minutes !== undefined ? { end: localDateTime(values.date, values.startTime, context.offset, values.minutes) } : {}),
    ...(values.minutes === undefined ? {} : { durationMinutes: values.minutes }),
    modality: values.modality,
    setting: values.setting,
    activities: [...values.activities],
    ...(values.goalIds.length > 0 && plan ? { planId: plan.id } : {}),
    goalIds: [...values.goalIds],
    ...(note === '' ? {} : { note: { text: note, signedAt: context.now, signedBy: record.specialistId } }),
  };
}

/** Validates the form's encounter with the model (`parsePeerEncounter`). */
export function validateEncounter(values: EncounterFormValues, context: DraftContext): Result<PeerEncounter> {
  return parsePeerEncounter(toEncounterCandidate(values, context));
}

/** The billing preview of one encounter. */
export interface BillingPreview {
  readonly pack: PayerPack;
  /** The claim line, billable or held (with its findings), when the pack bills the service. */
  readonly line: ClaimLine | undefined;
  /** Why nothing was billed (no coverage on the date, the payer has no pack…). */
  readonly notBilled: NotBilled | undefined;
  /** Findings about the run (a pack for another state…). */
  readonly runFindings: readonly Issue[];
}

/**
 * Bills the encounter under one payer pack (`billEncounters`), with the patient's other encounters so
 * that daily and period caps and MUE count them: the peer's coverage on the date goes to this pack
 * whatever its payer id, so a program can preview any pack it bills.
 */
export function previewBilling(encounter: PeerEncounter, record: PatientRecord, pack: PayerPack): BillingPreview {
  const peer = record.peer;
  const payerPacks = Object.fromEntries((peer?.coverage ?? []).map((c) => [c.payerId, pack.id]));
  const others = record.encounters.filter((e) => e.id !== encounter.id);
  const run = billEncounters([...others, encounter], {
    packs: [pack],
    payerPacks,
    peers: peer ? [peer] : [],
    specialists: record.specialist ? [record.specialist] : [],
    plans: record.plans,
    consents: record.consents,
    ...(record.organization ? { organization: record.organization } : {}),
  });
  // The new encounter's line: a cap may split it into a billed part and a held remainder; the held part says why.
  const lines = run.lines.filter((l) => l.services.some((s) => s.kind === 'encounter' && s.id === encounter.id));
  const line = lines.find((l) => l.status === 'held') ?? lines[0];
  const notBilled = lines.length === 0 ? run.notBilled[0] : undefined;
  return { pack, line, notBilled, runFindings: run.findings };
}

/** The resources a saved encounter writes. */
export type EncounterResources = (Encounter | Procedure | DocumentReference)[];

/**
 * Maps the encounter to FHIR (`toFhirPeerEncounter`): its `Encounter`, service `Procedure` and note
 * `DocumentReference`, labelled for 42 CFR Part 2 when its program is a Part 2 program.
 *
 * @returns the resources, or an issue when the server holds no PeerKit identifier base or peer for the patient
 */
export function toEncounterResources(encounter: PeerEncounter, record: PatientRecord): Result<EncounterResources> {
  const peer = record.peer;
  const ctx =
    peer === undefined || record.identifierSystem === undefined
      ? undefined
      : createFhirContext(record.organization ? [record.organization, peer] : [peer], { identifierSystem: record.identifierSystem });
  const resources = ctx === undefined ? undefined : toFhirPeerEncounter(encounter, ctx);
  if (resources === undefined) {
    return {
      ok: false,
      issues: [{ severity: 'error', code: 'fhir.unknown-peer', path: ['peerId'], message: 'The patient has no PeerKit enrollment on this server: the encounter cannot be mapped' }],
    };
  }
  return { ok: true, value: resources, issues: [] };
}

/** The security labels the encounter's resources will carry (those of its `Encounter`). */
export function labelsOf(resources: EncounterResources): readonly Coding[] {
  return resources.find((r) => r.resourceType === 'Encounter')?.meta?.security ?? [];
}
