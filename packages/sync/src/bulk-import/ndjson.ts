/**
 * The NDJSON a server's `$import` takes: one file per resource type, every resource with an id of
 * its own and every reference literal (`Type/id`). An import has no conditional writes, so the ids
 * are derived from each write's identity (its conditional URL, `Type?identifier=…`): the same
 * record gets the same id in every run, and importing it again overwrites it instead of adding one.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { BundleEntry } from 'fhir/r4';
import { toOutboxEntry } from '../entries';
import { openStringMap } from '../internal/disk-index';
import { collectReferences, isConditionalReference, rewriteReferences } from '../internal/references';

/** Options of {@link writeImportFiles}. */
export interface ImportFilesOptions {
  /** The folder the files go to (created; mode 0700, the files 0600: they hold health data). Required. */
  dir: string;
  /** The id of a write from its identity (its outbox key). Default {@link importId}. */
  idOf?: (key: string) => string;
}

/** One NDJSON file written for an import. */
export interface ImportFile {
  /** Its resource type. */
  type: string;
  /** Its name in the folder (`<Type>.ndjson`). */
  file: string;
  /** Its path. */
  path: string;
  /** Resources in it. */
  count: number;
}

/** What {@link writeImportFiles} wrote. */
export interface ImportFiles {
  /** The files, one per resource type, in the order the types first appeared. */
  files: ImportFile[];
  /** Resources written. */
  resources: number;
  /**
   * References left as they were: to a `urn:uuid:` no entry has, or conditional references to
   * resources outside the input (an import cannot resolve them: give the server those first).
   */
  unresolved: number;
}

/**
 * The import id of a write: a UUID-shaped hash of its identity, so a record keeps its id from one
 * run to the next.
 *
 * @param key - the write's identity (its conditional URL, from `toOutboxEntry`)
 * @returns a FHIR id (36 characters)
 * @example
 * importId('Encounter?identifier=https%3A%2F%2Fclinic.example.org%2Fid|e-1'); // 'a1b2…-…'
 */
export function importId(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Writes transaction Bundle entries (`toSyncEntries`, `streamSyncEntries`) as the NDJSON files a
 * `$import` takes: one `<Type>.ndjson` per resource type, each resource with its {@link importId}
 * and its references to other entries (by `urn:uuid:` or conditional URL) made literal. Entries
 * come before the entries that refer to them, or later in the input (references are resolved from
 * the whole input, kept in scratch files in the folder — `.literal.*`, removed at the end — so
 * memory stays flat however many resources there are).
 *
 * @param entries - the entries, read once
 * @param options - the folder, and how ids are made
 * @returns the files and counts
 * @example
 * const { files } = await writeImportFiles(entries, { dir: 'import/' });
 */
export async function writeImportFiles(entries: Iterable<BundleEntry> | AsyncIterable<BundleEntry>, options: ImportFilesOptions): Promise<ImportFiles> {
  const idOf = options.idOf ?? importId;
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  // First the input as written (ids assigned), then the references rewritten from the whole input.
  // The literal reference of each key and fullUrl is kept in scratch files beside the output.
  const literal = openStringMap(options.dir, '.literal');
  const pendingPath = join(options.dir, '.entries.ndjson');
  const streams = new Map<string, { stream: WriteStream; file: ImportFile }>();
  let resources = 0;
  let unresolved = 0;
  try {
    const scratch = createWriteStream(pendingPath, { mode: 0o600 });
    for await (const entry of entries) {
      const { key, fullUrl, resource } = toOutboxEntry(entry);
      if (resource === undefined) continue;
      const reference = `${resource.resourceType}/${idOf(key)}`;
      literal.set(key, reference);
      if (fullUrl !== undefined) literal.set(fullUrl, reference);
      await writeLine(scratch, JSON.stringify({ ...resource, id: idOf(key) }));
    }
    await close(scratch);

    for await (const line of createInterface({ input: createReadStream(pendingPath), crlfDelay: Infinity })) {
      if (line === '') continue;
      const resource = JSON.parse(line) as { resourceType: string };
      for (const reference of collectReferences(resource)) {
        if ((reference.startsWith('urn:') || isConditionalReference(reference)) && literal.get(reference) === undefined) unresolved++;
      }
      const rewritten = rewriteReferences(resource, (reference) => literal.get(reference));
      let target = streams.get(resource.resourceType);
      if (target === undefined) {
        const file = `${resource.resourceType}.ndjson`;
        const path = join(options.dir, file);
        target = { stream: createWriteStream(path, { mode: 0o600 }), file: { type: resource.resourceType, file, path, count: 0 } };
        streams.set(resource.resourceType, target);
      }
      await writeLine(target.stream, JSON.stringify(rewritten));
      target.file.count++;
      resources++;
    }
    for (const { stream } of streams.values()) await close(stream);
  } finally {
    literal.close();
    await rm(pendingPath, { force: true });
  }
  return { files: [...streams.values()].map((s) => s.file), resources, unresolved };
}

/** Writes a line, waiting for the stream to drain when its buffer is full (flat memory). */
async function writeLine(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(`${text}\n`)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}
