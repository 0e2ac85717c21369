// Small readers of FHIR datatypes into record fields, shared by the host readers. Each returns
// `undefined` for anything it cannot read; none throws.
import { daysInMonth, isIsoDate, type HumanName, type Identifier, type Modality, type Setting } from '@peerkit/model';
import type { Coding } from 'fhir/r4';
import { SYSTEMS } from '../../systems';
import type { HostEntry } from './ingest';
import type { HostReadContext } from './context';
import { codings, findCoding, isObject, lookup, num, obj, objs, str, type Json } from './json';

/** How one host resource type is read (one per reader file). */
export interface HostTypeReader {
  /** The `resourceType` it reads. */
  readonly type: string;
  /** Notes the links a record of another resource needs (e.g. a role to its Practitioner). */
  link?(entry: HostEntry, cx: HostReadContext): void;
  /**
   * The reference strings {@link link} follows in a resource (`undefined` when one is not written as a
   * string), read once as a resource kept as its NDJSON line is ingested: when they resolve, `link`
   * links it without parsing it again (see `HostEntry.linkReferences`).
   */
  linkReferences?(resource: Json): readonly string[] | undefined;
  /** Reads one resource: emits a record or a context item, or reports a finding. */
  read(entry: HostEntry, cx: HostReadContext): void;
}

/** The `reference` strings of References (`undefined` when one has none: it is followed another way). */
export function referenceStrings(references: readonly Json[]): string[] | undefined {
  const out: string[] = [];
  for (let i = 0; i < references.length; i++) {
    const value = str(references[i]!.reference);
    if (value === undefined) return undefined;
    out.push(value);
  }
  return out;
}

const NOT_BLANK = /\S/;
const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;
const PHONE = /^[0-9+()\-. x]{3,40}$/;
const STATE = /^[A-Z]{2}$/;

/** A date (`YYYY-MM-DD`) from a FHIR date or dateTime; a partial date (`2025`, `2025-03`) is not one. */
export function dateOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const day = value.slice(0, 10);
  return isIsoDate(day) && (value.length === 10 || value[10] === 'T') ? day : undefined;
}

/** An ISO date-time with seconds and a time zone, as the model's `dateTimeSchema` accepts it. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** A date-time with a time zone (what PeerKit records hold). */
export function dateTimeOf(value: unknown): string | undefined {
  return typeof value === 'string' && DATE_TIME.test(value) && isRealDay(value) ? value : undefined;
}

/** `true` when the `YYYY-MM-DD` digits a date-time starts with (checked by {@link DATE_TIME}) name a real day. */
function isRealDay(dateTime: string): boolean {
  const month = (dateTime.charCodeAt(5) - 48) * 10 + dateTime.charCodeAt(6) - 48;
  const day = (dateTime.charCodeAt(8) - 48) * 10 + dateTime.charCodeAt(9) - 48;
  if (month < 1 || month > 12 || day < 1) return false;
  const year = (dateTime.charCodeAt(0) - 48) * 1000 + (dateTime.charCodeAt(1) - 48) * 100 + (dateTime.charCodeAt(2) - 48) * 10 + dateTime.charCodeAt(3) - 48;
  return day <= daysInMonth(year, month);
}

/** Whole minutes of a FHIR Duration (`min` or `h`), 0 to 1440. */
export function minutesOf(duration: unknown): number | undefined {
  const d = obj(duration);
  const value = num(d?.value);
  if (d === undefined || value === undefined) return undefined;
  const unit = str(d.code) ?? str(d.unit);
  const minutes = unit === 'h' ? value * 60 : unit === 'min' || unit === undefined ? value : undefined;
  return minutes !== undefined && Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440 ? minutes : undefined;
}

/** Minutes between two date-times (whole, 0 to 1440), or `undefined`. */
export function minutesBetween(start: string | undefined, end: string | undefined): number | undefined {
  if (start === undefined || end === undefined) return undefined;
  const minutes = Math.round((Date.parse(end) - Date.parse(start)) / 60_000);
  return Number.isFinite(minutes) && minutes >= 0 && minutes <= 1440 ? minutes : undefined;
}

/** Text of at most `max` characters with a non-space character. */
export function textOf(value: unknown, max = 200): string | undefined {
  return typeof value === 'string' && value.length <= max && NOT_BLANK.test(value) ? value : undefined;
}

/** A human name PeerKit can hold (given names and family): the official, then usual, then first such name. */
export function humanNameOf(names: unknown): HumanName | undefined {
  const list = objs(names);
  const ranked = [...list.filter((n) => n.use === 'official'), ...list.filter((n) => n.use === 'usual'), ...list];
  for (const name of ranked) {
    const family = textOf(name.family);
    const given = Array.isArray(name.given) ? name.given.map((g) => textOf(g)).filter((g): g is string => g !== undefined).slice(0, 5) : [];
    if (family === undefined || given.length === 0) continue;
    const display = textOf(name.text);
    return display === undefined ? { given, family } : { given, family, display };
  }
  return undefined;
}

/** Identifiers as PeerKit holds them (`system`, `value`), at most 20. */
export function identifiersOf(identifiers: unknown): Identifier[] {
  const out: Identifier[] = [];
  for (const id of objs(identifiers)) {
    const value = str(id.value);
    if (value === undefined || value.length > 200) continue;
    const system = str(id.system);
    out.push(system !== undefined && system.length <= 500 ? { system, value } : { value });
    if (out.length === 20) break;
  }
  return out;
}

/** The first phone number of a telecom list in a form PeerKit accepts. */
export function phoneOf(telecom: unknown): string | undefined {
  for (const t of objs(telecom)) if (t.system === 'phone' && typeof t.value === 'string' && PHONE.test(t.value)) return t.value;
  return undefined;
}

/** The first two-letter US state of an address list. */
export function stateOf(addresses: unknown): string | undefined {
  for (const a of objs(addresses)) if (typeof a.state === 'string' && STATE.test(a.state)) return a.state;
  return undefined;
}

/** BCP 47 language tags of `communication`-style elements (`language` CodeableConcept), preferred first. */
export function languagesOf(communication: unknown): string[] {
  const list = objs(communication);
  const ordered = [...list.filter((c) => c.preferred === true), ...list.filter((c) => c.preferred !== true)];
  const out: string[] = [];
  for (const c of ordered) {
    for (const coding of codings(isObject(c.language) ? c.language : c)) {
      const code = str(coding.code);
      if (coding.system === 'urn:ietf:bcp:47' && code !== undefined && LANGUAGE_TAG.test(code) && !out.includes(code)) out.push(code);
    }
  }
  return out.slice(0, 20);
}

/** The security labels of a resource: `meta.security` and a top-level `securityLabel`. */
export function securityLabelsOf(resource: Json): Coding[] {
  return [...objs(obj(resource.meta)?.security), ...codings(resource.securityLabel)] as Coding[];
}

const ACT_CODE_SYSTEMS = new Set([SYSTEMS.actCode, 'http://hl7.org/fhir/v3/ActCode']);

/** Modality and setting from `Encounter.class` (v3-ActCode); see fhir-mapping.md §2.2. */
const CLASS_MEANING: Readonly<Record<string, { modality: Modality; setting?: Setting }>> = {
  AMB: { modality: 'in-person', setting: 'clinic' },
  VR: { modality: 'video' },
  HH: { modality: 'in-person', setting: 'home' },
  FLD: { modality: 'in-person', setting: 'community' },
  EMER: { modality: 'in-person', setting: 'emergency-department' },
  IMP: { modality: 'in-person', setting: 'hospital' },
};

/**
 * What an Encounter's `class` says of modality and setting; the rest comes from the profile defaults
 * (named in `defaulted`, in that order).
 */
export function modalityAndSetting(encounter: Json | undefined, cx: HostReadContext, defaulted: string[]): { modality: Modality; setting: Setting } {
  const cls = obj(encounter?.class);
  const meaning = cls && typeof cls.system === 'string' && ACT_CODE_SYSTEMS.has(cls.system) ? lookup(CLASS_MEANING, cls.code) : undefined;
  if (meaning === undefined) defaulted.push('modality');
  if (meaning?.setting === undefined) defaulted.push('setting');
  // The table's own entry when the class sets both (no object built per encounter).
  if (meaning?.setting !== undefined) return meaning as { modality: Modality; setting: Setting };
  return { modality: meaning?.modality ?? cx.profile.defaults.modality, setting: cx.profile.defaults.setting };
}

const isPrimaryPerformer = (coding: Json): boolean => coding.code === 'PPRF';

/** The specialist id of a participant's practitioner (a contained one noted as used). */
function participantIdOf(p: Json, from: HostEntry, cx: HostReadContext): string | undefined {
  const individual = cx.resolve(p.individual, from);
  cx.useContained(individual);
  return cx.practitionerIdOfResolved(individual, p.individual);
}

/** The Encounter participants who performed the service: the primary performers, then the other practitioners. */
export function performerOf(encounter: Json, from: HostEntry, cx: HostReadContext): string[] {
  const participants = objs(encounter.participant);
  const out: string[] = [];
  for (const primary of [true, false]) {
    for (const p of participants) {
      if (primary && findCoding(p.type, isPrimaryPerformer) === undefined) continue;
      const id = participantIdOf(p, from, cx);
      if (id !== undefined && !out.includes(id)) out.push(id);
    }
  }
  return out;
}

/** The first of {@link performerOf} (every participant followed the same way), without a list. */
export function firstPerformerOf(encounter: Json, from: HostEntry, cx: HostReadContext): string | undefined {
  const participants = objs(encounter.participant);
  let first: string | undefined;
  for (const p of participants) {
    if (findCoding(p.type, isPrimaryPerformer) === undefined) continue;
    const id = participantIdOf(p, from, cx);
    first ??= id;
  }
  for (const p of participants) {
    const id = participantIdOf(p, from, cx);
    first ??= id;
  }
  return first;
}
