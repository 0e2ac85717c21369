/**
 * The Provenance of a run in import mode, for what the server reports it imported: per file, every
 * line when the server stored as many resources as the file holds, none when it stored none, and
 * otherwise the lines its error files do not name (an OperationOutcome per refused line, its
 * `expression` `line <n>`, as the embedded server and the SMART Bulk Import proposal give them).
 * A file whose refused lines cannot be told apart is left out (counted), never guessed. Targets are
 * `Type/id` as the import stored them (the ids written in the files); imported Provenance (a
 * specialist's signature) is not named, as in a REST run's Provenance. The entries are the same
 * conditional creates on a `meta.tag` a REST run writes (see `provenance.ts`), sent with the push
 * engine a part at a time, so a resumed run sends the same ones again and the server keeps one of each.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Reference } from 'fhir/r4';
import type { AuthProvider } from '../auth';
import { createBulkHttp } from '../bulk-export/http';
import type { Confirmation, OutboxEntry } from '../outbox';
import { createMemoryOutbox } from '../outbox';
import { runProvenanceEntries } from '../provenance';
import { push } from '../push';
import { createRetryPolicy, type RetryOptions } from '../retry';
import type { FhirTransport } from '../transport';

/** One imported file as the server reported it. */
export interface ImportedFile {
  /** Its path on disk. */
  path: string;
  /** Resources written to it. */
  written: number;
  /** Resources the server reports it stored from it. */
  imported: number;
  /** The server's error files for it (OperationOutcomes of refused lines). */
  errorUrls: string[];
}

/** Options of {@link writeImportProvenance}. */
export interface ImportProvenanceOptions {
  /** The FHIR server. */
  transport: FhirTransport;
  /** The run's id (the Provenance's tag). */
  runId: string;
  /** The files and what the server reported of each. */
  files: readonly ImportedFile[];
  /** On whose behalf; what sent it. */
  author?: Reference;
  transmitter?: Reference;
  /** For the error files: the auth of the import, whether they need the token, plain http. */
  auth?: AuthProvider;
  requiresAccessToken?: boolean;
  allowInsecureHttp?: boolean;
  retry?: RetryOptions;
  signal?: AbortSignal;
  /** The clock in ms. Default `Date.now`. */
  now?: () => number;
}

/** What {@link writeImportProvenance} wrote. */
export interface ImportProvenanceResult {
  /** The Provenance resources on the server (`Type/id`). */
  written: string[];
  /** Imported resources named by them. */
  targets: number;
  /** Imported resources left out: their file's refused lines could not be told apart. */
  unattributed: number;
  /** Provenance entries not confirmed (the server refused them or could not take them). */
  failed: number;
  /** HTTP requests to the FHIR server for them. */
  requests: number;
}

/** Provenance entries sent per push (each names up to 1,000 resources): memory stays bounded. */
const PART = 50;

/**
 * Writes the Provenance of what an import stored.
 *
 * @param options - the server, the run, the files and what the server reported
 * @returns what was written, what was left out
 */
export async function writeImportProvenance(options: ImportProvenanceOptions): Promise<ImportProvenanceResult> {
  const result: ImportProvenanceResult = { written: [], targets: 0, unattributed: 0, failed: 0, requests: 0 };
  const landed: { path: string; refused: ReadonlySet<number> }[] = [];
  for (const file of options.files) {
    if (file.imported === 0) continue;
    if (file.imported >= file.written) {
      landed.push({ path: file.path, refused: new Set() });
      continue;
    }
    const refused = await refusedLines(file.errorUrls, options);
    // Only when the error files name exactly the lines the server did not store.
    if (refused !== undefined && file.written - refused.size === file.imported) landed.push({ path: file.path, refused });
    else result.unattributed += file.imported;
  }
  async function* confirmations(): AsyncGenerator<Confirmation> {
    for (const file of landed) {
      let line = 0;
      for await (const text of createInterface({ input: createReadStream(file.path), crlfDelay: Infinity })) {
        if (text.trim() === '') continue;
        line++;
        if (file.refused.has(line)) continue;
        const { resourceType, id } = JSON.parse(text) as { resourceType: string; id: string };
        if (resourceType === 'Provenance') continue;
        result.targets++;
        // An import is an upsert: the server does not say whether it created the resource.
        yield { key: `${resourceType}/${id}`, location: `${resourceType}/${id}`, created: false };
      }
    }
  }
  const recorded = new Date((options.now ?? Date.now)()).toISOString();
  let part: OutboxEntry[] = [];
  const send = async (): Promise<void> => {
    const outbox = createMemoryOutbox();
    await outbox.add(part);
    await outbox.markComplete();
    const summary = await push({ transport: options.transport, outbox, ...(options.retry === undefined ? {} : { retry: options.retry }), ...(options.signal === undefined ? {} : { signal: options.signal }) });
    for await (const c of outbox.confirmations()) result.written.push(c.location);
    result.failed += part.length - summary.confirmed;
    result.requests += summary.requests;
    part = [];
  };
  const entries = runProvenanceEntries({
    runId: options.runId,
    confirmations: confirmations(),
    recorded,
    ...(options.author === undefined ? {} : { author: options.author }),
    ...(options.transmitter === undefined ? {} : { transmitter: options.transmitter }),
  });
  for await (const entry of entries) {
    part.push(entry);
    if (part.length === PART) await send();
  }
  if (part.length > 0) await send();
  return result;
}

/**
 * The line numbers (from 1) the error files name (`expression` `line <n>`), or `undefined` when
 * they cannot be read or one names no line (or line 0: the whole file).
 */
async function refusedLines(urls: readonly string[], options: ImportProvenanceOptions): Promise<Set<number> | undefined> {
  const lines = new Set<number>();
  const http = createBulkHttp({ baseUrl: options.transport.baseUrl, ...(options.auth === undefined ? {} : { auth: options.auth }), timeoutMs: createRetryPolicy(options.retry).timeoutMs, allowInsecureHttp: options.allowInsecureHttp === true });
  for (const url of urls) {
    let reply;
    try {
      reply = await http.send(url, { authorize: options.requiresAccessToken === true, file: true, headers: { accept: 'application/fhir+ndjson' }, ...(options.signal === undefined ? {} : { signal: options.signal }) });
    } catch {
      return undefined;
    }
    if (reply.kind !== 'response' || reply.status !== 200 || reply.body === null) {
      if (reply.kind === 'response') await reply.body?.cancel();
      return undefined;
    }
    const text = await new Response(reply.body).text();
    for (const row of text.split('\n')) {
      if (row.trim() === '') continue;
      let named: number | undefined;
      try {
        const outcome = JSON.parse(row) as { issue?: { expression?: string[] }[] };
        for (const issue of outcome.issue ?? []) {
          for (const expression of issue.expression ?? []) {
            const match = /^line (\d+)$/.exec(expression);
            if (match !== null) named = Number(match[1]);
          }
        }
      } catch {
        return undefined;
      }
      if (named === undefined || named === 0) return undefined;
      lines.add(named);
    }
  }
  return lines;
}
