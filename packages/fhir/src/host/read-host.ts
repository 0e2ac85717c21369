/**
 * `readHostFhir`: the host EHR's FHIR (US Core and plain R4, as Epic, Oracle Health, athena, HAPI or
 * Medplum write it) into PeerKit records, nothing lost in silence. Every input position becomes (part
 * of) a record, is context for one, or gets a coded `host.*` finding; the valid remainder is always
 * read. Each resource type has its reader file; this file only ingests, links, runs them and validates
 * what they build with the model's own parsers.
 */
import {
  goalSchema,
  idSchema,
  isIsoDate,
  noteSchema,
  parseConsent,
  parseGroupSession,
  parseOrganization,
  parsePeer,
  parsePeerEncounter,
  parseRecoveryPlan,
  parseReferral,
  parseServiceConsent,
  parseSpecialist,
  programSchema,
  formatPath,
  schemaParser,
  withParsedCheck,
  type Finding,
  type Issue,
  type Result,
} from '@peerkit/model';
import type { Coding } from 'fhir/r4';
import { z } from 'zod';
import { fromFhir } from '../from-fhir';
import { PEERKIT_CANONICAL } from '../systems';
import { carePlanReader } from './care-plan';
import { claimResponseReader } from './claim-response';
import { conditionReader } from './condition';
import { consentReader } from './consent';
import { coverageReader } from './coverage';
import { documentReferenceReader } from './document-reference';
import { encounterReader } from './encounter';
import { hostFinding, type HostPosition } from './findings';
import { goalReader } from './goal';
import { groupReader } from './group';
import { healthcareServiceReader } from './healthcare-service';
import { US_CORE_IMPORT_PROFILE } from './import-profile';
import { HostReadContext, type PendingRecord } from './internal/context';
import type { ProfileMatchers } from './internal/matchers';
import { dateOf, humanNameOf, identifiersOf, securityLabelsOf, textOf, type HostTypeReader } from './internal/fields';
import { HostIngest, type HostEntry, type HostIngested } from './internal/ingest';
import { RecordSummary } from './internal/record-summary';
import { num, obj, objs, str, type Json } from './internal/json';
import { organizationReader } from './organization';
import { patientReader } from './patient';
import { practitionerReader } from './practitioner';
import { practitionerRoleReader } from './practitioner-role';
import { HostIndex, modifierExtensionOf, referencesOf } from './references';
import { serviceRequestReader } from './service-request';
import { taskReader } from './task';
import type { HostContextItem, HostInput, HostReadResult, HostRecord, HostRecordKind, ReadHostOptions } from './types';

/**
 * The readers in the order they run: a record's main resource is read before the resources it takes
 * along (HealthcareServices of an Organization, roles of a Practitioner, session Encounters of a Group,
 * notes of an Encounter, Goals of a CarePlan, Tasks of a ServiceRequest); those are read on their own
 * only when no record took them.
 */
const READERS: readonly HostTypeReader[] = [
  organizationReader,
  practitionerReader,
  patientReader,
  groupReader,
  encounterReader,
  carePlanReader,
  serviceRequestReader,
  consentReader,
  healthcareServiceReader,
  practitionerRoleReader,
  documentReferenceReader,
  goalReader,
  taskReader,
  coverageReader,
  conditionReader,
  claimResponseReader,
];

const READER_OF: ReadonlyMap<string, HostTypeReader> = new Map(READERS.map((r) => [r.type, r]));

const hostGoalSchema = z.strictObject({ peerId: idSchema, goal: goalSchema });
const hostNoteSchema = z.strictObject({ peerId: idSchema.optional(), encounterId: idSchema.optional(), note: noteSchema });
const hostProgramSchema = z.strictObject({ organizationId: idSchema.optional(), program: programSchema });

/**
 * The model's validation of each record kind. The readers build records in their parsed form (keys in
 * schema order, defaults written out), which `withParsedCheck` / `schemaParser` accept without running
 * zod (the model's rules still run); any other record goes through zod, with its issues.
 */
const VALIDATE: Readonly<Record<HostRecordKind, (input: unknown) => Result<unknown>>> = {
  peer: withParsedCheck(parsePeer),
  specialist: withParsedCheck(parseSpecialist),
  organization: withParsedCheck(parseOrganization),
  'recovery-plan': withParsedCheck(parseRecoveryPlan),
  encounter: withParsedCheck(parsePeerEncounter),
  'group-session': withParsedCheck(parseGroupSession),
  consent: withParsedCheck(parseConsent),
  'service-consent': withParsedCheck(parseServiceConsent),
  referral: withParsedCheck(parseReferral),
  goal: schemaParser(hostGoalSchema),
  note: schemaParser(hostNoteSchema),
  program: schemaParser(hostProgramSchema),
};

/**
 * Types of a clinic's staff, organizations and services (internal): few, and named by everything else,
 * so kept parsed; a streamed read holds them back to its last window.
 */
export const HELD_TYPES: ReadonlySet<string> = new Set(['Organization', 'Practitioner', 'PractitionerRole', 'HealthcareService', 'Group']);

/**
 * The ingest of a read (internal). With `lazy` (a whole read, a large window), resources of NDJSON lines
 * of types other than {@link HELD_TYPES} are kept as their line and parsed again when read (see
 * `EntryLoads`), so the read does not hold every parsed resource; without it (a small window) each
 * resource is parsed once and kept parsed until its window is read.
 */
export const createIngest = (file: string | undefined, lazy = true): HostIngest =>
  new HostIngest(file, lazy ? { lazy: isLazyType, linkReferences } : {});

const isLazyType = (type: string): boolean => !HELD_TYPES.has(type);
const linkReferences = (type: string, resource: Json): readonly string[] | undefined => READER_OF.get(type)?.linkReferences?.(resource);

/** `true` for an `AsyncIterable` (internal). */
export const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  value !== null && typeof value === 'object' && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

/**
 * Reads the host EHR's FHIR R4 resources into PeerKit records. Never throws on any input.
 *
 * - Patient → `peer` (the host's reference, MRN, birth date; the host keeps the Patient);
 *   Practitioner + PractitionerRole → `specialist` (peer role codes), other practitioners → context;
 *   Organization / HealthcareService → `organization` with its programs, or context; Consent →
 *   `consent`; CarePlan + Goal → `recovery-plan` (a Goal alone → `goal`); Encounter → `encounter` when
 *   a profile code marks it peer support (subject a Group → `group-session` with the Group);
 *   ServiceRequest + Task → `referral`; DocumentReference → the encounter's note (alone → `note`).
 * - References resolve by `Type/id`, full URL, identifier (also `Type?identifier=`) and `#contained`;
 *   one that does not stays the host's on the record source (`host.reference-unresolved`, information).
 * - Each record keeps its host resources as `sources` (unknown extensions included) and their
 *   security labels; it always passes the model's schema, and `valid` says whether it also passes its
 *   rules (a field with no source is set from the profile defaults and listed in `defaulted`).
 *
 * @param input - a Bundle, a resource, an array, NDJSON text, or an (async) iterable of resources,
 *   NDJSON lines, {@link HostLine}s and {@link HostEntryItem}s (search results read from a server)
 * @param options - see {@link ReadHostOptions}
 * @returns records, context and findings (a Promise for an `AsyncIterable` input)
 * @example
 * const { records, findings } = readHostFhir(searchsetBundle, { profile: US_CORE_IMPORT_PROFILE, asOf: '2025-04-01' });
 * const encounters = records.filter((r) => r.kind === 'encounter').map((r) => r.record);
 * See: docs/reading-host-fhir.md; https://hl7.org/fhir/R4/references.html
 */
export function readHostFhir(input: HostInput, options?: ReadHostOptions): HostReadResult;
export function readHostFhir(input: AsyncIterable<unknown>, options?: ReadHostOptions): Promise<HostReadResult>;
export function readHostFhir(input: HostInput | AsyncIterable<unknown>, options: ReadHostOptions = {}): HostReadResult | Promise<HostReadResult> {
  const ingest = createIngest(options.file);
  if (isAsyncIterable(input)) {
    return (async () => {
      for await (const item of input) ingest.item(item);
      return readIngested(ingest, options);
    })();
  }
  ingest.whole(input);
  return readIngested(ingest, options);
}

/** The `host.type-not-used` message of each type, built once per type (R4 has about 150). */
const NOT_USED_MESSAGES = new Map<string, string>();
function notUsedMessage(type: string): string {
  let message = NOT_USED_MESSAGES.get(type);
  if (message === undefined) NOT_USED_MESSAGES.set(type, (message = `${type}: a resource type PeerKit does not read`));
  return message;
}

function preCheck(entry: HostEntry, cx: HostReadContext): boolean {
  if (!READER_OF.has(entry.type)) {
    cx.report('host.type-not-used', entry, ['resourceType'], notUsedMessage(entry.type));
    return false;
  }
  const modifier = entry.noModifier ? undefined : modifierExtensionOf(entry.resource);
  if (modifier !== undefined) {
    cx.report('host.unknown-modifier-extension', entry, modifier, `${entry.type}: a modifierExtension PeerKit does not know may change its meaning; the resource was not read`);
    return false;
  }
  if (entry.enteredInError) {
    cx.report('host.status-not-read', entry, ['status'], `${entry.type}: the host marked it entered-in-error`);
    return false;
  }
  return true;
}

/** `true` when a resource claims one of PeerKit's own profiles. */
function isOwnOutput(entry: HostEntry, profilePrefix: string): boolean {
  const { profiles } = entry;
  if (profiles === undefined) return false;
  for (const p of profiles) if (typeof p === 'string' && p.startsWith(profilePrefix)) return true;
  return false;
}

/** PeerKit's own output, read losslessly by `fromFhir`; its issues are placed at the input positions. */
function readOwnOutput(own: readonly HostEntry[], cx: HostReadContext, canonical: string): HostRecord[] {
  if (own.length === 0) return [];
  const result = fromFhir(
    own.map((e) => e.resource),
    { canonicalBase: canonical },
  );
  for (const issue of result.issues) {
    const entry = typeof issue.path[0] === 'number' ? own[issue.path[0]] : undefined;
    const position: HostPosition = entry ?? { path: [] };
    const finding = { ...issue, path: [...position.path, ...issue.path.slice(1)] };
    cx.addFinding(entry?.order ?? 0, position.line === undefined ? finding : { ...finding, line: position.line });
  }
  const records = result.ok ? result.value : [];
  return records.map((record) => ({ kind: record.kind, record, valid: true, issues: [], defaulted: [], sources: [], securityLabels: [] }) as HostRecord);
}

/** How a window of a streamed read is read (internal). */
export interface WindowOptions {
  /** Resources held back for a later window: indexed for references, not read. Default none. */
  readonly known?: readonly HostEntry[];
  /** Add `host.nothing-read` when the window has no record. Default true (a streamed read says it once, at its end). */
  readonly nothingRead?: boolean;
  /** The profile's lookups, built once for every window of a streamed read. Default built for this read. */
  readonly matchers?: ProfileMatchers;
}

/**
 * Reads what an ingest took in: `ingested.entries` are read; `known` (resources a streamed read holds
 * back for a later window) are only there for references to resolve to.
 */
export function readIngested(ingested: HostIngested, options: ReadHostOptions, window: WindowOptions = {}): HostReadResult {
  // Resources kept as their line are parsed again as they are read and let go after each reader's
  // turn (see `EntryLoads`); what the result hands out later (sources) parses them when first read.
  const { loads } = ingested;
  loads?.start();
  try {
    return readLoaded(ingested, options, window);
  } finally {
    loads?.stop();
  }
}

function readLoaded(ingested: HostIngested, options: ReadHostOptions, window: WindowOptions): HostReadResult {
  const { loads } = ingested;
  const known = window.known ?? [];
  const profile = options.profile ?? US_CORE_IMPORT_PROFILE;
  const indexed = known.length === 0 ? ingested.entries : mergeByOrder(known, ingested.entries);
  const cx = new HostReadContext(new HostIndex(indexed), profile, options, window.matchers);
  const canonical = (options.canonicalBase ?? PEERKIT_CANONICAL).replace(/\/+$/, '');
  const ownPrefix = `${canonical}/StructureDefinition/`;
  const { entries } = ingested;
  const own: HostEntry[] = [];
  for (let i = 0; i < entries.length; i++) if (isOwnOutput(entries[i]!, ownPrefix)) own.push(entries[i]!);
  const ownRecords = readOwnOutput(own, cx, canonical);
  const ownSet = own.length === 0 ? undefined : new Set(own);
  const readable: HostEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (ownSet?.has(entry) !== true && preCheck(entry, cx)) readable.push(entry);
  }
  // Indexed loops over the window's entries: a for-of run once per window allocates an iterator result per entry.
  loads?.release();
  for (let i = 0; i < readable.length; i++) {
    const link = READER_OF.get(readable[i]!.type)!.link;
    if (link === undefined) continue;
    link(readable[i]!, cx);
    loads?.release();
  }
  const byType = new Map<string, HostEntry[]>();
  for (let i = 0; i < readable.length; i++) {
    const entry = readable[i]!;
    const list = byType.get(entry.type);
    if (list) list.push(entry);
    else byType.set(entry.type, [entry]);
  }
  for (const reader of READERS) {
    const list = byType.get(reader.type) ?? [];
    for (let i = 0; i < list.length; i++) {
      const entry = list[i]!;
      if (cx.isClaimed(entry)) continue;
      try {
        reader.read(entry, cx);
      } catch {
        cx.report('host.record-invalid', entry, [], `${entry.type}: a shape PeerKit cannot read; the resource was skipped`);
      }
      loads?.release();
    }
  }
  const records = finishRecords(cx);
  const context = finishContext(cx, ingested);
  reportUnresolved(cx);
  const findings = mergeFindings(ingested, cx);
  if (records.length === 0 && ownRecords.length === 0 && window.nothingRead !== false) findings.push(nothingReadFinding());
  return { records: ownRecords.length === 0 ? records : [...ownRecords, ...records], context: context.map((c) => c.item), findings, profile };
}

/** Two lists of entries, each in input order, as one list in input order (internal). */
export function mergeByOrder(a: readonly HostEntry[], b: readonly HostEntry[]): HostEntry[] {
  const out: HostEntry[] = new Array<HostEntry>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]!.order <= b[j]!.order ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** The `host.nothing-read` finding (internal). */
export const nothingReadFinding = (): Finding => hostFinding('host.nothing-read', { path: [] }, [], 'The input produced no PeerKit record; the other findings say why');

/**
 * Reports the references the readers followed in the resources they read (contained resources
 * included) that name nothing in the input, with their paths.
 */
function reportUnresolved(cx: HostReadContext): void {
  const unresolved = cx.unresolved();
  for (let i = 0; i < unresolved.length; i++) {
    const entry = unresolved[i]!;
    for (const { path } of referencesOf(entry.resource, (reference) => cx.followedUnresolved(entry, reference))) {
      cx.report('host.reference-unresolved', entry, path, `${entry.type}.${formatPath(path)} names nothing in the input; kept as the host's reference`);
    }
  }
}

/** The ingest's and the readers' findings in input order (an ingest's finding before the entry it precedes), stably. */
function mergeFindings(ingested: HostIngested, cx: HostReadContext): Finding[] {
  const { findings, findingOrders } = cx;
  const before = ingested.findings.length;
  const count = before + findings.length;
  const orderAt = (i: number): number => (i < before ? (ingested.findingOrders[i] ?? 0) - 0.5 : findingOrders[i - before]!);
  // Positions sorted by order (a stable sort keeps equal orders as reported): no object per finding.
  const at: number[] = [];
  let sorted = true;
  for (let i = 0; i < count; i++) {
    at.push(i);
    if (i > 0 && orderAt(i) < orderAt(i - 1)) sorted = false;
  }
  if (!sorted) at.sort((a, b) => orderAt(a) - orderAt(b));
  const out: Finding[] = [];
  for (let i = 0; i < count; i++) out.push(at[i]! < before ? ingested.findings[at[i]!]! : findings[at[i]! - before]!);
  return out;
}

/** Completes each peer's enrollment: from its earliest dated service, else the import date, else the Patient's lastUpdated. */
function completeEnrollment(pending: PendingRecord, cx: HostReadContext): boolean {
  const { defaults } = cx.profile;
  const id = String(pending.record.id);
  const asOf = isIsoDate(cx.options.asOf) ? cx.options.asOf : undefined;
  const served = cx.peerDates.get(id);
  const start = served ?? asOf ?? dateOf(obj(pending.main.resource.meta)?.lastUpdated);
  if (start === undefined) {
    cx.report('host.required-missing', pending.main, [], 'Patient: no date to start the peer\'s enrollment (no dated service in the input, no asOf option, no meta.lastUpdated)');
    return false;
  }
  pending.defaulted.push(`enrollments (starting at ${served !== undefined ? 'the earliest dated service' : asOf !== undefined ? 'asOf' : 'meta.lastUpdated'})`);
  // The reader's own record, not yet handed out: its (empty) enrollments are replaced in place, in their key's place.
  pending.record.enrollments = [{ programId: defaults.programId, programType: defaults.programType, start }];
  return true;
}

/** `true` when an issue is the schema's (`schema.*`), not a rule's. */
function hasSchemaIssue(issues: readonly Issue[]): boolean {
  for (let i = 0; i < issues.length; i++) if (issues[i]!.code.startsWith('schema.')) return true;
  return false;
}

/** Adds the security labels of a resource to `labels` (one per `system|code`), the map made at the first label. */
function labelsOf(entry: HostEntry, labels: Map<string, Coding> | undefined): Map<string, Coding> | undefined {
  if (!entry.labeled) return labels;
  for (const label of securityLabelsOf(entry.resource)) (labels ??= new Map()).set(`${str(label.system) ?? ''}|${str(label.code) ?? ''}`, label);
  return labels;
}

function finishRecords(cx: HostReadContext): HostRecord[] {
  const out: HostRecord[] = [];
  const summary = new RecordSummary();
  // Records are emitted reader by reader; in input order of their main resource, stably (most come in order already).
  const pendings = cx.records;
  let ordered = true;
  for (let i = 1; i < pendings.length && ordered; i++) ordered = pendings[i - 1]!.main.order <= pendings[i]!.main.order;
  const inOrder = ordered ? pendings : [...pendings].sort((a, b) => a.main.order - b.main.order);
  for (let p = 0; p < inOrder.length; p++) {
    const pending = inOrder[p]!;
    if (pending.kind === 'peer' && !completeEnrollment(pending, cx)) continue;
    const { main, kind, parts } = pending;
    const result = VALIDATE[kind](pending.record);
    const issues: readonly Issue[] = result.issues;
    if (!result.ok && hasSchemaIssue(issues)) {
      const schemaIssues = issues.filter((i) => i.code.startsWith('schema.'));
      const where = [...new Set(schemaIssues.map((i) => `${formatPath(i.path) || '(record)'} (${i.code})`))].slice(0, 5).join(', ');
      const message = `${main.type} → ${kind} record fails PeerKit's schema at ${where}; not read`;
      cx.report('host.record-invalid', main, [], message);
      for (let i = 0; i < parts.length; i++) cx.report('host.record-invalid', parts[i]!.entry, [], message);
      continue;
    }
    if (pending.defaulted.length > 0) summary.add('host.defaulted', main, kind, pending.defaulted);
    if (!result.ok) summary.addIncomplete(main, kind, issues);
    let labels = labelsOf(main, undefined);
    for (let i = 0; i < parts.length; i++) labels = labelsOf(parts[i]!.entry, labels);
    const record = {
      kind,
      record: result.ok ? result.value : pending.record,
      valid: result.ok,
      issues,
      defaulted: pending.defaulted,
    } as Record<string, unknown>;
    // `sources`: built when first read (the pending record is kept until then).
    cx.defineSources(record, pending);
    record.securityLabels = labels === undefined ? [] : [...labels.values()];
    out.push(record as unknown as HostRecord);
  }
  summary.report(cx);
  return out;
}

function finishContext(cx: HostReadContext, ingested: HostIngested): { entry?: HostEntry; item: HostContextItem }[] {
  const items: { order: number; entry?: HostEntry; item: HostContextItem }[] = cx.contexts.map(({ entry, item, mapped }) => ({
    order: entry.order,
    entry,
    item: { ...item, source: cx.source(entry, mapped) } as HostContextItem,
  }));
  for (const entry of cx.containedUsed()) {
    if (cx.isClaimed(entry)) continue;
    const resource = entry.resource;
    const identifiers = identifiersOf(resource.identifier);
    const source = cx.source(entry, ['identifier', 'name', 'address', 'telecom']);
    if (entry.type === 'Practitioner') {
      const name = humanNameOf(resource.name);
      items.push({ order: entry.order, entry, item: { kind: 'practitioner', id: cx.recordId(entry), identifiers, ...(name === undefined ? {} : { name }), source } as HostContextItem });
    } else if (entry.type === 'Organization') {
      const name = textOf(resource.name);
      items.push({ order: entry.order, entry, item: { kind: 'organization', id: cx.recordId(entry), identifiers, ...(name === undefined ? {} : { name }), source } as HostContextItem });
    }
  }
  for (const { json, position } of ingested.manifests) {
    const transactionTime = str(json.transactionTime);
    items.push({
      order: Number.POSITIVE_INFINITY,
      item: {
        kind: 'bulk-manifest',
        ...(transactionTime === undefined ? {} : { transactionTime }),
        output: objs(json.output).map((o: Json) => {
          const type = str(o.type);
          const url = str(o.url);
          const count = num(o.count);
          return { ...(type === undefined ? {} : { type }), ...(url === undefined ? {} : { url }), ...(count === undefined ? {} : { count }) };
        }),
        manifest: json,
        path: position.path,
        ...(position.line === undefined ? {} : { line: position.line }),
      },
    });
  }
  return items.sort((a, b) => a.order - b.order).map(({ entry, item }) => (entry === undefined ? { item } : { entry, item }));
}
