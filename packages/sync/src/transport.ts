/**
 * The one typed FHIR HTTP client of @peerkit/sync: every FHIR request goes through here. It adds
 * authorization, a time limit per request and TLS rules, and turns every answer (and the lack of
 * one) into one value that keeps the status and headers (Retry-After, RateLimit, ETag) retry
 * decisions need. Requests go over `node:http`/`node:https` with kept-alive connections, shaped as
 * fhir-kit-client shapes them (same URL expansion, `Accept: application/fhir+json`): fhir-kit-client
 * sends through `fetch`, whose streams cost about 1 ms of CPU per request on Node 20, which a sync
 * in `single` mode (one request per resource) paid for every resource.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Bundle, Resource, OperationOutcome } from 'fhir/r4';
import type { AuthProvider } from './auth';
import { SYNC_ERROR_CODES, SyncError } from './errors';
import { assertSafeUrl } from './internal/loopback';
import { networkCode } from './internal/network-code';

/** What came back from one FHIR request. */
export type FhirReply<T> =
  /** The server answered. `body` is undefined when it was empty or not JSON. */
  | { kind: 'response'; status: number; headers: Headers; body: T | OperationOutcome | undefined }
  /** No answer: refused, reset or dropped connection, DNS failure… (`code` is the system's, e.g. `ECONNRESET`). */
  | { kind: 'network'; code: string }
  /** No complete answer within the time limit. */
  | { kind: 'timeout' };

/** Options of one request. */
export interface RequestOptions {
  /** Aborts the request (and rejects with its reason). */
  signal?: AbortSignal;
  /** Extra request headers (e.g. `If-Match`). */
  headers?: Record<string, string>;
}

/** Options of {@link createFhirTransport}. */
export interface FhirTransportOptions {
  /** The server's FHIR base URL, e.g. `https://fhir.example.org/r4`. */
  baseUrl: string;
  /** How requests are authorized. Default: not at all. */
  auth?: AuthProvider;
  /** Time limit of one request, in ms. Default 60 000. */
  timeoutMs?: number;
  /** Allow plain `http://` to a host that is not loopback. Default false. */
  allowInsecureHttp?: boolean;
  /**
   * Allow `DEBUG` to enable fhir-kit-client's own logging, which prints request headers (the
   * token) and response bodies. Default false: creating a transport with such a `DEBUG` throws.
   */
  allowClientDebugLogging?: boolean;
}

/** A FHIR server, as @peerkit/sync talks to it. */
export interface FhirTransport {
  /** The FHIR base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** POSTs a transaction or batch Bundle to the base. */
  transaction(bundle: Bundle, options?: RequestOptions): Promise<FhirReply<Bundle>>;
  /** GETs a URL relative to the base (`Encounter?identifier=…`) or absolute on the same server (a `next` link). */
  get<T extends Resource = Resource>(url: string, options?: RequestOptions): Promise<FhirReply<T>>;
  /** Sends any request relative to the base. */
  request<T extends Resource = Resource>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: Resource,
    options?: RequestOptions,
  ): Promise<FhirReply<T>>;
}

/** True when the `DEBUG` value would enable a `fhir-kit-client:…` namespace of the `debug` package. */
export function debugEnablesClientLogging(debug: string | undefined): boolean {
  if (debug === undefined || debug.trim() === '') return false;
  const names = debug.split(/[\s,]+/).filter((n) => n !== '');
  const matches = (pattern: string, namespace: string): boolean =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*?')}$`).test(namespace);
  return ['fhir-kit-client:info', 'fhir-kit-client:error'].some(
    (namespace) =>
      names.some((n) => !n.startsWith('-') && matches(n, namespace)) &&
      !names.some((n) => n.startsWith('-') && matches(n.slice(1), namespace)),
  );
}

/** What came back over HTTP, before it is read as FHIR. */
interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The request went on a kept-alive connection used before. */
  reused: boolean;
}

/** Node's response headers as a fetch `Headers` (repeated headers joined as fetch joins them). */
function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

/** The body as JSON, or undefined when it is empty or not JSON (a proxy's HTML page). */
function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asBody<T>(data: unknown): T | undefined {
  return typeof data === 'object' && data !== null && typeof (data as { resourceType?: unknown }).resourceType === 'string'
    ? (data as T)
    : undefined;
}

/**
 * Creates the transport to one FHIR server (`node:http`/`node:https`, kept-alive connections).
 *
 * @param options - base URL, auth and limits; see {@link FhirTransportOptions}
 * @returns the transport
 * @throws SyncError `sync.insecure-url` for plain http to a non-loopback host without
 *   `allowInsecureHttp`; `sync.unsafe-debug-logging` when `DEBUG` enables fhir-kit-client's logging
 * @example
 * const transport = createFhirTransport({ baseUrl: server.baseUrl });
 * const reply = await transport.get('metadata');
 *
 * See: https://hl7.org/fhir/R4/http.html, https://nodejs.org/api/http.html#class-httpagent
 */
export function createFhirTransport(options: FhirTransportOptions): FhirTransport {
  const base = assertSafeUrl(options.baseUrl, 'the FHIR server URL', options.allowInsecureHttp === true);
  if (options.allowClientDebugLogging !== true && debugEnablesClientLogging(process.env.DEBUG)) {
    throw new SyncError(
      SYNC_ERROR_CODES.unsafeDebugLogging,
      'DEBUG enables fhir-kit-client logging, which prints tokens and resource bodies; remove fhir-kit-client from DEBUG',
    );
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'timeoutMs must be a positive number of milliseconds');
  }
  const baseUrl = base.href.replace(/\/+$/, '');
  const secure = base.protocol === 'https:';
  // Connections kept alive between requests (idle ones do not hold the process open).
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const auth = options.auth;

  /** A URL relative to the base (`Patient?…`, `/`) or absolute (a `next` link), as fhir-kit-client expands it. */
  const expand = (url: string): URL => new URL(/^https?:/i.test(url) ? url : url.startsWith('/') ? `${baseUrl}${url}` : `${baseUrl}/${url}`);

  /** One HTTP exchange: the status, the headers and the body's text; rejects when no answer came. */
  function exchange(method: string, url: URL, headers: Record<string, string>, text: string | undefined, signal: AbortSignal): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const send = secure ? httpsRequest : httpRequest;
      const req = send(url, { method, headers, agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), reused: req.reusedSocket }));
      });
      req.on('error', (error: Error) => reject(Object.assign(error, { reused: req.reusedSocket })));
      req.end(text);
    });
  }

  async function once<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body: Resource | undefined,
    request: RequestOptions,
  ): Promise<FhirReply<T>> {
    const headers: Record<string, string> = { accept: 'application/fhir+json' };
    for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
    const authorization = await auth?.authorization(request.signal);
    if (authorization !== undefined) headers.authorization = authorization;
    const text = body === undefined ? undefined : JSON.stringify(body);
    if (text !== undefined) {
      headers['content-type'] = 'application/fhir+json';
      headers['content-length'] = String(Buffer.byteLength(text));
    }
    // One controller and one timer per request, both released when it ends (`AbortSignal.timeout`
    // and `AbortSignal.any` cost more than the rest of a small request on Node 20).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('The request timed out', 'TimeoutError'));
    }, timeoutMs);
    const onAbort = (): void => controller.abort(request.signal?.reason);
    if (request.signal?.aborted === true) onAbort();
    else request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const target = expand(url);
      let answer: Answer;
      try {
        answer = await exchange(method, target, headers, text, controller.signal);
      } catch (error) {
        // A kept-alive connection the server closed while idle: a GET is safe to send again at once
        // (a write is not: its fate is settled by the push's search by identifier).
        if (method !== 'GET' || (error as { reused?: boolean }).reused !== true || controller.signal.aborted) throw error;
        answer = await exchange(method, target, headers, text, controller.signal);
      }
      return { kind: 'response', status: answer.status, headers: toHeaders(answer.headers), body: asBody<T | OperationOutcome>(parseJson(answer.text)) };
    } catch (error) {
      if (request.signal?.aborted === true) throw request.signal.reason;
      if (timedOut) return { kind: 'timeout' };
      return { kind: 'network', code: networkCode(error) };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
  }

  async function send<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body: Resource | undefined,
    request: RequestOptions = {},
  ): Promise<FhirReply<T>> {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) && new URL(url).origin !== base.origin) {
      // A `next` link (or any URL from a response) must not carry our token to another server.
      throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'refusing to follow a URL on another server than the FHIR base');
    }
    const reply = await once<T>(method, url, body, request);
    // A token can expire between our check and the server's: one fresh token, one more try.
    if (reply.kind === 'response' && reply.status === 401 && auth?.invalidate() === true) {
      return once<T>(method, url, body, request);
    }
    return reply;
  }

  return {
    baseUrl,
    transaction: (bundle, request) => send<Bundle>('POST', '/', bundle, request),
    get: (url, request) => send('GET', url, undefined, request),
    request: (method, url, body, request) => send(method, url, body, request),
  };
}
