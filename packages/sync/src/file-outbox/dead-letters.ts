/** The dead-letter file: one JSON letter per line, each naming its run. */
import { readFile } from 'node:fs/promises';
import type { DeadLetter } from '../outbox';

/**
 * Reads the dead letters of a file: one per entry and run (the last one written counts).
 *
 * A crash between writing a letter and removing its entry sends the entry again on resume, and the
 * server refuses it again: the same run then holds two letters for it.
 *
 * @param path - the dead-letter file (missing: none)
 * @returns the letters, in the order they were last written
 */
export async function readDeadLetters(path: string): Promise<DeadLetter[]> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ENOENT') return '';
    throw error;
  });
  const letters = new Map<string, DeadLetter>();
  let unnamed = 0;
  for (const row of text.split('\n')) {
    if (row.trim() === '') continue;
    let letter: DeadLetter;
    try {
      letter = JSON.parse(row) as DeadLetter;
    } catch {
      // A torn last line of a crashed write; the entry is still in the outbox.
      continue;
    }
    const id = letter.run === undefined ? `#${unnamed++}` : `${letter.run} ${letter.entry.key}`;
    letters.delete(id);
    letters.set(id, letter);
  }
  return [...letters.values()];
}
