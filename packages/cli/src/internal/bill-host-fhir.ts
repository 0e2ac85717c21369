import type { ClaimsConfig, HostBillingSummary } from '@peerkit/billing';
import { parseImportProfile, type ImportProfile } from '@peerkit/fhir';
import type { Finding, Issue } from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { invalidFileError } from './cli-error';
import { readJsonFile } from './files';
import { formatFindingsByCode, plural } from './format';

/** The import profile `--profile` names, validated. */
export async function loadImportProfile(file: string, io: CliIo): Promise<ImportProfile> {
  const result = parseImportProfile(await readJsonFile(io, file, 'an import profile', 'an import profile is one JSON object'));
  if (!result.ok) throw invalidFileError(file, result.issues, 'import profile');
  return result.value;
}

/** What `--host-fhir` read and what billing took from it. */
export interface HostFhirOutput {
  input: string;
  files: readonly string[];
  used: HostBillingSummary;
  /** Facts left out, by kind (`billing.host-*`). */
  issues: Issue[];
  /** The host read's warnings and errors (`host.*`). */
  findings: Finding[];
}

/** The host's payer ids the claims config names (a payer's `id`) → the coverage payer id it is filed under. */
export function payerIdsOf(config: ClaimsConfig | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(config?.payers ?? {}).map(([payerId, payer]) => [payer.id, payerId]));
}

/** The report lines of what `--host-fhir` read and what billing took from it. */
export function hostFhirLines(host: HostFhirOutput): string[] {
  const { used } = host;
  const out = [
    `host FHIR: ${host.input}${host.files.length > 1 ? ` (${plural(host.files.length, 'file')})` : ''}: coverage for ${plural(used.peersWithCoverage, 'member')} (${plural(used.coverages, 'Coverage')}), ${plural(used.diagnoses, 'diagnosis', 'diagnoses')}, ${plural(used.serviceOrders, 'service order')}, ${plural(used.priorAuthorizations, 'prior authorization')}`,
  ];
  const left = [...host.issues, ...host.findings];
  if (left.length > 0) out.push(...formatFindingsByCode(left));
  return out;
}
