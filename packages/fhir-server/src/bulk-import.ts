/**
 * A minimal Bulk Data `$import` over the in-memory repository, for tests and the demo (the
 * "ping and pull" kick-off that Azure Health Data Services and the SMART Bulk Import proposal use):
 * `POST [base]/$import` with a `Parameters` body (`inputFormat` `application/fhir+ndjson`, one
 * `input` per file with its `type` and `url`) and `Prefer: respond-async` answers 202 with a status
 * URL; the server fetches each NDJSON file and stores every resource under its own id (an upsert,
 * as a `PUT Type/id`: importing the same files twice changes nothing); the status URL answers 202
 * with `X-Progress` until the import is done, then 200 with `output` (resources stored per file)
 * and `error` (an NDJSON file of OperationOutcomes per file with refused lines). It fetches only
 * from the hosts it is told to (loopback by default).
 *
 * See: https://github.com/smart-on-fhir/bulk-import/blob/master/import-pnp.md,
 * https://learn.microsoft.com/en-us/azure/healthcare-apis/fhir/import-data
 */
import { getResourceTypes } from '@medplum/core';
import type { MemoryRepository } from '@medplum/fhir-router';
import type { OperationOutcome, Parameters, Resource } from '@medplum/fhirtypes';
import { HttpProblem, outcome } from './internal/http';

/** Options of the embedded `$import` (`FhirServerOptions.bulkImport`). */
export interface BulkImportServerOptions {
  /** Hosts whose files it fetches (`hostname` of each input URL). Default loopback only: `127.0.0.1`, `localhost`, `::1`. */
  allowedHosts?: readonly string[];
  /** Status polls answered 202 (in progress) before the result, even when the import is done. Default 1. */
  pollsBeforeReady?: number;
  /** `Retry-After` of a 202 status answer, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** Largest input file, in bytes. Default 256 MiB. */
  maxFileBytes?: number;
}

/** One file of an import. */
interface Input {
  type: string;
  url: string;
}

interface Job {
  request: string;
  transactionTime: string;
  polls: number;
  done: boolean;
  /** Files read so far, of `inputs`. */
  read: number;
  inputs: Input[];
  output: { type: string; count: number; inputUrl: string }[];
  errors: { inputUrl: string; outcomes: OperationOutcome[] }[];
}

const NDJSON_FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** The inputs of a kick-off body; anything else in it is refused with a 400 naming the parameter. */
function importInputs(body: unknown): Input[] {
  const parameters = body as Parameters | undefined;
  if (parameters?.resourceType !== 'Parameters') throw new HttpProblem(400, outcome('invalid', 'The $import body must be a Parameters resource'));
  const format = parameters.parameter?.find((p) => p.name === 'inputFormat')?.valueCode ?? parameters.parameter?.find((p) => p.name === 'inputFormat')?.valueString;
  if (format !== undefined && !NDJSON_FORMATS.has(format)) throw new HttpProblem(400, outcome('not-supported', 'Only NDJSON input is supported (inputFormat)'));
  const types = new Set<string>(getResourceTypes());
  const inputs: Input[] = [];
  for (const input of parameters.parameter?.filter((p) => p.name === 'input') ?? []) {
    const type = input.part?.find((p) => p.name === 'type');
    const url = input.part?.find((p) => p.name === 'url');
    const typeValue = type?.valueCode ?? type?.valueString;
    const urlValue = url?.valueUrl ?? url?.valueUri ?? url?.valueString;
    if (typeValue === undefined || !types.has(typeValue)) throw new HttpProblem(400, outcome('invalid', 'Each input needs a resource type (input.type)'));
    if (urlValue === undefined) throw new HttpProblem(400, outcome('invalid', 'Each input needs a URL (input.url)'));
    inputs.push({ type: typeValue, url: urlValue });
  }
  if (inputs.length === 0) throw new HttpProblem(400, outcome('invalid', 'Name at least one input'));
  return inputs;
}

/** An OperationOutcome about one line of an input (its number, never its content). */
function lineOutcome(line: number, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', details: { text }, expression: [`line ${line}`] }] };
}

/**
 * The embedded server's `$import` jobs (internal: the server routes `$import`, `$import-status/<job>`
 * and `$import-error/<job>/<n>` to them).
 */
export class BulkImports {
  private readonly jobs = new Map<string, Job>();
  private next = 0;
  private readonly allowedHosts: ReadonlySet<string>;

  /**
   * @param repo - the repository the resources go to
   * @param write - runs a write after the server's other requests (the server's serialization)
   * @param options - see {@link BulkImportServerOptions}
   */
  constructor(
    private readonly repo: MemoryRepository,
    private readonly write: <T>(work: () => Promise<T>) => Promise<T>,
    private readonly options: BulkImportServerOptions = {},
  ) {
    this.allowedHosts = new Set((options.allowedHosts ?? ['127.0.0.1', 'localhost', '::1', '[::1]']).map((h) => h.toLowerCase()));
  }

  /**
   * Starts an import: checks the body and the input hosts, then reads the files in the background.
   *
   * @param body - the kick-off's `Parameters`
   * @param prefer - the `Prefer` header (must ask for `respond-async`)
   * @param request - the kick-off URL, echoed in the result
   * @returns the job id
   */
  kickOff(body: unknown, prefer: string, request: string): string {
    if (!/respond-async/i.test(prefer)) throw new HttpProblem(400, outcome('invalid', '$import needs the header Prefer: respond-async'));
    const inputs = importInputs(body);
    for (const input of inputs) {
      let url: URL;
      try {
        url = new URL(input.url);
      } catch {
        throw new HttpProblem(400, outcome('invalid', 'An input URL is not a URL (input.url)'));
      }
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !this.allowedHosts.has(url.hostname.toLowerCase())) {
        throw new HttpProblem(400, outcome('forbidden', 'This server imports only from the hosts it is configured for (input.url)'));
      }
    }
    const id = String(++this.next);
    const job: Job = { request, transactionTime: new Date().toISOString(), polls: 0, done: false, read: 0, inputs, output: [], errors: [] };
    this.jobs.set(id, job);
    void this.run(job);
    return id;
  }

  /** Reads each file and stores its resources; a file that cannot be read is an error entry, not a failed job. */
  private async run(job: Job): Promise<void> {
    const max = this.options.maxFileBytes ?? 256 * 1024 * 1024;
    for (const input of job.inputs) {
      const outcomes: OperationOutcome[] = [];
      let count = 0;
      try {
        const response = await fetch(input.url, { headers: { accept: 'application/fhir+ndjson' } });
        const length = Number(response.headers.get('content-length') ?? 0);
        if (!response.ok || length > max) {
          outcomes.push(lineOutcome(0, response.ok ? 'The input file is larger than this server takes' : `The input file could not be read (HTTP ${response.status})`));
        } else {
          const lines = (await response.text()).split('\n');
          for (let i = 0; i < lines.length; i++) {
            const text = (lines[i] as string).trim();
            if (text === '') continue;
            const problem = await this.store(text, input.type);
            if (problem === undefined) count++;
            else outcomes.push(lineOutcome(i + 1, problem));
          }
        }
      } catch {
        outcomes.push(lineOutcome(0, 'The input file could not be read (network error)'));
      }
      job.output.push({ type: input.type, count, inputUrl: input.url });
      if (outcomes.length > 0) job.errors.push({ inputUrl: input.url, outcomes });
      job.read++;
    }
    job.done = true;
  }

  /** Stores one NDJSON line under its id; the reason (naming the rule, never a value) when it cannot. */
  private async store(text: string, type: string): Promise<string | undefined> {
    let resource: Resource;
    try {
      resource = JSON.parse(text) as Resource;
    } catch {
      return 'The line is not JSON';
    }
    if (resource.resourceType !== type) return 'The resource is not of the input\'s type';
    if (resource.id === undefined || !ID.test(resource.id)) return 'The resource needs an id (an import stores each resource under its own id)';
    try {
      await this.write(() => this.repo.updateResource(resource));
      return undefined;
    } catch {
      return 'The resource is not valid FHIR R4';
    }
  }

  /**
   * A status poll: 202 with `X-Progress` while the import runs, then 200 with the result.
   *
   * @param id - the job
   * @param baseUrl - the server's base, for the error files' URLs
   * @returns the status, headers and body to send
   */
  status(id: string, baseUrl: string): { status: number; headers: Record<string, string>; body?: unknown } {
    const job = this.jobs.get(id);
    if (job === undefined) throw new HttpProblem(404, outcome('not-found', 'No such import'));
    if (!job.done || job.polls < (this.options.pollsBeforeReady ?? 1)) {
      job.polls++;
      return { status: 202, headers: { 'x-progress': `${job.read} of ${job.inputs.length} files read`, 'retry-after': String(this.options.retryAfterSeconds ?? 1) } };
    }
    return {
      status: 200,
      headers: {},
      body: {
        transactionTime: job.transactionTime,
        request: job.request,
        requiresAccessToken: false,
        output: job.output,
        error: job.errors.map((e, n) => ({ type: 'OperationOutcome', count: e.outcomes.length, inputUrl: e.inputUrl, url: `${baseUrl}/$import-error/${id}/${n}` })),
      },
    };
  }

  /**
   * An error file: the OperationOutcomes of one input's refused lines, as NDJSON.
   *
   * @param id - the job
   * @param n - the file's index in the result's `error`
   * @returns the NDJSON text
   */
  errorFile(id: string, n: number): string {
    const file = this.jobs.get(id)?.errors[n];
    if (file === undefined) throw new HttpProblem(404, outcome('not-found', 'No such file'));
    return file.outcomes.map((o) => `${JSON.stringify(o)}\n`).join('');
  }

  /**
   * Forgets an import (a DELETE of its status URL); files already read stay imported.
   *
   * @param id - the job
   */
  delete(id: string): void {
    if (!this.jobs.delete(id)) throw new HttpProblem(404, outcome('not-found', 'No such import'));
  }
}
