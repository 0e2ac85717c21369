import { toFhir } from '@peerkit/fhir';
import { describe, expect, it } from 'vitest';
import { IDENTIFIER_SYSTEM, PATIENTS } from '../../test/fixtures/clinic';
import { validClinic } from '../../test/support/seed';
import { labelKey, loadPatientRecord, type FhirReader, type FhirResourceJson } from './load-patient';

const mapped = toFhir(validClinic());
if (!mapped.ok) throw new Error('fixture does not map');
const resources = [...PATIENTS, ...mapped.value] as unknown as FhirResourceJson[];

/**
 * A FHIR server in memory that answers the workspace's reads and searches the way the embedded server
 * does (reference searches by `Type/id`), and refuses the types in `refused` (a token without them).
 */
function memoryServer(refused: ReadonlySet<string> = new Set()): FhirReader & { asked: string[] } {
  const asked: string[] = [];
  const refuse = (type: string): void => {
    if (refused.has(type)) throw new Error('HTTP 403');
  };
  return {
    asked,
    async read(url) {
      asked.push(url);
      const [type = '', id] = url.split('/');
      refuse(type);
      const found = resources.find((r) => r.resourceType === type && r.id === id);
      if (!found) throw new Error('HTTP 404');
      return found;
    },
    async search(url) {
      asked.push(url);
      const [type = '', query = ''] = url.split('?');
      refuse(type);
      const params = [...new URLSearchParams(query)].filter(([name]) => name !== '_count');
      return resources.filter((r) => r.resourceType === type && params.every(([, value]) => JSON.stringify(r).includes(`"reference":"${value}"`)));
    },
  };
}

describe('loadPatientRecord', () => {
  it('reads the peer, plan, consent and encounters with their labels, the specialist, the organization and the identifier base', async () => {
    const record = await loadPatientRecord(memoryServer(), 'ws-pat-1', 'Practitioner/pr-sp-ws-1');
    expect(record.patientName).toBe('Robin Synthetica');
    expect(record.peer?.id).toBe('peer-ws-1');
    expect(record.plans.map((p) => p.id)).toEqual(['plan-ws-1']);
    expect(record.consents.map((c) => c.id)).toEqual(['consent-ws-1']);
    expect(record.encounters.map((e) => e.id)).toEqual(['enc-ws-2', 'enc-ws-1']);
    expect(record.specialist?.id).toBe('sp-ws-1');
    expect(record.specialistId).toBe('sp-ws-1');
    expect(record.organization?.programs.find((p) => p.id === 'prog-sud')?.part2).toBe(true);
    expect(record.identifierSystem).toBe(IDENTIFIER_SYSTEM);
    const consent = record.consents[0];
    expect(consent && record.labels.get(labelKey.consent(consent))?.map((c) => c.code)).toContain('42CFRPart2');
    expect(record.unavailable).toEqual([]);
  });

  it('takes the fhirUser given as an absolute URL', async () => {
    const record = await loadPatientRecord(memoryServer(), 'ws-pat-1', 'https://ehr.example.org/fhir/Practitioner/pr-sp-ws-1');
    expect(record.specialistId).toBe('sp-ws-1');
  });

  it('says what the token did not let it read and still knows the specialist from fhirUser', async () => {
    const record = await loadPatientRecord(memoryServer(new Set(['Practitioner', 'PractitionerRole', 'Organization', 'HealthcareService'])), 'ws-pat-1', 'Practitioner/pr-sp-ws-1');
    expect(record.unavailable).toEqual(['Practitioner', 'PractitionerRole', 'Organization', 'HealthcareService']);
    expect(record.specialist).toBeUndefined();
    expect(record.specialistId).toBe('sp-ws-1');
    expect(record.peer?.id).toBe('peer-ws-1');
  });

  it('reads a patient PeerKit has nothing for as an empty record', async () => {
    const record = await loadPatientRecord(memoryServer(), 'ws-pat-2', undefined);
    expect(record.peer).toBeUndefined();
    expect(record.plans).toEqual([]);
    expect(record.encounters).toEqual([]);
    expect(record.specialistId).toBeUndefined();
  });
});
