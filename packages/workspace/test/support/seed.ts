/** Writes the synthetic clinic to a FHIR server: the host's Patients, then PeerKit's resources, each by PUT. */
import { toFhir } from '@peerkit/fhir';
import { parseRecord, type ClinicRecord } from '@peerkit/model';
import { CLINIC, PATIENTS } from '../fixtures/clinic';

/** The clinic's records, each validated by the model (a fixture that breaks a rule fails the test here). */
export function validClinic(): ClinicRecord[] {
  return CLINIC.map((record, i) => {
    const parsed = parseRecord(record);
    if (!parsed.ok) throw new Error(`fixture record ${i} (${record.kind}) is invalid: ${parsed.issues.map((x) => `${x.code} at ${x.path.join('.')}`).join('; ')}`);
    return parsed.value;
  });
}

/**
 * PUTs every resource to `baseUrl`.
 *
 * @param headers - e.g. an `authorization` header with a system token when the server enforces scopes
 */
export async function seedClinic(baseUrl: string, headers: Record<string, string> = {}): Promise<void> {
  const mapped = toFhir(validClinic());
  if (!mapped.ok) throw new Error(`fixture does not map: ${mapped.issues.map((i) => i.code).join(', ')}`);
  for (const resource of [...PATIENTS, ...mapped.value]) {
    const response = await fetch(`${baseUrl}/${resource.resourceType}/${resource.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json', ...headers },
      body: JSON.stringify(resource),
    });
    if (!response.ok) throw new Error(`seeding ${resource.resourceType} failed: HTTP ${response.status} ${await response.text()}`);
  }
}
