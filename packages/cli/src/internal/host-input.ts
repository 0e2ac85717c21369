import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { readHostFhir, streamHostFhir, type HostEntryItem, type HostLine, type HostReadResult, type ReadHostOptions } from '@peerkit/fhir';
import type { CliIo } from '../cli-io';
import { CliError } from './cli-error';
import { fileErrorCode, readError, readTextFile, writeError } from './files';
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

/** The `.ndjson` and `.json` files of a directory, in name order (a CliError when there are none). */
async function fhirFilesOf(input: string, path: string): Promise<string[]> {
  const files = (await readdir(path, { withFileTypes: true }))
    .filter((e) => e.isFile() && (extname(e.name) === '.ndjson' || extname(e.name) === '.json'))
    .map((e) => e.name)
    .sort();
  if (files.length === 0) throw new CliError(`${input}: no .ndjson or .json files in the directory (a Bulk export has one .ndjson file per type)`);
  return files;
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
      const files = await fhirFilesOf(input, path);
      const result = await readHostFhir(directoryItems(io, input, files), options);
      return { result, read: { input, directory: true, files } };
    }
    const read: HostFiles = { input, directory: false, files: [input] };
    if (extname(input) === '.ndjson') return { result: await readHostFhir(ndjsonLines(path, input), options), read };
    return { result: readHostFhir(await readTextFile(io, input, WHAT), { ...options, file: input }), read };
  });
}

/**
 * The most input items (NDJSON lines, files' resources) the CLI reads whole: an export up to this size
 * is read as one input, so its records join across its files (a Bulk export comes one file per type: a
 * note in DocumentReference.ndjson joins its encounter in Encounter.ndjson), in memory that stays small
 * (about 0.75 MB per 1,000 resources). A larger one streams in `streamHostFhir`'s default windows: in an
 * export ordered by type, a window of any size joins almost nothing there, and the default window
 * costs a third of the CPU of one of 10,000 (`bench/host-read.bench.mjs`).
 */
export const CLI_WHOLE_UP_TO = 10_000;

/** `true` when `items` holds at most `limit` items (stops reading past it). */
async function holdsAtMost(items: AsyncIterable<unknown>, limit: number): Promise<boolean> {
  let count = 0;
  for await (const _item of items) if (++count > limit) return false;
  return true;
}

/**
 * Reads a host EHR's FHIR like {@link readHostFiles}, in bounded memory: a `.ndjson` file or a
 * directory (a Bulk Data `$export`) of at most {@link CLI_WHOLE_UP_TO} items is read whole, as one
 * result, the one `readHostFiles` gives; a larger one goes through `streamHostFhir`, a window at a
 * time, each window's result handed to `onResult` and let go (a reference to a resource of an earlier
 * window stays the host's; staff, organizations, services and groups are held to the last window: see
 * `streamHostFhir`). Any other file (a Bundle, a resource, an array) is read whole, as one result.
 *
 * @param io - for the working directory
 * @param input - the path as the user typed it
 * @param options - `streamHostFhir`'s options (`file` is set here)
 * @param onResult - called with each window's result, in order (awaited before the next is read)
 * @returns what was read
 */
export async function streamHostFiles(
  io: CliIo,
  input: string,
  options: Omit<ReadHostOptions, 'file'>,
  onResult: (result: HostReadResult) => Promise<void> | void,
): Promise<HostFiles> {
  const path = resolve(io.cwd, input);
  return guarded(input, async () => {
    const directory = (await stat(path)).isDirectory();
    const files = directory ? await fhirFilesOf(input, path) : [input];
    if (!directory && extname(input) !== '.ndjson') {
      await onResult(readHostFhir(await readTextFile(io, input, WHAT), { ...options, file: input }));
    } else {
      const items = () => (directory ? directoryItems(io, input, files) : ndjsonLines(path, input));
      if (await holdsAtMost(items(), CLI_WHOLE_UP_TO)) await onResult(await readHostFhir(items(), options));
      else for await (const result of streamHostFhir(items(), options)) await onResult(result);
    }
    return { input, directory, files };
  });
}

/** An output file written in parts and put in place whole at the end (never half a file). */
export interface PartsOutput {
  /** Appends text. */
  write(text: string): Promise<void>;
  /** Puts the file in place (renames the temporary file over it). */
  commit(): Promise<void>;
  /** Removes the temporary file; the output is left as it was. */
  abort(): Promise<void>;
}

/**
 * An output written in parts: a temporary file beside it, opened at the first write (so a read that
 * fails first leaves nothing behind) and renamed over it on `commit` (as `writeOutputFile` writes a
 * whole text). File system errors are one-line `CliError`s naming the file.
 *
 * @param io - for the working directory
 * @param file - the path as the user typed it
 */
export function partsOutput(io: CliIo, file: string): PartsOutput {
  const path = resolve(io.cwd, file);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  const close = async (): Promise<void> => {
    const current = handle;
    handle = undefined;
    await current?.close();
  };
  const named = async (step: () => Promise<void>): Promise<void> => {
    try {
      await step();
    } catch (error) {
      await close().catch(() => undefined);
      await rm(temp, { force: true });
      const code = fileErrorCode(error);
      if (code === undefined) throw error;
      throw writeError(file, code);
    }
  };
  const opened = async (): Promise<FileHandle> => (handle ??= await open(temp, 'wx'));
  return {
    write: (text) => named(async () => (text === '' ? undefined : (await opened()).writeFile(text, 'utf8'))),
    commit: () =>
      named(async () => {
        await (await opened()).sync();
        await close();
        await rename(temp, path);
      }),
    abort: async () => {
      await close().catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}
