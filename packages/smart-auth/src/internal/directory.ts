import type { SmartUser } from '../types';

/** A patient as the launcher and the picker list it. */
export interface DirectoryPatient {
  id: string;
  label: string;
}

/** An encounter as the launcher lists it. */
export interface DirectoryEncounter {
  id: string;
  patient: string | undefined;
  label: string;
}

interface FhirName {
  text?: string;
  given?: string[];
  family?: string;
}

interface SearchBundle {
  entry?: { resource?: Record<string, unknown> }[];
}

function nameOf(names: unknown): string | undefined {
  if (!Array.isArray(names)) return undefined;
  const name = names[0] as FhirName | undefined;
  if (name === undefined) return undefined;
  if (typeof name.text === 'string' && name.text !== '') return name.text;
  const parts = [...(name.given ?? []), name.family ?? ''].filter((part) => part !== '');
  return parts.length === 0 ? undefined : parts.join(' ');
}

/**
 * Reads what the launcher shows from the FHIR server: patients, encounters and practitioners (the
 * first 100 of each), with a bearer token the authorization server mints for itself.
 */
export class FhirDirectory {
  constructor(
    private readonly fhirBaseUrl: string,
    private readonly token: (scope: string) => Promise<string>,
  ) {}

  async #search(type: string, query: string): Promise<Record<string, unknown>[]> {
    const token = await this.token(`system/${type}.rs`);
    const response = await fetch(`${this.fhirBaseUrl}/${type}?_count=100${query}`, {
      headers: { accept: 'application/fhir+json', authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`the FHIR server answered ${response.status} to a ${type} search`);
    const bundle = (await response.json()) as SearchBundle;
    return (bundle.entry ?? []).flatMap((entry) => (entry.resource === undefined ? [] : [entry.resource]));
  }

  async patients(): Promise<DirectoryPatient[]> {
    return (await this.#search('Patient', '')).flatMap((resource) => {
      if (typeof resource.id !== 'string') return [];
      const name = nameOf(resource.name) ?? 'Unnamed patient';
      const born = typeof resource.birthDate === 'string' ? `, born ${resource.birthDate}` : '';
      return [{ id: resource.id, label: `${name}${born} (Patient/${resource.id})` }];
    });
  }

  async encounters(): Promise<DirectoryEncounter[]> {
    return (await this.#search('Encounter', '')).flatMap((resource) => {
      if (typeof resource.id !== 'string') return [];
      const reference = (resource.subject as { reference?: string } | undefined)?.reference;
      const patient = reference?.startsWith('Patient/') === true ? reference.slice('Patient/'.length) : undefined;
      const start = (resource.period as { start?: string } | undefined)?.start;
      return [{ id: resource.id, patient, label: `Encounter/${resource.id}${start === undefined ? '' : ` on ${start.slice(0, 10)}`}${patient === undefined ? '' : ` (Patient/${patient})`}` }];
    });
  }

  async practitioners(): Promise<SmartUser[]> {
    return (await this.#search('Practitioner', '')).flatMap((resource) => {
      if (typeof resource.id !== 'string') return [];
      return [{ id: resource.id, name: nameOf(resource.name) ?? `Practitioner/${resource.id}`, fhirUser: `Practitioner/${resource.id}` }];
    });
  }
}
