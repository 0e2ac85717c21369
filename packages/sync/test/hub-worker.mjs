// A hub worker process for the tests and the bench: claims from the PostgreSQL outbox and sends to
// the FHIR server until nothing is left, then prints its summary as one JSON line. Uses the built
// package (dist/): the test task builds it first.
// Environment: PEERKIT_OUTBOX_URL, FHIR_BASE_URL, WORKER_NAME, LEASE_MS, CLAIM_SIZE, BATCH_SIZE.
import { createFhirTransport, openPgOutbox, runHubWorker } from '../dist/index.js';

const env = process.env;
const outbox = await openPgOutbox({
  connectionString: env.PEERKIT_OUTBOX_URL,
  worker: env.WORKER_NAME,
  leaseMs: Number(env.LEASE_MS ?? 30000),
});
try {
  const transport = createFhirTransport({ baseUrl: env.FHIR_BASE_URL });
  const summary = await runHubWorker({
    outbox,
    transport,
    claimSize: Number(env.CLAIM_SIZE ?? 500),
    batchSize: Number(env.BATCH_SIZE ?? 100),
    pollMs: 50,
    retry: { baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 6, timeoutMs: 20000 },
  });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} finally {
  await outbox.close();
}
