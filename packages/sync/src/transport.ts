/**
 * The one typed wrapper around fhir-kit-client: every FHIR request of @peerkit/sync goes through
 * here. It adds authorization, a time limit per request and TLS rules, and turns fhir-kit-client's
 * results and errors into one value that keeps the status and headers (Retry-After, RateLimit,
 * ETag) retry decisions need.
 */
import { Client } from 'fhir-kit-client';
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

/** fhir-kit-client's error for an HTTP status: `response` and `config` carry status, body and headers. */
interface ClientHttpError {
  response: { status: number; data: unknown };
  config: { headers?: Headers };
}

function isClientHttpError(error: unknown): error is ClientHttpError {
  const e = error as Partial<ClientHttpError> | null;
  return typeof e === 'object' && e !== null && typeof e.response?.status === 'number';
}

function asBody<T>(data: unknown): T | undefined {
  return typeof data === 'object' && data !== null && typeof (data as { resourceType?: unknown }).resourceType === 'string'
    ? (data as T)
    : undefined;
}

/**
 * Creates the transport to one FHIR server over fhir-kit-client.
 *
 * @param options - base URL, auth and limits; see {@link FhirTransportOptions}
 * @returns the transport
 * @throws SyncError `sync.insecure-url` for plain http to a non-loopback host without
 *   `allowInsecureHttp`; `sync.unsafe-debug-logging` when `DEBUG` enables fhir-kit-client's logging
 * @example
 * const transport = createFhirTransport({ baseUrl: server.baseUrl });
 * const reply = await transport.get('metadata');
 *
 * See: https://github.com/Vermonster/fhir-kit-client (2.0.3), https://hl7.org/fhir/R4/http.html
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
  const client = new Client({ baseUrl });
  const auth = options.auth;

  async function once<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body: Resource | undefined,
    request: RequestOptions,
  ): Promise<FhirReply<T>> {
    const headers: Record<string, string> = { ...request.headers };
    const authorization = await auth?.authorization(request.signal);
    if (authorization !== undefined) headers.authorization = authorization;
    if (body !== undefined) headers['content-type'] = 'application/fhir+json';
    // One controller and one timer per request, both released when it ends: `AbortSignal.timeout`
    // and `AbortSignal.any` cost more than the rest of a small request on Node 20 (their signals
    // are tracked until garbage collected), which single mode pays once per resource.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('The request timed out', 'TimeoutError'));
    }, timeoutMs);
    const onAbort = (): void => controller.abort(request.signal?.reason);
    if (request.signal?.aborted === true) onAbort();
    else request.signal?.addEventListener('abort', onAbort, { once: true });
    const signal = controller.signal;
    try {
      const result = await client.request(url, {
        method,
        options: { headers, signal },
        ...(body === undefined ? {} : { body }),
      });
      const { response } = Client.httpFor(result);
      return {
        kind: 'response',
        status: response?.status ?? 200,
        headers: response?.headers ?? new Headers(),
        body: asBody<T>(result),
      };
    } catch (error) {
      if (request.signal?.aborted === true) throw request.signal.reason;
      if (isClientHttpError(error)) {
        return {
          kind: 'response',
          status: error.response.status,
          headers: error.config.headers ?? new Headers(),
          body: asBody<T | OperationOutcome>(error.response.data),
        };
      }
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
