/**
 * What an export keeps on disk to resume after a crash: the kick-off it belongs to, the status URL
 * once kicked off, the manifest once ready, and how many lines of each file were handed over.
 * Written to a temporary file and renamed (never half-written), `0600`: it holds the status URL.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { BulkManifest } from './manifest';

/** The saved state of one export. */
export interface BulkExportState {
  /** The kick-off request it belongs to (level, types, since): another one starts afresh. */
  request: string;
  /** The status URL (`Content-Location` of the kick-off). */
  statusUrl?: string;
  /** The manifest, once the export is ready. */
  manifest?: BulkManifest;
  /** Lines handed over, per output file (by index in the manifest). */
  lines: number[];
  /** Output files read to their end (the first `done` of the manifest). */
  done?: number;
}

/**
 * The saved state of the export of `request`, if the file holds one.
 *
 * @param file - the state file
 * @param request - the kick-off request the caller is about to make
 * @returns the state, or undefined (no file, unreadable, or another request)
 */
export async function loadState(file: string, request: string): Promise<BulkExportState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as Partial<BulkExportState>;
    if (state.request !== request || !Array.isArray(state.lines)) return undefined;
    return {
      request,
      lines: state.lines,
      ...(typeof state.statusUrl === 'string' ? { statusUrl: state.statusUrl } : {}),
      ...(state.manifest === undefined ? {} : { manifest: state.manifest }),
      ...(typeof state.done === 'number' ? { done: state.done } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Saves the state (temporary file, then rename).
 *
 * @param file - the state file
 * @param state - the state
 */
export async function saveState(file: string, state: BulkExportState): Promise<void> {
  const temporary = `${file}.tmp`;
  await writeFile(temporary, JSON.stringify(state), { mode: 0o600 });
  await rename(temporary, file);
}

/**
 * Removes the state file (the export is done).
 *
 * @param file - the state file
 */
export async function clearState(file: string): Promise<void> {
  await rm(file, { force: true });
}
