/**
 * @peerkit/fhir-server — an embedded FHIR R4 server for development, examples and tests:
 * Medplum's FHIR engine over an in-memory repository, behind `node:http` on loopback.
 *
 * @packageDocumentation
 */
export { startFhirServer } from './fhir-server';
export type { FhirServer, FhirServerOptions } from './fhir-server';
export type { BulkExportServerOptions } from './bulk-export';
export type { BulkImportServerOptions } from './bulk-import';
export type { FhirServerAuth, FhirServerAuthOptions } from './auth/guard';
