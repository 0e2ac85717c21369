import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { CliIo } from '../cli-io';
import { CliError } from './cli-error';

/** The file system error code of `error`, or undefined when it is not a file system error (a bug). */
export function fileErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The message for a file system error code while reading `file`.
 *
 * @param file - the path as the user typed it
 * @param code - the error's code, e.g. `ENOENT`
 * @param what - what the file should be, for a directory given instead: `a clinic export file`
 * @returns the error to throw (exit 2, no usage line)
 */
export function readError(file: string, code: string, what: string): CliError {
  switch (code) {
    case 'ENOENT':
      return new CliError(`${file}: no such file`);
    case 'EISDIR':
      return new CliError(`${file}: is a directory, not ${what}`);
    case 'ENOTDIR':
      return new CliError(`${file}: cannot read the file (a folder in its path is a file)`);
    case 'EACCES':
    case 'EPERM':
      return new CliError(`${file}: cannot read the file (permission denied)`);
    default:
      return new CliError(`${file}: cannot read the file (${code})`);
  }
}

/** The message for a file system error code while writing `file`. */
export function writeError(file: string, code: string): CliError {
  switch (code) {
    case 'ENOENT':
      return new CliError(`${file}: cannot write: its directory does not exist`);
    case 'EISDIR':
      return new CliError(`${file}: cannot write: it is a directory`);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new CliError(`${file}: cannot write (permission denied)`);
    case 'ENOSPC':
      return new CliError(`${file}: cannot write: no space left on the device`);
    default:
      return new CliError(`${file}: cannot write (${code})`);
  }
}

/** Writes `text` to a temporary file beside `path`, then renames it over `path`: never half a file. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Writes an output file whole or not at all ({@link writeAtomically}); a file system error becomes
 * a one-line `CliError` naming the file.
 *
 * @param io - for the working directory
 * @param file - the path as the user typed it
 * @param text - the whole content
 */
export async function writeOutputFile(io: CliIo, file: string, text: string): Promise<void> {
  try {
    await writeAtomically(resolve(io.cwd, file), text);
  } catch (error) {
    const code = fileErrorCode(error);
    if (code === undefined) throw error;
    throw writeError(file, code);
  }
}

/**
 * Reads a UTF-8 text file whole, without a byte-order mark; a file system error becomes a one-line
 * `CliError` naming the file.
 *
 * @param io - for the working directory
 * @param file - the path as the user typed it
 * @param what - what the file should be, e.g. `a note` (see {@link readError})
 * @returns the text
 */
export async function readTextFile(io: CliIo, file: string, what: string): Promise<string> {
  try {
    return (await readFile(resolve(io.cwd, file), 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    const code = fileErrorCode(error);
    throw readError(file, code ?? 'error', what);
  }
}

/**
 * Reads and parses a JSON file; any failure is a one-line `CliError` naming the file, never quoting
 * its content.
 *
 * @param io - for the working directory
 * @param file - the path as the user typed it
 * @param what - what the file should be, e.g. `a payer pack`
 * @param hint - said after `is not valid JSON` (default `what`), e.g. `a payer pack is one JSON object`
 * @returns the parsed value, unchecked
 */
export async function readJsonFile(io: CliIo, file: string, what: string, hint = what): Promise<unknown> {
  const text = await readTextFile(io, file, what);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // JSON.parse's message quotes the input: never pass it on.
    throw new CliError(`${file}: is not valid JSON (${hint})`);
  }
}
