// bench/cds-hooks: latency of a patient-view call with prefetch (issue 17 target: p95 < 200 ms) over
// HTTP on loopback, JWT verification included: the host fixtures' patient (6 peer encounters, a recovery
// plan, 3 consents, 2 ServiceRequests) prefetched as searchset Bundles, one call at a time. Baseline in
// the same run: an empty node:http handler that reads the body and answers `{"cards":[]}`, called the
// same way with the same body (the cost of HTTP and JSON alone).
//
//   npm run bench                 (from the repository root; builds first)
//   node cds-hooks.bench.mjs --calls 500 --warmup 50 --target 200
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startCdsService } from '@peerkit/cds-hooks';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '500' }, warmup: { type: 'string', default: '50' }, target: { type: 'string', default: '200' } } });
const calls = Number(values.calls);
const warmup = Number(values.warmup);
const target = Number(values.target);

const fixtures = fileURLToPath(new URL('../packages/fhir/test/fixtures/host/resources', import.meta.url));
const resources = readdirSync(fixtures).map((f) => JSON.parse(readFileSync(join(fixtures, f), 'utf8')));
const searchset = (type) => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.filter((r) => r.resourceType === type).map((resource) => ({ resource })) });
const body = JSON.stringify({
  hook: 'patient-view',
  hookInstance: randomUUID(),
  context: { userId: 'Practitioner/pr-1', patientId: 'pat-alpha' },
  prefetch: {
    patient: resources.find((r) => r.resourceType === 'Patient'),
    conditions: searchset('Condition'),
    encounters: searchset('Encounter'),
    carePlans: searchset('CarePlan'),
    consents: searchset('Consent'),
    serviceRequests: searchset('ServiceRequest'),
  },
});

const issuer = 'https://ehr.example.org';
const { privateKey, publicKey } = await generateKeyPair('ES384');
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES384' }] };
const now = new Date('2025-04-10T12:00:00Z');
const cds = await startCdsService({ auth: { clients: [{ issuer, jwks }], now: () => now }, now: () => now });
const aud = `${cds.baseUrl}/cds-services/peerkit-patient-view`;
const tokens = await Promise.all(
  Array.from({ length: calls + warmup }, () =>
    new SignJWT({ jti: randomUUID() }).setProtectedHeader({ alg: 'ES384', kid: 'k1', typ: 'JWT' }).setIssuer(issuer).setAudience(aud).setIssuedAt(Math.floor(now.getTime() / 1000)).setExpirationTime(Math.floor(now.getTime() / 1000) + 300).sign(privateKey),
  ),
);

const empty = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"cards":[]}'));
});
await new Promise((resolve) => empty.listen(0, '127.0.0.1', resolve));
const emptyUrl = `http://127.0.0.1:${empty.address().port}/cds-services/peerkit-patient-view`;

async function measure(url, withToken) {
  const times = [];
  for (let i = 0; i < calls + warmup; i += 1) {
    const start = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(withToken ? { authorization: `Bearer ${tokens[i]}` } : {}) }, body });
    const reply = await res.json();
    const ms = performance.now() - start;
    if (res.status !== 200 || !Array.isArray(reply.cards)) throw new Error(`call ${i}: status ${res.status}`);
    if (withToken && i === 0 && reply.cards.length !== 1) throw new Error('expected the peer support summary card');
    if (i >= warmup) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), max: times.at(-1) };
}

const baseline = await measure(emptyUrl, false);
const service = await measure(aud, true);
await cds.close();
empty.closeAllConnections();
empty.close();

const f = (ms) => `${ms.toFixed(2)} ms`;
console.log(`cds-hooks: patient-view with prefetch, ${calls} calls (after ${warmup} warm-up), JWT verified`);
console.log(`  service   p50 ${f(service.p50)}  p95 ${f(service.p95)}  max ${f(service.max)}`);
console.log(`  baseline  p50 ${f(baseline.p50)}  p95 ${f(baseline.p95)}  max ${f(baseline.max)}  (empty node:http handler, same body)`);
console.log(`  p95 ratio ${(service.p95 / baseline.p95).toFixed(1)}× the baseline; target p95 < ${target} ms: ${service.p95 < target ? '✓' : '✗'}`);
