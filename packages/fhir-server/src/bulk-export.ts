/**
 * A minimal FHIR Bulk Data `$export` over the in-memory repository, for tests and the demo: the
 * kick-off at system, patient and group level (`Prefer: respond-async`, `_type`, `_since`), a status
 * URL answering 202 with `X-Progress` and `Retry-After` until the export is ready, then the
 * manifest, and one NDJSON file per resource type. The export is a snapshot taken at kick-off.
 *
 * See: https://hl7.org/fhir/uv/bulkdata/STU2/export.html
 */
import { getResourceTypes } from '@medplum/core';
import type { MemoryRepository } from '@medplum/fhir-router';
import type { Group, Resource } from '@medplum/fhirtypes';
import { HttpProblem, outcome } from './internal/http';

/** Options of the embedded `$export` (`FhirServerOptions.bulkExport`). */
export interface BulkExportServerOptions {
  /** Status polls answered 202 (in progress) before the manifest. Default 1. */
  pollsBeforeReady?: number;
  /** `Retry-After` of a 202 status answer, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** The manifest's `requiresAccessToken`: file downloads without an `Authorization` header get 401. Default false. */
  requiresAccessToken?: boolean;
}

/** Where an export starts. */
export type ExportLevel = { kind: 'system' } | { kind: 'patient' } | { kind: 'group'; id: string };

interface Job {
  request: string;
  transactionTime: string;
  polls: number;
  files: { type: string; ndjson: string; count: number }[];
}

/** Every `reference` string in a resource. */
function referencesOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) referencesOf(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'reference' && typeof item === 'string') out.push(item);
      else referencesOf(item, out);
    }
  }
  return out;
}

/** The `_type` and `_since` of a kick-off; other parameters (`_outputFormat` other than NDJSON, `_elements`…) are refused. */
function exportParameters(params: URLSearchParams): { types: string[] | undefined; since: number | undefined } {
  const format = params.get('_outputFormat');
  if (format !== null && !['application/fhir+ndjson', 'application/ndjson', 'ndjson'].includes(format)) {
    throw new HttpProblem(400, outcome('not-supported', 'Only NDJSON output is supported (_outputFormat)'));
  }
  for (const key of params.keys()) {
    if (!['_type', '_since', '_outputFormat'].includes(key)) throw new HttpProblem(400, outcome('not-supported', 'Unsupported $export parameter'));
  }
  const types = params.get('_type')?.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const sinceText = params.get('_since');
  const since = sinceText === null ? undefined : Date.parse(sinceText);
  if (since !== undefined && Number.isNaN(since)) throw new HttpProblem(400, outcome('invalid', '_since must be a FHIR instant'));
  return { types, since };
}

/** The embedded server's export jobs. */
export class BulkExports {
  private readonly jobs = new Map<string, Job>();
  private readonly pollsBeforeReady: number;
  private readonly retryAfterSeconds: number;
  readonly requiresAccessToken: boolean;

  constructor(
    private readonly repo: MemoryRepository,
    options: BulkExportServerOptions = {},
  ) {
    this.pollsBeforeReady = options.pollsBeforeReady ?? 1;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
    this.requiresAccessToken = options.requiresAccessToken ?? false;
  }

  /**
   * Starts an export: takes the snapshot and returns the job's id.
   *
   * @throws HttpProblem 400 without `Prefer: respond-async` or with unsupported parameters, 404 for an unknown group
   */
  async kickOff(level: ExportLevel, params: URLSearchParams, prefer: string, requestUrl: string): Promise<string> {
    if (!/respond-async/i.test(prefer)) throw new HttpProblem(400, outcome('invalid', '$export needs the header Prefer: respond-async'));
    const { types, since } = exportParameters(params);
    const transactionTime = new Date().toISOString();
    const wanted = types ?? getResourceTypes().filter((t) => t !== 'Binary' && t !== 'Bundle');
    let patients: Set<string> | undefined;
    if (level.kind === 'group') {
      const group = await this.repo.readResource<Group>('Group', level.id).catch(() => undefined);
      if (group === undefined) throw new HttpProblem(404, outcome('not-found', 'No such Group'));
      patients = new Set((group.member ?? []).map((m) => m.entity.reference ?? '').filter((r) => r.startsWith('Patient/')));
    }
    const files: Job['files'] = [];
    for (const type of wanted) {
      const all = await this.repo.searchResources<Resource>({ resourceType: type as Resource['resourceType'] });
      const chosen = all.filter((resource) => {
        if (since !== undefined && Date.parse(resource.meta?.lastUpdated ?? '') <= since) return false;
        if (level.kind === 'system') return true;
        const self = `${resource.resourceType}/${resource.id ?? ''}`;
        const named = resource.resourceType === 'Patient' ? [self] : referencesOf(resource).filter((r) => r.startsWith('Patient/'));
        return named.length > 0 && (patients === undefined || named.some((r) => patients.has(r)));
      });
      if (chosen.length > 0) files.push({ type, ndjson: chosen.map((r) => `${JSON.stringify(r)}\n`).join(''), count: chosen.length });
    }
    const id = crypto.randomUUID();
    this.jobs.set(id, { request: requestUrl, transactionTime, polls: 0, files });
    return id;
  }

  /** The status answer: 202 with progress until ready, then 200 with the manifest. */
  status(id: string, baseUrl: string): { status: number; body?: unknown; headers: Record<string, string> } {
    const job = this.job(id);
    if (job.polls < this.pollsBeforeReady) {
      job.polls++;
      return { status: 202, headers: { 'x-progress': `${job.polls} of ${this.pollsBeforeReady + 1} steps`, 'retry-after': String(this.retryAfterSeconds) } };
    }
    return {
      status: 200,
      headers: {},
      body: {
        transactionTime: job.transactionTime,
        request: job.request,
        requiresAccessToken: this.requiresAccessToken,
        output: job.files.map((f, n) => ({ type: f.type, url: `${baseUrl}/$export-file/${id}/${n}`, count: f.count })),
        error: [],
      },
    };
  }

  /** One output file's NDJSON. */
  file(id: string, n: number): string {
    const file = this.job(id).files[n];
    if (file === undefined) throw new HttpProblem(404, outcome('not-found', 'No such export file'));
    return file.ndjson;
  }

  /** Deletes a job (cancel, or clean up after download). */
  delete(id: string): void {
    this.job(id);
    this.jobs.delete(id);
  }

  private job(id: string): Job {
    const job = this.jobs.get(id);
    if (job === undefined) throw new HttpProblem(404, outcome('not-found', 'No such export job'));
    return job;
  }
}
