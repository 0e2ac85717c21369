import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { readHostFhir, type HostEntryItem, type HostLine, type HostReadResult, type ReadHostOptions } from '@peerkit/fhir';
import type { CliIo } from '../cli-io';
import { CliError } from './cli-error';
import { fileErrorCode, readError, readTextFile } from './files';
import { ndjsonLines } from './ndjson';

/** What the host's FHIR is read from, for the messages: the files read, in order. */
export interface HostFiles {
  /** The path as the user typed it. */
  readonly input: string;
  /** `true` when it is a directory (a Bulk Data export). */
  readonly directory: boolean;
  /** The files read, by name (a directory's) or as typed (a file). */
  readonly files: readonly string[];
}

const WHAT = 'a FHIR file (JSON or NDJSON) or a directory of them';

/**
 * A directory's files as one input: each `.ndjson` file line by line, each `.json` file (the `$export`
 * manifest, a Bundle, a resource) as one document under its name.
 */
async function* directoryItems(io: CliIo, dir: string, files: readonly string[]): AsyncGenerator<HostLine | HostEntryItem> {
  for (const name of files) {
    const path = join(resolve(io.cwd, dir), name);
    if (extname(name) === '.ndjson') {
      yield* ndjsonLines(path, name);
      continue;
    }
    const text = await readTextFile(io, join(dir, name), WHAT);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    // Not an object: readHostFhir reads the text as it is and names what is wrong with it.
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) yield { resource: parsed as Record<string, unknown>, path: [name] };
    else yield { text, line: 1, file: name };
  }
}

/** Runs the read, turning a file system error on the way into the one-line error naming the input. */
async function guarded<T>(input: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = fileErrorCode(error);
    if (code === undefined) throw error;
    throw readError(input, code, WHAT);
  }
}

/**
 * Reads a host EHR's FHIR from a file or a directory with `readHostFhir`: a `.ndjson` file streamed
 * line by line, any other file as one text (a Bundle, a resource, an array, NDJSON), a directory (a
 * Bulk Data `$export`) as one input of its `.ndjson` files (and `.json` files, such as the manifest),
 * in name order. File system problems are one-line `CliError`s (exit 2); what is wrong inside the
 * files is `readHostFhir`'s findings.
 *
 * @param io - for the working directory
 * @param input - the path as the user typed it
 * @param options - `readHostFhir`'s options (`file` is set here)
 * @returns the result and what was read
 */
export async function readHostFiles(io: CliIo, input: string, options: Omit<ReadHostOptions, 'file'>): Promise<{ result: HostReadResult; read: HostFiles }> {
  const path = resolve(io.cwd, input);
  return guarded(input, async () => {
    if ((await stat(path)).isDirectory()) {
      const files = (await readdir(path, { withFileTypes: true }))
        .filter((e) => e.isFile() && (extname(e.name) === '.ndjson' || extname(e.name) === '.json'))
        .map((e) => e.name)
        .sort();
      if (files.length === 0) throw new CliError(`${input}: no .ndjson or .json files in the directory (a Bulk export has one .ndjson file per type)`);
      const result = await readHostFhir(directoryItems(io, input, files), options);
      return { result, read: { input, directory: true, files } };
    }
    const read: HostFiles = { input, directory: false, files: [input] };
    if (extname(input) === '.ndjson') return { result: await readHostFhir(ndjsonLines(path, input), options), read };
    return { result: readHostFhir(await readTextFile(io, input, WHAT), { ...options, file: input }), read };
  });
}
