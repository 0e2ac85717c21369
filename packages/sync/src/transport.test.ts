import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthProvider } from './auth';
import { SyncError } from './errors';
import { createFhirTransport, debugEnablesClientLogging } from './transport';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
const seen: { method: string; url: string; authorization: string | undefined }[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers }).end(JSON.stringify(body));
}

describe('createFhirTransport', () => {
  it('returns status, headers and body of a success', async () => {
    handler = (_req, res) => json(res, 200, { resourceType: 'Bundle', type: 'searchset' }, { etag: 'W/"3"', ratelimit: '"d";r=9;t=1' });
    const reply = await createFhirTransport({ baseUrl: base }).get('Patient?identifier=x');
    expect(reply).toMatchObject({ kind: 'response', status: 200, body: { resourceType: 'Bundle' } });
    expect(reply.kind === 'response' && reply.headers.get('ratelimit')).toBe('"d";r=9;t=1');
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/fhir/Patient?identifier=x' });
  });

  it('returns status, headers and OperationOutcome of an error (fhir-kit-client throws; the headers survive)', async () => {
    handler = (_req, res) => json(res, 429, { resourceType: 'OperationOutcome', issue: [] }, { 'retry-after': '7' });
    const reply = await createFhirTransport({ baseUrl: base }).transaction({ resourceType: 'Bundle', type: 'transaction', entry: [] });
    expect(reply).toMatchObject({ kind: 'response', status: 429, body: { resourceType: 'OperationOutcome' } });
    expect(reply.kind === 'response' && reply.headers.get('retry-after')).toBe('7');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/fhir/' });
  });

  it('keeps the status of an answer that is not JSON (a proxy’s HTML page)', async () => {
    handler = (_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
    const reply = await createFhirTransport({ baseUrl: base }).get('metadata');
    expect(reply).toMatchObject({ kind: 'response', status: 502, body: undefined });
  });

  it('reports a dropped connection as a network failure with the system code', async () => {
    handler = (req) => req.socket.destroy();
    const reply = await createFhirTransport({ baseUrl: base }).get('metadata');
    expect(reply.kind).toBe('network');
    expect(reply.kind === 'network' && reply.code).toMatch(/^[A-Z_]+$/);
  });

  it('reports no answer within timeoutMs as a timeout', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, { resourceType: 'Bundle' }), 300);
    const reply = await createFhirTransport({ baseUrl: base, timeoutMs: 50 }).get('metadata');
    expect(reply).toEqual({ kind: 'timeout' });
  });

  it('rejects with the reason when the caller aborts', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, { resourceType: 'Bundle' }), 300);
    const controller = new AbortController();
    const pending = createFhirTransport({ baseUrl: base }).get('metadata', { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });

  it('sends the Authorization header and, after a 401, tries once more with a fresh token', async () => {
    let n = 0;
    const auth: AuthProvider = { authorization: () => Promise.resolve(`Bearer t${++n}`), invalidate: () => true };
    handler = (req, res) => (req.headers.authorization === 'Bearer t1' ? json(res, 401, { resourceType: 'OperationOutcome', issue: [] }) : json(res, 200, { resourceType: 'Patient' }));
    const reply = await createFhirTransport({ baseUrl: base, auth }).get('Patient/1');
    expect(reply).toMatchObject({ kind: 'response', status: 200 });
    expect(seen.slice(-2).map((s) => s.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('does not retry a 401 when the token cannot be refreshed', async () => {
    const before = seen.length;
    handler = (_req, res) => json(res, 401, { resourceType: 'OperationOutcome', issue: [] });
    const reply = await createFhirTransport({ baseUrl: base, auth: { authorization: () => Promise.resolve('Bearer x'), invalidate: () => false } }).get('Patient/1');
    expect(reply).toMatchObject({ kind: 'response', status: 401 });
    expect(seen.length - before).toBe(1);
  });

  it('refuses to send a request (and its token) to another server', async () => {
    const transport = createFhirTransport({ baseUrl: base, auth: { authorization: () => Promise.resolve('Bearer secret'), invalidate: () => false } });
    await expect(transport.get('https://elsewhere.example.org/fhir/Patient?page=2')).rejects.toThrow(SyncError);
  });

  it.each([
    ['http://fhir.example.org/r4', 'sync.insecure-url'],
    ['ftp://127.0.0.1/fhir', 'sync.invalid-option'],
    ['not a url', 'sync.invalid-option'],
  ])('refuses the base URL %s', (baseUrl, code) => {
    expect(() => createFhirTransport({ baseUrl })).toThrow(SyncError);
    try {
      createFhirTransport({ baseUrl });
    } catch (error) {
      expect((error as SyncError).code).toBe(code);
    }
  });

  it.each(['http://localhost:8080/fhir', 'http://[::1]:8080/fhir', 'http://127.0.0.2/fhir', 'https://fhir.example.org/r4'])('accepts %s', (baseUrl) => {
    expect(createFhirTransport({ baseUrl }).baseUrl).toBe(baseUrl);
  });

  it('accepts plain http to another host only when allowed', () => {
    expect(createFhirTransport({ baseUrl: 'http://fhir.example.org/r4', allowInsecureHttp: true }).baseUrl).toBe('http://fhir.example.org/r4');
  });
});

describe('debugEnablesClientLogging', () => {
  it.each<[string | undefined, boolean]>([
    [undefined, false],
    ['', false],
    ['*', true],
    ['fhir-kit-client:*', true],
    ['fhir-kit-client:info', true],
    ['express:*,fhir-kit-client:error', true],
    ['*,-fhir-kit-client:*', false],
    ['express:*', false],
    ['fhir-kit*', true],
  ])('DEBUG=%j → %s', (value, expected) => {
    expect(debugEnablesClientLogging(value)).toBe(expected);
  });
});
