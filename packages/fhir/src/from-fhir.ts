/**
 * FHIR → model: rebuilds PeerKit records from FHIR R4 resources. Lossless for PeerKit's own output
 * (`fromFhir(toFhir(records))` gives back the records, but for what the host EHR owns: the peer's birth
 * date and language). Resources written by other systems map as far as they can, with issues for what
 * could not be read — never an exception.
 */
import {
  ACTIVITIES,
  ATTENDANCE,
  CONSENT_KINDS,
  CONSENT_SIGNERS,
  CREDENTIAL_TYPES,
  CRISIS_ACTIONS,
  DATA_CATEGORIES,
  ENCOUNTER_STATUSES,
  GOAL_ACHIEVEMENTS,
  GOAL_STATUSES,
  GROUP_TOPICS,
  LIVED_EXPERIENCE_AREAS,
  MODALITIES,
  parseRecord,
  PLAN_STATUSES,
  PROGRAM_TYPES,
  RECIPIENT_TYPES,
  RECOVERY_DOMAINS,
  REFERRAL_CATEGORIES,
  REFERRAL_OUTCOMES,
  REFERRAL_STATUSES,
  REFERRAL_TARGET_TYPES,
  REFERRAL_URGENCIES,
  ROLE_LEVELS,
  SETTINGS,
  SIGNATURE_METHODS,
  SIGNER_ROLES,
  SPECIALIZATIONS,
  STEP_OWNERS,
  STEP_STATUSES,
  SUPPORT_ROLES,
  type ClinicRecord,
  type CodeEntry,
  type Issue,
  type Result,
} from '@peerkit/model';
import type {
  CarePlan,
  CodeableConcept,
  Consent,
  Coverage,
  DocumentReference,
  Encounter,
  EpisodeOfCare,
  Extension,
  Goal,
  Group,
  HealthcareService,
  Identifier,
  Organization,
  Practitioner,
  PractitionerRole,
  Procedure,
  Provenance,
  Reference,
  ServiceRequest,
  Task,
} from 'fhir/r4';
import { PURPOSE_OF_USE, SENSITIVITY_OF_CATEGORY } from './consent';
import { fromBase64 } from './internal/base64';
import { codeIn, extOf, extsOf, isCode, Reader } from './internal/read';
import { PERTAINS_TO_GOAL } from './referral';
import { PEERKIT_CANONICAL, SYSTEMS } from './systems';

/** Options of {@link fromFhir}. */
export interface FromFhirOptions {
  /** Canonical base of PeerKit's extensions and CodeSystems. Default `https://peerkit.dev/fhir`. */
  canonicalBase?: string;
}

type Json = Record<string, unknown>;
type Loose<T> = Partial<T> & Json;

/** Resolves references and identifiers across the whole input. */
class Index {
  readonly byRef = new Map<string, { resource: Json; index: number }>();
  /** `Patient` reference or identifier key → peer id. */
  readonly peerOfPatient = new Map<string, string>();
  /** Resource key (`Type/id`) → record id, for resources that carry a PeerKit business identifier. */
  readonly recordId = new Map<string, string>();

  constructor(readonly canonical: string) {}

  cs(name: string): string {
    return `${this.canonical}/CodeSystem/${name}`;
  }

  url(name: string): string {
    return `${this.canonical}/StructureDefinition/${name}`;
  }

  /** The record id behind a reference, or the referenced id itself for foreign data. */
  idOf(reference: Reference | undefined, type: string): string | undefined {
    const value = reference?.reference;
    if (typeof value !== 'string') return undefined;
    const match = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(value);
    if (!match || match[1] !== type) return undefined;
    return this.recordId.get(value) ?? match[2];
  }

  /** The program id behind a `HealthcareService` reference (from the resource when present). */
  recordIdOfProgram(reference: Reference | undefined): string | undefined {
    const value = reference?.reference;
    if (typeof value !== 'string') return undefined;
    const found = this.byRef.get(value);
    if (found) return businessId(found.resource.identifier, 'program')?.value;
    // Not in the input: the id is `hs-<organizationId>.<programId>`.
    const id = value.split('/')[1] ?? '';
    return id.startsWith('hs-') ? id.slice(id.lastIndexOf('.') + 1) : id;
  }

  peerOf(reference: Reference | undefined): string | undefined {
    for (const key of patientKeys(reference)) {
      const peer = this.peerOfPatient.get(key);
      if (peer !== undefined) return peer;
    }
    return undefined;
  }
}

function patientKeys(reference: Reference | undefined): string[] {
  if (!reference || typeof reference !== 'object') return [];
  const keys: string[] = [];
  if (typeof reference.reference === 'string') keys.push(reference.reference);
  const id = reference.identifier;
  if (id && typeof id.value === 'string') keys.push(`${id.system ?? ''}|${id.value}`);
  return keys;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The business identifier value under `<base>/<name>`, with the base it was found under. */
function businessId(identifiers: unknown, name: string): { base: string; value: string } | undefined {
  if (!Array.isArray(identifiers)) return undefined;
  for (const id of identifiers as Identifier[]) {
    if (typeof id?.system === 'string' && id.system.endsWith(`/${name}`) && typeof id.value === 'string') {
      return { base: id.system.slice(0, -name.length - 1), value: id.value };
    }
  }
  return undefined;
}

/** Identifiers other than PeerKit's business identifiers of the given names. */
function otherIdentifiers(identifiers: Identifier[] | undefined, names: string[]): { system?: string; value: string }[] {
  return (identifiers ?? []).flatMap((id) => {
    if (typeof id.value !== 'string') return [];
    if (typeof id.system === 'string' && names.some((n) => id.system!.endsWith(`/${n}`))) return [];
    return [id.system === undefined ? { value: id.value } : { system: id.system, value: id.value }];
  });
}

function code<C extends string>(
  r: Reader,
  list: readonly CodeEntry<C>[],
  concept: CodeableConcept | undefined,
  system: string,
  path: (string | number)[],
  what: string,
): C | undefined {
  const value = codeIn(concept, system);
  if (value === undefined) return undefined;
  if (isCode(list, value)) return value;
  r.unknownCode(path, what);
  return undefined;
}

function codingOf<C extends string>(
  r: Reader,
  list: readonly CodeEntry<C>[],
  extension: Extension | undefined,
  system: string,
  path: (string | number)[],
  what: string,
): C | undefined {
  const coding = extension?.valueCoding;
  if (!coding) return undefined;
  if (coding.system === system && isCode(list, coding.code)) return coding.code;
  r.unknownCode(path, what);
  return undefined;
}

const sub = (extension: Extension | undefined, url: string): Extension | undefined => extOf(extension, url);
const subs = (extension: Extension | undefined, url: string): Extension[] => extsOf(extension, url);

/** Drops undefined members (shallow), so records hold no undefined keys. */
function defined<T extends Json>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

interface Built {
  index: number;
  record: Json;
  reader: Reader;
}

/**
 * Rebuilds PeerKit records from FHIR R4 resources (any order; a Bundle's entries or an NDJSON file's
 * lines). Every rebuilt record is validated with the model's `parseRecord`; a record that fails is
 * reported and left out, the others are kept.
 *
 * Issues: `fhir.not-a-resource`, `fhir.missing-element` (error: the record cannot be built),
 * `fhir.unknown-code` (warning), `fhir.unresolved-reference` (error), `fhir.element-ignored`
 * (information: e.g. another system's extension, a contained resource), `fhir.unsupported-resource`
 * (information), plus the model's own issues. Paths start with the resource's index in the input.
 *
 * @param resources - FHIR resources (plain JSON)
 * @param options - see {@link FromFhirOptions}
 * @returns the records, in the order of their first resource in the input
 * @example
 * const result = fromFhir(bundle.entry.map((e) => e.resource));
 * See: docs/fhir-mapping.md
 */
export function fromFhir(resources: readonly unknown[], options: FromFhirOptions = {}): Result<ClinicRecord[]> {
  const ix = new Index((options.canonicalBase ?? PEERKIT_CANONICAL).replace(/\/+$/, ''));
  const issues: Issue[] = [];
  const typed: { resource: Json; index: number; type: string }[] = [];

  resources.forEach((resource, index) => {
    if (resource === null || typeof resource !== 'object' || Array.isArray(resource) || typeof (resource as Json).resourceType !== 'string') {
      issues.push({ severity: 'error', code: 'fhir.not-a-resource', path: [index], message: 'Not a FHIR resource (no resourceType)' });
      return;
    }
    const json = resource as Json;
    const type = json.resourceType as string;
    typed.push({ resource: json, index, type });
    if (typeof json.id === 'string') ix.byRef.set(`${type}/${json.id}`, { resource: json, index });
  });

  // Record ids behind resource ids, and patients behind peers.
  const idNames: Record<string, string> = {
    Organization: 'organization',
    Practitioner: 'specialist',
    CarePlan: 'recovery-plan',
    Consent: 'consent',
    ServiceRequest: 'referral',
    Group: 'group-session',
    Encounter: 'encounter',
  };
  for (const { resource, type } of typed) {
    const name = idNames[type];
    const found = name ? businessId(resource.identifier, name) : undefined;
    if (found && typeof resource.id === 'string') ix.recordId.set(`${type}/${resource.id}`, found.value);
    if (type === 'Goal' && typeof resource.id === 'string') {
      const goal = businessId(resource.identifier, 'recovery-goal');
      const slash = goal?.value.lastIndexOf('/') ?? -1;
      if (goal && slash > 0) ix.recordId.set(`Goal/${resource.id}`, goal.value.slice(slash + 1));
    }
    if (type === 'EpisodeOfCare') {
      const peer = businessId(resource.identifier, 'peer');
      if (peer) for (const key of patientKeys(resource.patient as Reference)) ix.peerOfPatient.set(key, peer.value);
    }
  }

  const built: Built[] = [];
  const consumed = new Set<Json>();
  const safely = (index: number, path: (string | number)[], build: (r: Reader) => Json | undefined): void => {
    const reader = new Reader([index]);
    try {
      const record = build(reader);
      if (record) built.push({ index, record, reader });
      else issues.push(...reader.issues);
    } catch {
      issues.push(...reader.issues, {
        severity: 'error',
        code: 'fhir.unreadable',
        path: [index, ...path],
        message: 'The resource has a shape PeerKit cannot read; it was skipped',
      });
    }
  };
  const of = <T>(type: string): { resource: Loose<T>; index: number }[] =>
    typed.filter((t) => t.type === type).map((t) => ({ resource: t.resource as Loose<T>, index: t.index }));

  // Organizations with their programs.
  for (const { resource, index } of of<Organization>('Organization')) {
    consumed.add(resource);
    safely(index, [], (r) => readOrganization(ix, r, resource, of<HealthcareService>('HealthcareService'), consumed));
  }
  for (const { resource, index } of of<Practitioner>('Practitioner')) {
    consumed.add(resource);
    const role = of<PractitionerRole>('PractitionerRole').find((p) => ix.idOf(p.resource.practitioner, 'Practitioner') === ix.idOf({ reference: `Practitioner/${String(resource.id)}` }, 'Practitioner'));
    if (role) consumed.add(role.resource);
    safely(index, [], (r) => readSpecialist(ix, r, resource, role?.resource));
  }
  readPeers(ix, of<EpisodeOfCare>('EpisodeOfCare'), of<Coverage>('Coverage'), consumed, safely);
  for (const { resource, index } of of<CarePlan>('CarePlan')) {
    consumed.add(resource);
    safely(index, [], (r) => readPlan(ix, r, resource, consumed));
  }
  for (const { resource, index } of of<Encounter>('Encounter')) {
    if (consumed.has(resource) || resource.partOf !== undefined || refType(resource.subject) === 'Group') continue;
    consumed.add(resource);
    safely(index, [], (r) => readEncounter(ix, r, resource, typed, consumed));
  }
  for (const { resource, index } of of<Group>('Group')) {
    consumed.add(resource);
    safely(index, [], (r) => readGroup(ix, r, resource, typed, consumed));
  }
  for (const { resource, index } of of<Consent>('Consent')) {
    consumed.add(resource);
    safely(index, [], (r) => readConsent(ix, r, resource));
  }
  for (const { resource, index } of of<ServiceRequest>('ServiceRequest')) {
    consumed.add(resource);
    const task = of<Task>('Task').find((t) => t.resource.focus?.reference === `ServiceRequest/${String(resource.id)}`);
    if (task) consumed.add(task.resource);
    safely(index, [], (r) => readReferral(ix, r, resource, task?.resource));
  }
  for (const { resource, index } of typed) {
    if (consumed.has(resource)) continue;
    issues.push({
      severity: 'information',
      code: 'fhir.unsupported-resource',
      path: [index, 'resourceType'],
      message: 'This resource maps to no PeerKit record on its own and was not read',
    });
  }

  built.sort((a, b) => a.index - b.index);
  const records: ClinicRecord[] = [];
  for (const { index, record, reader } of built) {
    issues.push(...reader.issues);
    const parsed = parseRecord(record);
    issues.push(...parsed.issues.map((issue) => ({ ...issue, path: [index, ...issue.path] })));
    if (parsed.ok) records.push(parsed.value);
  }
  const hasError = issues.some((i) => i.severity === 'error');
  return hasError && records.length === 0 ? { ok: false, issues } : { ok: true, value: records, issues };
}

function refType(reference: Reference | undefined): string | undefined {
  const value = reference?.reference;
  return typeof value === 'string' ? value.split('/')[0] : undefined;
}

function warnForeignExtensions(ix: Index, r: Reader, element: { extension?: unknown }, path: (string | number)[], known: string[]): void {
  if (!Array.isArray(element.extension)) return;
  (element.extension as Extension[]).forEach((e, i) => {
    if (typeof e?.url !== 'string' || (!known.includes(e.url) && !e.url.startsWith(`${ix.canonical}/`))) {
      r.ignored([...path, 'extension', i], 'An extension');
    }
  });
  if (Array.isArray((element as { contained?: unknown }).contained)) r.ignored([...path, 'contained'], 'A contained resource');
}

function readOrganization(
  ix: Index,
  r: Reader,
  org: Loose<Organization>,
  services: { resource: Loose<HealthcareService> }[],
  consumed: Set<Json>,
): Json | undefined {
  warnForeignExtensions(ix, r, org, [], []);
  const id = businessId(org.identifier, 'organization');
  const orgRef = `Organization/${String(org.id)}`;
  const programs = services
    .filter((s) => s.resource.providedBy?.reference === orgRef)
    .map(({ resource: s }) => {
      consumed.add(s);
      return defined({
        id: businessId(s.identifier, 'program')?.value ?? s.id,
        name: s.name,
        type: code(r, PROGRAM_TYPES, s.type?.[0], ix.cs('program-type'), ['type'], 'HealthcareService.type'),
        part2: extOf(s, ix.url('part2-program'))?.valueBoolean ?? false,
        start: extOf(s, ix.url('program-start'))?.valueDate,
      });
    });
  if (!id) r.missing(['identifier'], 'The organization identifier system');
  return defined({
    kind: 'organization',
    id: id?.value ?? org.id,
    name: org.name,
    identifiers: otherIdentifiers(org.identifier, ['organization']),
    identifierSystem: id?.base,
    state: org.address?.[0]?.state,
    phone: org.telecom?.find((t) => t.system === 'phone')?.value,
    programs,
  });
}

function readSpecialist(ix: Index, r: Reader, p: Loose<Practitioner>, role: Loose<PractitionerRole> | undefined): Json {
  warnForeignExtensions(ix, r, p, [], []);
  const name = p.name?.[0];
  if (!role) r.missing(['PractitionerRole'], 'The PractitionerRole of the specialist');
  const education = extsOf(p, ix.url('continuing-education')).map((e) =>
    defined({
      date: sub(e, 'date')?.valueDate,
      hours: sub(e, 'hours')?.valueDecimal,
      topic: sub(e, 'topic')?.valueString,
      ethics: sub(e, 'ethics')?.valueBoolean ?? false,
    }),
  );
  return defined({
    kind: 'specialist',
    id: businessId(p.identifier, 'specialist')?.value ?? p.id,
    identifiers: otherIdentifiers(p.identifier, ['specialist']),
    name: defined({ given: name?.given, family: name?.family, display: name?.text }),
    roleLevel: code(r, ROLE_LEVELS, role?.code?.[0], ix.cs('role-level'), ['code'], 'PractitionerRole.code'),
    active: p.active ?? role?.active ?? true,
    organizationId: ix.idOf(role?.organization, 'Organization'),
    hired: role?.period?.start,
    certifications: (p.qualification ?? []).map((q, i) =>
      defined({
        credential: code(r, CREDENTIAL_TYPES, q.code, ix.cs('credential-type'), ['qualification', i, 'code'], 'Practitioner.qualification.code'),
        issuer: q.issuer?.display,
        state: extOf(q, ix.url('credential-state'))?.valueCode,
        number: q.identifier?.[0]?.value,
        issued: q.period?.start,
        expires: q.period?.end,
      }),
    ),
    continuingEducation: education,
    supervisorId: ix.idOf(extOf(role, ix.url('supervisor'))?.valueReference, 'Practitioner'),
    supervisionLog: extsOf(role, ix.url('supervision')).map((e) =>
      defined({
        date: sub(e, 'date')?.valueDate,
        supervisorId: ix.idOf(sub(e, 'supervisor')?.valueReference, 'Practitioner'),
        minutes: sub(e, 'minutes')?.valueInteger,
        format: sub(e, 'format')?.valueCoding?.code,
      }),
    ),
    specializations: (role?.specialty ?? []).flatMap((s) => {
      const c = codeIn(s, ix.cs('specialization'));
      return isCode(SPECIALIZATIONS, c) ? [c] : [];
    }),
    livedExperience: extsOf(p, ix.url('lived-experience')).flatMap((e) => {
      const c = e.valueCoding?.code;
      return isCode(LIVED_EXPERIENCE_AREAS, c) ? [c] : [];
    }),
    languages: (p.communication ?? []).flatMap((c) => c.coding?.map((x) => x.code).filter((x): x is string => x !== undefined) ?? []),
    caseloadLimit: extOf(role, ix.url('caseload-limit'))?.valueInteger,
  });
}

function readPeers(
  ix: Index,
  episodes: { resource: Loose<EpisodeOfCare>; index: number }[],
  coverages: { resource: Loose<Coverage>; index: number }[],
  consumed: Set<Json>,
  safely: (index: number, path: (string | number)[], build: (r: Reader) => Json | undefined) => void,
): void {
  const byPeer = new Map<string, { resource: Loose<EpisodeOfCare>; index: number }[]>();
  for (const e of episodes) {
    consumed.add(e.resource);
    const peer = businessId(e.resource.identifier, 'peer')?.value;
    if (peer === undefined) continue;
    const list = byPeer.get(peer) ?? [];
    list.push(e);
    byPeer.set(peer, list);
  }
  for (const c of coverages) consumed.add(c.resource);
  for (const [peerId, list] of byPeer) {
    const first = list[0]!;
    safely(first.index, [], (r) => {
      const patient = first.resource.patient;
      const careManager = list.find((e) => e.resource.careManager)?.resource.careManager;
      return defined({
        kind: 'peer',
        id: peerId,
        patient: defined({
          reference: str(patient?.reference),
          identifier: patient?.identifier === undefined ? undefined : defined({ system: patient.identifier.system, value: patient.identifier.value }),
        }),
        enrollments: list.map(({ resource: e }) =>
          defined({
            programId: businessId(e.identifier, 'enrollment')?.value.split('/')[1] ?? ix.idOf(extOf(e, ix.url('program'))?.valueReference, 'HealthcareService'),
            programType: code(r, PROGRAM_TYPES, e.type?.[0], ix.cs('program-type'), ['type'], 'EpisodeOfCare.type'),
            start: e.period?.start,
            end: e.period?.end,
          }),
        ),
        coverage: coverages
          .filter((c) => ix.peerOf(c.resource.beneficiary) === peerId)
          .map(({ resource: c }) =>
            defined({ payerId: c.payor?.[0]?.identifier?.value ?? c.payor?.[0]?.display, memberId: c.subscriberId, start: c.period?.start, end: c.period?.end }),
          ),
        primarySpecialistId: ix.idOf(careManager, 'Practitioner'),
      });
    });
  }
}

function peerIdOf(ix: Index, r: Reader, reference: Reference | undefined, path: (string | number)[]): string | undefined {
  const peer = ix.peerOf(reference);
  if (peer === undefined) r.unresolved(path, 'The patient reference');
  return peer;
}

function readContact(e: Extension): Json {
  return defined({ name: sub(e, 'name')?.valueString, relationship: sub(e, 'relationship')?.valueString, phone: sub(e, 'phone')?.valueString });
}

function readPlan(ix: Index, r: Reader, plan: Loose<CarePlan>, consumed: Set<Json>): Json {
  warnForeignExtensions(ix, r, plan, [], []);
  const planId = businessId(plan.identifier, 'recovery-plan')?.value ?? plan.id;
  const goals = (plan.goal ?? []).flatMap((g, i) => {
    const found = typeof g.reference === 'string' ? ix.byRef.get(g.reference) : undefined;
    if (!found) {
      r.unresolved(['goal', i], 'CarePlan.goal');
      return [];
    }
    consumed.add(found.resource);
    const goal = found.resource as Loose<Goal>;
    const value = businessId(goal.identifier, 'recovery-goal')?.value;
    return [
      defined({
        id: value?.slice(value.lastIndexOf('/') + 1) ?? goal.id,
        text: goal.description?.text,
        domain: code(r, RECOVERY_DOMAINS, goal.category?.[0], ix.cs('recovery-domain'), ['goal', i], 'Goal.category'),
        status: isCode(GOAL_STATUSES, goal.lifecycleStatus) ? goal.lifecycleStatus : undefined,
        achievement: code(r, GOAL_ACHIEVEMENTS, goal.achievementStatus, SYSTEMS.goalAchievement, ['goal', i], 'Goal.achievementStatus'),
        start: goal.startDate,
        target: goal.target?.[0]?.dueDate,
        measure: goal.note?.[0]?.text,
      }),
    ];
  });
  const crisis = extOf(plan, ix.url('crisis-plan'));
  const signatures = [...ix.byRef.values()]
    .filter(({ resource }) => resource.resourceType === 'Provenance' && (resource as Loose<Provenance>).target?.some((t) => t.reference === `CarePlan/${String(plan.id)}`))
    .sort((a, b) => a.index - b.index)
    .map(({ resource }) => {
      consumed.add(resource);
      const p = resource as Loose<Provenance>;
      const agent = p.agent?.[0];
      const sig = p.signature?.[0];
      return defined({
        role: code(r, SIGNER_ROLES, agent?.role?.[0], ix.cs('signer-role'), ['Provenance', 'agent'], 'Provenance.agent.role'),
        signerId: ix.idOf(agent?.who, 'Practitioner'),
        signedAt: p.recorded,
        method: codingOf(r, SIGNATURE_METHODS, extOf(sig, ix.url('signature-method')), ix.cs('signature-method'), ['Provenance', 'signature'], 'Signature method'),
      });
    });
  return defined({
    kind: 'recovery-plan',
    id: planId,
    peerId: peerIdOf(ix, r, plan.subject, ['subject']),
    specialistId: ix.idOf(plan.author, 'Practitioner'),
    programId: ix.recordIdOfProgram(extOf(plan, ix.url('program'))?.valueReference),
    status: isCode(PLAN_STATUSES, plan.status) ? plan.status : undefined,
    created: plan.created,
    period: defined({ start: plan.period?.start, end: plan.period?.end }),
    reviewDue: extOf(plan, ix.url('review-due'))?.valueDate,
    strengths: extsOf(plan, ix.url('strength')).map((e) => e.valueString),
    goals,
    steps: (plan.activity ?? []).map((a, i) => {
      const step = extOf(a, ix.url('step'));
      const goalRef = a.detail?.goal?.[0];
      return defined({
        id: sub(step, 'id')?.valueId ?? `step-${i + 1}`,
        goalId: ix.idOf(goalRef, 'Goal'),
        description: a.detail?.description,
        owner: codingOf(r, STEP_OWNERS, sub(step, 'owner'), ix.cs('step-owner'), ['activity', i], 'Step owner') ?? 'other',
        due: a.detail?.scheduledPeriod?.end,
        status: isCode(STEP_STATUSES, a.detail?.status) ? a.detail?.status : undefined,
        completedOn: sub(step, 'completedOn')?.valueDate,
      });
    }),
    supports: extsOf(plan, ix.url('support')).map((e) =>
      defined({
        name: sub(e, 'name')?.valueString,
        role: codingOf(r, SUPPORT_ROLES, sub(e, 'role'), ix.cs('support-role'), ['extension'], 'Support role'),
        phone: sub(e, 'phone')?.valueString,
      }),
    ),
    crisisPlan:
      crisis === undefined
        ? undefined
        : defined({
            warningSigns: subs(crisis, 'warningSign').map((e) => e.valueString),
            copingStrategies: subs(crisis, 'copingStrategy').map((e) => e.valueString),
            contacts: subs(crisis, 'contact').map(readContact),
            professionalContacts: subs(crisis, 'professionalContact').map(readContact),
            safeEnvironment: subs(crisis, 'safeEnvironment').map((e) => e.valueString),
            reviewed: sub(crisis, 'reviewed')?.valueDate,
          }),
    signatures,
  });
}

function noteOf(ix: Index, r: Reader, doc: Loose<DocumentReference> | undefined): Json | undefined {
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

function findBy<T>(typed: { resource: Json; type: string }[], type: string, test: (resource: Loose<T>) => boolean): Loose<T> | undefined {
  return typed.find((t) => t.type === type && test(t.resource as Loose<T>))?.resource as Loose<T> | undefined;
}

function sessionFields(ix: Index, r: Reader, e: Loose<Encounter>): Json {
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

function readEncounter(ix: Index, r: Reader, e: Loose<Encounter>, typed: { resource: Json; type: string }[], consumed: Set<Json>): Json {
  warnForeignExtensions(ix, r, e, [], []);
  const me = `Encounter/${String(e.id)}`;
  const service = findBy<Procedure>(typed, 'Procedure', (p) => p.encounter?.reference === me);
  const doc = findBy<DocumentReference>(typed, 'DocumentReference', (d) => d.context?.encounter?.some((x) => x.reference === me) ?? false);
  if (service) consumed.add(service);
  if (doc) consumed.add(doc);
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
    note: noteOf(ix, r, doc),
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

function readGroup(ix: Index, r: Reader, g: Loose<Group>, typed: { resource: Json; type: string }[], consumed: Set<Json>): Json | undefined {
  const me = `Group/${String(g.id)}`;
  const session = findBy<Encounter>(typed, 'Encounter', (e) => e.subject?.reference === me);
  if (!session) {
    r.missing(['Encounter'], 'The session Encounter of the group');
    return undefined;
  }
  consumed.add(session);
  const sessionRef = `Encounter/${String(session.id)}`;
  const groupNote = findBy<DocumentReference>(typed, 'DocumentReference', (d) => d.subject?.reference === me);
  if (groupNote) consumed.add(groupNote);
  const attendees = typed
    .filter((t) => t.type === 'Encounter' && (t.resource as Loose<Encounter>).partOf?.reference === sessionRef)
    .map((t) => {
      const e = t.resource as Loose<Encounter>;
      consumed.add(e);
      const me2 = `Encounter/${String(e.id)}`;
      const doc = findBy<DocumentReference>(typed, 'DocumentReference', (d) => d.context?.encounter?.some((x) => x.reference === me2) ?? false);
      if (doc) consumed.add(doc);
      return defined({
        peerId: peerIdOf(ix, r, e.subject, ['member']),
        attendance: codingOf(r, ATTENDANCE, extOf(e, ix.url('attendance')), ix.cs('attendance'), ['extension'], 'Attendance'),
        minutesPresent: e.length?.value,
        note: noteOf(ix, r, doc),
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
    groupNote: noteOf(ix, r, groupNote),
  });
}

function readConsent(ix: Index, r: Reader, c: Loose<Consent>): Json {
  warnForeignExtensions(ix, r, c, [], []);
  const provision = c.provision;
  if (Array.isArray(provision?.provision) && provision.provision.length > 0) {
    r.ignored(['provision', 'provision'], 'Nested provisions (the model holds one permit provision; use @peerkit/safeguards to evaluate them)');
  }
  const expiration = extOf(c, ix.url('consent-expiration'));
  const signature = extOf(c, ix.url('consent-signature'));
  const revocation = extOf(c, ix.url('consent-revocation'));
  const kind =
    (c.category ?? []).map((cat) => codeIn(cat, ix.cs('consent-kind'))).find((k) => isCode(CONSENT_KINDS, k)) ??
    (c.policy?.some((p) => typeof p.uri === 'string' && p.uri.includes('part-2')) ? 'part2-disclosure' : c.policyRule ? 'hipaa-authorization' : undefined);
  const status = c.status === 'inactive' ? 'revoked' : c.status;
  const expiresOn = sub(expiration, 'date')?.valueDate;
  const openEnded = sub(expiration, 'openEnded')?.valueBoolean === true;
  const categories = [
    ...(provision?.securityLabel ?? []).flatMap((l) => {
      const found = (Object.entries(SENSITIVITY_OF_CATEGORY) as [string, { code?: string }][]).find(([, coding]) => coding.code === l.code);
      return found ? [found[0]] : [];
    }),
    ...(provision?.code ?? []).flatMap((cc) => {
      const v = codeIn(cc, ix.cs('data-category'));
      return isCode(DATA_CATEGORIES, v) ? [v] : [];
    }),
  ];
  const purposeOf = (codeValue: string | undefined): string | undefined =>
    (Object.entries(PURPOSE_OF_USE) as [string, { code?: string }][]).find(([, coding]) => coding.code === codeValue)?.[0];
  return defined({
    kind: 'consent',
    id: businessId(c.identifier, 'consent')?.value ?? c.id,
    peerId: peerIdOf(ix, r, c.patient, ['patient']),
    consentKind: kind,
    status,
    discloser:
      c.organization?.[0] === undefined
        ? undefined
        : defined({ name: c.organization[0].display, organizationId: ix.idOf(c.organization[0], 'Organization') }),
    recipients: (provision?.actor ?? []).map((a, i) => {
      const type = codingOf(r, RECIPIENT_TYPES, extOf(a, ix.url('recipient-type')), ix.cs('recipient-type'), ['provision', 'actor', i], 'Recipient type') ?? 'organization';
      const extra = extOf(a, ix.url('recipient-description'))?.valueString;
      const display = a.reference?.display;
      const general = type === 'general-designation' && extra === undefined;
      return defined({
        type,
        name: general ? undefined : display,
        identifier: a.reference?.identifier === undefined ? undefined : defined({ system: a.reference.identifier.system, value: a.reference.identifier.value }),
        description: general ? display : extra,
      });
    }),
    purposes: (provision?.purpose ?? []).flatMap((p) => {
      const v = p.system === SYSTEMS.actReason ? purposeOf(p.code) : undefined;
      return v === undefined ? [] : [v];
    }),
    dataCategories: DATA_CATEGORIES.map((d) => d.code).filter((d) => categories.includes(d)).sort((a, b) => categories.indexOf(a) - categories.indexOf(b)),
    informationDescription: extOf(c, ix.url('information-description'))?.valueString,
    period: defined({
      start: provision?.period?.start,
      end: openEnded ? undefined : provision?.period?.end,
    }),
    expiration: expiration === undefined ? undefined : defined({ date: expiresOn, event: sub(expiration, 'event')?.valueString }),
    rightToRevokeStatement: extOf(c, ix.url('right-to-revoke-statement'))?.valueBoolean ?? false,
    redisclosureNotice: extOf(c, ix.url('redisclosure-notice'))?.valueBoolean ?? false,
    signature:
      c.dateTime === undefined
        ? undefined
        : defined({
            signer: codingOf(r, CONSENT_SIGNERS, sub(signature, 'signer'), ix.cs('consent-signer'), ['extension'], 'Consent signer') ?? 'peer',
            signedAt: c.dateTime,
            method: codingOf(r, SIGNATURE_METHODS, sub(signature, 'method'), ix.cs('signature-method'), ['extension'], 'Signature method') ?? 'wet',
          }),
    revocation:
      revocation === undefined
        ? undefined
        : defined({
            date: sub(revocation, 'date')?.valueDateTime,
            method: codingOf(r, SIGNATURE_METHODS, sub(revocation, 'method'), ix.cs('signature-method'), ['extension'], 'Revocation method'),
          }),
  });
}

function readReferral(ix: Index, r: Reader, s: Loose<ServiceRequest>, task: Loose<Task> | undefined): Json {
  warnForeignExtensions(ix, r, s, [], [PERTAINS_TO_GOAL]);
  const category = (s.category ?? []).map((c) => codeIn(c, ix.cs('referral-target-type'))).find((v) => isCode(REFERRAL_TARGET_TYPES, v));
  const planId = ix.idOf(s.basedOn?.[0], 'CarePlan');
  return defined({
    kind: 'referral',
    id: businessId(s.identifier, 'referral')?.value ?? s.id,
    peerId: peerIdOf(ix, r, s.subject, ['subject']),
    specialistId: ix.idOf(s.requester, 'Practitioner'),
    created: s.authoredOn,
    target: defined({
      type: category,
      category: code(r, REFERRAL_CATEGORIES, s.code, ix.cs('referral-category'), ['code'], 'ServiceRequest.code'),
      organizationName: s.performer?.[0]?.display,
      phone: extOf(s, ix.url('referral-phone'))?.valueString,
    }),
    reason: s.reasonCode?.[0]?.text,
    urgency: isCode(REFERRAL_URGENCIES, s.priority) ? s.priority : 'routine',
    status: isCode(REFERRAL_STATUSES, task?.status) ? task?.status : s.status === 'draft' ? 'draft' : s.status === 'completed' ? 'completed' : 'requested',
    planId,
    goalId: ix.idOf(extOf(s, PERTAINS_TO_GOAL)?.valueReference, 'Goal'),
    consentId: ix.idOf(s.supportingInfo?.[0], 'Consent'),
    encounterId: ix.idOf(s.encounter, 'Encounter'),
    closedAt: task?.executionPeriod?.end,
    outcome: task?.output?.[0]?.valueCodeableConcept ? code(r, REFERRAL_OUTCOMES, task.output[0].valueCodeableConcept, ix.cs('referral-outcome'), ['Task', 'output'], 'Task.output') : undefined,
    statusReason: task?.statusReason?.text,
  });
}
