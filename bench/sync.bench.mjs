// bench/sync: sync 10,000 generated encounters (with their specialists, peers and organization) to the
// embedded FHIR server through a loopback TCP proxy that delays what the client sends by 5 ms
// (--latency), in each write mode (transaction and batch Bundles, single conditional requests, each
// with the default concurrency users get unless --concurrency is given), and compare in the same
// run, through the same proxy, with
//   (1) creating each resource one by one with fhir-kit-client (issue 18 target: sync ≥ 10× faster),
//   (2) POSTing the same resources as pre-built transaction Bundles with plain fetch, one after the
//       other: the server's own limit (target: sync ≥ 70% of it),
//   (3) for single mode, the same conditional requests sent with fhir-kit-client alone, as many in
//       flight as single mode had: the ceiling of one fhir-kit-client request per resource here.
// Each line also prints the CPU time per resource of the client (this process), the proxy and the
// server (from /proc): the three share the machine, so on 2 cores their sum bounds single mode.
// Then the peak RSS of a sync process streaming 100,000 records from disk to a stub server that
// acknowledges without storing (so only the sync's memory is measured; target: flat, under 300 MB);
// with --live-set also the JS heap after a full GC at each tenth of the run (what the sync retains).
// Each measurement gets a fresh server in its own process. (1M host resources streamed end to end,
// host read to push: sync-stream.bench.mjs.)
//
//   npm run bench                 (from the repository root; builds first)
//   node sync.bench.mjs --encounters 2000 --one-by-one 1000 --rss-records 20000
//   node sync.bench.mjs --latency 0 (plain loopback) --modes transaction,single
//   node sync.bench.mjs --only throughput | --only rss [--live-set] [--cpu-prof DIR]
//
// Figures: bench/README.md (sync row).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { toFhir, toTransactionBundles } from '@peerkit/fhir';
import { clinicToNdjson, generateClinic } from '@peerkit/model';
import { createFhirTransport, openFileOutbox, sync, toSyncEntries, WRITE_MODES } from '@peerkit/sync';
import { Client } from 'fhir-kit-client';

const { values } = parseArgs({
  allowPositionals: true,
  options: {
    encounters: { type: 'string', default: '10000' },
    latency: { type: 'string', default: '5' },
    modes: { type: 'string', default: 'transaction,batch,single' },
    'one-by-one': { type: 'string', default: '2000' },
    // Older names of --latency and --one-by-one.
    rtt: { type: 'string' },
    'rtt-resources': { type: 'string' },
    'rss-records': { type: 'string', default: '100000' },
    batch: { type: 'string', default: '100' },
    // Requests in flight; default: what sync uses when none is given (4 Bundles, 16 single requests).
    concurrency: { type: 'string' },
    only: { type: 'string' },
    'rss-heap': { type: 'string' },
    'live-set': { type: 'boolean', default: false },
    child: { type: 'string' },
    // Writes a V8 CPU profile of every child process (servers, proxy) into this directory.
    'cpu-prof': { type: 'string' },
  },
});
const here = fileURLToPath(new URL('.', import.meta.url));

// ---------- child processes: the server, the stub server, the streaming sync ----------
if (values.child === 'server') {
  const { startFhirServer } = await import('@peerkit/fhir-server');
  const server = await startFhirServer();
  process.stdout.write(`${server.baseUrl}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
} else if (values.child === 'stub') {
  // Acknowledges every write, storing nothing: a transaction or batch Bundle with 201 per entry, a
  // single (conditional) create or update with 201 and the resource's new id.
  const { createServer } = await import('node:http');
  let n = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      const headers = { 'content-type': 'application/fhir+json' };
      let reply;
      if (body.resourceType === 'Bundle') {
        const entry = (body.entry ?? []).map((e) => ({ response: { status: '201', location: `${e.resource?.resourceType ?? 'Basic'}/${++n}/_history/1` } }));
        reply = { resourceType: 'Bundle', type: body.type === 'batch' ? 'batch-response' : 'transaction-response', entry };
      } else {
        reply = { ...body, id: String(++n), meta: { versionId: '1' } };
        headers.location = `${body.resourceType ?? 'Basic'}/${n}/_history/1`;
        headers.etag = 'W/"1"';
      }
      const text = JSON.stringify(reply);
      res.writeHead(body.resourceType === 'Bundle' ? 200 : 201, { ...headers, 'content-length': Buffer.byteLength(text) }).end(text);
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${server.address().port}/fhir\n`));
  process.on('SIGTERM', () => process.exit(0));
} else if (values.child === 'delay') {
  // A TCP proxy in front of the target: every chunk a client sends reaches the server the given time
  // after it arrived (in order), answers go straight back. So each request takes that much longer,
  // as over a network with that one-way latency, and the proxy parses nothing: its own CPU (it shares
  // the machine with the client and the server) stays small next to theirs.
  const [target, ms] = process.argv.slice(-2);
  const { createServer, connect } = await import('node:net');
  const upstream = new URL(target);
  const delay = Number(ms);
  const server = createServer((client) => {
    client.setNoDelay(true);
    const to = connect({ host: upstream.hostname, port: Number(upstream.port) });
    to.setNoDelay(true);
    let open = true;
    const close = () => {
      open = false;
      client.destroy();
      to.destroy();
    };
    client.on('data', (chunk) => setTimeout(() => open && to.write(chunk), delay));
    client.on('end', () => setTimeout(() => open && to.end(), delay));
    to.on('data', (chunk) => client.write(chunk));
    to.on('end', () => client.end());
    client.on('error', close);
    to.on('error', close);
    client.on('close', () => setTimeout(close, delay));
    to.on('close', close);
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${server.address().port}/fhir\n`));
  process.on('SIGTERM', () => process.exit(0));
} else if (values.child === 'stream') {
  const [file, baseUrl, state] = process.argv.slice(-3);
  const { createReadStream } = await import('node:fs');
  const { readClinicExport } = await import('@peerkit/model');
  const { streamSyncEntries } = await import('@peerkit/sync');
  let peak = 0;
  let peakAt;
  const samples = [];
  const sample = () => {
    const usage = process.memoryUsage();
    if (usage.rss > peak) {
      peak = usage.rss;
      peakAt = usage;
    }
    samples.push(usage.rss);
  };
  const timer = setInterval(sample, 100);
  // With --live-set: every 2 s a full GC, then the heap in use — what the sync retains, without
  // the garbage V8 has not collected yet (RSS includes that).
  const live = [];
  const liveTimer = typeof globalThis.gc === 'function' ? setInterval(() => {
    globalThis.gc();
    live.push(process.memoryUsage().heapUsed);
  }, 2000) : undefined;
  async function* records() {
    for await (const { result } of readClinicExport(createReadStream(file))) if (result.ok) yield result.value;
  }
  const outbox = await openFileOutbox(state);
  const started = performance.now();
  const summary = await sync({
    transport: createFhirTransport({ baseUrl }),
    outbox,
    entries: streamSyncEntries(records, { scratchDir: state }),
    batchSize: 100,
    concurrency: 4,
    provenance: false,
  });
  clearInterval(timer);
  if (liveTimer !== undefined) clearInterval(liveTimer);
  sample();
  await outbox.close();
  // RSS at each tenth of the run, to show whether it grows with the input.
  const tenths = Array.from({ length: 10 }, (_, i) => samples[Math.floor(((i + 1) * (samples.length - 1)) / 10)]);
  const liveTenths = live.length === 0 ? undefined : Array.from({ length: 10 }, (_, i) => live[Math.floor(((i + 1) * (live.length - 1)) / 10)]);
  process.stdout.write(`${JSON.stringify({ peak, peakAt, tenths, liveTenths, queued: summary.queued, confirmed: summary.confirmed, pending: summary.pending, deadLettered: summary.deadLettered, stopped: summary.stopped, ms: performance.now() - started })}\n`);
  process.exit(0);
}


/** Starts a child process of this script and resolves with it and the first line it prints. */
function child(kind, args = []) {
  return new Promise((resolve, reject) => {
    const profile = values['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`, `--cpu-prof-name=${kind}-${Date.now()}.cpuprofile`];
    const proc = spawn(process.execPath, ['--max-old-space-size=8192', ...profile, join(here, 'sync.bench.mjs'), '--child', kind, ...args], {
      cwd: here,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const end = out.indexOf('\n');
      if (end >= 0) resolve({ proc, line: out.slice(0, end) });
    });
    proc.once('exit', (code) => reject(new Error(`${kind} exited (${code}) before answering`)));
  });
}

/** CPU time (user + system) a process has used so far, in ms; undefined where /proc is not readable. */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    // utime and stime (fields 14 and 15 of stat; 12 and 13 after the command name), in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const CLOCK_TICKS = 100;

/** CPU time used by each process of a measurement while `work` ran, in ms. */
let cpuOfLast = {};

async function withServer(kind, work, args = []) {
  const { proc, line } = await child(kind, args);
  const before = cpuMsOf(proc.pid);
  try {
    return await work(line);
  } finally {
    const after = cpuMsOf(proc.pid);
    if (before !== undefined && after !== undefined) cpuOfLast[kind] = after - before;
    proc.kill('SIGTERM');
  }
}

/** Runs a measurement and notes the CPU time of this process (the client) and of each child. */
async function measured(work) {
  cpuOfLast = {};
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return { result, cpu: { client: (used.user + used.system) / 1000, ...cpuOfLast } };
}

/** CPU ms per resource of each process, e.g. `client 0.41, proxy 0.38, server 0.93 ms`. */
function cpuLine(cpu, resources) {
  const per = (ms) => (ms / resources).toFixed(2);
  const parts = [`client ${per(cpu.client)}`];
  if (cpu.delay !== undefined) parts.push(`proxy ${per(cpu.delay)}`);
  if (cpu.server !== undefined) parts.push(`server ${per(cpu.server)}`);
  return `CPU per resource: ${parts.join(', ')} ms`;
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** One conditional update per resource with fhir-kit-client; references to earlier ones rewritten to their ids. */
async function oneByOneRate(baseUrl, sample) {
  const client = new Client({ baseUrl });
  const ids = new Map();
  const started = performance.now();
  for (const entry of sample) {
    const body = JSON.parse(JSON.stringify(entry.resource), (key, value) => (key === 'reference' && ids.has(value) ? ids.get(value) : value));
    const [type, query] = entry.request.url.split('?');
    const saved = await client.request(`${type}?${query}`, { method: 'PUT', body, options: { headers: { 'content-type': 'application/fhir+json' } } });
    ids.set(entry.fullUrl, `${saved.resourceType}/${saved.id}`);
  }
  return sample.length / ((performance.now() - started) / 1000);
}

async function main() {
  if (values.only !== 'rss') await throughput();
  if (values.only !== 'throughput') await rss();
}

async function throughput() {
  const wanted = Number(values.encounters);
  const batchSize = Number(values.batch);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  const latency = Number(values.rtt ?? values.latency);
  const modes = values.modes.split(',');
  for (const mode of modes) if (!WRITE_MODES.includes(mode)) throw new Error(`--modes: ${mode} is not one of ${WRITE_MODES.join(', ')}`);

  // Enough peers for `wanted` encounters in a year; keep the context records and `wanted` encounters.
  let peers = Math.max(20, Math.ceil(wanted / 40));
  let clinic = generateClinic({ seed: 42, peers, weeks: 52 });
  while (clinic.records.filter((r) => r.kind === 'encounter').length < wanted) {
    peers = Math.ceil(peers * 1.3);
    clinic = generateClinic({ seed: 42, peers, weeks: 52 });
  }
  let kept = 0;
  const records = clinic.records.filter((r) => {
    if (r.kind === 'organization' || r.kind === 'specialist' || r.kind === 'peer') return true;
    return r.kind === 'encounter' && kept++ < wanted;
  });
  const mapped = toSyncEntries(records);
  if (!mapped.ok) throw new Error('mapping failed');
  const entries = mapped.value;
  const where = latency > 0 ? `through a loopback TCP proxy delaying each request ${latency} ms` : 'on loopback';
  console.log(`sync: ${fmt(Math.min(kept, wanted))} encounters → ${fmt(entries.length)} resources to the embedded server ${where}; each measurement on a fresh server`);
  // Every measurement: a fresh embedded server in its own process, behind the delaying proxy.
  const fresh = (work) => withServer('server', (baseUrl) => (latency > 0 ? withServer('delay', work, [baseUrl, String(latency)]) : work(baseUrl)));

  // PeerKit sync in each write mode, its outbox on disk (every change fsynced).
  const ours = {};
  for (const mode of modes) {
    const state = mkdtempSync(join(tmpdir(), 'peerkit-bench-'));
    const run = await measured(() => fresh(async (baseUrl) => {
      const outbox = await openFileOutbox(state);
      const started = performance.now();
      const summary = await sync({
        transport: createFhirTransport({ baseUrl }),
        outbox,
        entries,
        writeMode: mode,
        batchSize,
        ...(concurrency === undefined ? {} : { concurrency }),
        provenance: false,
      });
      const ms = performance.now() - started;
      await outbox.close();
      if (summary.confirmed !== entries.length) throw new Error(`sync (${mode}) confirmed ${summary.confirmed} of ${entries.length}`);
      return { rate: entries.length / (ms / 1000), requests: summary.requests, inFlight: summary.plan.concurrency, perRequest: summary.plan.batchSize };
    }));
    ours[mode] = run.result;
    rmSync(state, { recursive: true, force: true });
    console.log(`  peerkit sync, ${mode.padEnd(12)}        ${fmt(ours[mode].rate).padStart(7)} resources/s  (${fmt(ours[mode].requests)} requests of up to ${ours[mode].perRequest}, ${ours[mode].inFlight} in flight; ${cpuLine(run.cpu, entries.length)})`);
  }

  // Baseline 2: the same resources as pre-built transaction Bundles, POSTed one after the other with
  // plain fetch: the server's own limit, with nothing of PeerKit's between.
  const resourcesOnly = toFhir(records);
  const bundles = toTransactionBundles(resourcesOnly.value, { batchSize }).map((b) => JSON.stringify(b));
  const { result: plain, cpu: plainCpu } = await measured(() => fresh(async (baseUrl) => {
    const started = performance.now();
    for (const body of bundles) {
      const res = await fetch(`${baseUrl}/`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body });
      if (!res.ok) throw new Error(`plain POST answered ${res.status}`);
      await res.arrayBuffer();
    }
    return entries.length / ((performance.now() - started) / 1000);
  }));
  console.log(`  pre-built Bundles, plain fetch:    ${fmt(plain).padStart(7)} resources/s  (${fmt(bundles.length)} requests, one at a time; ${cpuLine(plainCpu, entries.length)})`);

  // Baseline 1: one conditional update per resource with fhir-kit-client, references to earlier
  // resources rewritten to the ids the server gave them; timed on the first resources (a rate).
  const oneByOne = Number(values['rtt-resources'] ?? values['one-by-one']);
  const sample = oneByOne > 0 ? entries.slice(0, Math.min(oneByOne, entries.length)) : entries;
  const { result: single, cpu: singleCpu } = await measured(() => fresh((baseUrl) => oneByOneRate(baseUrl, sample)));
  console.log(`  one by one, fhir-kit-client:      ${fmt(single).padStart(7)} resources/s  (first ${fmt(sample.length)} resources; ${cpuLine(singleCpu, sample.length)})`);

  // Reference 3 (single mode only): the same conditional requests sent with fhir-kit-client alone,
  // as many in flight as single mode had — no outbox, no ordering, no retries; references left as
  // they are (the embedded server stores them as given). What any client making one fhir-kit-client
  // request per resource can reach on this machine: the ceiling of single mode here.
  let ceiling;
  if (ours.single !== undefined) {
    const { result, cpu } = await measured(() => fresh((baseUrl) => parallelRate(baseUrl, entries, ours.single.inFlight)));
    ceiling = result;
    console.log(`  fhir-kit-client alone, ${String(ours.single.inFlight).padStart(2)} in flight: ${fmt(ceiling).padStart(7)} resources/s  (the same ${fmt(entries.length)} conditional requests, return=minimal; ${cpuLine(cpu, entries.length)})`);
  }
  console.log(`  same-run ratios (targets: ≥ 10× one by one, ≥ 70% of pre-built Bundles):`);
  for (const mode of modes) {
    const x = ours[mode].rate / single;
    const pct = (ours[mode].rate / plain) * 100;
    const ofCeiling = mode === 'single' && ceiling !== undefined ? `   ${((ours[mode].rate / ceiling) * 100).toFixed(0).padStart(4)}% of fhir-kit-client alone` : '';
    console.log(`    ${mode.padEnd(11)}  ${x.toFixed(1).padStart(5)}× one by one ${x >= 10 ? '✓' : '✗'}   ${pct.toFixed(0).padStart(4)}% of pre-built Bundles ${pct >= 70 ? '✓' : '✗'}${ofCeiling}`);
  }
  if (ceiling !== undefined) {
    console.log(`    (fhir-kit-client alone itself: ${(ceiling / single).toFixed(1)}× one by one, ${((ceiling / plain) * 100).toFixed(0)}% of pre-built Bundles)`);
  }
}

/**
 * Every entry's own conditional request with fhir-kit-client, `inFlight` at a time, as single mode
 * sends it (its condition headers, `Prefer: return=minimal`), with nothing of PeerKit's between.
 */
async function parallelRate(baseUrl, entries, inFlight) {
  const client = new Client({ baseUrl });
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < entries.length) {
      const { request, resource } = entries[next++];
      const headers = { 'content-type': 'application/fhir+json', prefer: 'return=minimal' };
      if (request.ifNoneExist !== undefined) headers['if-none-exist'] = request.ifNoneExist;
      if (request.ifMatch !== undefined) headers['if-match'] = request.ifMatch;
      await client.request(request.url, { method: request.method, body: resource, options: { headers } });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return entries.length / ((performance.now() - started) / 1000);
}

/** Peak RSS of a sync process streaming a large export from disk to a stub server. */
async function rss() {
  const rssRecords = Number(values['rss-records']);
  let rssPeers = Math.max(20, Math.ceil(rssRecords / 40));
  let big = generateClinic({ seed: 7, peers: rssPeers, weeks: 52 });
  while (big.records.length < rssRecords) {
    rssPeers = Math.ceil(rssPeers * 1.3);
    big = generateClinic({ seed: 7, peers: rssPeers, weeks: 52 });
  }
  const dir = mkdtempSync(join(tmpdir(), 'peerkit-bench-rss-'));
  const file = join(dir, 'clinic.ndjson');
  writeFileSync(file, clinicToNdjson({ ...big, records: big.records.slice(0, rssRecords) }));
  big = undefined;
  const result = await withServer('stub', async (baseUrl) => {
    const heap = [...(values['rss-heap'] === undefined ? [] : [`--max-old-space-size=${values['rss-heap']}`]), ...(values['live-set'] ? ['--expose-gc'] : [])];
    const proc = spawn(process.execPath, [...heap, join(here, 'sync.bench.mjs'), '--child', 'stream', file, baseUrl, join(dir, 'state')], {
      cwd: here,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    await new Promise((resolve) => proc.once('exit', resolve));
    return JSON.parse(out);
  });
  rmSync(dir, { recursive: true, force: true });
  const mb = (bytes) => `${Math.round(bytes / 1024 / 1024)} MB`;
  const heapNote = values['rss-heap'] === undefined ? '' : `, node --max-old-space-size=${values['rss-heap']}`;
  if (result.confirmed !== result.queued || result.pending !== 0) throw new Error(`streaming sync confirmed ${result.confirmed} of ${result.queued} (${result.deadLettered} dead-lettered, ${result.pending} pending, stopped: ${result.stopped ?? "no"})`);
  console.log(`sync: ${fmt(rssRecords)} records streamed from disk → ${fmt(result.confirmed)} resources in ${(result.ms / 1000).toFixed(1)} s (stub server${heapNote})`);
  console.log(`  RSS at each tenth of the run:        ${result.tenths.map(mb).join(', ')}`);
  console.log(`  peak RSS:                            ${mb(result.peak)}  (target: flat, < 300 MB)`);
  if (result.liveTenths !== undefined) console.log(`  JS heap after a full GC, each tenth: ${result.liveTenths.map(mb).join(', ')}`);
  const at = result.peakAt;
  console.log(`  at the peak: JS heap ${mb(at.heapUsed)} used of ${mb(at.heapTotal)}, buffers ${mb(at.arrayBuffers)}, other native ${mb(at.rss - at.heapTotal - at.external)}`);
}

// A child process runs until killed (servers) or exits by itself (stream); the parent measures.
if (values.child === undefined) await main();
