/**
 * How one batch of entries goes to the server: as a `transaction` or `batch` Bundle, or — in
 * `single` mode — as the entry's own conditional request, whose answer is read as the entry's
 * response (so settling is the same in every mode).
 */
import type { Bundle, BundleEntry, BundleEntryRequest, BundleEntryResponse, Resource } from 'fhir/r4';
import type { FhirReply } from '../transport';
import type { WriteMode } from '../write-mode';
import { bundleOf } from './bundle';
import type { PushContext } from './context';
import { isOutcome } from './outcomes';
import type { Loaded } from './queue';

/** Methods a single request carries as they are (a PATCH entry's body is a Binary: it goes in a Bundle). */
const SINGLE_METHODS = new Set<string>(['GET', 'POST', 'PUT', 'DELETE']);

/**
 * How a batch travels: a group that refers to each other in a cycle always in a transaction (only a
 * transaction resolves references between its entries); in `single` mode a lone entry as its own
 * request (unless its method needs a Bundle); otherwise as the run's mode says.
 *
 * @param ctx - the run
 * @param batch - the entries
 * @returns the way they go
 */
export function viaOf(ctx: PushContext, batch: readonly Loaded[]): WriteMode {
  if (batch.some((item) => item.cycle === true) || ctx.mode === 'transaction') return 'transaction';
  const [only] = batch;
  if (ctx.mode === 'single' && batch.length === 1 && only !== undefined && SINGLE_METHODS.has(only.entry.request.method)) return 'single';
  return 'batch';
}

/** The HTTP headers of a Bundle entry's conditions. See: https://hl7.org/fhir/R4/http.html#ccreate, #concurrency */
function conditionHeaders(request: BundleEntryRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  if (request.ifNoneExist !== undefined) headers['if-none-exist'] = request.ifNoneExist;
  if (request.ifMatch !== undefined) headers['if-match'] = request.ifMatch;
  if (request.ifNoneMatch !== undefined) headers['if-none-match'] = request.ifNoneMatch;
  if (request.ifModifiedSince !== undefined) headers['if-modified-since'] = request.ifModifiedSince;
  return headers;
}

/** True for an answer that is the entry's own outcome (a 2xx, or a 4xx other than 401, 408 and 429). */
function isEntryAnswer(status: number): boolean {
  return (status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429);
}

/**
 * Sends one entry as its own request (`PUT Type?identifier=…`, `POST Type` with `If-None-Exist`…),
 * a write with `Prefer: return=minimal` (RFC 7240 §4.2; FHIR R4 http.html#ops) while the server's
 * answers say where the resource is without it.
 * An answer that is the entry's outcome comes back as a one-entry `batch-response` (status,
 * location from `Location` / `Content-Location` or the returned resource, OperationOutcome); any
 * other answer (401, 408, 429, 5xx, no answer) comes back as it is, for the retry logic.
 *
 * @param ctx - the run
 * @param item - the entry
 * @returns the reply, in the shape of a Bundle's
 */
export async function sendSingle(ctx: PushContext, item: Loaded): Promise<FhirReply<Bundle>> {
  const entry = (bundleOf(ctx, [item], 'batch').entry ?? [])[0] as BundleEntry;
  const request = entry.request as BundleEntryRequest;
  const headers = conditionHeaders(request);
  // Only where the resource is written: the answer's Location says where, the body is not needed.
  const minimal = ctx.minimalReplies && (request.method === 'POST' || request.method === 'PUT');
  if (minimal) headers.prefer = 'return=minimal';
  const reply = await ctx.transport.request<Resource>(request.method as 'GET' | 'POST' | 'PUT' | 'DELETE', request.url, entry.resource, {
    headers,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
  if (reply.kind !== 'response' || !isEntryAnswer(reply.status)) return reply as FhirReply<Bundle>;
  const { body, status } = reply;
  const response: BundleEntryResponse = { status: String(status) };
  const resource = body !== undefined && !isOutcome(body) ? body : undefined;
  const location =
    reply.headers.get('location') ??
    reply.headers.get('content-location') ??
    (resource?.id === undefined ? undefined : `${resource.resourceType}/${resource.id}`);
  // A server that honours `return=minimal` without saying where the resource is (no Location on an
  // update is allowed): this entry is found by a search, the rest of the run asks for the resource.
  if (minimal && status < 300 && location === undefined) ctx.minimalReplies = false;
  if (status < 300 && location !== undefined) response.location = location;
  if (isOutcome(body)) response.outcome = body;
  return {
    kind: 'response',
    status: 200,
    headers: reply.headers,
    body: { resourceType: 'Bundle', type: 'batch-response', entry: [{ response, ...(resource === undefined ? {} : { resource }) }] },
  };
}
