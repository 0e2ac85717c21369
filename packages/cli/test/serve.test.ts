import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { oneLineError, peerkit, tempDir } from './helpers';

const BIN = join(__dirname, '..', 'bin', 'peerkit.mjs');

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts `peerkit serve …` and resolves with the first stdout line. */
function serve(args: readonly string[]): { child: ChildProcessWithoutNullStreams; firstLine: Promise<string>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { stdio: 'pipe' });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`exited ${String(code)} before printing a line: ${err}`)));
  });
  return { child, firstLine, stderr: () => err };
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('peerkit serve', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'prints the FHIR base URL first, serves FHIR, and exits 0 on %s',
    async (signal) => {
      const { child, firstLine, stderr } = serve(['--port', '0']);
      const baseUrl = await firstLine;
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir$/);
      const metadata = await fetch(`${baseUrl}/metadata`);
      expect(metadata.status).toBe(200);
      expect(((await metadata.json()) as { resourceType: string }).resourceType).toBe('CapabilityStatement');
      const created = await fetch(`${baseUrl}/Patient`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify({ resourceType: 'Patient', active: true }),
      });
      expect(created.status).toBe(201);
      child.kill(signal);
      expect(await exited(child)).toBe(0);
      expect(stderr()).toContain('peerkit: server stopped');
    },
  );

  it('prints { baseUrl, host, port } as its first line with --json', async () => {
    const { child, firstLine } = serve(['--port', '0', '--json']);
    const first = JSON.parse(await firstLine) as { baseUrl: string; host: string; port: number };
    expect(first).toEqual({ baseUrl: `http://127.0.0.1:${first.port}/fhir`, host: '127.0.0.1', port: first.port });
    expect(first.port).toBeGreaterThan(0);
    expect((await fetch(`${first.baseUrl}/metadata`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('exits 2 with one line when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const run = peerkit(['serve', '--port', String(port)], __dirname);
      expect(run.code).toBe(2);
      expect(oneLineError(run)).toBe(`peerkit: cannot listen on 127.0.0.1 port ${port}: the port is in use (try --port 0)`);
    } finally {
      blocker.close();
    }
  });

  it.each([
    [['--host', '0.0.0.0'], 'peerkit: --host must be a loopback address'],
    [['--port', '70000'], 'peerkit: --port must be between 0 and 65535'],
    [['--port', 'x'], 'peerkit: --port must be a whole number'],
    [['extra.ndjson'], 'peerkit: serve takes no file argument'],
  ])('refuses %j with exit 2', (args, message) => {
    const run = peerkit(['serve', ...args], __dirname);
    expect(run.code).toBe(2);
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.stdout).toBe('');
  });
});

/** Starts `peerkit serve …` and resolves with its stdout once `lines` lines are printed. */
function serveLines(args: readonly string[], lines: number): { child: ChildProcessWithoutNullStreams; output: Promise<string[]>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { stdio: 'pipe' });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const output = new Promise<string[]>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const got = out.split('\n');
      if (got.length > lines) resolve(got.slice(0, lines));
    });
    child.once('exit', (code) => reject(new Error(`exited ${String(code)}: ${err}`)));
  });
  return { child, output, stderr: () => err };
}

/** A CDS client (an EHR) of the tests: its ES384 key, and a `--cds-clients` file trusting it. */
const CDS_ISSUER = 'https://ehr.example.org';
const cdsKey = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** A CDS client JWT (CDS Hooks 2.0 "Trusting CDS Clients") for `aud`, signed with `key` (ES384, JWS raw r||s). */
function cdsJwt(aud: string, key: KeyObject = cdsKey.privateKey, iss = CDS_ISSUER): string {
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64url(JSON.stringify({ alg: 'ES384', kid: 'ehr-key-1', typ: 'JWT' }))}.${b64url(JSON.stringify({ iss, sub: 'ehr-client-1', aud, iat: now, exp: now + 300, jti: randomUUID() }))}`;
  return `${head}.${b64url(sign('sha384', Buffer.from(head), { key, dsaEncoding: 'ieee-p1363' }))}`;
}

/** Writes a `--cds-clients` file trusting the tests' CDS client; returns its path. */
function cdsClientsFile(dir: string): string {
  const file = join(dir, 'cds-clients.json');
  const jwk = { ...cdsKey.publicKey.export({ format: 'jwk' }), kid: 'ehr-key-1', alg: 'ES384', use: 'sig' };
  writeFileSync(file, JSON.stringify([{ issuer: CDS_ISSUER, jwks: { keys: [jwk] } }]));
  return file;
}

/** POSTs a (deliberately empty) hook request: 401 when the call is not authenticated, 400 once it is. */
const callHook = (url: string, token?: string): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) }, body: '{}' });

const scratch = tempDir();
afterAll(() => scratch.cleanup());

describe('peerkit serve --auth smart --cds-hooks', () => {
  it('starts the FHIR server with SMART, the authorization server and launcher, the workspace app and CDS Hooks, and prints their URLs', async () => {
    const { child, output, stderr } = serveLines(['--port', '0', '--auth', 'smart', '--cds-hooks', '--cds-clients', cdsClientsFile(scratch.dir), '--json'], 1);
    const [line = ''] = await output;
    const urls = JSON.parse(line) as {
      baseUrl: string;
      smart: { issuer: string; launcherUrl: string; smartConfigurationUrl: string };
      app: { url: string; launchUrl: string; clientId: string } | { problem: string };
      cdsHooks: { discoveryUrl: string };
    };
    expect(urls.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir$/);

    // The FHIR server: capabilities public, data behind a bearer token, the SMART configuration on its base.
    expect((await fetch(`${urls.baseUrl}/metadata`)).status).toBe(200);
    const refused = await fetch(`${urls.baseUrl}/Patient`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    const config = (await (await fetch(urls.smart.smartConfigurationUrl)).json()) as { issuer: string; authorization_endpoint: string; capabilities: string[] };
    expect(config.issuer).toBe(urls.smart.issuer);
    expect(config.authorization_endpoint).toBe(`${urls.smart.issuer}/authorize`);
    expect(config.capabilities).toContain('launch-ehr');

    // The authorization server's keys and the EHR launcher page (it reads the FHIR server with its own token).
    expect((await fetch(`${urls.smart.issuer}/jwks`)).status).toBe(200);
    const launcher = await fetch(urls.smart.launcherUrl);
    expect(launcher.status).toBe(200);
    expect(await launcher.text()).toContain('EHR launcher');

    // The workspace app (built before these tests: @peerkit/workspace is a dev dependency), registered with the launcher.
    if (!('launchUrl' in urls.app)) throw new Error(`the workspace app is not served: ${urls.app.problem}`);
    const page = await fetch(urls.app.launchUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await fetch(new URL('workspace.js', urls.app.url))).headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(new URL('../../package.json', urls.app.url))).status).toBe(404);
    expect((await fetch(new URL('%2e%2e/%2e%2e/package.json', urls.app.url))).status).toBe(404);
    // The app's settings trust this run's FHIR server only.
    expect(await (await fetch(new URL('workspace-config.json', urls.app.url))).json()).toEqual({ fhirServers: [urls.baseUrl] });
    expect(await (await fetch(urls.smart.launcherUrl)).text()).toContain(`value="${urls.app.clientId}"`);

    // The CDS Hooks service: like the FHIR data, its services need a credential — the trusted CDS client's JWT.
    const discovery = (await (await fetch(urls.cdsHooks.discoveryUrl)).json()) as { services: { id: string }[] };
    expect(discovery.services.map((s) => s.id)).toContain('peerkit-patient-view');
    const service = `${urls.cdsHooks.discoveryUrl}/peerkit-patient-view`;
    const anonymous = await callHook(service);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    expect((await callHook(service, cdsJwt(service, generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey))).status).toBe(401);
    expect((await callHook(service, cdsJwt(service, cdsKey.privateKey, 'https://stranger.example.org'))).status).toBe(401);
    expect((await callHook(service, cdsJwt(`${urls.cdsHooks.discoveryUrl}/peerkit-order-sign`))).status).toBe(401);
    // Authenticated, the call reaches the service (which then checks the request: {} is not one).
    expect((await callHook(service, cdsJwt(service))).status).toBe(400);

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(stderr()).toContain('development-only');
  });

  it('prints one "name: URL" line per server after the FHIR base URL', async () => {
    const { child, output } = serveLines(['--port', '0', '--auth', 'smart', '--cds-hooks', '--cds-clients', cdsClientsFile(scratch.dir)], 4);
    const lines = await output;
    expect(lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir$/);
    expect(lines[1]).toMatch(/^authorization server: http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[2]).toMatch(/^EHR launcher: http:\/\/127\.0\.0\.1:\d+\/launcher$/);
    expect(lines[3]).toBe(`SMART configuration: ${lines[0]}/.well-known/smart-configuration`);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
  });

  it('refuses --cds-hooks with --auth smart but no --cds-clients, --cds-clients without --cds-hooks, and a clients file that is not one (exit 2, nothing started)', () => {
    const bad = join(scratch.dir, 'bad-clients.json');
    writeFileSync(bad, JSON.stringify([{ issuer: CDS_ISSUER }]));
    const plainHttp = join(scratch.dir, 'plain-http-clients.json');
    writeFileSync(plainHttp, JSON.stringify([{ issuer: CDS_ISSUER, jkuAllowList: ['http://keys.example.org/jwks.json'] }]));
    const cases: [string[], string][] = [
      [['--auth', 'smart', '--cds-hooks'], 'peerkit: --cds-hooks with --auth smart needs --cds-clients <file>: the CDS clients trusted to call it (the FHIR server requires tokens, so the CDS service is not left open)'],
      [['--cds-clients', bad], 'peerkit: --cds-clients goes with --cds-hooks'],
      [['--cds-hooks', '--cds-clients', bad], `peerkit: ${bad}: [0]: needs "jwks" or "jkuAllowList" (the client's public keys)`],
      [['--cds-hooks', '--cds-clients', plainHttp], `peerkit: ${plainHttp}: [0].jkuAllowList: must be a list of https URLs (http only on loopback)`],
    ];
    for (const [args, message] of cases) {
      const run = peerkit(['serve', '--port', '0', ...args], __dirname);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n')[0]).toBe(message);
      expect(run.stdout).toBe('');
    }
  });

  it('plain --cds-hooks (no --auth) stays open on loopback; with --cds-clients it needs the client’s JWT', async () => {
    for (const clients of [false, true]) {
      const { child, output } = serveLines(['--port', '0', '--cds-hooks', ...(clients ? ['--cds-clients', cdsClientsFile(scratch.dir)] : []), '--json'], 1);
      const urls = JSON.parse((await output)[0] ?? '') as { cdsHooks: { discoveryUrl: string } };
      const service = `${urls.cdsHooks.discoveryUrl}/peerkit-patient-view`;
      expect((await callHook(service)).status).toBe(clients ? 401 : 400);
      if (clients) expect((await callHook(service, cdsJwt(service))).status).toBe(400);
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
    }
  });

  it('refuses an unknown --auth mode with exit 2', () => {
    const run = peerkit(['serve', '--auth', 'basic'], __dirname);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^peerkit: --auth must be/);
  });

  it('--load writes FHIR resources with a development system token before printing the URLs: the launcher lists them', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'host.ndjson');
      const lines = [
        { resourceType: 'Patient', id: 'pat-load-1', name: [{ given: ['Robin'], family: 'Synthetic' }] },
        { resourceType: 'Practitioner', id: 'pr-load-1', name: [{ given: ['Sam'], family: 'Specialist' }] },
        { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/pat-load-1' } },
      ];
      writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      const { child, output, stderr } = serveLines(['--port', '0', '--auth', 'smart', '--load', file, '--json'], 1);
      const urls = JSON.parse((await output)[0] ?? '') as { baseUrl: string; smart: { launcherUrl: string } };
      expect(stderr()).toContain(`peerkit: loaded 3 FHIR resources from ${file}`);
      const launcher = await (await fetch(urls.smart.launcherUrl)).text();
      expect(launcher).toContain('Robin Synthetic (Patient/pat-load-1)');
      expect(launcher).toContain('Sam Specialist (Practitioner/pr-load-1)');
      expect((await fetch(`${urls.baseUrl}/Patient/pat-load-1`)).status).toBe(401);
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);

      writeFileSync(file, '{"resourceType":"Patient","id":"p2"}\nnot json\n');
      const bad = peerkit(['serve', '--port', '0', '--auth', 'smart', '--load', file], __dirname);
      expect(bad.code).toBe(2);
      expect(oneLineError(bad)).toBe(`peerkit: ${file} line 2: not JSON (expected one FHIR resource a line)`);
    } finally {
      cleanup();
    }
  });
});
