import { getResourceTypes, getSearchParameters } from '@medplum/core';
import type { CapabilityStatement, CapabilityStatementRestResource, CapabilityStatementRestSecurity } from '@medplum/fhirtypes';

/** What every resource type supports on this server (see the README for the limits). */
const TYPE_INTERACTIONS = [
  'read',
  'vread',
  'update',
  'patch',
  'delete',
  'history-instance',
  'create',
  'search-type',
] as const;

/** Search parameter types Medplum's in-memory matcher evaluates; others never match. */
const MATCHED_PARAM_TYPES = new Set(['token', 'string', 'uri', 'reference', 'date']);

/**
 * The server's CapabilityStatement, built from the definitions loaded into Medplum's schema:
 * every R4 resource type with its interactions, conditional operations and the search parameters
 * the in-memory engine can match, and `security` when auth is on.
 *
 * See: https://hl7.org/fhir/R4/capabilitystatement.html, https://hl7.org/fhir/R4/http.html#capabilities
 */
export function buildCapabilityStatement(
  baseUrl: string,
  version: string,
  date: string,
  security?: CapabilityStatementRestSecurity,
): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = getResourceTypes()
    .sort()
    .map((type) => {
      const params = Object.entries(getSearchParameters(type) ?? {})
        .filter(([, param]) => MATCHED_PARAM_TYPES.has(param.type ?? ''))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, param]) => ({
          name,
          type: param.type as 'token',
          ...(param.url === undefined ? {} : { definition: param.url }),
        }));
      return {
        type,
        interaction: TYPE_INTERACTIONS.map((code) => ({ code })),
        versioning: 'versioned',
        readHistory: true,
        updateCreate: true,
        conditionalCreate: true,
        conditionalRead: 'not-supported',
        conditionalUpdate: true,
        conditionalDelete: 'single',
        ...(params.length > 0 ? { searchParam: params } : {}),
      };
    });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    publisher: 'PeerKit',
    kind: 'instance',
    instantiates: ['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'],
    software: { name: 'PeerKit embedded FHIR server (Medplum FHIR engine, in memory)', version },
    implementation: {
      description: 'In-memory FHIR R4 server for development, examples and tests; data is lost on close',
      url: baseUrl,
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        ...(security === undefined ? {} : { security }),
        documentation:
          'Transaction Bundles are applied entry by entry (not atomically); search paging uses _count and _offset.',
        resource,
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }],
        // A minimal Bulk Data export (system, Patient and Group level) and import; see bulk-export.ts, bulk-import.ts.
        operation: [
          { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
          // No HL7 OperationDefinition exists for $import yet (the SMART proposal, Azure): PeerKit's own canonical.
          { name: 'import', definition: 'https://peerkit.dev/fhir/OperationDefinition/import' },
        ],
      },
    ],
  };
}
