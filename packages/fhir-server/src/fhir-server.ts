import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allOk, getStatus, isResourceType } from '@medplum/core';
import { FhirRouter, type FhirRequest, type FhirResponse, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { version } from '../package.json';
import { AuthGuard, type FhirServerAuth } from './auth/guard';
import { BulkExports, type BulkExportServerOptions, type ExportLevel } from './bulk-export';
import { BulkImports, type BulkImportServerOptions } from './bulk-import';
import { buildCapabilityStatement } from './internal/capability-statement';
import { dropCreateIds } from './internal/create-ids';
import { mergeResponse, resolveConditionalReferences } from './internal/conditional-references';
import { loadFhirDefinitions } from './internal/definitions';
import { HttpProblem, outcome, parseBody, readBody, sendJson } from './internal/http';
import { isLoopbackHost, urlHost } from './internal/loopback';
import { ValidatingRepository } from './internal/validating-repository';

/** The path of the FHIR base on the server: `http://<host>:<port>/fhir`. */
const BASE_PATH = '/fhir';

/** Methods the engine routes. */
const ENGINE_METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Methods whose body is read and parsed. */
const BODY_METHODS = new Set<string>(['POST', 'PUT', 'PATCH']);

/** Options of {@link startFhirServer}. */
export interface FhirServerOptions {
  /** TCP port to listen on. Default 0: the system picks a free port (read it from `port`). */
  port?: number;
  /** Interface to listen on. Default `'127.0.0.1'`. Must be a loopback address unless `allowRemote`. */
  host?: string;
  /**
   * Allow a non-loopback `host`. Default false: the server has no authentication and no TLS, so
   * anything that can reach it can read and write every resource.
   */
  allowRemote?: boolean;
  /** Largest request body accepted, in bytes; larger ones get 413. Default 64 MiB. */
  maxBodyBytes?: number;
  /**
   * How long `close()` lets requests in flight finish before cutting their connections, in ms.
   * Default 2000.
   */
  closeGraceMs?: number;
  /**
   * The minimal Bulk Data `$export`: polls answered 202 before the manifest (default 1), their
   * `Retry-After` (default 1 s), `requiresAccessToken` (default false). See {@link BulkExportServerOptions}.
   */
  bulkExport?: BulkExportServerOptions;
  /**
   * The minimal Bulk Data `$import` (`POST [base]/$import`, files fetched from loopback hosts by
   * default, each resource stored under its own id). See {@link BulkImportServerOptions}.
   */
  bulkImport?: BulkImportServerOptions;
  /**
   * SMART on FHIR: every request but `metadata` and `.well-known/smart-configuration` needs a bearer JWT
   * from the trusted authorization server, and its scopes v2 are enforced (`patient/` scopes limited to
   * the token's patient compartment); 401 and 403 answer with an OperationOutcome. Options, or a
   * function of the base URL returning them. Default none: no authentication.
   */
  auth?: FhirServerAuth;
}

/** A running embedded FHIR server. */
export interface FhirServer {
  /** The FHIR base URL, e.g. `http://127.0.0.1:43117/fhir` (no trailing slash). */
  readonly baseUrl: string;
  /** The port it listens on (the one the system picked when `port` was 0). */
  readonly port: number;
  /**
   * Stops listening, lets requests in flight finish (up to `closeGraceMs`), closes every
   * keep-alive connection and resolves once the server is fully closed. The data is gone
   * afterwards. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

function checkOptions(options: FhirServerOptions): { port: number; host: string; maxBodyBytes: number; closeGraceMs: number } {
  const port = options.port ?? 0;
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const closeGraceMs = options.closeGraceMs ?? 2000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError('startFhirServer: option port must be a whole number from 0 to 65535');
  }
  if (host === '') throw new RangeError('startFhirServer: option host must not be empty');
  if (!isLoopbackHost(host) && options.allowRemote !== true) {
    throw new RangeError(
      'startFhirServer: option host must be a loopback address (127.0.0.1, ::1, localhost); the server has no authentication. Set allowRemote to override',
    );
  }
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new RangeError('startFhirServer: option maxBodyBytes must be a positive whole number');
  }
  if (!Number.isFinite(closeGraceMs) || closeGraceMs < 0) {
    throw new RangeError('startFhirServer: option closeGraceMs must be a number of milliseconds, at least 0');
  }
  return { port, host, maxBodyBytes, closeGraceMs };
}

/** A positive whole number from a query parameter, or undefined. */
function queryInteger(params: URLSearchParams, name: string): number | undefined {
  const raw = params.getAll(name).at(-1);
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

function isTransactionBundle(body: unknown): boolean {
  const bundle = body as { resourceType?: unknown; type?: unknown } | null;
  return typeof bundle === 'object' && bundle !== null && bundle.resourceType === 'Bundle' && bundle.type === 'transaction';
}

/** `Prefer: return=…` (RFC 7240). See: https://hl7.org/fhir/R4/http.html#ops */
function preferredReturn(req: IncomingMessage): 'minimal' | 'representation' | 'OperationOutcome' {
  const prefer = String(req.headers.prefer ?? '');
  const match = /return=(minimal|representation|OperationOutcome)/i.exec(prefer);
  const value = match?.[1]?.toLowerCase();
  if (value === 'minimal') return 'minimal';
  if (value === 'operationoutcome') return 'OperationOutcome';
  return 'representation';
}

/**
 * Starts the embedded FHIR R4 server: Medplum's FHIR engine (`FhirRouter` over an in-memory
 * repository) behind `node:http`, on loopback by default. Every create and update is checked with
 * Medplum's `validateResource` and rejected with 400 and an OperationOutcome when invalid.
 * The FHIR base is `<baseUrl>` (`/fhir`); `GET <baseUrl>/metadata` returns the CapabilityStatement;
 * `POST <baseUrl>` takes batch and transaction Bundles (applied entry by entry: see the README).
 *
 * @param options - port, host and limits; see {@link FhirServerOptions}
 * @returns the running server: its base URL, port and `close()`
 * @throws RangeError when an option is out of range or `host` is not loopback without `allowRemote`
 * @example
 * const server = await startFhirServer({ port: 0 });
 * const res = await fetch(`${server.baseUrl}/metadata`);
 * await server.close();
 *
 * See: https://hl7.org/fhir/R4/http.html, https://www.medplum.com/docs/api/fhir
 */
export async function startFhirServer(options: FhirServerOptions = {}): Promise<FhirServer> {
  const { port, host, maxBodyBytes, closeGraceMs } = checkOptions(options);
  loadFhirDefinitions();
  const router = new FhirRouter();
  const repo = new ValidatingRepository();
  const exports = new BulkExports(repo, options.bulkExport);
  const auth = options.auth === undefined ? undefined : new AuthGuard(options.auth, (type, id) => repo.readResource(type, id).catch(() => undefined));

  // The engine's conditional create/update is a search followed by a write; running requests one
  // at a time keeps two concurrent requests from both seeing "no match" and both creating.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const imports = new BulkImports(repo, serialized, options.bulkImport);

  let baseUrl = '';
  let capabilityStatement: string | undefined;
  let closing = false;
  const startedAt = new Date().toISOString();

  function decorate(relative: string, search: URLSearchParams, resource: Resource): Resource {
    if (resource.resourceType !== 'Bundle') return resource;
    const bundle = resource as Bundle;
    const entry = bundle.entry?.map((e) =>
      e.resource?.id === undefined ? e : { fullUrl: `${baseUrl}/${e.resource.resourceType}/${e.resource.id}`, ...e },
    );
    if (bundle.type !== 'searchset') return { ...bundle, ...(entry === undefined ? {} : { entry }) };
    const pageUrl = (offset: number | undefined): string => {
      const params = new URLSearchParams(search);
      if (offset !== undefined) params.set('_offset', String(offset));
      const query = params.toString();
      return `${baseUrl}/${relative}${query === '' ? '' : `?${query}`}`;
    };
    const link = [{ relation: 'self', url: pageUrl(undefined) }];
    const count = queryInteger(search, '_count');
    const offset = queryInteger(search, '_offset') ?? 0;
    if (count !== undefined && count > 0 && bundle.total !== undefined) {
      link.push({ relation: 'first', url: pageUrl(0) });
      if (offset > 0) link.push({ relation: 'previous', url: pageUrl(Math.max(0, offset - count)) });
      if (offset + count < bundle.total) link.push({ relation: 'next', url: pageUrl(offset + count) });
    }
    return {
      ...bundle,
      link,
      ...(entry === undefined ? {} : { entry: entry.map((e) => ({ ...e, search: { mode: 'match' as const } })) }),
    };
  }

  /**
   * ETag, Last-Modified and (for 201) Location of a single stored resource; a write's answer also
   * names the version it wrote in Content-Location, so a client that asked for `return=minimal`
   * learns the id of a resource a conditional update or create matched (200, which has no Location).
   * See: https://hl7.org/fhir/R4/http.html#update, RFC 9110 §8.7
   */
  function resourceHeaders(resource: Resource, status: number, write: boolean): Record<string, string> {
    const headers: Record<string, string> = {};
    const versionId = resource.meta?.versionId;
    if (resource.id === undefined || versionId === undefined) return headers;
    headers.etag = `W/"${versionId}"`;
    if (resource.meta?.lastUpdated !== undefined) headers['last-modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    const versioned = `${baseUrl}/${resource.resourceType}/${resource.id}/_history/${versionId}`;
    if (status === 201) headers.location = versioned;
    if (write && status < 300) headers['content-location'] = versioned;
    return headers;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path !== BASE_PATH && !path.startsWith(`${BASE_PATH}/`)) {
      throw new HttpProblem(404, outcome('not-found', `Not a FHIR endpoint; the FHIR base is ${BASE_PATH}`));
    }
    const relative = path.slice(BASE_PATH.length).replace(/^\/+|\/+$/g, '');
    const method = req.method ?? 'GET';
    const segments = relative === '' ? [] : relative.split('/');
    const first = segments[0] ?? '';
    const access = auth === undefined ? undefined : await auth.admit(req, res, relative, segments);
    if (access === 'answered') return;

    if (relative === 'metadata') {
      if (method !== 'GET') throw new HttpProblem(405, outcome('not-supported', 'Use GET for metadata'), { allow: 'GET' });
      capabilityStatement ??= JSON.stringify(
        buildCapabilityStatement(baseUrl, version, startedAt, auth === undefined ? undefined : await auth.security()),
      );
      send(res, 200, capabilityStatement);
      return;
    }
    if (await bulk(req, res, method, segments, url)) return;
    if (!ENGINE_METHODS.has(method)) {
      throw new HttpProblem(405, outcome('not-supported', 'Method not supported'), { allow: [...ENGINE_METHODS].join(', ') });
    }
    if (first === '_history' || segments[1] === '_history') {
      throw new HttpProblem(404, outcome('not-supported', 'System and type level _history are not supported; use Type/id/_history'));
    }
    if (first !== '' && first !== '$graphql' && !isResourceType(first)) {
      throw new HttpProblem(404, outcome('not-supported', 'Unknown resource type'));
    }

    const body = BODY_METHODS.has(method) ? dropCreateIds(method, segments, parseBody(req, await readBody(req, maxBodyBytes))) : undefined;
    const fhirRequest: FhirRequest = {
      method: method as HttpMethod,
      url: `${relative}${url.search}`,
      // The router fills pathname, params and query from `url`; it refuses a request with a pathname.
      pathname: '',
      params: {},
      query: {},
      body,
      headers: req.headers,
    };
    if (auth !== undefined && access !== undefined) fhirRequest.url = await auth.authorize(access, method, relative, url.searchParams, body, req.headers);
    const transaction = method === 'POST' && relative === '' && isTransactionBundle(body);
    const [result, resource] = await serialized(async (): Promise<FhirResponse> => {
      if (!transaction) return router.handleRequest(fhirRequest, repo);
      const resolved = await resolveConditionalReferences(body as Bundle, repo);
      if (resolved.size > 0 && resolved.kept.length === 0) return [allOk, mergeResponse(resolved, undefined)];
      fhirRequest.body = resolved.bundle;
      const [engineOutcome, engineBundle] = await router.handleRequest(fhirRequest, repo);
      if (resolved.failed.size === 0 || engineBundle?.resourceType !== 'Bundle') return [engineOutcome, engineBundle] as FhirResponse;
      return [engineOutcome, mergeResponse(resolved, engineBundle)];
    });
    const status = getStatus(result);
    if (resource === undefined) {
      send(res, status, result);
      return;
    }
    // A write names what it stored; a transaction or batch (POST to the base) and a POST search
    // answer with a Bundle that was not stored, while a Bundle resource POSTed or PUT to `Bundle` was.
    const write =
      (method === 'POST' || method === 'PUT' || method === 'PATCH') && (resource.resourceType !== 'Bundle' || relative.split('/')[0] === 'Bundle');
    // A matched conditional write names an existing resource; conditional writes need a search
    // scope, which already lets the token find it (see auth/guard.ts), so the header reveals nothing more.
    const headers = resourceHeaders(resource, status, write);
    const ok = status < 300;
    const prefer = preferredReturn(req);
    if (ok && (method === 'POST' || method === 'PUT' || method === 'PATCH') && prefer !== 'representation') {
      send(res, status, prefer === 'minimal' ? undefined : (result as OperationOutcome), headers);
      return;
    }
    const visible = auth === undefined || access === undefined ? resource : auth.filter(access, method, relative, resource);
    send(res, status, decorate(relative, url.searchParams, visible), headers);
  }

  /**
   * The Bulk Data routes: `$export` kick-off (system, `Patient/`, `Group/<id>/`), `$export-status/<job>`
   * (GET polls, DELETE cancels) and `$export-file/<job>/<n>`. False for any other path.
   */
  async function bulk(req: IncomingMessage, res: ServerResponse, method: string, segments: string[], url: URL): Promise<boolean> {
    const [first, second, third] = segments;
    const level: ExportLevel | undefined =
      segments.length === 1 && first === '$export'
        ? { kind: 'system' }
        : segments.length === 2 && first === 'Patient' && second === '$export'
          ? { kind: 'patient' }
          : segments.length === 3 && first === 'Group' && second !== undefined && third === '$export'
            ? { kind: 'group', id: second }
            : undefined;
    if (level !== undefined) {
      if (method !== 'GET') throw new HttpProblem(405, outcome('not-supported', 'Use GET for $export'), { allow: 'GET' });
      const id = await serialized(() => exports.kickOff(level, url.searchParams, String(req.headers.prefer ?? ''), `${baseUrl}/${segments.join('/')}${url.search}`));
      send(res, 202, undefined, { 'content-location': `${baseUrl}/$export-status/${id}` });
      return true;
    }
    if (await importRoute(req, res, method, segments)) return true;
    if (segments.length === 2 && first === '$export-status' && second !== undefined) {
      if (method === 'DELETE') {
        exports.delete(second);
        send(res, 202, undefined);
        return true;
      }
      if (method !== 'GET') throw new HttpProblem(405, outcome('not-supported', 'Use GET or DELETE'), { allow: 'GET, DELETE' });
      const answer = exports.status(second, baseUrl);
      send(res, answer.status, answer.body === undefined ? undefined : JSON.stringify(answer.body), { ...answer.headers, ...(answer.body === undefined ? {} : { 'content-type': 'application/json' }) });
      return true;
    }
    if (segments.length === 3 && first === '$export-file' && second !== undefined && third !== undefined && /^\d+$/.test(third)) {
      if (method !== 'GET') throw new HttpProblem(405, outcome('not-supported', 'Use GET'), { allow: 'GET' });
      if (exports.requiresAccessToken && req.headers.authorization === undefined) throw new HttpProblem(401, outcome('login', 'This export requires the access token'));
      const ndjson = exports.file(second, Number(third));
      if (!res.headersSent) {
        res.writeHead(200, { 'content-type': 'application/fhir+ndjson', 'content-length': Buffer.byteLength(ndjson), ...(closing ? { connection: 'close' } : {}) });
        res.end(ndjson);
      }
      return true;
    }
    return false;
  }

  /** The Bulk Data `$import` routes (see bulk-import.ts): kick-off, `$import-status/<job>`, `$import-error/<job>/<n>`. */
  async function importRoute(req: IncomingMessage, res: ServerResponse, method: string, segments: string[]): Promise<boolean> {
    const [first, second, third] = segments;
    if (segments.length === 1 && first === '$import') {
      if (method !== 'POST') throw new HttpProblem(405, outcome('not-supported', 'Use POST for $import'), { allow: 'POST' });
      const body = parseBody(req, await readBody(req, maxBodyBytes));
      const id = imports.kickOff(body, String(req.headers.prefer ?? ''), `${baseUrl}/$import`);
      send(res, 202, undefined, { 'content-location': `${baseUrl}/$import-status/${id}` });
      return true;
    }
    if (segments.length === 2 && first === '$import-status' && second !== undefined) {
      if (method === 'DELETE') {
        imports.delete(second);
        send(res, 202, undefined);
        return true;
      }
      const answer = imports.status(second, baseUrl);
      send(res, answer.status, answer.body === undefined ? undefined : JSON.stringify(answer.body), { ...answer.headers, ...(answer.body === undefined ? {} : { 'content-type': 'application/json' }) });
      return true;
    }
    if (segments.length === 3 && first === '$import-error' && second !== undefined && third !== undefined && /^\d+$/.test(third)) {
      const ndjson = imports.errorFile(second, Number(third));
      res.writeHead(200, { 'content-type': 'application/fhir+ndjson', 'content-length': Buffer.byteLength(ndjson), ...(closing ? { connection: 'close' } : {}) });
      res.end(ndjson);
      return true;
    }
    return false;
  }

  /** Sends a response; once closing, asks the client to drop the connection after it. */
  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const all = auth === undefined ? headers : { ...auth.responseHeaders, ...headers };
    sendJson(res, status, body, closing ? { ...all, connection: 'close' } : all);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpProblem) {
        send(res, error.status, error.outcome, error.headers);
        return;
      }
      // Never echo the error: it may quote request data.
      send(res, 500, outcome('exception', 'Internal server error'));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  baseUrl = `http://${urlHost(host)}:${actualPort}${BASE_PATH}`;
  try {
    await auth?.start(baseUrl);
  } catch (error) {
    server.close();
    throw error;
  }

  let closed: Promise<void> | undefined;
  return {
    baseUrl,
    port: actualPort,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve, reject) => {
        closing = true;
        const force = setTimeout(() => server.closeAllConnections(), closeGraceMs);
        server.close((error) => {
          clearTimeout(force);
          repo.clear();
          if (error === undefined) resolve();
          else reject(error);
        });
        // Idle keep-alive sockets would hold close() open until they time out.
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
