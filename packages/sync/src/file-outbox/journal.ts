/**
 * The journal's format and file: one JSON record per line, appended with group commit (appends
 * queued while a write+fsync runs go out together in the next one), read back line by line with a
 * torn last line dropped.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { SYNC_ERROR_CODES, SyncError } from '../errors';
import type { OutboxEntry } from '../outbox';
import { OUTBOX_FILES } from './files';

/** One line of the journal. */
export type JournalRecord =
  | { t: 'run'; id: string; v: 1 }
  | { t: 'add'; e: OutboxEntry }
  | { t: 'complete' }
  | { t: 'ok'; c: [key: string, location: string, created: 0 | 1, fullUrl?: string][] }
  | { t: 'rm'; k: string[]; u?: (string | null)[] };

/** Where a line is in the journal. */
export interface Span {
  offset: number;
  length: number;
}

/** An open journal file and the reads using it (it is closed once retired and unused). */
export interface Generation {
  fd: FileHandle;
  reads: number;
  retired: boolean;
}

/** The journal being written: its current generation and its size in bytes. */
export interface JournalFile {
  generation: Generation;
  size: number;
}

/** A record as a journal line. */
export const line = (record: JournalRecord): Buffer => Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');

/**
 * Reads the record on a line of a journal generation. The caller holds the generation (see
 * {@link readRecord}).
 *
 * @param gen - the generation the span belongs to
 * @param span - where the line is
 * @returns the record
 */
export async function readRecordAt(gen: Generation, span: Span): Promise<JournalRecord> {
  const data = Buffer.alloc(span.length);
  await gen.fd.read(data, 0, span.length, span.offset);
  return JSON.parse(data.toString('utf8')) as JournalRecord;
}

/**
 * Reads the record on a line of a journal generation, holding the generation open for the read
 * (even if a compaction retires it meanwhile).
 *
 * @param gen - the generation the span belongs to
 * @param span - where the line is
 * @returns the record
 */
export async function readRecord(gen: Generation, span: Span): Promise<JournalRecord> {
  gen.reads++;
  try {
    return await readRecordAt(gen, span);
  } finally {
    await release(gen);
  }
}

/** Ends a read of a generation: a retired one is closed once no read uses it. */
export async function release(gen: Generation): Promise<void> {
  gen.reads--;
  if (gen.retired && gen.reads === 0) await gen.fd.close();
}

/**
 * Reads a journal back, one line at a time, and drops a torn last line (a write cut short before
 * its fsync returned, so never acknowledged). A line that does not apply is damage unless nothing
 * valid follows it.
 *
 * @param fd - the journal
 * @param apply - takes each line (without its newline) and its offset; throws for a damaged line
 * @returns the journal's size after dropping a torn tail
 */
export async function readJournal(fd: FileHandle, apply: (text: Buffer, offset: number) => void): Promise<number> {
  const total = (await fd.stat()).size;
  const chunk = Buffer.alloc(1024 * 1024);
  let carry = Buffer.alloc(0);
  let position = 0;
  let lineStart = 0;
  let lastGood = 0;
  let damaged: { offset: number; error: unknown } | undefined;
  while (position < total) {
    const { bytesRead } = await fd.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    let data = carry.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
    let newline = data.indexOf(10);
    while (newline >= 0) {
      const text = data.subarray(0, newline);
      if (damaged !== undefined) throw damaged.error;
      try {
        apply(text, lineStart);
        lastGood = lineStart + newline + 1;
      } catch (error) {
        damaged = { offset: lineStart, error };
      }
      lineStart += newline + 1;
      data = data.subarray(newline + 1);
      newline = data.indexOf(10);
    }
    carry = Buffer.from(data);
  }
  if (lastGood < total) {
    // A torn tail: the crash happened before its fsync returned, so it was never acknowledged.
    await fd.truncate(lastGood);
    await fd.sync();
    return lastGood;
  }
  return total;
}

/** The record on a journal line; a line that is not JSON is damage. */
export function parseLine(text: Buffer, lineNumber: number): JournalRecord {
  try {
    return JSON.parse(text.toString('utf8')) as JournalRecord;
  } catch {
    throw new SyncError(SYNC_ERROR_CODES.outboxCorrupt, `${OUTBOX_FILES.journal}: line ${lineNumber} is damaged`);
  }
}

/**
 * Group commit on a journal: `append` resolves with the lines' offsets once they are written and
 * fsynced; appends queued while a write runs go out together in the next one.
 *
 * @param journal - the journal file (its current generation is written, its size kept)
 * @returns `append`, and `idle()` to wait for the queued writes
 */
export function createGroupCommit(journal: JournalFile): { append: (lines: Buffer[]) => Promise<number[]>; idle: () => Promise<void> } {
  let queue: { lines: Buffer[]; resolve: (offsets: number[]) => void; reject: (error: unknown) => void }[] = [];
  let flushing: Promise<void> | undefined;

  async function flush(): Promise<void> {
    // `flushing` is cleared in the same tick the loop sees an empty queue, so an append that comes
    // after always finds either a running loop that will take it or none (and starts one).
    for (;;) {
      if (queue.length === 0) {
        flushing = undefined;
        return;
      }
      const batch = queue;
      queue = [];
      const buffers = batch.flatMap((item) => item.lines);
      const start = journal.size;
      try {
        const data = Buffer.concat(buffers);
        await journal.generation.fd.write(data, 0, data.length, null);
        await journal.generation.fd.datasync();
        journal.size += data.length;
      } catch (error) {
        for (const item of batch) item.reject(error);
        continue;
      }
      let offset = start;
      for (const item of batch) {
        const offsets: number[] = [];
        for (const buffer of item.lines) {
          offsets.push(offset);
          offset += buffer.length;
        }
        item.resolve(offsets);
      }
    }
  }

  return {
    append: (lines) =>
      new Promise((resolve, reject) => {
        queue.push({ lines, resolve, reject });
        flushing ??= flush();
      }),
    idle: async () => {
      await flushing;
    },
  };
}

/** fsyncs a directory so a rename or a new file in it survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const fd = await open(dir, constants.O_RDONLY);
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}
