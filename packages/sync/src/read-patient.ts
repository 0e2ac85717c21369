/**
 * Reading one patient's record from the host's FHIR server: the Patient (by id or identifier), its
 * compartment over standard search (`_include`, `_count`, `next` links) and the practitioners, roles
 * and organizations it names, streamed page by page into `@peerkit/fhir`'s `readHostFhir`, through
 * the same transport (auth, TLS rules) and retry policy as a sync.
 */
import { HOST_FINDING_CODES, readHostFhir, type HostEntryItem, type HostFindingCode, type HostReadResult, type ImportProfile } from '@peerkit/fhir';
import type { Finding, IssuePath } from '@peerkit/model';
import type { Bundle } from 'fhir/r4';
import { SYNC_ERROR_CODES, SyncError } from './errors';
import { sleep } from './internal/sleep';
import { backoffDelay, createRetryPolicy, serverDelay, type RetryOptions, type RetryPolicy } from './retry';
import type { FhirReply, FhirTransport, RequestOptions } from './transport';

/** A resource type of a patient's record that {@link readPatientFromServer} searches for. */
export type PatientRecordType = 'Encounter' | 'CarePlan' | 'Goal' | 'Consent' | 'ServiceRequest' | 'Task' | 'DocumentReference' | 'Group';

/** One search of a patient's record: `<type>?<by>=Patient/<id>&<include…>&_count=<pageSize>`. */
export interface PatientRecordSearch {
  readonly type: PatientRecordType;
  /** The search parameter that names the patient. */
  readonly by: 'patient' | 'member';
  /** `_include` / `_revinclude` parameters, as `name=value`. */
  readonly include: readonly string[];
}

const ENCOUNTER_INCLUDES = [
  '_include=Encounter:participant',
  '_include=Encounter:service-provider',
  '_include:iterate=PractitionerRole:practitioner',
  '_include:iterate=PractitionerRole:organization',
] as const;

/**
 * The searches of a patient's record, in the order they run. The Encounters of the Groups found
 * (group sessions: their `subject` is the Group, not the patient) follow as
 * `Encounter?subject=Group/<id>,…` with the Encounter includes. A server that ignores an `_include`
 * loses nothing: the references it would have included are fetched afterwards by `_id`.
 *
 * See: https://hl7.org/fhir/R4/compartmentdefinition-patient.html, https://hl7.org/fhir/R4/search.html#include
 */
export const PATIENT_RECORD_SEARCHES: readonly PatientRecordSearch[] = [
  { type: 'Encounter', by: 'patient', include: ENCOUNTER_INCLUDES },
  { type: 'CarePlan', by: 'patient', include: ['_include=CarePlan:goal'] },
  { type: 'Goal', by: 'patient', include: [] },
  { type: 'Consent', by: 'patient', include: ['_include=Consent:actor', '_include=Consent:consentor', '_include=Consent:organization'] },
  { type: 'ServiceRequest', by: 'patient', include: ['_include=ServiceRequest:performer', '_include=ServiceRequest:requester', '_revinclude=Task:focus'] },
  { type: 'Task', by: 'patient', include: ['_include=Task:owner'] },
  { type: 'DocumentReference', by: 'patient', include: ['_include=DocumentReference:author'] },
  { type: 'Group', by: 'member', include: [] },
];

/** The types whose references the record's resources name are fetched (by `_id`) when no search included them. */
const FOLLOWED_TYPES: ReadonlySet<string> = new Set(['Practitioner', 'PractitionerRole', 'Organization', 'HealthcareService']);

/** Rounds of following references: role → practitioner and organization → the practitioner's other roles → their organizations. */
const FOLLOW_ROUNDS = 4;

/** Ids per `_id` (or `practitioner`, `subject`) search: keeps the URL short. */
const IDS_PER_SEARCH = 50;

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const RELATIVE = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]*)?$/;

/** Options of {@link readPatientFromServer}. */
export interface ReadPatientOptions {
  /** The host's FHIR server (auth, time limit and TLS rules are the transport's). */
  transport: FhirTransport;
  /**
   * The patient: its id on the server (`'123'`), an identifier as a search token (`'system|value'`),
   * or `{ system, value }` (e.g. the MRN).
   */
  patient: string | { readonly system: string; readonly value: string };
  /** The host's import profile. Default `US_CORE_IMPORT_PROFILE` (see `readHostFhir`). */
  profile?: ImportProfile;
  /** The import date (`YYYY-MM-DD`), as `readHostFhir` takes it. Default none. */
  asOf?: string;
  /** Canonical base of PeerKit's own profiles, as `readHostFhir` takes it. Default `https://peerkit.dev/fhir`. */
  canonicalBase?: string;
  /** The types of the patient's record to search for. Default all of {@link PATIENT_RECORD_SEARCHES}. */
  types?: readonly PatientRecordType[];
  /** Page size (`_count`), 1 to 1000. Default 100. */
  pageSize?: number;
  /** Retries of a failed request; see {@link RetryOptions}. Default {@link DEFAULT_RETRY}. */
  retry?: RetryOptions;
  /** Stops the reading (the promise rejects with the signal's reason). Default none. */
  signal?: AbortSignal;
}

/** What {@link readPatientFromServer} read: `readHostFhir`'s result, and what was asked of the server. */
export interface ReadPatientResult extends HostReadResult {
  /** `Patient/<id>` of the patient on the server; undefined when none was found. */
  readonly patient: string | undefined;
  /** Requests sent (retries included). */
  readonly requests: number;
  /** Resources received (each once, however many searches returned it). */
  readonly resources: number;
}

function finding(code: HostFindingCode, path: IssuePath, message: string): Finding {
  return { severity: HOST_FINDING_CODES[code].severity, code, path, message };
}

/** The patient option as a request: a read by id or a search by identifier. */
function patientRequest(patient: ReadPatientOptions['patient']): { url: string; label: string } {
  const identifier = typeof patient === 'string' ? (patient.includes('|') ? splitToken(patient) : undefined) : patient;
  if (identifier === undefined) {
    if (typeof patient !== 'string' || !ID.test(patient)) {
      throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'patient must be a FHIR id, a system|value identifier, or { system, value }');
    }
    return { url: `Patient/${patient}`, label: 'Patient' };
  }
  if (typeof identifier.system !== 'string' || typeof identifier.value !== 'string' || identifier.value === '') {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'patient identifier must have a system and a non-empty value');
  }
  const token = `${encodeURIComponent(identifier.system)}|${encodeURIComponent(identifier.value)}`;
  return { url: `Patient?identifier=${token}`, label: 'Patient?identifier' };
}

function splitToken(token: string): { system: string; value: string } {
  const bar = token.indexOf('|');
  return { system: token.slice(0, bar), value: token.slice(bar + 1) };
}

/** Every `Type/id` a resource (its contained resources included) refers to on the server, for the followed types. */
function followedReferences(value: unknown, baseUrl: string, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) followedReferences(item, baseUrl, out);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'reference' && typeof inner === 'string') {
      const local = inner.startsWith(`${baseUrl}/`) ? inner.slice(baseUrl.length + 1) : inner;
      const match = RELATIVE.exec(local);
      if (match?.[1] !== undefined && FOLLOWED_TYPES.has(match[1])) out.add(`${match[1]}/${match[2]}`);
    } else if (typeof inner === 'object') {
      followedReferences(inner, baseUrl, out);
    }
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `true` for a failure worth another try: no answer, a time-out, 408, 429 or a 5xx. */
const isRetryable = (reply: FhirReply<unknown>): boolean =>
  reply.kind !== 'response' || reply.status === 408 || reply.status === 429 || reply.status >= 500;

/** One reading: the server requests, with retries, and what they found. */
class PatientReader {
  readonly findings: Finding[] = [];
  /** `Type/id` of every resource received. */
  readonly seen = new Set<string>();
  /** `Type/id` of every resource asked for by `_id` (found or not). */
  private readonly asked = new Set<string>();
  /** Practitioners whose roles were searched. */
  private readonly rolesAsked = new Set<string>();
  /** References of the resources received, for the followed types. */
  private readonly named = new Set<string>();
  readonly groups: string[] = [];
  requests = 0;
  patient: string | undefined;

  constructor(
    private readonly transport: FhirTransport,
    private readonly policy: RetryPolicy,
    private readonly pageSize: number,
    private readonly request: RequestOptions,
  ) {}

  /** GETs a URL, retrying what is worth retrying; throws `sync.server-unavailable` when the server keeps failing. */
  private async get(url: string): Promise<Extract<FhirReply<Bundle>, { kind: 'response' }>> {
    for (let attempt = 1; ; attempt++) {
      const reply = await this.transport.get<Bundle>(url, this.request);
      this.requests++;
      if (!isRetryable(reply)) return reply as Extract<FhirReply<Bundle>, { kind: 'response' }>;
      const what = reply.kind === 'response' ? `HTTP ${reply.status}` : reply.kind === 'network' ? reply.code : 'timeout';
      const asked = reply.kind === 'response' ? serverDelay(reply.headers, Date.now()) : undefined;
      if (attempt >= this.policy.maxAttempts || (asked !== undefined && asked > this.policy.maxServerDelayMs)) {
        throw new SyncError(SYNC_ERROR_CODES.serverUnavailable, `reading a patient: the server did not answer a request (${what})`);
      }
      await sleep(asked ?? backoffDelay(attempt, this.policy), this.request.signal);
    }
  }

  /** A received resource as an input item, once per `Type/id`; `undefined` for one seen before (or none). */
  private item(resource: unknown, path: IssuePath, fullUrl: string | undefined): HostEntryItem | undefined {
    if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) {
      this.findings.push(finding('host.entry-without-resource', path, 'Bundle.entry of a search has no resource'));
      return undefined;
    }
    const { resourceType, id } = resource as { resourceType?: unknown; id?: unknown };
    if (typeof resourceType === 'string' && typeof id === 'string') {
      const key = `${resourceType}/${id}`;
      if (this.seen.has(key)) return undefined;
      this.seen.add(key);
      // Ids go into later search URLs: only well-formed ones (a server's id is not trusted to be).
      if (resourceType === 'Group' && ID.test(id)) this.groups.push(key);
    }
    followedReferences(resource, this.transport.baseUrl, this.named);
    return { resource: resource as Record<string, unknown>, path, ...(fullUrl === undefined ? {} : { fullUrl }) };
  }

  /** Resolves the patient; yields the Patient, or records why there is none. */
  async *readPatient(patient: ReadPatientOptions['patient']): AsyncGenerator<HostEntryItem> {
    const { url, label } = patientRequest(patient);
    const reply = await this.get(url);
    const body = reply.body as { resourceType?: string; id?: string } | undefined;
    if (label === 'Patient') {
      if (reply.status === 200 && body?.resourceType === 'Patient' && typeof body.id === 'string') {
        this.patient = `Patient/${body.id}`;
        const item = this.item(body, [label], `${this.transport.baseUrl}/${this.patient}`);
        if (item !== undefined) yield item;
      } else if (reply.status === 404 || reply.status === 410) {
        this.findings.push(finding('host.patient-not-found', [label], `Patient: the server has no Patient with the id asked for (HTTP ${reply.status})`));
      } else {
        this.findings.push(finding('host.search-failed', [label], `Patient: the server refused to read the Patient (HTTP ${reply.status})`));
      }
      return;
    }
    if (reply.status !== 200 || body?.resourceType !== 'Bundle') {
      this.findings.push(finding('host.search-failed', [label], `Patient?identifier: the server refused the search (HTTP ${reply.status})`));
      return;
    }
    const all = (body as Bundle).entry ?? [];
    const entries = all.filter((e) => e.resource?.resourceType === 'Patient' && e.search?.mode !== 'include');
    const ids = new Set(entries.map((e) => e.resource?.id));
    const entry = entries[0];
    if (ids.size !== 1 || entry?.resource?.id === undefined) {
      this.findings.push(
        ids.size === 0
          ? finding('host.patient-not-found', [label], 'Patient?identifier: no Patient has the identifier asked for')
          : finding('host.patient-ambiguous', [label], `Patient?identifier: ${ids.size} Patients have the identifier asked for; ask by id`),
      );
      return;
    }
    this.patient = `Patient/${entry.resource.id}`;
    const item = this.item(entry.resource, [label, 0, 'entry', all.indexOf(entry)], entry.fullUrl);
    if (item !== undefined) yield item;
  }

  /**
   * Runs one search and yields its new resources page by page, following `next` links. A search the
   * server refuses with 400 is tried again without its includes (a server may not know one); a refusal
   * is a `host.search-failed` finding, and the reading goes on.
   */
  async *search(label: string, type: string, query: string, include: readonly string[]): AsyncGenerator<HostEntryItem> {
    const withCount = (params: readonly string[]): string => [query, ...params, `_count=${this.pageSize}`].join('&');
    let url: string | undefined = `${type}?${withCount(include)}`;
    const visited = new Set<string>();
    for (let page = 0; url !== undefined && !visited.has(url); page++) {
      visited.add(url);
      let reply = await this.get(url);
      if (page === 0 && reply.status === 400 && include.length > 0) reply = await this.get(`${type}?${withCount([])}`);
      const bundle = reply.body as Bundle | undefined;
      if (reply.status !== 200 || bundle?.resourceType !== 'Bundle') {
        this.findings.push(finding('host.search-failed', [label, page], `${label}: the server refused the search (HTTP ${reply.status}); its resources are missing`));
        return;
      }
      const entries = bundle.entry ?? [];
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i];
        const item = this.item(entry?.resource, [label, page, 'entry', i], entry?.fullUrl);
        if (item !== undefined) yield item;
      }
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      if (next !== undefined && entries.length > 0 && !this.onServer(next)) {
        this.findings.push(finding('host.search-failed', [label, page + 1], `${label}: the next page is on another server; not followed`));
        return;
      }
      url = entries.length > 0 ? next : undefined;
    }
  }

  private onServer(url: string): boolean {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return true;
    try {
      return new URL(url).origin === new URL(this.transport.baseUrl).origin;
    } catch {
      return false;
    }
  }

  /**
   * Fetches what the record's resources name and no search returned: practitioners, roles,
   * organizations and services by `_id`, and each practitioner's roles (a role carries the peer role
   * code that makes a practitioner a peer specialist).
   */
  async *follow(): AsyncGenerator<HostEntryItem> {
    for (let round = 0; round < FOLLOW_ROUNDS; round++) {
      const missing = new Map<string, string[]>();
      for (const key of this.named) {
        if (this.seen.has(key) || this.asked.has(key)) continue;
        this.asked.add(key);
        const [type = '', id = ''] = key.split('/');
        missing.set(type, [...(missing.get(type) ?? []), id]);
      }
      const practitioners = [...this.seen].filter((key) => key.startsWith('Practitioner/') && RELATIVE.test(key) && !this.rolesAsked.has(key));
      for (const key of practitioners) this.rolesAsked.add(key);
      if (missing.size === 0 && practitioners.length === 0) return;
      for (const [type, ids] of missing) {
        for (const part of chunks(ids, IDS_PER_SEARCH)) yield* this.search(`${type}?_id`, type, `_id=${part.join(',')}`, []);
      }
      for (const part of chunks(practitioners, IDS_PER_SEARCH)) {
        yield* this.search('PractitionerRole?practitioner', 'PractitionerRole', `practitioner=${part.join(',')}`, ['_include=PractitionerRole:organization']);
      }
    }
  }
}

/**
 * Reads one patient's record from the host's FHIR server into PeerKit records: resolves the Patient
 * (`Patient/<id>`, or `Patient?identifier=system|value`), searches its record
 * ({@link PATIENT_RECORD_SEARCHES}: `Encounter?patient=Patient/<id>&_include=…`, CarePlan, Goal,
 * Consent, ServiceRequest, Task, DocumentReference, `Group?member=`, then the Groups' session
 * Encounters) with `_count` and `next` links, fetches the practitioners, roles and organizations the
 * resources name that no `_include` returned, and streams every resource, once, into `readHostFhir`.
 *
 * What the server answers is data: an unknown patient is a `host.patient-not-found` finding (and
 * `host.nothing-read`), a refused search a `host.search-failed` finding with the rest still read.
 * Findings name searches and pages (`['Encounter?patient', 1, 'entry', 3]`), never ids or identifier
 * values. Failed requests are retried like a sync's (Retry-After, RateLimit, backoff).
 *
 * @param options - server, patient, import profile and paging; see {@link ReadPatientOptions}
 * @returns `readHostFhir`'s records, context and findings, with the patient's reference and the request count
 * @throws SyncError `sync.invalid-option` for a bad `patient`, `types` or `pageSize`;
 *   `sync.server-unavailable` when the server keeps failing a request (network, time-out, 429, 5xx);
 *   the signal's reason when aborted
 * @example
 * const transport = createFhirTransport({ baseUrl: 'https://ehr.example.org/fhir/r4', auth: smartBackendServices({ … }) });
 * const { records, findings } = await readPatientFromServer({ transport, patient: 'https://ehr.example.org/sid/mrn|MRN-0001', asOf: '2025-04-01' });
 *
 * See: docs/reading-host-fhir.md; https://hl7.org/fhir/R4/search.html, https://hl7.org/fhir/R4/http.html#paging
 */
export async function readPatientFromServer(options: ReadPatientOptions): Promise<ReadPatientResult> {
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'pageSize must be an integer from 1 to 1000');
  }
  const types = new Set<string>(options.types ?? PATIENT_RECORD_SEARCHES.map((s) => s.type));
  for (const type of types) {
    if (!PATIENT_RECORD_SEARCHES.some((s) => s.type === type)) throw new SyncError(SYNC_ERROR_CODES.invalidOption, `types: ${type} is not a type of a patient's record PeerKit reads`);
  }
  patientRequest(options.patient);
  const reader = new PatientReader(options.transport, createRetryPolicy(options.retry), pageSize, options.signal === undefined ? {} : { signal: options.signal });

  async function* items(): AsyncGenerator<HostEntryItem> {
    yield* reader.readPatient(options.patient);
    const patient = reader.patient;
    if (patient === undefined) return;
    for (const { type, by, include } of PATIENT_RECORD_SEARCHES) {
      if (types.has(type)) yield* reader.search(`${type}?${by}`, type, `${by}=${patient}`, include);
    }
    for (const part of chunks(reader.groups, IDS_PER_SEARCH)) yield* reader.search('Encounter?subject', 'Encounter', `subject=${part.join(',')}`, ENCOUNTER_INCLUDES);
    yield* reader.follow();
  }

  const result = await readHostFhir(items(), {
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    ...(options.canonicalBase === undefined ? {} : { canonicalBase: options.canonicalBase }),
  });
  return { ...result, findings: [...reader.findings, ...result.findings], patient: reader.patient, requests: reader.requests, resources: reader.seen.size };
}
