/**
 * The outbox on disk: an append-only journal, fsynced before any change is acknowledged, and
 * compacted when settled records outweigh pending ones. A crash at any point loses nothing that
 * was acknowledged; a torn last line (a write cut short) is dropped on open.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { SYNC_ERROR_CODES, SyncError } from './errors';
import { DiskSettledIndex } from './internal/disk-index';
import { flat } from './internal/references';
import type { Confirmation, DeadLetter, Outbox, OutboxEntry } from './outbox';

/** Options of {@link openFileOutbox}. */
export interface FileOutboxOptions {
  /**
   * Compact the journal once settled records (confirmed or dead-lettered entries) take more than
   * this many bytes and more than half of it. Default 8 MiB.
   */
  compactAfterBytes?: number;
}

/** The file names inside the state directory. */
export const OUTBOX_FILES = {
  journal: 'outbox.journal',
  deadLetter: 'dead-letter.ndjson',
  lock: 'outbox.lock',
  /** Scratch index of settled entries (`.index`, `.strings`), rebuilt from the journal on open, removed on close. */
  settled: 'settled',
} as const;

/** One line of the journal. */
type JournalRecord =
  | { t: 'run'; id: string; v: 1 }
  | { t: 'add'; e: OutboxEntry }
  | { t: 'complete' }
  | { t: 'ok'; c: [key: string, location: string, created: 0 | 1, fullUrl?: string][] }
  | { t: 'rm'; k: string[]; u?: (string | null)[] };

/** Where a line is in the journal. */
interface Span {
  offset: number;
  length: number;
}

/** Where a pending entry's `add` line is in the journal. */
interface Slot {
  offset: number;
  length: number;
  fullUrl: string | undefined;
}

/** An open journal file and the reads using it (it is closed once retired and unused). */
interface Generation {
  fd: FileHandle;
  reads: number;
  retired: boolean;
}

const line = (record: JournalRecord): Buffer => Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

async function takeLock(path: string): Promise<void> {
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

/** fsyncs a directory so a rename or a new file in it survives a crash. */
async function syncDir(dir: string): Promise<void> {
  const fd = await open(dir, constants.O_RDONLY);
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

/**
 * Opens (or creates) the outbox kept in a state directory: `outbox.journal` (the journal),
 * `dead-letter.ndjson` (entries the server refused for good, each with its OperationOutcome),
 * `outbox.lock` (one process at a time; a lock left by a killed process is taken over) and, while
 * open, `settled.index` / `settled.strings` (a scratch index of the run's settled entries, rebuilt
 * from the journal, so memory stays flat however long the run). The directory is created with mode
 * 0700 and the files 0600: they hold health data.
 *
 * @param dir - the state directory
 * @param options - see {@link FileOutboxOptions}
 * @returns the outbox, with any unfinished run of an earlier process loaded
 * @throws SyncError `sync.outbox-locked` when another live process holds it; `sync.outbox-corrupt`
 *   when the journal is damaged anywhere but its last line
 * @example
 * const outbox = await openFileOutbox('.peerkit-sync');
 * try { … } finally { await outbox.close(); }
 */
export async function openFileOutbox(dir: string, options: FileOutboxOptions = {}): Promise<Outbox> {
  const compactAfterBytes = options.compactAfterBytes ?? 8 * 1024 * 1024;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const journalPath = join(dir, OUTBOX_FILES.journal);
  const deadLetterPath = join(dir, OUTBOX_FILES.deadLetter);
  const lockPath = join(dir, OUTBOX_FILES.lock);
  await takeLock(lockPath);

  // Pending entries are few (the sync queues a bounded window ahead of the push); settled ones are
  // many and kept in scratch files (fingerprints and locations), so memory does not grow with them.
  const pending = new Map<string, Slot>();
  const pendingByFullUrl = new Map<string, string>();
  const settled = new DiskSettledIndex(join(dir, OUTBOX_FILES.settled));
  /** The `ok` and `rm` lines: they survive compaction; the ok lines are read back for the run's confirmations. */
  let settledLines: Span[] = [];
  let runId: string | undefined;
  let complete = false;
  let deadInRun = 0;
  let size = 0;
  /** Bytes a compaction would reclaim: the add lines of settled entries. */
  let settledBytes = 0;
  let generation: Generation;
  let deadLetterFd: FileHandle | undefined;

  try {
    await rm(`${journalPath}.tmp`, { force: true });
    generation = { fd: await open(journalPath, 'a+', 0o600), reads: 0, retired: false };
    await load();
  } catch (error) {
    settled.close();
    await rm(lockPath, { force: true });
    throw error;
  }

  function unpend(key: string, slot: Slot): void {
    pending.delete(key);
    if (slot.fullUrl !== undefined) pendingByFullUrl.delete(slot.fullUrl);
  }

  /** Reads the journal back, rebuilding the in-memory index; drops a torn last line. */
  async function load(): Promise<void> {
    const { fd } = generation;
    const total = (await fd.stat()).size;
    const chunk = Buffer.alloc(1024 * 1024);
    let carry = Buffer.alloc(0);
    let position = 0;
    let lineStart = 0;
    let lineNumber = 0;
    let lastGood = 0;
    const apply = (text: Buffer, offset: number): void => {
      lineNumber++;
      let record: JournalRecord;
      try {
        record = JSON.parse(text.toString('utf8')) as JournalRecord;
      } catch {
        throw new SyncError(SYNC_ERROR_CODES.outboxCorrupt, `${OUTBOX_FILES.journal}: line ${lineNumber} is damaged`);
      }
      const length = text.length + 1;
      switch (record.t) {
        case 'run':
          runId = record.id;
          break;
        case 'add':
          pending.set(record.e.key, { offset, length, fullUrl: record.e.fullUrl });
          if (record.e.fullUrl !== undefined) pendingByFullUrl.set(record.e.fullUrl, record.e.key);
          break;
        case 'complete':
          complete = true;
          break;
        case 'ok':
          // An ok line survives compaction; only the add lines it settles are reclaimable.
          settledLines.push({ offset, length });
          for (const [key, location, created, fullUrl] of record.c) {
            const slot = pending.get(key);
            if (slot !== undefined) {
              settledBytes += slot.length;
              unpend(key, slot);
            }
            settled.confirm(key, fullUrl ?? slot?.fullUrl, location, created === 1);
          }
          break;
        case 'rm':
          // Like an ok line, an rm line survives compaction (a dead letter stays dead for the run).
          settledLines.push({ offset, length });
          record.k.forEach((key, i) => {
            const slot = pending.get(key);
            if (slot !== undefined) {
              settledBytes += slot.length;
              unpend(key, slot);
            }
            if (settled.state(key) !== undefined) return;
            settled.deadLetter(key, slot?.fullUrl ?? record.u?.[i] ?? undefined);
            deadInRun++;
          });
          break;
        default:
          throw new SyncError(SYNC_ERROR_CODES.outboxCorrupt, `${OUTBOX_FILES.journal}: line ${lineNumber} is not a journal record`);
      }
    };
    // A line that does not parse is a write cut short only if nothing valid follows it.
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
    size = total;
    if (lastGood < total) {
      // A torn tail: the crash happened before its fsync returned, so it was never acknowledged.
      await fd.truncate(lastGood);
      await fd.sync();
      size = lastGood;
    }
  }

  // Group commit: appends queued while a write+fsync is running go out together in the next one.
  let queue: { lines: Buffer[]; resolve: (offsets: number[]) => void; reject: (error: unknown) => void }[] = [];
  let flushing: Promise<void> | undefined;

  function append(lines: Buffer[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      queue.push({ lines, resolve, reject });
      flushing ??= flush();
    });
  }

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
      const start = size;
      try {
        const data = Buffer.concat(buffers);
        await generation.fd.write(data, 0, data.length, null);
        await generation.fd.datasync();
        size += data.length;
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

  /** Waits for queued writes, then rewrites the journal with only what is still needed. */
  async function compactIfWorthIt(): Promise<void> {
    if (settledBytes < compactAfterBytes || settledBytes * 2 < size) return;
    await flushing;
    const tmpPath = `${journalPath}.tmp`;
    const tmp = await open(tmpPath, 'w', 0o600);
    const slots = new Map<string, Slot>();
    const oks: Span[] = [];
    let offset = 0;
    const write = async (data: Buffer): Promise<void> => {
      await tmp.write(data, 0, data.length, null);
      offset += data.length;
    };
    const copy = async (span: Span): Promise<void> => {
      const data = Buffer.alloc(span.length);
      await generation.fd.read(data, 0, span.length, span.offset);
      await write(data);
    };
    try {
      if (runId !== undefined) await write(line({ t: 'run', id: runId, v: 1 }));
      if (complete) await write(line({ t: 'complete' }));
      // The ok and rm lines are copied as they are (in order): settled entries stay on disk, not in memory.
      for (const span of settledLines) {
        oks.push({ offset, length: span.length });
        await copy(span);
      }
      for (const [key, slot] of pending) {
        slots.set(key, { ...slot, offset });
        await copy(slot);
      }
      await tmp.sync();
    } finally {
      await tmp.close();
    }
    await rename(tmpPath, journalPath);
    await syncDir(dir);
    const old = generation;
    generation = { fd: await open(journalPath, 'a+', 0o600), reads: 0, retired: false };
    old.retired = true;
    if (old.reads === 0) await old.fd.close();
    for (const [key, slot] of slots) pending.set(key, slot);
    settledLines = oks;
    size = offset;
    settledBytes = 0;
  }

  /** Runs a journal change after the queued ones and any compaction; changes never overlap. */
  let exclusive: Promise<unknown> = Promise.resolve();
  function serially<T>(work: () => Promise<T>): Promise<T> {
    const run = exclusive.then(work, work);
    exclusive = run.catch(() => undefined);
    return run;
  }

  const outbox: Outbox = {
    get runId() {
      return runId;
    },
    get complete() {
      return complete;
    },
    counts: () => ({ pending: pending.size, confirmed: settled.confirmed, deadLettered: deadInRun }),
    pendingKeys: () => [...pending.keys()],
    status: (key) => (pending.has(key) ? 'pending' : settled.state(key) === 'confirmed' ? 'confirmed' : undefined),
    resolve(keyOrFullUrl) {
      if (pending.has(keyOrFullUrl)) return { state: 'pending', key: keyOrFullUrl };
      const key = pendingByFullUrl.get(keyOrFullUrl);
      if (key !== undefined) return { state: 'pending', key };
      return settled.get(keyOrFullUrl);
    },
    location(key) {
      const found = settled.get(key);
      return found?.state === 'confirmed' ? found.location : undefined;
    },
    async *confirmations() {
      // The ok lines as they are now, read from this generation of the journal (kept open until the
      // iteration ends, even if a compaction replaces it meanwhile), in slices: never all in memory.
      const spans = settledLines.slice();
      const gen = generation;
      gen.reads++;
      try {
        for (let start = 0; start < spans.length; start += 64) {
          const out: Confirmation[] = [];
          for (const span of spans.slice(start, start + 64)) {
            const data = Buffer.alloc(span.length);
            await gen.fd.read(data, 0, span.length, span.offset);
            const record = JSON.parse(data.toString('utf8')) as JournalRecord;
            if (record.t === 'rm') continue;
            if (record.t !== 'ok') throw new SyncError(SYNC_ERROR_CODES.outboxCorrupt, `${OUTBOX_FILES.journal}: a confirmation is not where the index says`);
            for (const [key, location, created] of record.c) out.push({ key, location, created: created === 1 });
          }
          yield* out;
        }
      } finally {
        gen.reads--;
        if (gen.retired && gen.reads === 0) await gen.fd.close();
      }
    },

    async get(key) {
      const slot = pending.get(key);
      if (slot === undefined) return undefined;
      const gen = generation;
      gen.reads++;
      try {
        const data = Buffer.alloc(slot.length);
        await gen.fd.read(data, 0, slot.length, slot.offset);
        const record = JSON.parse(data.toString('utf8')) as JournalRecord;
        if (record.t !== 'add' || record.e.key !== key) {
          throw new SyncError(SYNC_ERROR_CODES.outboxCorrupt, `${OUTBOX_FILES.journal}: an entry is not where the index says`);
        }
        return record.e;
      } finally {
        gen.reads--;
        if (gen.retired && gen.reads === 0) await gen.fd.close();
      }
    },

    add(entries) {
      return serially(async () => {
        const fresh: OutboxEntry[] = [];
        const seen = new Set<string>();
        for (const entry of entries) {
          if (pending.has(entry.key) || seen.has(entry.key) || settled.state(entry.key) !== undefined) continue;
          seen.add(entry.key);
          fresh.push(entry);
        }
        if (fresh.length === 0) return 0;
        const lines = fresh.map((e) => line({ t: 'add', e }));
        if (runId === undefined) {
          const id = randomUUID();
          await append([line({ t: 'run', id, v: 1 })]);
          runId = id;
        }
        const offsets = await append(lines);
        fresh.forEach((entry, i) => {
          const key = flat(entry.key);
          const fullUrl = entry.fullUrl === undefined ? undefined : flat(entry.fullUrl);
          pending.set(key, { offset: offsets[i] as number, length: (lines[i] as Buffer).length, fullUrl });
          if (fullUrl !== undefined) pendingByFullUrl.set(fullUrl, key);
        });
        return fresh.length;
      });
    },

    markComplete() {
      return serially(async () => {
        if (complete) return;
        await append([line({ t: 'complete' })]);
        complete = true;
      });
    },

    confirm(list) {
      return serially(async () => {
        const known = [...new Map(list.filter((c) => pending.has(c.key)).map((c) => [c.key, c])).values()];
        if (known.length === 0) return;
        const data = line({
          t: 'ok',
          c: known.map((c) => {
            const fullUrl = pending.get(c.key)?.fullUrl;
            return fullUrl === undefined ? [c.key, c.location, c.created ? 1 : 0] : [c.key, c.location, c.created ? 1 : 0, fullUrl];
          }),
        });
        const [offset] = await append([data]);
        settledLines.push({ offset: offset as number, length: data.length });
        for (const c of known) {
          const slot = pending.get(c.key) as Slot;
          settledBytes += slot.length;
          unpend(c.key, slot);
          settled.confirm(c.key, slot.fullUrl, c.location, c.created);
        }
        await compactIfWorthIt();
      });
    },

    deadLetter(list) {
      return serially(async () => {
        const known = [...new Map(list.filter((l) => pending.has(l.entry.key)).map((l) => [l.entry.key, l])).values()];
        if (known.length === 0) return;
        // The letter is on disk before the entry leaves the journal: a crash in between sends it
        // again on resume (and it may be written twice), never loses it.
        deadLetterFd ??= await open(deadLetterPath, 'a', 0o600);
        const letters = Buffer.from(known.map((l) => `${JSON.stringify({ ...l, run: runId })}\n`).join(''), 'utf8');
        await deadLetterFd.write(letters, 0, letters.length, null);
        await deadLetterFd.datasync();
        const data = line({ t: 'rm', k: known.map((l) => l.entry.key), u: known.map((l) => pending.get(l.entry.key)?.fullUrl ?? null) });
        const [offset] = await append([data]);
        settledLines.push({ offset: offset as number, length: data.length });
        for (const l of known) {
          const slot = pending.get(l.entry.key) as Slot;
          settledBytes += slot.length;
          unpend(l.entry.key, slot);
          settled.deadLetter(l.entry.key, slot.fullUrl);
          deadInRun++;
        }
        await compactIfWorthIt();
      });
    },

    async deadLetters() {
      const text = await readFile(deadLetterPath, 'utf8').catch((error: unknown) => {
        if ((error as { code?: unknown }).code === 'ENOENT') return '';
        throw error;
      });
      // A crash between writing a letter and removing its entry sends the entry again on resume, and
      // the server refuses it again: the same run then holds two letters for it. The last one counts.
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
    },

    finish() {
      return serially(async () => {
        if (pending.size > 0) return;
        await flushing;
        await generation.fd.truncate(0);
        await generation.fd.sync();
        size = 0;
        settledBytes = 0;
        settled.clear();
        pendingByFullUrl.clear();
        settledLines = [];
        runId = undefined;
        complete = false;
        deadInRun = 0;
      });
    },

    close() {
      return serially(async () => {
        await flushing;
        await generation.fd.close();
        await deadLetterFd?.close();
        settled.close();
        await rm(lockPath, { force: true });
      });
    },
  };
  return outbox;
}
