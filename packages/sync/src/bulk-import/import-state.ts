/**
 * What a run in import mode keeps in its state directory to finish an import it started (the
 * process died between writing the files, kicking off and the result): the run's id (its
 * Provenance's tag), the files written with their SHA-256 (a resume must import the same export),
 * the kick-off's status URL once the server gave it, and whether the import (with its Provenance)
 * is done. Written to a temporary file, fsynced and renamed, so a crash leaves the old state or the
 * new one, never half of one. Nothing in it is patient data (types, counts, hashes, a URL).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { SYNC_ERROR_CODES, SyncError } from '../errors';

/** The state file in the state directory. */
export const IMPORT_STATE_FILE = 'import-state.json';

/** One file of an import, as written. */
export interface ImportStateFile {
  /** Its resource type. */
  type: string;
  /** Its name in the import folder. */
  file: string;
  /** Resources in it. */
  count: number;
  /** SHA-256 of its bytes, hex. */
  sha256: string;
}

/** The saved state of an import run. */
export interface ImportState {
  version: 1;
  /** The run's id: its Provenance is tagged with it, so a resumed run writes the same Provenance. */
  runId: string;
  /** The files, in the order they were written. */
  files: ImportStateFile[];
  /** The kick-off's status URL, once the server answered it. */
  statusUrl?: string;
  /** True once the result is in and its Provenance written. */
  done: boolean;
}

/**
 * A new state for files just written.
 *
 * @param files - the files and their hashes
 * @returns the state, with a fresh run id
 */
export function newImportState(files: ImportStateFile[]): ImportState {
  return { version: 1, runId: `import-${randomUUID()}`, files, done: false };
}

/**
 * The saved state in a state directory, if there is one that can be read.
 *
 * @param stateDir - the run's state directory
 * @returns the state; `undefined` when there is none; `'unreadable'` when the file is damaged
 */
export async function loadImportState(stateDir: string): Promise<ImportState | 'unreadable' | undefined> {
  let text: string;
  try {
    text = await readFile(join(stateDir, IMPORT_STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return 'unreadable';
  }
  try {
    const state = JSON.parse(text) as Partial<ImportState>;
    const filesOk =
      Array.isArray(state.files) &&
      state.files.every((f) => typeof f?.type === 'string' && typeof f.file === 'string' && typeof f.count === 'number' && typeof f.sha256 === 'string');
    if (state.version !== 1 || typeof state.runId !== 'string' || !filesOk || typeof state.done !== 'boolean') return 'unreadable';
    if (state.statusUrl !== undefined && typeof state.statusUrl !== 'string') return 'unreadable';
    return state as ImportState;
  } catch {
    return 'unreadable';
  }
}

/**
 * What keeps a REST run (transaction, batch, single; file outbox or hub) from starting in a state
 * directory: an import-mode run there whose state is not `done`. The server may still be importing
 * its files (or the next import run would import them again, under ids derived from each resource's
 * identity); a REST run meanwhile finds nothing yet by identifier and creates second copies. So the
 * REST run is refused rather than racing it, and rather than finishing the import itself: that needs
 * the import's own settings (where the files are published, its auth and parameters) and the same
 * export, which only an import-mode run has. A state file that cannot be read is refused too: it may
 * be an unfinished import.
 *
 * @param stateDir - the run's state directory
 * @returns the error to refuse the run with (`sync.unfinished-import`, or `sync.state-unusable` for
 *   a damaged state file), naming the file and its fields, never their values; `undefined` when
 *   there is no import state or its import is done
 */
export async function unfinishedImportError(stateDir: string): Promise<SyncError | undefined> {
  const state = await loadImportState(stateDir);
  if (state === undefined || (state !== 'unreadable' && state.done)) return undefined;
  if (state === 'unreadable') {
    return new SyncError(SYNC_ERROR_CODES.stateUnusable, `${IMPORT_STATE_FILE} cannot be read: it may be an unfinished import; remove it only once no import of this state directory can still land`);
  }
  const stage = state.statusUrl === undefined ? 'its files written, not kicked off (no statusUrl)' : 'kicked off (statusUrl set)';
  return new SyncError(
    SYNC_ERROR_CODES.unfinishedImport,
    `holds an unfinished import (${IMPORT_STATE_FILE}: done is false, ${stage}): finish it with write mode import and the same export before a REST run`,
  );
}

/**
 * Saves the state durably: a temporary file, fsynced, renamed over the old one.
 *
 * @param stateDir - the run's state directory (exists)
 * @param state - the state
 */
export async function saveImportState(stateDir: string, state: ImportState): Promise<void> {
  const file = join(stateDir, IMPORT_STATE_FILE);
  const temporary = `${file}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(state));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}

/**
 * SHA-256 of a file's bytes, read as a stream.
 *
 * @param path - the file
 * @returns the hash in hex, or `undefined` when the file cannot be read
 */
export async function fileSha256(path: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}

/**
 * Whether two lists of files are the same import: the same types, names, counts and bytes.
 *
 * @param a - one list
 * @param b - the other
 * @returns true when they match one for one
 */
export function sameFiles(a: readonly ImportStateFile[], b: readonly ImportStateFile[]): boolean {
  const key = (f: ImportStateFile): string => `${f.type}\u0000${f.file}\u0000${f.count}\u0000${f.sha256}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((k, i) => k === right[i]);
}
