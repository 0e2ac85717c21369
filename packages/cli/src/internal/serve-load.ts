import type { CliIo } from '../cli-io';
import { CliError } from './cli-error';
import { readTextFile } from './files';

interface FhirJson {
  resourceType?: unknown;
  id?: unknown;
  type?: unknown;
  entry?: { resource?: unknown; response?: { status?: unknown } }[];
}

const isResource = (value: unknown): value is FhirJson & { resourceType: string } =>
  typeof value === 'object' && value !== null && typeof (value as FhirJson).resourceType === 'string';

/** The resources of a file: NDJSON (one a line), or JSON holding a resource, an array or a Bundle. */
function parseResources(text: string, file: string): { resources: FhirJson[]; bundle: FhirJson | undefined } {
  const trimmed = text.trim();
  let whole: unknown;
  try {
    whole = trimmed.startsWith('[') || trimmed.startsWith('{') ? JSON.parse(trimmed) : undefined;
  } catch {
    whole = undefined; // NDJSON: several JSON values, one a line
  }
  if (Array.isArray(whole)) return { resources: whole as FhirJson[], bundle: undefined };
  if (isResource(whole)) {
    if (whole.resourceType === 'Bundle' && (whole.type === 'transaction' || whole.type === 'batch')) return { resources: [], bundle: whole };
    if (whole.resourceType === 'Bundle') return { resources: (whole.entry ?? []).map((e) => e.resource as FhirJson), bundle: undefined };
    return { resources: [whole], bundle: undefined };
  }
  const resources: FhirJson[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      resources.push(JSON.parse(line) as FhirJson);
    } catch {
      throw new CliError(`${file} line ${i + 1}: not JSON (expected one FHIR resource a line)`);
    }
  });
  return { resources, bundle: undefined };
}

/**
 * Loads FHIR resources into the server `peerkit serve` just started: each resource PUT by id (POST
 * without one), a transaction or batch Bundle posted to the base. Any refusal stops the load with a
 * one-line error naming the resource's position and type, never its content.
 *
 * @param token - a bearer token for a server that enforces SMART scopes
 * @returns how many resources were written
 */
export async function loadFhirFile(io: CliIo, file: string, baseUrl: string, token: string | undefined): Promise<number> {
  const { resources, bundle } = parseResources(await readTextFile(io, file, 'a FHIR file'), file);
  const headers = { 'content-type': 'application/fhir+json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) };
  if (bundle !== undefined) {
    const response = await fetch(baseUrl, { method: 'POST', headers, body: JSON.stringify(bundle) });
    if (!response.ok) throw new CliError(`${file}: the FHIR server refused the ${String(bundle.type)} Bundle (HTTP ${response.status})`);
    const answer = (await response.json()) as FhirJson;
    const failed = (answer.entry ?? []).findIndex((e) => !/^2\d\d/.test(String(e.response?.status ?? '')));
    if (failed >= 0) throw new CliError(`${file}: the FHIR server refused Bundle entry ${failed + 1} (${String(answer.entry?.[failed]?.response?.status)})`);
    return answer.entry?.length ?? 0;
  }
  let written = 0;
  for (const [i, resource] of resources.entries()) {
    if (!isResource(resource)) throw new CliError(`${file}: item ${i + 1} is not a FHIR resource (no resourceType)`);
    const type = encodeURIComponent(resource.resourceType);
    const byId = typeof resource.id === 'string' && resource.id !== '';
    const url = byId ? `${baseUrl}/${type}/${encodeURIComponent(String(resource.id))}` : `${baseUrl}/${type}`;
    const response = await fetch(url, { method: byId ? 'PUT' : 'POST', headers, body: JSON.stringify(resource) });
    await response.arrayBuffer();
    if (!response.ok) throw new CliError(`${file}: the FHIR server refused item ${i + 1} (${resource.resourceType}, HTTP ${response.status})`);
    written += 1;
  }
  return written;
}
