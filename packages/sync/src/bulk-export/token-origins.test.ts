/**
 * Where the access token goes in Bulk Data, over HTTP on loopback with two servers on different
 * ports — the FHIR base ("home") and another origin ("other", a file host or an attacker's) — that
 * record every request's Authorization header: the token reaches a manifest's files only when the
 * manifest says `requiresAccessToken` and the file is on the base's origin or one the caller
 * allowed (`fileTokenOrigins`); never the other origin otherwise — not through a redirect, not
 * through an `$export` or `$import` status URL.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Resource } from 'fhir/r4';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAST_RETRY } from '../../test/helpers';
import { bearerToken } from '../auth';
import { bulkImport } from '../bulk-import/import';
import { SYNC_ERROR_CODES } from '../errors';
import { bulkExport, type BulkExportOptions } from './export';
import { createBulkHttp } from './http';

const TOKEN = 'bearer-token-under-test';
const auth = bearerToken(TOKEN);

/** A loopback server that records each request (path, method, Authorization) and answers with `handler`. */
interface Recording {
  readonly origin: string;
  readonly seen: { method: string; path: string; authorization: string | undefined }[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}

async function recording(): Promise<Recording> {
  const seen: Recording['seen'] = [];
  const state: { handler: Recording['handler'] } = { handler: (_req, res) => void res.writeHead(404).end() };
  const http: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    req.on('end', () => state.handler(req, res));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    seen,
    get handler() {
      return state.handler;
    },
    set handler(h) {
      state.handler = h;
    },
    close: () => {
      http.closeAllConnections();
      return new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

const ndjson = (ids: readonly string[]): string => `${ids.map((id) => JSON.stringify({ resourceType: 'Patient', id })).join('\n')}\n`;

let home: Recording;
let other: Recording;
let base = '';
beforeAll(async () => {
  home = await recording();
  other = await recording();
  base = `${home.origin}/fhir`;
});
afterAll(async () => {
  await home.close();
  await other.close();
});
afterEach(() => {
  home.seen.length = 0;
  other.seen.length = 0;
});

/** The other origin never saw the token (nor any Authorization header). */
function expectNoTokenAtOther(): void {
  expect(other.seen.filter((s) => s.authorization !== undefined)).toEqual([]);
}

/** Home answers the kick-off and the status URL (`/fhir/status`) with a manifest of `output`; files by `files`. */
function exportServer(manifest: { requiresAccessToken: boolean; output: { type: string; url: string }[] }, files: (path: string, res: ServerResponse) => boolean = () => false): void {
  home.handler = (req, res) => {
    const path = req.url ?? '';
    if (path.startsWith('/fhir/$export')) return void res.writeHead(202, { 'content-location': `${base}/status` }).end();
    if (path === '/fhir/status') {
      if (req.method === 'DELETE') return void res.writeHead(202).end();
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ transactionTime: '2026-12-07T00:00:00Z', request: 'x', error: [], ...manifest }));
    }
    if (!files(path, res)) res.writeHead(404).end();
  };
}

async function drain(options: Partial<BulkExportOptions> = {}): Promise<string[]> {
  const ids: string[] = [];
  const run = bulkExport({ baseUrl: base, auth, pollIntervalMs: 1, retry: FAST_RETRY, ...options });
  for await (const resource of run as AsyncIterable<Resource>) ids.push(resource.id ?? '');
  return ids;
}

describe('bulkExport: the token and the manifest’s files', () => {
  it('sends the token to files on the base’s origin when the manifest requires it, and fails (coded) rather than send it to a file on another origin', async () => {
    other.handler = (_req, res) => void res.writeHead(200).end(ndjson(['o1']));
    exportServer({ requiresAccessToken: true, output: [{ type: 'Patient', url: `${base}/files/1` }, { type: 'Patient', url: `${other.origin}/files/2` }] }, (path, res) =>
      path === '/fhir/files/1' ? (res.writeHead(200).end(ndjson(['h1'])), true) : false,
    );
    await expect(drain()).rejects.toMatchObject({ code: SYNC_ERROR_CODES.bulkExportFailed, message: expect.stringMatching(/another origin.*fileTokenOrigins/) });
    expect(home.seen.find((s) => s.path === '/fhir/files/1')?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(other.seen).toEqual([]);
  });

  it('sends the token to another origin only when the caller allowed it (fileTokenOrigins), and to the status URL never', async () => {
    other.handler = (_req, res) => void res.writeHead(200).end(ndjson(['o1']));
    exportServer({ requiresAccessToken: true, output: [{ type: 'Patient', url: `${other.origin}/files/2` }] });
    expect(await drain({ fileTokenOrigins: [`${other.origin}/any/path`] })).toEqual(['o1']);
    expect(other.seen).toEqual([{ method: 'GET', path: '/files/2', authorization: `Bearer ${TOKEN}` }]);
    other.seen.length = 0;

    // The status URL on the allowed file host: still refused before anything is sent there.
    home.handler = (_req, res) => void res.writeHead(202, { 'content-location': `${other.origin}/status` }).end();
    await expect(drain({ fileTokenOrigins: [other.origin] })).rejects.toMatchObject({ code: SYNC_ERROR_CODES.bulkExportFailed, message: expect.stringMatching(/another origin/) });
    expect(other.seen).toEqual([]);
  });

  it('sends no token to any file when the manifest does not require it', async () => {
    other.handler = (_req, res) => void res.writeHead(200).end(ndjson(['o1']));
    exportServer({ requiresAccessToken: false, output: [{ type: 'Patient', url: `${base}/files/1` }, { type: 'Patient', url: `${other.origin}/files/2` }] }, (path, res) =>
      path === '/fhir/files/1' ? (res.writeHead(200).end(ndjson(['h1'])), true) : false,
    );
    expect(await drain()).toEqual(['h1', 'o1']);
    expect(home.seen.find((s) => s.path === '/fhir/files/1')?.authorization).toBeUndefined();
    expect(other.seen).toEqual([{ method: 'GET', path: '/files/2', authorization: undefined }]);
  });

  it('follows a file’s redirects, keeping the token on the base’s origin and dropping it for good at the first hop elsewhere', async () => {
    // home /files/1 → home /files/moved (token kept) → other /files/x (dropped) → home /files/back (stays dropped).
    other.handler = (_req, res) => void res.writeHead(307, { location: `${base}/files/back` }).end();
    exportServer({ requiresAccessToken: true, output: [{ type: 'Patient', url: `${base}/files/1` }] }, (path, res) => {
      if (path === '/fhir/files/1') return (res.writeHead(302, { location: '/fhir/files/moved' }).end(), true);
      if (path === '/fhir/files/moved') return (res.writeHead(301, { location: `${other.origin}/files/x` }).end(), true);
      if (path === '/fhir/files/back') return (res.writeHead(200).end(ndjson(['h1', 'h2'])), true);
      return false;
    });
    expect(await drain()).toEqual(['h1', 'h2']);
    const hops = home.seen.filter((s) => s.path.startsWith('/fhir/files/')).map((s) => [s.path, s.authorization]);
    expect(hops).toEqual([
      ['/fhir/files/1', `Bearer ${TOKEN}`],
      ['/fhir/files/moved', `Bearer ${TOKEN}`],
      ['/fhir/files/back', undefined],
    ]);
    expect(other.seen.map((s) => s.path)).toEqual(['/files/x']);
    expectNoTokenAtOther();
  });

  it('follows a status URL’s redirect to another origin without the token, and refuses a redirect to plain http off loopback', async () => {
    other.handler = (_req, res) =>
      void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ transactionTime: '2026-12-07T00:00:00Z', request: 'x', requiresAccessToken: true, output: [{ type: 'Patient', url: `${base}/files/1` }], error: [] }));
    home.handler = (req, res) => {
      const path = req.url ?? '';
      if (path.startsWith('/fhir/$export')) return void res.writeHead(202, { 'content-location': `${base}/status` }).end();
      if (path === '/fhir/status') return void res.writeHead(req.method === 'DELETE' ? 202 : 302, { location: `${other.origin}/status` }).end();
      if (path === '/fhir/files/1') return void res.writeHead(200).end(ndjson(['h1']));
      res.writeHead(404).end();
    };
    expect(await drain()).toEqual(['h1']);
    expect(other.seen.length).toBeGreaterThan(0);
    expectNoTokenAtOther();
    expect(home.seen.find((s) => s.path === '/fhir/files/1')?.authorization).toBe(`Bearer ${TOKEN}`);

    home.handler = (req, res) =>
      (req.url ?? '').startsWith('/fhir/$export')
        ? void res.writeHead(202, { 'content-location': `${base}/status` }).end()
        : void res.writeHead(302, { location: 'http://files.example.org/status' }).end();
    await expect(drain()).rejects.toMatchObject({ code: SYNC_ERROR_CODES.insecureUrl });
  });

  it('refuses a fileTokenOrigins entry that is not a URL (coded) before any request', async () => {
    expect(() => createBulkHttp({ baseUrl: base, auth, timeoutMs: 1000, allowInsecureHttp: false, fileTokenOrigins: ['not a url'] })).toThrow(expect.objectContaining({ code: SYNC_ERROR_CODES.invalidOption }));
    expect(home.seen).toEqual([]);
  });
});

describe('bulkImport: the token and the status URL', () => {
  const inputs = [{ type: 'Patient', url: `http://127.0.0.1:9/Patient.ndjson` }];
  const done = { transactionTime: '2026-12-07T00:00:00Z', requiresAccessToken: true, output: [{ type: 'Patient', count: 2, inputUrl: 'http://127.0.0.1:9/Patient.ndjson' }], error: [] };
  const poll = { pollIntervalMs: 1, maxPollIntervalMs: 5, maxWaitMs: 30_000 };

  it('never polls a status URL on another origin with the token (coded sync.bulk-import-failed, nothing sent there)', async () => {
    other.handler = (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(done));
    home.handler = (_req, res) => void res.writeHead(202, { 'content-location': `${other.origin}/import-status/1` }).end();
    await expect(bulkImport({ baseUrl: base, auth, inputs, requireOffered: false, poll, retry: FAST_RETRY })).rejects.toMatchObject({ code: SYNC_ERROR_CODES.bulkImportFailed, message: expect.stringMatching(/another origin/) });
    expect(home.seen.map((s) => [s.method, s.path, s.authorization])).toEqual([['POST', '/fhir/$import', `Bearer ${TOKEN}`]]);
    expect(other.seen).toEqual([]);
  });

  it('polls a relative status URL on the base with the token, and follows its redirect to another origin without it', async () => {
    other.handler = (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(done));
    let polls = 0;
    home.handler = (req, res) => {
      if (req.method === 'POST') return void res.writeHead(202, { 'content-location': 'import-status/1' }).end();
      // The first poll: not ready; the second: the result lives on the other origin.
      if (++polls === 1) return void res.writeHead(202, { 'retry-after': '0', 'x-progress': 'reading' }).end();
      res.writeHead(303, { location: `${other.origin}/import-status/1/result` }).end();
    };
    const summary = await bulkImport({ baseUrl: base, auth, inputs, requireOffered: false, poll, retry: FAST_RETRY });
    expect(summary).toMatchObject({ imported: 2, refused: 0, statusUrl: `${base}/import-status/1` });
    expect(home.seen.map((s) => [s.method, s.path, s.authorization])).toEqual([
      ['POST', '/fhir/$import', `Bearer ${TOKEN}`],
      ['GET', '/fhir/import-status/1', `Bearer ${TOKEN}`],
      ['GET', '/fhir/import-status/1', `Bearer ${TOKEN}`],
    ]);
    expect(other.seen.map((s) => [s.method, s.path])).toEqual([['GET', '/import-status/1/result']]);
    expectNoTokenAtOther();
  });

  it('never sends the token for an error file on another origin (the client the import’s Provenance reads them with)', async () => {
    other.handler = (_req, res) => void res.writeHead(200).end('{}\n');
    const http = createBulkHttp({ baseUrl: base, auth, timeoutMs: 5000, allowInsecureHttp: false, failureCode: SYNC_ERROR_CODES.bulkImportFailed });
    await expect(http.send(`${other.origin}/errors/1.ndjson`, { authorize: true, file: true })).rejects.toMatchObject({ code: SYNC_ERROR_CODES.bulkImportFailed });
    const plain = await http.send(`${other.origin}/errors/1.ndjson`, { authorize: false, file: true });
    expect(plain).toMatchObject({ kind: 'response', status: 200 });
    if (plain.kind === 'response') await plain.body?.cancel();
    expect(other.seen).toEqual([{ method: 'GET', path: '/errors/1.ndjson', authorization: undefined }]);
  });
});
