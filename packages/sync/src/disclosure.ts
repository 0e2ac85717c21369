/**
 * The disclosure gate of a sync: the target server is a recipient like any other. Each entry is
 * decided with `@peerkit/safeguards` against its patient's consents before it is queued; what the
 * consents do not permit is withheld and counted, never sent.
 *
 * A clinic's own server is usually internal use (no disclosure, no gate): the gate is for servers
 * of another organization (a health plan, a partner's EHR, an HIE). With a disclosure ledger, the
 * gate keeps one entry per patient it decided (42 CFR §2.25) and appends them on `flush()`.
 *
 * See: 45 CFR §164.506 (TPO), 42 CFR §2.31–2.33 (Part 2 consent and redisclosure);
 * reference/fhir-mapping.md §2.4
 */
import {
  compileGateConsents,
  createDisclosureLedgerEntry,
  decideResourceDisclosure,
  peerkitDataCategories,
  readDisclosureRecord,
  type DisclosureChannel,
  type DisclosureGateOptions,
  type DisclosureLedger,
  type DisclosureLedgerInput,
  type DisclosureRecipient,
  type DisclosureRequest,
  type ResourceDisclosure,
  type WithheldReason,
} from '@peerkit/safeguards';
import type { AuditEvent, BundleEntry, Consent, Resource } from 'fhir/r4';
import { createSyncNoticeEntry } from './disclosure-notice';
import { SYNC_ERROR_CODES, SyncError } from './errors';
import { entryKey } from './outbox';
import { FingerprintTable } from './internal/compact-index';
import { collectReferences } from './internal/references';

/** Why the gate withheld an entry: the safeguards reason, or a dependency on a withheld entry. */
export type SyncWithheldReason = WithheldReason | 'depends-on-withheld';

/** Options of {@link createDisclosureGate}. */
export interface SyncDisclosureOptions extends Omit<DisclosureGateOptions, 'now' | 'ledger'> {
  /** The patients' FHIR R4 Consents (e.g. every Consent of the clinic export; see `readSyncConsents`). */
  consents: readonly Consent[];
  /** The server as a recipient: who it is (`actor`) and why it receives the data (`purposeOfUse`). */
  recipient: DisclosureRecipient;
  /** The evaluation clock: when the disclosure happens (also the ledger entries' `recorded`). */
  now: string | Date;
  /**
   * The disclosure ledger (42 CFR §2.25): the gate tallies its decisions per patient and `flush()`
   * appends one AuditEvent per patient (decision, deciding consents, resource counts by type,
   * withheld counts by reason, labels, data categories; never content). Default none.
   */
  ledger?: DisclosureLedger;
  /** How the disclosure leaves, recorded on each ledger entry. Default `ehr` (FHIR exchange between systems). */
  channel?: DisclosureChannel;
  /**
   * The resumable run the gate decides for: its ledger entries carry the run's id and how far into
   * the input they go, and a resumed run does not record again what an earlier attempt recorded
   * (each decision once across a stop or crash and a resume). Default none: every decision is
   * recorded each time it is made.
   */
  run?: SyncGateRun;
  /**
   * Send the §2.32 notice with Part 2 data: after the first Part 2 record of each patient the gate
   * lets go, a tagged DocumentReference with the statement (wording: `notice.statement`), its
   * citation and the deciding consents' scope (see {@link SyncDisclosureGate.withNotices}).
   * Default `true`.
   */
  attachNotice?: boolean;
}

/** A resumable run, as the disclosure gate sees it (see {@link SyncDisclosureOptions.run}). */
export interface SyncGateRun {
  /** The run's id, once known (a sync's outbox run, which exists once the first entry is queued). */
  id(): string | undefined;
  /** Per patient (the gate's key), how many input entries earlier attempts had recorded ({@link readRecordedPositions}). */
  recorded?: ReadonlyMap<string, number> | undefined;
}

/** The gate {@link createDisclosureGate} makes: the reason to withhold an entry, or `undefined` to send it. */
export interface SyncDisclosureGate {
  (entry: BundleEntry): SyncWithheldReason | undefined;
  /**
   * Appends to the ledger one entry per patient decided since the last flush, and forgets them;
   * resolves once they are durable, to how many were appended (0 without a ledger).
   */
  flush(): Promise<number>;
  /**
   * The input with the gate's §2.32 notices in it: each notice right after the entry that needed
   * it (the first Part 2 record of a patient that goes). Pass it as the sync's `entries`; the gate
   * lets its own notices go.
   */
  withNotices(entries: Iterable<BundleEntry> | AsyncIterable<BundleEntry>): AsyncGenerator<BundleEntry>;
}

/** A reference to a Patient: `Patient/<id>`, absolute or relative, with or without a version. */
const PATIENT_REFERENCE = /(?:^|\/)Patient\/[^/?#]+(?:\/_history\/[^/?#]+)?$/;

/** A patient a resource names: by reference, by identifier (a logical reference), or both. */
interface NamedPatient {
  reference?: string;
  identifier: { system?: string; value: string }[];
}

const identifierKey = (identifier: { system?: string | undefined; value?: string | undefined }): string =>
  `${identifier.system ?? ''}|${identifier.value ?? ''}`;

/** Elements whose Reference is the patient the resource is about (where an untyped logical reference is one). */
const PATIENT_ELEMENTS: ReadonlySet<string> = new Set(['subject', 'patient', 'beneficiary', 'for']);

type LooseIdentifier = { system?: unknown; value?: unknown };

function identifiersOf(value: unknown): { system?: string; value: string }[] {
  const list = (Array.isArray(value) ? value : value === undefined ? [] : [value]) as LooseIdentifier[];
  return list.flatMap((i) =>
    i !== null && typeof i === 'object' && typeof i.value === 'string' ? [typeof i.system === 'string' ? { system: i.system, value: i.value } : { value: i.value }] : [],
  );
}

/** The identifiers of a conditional reference `Patient?identifier=system|value,…` (none: it identifies no one here). */
function conditionalIdentifiers(reference: string): { system?: string; value: string }[] {
  const params = new URLSearchParams(reference.slice(reference.indexOf('?') + 1));
  return params.getAll('identifier').flatMap((token) =>
    token.split(',').flatMap((one) => {
      const bar = one.indexOf('|');
      if (bar < 0) return one === '' ? [] : [{ value: one }];
      const value = one.slice(bar + 1);
      return value === '' ? [] : [bar === 0 ? { value } : { system: one.slice(0, bar), value }];
    }),
  );
}

/**
 * Every patient a resource names, wherever in it: a Patient resource names itself; a Reference
 * names a patient when it is `Patient/<id>`, a conditional `Patient?…`, the `urn:uuid` of a Patient
 * entry of this sync (`patientEntries`), typed `Patient`, or an untyped logical reference (only an
 * `identifier`) in `subject`, `patient`, `beneficiary` or `for`. A patient named with nothing that
 * identifies them is still named: deciding them finds no consent and withholds.
 */
function patientsOf(resource: Resource, patientEntries: ReadonlyMap<string, NamedPatient>): NamedPatient[] {
  const out: NamedPatient[] = [];
  if (resource.resourceType === 'Patient') out.push({ identifier: identifiersOf((resource as { identifier?: unknown }).identifier) });
  const walk = (value: unknown, element: string | undefined): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, element);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const object = value as { reference?: unknown; type?: unknown; identifier?: unknown; resourceType?: unknown };
    const reference = typeof object.reference === 'string' ? object.reference : undefined;
    const logical = identifiersOf(object.identifier);
    if (object.resourceType === 'Patient') {
      // A contained Patient.
      out.push({ identifier: logical });
      return;
    }
    if (reference !== undefined && PATIENT_REFERENCE.test(reference)) {
      out.push({ reference, identifier: logical });
      return;
    }
    if (reference !== undefined && reference.startsWith('Patient?')) {
      out.push({ identifier: [...conditionalIdentifiers(reference), ...logical] });
      return;
    }
    const entry = reference === undefined ? undefined : patientEntries.get(reference);
    if (entry !== undefined) {
      out.push(entry);
      return;
    }
    const untypedLogical = reference === undefined && object.type === undefined && object.identifier !== undefined && element !== undefined && PATIENT_ELEMENTS.has(element);
    if (object.type === 'Patient' || untypedLogical) {
      out.push({ identifier: logical });
      return;
    }
    for (const [key, item] of Object.entries(value)) walk(item, key);
  };
  for (const [key, item] of Object.entries(resource)) if (key !== 'identifier' || resource.resourceType !== 'Patient') walk(item, key);
  return out;
}

/** The gate's key of a patient: its reference and identifiers. */
const patientKey = (patient: NamedPatient): string => [patient.reference ?? '', ...patient.identifier.map(identifierKey)].join(' ');

/**
 * What earlier attempts of a run recorded in the ledger: per patient (the gate's key), how many
 * input entries their decisions cover. Pass it as `run.recorded` when the run resumes.
 *
 * @param ledger - the run's disclosure ledger
 * @param run - the run's id
 * @returns the positions by patient key (empty when the run recorded nothing)
 * @example
 * const recorded = await readRecordedPositions(ledger, outbox.runId);
 * const gate = createDisclosureGate({ consents, recipient, now, ledger, run: { id: () => outbox.runId, recorded } });
 * See: 42 CFR §2.25 (each disclosure accounted once)
 */
export async function readRecordedPositions(ledger: DisclosureLedger, run: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const event of ledger.query({})) {
    const position = readDisclosureRecord(event)?.position;
    if (position?.run === run && position.through > (out.get(position.key) ?? 0)) out.set(position.key, position.through);
  }
  return out;
}

/** What the gate decided for one patient, until the ledger gets it: counts and codes, never content. */
interface PatientTally {
  /** The gate's key of the patient. */
  readonly key: string;
  readonly request: DisclosureRequest;
  readonly disclosed: Record<string, number>;
  readonly withheld: Map<string, { resourceType: string; reason: string; count: number }>;
  readonly consents: Set<string>;
  readonly labels: Map<string, { system?: string; code: string }>;
  readonly categories: Set<string>;
  part2: boolean;
  breakGlass: boolean;
  denied: boolean;
}

/** One patient an entry names, and the decision for them (none when the entry was withheld before it). */
interface PatientDecision {
  readonly patient: NamedPatient;
  readonly request: DisclosureRequest;
  readonly one?: ResourceDisclosure;
}

/** Ledger appends in flight at once: the file ledger commits them together; a FHIR server is not flooded. */
const LEDGER_APPENDS_AT_ONCE = 64;

function tallyEntry(tally: PatientTally): Omit<DisclosureLedgerInput, 'recorded' | 'channel'> {
  const sent = Object.keys(tally.disclosed).length > 0;
  return {
    request: tally.request,
    decision: sent ? 'PERMIT' : tally.denied ? 'DENY' : 'NO_CONSENT',
    consents: [...tally.consents],
    disclosed: tally.disclosed,
    withheld: [...tally.withheld.values()],
    labels: [...tally.labels.values()],
    dataCategories: [...tally.categories],
    part2: tally.part2,
    breakGlass: tally.breakGlass,
  };
}

/**
 * Creates the disclosure gate to pass as `withhold` to {@link sync}. For each entry, in order:
 *
 * - a resource that names no patient (Organization, Practitioner, HealthcareService…) is not a
 *   patient's record and goes;
 * - a resource that names one or more patients anywhere in it — a Patient resource itself, a
 *   `Patient/<id>` or `Patient?identifier=…` reference, a reference to a Patient entry of this sync,
 *   a logical reference typed `Patient`, or an untyped logical reference in `subject`, `patient`,
 *   `beneficiary` or `for` — goes only when, for every one of them, the
 *   safeguards decision is a clean PERMIT for this recipient and purpose (Part 2 data needs a
 *   consent naming the recipient, or a TPO consent covering the purpose; a SUD counseling note a
 *   consent naming them alone; no agreed restriction may cover it);
 * - an entry that refers to a withheld entry is withheld too (`depends-on-withheld`): nothing is
 *   sent with a reference the server cannot resolve.
 *
 * The consents are compiled once for the whole gate (`compileGateConsents`). Entries must be given
 * in order, an entry before those that refer to it (as the mappers write them). With a `ledger`,
 * every decision is tallied under each patient the entry names; call `flush()` when the input is
 * gated (runSync does) to append one ledger entry per patient.
 *
 * @param options - consents, recipient, clock, decision options, ledger
 * @returns the gate: a function giving the reason to withhold an entry, or `undefined` to send it, and `flush`
 * @throws SyncError `sync.invalid-option` when the recipient names no actor
 * @example
 * const withhold = createDisclosureGate({ consents, recipient, now: new Date(), ledger });
 * const summary = await sync({ transport, outbox, entries, withhold });
 * await withhold.flush(); // one AuditEvent per patient in the ledger
 * summary.withheldBy; // { 'part2-not-covered': 12, 'depends-on-withheld': 3 }
 * See: 42 CFR §2.25 (the ledger), §2.31 (consent)
 */
export function createDisclosureGate(options: SyncDisclosureOptions): SyncDisclosureGate {
  if (options.recipient.actor.length === 0) {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'the disclosure gate needs the recipient (actor) the server stands for');
  }
  const { consents, recipient, now, ledger, channel = 'ehr', run, attachNotice = true, ...decideOptions } = options;
  const gateOptions: DisclosureGateOptions = { ...decideOptions, now };
  // Compiled once: the engine indexes the consents by patient and decides each resource with its
  // patient's consents (a consent whose patient cannot be compared counts only when it denies).
  const compiled = compileGateConsents(consents, gateOptions);
  // Keys and fullUrls of withheld entries, as compact fingerprints: a gate that withholds most of a
  // large export stays small.
  const withheld = new FingerprintTable();
  /** Patient entries of this sync that went, by fullUrl and key: references to them name that patient. */
  const patientEntries = new Map<string, NamedPatient>();
  const tallies = new Map<string, PatientTally>();

  /** Entries decided so far: the position in the input of the next one. */
  let position = 0;
  const tallyOf = (key: string, request: DisclosureRequest): PatientTally => {
    let tally = tallies.get(key);
    if (tally === undefined) {
      tally = { key, request, disclosed: {}, withheld: new Map(), consents: new Set(), labels: new Map(), categories: new Set(), part2: false, breakGlass: false, denied: false };
      tallies.set(key, tally);
    }
    return tally;
  };
  const record = (resource: Resource, decided: readonly PatientDecision[], reason: SyncWithheldReason | undefined, at: number): void => {
    for (const { patient, request, one } of decided) {
      const key = patientKey(patient);
      // An earlier attempt of this run recorded this patient's decisions up to there: not again.
      if (at < (run?.recorded?.get(key) ?? 0)) continue;
      const tally = tallyOf(key, request);
      if (one?.decision === 'DENY') tally.denied = true;
      if (reason !== undefined) {
        const k = `${resource.resourceType}|${reason}`;
        const w = tally.withheld.get(k) ?? { resourceType: resource.resourceType, reason, count: 0 };
        tally.withheld.set(k, { ...w, count: w.count + 1 });
        continue;
      }
      tally.disclosed[resource.resourceType] = (tally.disclosed[resource.resourceType] ?? 0) + 1;
      const sent = one?.resource ?? resource;
      for (const c of sent.meta?.security ?? []) {
        if (c.code !== undefined) tally.labels.set(`${c.system ?? ''}|${c.code}`, c.system === undefined ? { code: c.code } : { system: c.system, code: c.code });
      }
      for (const category of (gateOptions.dataCategoriesOf ?? peerkitDataCategories)(sent)) tally.categories.add(category);
      for (const ref of one?.deciding ?? []) tally.consents.add(ref);
      if (one?.needsNotice === true) tally.part2 = true;
      if (one?.breakGlass === true) tally.breakGlass = true;
    }
  };

  // The §2.32 notices: one per patient whose Part 2 records go, queued for withNotices.
  const consentsByRef = new Map(consents.flatMap((c) => (c.id === undefined ? [] : [[`Consent/${c.id}`, c] as const])));
  const noticed = new Set<string>();
  const notices: BundleEntry[] = [];
  const ownNotices = new WeakSet<BundleEntry>();
  const queueNotices = (decided: readonly PatientDecision[]): void => {
    for (const { patient, one } of decided) {
      const key = patientKey(patient);
      if (one?.needsNotice !== true || noticed.has(key)) continue;
      noticed.add(key);
      const first = patient.identifier[0];
      const subject = patient.reference !== undefined ? { reference: patient.reference } : first === undefined ? { type: 'Patient' } : { type: 'Patient', identifier: first };
      const notice = createSyncNoticeEntry(
        { key, subject, recipient, deciding: one.deciding, breakGlass: one.breakGlass },
        { now, consents: consentsByRef, ...(decideOptions.notice?.statement === undefined ? {} : { statement: decideOptions.notice.statement }), ...(decideOptions.notice?.author === undefined ? {} : { author: decideOptions.notice.author }) },
      );
      ownNotices.add(notice);
      notices.push(notice);
    }
  };

  const gate = (entry: BundleEntry): SyncWithheldReason | undefined => {
    // The gate's own notice: it goes, and it is not an input entry.
    if (ownNotices.has(entry)) return undefined;
    const resource = entry.resource as Resource | undefined;
    if (resource === undefined) {
      position += 1;
      return undefined;
    }
    const references = collectReferences(resource);
    const depends = references.some((reference) => withheld.get(reference) !== undefined);
    let reason: SyncWithheldReason | undefined = depends ? 'depends-on-withheld' : undefined;
    const patients = patientsOf(resource, patientEntries);
    const decided: PatientDecision[] = [];
    for (const patient of patients) {
      const request: DisclosureRequest = { ...recipient, patient };
      if (reason !== undefined) {
        decided.push({ patient, request });
        continue;
      }
      const one = decideResourceDisclosure(resource, compiled, request, gateOptions);
      decided.push({ patient, request, one });
      reason = one.withheld;
    }
    if (ledger !== undefined) record(resource, decided, reason, position);
    position += 1;
    if (attachNotice && reason === undefined) queueNotices(decided);
    const key = entryKey(entry);
    if (reason !== undefined) {
      if (entry.fullUrl !== undefined) withheld.set(entry.fullUrl, 1);
      if (key !== undefined) withheld.set(key, 1);
    } else if (resource.resourceType === 'Patient' && patients[0] !== undefined) {
      if (entry.fullUrl !== undefined) patientEntries.set(entry.fullUrl, patients[0]);
      if (key !== undefined) patientEntries.set(key, patients[0]);
    }
    return reason;
  };

  const flush = async (): Promise<number> => {
    if (ledger === undefined || tallies.size === 0) return 0;
    const id = run?.id();
    const entries: AuditEvent[] = [...tallies.values()].map((tally) =>
      createDisclosureLedgerEntry({
        ...tallyEntry(tally),
        noticeAttached: attachNotice && tally.part2,
        recorded: now,
        channel,
        ...(id === undefined ? {} : { position: { run: id, through: position, key: tally.key } }),
      }),
    );
    tallies.clear();
    for (let i = 0; i < entries.length; i += LEDGER_APPENDS_AT_ONCE) {
      await Promise.all(entries.slice(i, i + LEDGER_APPENDS_AT_ONCE).map((e) => ledger.append(e)));
    }
    return entries.length;
  };
  const withNotices = async function* (entries: Iterable<BundleEntry> | AsyncIterable<BundleEntry>): AsyncGenerator<BundleEntry> {
    for await (const entry of entries) {
      yield entry;
      // The consumer has gated `entry` by now: its notices follow it.
      while (notices.length > 0) yield notices.shift() as BundleEntry;
    }
  };
  return Object.assign(gate, { flush, withNotices });
}
