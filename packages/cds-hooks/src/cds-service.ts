/**
 * The CDS service over `node:http`: discovery, the hooks, feedback, CORS, JWT authentication of the
 * calling client, and errors as OperationOutcome-like bodies that name fields, never values.
 *
 * See: https://cds-hooks.hl7.org/2.0/
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PAYER_PACKS, type PayerPack } from '@peerkit/billing';
import { toOperationOutcome, type Issue } from '@peerkit/model';
import { createClientAuthenticator, type AuthenticatedClient, type ClientAuthOptions } from './client-auth';
import { checkFeedback } from './feedback';
import { ENCOUNTER_DISCHARGE_HOOK } from './hooks/encounter-discharge';
import type { CdsHook } from './hooks/hook';
import { ORDER_SIGN_HOOK } from './hooks/order-sign';
import { PATIENT_VIEW_HOOK } from './hooks/patient-view';
import { resolvePrefetch, type ResolvePrefetchOptions } from './prefetch';
import { checkCdsRequest } from './request';
import type { CdsServiceDefinition, ReceivedFeedback } from './types';

/** PeerKit's hooks: patient-view, order-sign, encounter-discharge. */
export const CDS_HOOKS: readonly CdsHook[] = [PATIENT_VIEW_HOOK, ORDER_SIGN_HOOK, ENCOUNTER_DISCHARGE_HOOK];

/** Options of {@link createCdsService}. */
export interface CdsServiceOptions {
  /**
   * How calling clients are authenticated: the trusted clients and JWT settings, or `false` to accept
   * unauthenticated calls (development on loopback only). Required: there is no silent default.
   */
  auth: ClientAuthOptions | false;
  /**
   * The service's public base URL, e.g. `https://cds.example.org/peerkit`: its path prefixes the routes
   * and `{baseUrl}/cds-services/{id}` is the JWT `aud` expected. Default: `http://` + the request's
   * `Host` header (set it in production).
   */
  baseUrl?: string;
  /** The hooks served. Default {@link CDS_HOOKS}. */
  hooks?: readonly CdsHook[];
  /** Payer packs order-sign checks eligibility against (matched by coverage payer id). Default `PAYER_PACKS` of `@peerkit/billing`. */
  payerPacks?: readonly PayerPack[];
  /** How missing prefetch is fetched. Default: see {@link ResolvePrefetchOptions}. */
  prefetch?: ResolvePrefetchOptions;
  /** Called with each valid feedback post. Default: feedback is acknowledged and dropped. */
  onFeedback?: (feedback: ReceivedFeedback) => void | Promise<void>;
  /** Origins allowed by CORS. Default `'*'` (any origin, as the spec's browser clients need). */
  allowedOrigins?: '*' | readonly string[];
  /** Largest request body, in bytes; larger ones get 413. Default 5 MiB. */
  maxBodyBytes?: number;
  /** The clock. Default `() => new Date()`. */
  now?: () => Date;
  /** UUIDs of cards and suggestions. Default `crypto.randomUUID`. */
  newId?: () => string;
}

/** A `node:http` request handler. */
export type CdsRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly issues: readonly Issue[],
  ) {
    super(issues[0]?.message ?? 'error');
  }
}

const problem = (status: number, code: `${string}.${string}`, message: string, path: (string | number)[] = []): HttpProblem =>
  new HttpProblem(status, [{ severity: 'error', code, path, message }]);

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw problem(413, 'request.too-large', `the request body is over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw problem(400, 'request.not-json', 'the request body must be JSON');
  }
}

/**
 * Creates the CDS service as a `node:http` request handler: `GET {base}/cds-services` (discovery),
 * `POST {base}/cds-services/{id}` (a hook call) and `POST {base}/cds-services/{id}/feedback`. An unknown
 * service is 404, a missing or bad JWT 401, a malformed request 400 (an OperationOutcome naming the
 * fields). CORS preflight is answered for browser clients.
 *
 * @param options - authentication, public base URL, hooks, payer packs, feedback; see {@link CdsServiceOptions}
 * @returns the request handler, for `http.createServer` or a route of an existing server
 * @example
 * const handler = createCdsService({ auth: { clients: [{ issuer: 'https://ehr.example.org', jwks }] }, baseUrl: 'https://cds.example.org' });
 * http.createServer(handler).listen(8443);
 * See: https://cds-hooks.hl7.org/2.0/#discovery, https://cds-hooks.hl7.org/2.0/#calling-a-cds-service
 */
export function createCdsService(options: CdsServiceOptions): CdsRequestHandler {
  const hooks = options.hooks ?? CDS_HOOKS;
  const byId = new Map(hooks.map((hook) => [hook.definition.id, hook]));
  const discovery: { services: CdsServiceDefinition[] } = { services: hooks.map((hook) => hook.definition) };
  const authenticator = options.auth === false ? undefined : createClientAuthenticator(options.auth);
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomUUID;
  const payerPacks = options.payerPacks ?? PAYER_PACKS;
  const maxBody = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const origins = options.allowedOrigins ?? '*';
  const fixedBase = options.baseUrl?.replace(/\/+$/, '');

  const cors = (req: IncomingMessage, res: ServerResponse): void => {
    const origin = req.headers.origin;
    if (origins === '*') res.setHeader('access-control-allow-origin', '*');
    else if (origin !== undefined && origins.includes(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
    }
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', 'Authorization, Content-Type, Accept');
    res.setHeader('access-control-expose-headers', 'Origin, Accept, Content-Location, Location, X-Requested-With');
  };

  const send = (res: ServerResponse, status: number, body?: unknown): void => {
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
  };

  const authenticate = async (req: IncomingMessage, audience: string[]): Promise<AuthenticatedClient | undefined> => {
    if (authenticator === undefined) return undefined;
    const result = await authenticator.authenticate(req.headers.authorization, audience);
    if (!result.ok) throw new HttpProblem(401, result.issues);
    return result.value;
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const base = fixedBase ?? `http://${req.headers.host ?? 'localhost'}`;
    const basePath = new URL(base).pathname.replace(/\/+$/, '');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!path.startsWith(`${basePath}/cds-services`)) throw problem(404, 'request.not-found', 'no such endpoint');
    const rest = path.slice(`${basePath}/cds-services`.length).split('/').filter((s) => s !== '');
    if (req.method === 'OPTIONS') return send(res, 204);
    if (rest.length === 0) {
      if (req.method !== 'GET') throw problem(405, 'request.method', 'the discovery endpoint takes GET');
      return send(res, 200, discovery);
    }
    let id: string;
    try {
      id = decodeURIComponent(rest[0] ?? '');
    } catch {
      throw problem(404, 'request.unknown-service', 'no CDS service with this id', ['id']);
    }
    const hook = byId.get(id);
    const feedback = rest.length === 2 && rest[1] === 'feedback';
    if (hook === undefined || rest.length > 2 || (rest.length === 2 && !feedback)) throw problem(404, 'request.unknown-service', 'no CDS service with this id', ['id']);
    if (req.method !== 'POST') throw problem(405, 'request.method', 'a CDS service takes POST');
    const serviceUrl = `${base}/cds-services/${hook.definition.id}`;
    const client = await authenticate(req, feedback ? [serviceUrl, `${serviceUrl}/feedback`] : [serviceUrl]);
    const body = await readJson(req, maxBody);
    if (feedback) {
      const entries = checkFeedback(body);
      if (!entries.ok) throw new HttpProblem(400, entries.issues);
      await options.onFeedback?.({ serviceId: hook.definition.id, ...(client === undefined ? {} : { client: client.issuer }), feedback: entries.value });
      return send(res, 200);
    }
    const request = checkCdsRequest(body, hook.definition.hook, hook.contextFields, hook.contextObjects);
    if (!request.ok) throw new HttpProblem(400, request.issues);
    const resolved = await resolvePrefetch(request.value, hook.definition.prefetch, options.prefetch);
    const at = now();
    return send(res, 200, hook.answer({ request: request.value, data: resolved.data, missing: resolved.missing, now: at, newId, payerPacks }));
  };

  return (req, res) => {
    cors(req, res);
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof HttpProblem) return send(res, error.status, toOperationOutcome(error.issues));
      send(res, 500, toOperationOutcome([{ severity: 'error', code: 'cds.internal', path: [], message: 'the service failed to answer' }]));
    });
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Options of {@link startCdsService}. */
export interface StartCdsServiceOptions extends CdsServiceOptions {
  /** TCP port. Default 0: the system picks a free one. */
  port?: number;
  /** Interface to listen on. Default `'127.0.0.1'`; another than loopback needs `auth` configured. */
  host?: string;
}

/** A running CDS service. */
export interface RunningCdsService {
  /** The service's base URL, e.g. `http://127.0.0.1:43117` (discovery is `{baseUrl}/cds-services`). */
  readonly baseUrl: string;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/**
 * Starts the CDS service on its own HTTP server (loopback by default).
 *
 * @param options - the service options, plus `port` and `host`; `baseUrl` defaults to the listening URL
 * @returns the base URL and `close`
 * @example
 * const cds = await startCdsService({ auth: false });
 * await fetch(`${cds.baseUrl}/cds-services`);
 * await cds.close();
 */
export async function startCdsService(options: StartCdsServiceOptions): Promise<RunningCdsService> {
  const { port = 0, host = '127.0.0.1', ...serviceOptions } = options;
  if (serviceOptions.auth === false && !LOOPBACK.test(host)) {
    throw new Error('auth: false is for loopback development only: configure the trusted CDS clients to listen on another interface');
  }
  let handler: CdsRequestHandler | undefined;
  const server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const baseUrl = serviceOptions.baseUrl ?? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  handler = createCdsService({ ...serviceOptions, baseUrl });
  let closing: Promise<void> | undefined;
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
