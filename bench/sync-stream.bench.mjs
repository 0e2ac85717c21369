// bench/sync-stream: a host's FHIR streamed end to end with flat memory (issue 18, "1M resources").
// A synthetic Bulk-export NDJSON file (US Core shapes, ordered by patient as `$everything` or a
// compartment read gives it) is read line by line by `streamHostFhir` (@peerkit/fhir), its records
// mapped by `streamSyncEntries` (reference map in scratch files), queued in the file outbox and pushed
// by `sync` (@peerkit/sync) to a stub server that acknowledges without storing — so only the sync
// process's memory is measured. That process samples its RSS and its JS heap after a full GC over
// time, and the bench prints them at each tenth of the push and the slope per 100,000 resources
// (and, as the push goes, a line on stderr each 100,000 resources confirmed).
//
//   node --expose-gc sync-stream.bench.mjs                       (1,000,000 host resources)
//   node --expose-gc sync-stream.bench.mjs --resources 50000     (a quick run)
//   options: --write-mode transaction|batch|single  --batch 100  --concurrency 4  --window 10000
//
// Before the passes, the host read alone (pass 0, records dropped) gives the baseline; passes 1 and
// 2 are sampled at the same points (each window's end), and the heap after GC as each pass starts
// (no window alive) is what the passes before it keep.
//
// Measured here (2 shared cores, load average 5–7): 400,000 host resources (224,978 records,
// 549,946 resources pushed) in 16 min; pass 1 keeps +0.51 MB for the mapping context (+0.55 MB at
// 100,000, +0.30 MB at 200,000: flat — it kept ~4.3 MB per 100,000 when every peer record was
// held), pass 2 +0.57 MB; the push's JS heap after GC 69–72 MB (0.2 MB per 100,000), RSS 205–238 MB.
// Before, the full 1,000,000 (about 1.37M resources pushed) took 50 min on a loaded machine.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  allowPositionals: true,
  options: {
    resources: { type: 'string', default: '1000000' },
    'write-mode': { type: 'string', default: 'transaction' },
    batch: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '4' },
    window: { type: 'string', default: '10000' },
    'host-read-baseline': { type: 'string', default: 'true' },
    child: { type: 'string' },
  },
});
const here = fileURLToPath(new URL('.', import.meta.url));
const MB = 1024 * 1024;
const fmt = (n) => Math.round(n).toLocaleString('en-US');

// ---------- the synthetic host export: staff first, then each patient's compartment ----------
const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const STAFF = 20;
/** Lines of the export's head that are staff and the organization (see `staff`). */
const STAFF_LINES = 1 + 2 * STAFF;
const VISITS = 6;
const pad = (n) => String(n).padStart(7, '0');
const note = (i, k) => Buffer.from(`Peer support visit ${k + 1} (synthetic, person ${i}). Talked about the week, the job search and the plan; next visit in 7 days.`).toString('base64');

function* staff() {
  yield { resourceType: 'Organization', id: 'org-1', identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1999999992' }], name: 'Example Recovery Center', address: [{ state: 'VA' }] };
  for (let s = 0; s < STAFF; s++) {
    yield { resourceType: 'Practitioner', id: `prac-${s}`, identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: `1${String(s).padStart(6, '0')}002` }], name: [{ family: 'Testpeer', given: [`S${s}`] }] };
    yield { resourceType: 'PractitionerRole', id: `role-${s}`, practitioner: { reference: `Practitioner/prac-${s}` }, organization: { reference: 'Organization/org-1' }, code: [{ coding: [{ system: 'http://nucc.org/provider-taxonomy', code: '175T00000X' }] }] };
  }
}

/** One patient's compartment: Patient, Consent, Goal, CarePlan, then each visit's Encounter and note. */
function* compartment(i) {
  const patient = `pat-${pad(i)}`;
  const prac = `Practitioner/prac-${i % STAFF}`;
  const month = String((i % 12) + 1).padStart(2, '0');
  yield { resourceType: 'Patient', id: patient, identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: 'urn:oid:2.999.1.2.5.1', value: `MRN-${pad(i)}` }], name: [{ family: 'Testpatient', given: [`N${i}`] }], birthDate: '1990-01-05' };
  yield { resourceType: 'Consent', id: `consent-${pad(i)}`, status: 'active', scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] }, category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }], patient: { reference: `Patient/${patient}` }, dateTime: `2025-${month}-01T08:00:00-05:00`, policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentpolicycodes', code: 'hipaa-auth' }] }, provision: { type: 'permit', period: { start: `2025-${month}-01` }, purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }] } };
  yield { resourceType: 'Goal', id: `goal-${pad(i)}`, lifecycleStatus: 'active', description: { text: 'Call my sponsor every day' }, subject: { reference: `Patient/${patient}` } };
  yield { resourceType: 'CarePlan', id: `cp-${pad(i)}`, status: 'active', intent: 'plan', subject: { reference: `Patient/${patient}` }, period: { start: `2025-${month}-01` }, author: { reference: prac }, goal: [{ reference: `Goal/goal-${pad(i)}` }], activity: [{ detail: { code: { coding: [{ system: HCPCS, code: 'H0038' }] }, status: 'in-progress' } }] };
  for (let k = 0; k < VISITS; k++) {
    const day = `2025-${month}-${String(k * 4 + 2).padStart(2, '0')}`;
    yield { resourceType: 'Encounter', id: `enc-${pad(i)}-${k}`, status: 'finished', class: { system: ACT, code: k === 2 ? 'VR' : 'AMB' }, type: [{ coding: [{ system: HCPCS, code: 'H0038' }] }], subject: { reference: `Patient/${patient}` }, participant: [{ individual: { reference: prac } }], period: { start: `${day}T10:00:00-05:00`, end: `${day}T10:45:00-05:00` }, serviceProvider: { reference: 'Organization/org-1' } };
    yield { resourceType: 'DocumentReference', id: `doc-${pad(i)}-${k}`, status: 'current', docStatus: 'final', type: { coding: [{ system: 'http://loinc.org', code: '11506-3' }] }, subject: { reference: `Patient/${patient}` }, date: `${day}T10:50:00-05:00`, author: [{ reference: prac }], content: [{ attachment: { contentType: 'text/plain', data: note(i, k) } }], context: { encounter: [{ reference: `Encounter/enc-${pad(i)}-${k}` }] } };
  }
}

/** Writes `wanted` host resources as NDJSON, a patient at a time (never the whole file in memory). */
async function writeExport(file, wanted) {
  const out = createWriteStream(file);
  const write = (text) => (out.write(text) ? undefined : new Promise((resolve) => out.once('drain', resolve)));
  let n = 0;
  for (const r of staff()) {
    await write(`${JSON.stringify(r)}\n`);
    n++;
  }
  for (let i = 0; n < wanted; i++) {
    let chunk = '';
    for (const r of compartment(i)) if (n < wanted) (chunk += `${JSON.stringify(r)}\n`), n++;
    await write(chunk);
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return n;
}

// ---------- the measured process: host file → streamHostFhir → streamSyncEntries → sync → stub ----------
if (values.child === 'measure') {
  const [file, baseUrl, state] = process.argv.slice(-3);
  const { streamHostFhir } = await import('@peerkit/fhir');
  const { createFhirTransport, openFileOutbox, streamSyncEntries, sync } = await import('@peerkit/sync');
  const CLINIC_KINDS = new Set(['peer', 'specialist', 'organization', 'recovery-plan', 'encounter', 'group-session', 'consent', 'referral']);
  let pass = 0;
  let read = 0;
  let records = 0;
  let confirmed = 0;
  const findings = {};
  async function* lines(limit = Infinity) {
    const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    let n = 0;
    for await (const line of rl) {
      if (n++ >= limit) break;
      read++;
      yield line;
    }
    rl.close();
  }
  // streamSyncEntries reads its source three times (context, reference map, entries): each call is
  // a fresh pass over the file, a window at a time. streamHostFhir holds staff and organizations
  // back to its last window, and every encounter refers to its specialist: read as one stream, every
  // entry would wait for the specialists at the very end (and the whole input would pend). So the
  // staff lines are read first on their own (a Bulk export gives them in their own files), then the
  // whole file, staff at its head so references resolve, its staff records skipped (given already).
  const samples = [];
  const started = performance.now();
  /** The heap after a full GC at a window's end: passes 0–2 sampled at the same points of the input. */
  function windowSample() {
    globalThis.gc();
    const m = process.memoryUsage();
    samples.push({ t: performance.now() - started, pass, read, confirmed, rss: m.rss, heap: m.heapUsed, live: true, window: true });
  }
  async function* source() {
    pass++;
    read = 0;
    // As a pass starts, no window is alive: the heap after GC is what the passes before it keep.
    globalThis.gc();
    samples.push({ t: performance.now() - started, pass, read, confirmed, rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed, live: true, boundary: true });
    for await (const window of streamHostFhir(lines(STAFF_LINES), { asOf: '2025-12-31' })) {
      for (const r of window.records) if (r.kind === 'organization' || r.kind === 'specialist') yield r.record;
    }
    read = 0;
    for await (const window of streamHostFhir(lines(), { asOf: '2025-12-31', windowSize: Number(values.window) })) {
      if (pass === 1) for (const f of window.findings) findings[f.code] = (findings[f.code] ?? 0) + 1;
      if (pass < 3) windowSample();
      for (const r of window.records) {
        if (!CLINIC_KINDS.has(r.kind) || r.kind === 'organization' || r.kind === 'specialist') continue;
        if (pass === 3) records++;
        yield r.record;
      }
    }
  }
  // Pass 0, the baseline: the host read alone (records dropped), sampled like passes 1 and 2 — what
  // grows here is streamHostFhir's, not the sync's.
  if (values['host-read-baseline'] !== 'false') {
    read = 0;
    for await (const window of streamHostFhir(lines(), { asOf: '2025-12-31', windowSize: Number(values.window) })) {
      if (window.records.length >= 0) windowSample();
    }
  }
  // Every 250 ms: RSS and the heap in use; every 8th sample a full GC first, for the heap that is live.
  // Each 100,000 resources confirmed, the latest live sample goes to stderr as it happens, so a run
  // cut short (or watched) still shows the heap and RSS over time; the summary comes at the end.
  let tick = 0;
  let nextProgress = 100_000;
  const timer = setInterval(() => {
    const live = tick++ % 8 === 0;
    if (live) globalThis.gc();
    const m = process.memoryUsage();
    const t = performance.now() - started;
    samples.push({ t, pass, read, confirmed, rss: m.rss, heap: m.heapUsed, live });
    if (live && pass === 3 && confirmed >= nextProgress) {
      nextProgress = (Math.floor(confirmed / 100_000) + 1) * 100_000;
      process.stderr.write(`    at ${fmt(confirmed)} confirmed (${fmt(read)} host resources read, ${(t / 1000).toFixed(0)} s): JS heap after GC ${Math.round(m.heapUsed / MB)} MB, RSS ${Math.round(m.rss / MB)} MB\n`);
    }
  }, 250);
  const outbox = await openFileOutbox(state);
  const mode = values['write-mode'];
  const summary = await sync({
    transport: createFhirTransport({ baseUrl }),
    outbox,
    entries: streamSyncEntries(source, { scratchDir: state }),
    writeMode: mode,
    batchSize: Number(values.batch),
    ...(mode === 'single' ? {} : { concurrency: Number(values.concurrency) }),
    provenance: false,
    onEvent: (event) => {
      if (event.type === 'confirmed') confirmed += event.count;
    },
  });
  clearInterval(timer);
  await outbox.close();
  const ms = performance.now() - started;
  const report = `${JSON.stringify({ ms, records, findings, samples, summary: { queued: summary.queued, confirmed: summary.confirmed, pending: summary.pending, deadLettered: summary.deadLettered, requests: summary.requests, stopped: summary.stopped ?? null, writesPerSecond: summary.rate.writesPerSecond } })}\n`;
  // Exit only once the (large) line is flushed: a pipe takes it in pieces, and exit would cut it.
  process.stdout.write(report, () => process.exit(0));
}

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  const sxx = points.reduce((a, p) => a + (p[0] - mx) ** 2, 0);
  return sxx === 0 ? Number.NaN : points.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0) / sxx;
}

function runChild(args, flags = []) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...flags, join(here, 'sync-stream.bench.mjs'), ...args], { cwd: here, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    proc.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the measured process exited with ${code}`));
      try {
        resolve(JSON.parse(out));
      } catch (error) {
        reject(error); // then the stub server is stopped too
      }
    });
  });
}

/** The stub server of sync.bench.mjs (acknowledges every write, stores nothing), until `work` ends. */
function withStub(work) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [join(here, 'sync.bench.mjs'), '--child', 'stub'], { cwd: here, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const end = out.indexOf('\n');
      if (end < 0) return;
      proc.stdout.removeAllListeners('data');
      work(out.slice(0, end)).then(resolve, reject).finally(() => proc.kill('SIGTERM'));
    });
  });
}

async function main() {
  const wanted = Number(values.resources);
  const dir = mkdtempSync(join(tmpdir(), 'peerkit-sync-stream-'));
  try {
    const file = join(dir, 'export.ndjson');
    const t0 = performance.now();
    const written = await writeExport(file, wanted);
    console.log(`sync-stream: ${fmt(written)} host resources (${(statSync(file).size / 1e6).toFixed(0)} MB of NDJSON, written in ${((performance.now() - t0) / 1000).toFixed(1)} s) → streamHostFhir → streamSyncEntries → sync (${values['write-mode']}, file outbox) → stub server`);
    const result = await withStub((baseUrl) => runChild(['--child', 'measure', ...process.argv.slice(2), file, baseUrl, join(dir, 'state')], ['--expose-gc']));
    const { summary, samples } = result;
    if (summary.confirmed !== summary.queued || summary.pending !== 0) throw new Error(`confirmed ${summary.confirmed} of ${summary.queued} (${summary.deadLettered} dead-lettered, ${summary.pending} pending, stopped: ${summary.stopped ?? 'no'})`);
    const findings = Object.entries(result.findings).map(([code, n]) => `${code} ${fmt(n)}`).join(', ') || 'none';
    console.log(`  ${fmt(result.records)} records → ${fmt(summary.confirmed)} resources confirmed in ${(result.ms / 1000).toFixed(1)} s (${fmt(summary.writesPerSecond)} resources/s, ${fmt(summary.requests)} requests); host-read findings: ${findings}`);
    const mb = (b) => `${Math.round(b / MB)}`;
    const push = samples.filter((s) => s.pass === 3 && !s.window);
    const live = push.filter((s) => s.live);
    const names = ['host read alone, records dropped (baseline)', 'mapping context: organizations and peers', 'reference map'];
    for (const p of [0, 1, 2]) {
      const ps = samples.filter((s) => s.pass === p);
      // The heap after GC at each window's end (the same points of the input in every pass), past the first.
      const pl = ps.filter((s) => s.window && s.read > 0);
      if (pl.length === 0) continue;
      const growth = slope(pl.slice(1).map((s) => [s.read / 1e5, s.heap / MB]));
      console.log(`  pass ${p} (${names[p]}): ${((ps.at(-1).t - ps[0].t) / 1000).toFixed(1)} s, RSS ${mb(ps[0].rss)} → ${mb(ps.at(-1).rss)} MB (peak ${mb(Math.max(...ps.map((s) => s.rss)))}), JS heap after GC at each window ${mb(pl[0].heap)} → ${mb(pl.at(-1).heap)} MB, ${growth.toFixed(2)} MB per 100,000 host resources read`);
    }
    const boundary = (p) => samples.find((s) => s.boundary && s.pass === p);
    const [b1, b2, b3] = [1, 2, 3].map(boundary);
    if (b1 && b2 && b3) {
      const kb = (b) => `${(b / 1024).toFixed(0)} kB`;
      console.log(`  JS heap after GC as each pass starts (no window alive): pass 1 ${mb(b1.heap)} MB, pass 2 ${mb(b2.heap)} MB (${b2.heap >= b1.heap ? '+' : '−'}${kb(Math.abs(b2.heap - b1.heap))}: the mapping context pass 1 keeps), pass 3 ${mb(b3.heap)} MB (${b3.heap >= b2.heap ? '+' : '−'}${kb(Math.abs(b3.heap - b2.heap))}: the reference map pass 2 adds)`);
    }
    const total = summary.confirmed;
    const tenths = (list) => Array.from({ length: 10 }, (_, i) => list.find((s) => s.confirmed >= ((i + 1) * total) / 10) ?? list.at(-1)).filter(Boolean);
    console.log(`  push (pass 3), at each tenth of the resources confirmed:`);
    console.log(`    resources confirmed:     ${tenths(push).map((s) => fmt(s.confirmed)).join(', ')}`);
    console.log(`    host resources read:     ${tenths(push).map((s) => fmt(s.read)).join(', ')}`);
    console.log(`    RSS (MB):                ${tenths(push).map((s) => mb(s.rss)).join(', ')}`);
    console.log(`    JS heap after GC (MB):   ${tenths(live).map((s) => mb(s.heap)).join(', ')}`);
    // Slopes from 10% to 90% of the push: past the start-up (outbox, windows, pool), before the
    // drain at the end (input done, queue emptying).
    const middle = (list) => list.filter((s) => s.confirmed >= total / 10 && s.confirmed <= (total * 9) / 10);
    const per100k = (list, key) => slope(middle(list).map((s) => [s.confirmed / 1e5, s[key] / MB]));
    const heapSlope = per100k(live, 'heap');
    const rssSlope = per100k(push, 'rss');
    console.log(`    slope, 10% to 90%:       JS heap ${heapSlope.toFixed(2)} MB per 100,000 resources confirmed, RSS ${rssSlope.toFixed(2)} MB per 100,000`);
    console.log(`    peak RSS ${mb(Math.max(...samples.map((s) => s.rss)))} MB; flat means a heap slope near 0 (what grows with the input would show here)`);
    console.log(`  the whole run here: ${((performance.now() - t0) / 1000).toFixed(0)} s for ${fmt(written)} host resources`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.child === undefined) await main();
