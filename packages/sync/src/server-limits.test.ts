import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BUNDLE_BYTES, SERVER_LIMITS, serverLimitsFor } from './server-limits';
import type { ServerCapabilities } from './write-mode';

const named = (software: string): ServerCapabilities => ({ transaction: true, batch: true, conditionalCreate: true, conditionalUpdate: true, software });

describe('SERVER_LIMITS', () => {
  it('cites a source and how it was checked for every figure', () => {
    for (const limits of SERVER_LIMITS) {
      for (const figure of [limits.maxEntries, limits.maxBytes, limits.bundleRequestsPerSecond, limits.atomicTransactions]) {
        if (figure === undefined) continue;
        expect(figure.source, limits.id).not.toBe('');
        expect(figure.checked, limits.id).not.toBe('');
      }
    }
  });

  it('has unique ids', () => {
    expect(new Set(SERVER_LIMITS.map((l) => l.id)).size).toBe(SERVER_LIMITS.length);
  });
});

describe('serverLimitsFor', () => {
  it.each<[string, string, string | undefined, number | undefined, number | undefined]>([
    ['the embedded server (before Medplum: it names the engine)', 'PeerKit embedded FHIR server (Medplum FHIR engine, in memory)', 'peerkit-embedded', undefined, 64 * 1024 * 1024],
    ['AWS HealthLake', 'AWS HealthLake', 'aws-healthlake', 160, undefined],
    ['the Microsoft FHIR Server (Azure)', 'Microsoft FHIR Server', 'azure-health-data-services', 500, undefined],
    ['Google Cloud Healthcare', 'Cloud Healthcare API', 'google-cloud-healthcare', undefined, 50_000_000],
    ['Medplum (pace from its RateLimit headers)', 'Medplum', 'medplum', undefined, undefined],
    ['HAPI', 'HAPI FHIR Server', 'hapi', undefined, undefined],
    ['an unknown server', 'Acme FHIR', undefined, undefined, undefined],
  ])('%s', (_, software, id, entries, bytes) => {
    const limits = serverLimitsFor(named(software));
    expect(limits?.id).toBe(id);
    expect(limits?.maxEntries?.value).toBe(entries);
    expect(limits?.maxBytes?.value).toBe(bytes);
  });

  it('knows nothing without a CapabilityStatement', () => {
    expect(serverLimitsFor(undefined)).toBeUndefined();
  });

  it('keeps the default Bundle size below every documented one', () => {
    for (const limits of SERVER_LIMITS) if (limits.maxBytes !== undefined) expect(DEFAULT_MAX_BUNDLE_BYTES).toBeLessThanOrEqual(limits.maxBytes.value);
  });
});
