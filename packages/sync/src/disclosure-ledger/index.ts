/**
 * The disclosure ledger's implementations that touch the disk or the network: an append-only NDJSON
 * file (`file-ledger`) and a FHIR server (`fhir-ledger`). Both implement `DisclosureLedger` from
 * `@peerkit/safeguards`, which also builds the entries and the reports.
 */
export { openFileDisclosureLedger } from './file-ledger';
export type { FileDisclosureLedger, FileDisclosureLedgerOptions } from './file-ledger';
export { createFhirDisclosureLedger } from './fhir-ledger';
export type { FhirDisclosureLedgerOptions } from './fhir-ledger';
