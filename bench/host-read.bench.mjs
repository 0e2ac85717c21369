// bench/host-read: ingest 100,000 foreign (host EHR) FHIR resources as Bulk-export NDJSON lines with
// streamHostFhir (a window at a time: the headline figure, the issue's "NDJSON, streamed") and
// readHostFhir (whole), and compare with JSON.parse of the same lines, measured in the same run. Then
// stream the same lines from a file (an async iterable, as `$export` output is read) and sample the
// heap and the RSS over time: readHostFhir holds the input, streamHostFhir lets each window go once its
// results are handed over (here: counted and dropped).
//
//   npm run bench                 (from the repository root; builds first)
//   node host-read.bench.mjs --resources 20000 --rounds 3 --target 5 [--window 10000]
//     [--against /tmp/old-fhir/dist/index.js]   (another build of @peerkit/fhir, e.g. a copy of the
//     previous dist: its streamHostFhir alternates with this one's over the same lines, CPU compared)
//   node host-read.bench.mjs --digest [--window N] [--against …]   (no timing: the SHA-256 of everything
//     streamHostFhir and readHostFhir output over the lines, compared with the digest pinned below for
//     100,000 lines, and the other build's when --against is given; the fixture corpus has its own
//     pinned digest in packages/fhir/src/host/output-digest.test.ts)
//   [--order type] [--identifiers]   (other scenarios, timed or digested: the lines ordered by type, as
//     an export's files are, instead of by patient; resources naming their Patient by identifier,
//     `Patient?identifier=system|MRN`, instead of `Patient/<id>`. Nothing is pinned for them.)
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_WINDOW_SIZE, readHostFhir, streamHostFhir } from '@peerkit/fhir';

const { values } = parseArgs({
  options: {
    resources: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
    target: { type: 'string', default: '5' },
    // streamHostFhir's windowSize (its default when not given): to see what the window's size costs.
    window: { type: 'string' },
    // Another build of @peerkit/fhir (its dist/index.js) to compare with in this process.
    against: { type: 'string' },
    // Print the output's digest instead of timing (see the header).
    digest: { type: 'boolean', default: false },
    // The lines ordered by type, as most EHRs write a Bulk export (one file per type), instead of by patient.
    order: { type: 'string', default: 'patient' },
    // Resources name their Patient by identifier (`Patient?identifier=system|MRN`) instead of `Patient/<id>`.
    identifiers: { type: 'boolean', default: false },
  },
});
const wanted = Number(values.resources);
const rounds = Number(values.rounds);
const target = Number(values.target);
const streamOptions = { asOf: '2025-04-01', ...(values.window === undefined ? {} : { windowSize: Number(values.window) }) };

// --- A synthetic Bulk export in the shapes the host fixtures have (US Core, host extensions) --------
const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const NOTE = Buffer.from('Peer support visit (synthetic). Talked about the week and the plan; next visit in 7 days.').toString('base64');
const pad = (n) => String(n).padStart(6, '0');
const day = (i) => `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;

function* practitioners(count) {
  yield { resourceType: 'Organization', id: 'org-1', identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1999999992' }], type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' }] }], name: 'Example Center', address: [{ state: 'VA' }] };
  for (let i = 0; i < count; i++) {
    yield { resourceType: 'Practitioner', id: `prac-${i}`, identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: `1${pad(i)}002` }], name: [{ family: 'Testpeer', given: [`P${i}`] }], qualification: [{ identifier: [{ system: 'urn:cert', value: `CPS-${i}` }], code: { text: 'CPS' }, period: { start: '2024-01-01' }, issuer: { display: 'Board' } }] };
    yield { resourceType: 'PractitionerRole', id: `role-${i}`, practitioner: { reference: `Practitioner/prac-${i}` }, organization: { reference: 'Organization/org-1' }, code: [{ coding: [{ system: 'http://nucc.org/provider-taxonomy', code: '175T00000X' }] }] };
  }
}

function* patient(i, staff) {
  const p = `pat-${pad(i)}`;
  // How the resources name their Patient: `Patient/<id>`, or by its MRN (`--identifiers`).
  const me = values.identifiers ? { reference: `Patient?identifier=urn:oid:2.999.1.2.5.1|MRN-${pad(i)}` } : { reference: `Patient/${p}` };
  const prac = `Practitioner/prac-${i % staff}`;
  const d = day(i);
  yield {
    resourceType: 'Patient',
    id: p,
    meta: { lastUpdated: '2025-03-31T23:00:00Z' },
    extension: [{ url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: 'F' }],
    identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: 'urn:oid:2.999.1.2.5.1', value: `MRN-${pad(i)}` }],
    name: [{ family: 'Testpatient', given: [`N${i}`] }],
    birthDate: '1990-01-05',
  };
  for (let k = 0; k < 5; k++) {
    const peer = k < 4;
    yield {
      resourceType: 'Encounter',
      id: `enc-${pad(i)}-${k}`,
      extension: [{ url: 'https://ehr.example.org/fhir/StructureDefinition/visit-billing-status', valueCode: 'billed' }],
      status: 'finished',
      class: { system: ACT, code: k === 2 ? 'VR' : 'AMB' },
      type: [{ coding: [peer ? { system: HCPCS, code: 'H0038' } : { system: 'http://www.ama-assn.org/go/cpt', code: '90792' }] }],
      subject: me,
      participant: [{ individual: { reference: prac } }],
      period: { start: `${d}T1${k}:00:00-05:00`, end: `${d}T1${k}:45:00-05:00` },
      serviceProvider: { reference: 'Organization/org-1' },
      location: [{ location: { reference: 'Location/loc-1' } }],
    };
  }
  for (let k = 0; k < 4; k++) {
    yield { resourceType: 'DocumentReference', id: `doc-${pad(i)}-${k}`, status: 'current', docStatus: 'final', type: { coding: [{ system: 'http://loinc.org', code: '11506-3' }] }, subject: me, date: `${d}T1${k}:50:00-05:00`, author: [{ reference: prac }], content: [{ attachment: { contentType: 'text/plain', data: NOTE } }], context: { encounter: [{ reference: `Encounter/enc-${pad(i)}-${k}` }] } };
  }
  for (let k = 0; k < 3; k++) {
    yield { resourceType: 'Observation', id: `obs-${pad(i)}-${k}`, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '44261-6' }] }, subject: me, effectiveDateTime: `${d}T10:50:00-05:00`, valueInteger: 6 };
  }
  yield { resourceType: 'Goal', id: `goal-${pad(i)}-0`, lifecycleStatus: 'active', description: { text: 'Call my sponsor every day' }, subject: me, target: [{ dueDate: '2025-12-31' }] };
  yield { resourceType: 'Goal', id: `goal-${pad(i)}-1`, lifecycleStatus: 'active', description: { text: 'Find a part-time job' }, subject: me };
  yield { resourceType: 'CarePlan', id: `cp-${pad(i)}`, status: 'active', intent: 'plan', subject: me, period: { start: '2025-01-01' }, author: { reference: prac }, goal: [{ reference: `Goal/goal-${pad(i)}-0` }], activity: [{ detail: { code: { coding: [{ system: HCPCS, code: 'H0038' }] }, status: 'in-progress' } }] };
  yield { resourceType: 'ServiceRequest', id: `sr-${pad(i)}`, status: 'active', intent: 'order', code: { coding: [{ system: 'http://snomed.info/sct', code: '461481000124109' }] }, subject: me, authoredOn: `${d}T09:00:00-05:00`, requester: { reference: prac } };
  yield { resourceType: 'Task', id: `task-${pad(i)}`, status: 'completed', intent: 'order', focus: { reference: `ServiceRequest/sr-${pad(i)}` }, for: me, lastModified: `${d}T16:00:00-05:00` };
  yield { resourceType: 'Consent', id: `consent-${pad(i)}`, status: 'active', scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] }, category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }], patient: me, dateTime: `${d}T08:00:00-05:00`, policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentpolicycodes', code: 'hipaa-auth' }] }, provision: { type: 'permit', period: { start: d }, purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }] } };
}

const staff = 50;
const lines = [];
for (const r of practitioners(staff)) lines.push(JSON.stringify(r));
for (let i = 0; lines.length < wanted; i++) for (const r of patient(i, staff)) if (lines.length < wanted) lines.push(JSON.stringify(r));
if (values.order === 'type') {
  // A stable sort by type in the order of an export's files: staff first, then each type's file.
  const TYPES = ['Organization', 'Practitioner', 'PractitionerRole', 'Patient', 'Encounter', 'DocumentReference', 'Observation', 'Goal', 'CarePlan', 'ServiceRequest', 'Task', 'Consent'];
  const rank = (line) => TYPES.indexOf(JSON.parse(line).resourceType);
  const ranked = lines.map((line, i) => [rank(line), i, line]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let i = 0; i < lines.length; i++) lines[i] = ranked[i][2];
} else if (values.order !== 'patient') throw new Error('--order is patient or type');
/** The scenario, as the output names it. */
const scenario = `ordered by ${values.order}${values.identifiers ? ', Patients named by identifier' : ''}`;
const bytes = lines.reduce((n, l) => n + l.length + 1, 0);

// --- Output identity: the digest of every record (sources included), context item and finding ------
/**
 * The output of 100,000 lines: whole (as read by the build that first passed these lines), and
 * streamed in windows of 500 (the default), 1,000 and 10,000 (the default before), as read since
 * windows close between two patients' resources. Before that, windows of 10,000 gave 2817357c… and
 * windows of 1,000 gave 6d1ea78c… (the same whether they kept their resources parsed or as lines); now
 * each gives exactly the whole read's records (checked below).
 */
const PINNED = {
  resources: 100_000,
  stream: {
    500: '8c0208bbe34cc9183a38b6add256289502d82220957b4d4a2a571dcfbdf2ff9e',
    1000: '7403781c462ca86b08d698a61901219a9a0da1b601640d5d050fbe982162e6f6',
    10000: '89f2fd107a41556eaa27dd794d82f386bdda40f0a8315ccd801c93f5d8a1bb58',
  },
  whole: '148eaa5f4651a30edd1f5618200f2bae4ab7b109cb397a998e76e6d9736e218b',
};
if (values.digest) {
  /** SHA-256 over each result's records, context items, findings and profile, one JSON text each. */
  const digestOf = (results) => {
    const hash = createHash('sha256');
    for (const result of results) {
      for (const key of ['records', 'context', 'findings']) for (const item of result[key]) hash.update(JSON.stringify(item)).update('\n');
      hash.update(JSON.stringify(result.profile)).update('\n--\n');
    }
    return hash.digest('hex');
  };
  /** Every record of the results as JSON text, sorted (the order of windows aside). */
  const recordsOf = (results) => results.flatMap((result) => result.records.map((record) => JSON.stringify(record))).sort();
  const sameRecords = (a, b) => a.length === b.length && a.every((text, i) => text === b[i]);
  const digests = async (fhir) => {
    const windows = [];
    for await (const window of fhir.streamHostFhir(lines, streamOptions)) windows.push(window);
    const stream = digestOf(windows);
    const streamed = recordsOf(windows);
    windows.length = 0;
    const whole = fhir.readHostFhir(lines, { asOf: '2025-04-01' });
    return { stream, whole: digestOf([whole]), sameRecords: sameRecords(streamed, recordsOf([whole])), records: streamed.length };
  };
  const window = values.window === undefined ? DEFAULT_WINDOW_SIZE : Number(values.window);
  const expected = lines.length === PINNED.resources && values.order === 'patient' && !values.identifiers ? { stream: PINNED.stream[window], whole: PINNED.whole } : {};
  const pinned = expected.stream !== undefined;
  const mine = await digests({ readHostFhir, streamHostFhir });
  console.log(`host-read digest over ${lines.length.toLocaleString('en-US')} lines ${scenario}, window ${window.toLocaleString('en-US')}:`);
  for (const key of ['stream', 'whole']) {
    console.log(`  ${key.padEnd(6)} ${mine[key]}${expected[key] === undefined ? '' : mine[key] === expected[key] ? '  = pinned' : `  ≠ pinned ${expected[key]}`}`);
  }
  // Ordered by patient, the lines stream into exactly the whole read's records; ordered by type, a
  // window joins only what it holds (printed, not checked).
  console.log(`  streamed records ${mine.sameRecords ? '=' : '≠'} the whole read's (${mine.records.toLocaleString('en-US')} records streamed, compared sorted)`);
  if (values.against !== undefined) {
    const other = await digests(await import(pathToFileURL(resolve(values.against)).href));
    for (const key of ['stream', 'whole']) console.log(`  ${key.padEnd(6)} ${other[key]}  ${values.against} (${other[key] === mine[key] ? 'same' : 'DIFFERENT'})`);
  }
  process.exit((values.order === 'patient' && !mine.sameRecords) || mine.whole !== (expected.whole ?? mine.whole) || (pinned && mine.stream !== expected.stream) ? 1 : 0);
}

// --- Throughput: streamHostFhir and readHostFhir over the lines vs JSON.parse of the same lines -----
// Wall time (median) and CPU time of this process (best round: on a shared machine it is the figure
// other processes disturb least) are both printed; the ratio target applies to CPU time. Each read
// runs its rounds in a phase of its own, alternating with JSON.parse rounds (measured at the same
// moments, under the same load), after a full collection when the bench runs with --expose-gc: the
// old-generation garbage a whole read or a 10,000 window leaves is then not paid inside another
// read's rounds, and each phase's rounds pay for the garbage of the rounds before them (a steady state).
const time = async (fn) => {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const out = await fn();
  const used = process.cpuUsage(cpu);
  return [performance.now() - wall, (used.user + used.system) / 1000, out];
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const best = (xs) => Math.min(...xs);
const parseAll = () => {
  let n = 0;
  for (const line of lines) n += JSON.parse(line).resourceType.length;
  return n;
};
/** streamHostFhir over the lines, counting records and dropping each window's results. */
const streamAll = async (options) => {
  let n = 0;
  for await (const window of streamHostFhir(lines, options)) n += window.records.length;
  return n;
};
/** `rounds` rounds of `fn` alternating with JSON.parse rounds: each one's wall and CPU times. */
const phase = async (fn) => {
  globalThis.gc?.();
  await fn();
  const read = { wall: [], cpu: [] };
  const base = { wall: [], cpu: [] };
  for (let i = 0; i < rounds; i++) {
    const [rw, rc] = await time(fn);
    read.wall.push(rw);
    read.cpu.push(rc);
    const [bw, bc] = await time(parseAll);
    base.wall.push(bw);
    base.cpu.push(bc);
  }
  return { read, base, ratio: best(read.cpu) / best(base.cpu), wallRatio: median(read.wall) / median(base.wall) };
};
const startLoad = loadavg().map((n) => n.toFixed(1)).join(' ');
const windowSize = streamOptions.windowSize ?? DEFAULT_WINDOW_SIZE;
const stream = await phase(() => streamAll(streamOptions));
// Windows of 10,000, the default before: what a caller who wants the wider reach pays.
const wide = windowSize === 10_000 ? undefined : await phase(() => streamAll({ ...streamOptions, windowSize: 10_000 }));
let warm;
const read = await phase(() => {
  warm = undefined;
  warm = readHostFhir(lines, { asOf: '2025-04-01' });
});
const kinds = {};
for (const rec of warm.records) kinds[rec.kind] = (kinds[rec.kind] ?? 0) + 1;
const codes = {};
for (const f of warm.findings) codes[f.code] = (codes[f.code] ?? 0) + 1;

// The machine's load while the rounds ran: CPU-time ratios move with it on a shared machine.
const load = loadavg().map((n) => n.toFixed(1)).join(' ');
console.log(`host-read: ${lines.length.toLocaleString('en-US')} resources ${scenario}, ${(bytes / 1e6).toFixed(1)} MB of NDJSON, ${rounds} rounds each (load average ${startLoad} before the rounds, ${load} after)`);
console.log(`  records (whole read): ${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', ')}; context ${warm.context.length}`);
console.log(`  findings (whole read): ${Object.entries(codes).map(([k, n]) => `${k} ${n}`).join(', ')}`);
const row = (name, { read: r, base: b }, unit = 'resources/s') => {
  const wall = median(r.wall);
  console.log(`  ${name.padEnd(30)} ${wall.toFixed(0).padStart(6)} ms wall (median)  ${best(r.cpu).toFixed(0).padStart(6)} ms CPU (best)  ${Math.round(lines.length / (wall / 1000)).toLocaleString('en-US').padStart(9)} ${unit};  JSON.parse ${best(b.cpu).toFixed(0)} ms CPU (best)`);
};
row(`streamHostFhir, window ${windowSize.toLocaleString('en-US')}`, stream);
if (wide) row('streamHostFhir, window 10,000', wide);
row('readHostFhir (whole)', read);
console.log(`  ratio (streamed, the issue's measure) ${stream.ratio.toFixed(2)}× CPU, ${stream.wallRatio.toFixed(2)}× wall (target ≤ ${target}×) ${stream.ratio <= target ? 'OK' : 'OVER TARGET'}`);
if (wide) console.log(`  ratio (streamed, window 10,000)       ${wide.ratio.toFixed(2)}× CPU, ${wide.wallRatio.toFixed(2)}× wall`);
console.log(`  ratio (whole, readHostFhir)           ${read.ratio.toFixed(2)}× CPU, ${read.wallRatio.toFixed(2)}× wall`);

// --- Against another build: the two streamHostFhir alternate over the same lines ------------------
// On a shared machine the ratio to JSON.parse moves with the load; the CPU time of two builds measured
// one after the other, in turns, in one process, moves much less.
if (values.against !== undefined) {
  const other = await import(pathToFileURL(resolve(values.against)).href);
  const streamWith = async (read) => {
    let n = 0;
    for await (const window of read(lines, streamOptions)) n += window.records.length;
    return n;
  };
  const cpuOf = async (read) => {
    const cpu = process.cpuUsage();
    await streamWith(read);
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / 1000;
  };
  const times = { this: [], other: [] };
  await streamWith(other.streamHostFhir);
  for (let i = 0; i < rounds; i++) {
    // Each round starts with the other build than the last one did.
    const order = i % 2 === 0 ? ['other', 'this'] : ['this', 'other'];
    for (const which of order) times[which].push(await cpuOf(which === 'this' ? streamHostFhir : other.streamHostFhir));
  }
  const ms = (xs) => xs.map((x) => x.toFixed(0)).join(' ');
  console.log(`  against ${values.against}: streamHostFhir CPU ms this build ${ms(times.this)}, the other ${ms(times.other)} (load average ${loadavg().map((n) => n.toFixed(1)).join(' ')})`);
  console.log(
    `    this build takes ${(best(times.this) / best(times.other)).toFixed(2)} (best rounds) and ${(median(times.this) / median(times.other)).toFixed(2)} (median rounds) of the other's CPU time`,
  );
}

// --- Memory: stream the lines from a file, sample the heap and the RSS every 10% of the input -------
// streamHostFhir runs first, so its RSS is not the pages an earlier whole read left mapped.
const dir = mkdtempSync(join(tmpdir(), 'peerkit-host-read-'));
const file = join(dir, 'export.ndjson');
writeFileSync(file, `${lines.join('\n')}\n`);
lines.length = 0;
warm.records.length = 0;
warm = undefined;
// Live heap: after a full GC when the bench runs with --expose-gc (else heapUsed, garbage included).
const heap = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};
const rss = () => process.memoryUsage().rss / 1e6;
const every = Math.max(1, Math.floor(wanted / 10));
/** `[lines read, live heap MB, RSS MB]` at each 10% of the lines of the current pass. */
let samples = [];
async function* streamed() {
  let n = 0;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    yield line;
    if (++n % every === 0) samples.push([n, heap(), rss()]);
  }
}
/** A turn of the event loop lets a finished pass (its promise chain and result) go before measuring. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

await settle();
const startStream = heap();
const startStreamRss = rss();
let streamedRecords = 0;
for await (const window of streamHostFhir(streamed(), streamOptions)) streamedRecords += window.records.length;
const endStream = heap();
const streamSamples = samples;

samples = [];
await settle();
const start = heap();
{
  const kept = [];
  for await (const line of streamed()) kept.push(JSON.parse(line));
}
const baseline = samples;

samples = [];
await settle();
const startRead = heap();
const startReadRss = rss();
let result = await readHostFhir(streamed(), { asOf: '2025-04-01' });
const end = heap();
const held = result.records.length;
result = undefined;
const readSamples = samples;
rmSync(dir, { recursive: true, force: true });

const from = (xs, at, i = 1) => xs.map((x) => (x[i] - at).toFixed(0)).join(' ');
console.log(`  live heap while streaming from a file (MB above each pass's start, at each 10% of the lines; after a GC when run with --expose-gc):`);
console.log(`    streamHostFhir           ${from(streamSamples, startStream)}  → ${(endStream - startStream).toFixed(0)} (${streamedRecords.toLocaleString('en-US')} records handed over, window by window, and dropped)`);
console.log(`    JSON.parse, objects kept ${from(baseline, start)}  (baseline: the parsed resources alone)`);
console.log(`    readHostFhir             ${from(readSamples, startRead)}  → ${(end - startRead).toFixed(0)} with ${held.toLocaleString('en-US')} records held`);
// RSS is the whole process: pages the throughput rounds above left mapped are returned lazily, so it
// is printed as it is (MB), and its growth is taken from the first sample on.
console.log(`  RSS at the same points (MB, the whole process; ${startStreamRss.toFixed(0)} and ${startReadRss.toFixed(0)} when each pass started):`);
console.log(`    streamHostFhir           ${from(streamSamples, 0, 2)}`);
console.log(`    readHostFhir             ${from(readSamples, 0, 2)}`);
const growth = (xs, i = 1) => (((xs.at(-1)?.[i] ?? 0) - (xs[0]?.[i] ?? 0)) / ((xs.at(-1)?.[0] ?? 1) - (xs[0]?.[0] ?? 0))) * 1000;
const peak = Math.max(...streamSamples.map((x) => x[1])) - startStream;
const peakRss = Math.max(...streamSamples.map((x) => x[2])) - (streamSamples[0]?.[2] ?? 0);
console.log(
  `  streamHostFhir: heap peaks ${peak.toFixed(0)} MB above its start and RSS ${peakRss.toFixed(0)} MB above its first sample, from 10% to 100% of the lines heap ${growth(streamSamples).toFixed(2)} and RSS ${growth(streamSamples, 2).toFixed(2)} MB per 1,000 resources: ` +
    `flat (a window of ${windowSize.toLocaleString('en-US')} resources and its results); readHostFhir grows ${growth(readSamples).toFixed(2)} MB per 1,000 (parsed objects kept: ${growth(baseline).toFixed(2)} MB): linear`,
);
