/**
 * The HTTP of a Bulk Data export. Its status answers (a JSON manifest, not a FHIR resource) and
 * NDJSON files are not FHIR REST calls, so they go through `fetch` directly — with the same rules
 * as the transport: a time limit per request, plain http only to loopback (unless allowed), and the
 * token sent only to the FHIR base's origin.
 */
import type { AuthProvider } from '../auth';
import { SYNC_ERROR_CODES, SyncError } from '../errors';
import { assertSafeUrl } from '../internal/loopback';
import { networkCode } from '../internal/network-code';

/** What came back from one request. */
export type BulkReply =
  | { kind: 'response'; status: number; headers: Headers; body: ReadableStream<Uint8Array> | null }
  | { kind: 'network'; code: string }
  | { kind: 'timeout' };

/** How one request goes. */
export interface BulkRequest {
  method?: 'GET' | 'DELETE' | 'POST';
  /** The body of a POST (a `$import` kick-off's Parameters). */
  body?: string;
  headers?: Record<string, string>;
  /** Send the token (only ever to the base's origin). */
  authorize: boolean;
  signal?: AbortSignal;
}

/** Sends requests for one export. */
export interface BulkHttp {
  readonly base: URL;
  send(url: string, request: BulkRequest): Promise<BulkReply>;
}

/**
 * The HTTP client of an export.
 *
 * @param options - base URL, auth, time limit and TLS rule
 * @returns the client
 * @throws SyncError `sync.insecure-url` for plain http to a host that is not loopback without `allowInsecureHttp`
 */
export function createBulkHttp(options: { baseUrl: string; auth?: AuthProvider; timeoutMs: number; allowInsecureHttp: boolean }): BulkHttp {
  const base = assertSafeUrl(options.baseUrl, 'the FHIR server URL', options.allowInsecureHttp);
  async function once(url: string, request: BulkRequest): Promise<BulkReply> {
    const target = assertSafeUrl(url, 'a Bulk Data URL', options.allowInsecureHttp);
    const headers: Record<string, string> = { ...request.headers };
    if (request.authorize) {
      // A status or file URL comes from the server's answer: the token never goes to another origin.
      if (target.origin !== base.origin) {
        throw new SyncError(SYNC_ERROR_CODES.bulkExportFailed, 'the export asks for the access token on another server than the FHIR base');
      }
      const authorization = await options.auth?.authorization(request.signal);
      if (authorization !== undefined) headers.authorization = authorization;
    }
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]);
    try {
      const res = await fetch(target, { method: request.method ?? 'GET', headers, signal, redirect: 'error', ...(request.body === undefined ? {} : { body: request.body }) });
      return { kind: 'response', status: res.status, headers: res.headers, body: res.body };
    } catch (error) {
      if (request.signal?.aborted === true) throw request.signal.reason;
      if (timeout.aborted) return { kind: 'timeout' };
      return { kind: 'network', code: networkCode(error) };
    }
  }
  return {
    base,
    async send(url, request) {
      const reply = await once(url, request);
      // A token can expire between our check and the server's: one fresh token, one more try.
      if (request.authorize && reply.kind === 'response' && reply.status === 401 && options.auth?.invalidate() === true) {
        await reply.body?.cancel();
        return once(url, request);
      }
      return reply;
    },
  };
}

/** Reads a whole small body (a manifest, an OperationOutcome) as JSON; undefined when it is not JSON. */
export async function jsonOf(body: ReadableStream<Uint8Array> | null): Promise<unknown> {
  if (body === null) return undefined;
  const text = await new Response(body).text();
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/**
 * The lines of an NDJSON body, one at a time (the body is never held whole).
 *
 * @param body - the response body
 * @returns its non-empty lines
 */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    let newline = rest.indexOf('\n');
    while (newline >= 0) {
      const line = rest.slice(0, newline).trim();
      rest = rest.slice(newline + 1);
      if (line !== '') yield line;
      newline = rest.indexOf('\n');
    }
  }
  rest += decoder.decode();
  if (rest.trim() !== '') yield rest.trim();
}
