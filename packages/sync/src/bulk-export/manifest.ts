/** The manifest of a completed Bulk Data export. See: https://hl7.org/fhir/uv/bulkdata/STU2/export.html#response---complete-status */

/** One output file of an export. */
export interface BulkOutputFile {
  /** The resource type of its lines. */
  type: string;
  /** Where to download it. */
  url: string;
  /** How many resources it holds, when the server says. */
  count?: number;
}

/** The manifest of a completed export. */
export interface BulkManifest {
  /** The server's time of the export's snapshot: the `_since` of the next incremental export. */
  transactionTime: string;
  /** The kick-off request, as the server took it. */
  request: string;
  /** Whether downloading the files needs the access token. */
  requiresAccessToken: boolean;
  /** The data files. */
  output: BulkOutputFile[];
  /** Files of OperationOutcomes about what could not be exported. */
  error: BulkOutputFile[];
}

/**
 * A manifest from a status answer's body, or undefined when the body is not one.
 *
 * @param body - the parsed JSON body
 * @returns the manifest (files without a type or URL left out)
 */
export function toManifest(body: unknown): BulkManifest | undefined {
  const value = body as Partial<Record<keyof BulkManifest, unknown>> | undefined;
  if (typeof value !== 'object' || value === null || typeof value.transactionTime !== 'string' || !Array.isArray(value.output)) return undefined;
  const files = (list: unknown): BulkOutputFile[] =>
    (Array.isArray(list) ? list : [])
      .filter((f): f is { type: string; url: string; count?: unknown } => typeof f?.type === 'string' && typeof f?.url === 'string')
      .map((f) => ({ type: f.type, url: f.url, ...(typeof f.count === 'number' ? { count: f.count } : {}) }));
  return {
    transactionTime: value.transactionTime,
    request: typeof value.request === 'string' ? value.request : '',
    requiresAccessToken: value.requiresAccessToken === true,
    output: files(value.output),
    error: files(value.error),
  };
}
