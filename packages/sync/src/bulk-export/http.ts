/**
 * The HTTP of a Bulk Data export or import. Its status answers (a JSON manifest, not a FHIR
 * resource) and NDJSON files are not FHIR REST calls, so they go through `fetch` directly — with the
 * same rules as the transport: a time limit per request, plain http only to loopback (unless
 * allowed), and the token sent only to the FHIR base's origin (or, for a manifest's files, to an
 * origin the caller allowed). Redirects are followed here, not by `fetch`: each hop is checked as
 * the first URL was, and the token goes no further than the first hop to an origin it may not go to
 * (as the Fetch standard drops `Authorization` on a cross-origin redirect).
 *
 * See: https://hl7.org/fhir/uv/bulkdata/STU2/export.html#file-request,
 * https://fetch.spec.whatwg.org/#http-redirect-fetch
 */
import type { AuthProvider } from '../auth';
import { SYNC_ERROR_CODES, SyncError, type SyncErrorCode } from '../errors';
import { assertSafeUrl } from '../internal/loopback';
import { networkCode } from '../internal/network-code';

/** Redirects followed for one request, at most (the Fetch standard's limit is 20). */
const MAX_REDIRECTS = 5;

/** The redirect statuses (RFC 9110 §15.4); 303 — and 301/302 after a POST — go on as a GET without a body. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

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
  /** Send the token (only ever to the base's origin, or with `file` to the allowed file origins). */
  authorize: boolean;
  /** A file of a manifest: the token may also go to the client's `fileTokenOrigins`. Default false. */
  file?: boolean;
  signal?: AbortSignal;
}

/** Sends requests for one export. */
export interface BulkHttp {
  readonly base: URL;
  send(url: string, request: BulkRequest): Promise<BulkReply>;
}

/** Options of {@link createBulkHttp}. */
export interface BulkHttpOptions {
  /** The FHIR base URL: its origin may receive the token. */
  baseUrl: string;
  /** How requests are authorized. Default: not at all. */
  auth?: AuthProvider;
  /** Time limit of each request (its redirects included), in ms. */
  timeoutMs: number;
  /** Plain `http://` to a host that is not loopback. */
  allowInsecureHttp: boolean;
  /**
   * Origins besides the base's that may receive the token with a manifest's files (`file`
   * requests), e.g. the server's own file host. Default none.
   */
  fileTokenOrigins?: readonly string[];
  /** The code of the error when the token is asked for on another origin. Default `sync.bulk-export-failed`. */
  failureCode?: SyncErrorCode;
}

/**
 * The origins of `fileTokenOrigins`, checked.
 *
 * @param origins - URLs or origins
 * @param allowInsecureHttp - plain http to a host that is not loopback
 * @returns their origins
 * @throws SyncError `sync.invalid-option` for one that is not an http(s) URL, `sync.insecure-url`
 *   for plain http to a host that is not loopback
 */
export function toTokenOrigins(origins: readonly string[] | undefined, allowInsecureHttp: boolean): Set<string> {
  return new Set((origins ?? []).map((origin) => assertSafeUrl(origin, 'an origin of fileTokenOrigins', allowInsecureHttp).origin));
}

/**
 * The HTTP client of an export or an import.
 *
 * @param options - base URL, auth, time limit, TLS rule and the origins files may take the token to
 * @returns the client
 * @throws SyncError `sync.insecure-url` for plain http to a host that is not loopback without
 *   `allowInsecureHttp`; `sync.invalid-option` for a `fileTokenOrigins` entry that is not a URL
 */
export function createBulkHttp(options: BulkHttpOptions): BulkHttp {
  const base = assertSafeUrl(options.baseUrl, 'the FHIR server URL', options.allowInsecureHttp);
  const fileOrigins = toTokenOrigins(options.fileTokenOrigins, options.allowInsecureHttp);
  const mayTake = (url: URL, request: BulkRequest): boolean => url.origin === base.origin || (request.file === true && fileOrigins.has(url.origin));
  async function once(url: string, request: BulkRequest): Promise<BulkReply> {
    let target = assertSafeUrl(url, 'a Bulk Data URL', options.allowInsecureHttp);
    let authorization: string | undefined;
    if (request.authorize && options.auth !== undefined) {
      // A status or file URL comes from the server's answer: the token never goes to another origin.
      if (!mayTake(target, request)) {
        throw new SyncError(
          options.failureCode ?? SYNC_ERROR_CODES.bulkExportFailed,
          `the server asks for the access token on another origin than the FHIR base's${request.file === true ? ' (allow a file host with fileTokenOrigins)' : ''}`,
        );
      }
      authorization = await options.auth.authorization(request.signal);
    }
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]);
    let method = request.method ?? 'GET';
    let body = request.body;
    try {
      for (let hop = 0; ; hop++) {
        const headers: Record<string, string> = { ...request.headers };
        if (authorization !== undefined) headers.authorization = authorization;
        if (body === undefined) delete headers['content-type'];
        const res = await fetch(target, { method, headers, signal, redirect: 'manual', ...(body === undefined ? {} : { body }) });
        const location = REDIRECTS.has(res.status) ? res.headers.get('location') : null;
        if (location === null) return { kind: 'response', status: res.status, headers: res.headers, body: res.body };
        await res.body?.cancel();
        if (hop >= MAX_REDIRECTS) return { kind: 'network', code: 'ETOOMANYREDIRECTS' };
        target = assertSafeUrl(new URL(location, target).href, 'a redirect of a Bulk Data URL', options.allowInsecureHttp);
        // Once dropped, the token stays dropped (a hop back to the base does not get it again).
        if (authorization !== undefined && !mayTake(target, request)) authorization = undefined;
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
      }
    } catch (error) {
      if (error instanceof SyncError) throw error;
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
