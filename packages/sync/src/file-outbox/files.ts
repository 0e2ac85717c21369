/** The files of a state directory, and its lock. */
import { open, readFile, rm } from 'node:fs/promises';
import { SYNC_ERROR_CODES, SyncError } from '../errors';

/** The file names inside the state directory. */
export const OUTBOX_FILES = {
  journal: 'outbox.journal',
  deadLetter: 'dead-letter.ndjson',
  lock: 'outbox.lock',
  /** Scratch index of settled entries (`.index`, `.strings`), rebuilt from the journal on open, removed on close. */
  settled: 'settled',
  /** The disclosure mode an unfinished {@link runSync} run was started with (removed when it finishes). */
  disclosureMode: 'disclosure-mode',
} as const;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * Takes the outbox's lock file (holding this process's id): one process at a time; a lock left by
 * a process that is gone is taken over.
 *
 * @param path - the lock file
 * @throws SyncError `sync.outbox-locked` when another live process holds it
 */
export async function takeLock(path: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = await open(path, 'wx', 0o600);
      await fd.writeFile(String(process.pid));
      await fd.close();
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new SyncError(SYNC_ERROR_CODES.outboxLocked, `the outbox is in use by process ${pid}`);
      }
      // The process that held it is gone (it crashed or was killed): the lock is stale.
      await rm(path, { force: true });
    }
  }
  throw new SyncError(SYNC_ERROR_CODES.outboxLocked, 'the outbox lock could not be taken');
}
