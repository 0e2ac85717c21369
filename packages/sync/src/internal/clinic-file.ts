import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createFhirContext, toFhirRecord, transactionRequest } from '@peerkit/fhir';
import { readClinicExport, type ClinicRecord, type Result } from '@peerkit/model';
import type { Reference } from 'fhir/r4';

/** Checks that a clinic export file can be read: the reason (a file-system code) when it cannot. */
export async function checkReadable(path: string): Promise<{ missing: boolean; code: string } | undefined> {
  try {
    await access(path);
    return undefined;
  } catch (error) {
    const code = String((error as { code?: unknown } | null)?.code);
    return { missing: code === 'ENOENT', code };
  }
}

/** One pass over a clinic export file: each line's result, valid or not. */
async function* readResults(path: string): AsyncGenerator<Result<ClinicRecord>> {
  for await (const { result } of readClinicExport(createReadStream(path))) yield result;
}

/**
 * A re-readable stream of a clinic export file's valid records (the mapping reads it three times,
 * so a large export never has to fit in memory). The first pass counts records and invalid lines.
 *
 * @param path - the export
 * @returns the source (a fresh pass each call) and the counts of its first pass
 */
export function recordSource(path: string): { source: () => AsyncGenerator<ClinicRecord>; counts: { records: number; invalid: number } } {
  const counts = { records: 0, invalid: 0 };
  let pass = 0;
  async function* source(): AsyncGenerator<ClinicRecord> {
    const first = ++pass === 1;
    for await (const result of readResults(path)) {
      if (result.ok) {
        if (first) counts.records++;
        yield result.value;
      } else if (first) {
        counts.invalid++;
      }
    }
  }
  return { source, counts };
}

/**
 * The clinic's Organization (the export's first organization record), named by its conditional
 * reference — the sync rewrites it to the Organization's id on the server — with its name as
 * display. Undefined when the export has none.
 *
 * @param path - the export
 * @returns the reference for a Provenance author
 */
export async function exportOrganization(path: string): Promise<Reference | undefined> {
  for await (const result of readResults(path)) {
    if (!result.ok || result.value.kind !== 'organization') continue;
    const organization = result.value;
    const ctx = createFhirContext([organization]);
    const resource = ctx === undefined ? undefined : toFhirRecord(organization, ctx)?.find((r) => r.resourceType === 'Organization');
    if (resource === undefined) return undefined;
    const { url } = transactionRequest(resource);
    if (!url.includes('?')) return undefined;
    return { reference: url, ...(resource.name === undefined ? {} : { display: resource.name }) };
  }
  return undefined;
}
