import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Issue } from '@peerkit/model';
import type { DisclosureRecipient } from '@peerkit/safeguards';
import { SYNC_ERROR_CODES } from '../errors';
import { OUTBOX_FILES } from '../file-outbox/files';
import type { Outbox } from '../outbox';

/**
 * The disclosure mode of a run, as the state directory keeps it: `internal`, or `consent:` and a
 * hash of the recipient (never the recipient itself).
 */
export function disclosureMode(recipient: DisclosureRecipient | undefined): string {
  if (recipient === undefined) return 'internal';
  return `consent:${createHash('sha256').update(JSON.stringify(recipient)).digest('hex')}`;
}

/**
 * A resumed run must read the rest of its input through the same gate it started with. A new run
 * records its mode in the state directory; a resumed one must match it (a run started before the
 * file existed counts as `internal`).
 *
 * @param stateDir - the state directory
 * @param outbox - its outbox, open
 * @param resume - whether the unfinished run is resumed
 * @param mode - this call's mode ({@link disclosureMode})
 * @returns an error issue when the modes differ
 */
export async function checkDisclosureMode(stateDir: string, outbox: Outbox, resume: boolean, mode: string): Promise<Issue | undefined> {
  const path = join(stateDir, OUTBOX_FILES.disclosureMode);
  if (outbox.runId === undefined) {
    await writeFile(path, `${mode}\n`, { mode: 0o600 });
    return undefined;
  }
  if (!resume) return undefined;
  const started = (await readFile(path, 'utf8').catch(() => 'internal')).trim();
  if (started === mode) return undefined;
  if (started.startsWith('consent:') && mode.startsWith('consent:')) {
    return { severity: 'error', code: SYNC_ERROR_CODES.recipientMismatch, path: ['recipient'], message: 'the unfinished run was started with another recipient; resume it with the same' };
  }
  const was = started === 'internal' ? 'internal use (no recipient)' : 'a recipient';
  return { severity: 'error', code: SYNC_ERROR_CODES.disclosureMismatch, path: ['recipient'], message: `the unfinished run was started for ${was}; resume it the same way` };
}

/** The run finished: the next one starts with its own mode. */
export async function clearDisclosureMode(stateDir: string): Promise<void> {
  await rm(join(stateDir, OUTBOX_FILES.disclosureMode), { force: true });
}
