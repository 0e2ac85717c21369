import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError } from './cli-error';

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
