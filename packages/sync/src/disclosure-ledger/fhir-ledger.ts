/**
 * The disclosure ledger on a FHIR server: each entry is POSTed as an AuditEvent through sync's
 * transport (auth, time limits, TLS rules); queries search `AuditEvent` by PeerKit's ledger subtype,
 * the patient and the recorded date, follow `next` links, and filter each page with the same
 * matching as every other ledger.
 *
 * See: https://hl7.org/fhir/R4/auditevent.html#search; 42 CFR §2.25
 */
import type { AuditEvent, Bundle, OperationOutcome } from 'fhir/r4';
import { DISCLOSURE_LEDGER_SUBTYPE, matchesLedgerQuery, type DisclosureLedger, type DisclosureLedgerQuery } from '@peerkit/safeguards';
import { SYNC_ERROR_CODES, SyncError } from '../errors';
import type { FhirReply, FhirTransport } from '../transport';

/** Options of {@link createFhirDisclosureLedger}. */
export interface FhirDisclosureLedgerOptions {
  /** The FHIR server, from {@link createFhirTransport}. */
  transport: FhirTransport;
  /** Entries per search page (`_count`). Default 100. */
  pageSize?: number;
  /** Aborts appends and queries in flight. Default none. */
  signal?: AbortSignal;
}

function failure(reply: FhirReply<unknown>, what: string): SyncError {
  const why = reply.kind === 'response' ? `status ${reply.status}` : reply.kind === 'network' ? reply.code : 'timeout';
  return new SyncError(SYNC_ERROR_CODES.serverUnavailable, `${what} failed (${why})`);
}

const ok = (reply: FhirReply<unknown>): boolean => reply.kind === 'response' && reply.status >= 200 && reply.status < 300;

/** The search URL of a query: ledger subtype, patient (a literal reference), recorded date bounds, sorted by date. */
function searchUrl(query: DisclosureLedgerQuery, pageSize: number): string {
  const params = new URLSearchParams();
  params.set('subtype', `${DISCLOSURE_LEDGER_SUBTYPE.system ?? ''}|${DISCLOSURE_LEDGER_SUBTYPE.code ?? ''}`);
  // Only a literal reference narrows the search on the server; identifiers are matched here.
  if (query.patient !== undefined && !query.patient.includes('|')) params.set('patient', query.patient);
  if (query.from !== undefined) params.append('date', `ge${query.from}`);
  if (query.to !== undefined) params.append('date', `le${query.to}`);
  params.set('_count', String(pageSize));
  params.set('_sort', 'date');
  return `AuditEvent?${params.toString()}`;
}

/**
 * Creates a ledger that keeps its entries on a FHIR server as AuditEvents.
 *
 * @param options - transport, page size, abort signal
 * @returns the ledger; `append` resolves once the server accepted the AuditEvent
 * @throws (from `append` and `query`) SyncError `sync.server-unavailable` when the server refuses
 *   or cannot be reached; `sync.invalid-option` for a bad page size
 * @example
 * const ledger = createFhirDisclosureLedger({ transport: createFhirTransport({ baseUrl }) });
 * await ledger.append(entry);
 * See: https://hl7.org/fhir/R4/auditevent.html
 */
export function createFhirDisclosureLedger(options: FhirDisclosureLedgerOptions): DisclosureLedger {
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'pageSize must be an integer from 1 to 1000');
  }
  const { transport } = options;
  const request = options.signal === undefined ? {} : { signal: options.signal };
  return {
    append: async (entry) => {
      const { id: _serverAssigns, ...body } = entry;
      const reply = await transport.request<AuditEvent>('POST', 'AuditEvent', body, request);
      if (!ok(reply)) throw failure(reply, 'POST AuditEvent');
    },
    query: async function* (query) {
      let url: string | undefined = searchUrl(query, pageSize);
      const seen = new Set<string>();
      while (url !== undefined) {
        if (seen.has(url)) break;
        seen.add(url);
        const reply: FhirReply<Bundle> = await transport.get<Bundle>(url, request);
        if (!ok(reply) || reply.kind !== 'response') throw failure(reply, 'search AuditEvent');
        const body = reply.body as Bundle | OperationOutcome | undefined;
        if (body?.resourceType !== 'Bundle') throw failure(reply, 'search AuditEvent (no Bundle)');
        for (const e of body.entry ?? []) {
          if (e.resource?.resourceType !== 'AuditEvent') continue;
          const event = e.resource as AuditEvent;
          if (matchesLedgerQuery(event, query)) yield event;
        }
        url = body.link?.find((l) => l.relation === 'next')?.url;
      }
    },
  };
}
