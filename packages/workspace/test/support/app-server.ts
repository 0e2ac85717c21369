/**
 * Serves the built app and, on the same origin, forwards `/fhir/*` to a FHIR server: what a host does
 * when it serves the app beside its FHIR API (no CORS needed). Loopback only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { WORKSPACE_CLIENT, workspaceAppDir, type WorkspaceConfig } from '../../src/index';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** A running app server. */
export interface AppServer {
  /** `http://127.0.0.1:<port>/app/` */
  readonly appUrl: string;
  /** `http://127.0.0.1:<port>/fhir` (forwarded to the FHIR server). */
  readonly fhirUrl: string;
  close(): Promise<void>;
}

function forward(fhirBaseUrl: string, req: IncomingMessage, res: ServerResponse): void {
  const target = new URL(fhirBaseUrl);
  const upstream = request(`${fhirBaseUrl}${(req.url ?? '').slice('/fhir'.length)}`, { method: req.method, headers: { ...req.headers, host: target.host } }, (reply) => {
    res.writeHead(reply.statusCode ?? 502, reply.headers);
    reply.pipe(res);
  });
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
}

/**
 * Starts the server on a free loopback port.
 *
 * @param fhirBaseUrl - the FHIR server `/fhir/*` goes to; none: `/fhir` answers 404 (the app calls the FHIR server itself, with CORS)
 * @param options.config - the `workspace-config.json` to serve, asked for at each request; none: 404 (any server)
 */
export async function startAppServer(fhirBaseUrl?: string, options: { config?: () => WorkspaceConfig | undefined } = {}): Promise<AppServer> {
  if (!existsSync(join(workspaceAppDir, 'index.html'))) throw new Error(`The app is not built (${workspaceAppDir}): run npm run build in packages/workspace`);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (fhirBaseUrl !== undefined && (path === '/fhir' || path.startsWith('/fhir/'))) return forward(fhirBaseUrl.replace(/\/+$/, ''), req, res);
    if (!path.startsWith('/app/')) return void res.writeHead(404).end();
    if (path === `/app/${WORKSPACE_CLIENT.configPath}`) {
      const config = options.config?.();
      if (config === undefined) return void res.writeHead(404).end();
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config));
    }
    const file = normalize(join(workspaceAppDir, path.slice('/app/'.length) || 'index.html'));
    if (!file.startsWith(workspaceAppDir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    appUrl: `http://127.0.0.1:${port}/app/`,
    fhirUrl: `http://127.0.0.1:${port}/fhir`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
