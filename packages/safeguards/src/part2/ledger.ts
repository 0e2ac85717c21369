/**
 * The disclosure ledger: one FHIR AuditEvent per disclosure decision, kept append-only so a program
 * can give a patient the accounting of disclosures (42 CFR §2.25, §2.24) and scope a breach. An
 * entry says who asked, who received, for what purpose, the decision, the consents it rested on,
 * and what went as data classes (security labels, PeerKit data categories) and counts by resource
 * type: never resource ids of the data, never content.
 *
 * The ledger is a port: {@link DisclosureLedger}. This package has the in-memory one; `@peerkit/sync`
 * has the append-only file (NDJSON) and the FHIR-server (POST AuditEvent) ones.
 *
 * See: https://hl7.org/fhir/R4/auditevent.html; reference/fhir-mapping.md §1 (IHE BALP AuthZconsent)
 */
import { SYSTEMS } from '@peerkit/fhir';
import type { AuditEvent, AuditEventAgent, AuditEventEntity, AuditEventEntityDetail, Coding, Reference } from 'fhir/r4';
import { toInstant } from '../consent/audit-event';
import type { ConsentDecisionCode } from '../consent/decision';
import type { DisclosureRequest, RequestActor } from '../consent/request';
import { peerkitDataCategories } from '../disclosure/data-categories';
import type { DisclosureGateResult } from '../disclosure/gate-result';
import { isPart2Labeled } from '../disclosure/security-labels';
import { toCodes, type Code } from '../internal/codes';
import { toRange } from '../internal/dates';
import { anySameToken, tokensOf, tokenToReference } from '../internal/tokens';

/** Where ledger entries go and come back from. Implementations: memory (here), file and FHIR server (`@peerkit/sync`). */
export interface DisclosureLedger {
  /** Appends one entry; resolves once it is durable. Entries are never changed or removed. */
  append(entry: AuditEvent): Promise<void>;
  /** The entries matching a query, oldest first as appended. */
  query(query: DisclosureLedgerQuery): AsyncIterable<AuditEvent>;
}

/**
 * Which entries to read. Patients and recipients are tokens: a reference (`Patient/123`,
 * `Organization/54`) or an identifier `system|value` (`|value` for any system). Omitted fields do
 * not filter: `{}` reads the whole ledger (breach scoping reads by recipient only).
 */
export interface DisclosureLedgerQuery {
  readonly patient?: string;
  readonly recipient?: string;
  /** Recorded on or after (a FHIR date or dateTime; a date counts from its first instant). */
  readonly from?: string;
  /** Recorded on or before (a date counts to its last instant). */
  readonly to?: string;
}

/** How the disclosure left: through an electronic health record (§2.25(b)) or otherwise. */
export type DisclosureChannel = 'ehr' | 'other';

/** What {@link createDisclosureLedgerEntry} records. */
export interface DisclosureLedgerInput {
  /** The request the gate decided: patient, recipients (`actor`), discloser, purposes. */
  readonly request: DisclosureRequest;
  readonly decision: ConsentDecisionCode;
  /** When the decision was made (the clock). */
  readonly recorded: string | Date;
  /** References of the consents the decision rested on. */
  readonly consents?: readonly string[];
  /** Resources sent, by resource type. */
  readonly disclosed?: Readonly<Record<string, number>>;
  /** Resources withheld, by resource type and reason. */
  readonly withheld?: readonly { readonly resourceType: string; readonly reason: string; readonly count: number }[];
  /** Security labels of the data sent (no duplicates needed). */
  readonly labels?: readonly Code[];
  /** PeerKit data categories of the data sent (`progress-notes`, `attendance`…). */
  readonly dataCategories?: readonly string[];
  /** Records under 42 CFR Part 2 were sent. */
  readonly part2?: boolean;
  /** The §2.32 notice went with the data. */
  readonly noticeAttached?: boolean;
  readonly breakGlass?: boolean;
  /** The consent named the recipients by a general designation (an intermediary's list, §2.24). */
  readonly generalDesignation?: boolean;
  /** Through an electronic health record, or not; `undefined` when the caller does not know. */
  readonly channel?: DisclosureChannel;
  /** The user or system that asked for the disclosure, when not the recipient itself. */
  readonly requestedBy?: Reference;
  /** Where in a resumable run's input the decisions of this entry end (a sync records it, and reads it on resume). */
  readonly position?: LedgerPosition;
}

/**
 * Where a ledger entry's decisions end in the input of a resumable run: a resumed run reads it back
 * and does not record again the decisions the entry already holds (each decision once across a
 * crash and a resume).
 */
export interface LedgerPosition {
  /** The run's id (a sync's outbox run). */
  readonly run: string;
  /** How many input entries the run had decided when the entry was written: it holds the patient's decisions before that. */
  readonly through: number;
  /** The recorder's own key of the patient (how the run told patients apart). */
  readonly key: string;
}

/** Options of the ledger AuditEvent. */
export interface LedgerEntryOptions {
  /** `AuditEvent.id`. Default none (a FHIR server assigns one; the file ledger keeps none). */
  id?: string;
  /** `AuditEvent.source.observer`. Default `{ display: 'PeerKit safeguards' }`. */
  observer?: Reference;
  /** `AuditEvent.type`. Default DICOM 110113 Security Alert (IHE BALP AuthZconsent), as for consent decisions. */
  type?: Coding;
}

/** The subtype that marks a ledger entry (PeerKit's own code system). */
export const DISCLOSURE_LEDGER_SUBTYPE: Coding = { system: 'https://peerkit.dev/fhir/CodeSystem/audit-subtype', code: 'disclosure' };

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const role = (code: string) => ({ coding: [{ system: SYSTEMS.participationType, code }] });
const coding = (c: Code): Coding => (c.system === undefined ? { code: c.code } : { system: c.system, code: c.code });

function actorReference(actor: RequestActor): Reference {
  const tokens = tokensOf(actor);
  return tokens[0] === undefined ? { display: 'unidentified' } : tokenToReference(tokens[0]);
}

/**
 * Builds the ledger AuditEvent of one disclosure decision.
 *
 * @param input - the request, the decision and what went, as labels, categories and counts
 * @param options - id, observer, type
 * @returns an R4 AuditEvent with subtype {@link DISCLOSURE_LEDGER_SUBTYPE}
 * @example
 * const entry = createDisclosureLedgerEntry({ request, decision: 'PERMIT', recorded: now, disclosed: { DocumentReference: 2 } });
 * await ledger.append(entry);
 * See: 42 CFR §2.25; 45 CFR §164.528(b)(2); https://hl7.org/fhir/R4/auditevent.html
 */
export function createDisclosureLedgerEntry(input: DisclosureLedgerInput, options: LedgerEntryOptions = {}): AuditEvent {
  const { request } = input;
  const purposes = request.purposeOfUse.map(coding);
  const agents: AuditEventAgent[] = [];
  if (input.requestedBy) agents.push({ who: input.requestedBy, requestor: true });
  for (const actor of request.actor) {
    const agent: AuditEventAgent = { who: actorReference(actor), requestor: input.requestedBy === undefined, role: [role('IRCP')] };
    if (purposes.length > 0) agent.purposeOfUse = [{ coding: purposes }];
    agents.push(agent);
  }
  for (const discloser of request.discloser) agents.push({ who: actorReference(discloser), requestor: false, role: [role('CST')] });
  if (agents.length === 0) agents.push({ who: { display: 'unidentified requester' }, requestor: true });

  const details: AuditEventEntityDetail[] = [{ type: 'decision', valueString: input.decision }];
  const flag = (type: string, value: boolean | undefined) => {
    if (value !== undefined) details.push({ type, valueString: String(value) });
  };
  flag('part2', input.part2);
  flag('notice-attached', input.noticeAttached);
  flag('break-glass', input.breakGlass);
  flag('general-designation', input.generalDesignation);
  if (input.channel !== undefined) details.push({ type: 'channel', valueString: input.channel });
  if (input.position !== undefined) {
    details.push({ type: 'run', valueString: input.position.run }, { type: 'run-through', valueString: String(input.position.through) }, { type: 'run-patient', valueString: input.position.key });
  }
  for (const [type, count] of Object.entries(input.disclosed ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (count > 0) details.push({ type: `disclosed:${type}`, valueString: String(count) });
  }
  for (const w of input.withheld ?? []) details.push({ type: `withheld:${w.resourceType}:${w.reason}`, valueString: String(w.count) });
  const categories = [...new Set(input.dataCategories ?? [])].sort();
  if (categories.length > 0) details.push({ type: 'data-category', valueString: categories.join(' ') });
  const summary: AuditEventEntity = {
    type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
    role: { system: OBJECT_ROLE, code: '24', display: 'Query' },
    detail: details,
  };
  const labels = dedupe(input.labels ?? []);
  if (labels.length > 0) summary.securityLabel = labels.map(coding);

  const patientTokens = tokensOf(request.patient);
  const entities: AuditEventEntity[] = [
    {
      ...(patientTokens[0] === undefined ? {} : { what: tokenToReference(patientTokens[0]) }),
      type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
      role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
    },
    summary,
    ...(input.consents ?? []).map((ref): AuditEventEntity => ({ what: { type: 'Consent', reference: ref }, type: { system: ENTITY_TYPE, code: '2', display: 'System Object' } })),
  ];
  const event: AuditEvent = {
    resourceType: 'AuditEvent',
    type: options.type ?? { system: DCM, code: '110113', display: 'Security Alert' },
    subtype: [DISCLOSURE_LEDGER_SUBTYPE],
    action: 'E',
    recorded: toInstant(input.recorded),
    outcome: '0',
    outcomeDesc: input.decision,
    agent: agents,
    source: { observer: options.observer ?? { display: 'PeerKit safeguards' }, type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }] },
    entity: entities,
  };
  if (purposes.length > 0) event.purposeOfEvent = [{ coding: purposes }];
  return options.id === undefined ? event : { ...event, id: options.id };
}

function dedupe(codes: readonly Code[]): Code[] {
  const seen = new Set<string>();
  return codes.filter((c) => {
    const key = `${c.system ?? ''}|${c.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Options of {@link toDisclosureLedgerEntry}. */
export interface GateLedgerOptions extends LedgerEntryOptions {
  /** When the gate decided. Required (purity). */
  recorded: string | Date;
  /** Through an electronic health record or not. Default: not recorded. */
  channel?: DisclosureChannel;
  /** The consent named the recipients by a general designation. Default: not recorded. */
  generalDesignation?: boolean;
  /** The user or system that asked. Default: the recipients asked. */
  requestedBy?: Reference;
  /** PeerKit data categories of a sent resource. Default {@link peerkitDataCategories}. */
  dataCategoriesOf?: typeof peerkitDataCategories;
}

/**
 * Builds the ledger entry of one {@link gateDisclosure} run: counts and withheld reasons from its
 * preview, the deciding consents from its basis, labels and data categories from the Bundle sent.
 *
 * @param result - what the gate returned
 * @param request - the request the gate decided
 * @param options - clock, channel, who asked
 * @returns the ledger AuditEvent
 * @example
 * const result = gateDisclosure(bundle, consents, request, { now });
 * await ledger.append(toDisclosureLedgerEntry(result, request, { recorded: now, channel: 'ehr' }));
 * See: 42 CFR §2.25
 */
export function toDisclosureLedgerEntry(result: DisclosureGateResult, request: DisclosureRequest, options: GateLedgerOptions): AuditEvent {
  const labels: Code[] = [];
  const categories = new Set<string>();
  let part2 = result.preview.noticeAttached;
  for (const e of result.bundle?.entry ?? []) {
    if (!e.resource) continue;
    if (isPart2Labeled(e.resource)) part2 = true;
    labels.push(...toCodes(e.resource.meta?.security));
    for (const c of (options.dataCategoriesOf ?? peerkitDataCategories)(e.resource)) categories.add(c);
  }
  const basis = result.decision.basis.consent;
  const input: DisclosureLedgerInput = {
    request,
    decision: result.decision.decision,
    recorded: options.recorded,
    consents: basis === undefined || basis === '' ? [] : basis.split(' '),
    disclosed: result.preview.disclosed,
    withheld: result.preview.withheld,
    labels,
    dataCategories: [...categories],
    part2,
    noticeAttached: result.preview.noticeAttached,
    breakGlass: result.preview.breakGlass,
    ...(options.channel === undefined ? {} : { channel: options.channel }),
    ...(options.generalDesignation === undefined ? {} : { generalDesignation: options.generalDesignation }),
    ...(options.requestedBy === undefined ? {} : { requestedBy: options.requestedBy }),
  };
  return createDisclosureLedgerEntry(input, options);
}

/** A ledger entry read back into plain fields. */
export interface DisclosureRecord {
  readonly id?: string;
  readonly recorded: string;
  readonly decision: ConsentDecisionCode;
  /** Tokens of the patient. */
  readonly patient: readonly string[];
  /** Each recipient: its tokens and display. */
  readonly recipients: readonly { readonly tokens: readonly string[]; readonly display?: string }[];
  /** v3-ActReason codes. */
  readonly purposes: readonly string[];
  readonly consents: readonly string[];
  readonly disclosed: Readonly<Record<string, number>>;
  /** Sum of `disclosed`. */
  readonly total: number;
  readonly labels: readonly Code[];
  readonly dataCategories: readonly string[];
  readonly part2: boolean;
  readonly breakGlass: boolean;
  readonly noticeAttached: boolean;
  readonly generalDesignation: boolean;
  readonly channel?: DisclosureChannel;
  /** Where in a resumable run's input its decisions end, when the recorder said. */
  readonly position?: LedgerPosition;
}

const isRecipient = (a: AuditEventAgent) => (a.role ?? []).some((r) => (r.coding ?? []).some((c) => c.code === 'IRCP'));

/**
 * Reads a ledger AuditEvent back into plain fields.
 *
 * @param event - an AuditEvent
 * @returns the record, or `undefined` when the event is not a ledger entry (other subtype, no time)
 * @example
 * const record = readDisclosureRecord(event);
 * if (record?.decision === 'PERMIT') console.log(record.disclosed);
 */
export function readDisclosureRecord(event: AuditEvent): DisclosureRecord | undefined {
  if (!(event.subtype ?? []).some((s) => s.system === DISCLOSURE_LEDGER_SUBTYPE.system && s.code === DISCLOSURE_LEDGER_SUBTYPE.code)) return undefined;
  if (event.recorded === undefined) return undefined;
  const entities = event.entity ?? [];
  const patient = entities.find((e) => e.role?.code === '1');
  const summary = entities.find((e) => e.role?.code === '24');
  const details = new Map((summary?.detail ?? []).map((d) => [d.type, d.valueString ?? '']));
  const disclosed: Record<string, number> = {};
  let total = 0;
  for (const [type, value] of details) {
    if (!type.startsWith('disclosed:')) continue;
    const n = Number(value);
    if (Number.isFinite(n) && n > 0) {
      disclosed[type.slice('disclosed:'.length)] = n;
      total += n;
    }
  }
  const decision = (event.outcomeDesc ?? details.get('decision') ?? 'NO_CONSENT') as ConsentDecisionCode;
  const channel = details.get('channel');
  const record: DisclosureRecord = {
    recorded: event.recorded,
    decision,
    patient: tokensOf(patient?.what),
    recipients: (event.agent ?? []).filter(isRecipient).map((a) => ({
      tokens: tokensOf(a.who),
      ...(a.who?.display === undefined ? {} : { display: a.who.display }),
    })),
    purposes: (event.purposeOfEvent ?? []).flatMap((p) => (p.coding ?? []).flatMap((c) => (c.code === undefined ? [] : [c.code]))),
    consents: entities.flatMap((e) => (e.what?.type === 'Consent' && e.what.reference !== undefined ? [e.what.reference] : [])),
    disclosed,
    total,
    labels: toCodes(summary?.securityLabel),
    dataCategories: (details.get('data-category') ?? '').split(' ').filter((c) => c !== ''),
    part2: details.get('part2') === 'true',
    breakGlass: details.get('break-glass') === 'true',
    noticeAttached: details.get('notice-attached') === 'true',
    generalDesignation: details.get('general-designation') === 'true',
    ...(channel === 'ehr' || channel === 'other' ? { channel } : {}),
    ...positionOf(details),
  };
  return event.id === undefined ? record : { ...record, id: event.id };
}

function positionOf(details: ReadonlyMap<string, string>): { position?: LedgerPosition } {
  const run = details.get('run');
  const through = Number(details.get('run-through'));
  const key = details.get('run-patient');
  return run === undefined || key === undefined || !Number.isSafeInteger(through) || through < 0 ? {} : { position: { run, through, key } };
}

/**
 * `true` when a ledger entry matches a query: same patient, one of its recipients is the queried
 * one, recorded inside `[from, to]`. Ledger implementations filter with it.
 *
 * @param event - an AuditEvent
 * @param query - patient, recipient, period
 * @returns `false` for events that are not ledger entries
 * @example
 * const mine = events.filter((e) => matchesLedgerQuery(e, { patient: 'Patient/1', from: '2026-01-01' }));
 */
export function matchesLedgerQuery(event: AuditEvent, query: DisclosureLedgerQuery): boolean {
  const record = readDisclosureRecord(event);
  if (record === undefined) return false;
  if (query.patient !== undefined && !anySameToken([query.patient], record.patient)) return false;
  if (query.recipient !== undefined && !record.recipients.some((r) => anySameToken([query.recipient as string], r.tokens))) return false;
  return inPeriod(record.recorded, query.from, query.to);
}

/** `true` when an instant lies in `[from, to]`, dates read as whole days (UTC when zoneless). */
export function inPeriod(instant: string, from: string | undefined, to: string | undefined): boolean {
  const at = Date.parse(instant);
  const low = from === undefined ? undefined : toRange(from)?.low;
  const high = to === undefined ? undefined : toRange(to)?.high;
  if ((from !== undefined && low === undefined) || (to !== undefined && high === undefined)) {
    throw new TypeError('ledger query: from and to must be FHIR dates or dateTimes');
  }
  return (low === undefined || at >= low) && (high === undefined || at <= high);
}

/**
 * An in-memory ledger: for tests, browsers and short-lived tools. Not durable.
 *
 * @param entries - entries to start with (not copied deeply)
 * @returns the ledger, with `entries` for inspection
 * @example
 * const ledger = createMemoryDisclosureLedger();
 * await ledger.append(entry);
 * for await (const e of ledger.query({ patient: 'Patient/1' })) console.log(e.recorded);
 */
export function createMemoryDisclosureLedger(entries: readonly AuditEvent[] = []): DisclosureLedger & { readonly entries: readonly AuditEvent[] } {
  const store: AuditEvent[] = [...entries];
  return {
    entries: store,
    append: async (entry) => {
      store.push(structuredClone(entry));
    },
    query: async function* (query) {
      for (const e of [...store]) if (matchesLedgerQuery(e, query)) yield e;
    },
  };
}

/** Collects an async iterable (the ledger's query) into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
