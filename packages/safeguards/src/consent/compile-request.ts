/**
 * A request as a compiled set reads it: identities numbered, codes looked up and numbered, the date
 * parsed, the patient's candidate consents found, and its shape (the key of the decision cache).
 * Every derived value is cached by the request's lists and objects. Internal to the consent engine.
 */
import { SYSTEMS } from '@peerkit/fhir';
import { intersects, type Code } from '../internal/codes';
import { toRange, type InstantRange } from '../internal/dates';
import { compareIdentities, identifyRequestActor, normalizeReference, type ActorIdentity } from './actors';
import { resolveCode, type CodeCriterion, type ResolvedCode } from './compile-codes';
import { listInfo, type Engine, type PurposeFlags } from './compile-engine';
import { identityKey, type NumberedIdentity } from './compile-matchers';
import type { PreparedRequest } from './compile-provision';
import type { Candidate } from './evaluate-consent';
import type { DisclosureRequest, PatientSelector, RequestActor } from './request';

const NO_ACTORS: readonly NumberedIdentity[] = Object.freeze([]);

export function identities(engine: Engine, actors: readonly RequestActor[]): readonly NumberedIdentity[] {
  if (actors.length === 0) return NO_ACTORS;
  let cached = engine.actorCache.get(actors);
  if (!cached) {
    cached = actors.map((a) => numberIdentity(engine, identifyRequestActor(a, engine.directory)));
    engine.actorCache.set(actors, cached);
  }
  return cached;
}

/** Most distinct request actors a compiled set numbers (then matchers compare them each decision). */
const ACTOR_ID_LIMIT = 65_536;

/** A request actor's identity numbered by content, so actor matchers remember relations by number. */
function numberIdentity(engine: Engine, identity: ActorIdentity): NumberedIdentity {
  const key = identityKey(identity);
  let id = engine.actorIds.get(key);
  if (id === undefined && engine.actorIds.size < ACTOR_ID_LIMIT) {
    id = engine.actorIds.size;
    engine.actorIds.set(key, id);
  }
  return { references: identity.references, identifiers: identity.identifiers, id: id ?? -1 };
}

export function patientIdentity(engine: Engine, patient: PatientSelector): NumberedIdentity {
  let cached = engine.patientCache.get(patient);
  if (!cached) {
    cached = numberIdentity(engine, identifyRequestActor(patient, engine.directory));
    engine.patientCache.set(patient, cached);
  }
  return cached;
}

/** Most distinct request codes a compiled set numbers (then matchers fall back to their maps). */
const CODE_ID_LIMIT = 65_536;

/** A request code looked up for one criterion and numbered, so matchers remember relations by number. */
export function resolveNumbered(engine: Engine, criterion: CodeCriterion, code: Code): ResolvedCode {
  const r = resolveCode(engine.vocabulary, criterion, code);
  let id = engine.codeIds.get(r.key);
  if (id === undefined && engine.codeIds.size < CODE_ID_LIMIT) {
    id = engine.codeIds.size;
    engine.codeIds.set(r.key, id);
  }
  return id === undefined ? r : { ...r, id };
}

/** A request's code list looked up for one criterion (cached by the list: requests share their lists). */
export function resolved(engine: Engine, criterion: CodeCriterion, codes: readonly Code[]): readonly ResolvedCode[] {
  const cache = engine.resolvedCache[criterion];
  let r = cache.get(codes);
  if (!r) {
    r = codes.map((c) => resolveNumbered(engine, criterion, c));
    cache.set(codes, r);
  }
  return r;
}

/** The instants the request date spans (the clock when not stated); parsed dates are remembered (bounded). */
export function requestDate(engine: Engine, request: DisclosureRequest): InstantRange {
  const { now } = engine.settings;
  if (request.date === undefined) return now;
  let range = engine.dates.get(request.date);
  if (!range) {
    if (engine.dates.size > 1024) engine.dates.clear();
    range = toRange(request.date) ?? now;
    engine.dates.set(request.date, range);
  }
  return range;
}

export function prepare(engine: Engine, request: DisclosureRequest): PreparedRequest {
  const dp = request.dataPeriod;
  return {
    at: requestDate(engine, request),
    action: request.action === undefined ? undefined : [resolveNumbered(engine, 'action', request.action)],
    disclose: engine.disclose,
    purposeOfUse: resolved(engine, 'purpose', request.purposeOfUse),
    securityLabel: request.securityLabel && resolved(engine, 'securityLabel', request.securityLabel),
    class: request.class && resolved(engine, 'class', request.class),
    code: request.code && resolved(engine, 'code', request.code),
    data: request.data?.map(normalizeReference),
    dataPeriod:
      dp === undefined ? undefined : { low: toRange(dp.start)?.low ?? Number.NEGATIVE_INFINITY, high: toRange(dp.end)?.high ?? Number.POSITIVE_INFINITY },
    actors: identities(engine, request.actor),
    disclosers: identities(engine, request.discloser),
  };
}

/** The consents to evaluate for the requested patient, in input order (cached per patient identity). */
export function candidates(engine: Engine, patient: ActorIdentity): readonly Candidate[] {
  let cached = engine.candidateCache.get(patient);
  if (!cached) {
    cached = findCandidates(engine, patient);
    engine.candidateCache.set(patient, cached);
  }
  return cached;
}

function findCandidates(engine: Engine, patient: ActorIdentity): readonly Candidate[] {
  const lists: (readonly number[])[] = [];
  for (const r of patient.references) {
    const l = engine.byKey.get(`r:${r}`);
    if (l) lists.push(l);
  }
  for (const id of patient.identifiers) {
    const l = engine.byKey.get(`v:${id.value}`);
    if (l) lists.push(l);
  }
  const out: Candidate[] = [];
  const seen = lists.length > 1 ? new Set<number>() : undefined;
  for (const list of lists) {
    for (const i of list) {
      if (seen) {
        if (seen.has(i)) continue;
        seen.add(i);
      }
      const c = engine.compiled[i];
      const candidate = engine.same[i];
      if (c && candidate && compareIdentities(c.patient, patient) === 'same') out.push(candidate);
    }
  }
  let added = false;
  const denying = patient.references.length > 0 ? engine.denyingWithoutReference : engine.denying;
  if (denying.length > 0) {
    const taken = new Set(out.map((x) => x.c.index));
    for (const c of denying) {
      const candidate = engine.unknown[c.index];
      if (candidate && !taken.has(c.index) && compareIdentities(c.patient, patient) === 'unknown') {
        out.push(candidate);
        added = true;
      }
    }
  }
  if (lists.length > 1 || added) out.sort((a, b) => a.c.index - b.c.index);
  return out;
}

/**
 * The shape of a request: every part of it a decision reads, as numbers and strings (the patient's,
 * actors' and disclosers' identities; purposes, action, labels, classes and codes by their numbers;
 * the request date as the instants it spans; the data references, data period and codes only when
 * some provision reads them; the categories). Two requests of one shape get the same decision.
 *
 * @returns the key, or `undefined` when a part could not be numbered (then the decision is not remembered)
 */
export function shapeKey(engine: Engine, request: DisclosureRequest, patient: NumberedIdentity): string | undefined {
  if (patient.id < 0) return undefined;
  const actors = listKey(engine, identities(engine, request.actor));
  const disclosers = listKey(engine, identities(engine, request.discloser));
  const purposes = listKey(engine, resolved(engine, 'purpose', request.purposeOfUse));
  const labels = request.securityLabel === undefined ? '-' : listKey(engine, resolved(engine, 'securityLabel', request.securityLabel));
  const classes = request.class === undefined ? '-' : listKey(engine, resolved(engine, 'class', request.class));
  const { uses } = engine;
  const codes = !uses.code || request.code === undefined ? '-' : listKey(engine, resolved(engine, 'code', request.code));
  if (actors === undefined || disclosers === undefined || purposes === undefined || labels === undefined || classes === undefined || codes === undefined) return undefined;
  let action = '-';
  if (request.action !== undefined) {
    const a = resolveNumbered(engine, 'action', request.action);
    if (a.id < 0) return undefined;
    action = String(a.id);
  }
  const at = requestDate(engine, request);
  const data = !uses.data || request.data === undefined ? '-' : rawKey(engine, request.data);
  const dp = request.dataPeriod;
  const period = !uses.dataPeriod || dp === undefined ? '-' : JSON.stringify([dp.start ?? null, dp.end ?? null]);
  const category = request.category.length === 0 ? '' : rawKey(engine, request.category);
  return `${patient.id}|${actors}|${disclosers}|${purposes}|${action}|${labels}|${classes}|${codes}|${at.low},${at.high}|${data}|${period}|${category}`;
}

/** The numbers of a resolved request list, joined (cached by the list); `undefined` when one has no number. */
function listKey(engine: Engine, list: readonly (ResolvedCode | NumberedIdentity)[]): string | undefined {
  if (list.length === 0) return '';
  const info = listInfo(engine, list);
  if (info.ids === undefined) {
    let key: string | null = '';
    for (let i = 0; i < list.length; i++) {
      const id = (list[i] as ResolvedCode | NumberedIdentity).id;
      if (id < 0) {
        key = null;
        break;
      }
      key += i === 0 ? String(id) : `,${id}`;
    }
    info.ids = key;
  }
  return info.ids ?? undefined;
}

/** A request list as written, as JSON (cached by the list). */
function rawKey(engine: Engine, list: readonly unknown[]): string {
  const info = listInfo(engine, list);
  info.raw ??= JSON.stringify(list);
  return info.raw;
}

/** Whether a request's labels include a Part 2 label (cached by the list). */
export function part2Labelled(engine: Engine, labels: readonly Code[] | undefined): boolean {
  if (labels === undefined || labels.length === 0) return false;
  const info = listInfo(engine, labels);
  info.part2 ??= intersects(labels, engine.settings.part2Labels);
  return info.part2;
}

/** What a request's purposes mean for the decision (cached by the list). */
export function purposeFlags(engine: Engine, purposes: readonly Code[]): PurposeFlags {
  const info = listInfo(engine, purposes);
  if (info.purposes === undefined) {
    const { tpo, breakGlass } = engine.settings;
    info.purposes = {
      tpo: purposes.length > 0 && purposes.every((p) => tpo.includes(p.code)),
      breakGlass: purposes.some((p) => breakGlass.includes(p.code) && (p.system === undefined || p.system === SYSTEMS.actReason)),
    };
  }
  return info.purposes;
}
