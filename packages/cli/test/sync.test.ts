import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import { clinicToNdjson, generateClinic, parseClinicExport, type ClinicRecord } from '@peerkit/model';
import { REDISCLOSURE_NOTICE_TAG } from '@peerkit/safeguards';
import { entryKey, toSyncEntries } from '@peerkit/sync';
import type { Bundle, BundleEntry, DocumentReference, Provenance } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../sync/test/fault-proxy';
import { oneLineError, peerkit, peerkitAsync, tempDir, type Run } from './helpers';

const BIN = join(__dirname, '..', 'bin', 'peerkit.mjs');

let dir: string;
let cleanup: () => void;
const servers: FhirServer[] = [];
const proxies: FaultProxy[] = [];
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
  for (const server of servers.splice(0)) await server.close();
  cleanup();
});

async function server(): Promise<FhirServer> {
  const s = await startFhirServer();
  servers.push(s);
  return s;
}

/** Writes a generated clinic to dir/clinic.ndjson; returns the entries a sync of it sends. */
function clinic(seed: number, peers = 10, weeks = 3): BundleEntry[] {
  const generated = generateClinic({ seed, peers, weeks });
  const text = clinicToNdjson(generated);
  writeFileSync(join(dir, 'clinic.ndjson'), text);
  const records = parseClinicExport(text).flatMap((e) => (e.result.ok ? [e.result.value as ClinicRecord] : []));
  const entries = toSyncEntries(records);
  if (!entries.ok) throw new Error('mapping failed');
  return entries.value;
}

/** Runs the CLI in the test's directory without blocking (the in-process server must keep answering meanwhile). */
const cli = (args: readonly string[], env: Record<string, string> = {}): Promise<Run> => peerkitAsync(args, dir, env);

/** Every entry's conditional search finds exactly one resource on the server. */
async function expectEachOnce(base: string, entries: BundleEntry[]): Promise<void> {
  const wrong: Record<string, number> = {};
  for (const entry of entries) {
    const key = entryKey(entry) ?? '';
    const total = ((await (await fetch(`${base}/${key}`)).json()) as Bundle).total ?? -1;
    if (total !== 1) wrong[key] = total;
  }
  expect(wrong).toEqual({});
}

/** The §2.32 notices a gated sync wrote to a server (DocumentReferences tagged part2-redisclosure-notice). */
async function noticesOn(baseUrl: string): Promise<number> {
  const tag = `${encodeURIComponent(REDISCLOSURE_NOTICE_TAG.system)}|${REDISCLOSURE_NOTICE_TAG.code}`;
  return ((await (await fetch(`${baseUrl}/DocumentReference?_tag=${tag}&_summary=count`)).json()) as Bundle).total ?? 0;
}

describe('peerkit sync', () => {
  it('moves a generated clinic onto the server exactly once, also when run twice (--json summary)', async () => {
    const s = await server();
    const entries = clinic(11);
    const first = await cli(['sync', 'clinic.ndjson', '--server', s.baseUrl, '--batch', '40', '--json']);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ resources: entries.length, confirmed: entries.length, retried: 0, deadLettered: 0, withheld: 0, pending: 0, exitCode: 0 });
    expect(first.stdout.trim().split('\n')).toHaveLength(1);
    const second = await cli(['sync', 'clinic.ndjson', '--server', s.baseUrl, '--json']);
    expect(second.code).toBe(0);
    await expectEachOnce(s.baseUrl, entries);
    // Each run wrote its Provenance: author the clinic's Organization (as stored on the server), transmitter PeerKit.
    const provenance = ((await (await fetch(`${s.baseUrl}/Provenance?_tag=https://peerkit.dev/fhir/CodeSystem/sync-run|&_count=100`)).json()) as Bundle).entry ?? [];
    expect(provenance.length).toBeGreaterThan(0);
    for (const { resource } of provenance) {
      const agents = (resource as Provenance).agent;
      const author = agents.find((a) => a.type?.coding?.[0]?.code === 'author')?.who.reference ?? '';
      expect(author).toMatch(/^Organization\/[^?]+$/);
      expect((await fetch(`${s.baseUrl}/${author}`)).status).toBe(200);
      expect(agents.find((a) => a.type?.coding?.[0]?.code === 'transmitter')?.who.display).toBe('PeerKit sync');
    }
  }, 120_000);

  it('moves it exactly once through injected faults and prints a plain summary', async () => {
    const s = await server();
    const entries = clinic(12);
    let posts = 0;
    const faults = [
      { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
      { kind: 'drop-after' },
      { kind: 'status', status: 503, headers: { 'retry-after': new Date(0).toUTCString() } },
      { kind: 'status-after', status: 502 },
      { kind: 'drop-before' },
      { kind: 'delay', ms: 1500 },
    ] as const;
    const proxy = await startFaultProxy(s.baseUrl, ({ method }) => {
      if (method !== 'POST') return undefined;
      posts++;
      return posts % 2 === 0 ? faults[(posts / 2 - 1) % faults.length] : undefined;
    });
    proxies.push(proxy);
    const run = await cli(['sync', 'clinic.ndjson', '--server', proxy.baseUrl, '--batch', '30', '--timeout', '1', '--max-attempts', '12']);
    expect(run.stderr).not.toContain('internal error');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}confirmed\s+[\d,]+$/m);
    expect(run.stdout).toMatch(/^ {2}dead-lettered\s+0$/m);
    await expectEachOnce(s.baseUrl, entries);
  }, 120_000);

  it('after SIGKILL mid-run, --resume finishes with every resource exactly once', async () => {
    const s = await server();
    const entries = clinic(13, 12, 4);
    // Slow every Bundle down so the run is surely still going when it is killed.
    const proxy = await startFaultProxy(s.baseUrl, ({ method }) => (method === 'POST' ? { kind: 'delay', ms: 60 } : undefined));
    proxies.push(proxy);
    const child = spawn(process.execPath, [BIN, 'sync', 'clinic.ndjson', '--server', proxy.baseUrl, '--batch', '10', '--concurrency', '2'], { cwd: dir, stdio: 'ignore' });
    const killed = new Promise<number | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL' ? 137 : _code)));
    // Kill it once some Bundles went through, but not all.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (proxy.requests.filter((r) => r.method === 'POST').length >= 6) break;
    }
    child.kill('SIGKILL');
    expect(await killed).toBe(137);
    const partial = ((await (await fetch(`${s.baseUrl}/Encounter?_summary=count`)).json()) as Bundle).total ?? 0;
    expect(partial).toBeLessThan(entries.filter((e) => e.resource?.resourceType === 'Encounter').length);

    const again = await cli(['sync', 'clinic.ndjson', '--server', s.baseUrl]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('unfinished run; finish it with --resume');
    const resumed = await cli(['sync', 'clinic.ndjson', '--server', s.baseUrl, '--resume', '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ pending: 0, deadLettered: 0, exitCode: 0 });
    await expectEachOnce(s.baseUrl, entries);
  }, 120_000);

  it('exits 1 and names the dead-letter file when the server refuses entries', async () => {
    const s = await server();
    clinic(14, 4, 1);
    const proxy = await startFaultProxy(s.baseUrl, ({ n, method }) =>
      method === 'POST' && n === 1
        ? {
            kind: 'rewrite',
            rewrite: (body) => {
              const bundle = body as { entry: { response: unknown }[] };
              if (bundle.entry[0]) {
                bundle.entry[0].response = {
                  status: '422',
                  outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'business-rule', details: { text: 'Refused by policy' } }] },
                };
              }
              return bundle;
            },
          }
        : undefined,
    );
    proxies.push(proxy);
    const run = await cli(['sync', 'clinic.ndjson', '--server', proxy.baseUrl, '--json']);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout) as { deadLettered: number; deadLetterFile: string; provenance: number };
    // The refused entry, and every entry that refers to it (they cannot be written correctly).
    expect(summary.deadLettered).toBeGreaterThanOrEqual(1);
    // The run's Provenance is still written (without an author, if the refused entry was the clinic's Organization).
    expect(summary.provenance).toBeGreaterThan(0);
    const letters = readFileSync(join(dir, summary.deadLetterFile), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { status: number; outcome: { issue: { code: string }[] } });
    expect(letters).toHaveLength(summary.deadLettered);
    expect(letters.filter((l) => l.status === 422)).toEqual([expect.objectContaining({ outcome: expect.objectContaining({ issue: [expect.objectContaining({ code: 'business-rule' })] }) })]);
    expect(letters.filter((l) => l.status !== 422).every((l) => l.status === 0 && l.outcome.issue[0]?.code === 'processing')).toBe(true);
  }, 120_000);

  it('sends the bearer token from $PEERKIT_FHIR_TOKEN and never prints it', async () => {
    const s = await server();
    clinic(15, 3, 1);
    const seen: string[] = [];
    const { createServer } = await import('node:http');
    // A gate in front of the server that checks the header, then forwards.
    const gate = createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void fetch(`${s.baseUrl.replace(/\/fhir$/, '')}${req.url ?? ''}`, {
          method: req.method ?? 'GET',
          headers: { 'content-type': 'application/fhir+json' },
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        }).then(async (upstream) => {
          const text = await upstream.text();
          res.writeHead(upstream.status, { 'content-type': 'application/fhir+json' }).end(text);
        });
      });
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const port = (gate.address() as { port: number }).port;
    try {
      const run = await cli(['sync', 'clinic.ndjson', '--server', `http://127.0.0.1:${port}/fhir`, '--auth', 'bearer'], {
        PEERKIT_FHIR_TOKEN: 'secret-token-value',
      });
      expect(run.code).toBe(0);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((h) => h === 'Bearer secret-token-value')).toBe(true);
      expect(run.stdout + run.stderr).not.toContain('secret-token-value');
    } finally {
      gate.closeAllConnections();
      await new Promise((resolve) => gate.close(resolve));
    }
  }, 120_000);

  it.each([
    [['sync', 'clinic.ndjson'], 'peerkit: sync needs --server <url>'],
    [['sync', '--server', 'http://127.0.0.1:1/fhir'], 'peerkit: sync needs the clinic export file'],
    [['sync', 'clinic.ndjson', '--server', 'http://fhir.example.org/r4'], 'peerkit: --server uses plain http:// to another machine'],
    [['sync', 'clinic.ndjson', '--server', 'http://127.0.0.1:1/fhir', '--auth', 'basic'], 'peerkit: --auth must be bearer or smart:<config.json>'],
    [['sync', 'clinic.ndjson', '--server', 'http://127.0.0.1:1/fhir', '--auth', 'bearer'], 'peerkit: --auth bearer needs the token in $PEERKIT_FHIR_TOKEN'],
    [['sync', 'clinic.ndjson', '--server', 'http://127.0.0.1:1/fhir', '--batch', '0'], 'peerkit: --batch must be between 1 and 10000'],
    [['sync', 'missing.ndjson', '--server', 'http://127.0.0.1:1/fhir'], 'peerkit: missing.ndjson: no such file'],
  ])('exits 2 for %j', (args, message) => {
    clinic(16, 2, 1);
    const run = peerkit(args, dir);
    expect(run.code).toBe(2);
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.stdout).toBe('');
  });

  it('exits 1 and keeps everything for --resume when the server is down', async () => {
    clinic(17, 2, 1);
    const run = await cli(['sync', 'clinic.ndjson', '--server', 'http://127.0.0.1:9/fhir', '--max-attempts', '2', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ confirmed: 0, stopped: 'server-unavailable', exitCode: 1 });
    expect(existsSync(join(dir, '.peerkit-sync', 'outbox.journal'))).toBe(true);
    expect(oneLineError(peerkit(['sync', 'clinic.ndjson', '--server', 'http://127.0.0.1:9/fhir'], dir))).toContain('--resume');
  }, 60_000);
  it('--disclosure consent: withholds what the consents do not permit, counts it by reason, exits 0', async () => {
    const s = await server();
    const entries = clinic(3, 12, 3);
    writeFileSync(join(dir, 'recipient.json'), JSON.stringify({ actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], purposeOfUse: ['TREAT'] }));
    const run = await cli(['sync', 'clinic.ndjson', '--server', s.baseUrl, '--disclosure', 'consent:recipient.json', '--json', '--no-provenance']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      confirmed: number;
      withheld: number;
      withheldBy: Record<string, number>;
      deadLettered: number;
      disclosure: string;
      ledgerEntries: number;
      ledgerFile: string;
    };
    expect(summary.disclosure).toBe('consent');
    // Each decision went to the disclosure ledger in the state directory: one entry per patient.
    expect(summary.ledgerFile).toBe(join('.peerkit-sync', 'disclosures.ndjson'));
    expect(summary.ledgerEntries).toBe(readFileSync(join(dir, summary.ledgerFile), 'utf8').trim().split('\n').length);
    expect(summary.ledgerEntries).toBeGreaterThan(0);
    expect(summary.deadLettered).toBe(0);
    expect(summary.withheld).toBeGreaterThan(0);
    // Besides the entries, the §2.32 notice of each patient whose Part 2 records went.
    const notices = await noticesOn(s.baseUrl);
    expect(summary.confirmed + summary.withheld).toBe(entries.length + notices);
    expect(Object.values(summary.withheldBy).reduce((a, b) => a + b, 0)).toBe(summary.withheld);
    // Nothing withheld reached the server: what it holds is exactly what was confirmed.
    let onServer = 0;
    for (const type of new Set(entries.map((e) => e.resource?.resourceType ?? ''))) {
      onServer += ((await (await fetch(`${s.baseUrl}/${type}?_summary=count`)).json()) as Bundle).total ?? 0;
    }
    expect(onServer).toBe(summary.confirmed);

    const plain = await cli(['sync', 'clinic.ndjson', '--server', s.baseUrl, '--disclosure', 'consent:recipient.json', '--state', 'again']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/withheld by the consents \(not sent\): .*no-consent \d/);
    expect(plain.stdout).toMatch(/disclosure ledger: \d+ entries in again.disclosures\.ndjson/);
  }, 120_000);

  it('--disclosure consent: the notice wording the recipient file sets is the one that reaches the server', async () => {
    const s = await server();
    clinic(3, 12, 3);
    const text = 'Synthetic program wording: these records may not be redisclosed.';
    const recipient = { actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], purposeOfUse: ['TREAT'], notice: { statement: { text, source: '42 CFR §2.32(a)(1)' } } };
    writeFileSync(join(dir, 'recipient.json'), JSON.stringify(recipient));
    const run = await cli(['sync', 'clinic.ndjson', '--server', s.baseUrl, '--disclosure', 'consent:recipient.json', '--json', '--no-provenance']);
    expect(run.code).toBe(0);
    const tag = `${encodeURIComponent(REDISCLOSURE_NOTICE_TAG.system)}|${REDISCLOSURE_NOTICE_TAG.code}`;
    const bundle = (await (await fetch(`${s.baseUrl}/DocumentReference?_tag=${tag}&_count=1000`)).json()) as Bundle<DocumentReference>;
    const texts = (bundle.entry ?? []).map((e) => Buffer.from(e.resource?.content[0]?.attachment.data ?? '', 'base64').toString('utf8'));
    expect(texts.length).toBeGreaterThan(0);
    for (const one of texts) expect(one).toContain(text);
  }, 120_000);

  it('--resume keeps the gate a run started with: another --disclosure is refused', async () => {
    const entries = clinic(3, 12, 3);
    writeFileSync(join(dir, 'recipient.json'), JSON.stringify({ actor: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], purposeOfUse: ['TREAT'] }));
    const gated = ['--disclosure', 'consent:recipient.json'];
    const down = await cli(['sync', 'clinic.ndjson', '--server', 'http://127.0.0.1:9/fhir', '--max-attempts', '1', '--json', ...gated]);
    expect(down.code).toBe(1);
    // This export is smaller than one queue chunk: it was queued (and gated) whole before the stop.
    const withheld = (JSON.parse(down.stdout) as { withheld: number }).withheld;
    expect(withheld).toBeGreaterThan(0);
    const s = await server();
    const ungated = await cli(['sync', 'clinic.ndjson', '--server', s.baseUrl, '--resume']);
    expect(ungated.code).toBe(2);
    expect(ungated.stderr).toContain('the unfinished run was started with --disclosure consent:');
    const resumed = await cli(['sync', 'clinic.ndjson', '--server', s.baseUrl, '--resume', '--json', '--no-provenance', ...gated]);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { confirmed: number; pending: number };
    expect(summary.pending).toBe(0);
    expect(existsSync(join(dir, '.peerkit-sync', 'disclosure-mode'))).toBe(false);
    // What the gate withheld never reached the server.
    let onServer = 0;
    for (const type of new Set(entries.map((e) => e.resource?.resourceType ?? ''))) {
      onServer += ((await (await fetch(`${s.baseUrl}/${type}?_summary=count`)).json()) as Bundle).total ?? 0;
    }
    expect(onServer).toBe(entries.length - withheld + (await noticesOn(s.baseUrl)));
  }, 120_000);

  it('--write-mode, --max-bundle-bytes and --rate reach the run: its plan says how it wrote', async () => {
    const s = await server();
    const entries = clinic(19, 3, 1);
    const run = await cli(['sync', 'clinic.ndjson', '--server', s.baseUrl, '--write-mode', 'batch', '--max-bundle-bytes', '8192', '--rate', '5000', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { confirmed: number; plan: { mode: string; reason: string; maxBundleBytes: number; writesPerSecond?: number }; rate: { writesPerSecond: number } };
    expect(summary.plan).toMatchObject({ mode: 'batch', reason: 'configured', maxBundleBytes: 8192, writesPerSecond: 5000 });
    expect(summary.confirmed).toBeGreaterThanOrEqual(entries.length);
    expect(summary.rate.writesPerSecond).toBeGreaterThan(0);
    const auto = await cli(['sync', 'clinic.ndjson', '--server', s.baseUrl, '--write-mode', 'auto', '--state', 'auto']);
    expect(auto.code).toBe(0);
    expect(auto.stdout).toMatch(/written as transaction \(/);
  }, 120_000);

  it.each([
    [['--write-mode', 'bulk'], '--write-mode must be one of: transaction, batch, single, auto'],
    [['--max-bundle-bytes', '10'], '--max-bundle-bytes must be between 1024 and'],
    [['--rate', '0'], '--rate must be between 1 and'],
    [['--rate', 'fast'], '--rate must be a whole number'],
  ])('%j is a usage error', (args, message) => {
    clinic(17, 2, 1);
    const run = peerkit(['sync', 'clinic.ndjson', '--server', 'http://127.0.0.1:9/fhir', ...args], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toContain(`peerkit: ${message}`);
  });

  it('--disclosure: a bad value or recipient file is a usage error naming the field', () => {
    clinic(17, 2, 1);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ actor: [{ system: 42424242, value: 'x' }], purposeOfUse: ['TREAT'] }));
    writeFileSync(join(dir, 'nobody.json'), JSON.stringify({ purposeOfUse: ['TREAT'] }));
    writeFileSync(join(dir, 'wording.json'), JSON.stringify({ actor: [{ system: 'urn:x', value: '1' }], purposeOfUse: ['TREAT'], notice: { statement: { text: ' ', source: '42424242' } } }));
    const args = (d: string) => ['sync', 'clinic.ndjson', '--server', 'http://127.0.0.1:9/fhir', '--disclosure', d];
    for (const [spec, text] of [
      ['everyone', '--disclosure must be internal or consent:'],
      ['consent:missing.json', 'missing.json: cannot read'],
      ['consent:bad.json', 'bad.json: actor.0'],
      ['consent:nobody.json', 'nobody.json: actor'],
      ['consent:wording.json', 'wording.json: notice.statement.text'],
    ] as const) {
      const run = peerkit(args(spec), dir);
      expect(run.code).toBe(2);
      expect(oneLineError(run)).toContain(text);
      expect(run.stderr).not.toContain('42424242');
    }
  });
});
