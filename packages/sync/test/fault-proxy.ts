import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with one request. */
export type Fault =
  /** Answer this without forwarding (the server never sees the request). */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Forward it (the server commits), then answer this instead of the server's answer. */
  | { kind: 'status-after'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Close the connection without forwarding. */
  | { kind: 'drop-before' }
  /** Forward it (the server commits), then close the connection without answering. */
  | { kind: 'drop-after' }
  /** Forward it, then answer after `ms` (for time limits). */
  | { kind: 'delay'; ms: number }
  /** Forward it, then answer with the server's JSON body changed by `rewrite` (an empty one stays empty), its headers and extra ones. */
  | { kind: 'rewrite'; rewrite: (body: unknown) => unknown; headers?: Record<string, string> };

/** One request the proxy saw. */
export interface ProxyRequest {
  n: number;
  method: string;
  path: string;
  fault: Fault['kind'] | 'forward';
}

/** A loopback proxy in front of a FHIR server that injects faults. */
export interface FaultProxy {
  /** The proxy's FHIR base URL (same path as the target's). */
  baseUrl: string;
  /** Every request, in arrival order. */
  requests: ProxyRequest[];
  close(): Promise<void>;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

/**
 * Starts the proxy on 127.0.0.1. `plan` decides per request (numbered from 1 in arrival order);
 * undefined forwards it untouched. Every fault is bounded: delays are explicit, drops immediate.
 */
export async function startFaultProxy(
  target: string,
  plan: (request: { n: number; method: string; path: string }) => Fault | undefined,
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const requests: ProxyRequest[] = [];
  const sockets = new Set<Socket>();
  let n = 0;

  async function forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Headers; body: Buffer }> {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(key) && typeof value === 'string') headers[key] = value;
    }
    const res = await fetch(`${upstream.origin}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
    });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  }

  function answer(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      n++;
      const info = { n, method: req.method ?? 'GET', path: req.url ?? '/' };
      const fault = plan(info);
      requests.push({ ...info, fault: fault?.kind ?? 'forward' });
      if (fault?.kind === 'status') {
        answer(res, fault.status, fault.headers ?? {}, fault.body ?? { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] });
        return;
      }
      if (fault?.kind === 'drop-before') {
        req.socket.destroy();
        return;
      }
      const reply = await forward(req, body);
      switch (fault?.kind) {
        case 'drop-after':
          req.socket.destroy();
          return;
        case 'status-after':
          answer(res, fault.status, fault.headers ?? {}, fault.body ?? { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] });
          return;
        case 'delay':
          await new Promise((resolve) => setTimeout(resolve, fault.ms));
          break;
        case 'rewrite': {
          // An empty body (an answer to `Prefer: return=minimal`) stays empty; the server's own
          // headers (Location, ETag) go along with the extra ones.
          const rewritten = reply.body.length === 0 ? undefined : fault.rewrite(JSON.parse(reply.body.toString('utf8')));
          const upstream: Record<string, string> = {};
          reply.headers.forEach((value, key) => {
            if (!HOP_BY_HOP.has(key) && key !== 'content-encoding' && key !== 'content-length') upstream[key] = value;
          });
          answer(res, reply.status, { ...upstream, ...(fault.headers ?? {}) }, rewritten);
          return;
        }
        default:
          break;
      }
      if (res.destroyed) return;
      const headers: Record<string, string> = {};
      reply.headers.forEach((value, key) => {
        if (!HOP_BY_HOP.has(key) && key !== 'content-encoding') headers[key] = value;
      });
      res.writeHead(reply.status, { ...headers, 'content-length': reply.body.length });
      res.end(reply.body);
    })().catch(() => {
      if (!res.headersSent) res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/+$/, '')}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback proxy that enforces a request quota per window, as a rate-limited server does. */
export interface QuotaProxy extends FaultProxy {
  /** 429 answers it gave (the quota was used up). */
  readonly throttled: number;
}

/**
 * Starts a proxy on 127.0.0.1 that lets `quota` requests through per `windowMs` (the window starts
 * at its first request), adds the rate-limit headers to every answer it forwards — the IETF draft's
 * `RateLimit` and `RateLimit-Policy` (`style: 'ietf'`) or `X-RateLimit-Limit/Remaining/Reset` with
 * an epoch reset (`style: 'x'`) — and answers 429 with `Retry-After` once the quota is used up.
 * Reset times are rounded up to whole seconds, as the headers carry them.
 */
export async function startQuotaProxy(target: string, options: { quota: number; windowMs: number; style: 'ietf' | 'x' }): Promise<QuotaProxy> {
  let windowStart: number | undefined;
  let used = 0;
  let throttled = 0;
  const seconds = (now: number): number => Math.max(1, Math.ceil(((windowStart ?? now) + options.windowMs - now) / 1000));
  const headers = (now: number): Record<string, string> => {
    const left = Math.max(0, options.quota - used);
    return options.style === 'ietf'
      ? { ratelimit: `"window";r=${left};t=${seconds(now)}`, 'ratelimit-policy': `"window";q=${options.quota};w=${Math.ceil(options.windowMs / 1000)}` }
      : {
          'x-ratelimit-limit': String(options.quota),
          'x-ratelimit-remaining': String(left),
          'x-ratelimit-reset': String(Math.ceil(((windowStart ?? now) + options.windowMs) / 1000)),
        };
  };
  const proxy = await startFaultProxy(target, () => {
    const now = Date.now();
    if (windowStart === undefined || now >= windowStart + options.windowMs) {
      windowStart = now;
      used = 0;
    }
    if (used >= options.quota) {
      throttled++;
      return { kind: 'status', status: 429, headers: { 'retry-after': String(seconds(now)), ...headers(now) } };
    }
    used++;
    return { kind: 'rewrite', rewrite: (body) => body, headers: headers(now) };
  });
  return {
    ...proxy,
    get throttled() {
      return throttled;
    },
  };
}
