import { startFhirServer, type FhirServer } from '@peerkit/fhir-server';
import type { Bundle, BundleEntry, Encounter, Patient } from 'fhir/r4';
import { afterAll, beforeAll } from 'vitest';
import { toOutboxEntries } from '../src/entries';
import { createMemoryOutbox, type Outbox } from '../src/outbox';

/** Identifier system of the synthetic test resources. */
export const SYSTEM = 'https://clinic.example.org/id';

/** A deterministic urn:uuid for a test entry. */
export function urn(kind: string, n: number): string {
  const hex = (n + 1).toString(16).padStart(12, '0');
  const prefix = kind === 'patient' ? '1' : kind === 'encounter' ? '2' : '3';
  return `urn:uuid:${prefix}0000000-0000-4000-8000-${hex}`;
}

/** A Patient entry written as a conditional update on its identifier. */
export function patientEntry(n: number, extra: Partial<Patient> = {}): BundleEntry {
  return {
    fullUrl: urn('patient', n),
    resource: { resourceType: 'Patient', identifier: [{ system: SYSTEM, value: `p-${n}` }], active: true, ...extra },
    request: { method: 'PUT', url: `Patient?identifier=${encodeURIComponent(SYSTEM)}|p-${n}` },
  };
}

/** An Encounter entry (conditional create) referring to a patient entry by its urn:uuid. */
export function encounterEntry(n: number, patient: number, extra: Partial<Encounter> = {}): BundleEntry {
  return {
    fullUrl: urn('encounter', n),
    resource: {
      resourceType: 'Encounter',
      identifier: [{ system: SYSTEM, value: `e-${n}` }],
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: urn('patient', patient) },
      ...extra,
    },
    request: { method: 'POST', url: 'Encounter', ifNoneExist: `identifier=${encodeURIComponent(SYSTEM)}|e-${n}` },
  };
}

/** `patients` patients, each followed by `perPatient` encounters. */
export function clinicEntries(patients: number, perPatient: number): BundleEntry[] {
  const entries: BundleEntry[] = [];
  for (let p = 0; p < patients; p++) {
    entries.push(patientEntry(p));
    for (let e = 0; e < perPatient; e++) entries.push(encounterEntry(p * perPatient + e, p));
  }
  return entries;
}

/** Every resource of a type on the server (follows paging). */
export async function allOnServer(baseUrl: string, type: string): Promise<{ id: string; identifier?: { value?: string }[]; subject?: { reference?: string } }[]> {
  const out: { id: string }[] = [];
  let url: string | undefined = `${baseUrl}/${type}?_count=500`;
  while (url !== undefined) {
    const bundle = (await (await fetch(url)).json()) as Bundle;
    for (const e of bundle.entry ?? []) if (e.resource?.id !== undefined) out.push(e.resource as { id: string });
    url = bundle.link?.find((l) => l.relation === 'next')?.url;
  }
  return out;
}

/**
 * Asserts each expected identifier value exists exactly once on the server; returns how many
 * resources of the type there are.
 */
export async function identifierCounts(baseUrl: string, type: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const resource of await allOnServer(baseUrl, type)) {
    for (const id of resource.identifier ?? []) {
      if (id.value !== undefined) counts.set(id.value, (counts.get(id.value) ?? 0) + 1);
    }
  }
  return counts;
}

/** Fast retries for tests: tiny delays, few attempts. */
export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 6, timeoutMs: 5_000 } as const;

/**
 * The embedded FHIR server (port 0) of a test file: started before its tests, closed after them.
 * Call it at the top of the file; read `baseUrl` inside the tests.
 */
export function useEmbeddedServer(): { readonly baseUrl: string } {
  let server: FhirServer | undefined;
  beforeAll(async () => {
    server = await startFhirServer();
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });
  return {
    get baseUrl() {
      if (server === undefined) throw new Error('the embedded server is not started (use it inside a test)');
      return server.baseUrl;
    },
  };
}

let namespace = 0;

/**
 * The entries in a fresh identifier namespace (identifier values, conditional URLs and urn:uuids
 * of their own), so the tests of a file share one server without seeing each other.
 */
export function fresh(entries: BundleEntry[]): BundleEntry[] {
  namespace++;
  const tag = `t${namespace}-`;
  return JSON.parse(
    JSON.stringify(entries)
      .replace(/"(p|e)-(\d+)"/g, `"${tag}$1-$2"`)
      .replace(/\|(p|e)-(\d+)/g, `|${tag}$1-$2`)
      .replace(/urn:uuid:(\d)0000000/g, (_, d: string) => `urn:uuid:${d}${String(namespace).padStart(7, '0')}`),
  ) as BundleEntry[];
}

/** A memory outbox holding the entries. */
export async function outboxWith(entries: BundleEntry[]): Promise<Outbox> {
  const outbox = createMemoryOutbox();
  await outbox.add(toOutboxEntries({ resourceType: 'Bundle', type: 'transaction', entry: entries }));
  return outbox;
}
