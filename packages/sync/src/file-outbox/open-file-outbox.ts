/**
 * The outbox on disk: an append-only journal, fsynced before any change is acknowledged, and
 * compacted when settled records outweigh pending ones. A crash at any point loses nothing that
 * was acknowledged; a torn last line (a write cut short) is dropped on open.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { SYNC_ERROR_CODES, SyncError } from '../errors';
import { DiskSettledIndex } from '../internal/disk-index';
import { flat } from '../internal/references';
import type { Confirmation, Outbox, OutboxEntry } from '../outbox';
import { readDeadLetters } from './dead-letters';
import { OUTBOX_FILES, takeLock } from './files';
import {
  createGroupCommit,
  line,
  parseLine,
  readJournal,
  readRecord,
  readRecordAt,
  release,
  syncDir,
  type JournalFile,
  type Span,
} from './journal';

/** Options of {@link openFileOutbox}. */
export interface FileOutboxOptions {
  /**
   * Compact the journal once settled records (confirmed or dead-lettered entries) take more than
   * this many bytes and more than half of it. Default 8 MiB.
   */
  compactAfterBytes?: number;
}

/** Where a pending entry's `add` line is in the journal. */
interface Slot extends Span {
  fullUrl: string | undefined;
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
  /** Bytes a compaction would reclaim: the add lines of settled entries. */
  let settledBytes = 0;
  let journal: JournalFile;
  let deadLetterFd: FileHandle | undefined;

  try {
    await rm(`${journalPath}.tmp`, { force: true });
    journal = { generation: { fd: await open(journalPath, 'a+', 0o600), reads: 0, retired: false }, size: 0 };
    journal.size = await readJournal(journal.generation.fd, loader());
  } catch (error) {
    settled.close();
    await rm(lockPath, { force: true });
    throw error;
  }
  const { append, idle } = createGroupCommit(journal);

  function unpend(key: string, slot: Slot): void {
    pending.delete(key);
    if (slot.fullUrl !== undefined) pendingByFullUrl.delete(slot.fullUrl);
  }

  /** Applies each journal line read back on open, rebuilding the index. */
  function loader(): (text: Buffer, offset: number) => void {
    let lineNumber = 0;
    return (text, offset) => {
      lineNumber++;
      const record = parseLine(text, lineNumber);
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
  }

  /** Waits for queued writes, then rewrites the journal with only what is still needed. */
  async function compactIfWorthIt(): Promise<void> {
    if (settledBytes < compactAfterBytes || settledBytes * 2 < journal.size) return;
    await idle();
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
      await journal.generation.fd.read(data, 0, span.length, span.offset);
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
    const old = journal.generation;
    journal.generation = { fd: await open(journalPath, 'a+', 0o600), reads: 0, retired: false };
    old.retired = true;
    if (old.reads === 0) await old.fd.close();
    for (const [key, slot] of slots) pending.set(key, slot);
    settledLines = oks;
    journal.size = offset;
    settledBytes = 0;
  }

  /** Pending entries left the journal (settled by the ok or rm line at `at`); compacts if worth it. */
  async function leave<T>(at: Span, items: readonly T[], keyOf: (item: T) => string, record: (item: T, slot: Slot) => void): Promise<void> {
    settledLines.push(at);
    for (const item of items) {
      const key = keyOf(item);
      const slot = pending.get(key) as Slot;
      settledBytes += slot.length;
      unpend(key, slot);
      record(item, slot);
    }
    await compactIfWorthIt();
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
      const gen = journal.generation;
      gen.reads++;
      try {
        for (let start = 0; start < spans.length; start += 64) {
          const out: Confirmation[] = [];
          for (const span of spans.slice(start, start + 64)) {
            const record = await readRecordAt(gen, span);
            if (record.t === 'rm') continue;
            if (record.t !== 'ok') throw new SyncError(SYNC_ERROR_CODES.outboxCorrupt, `${OUTBOX_FILES.journal}: a confirmation is not where the index says`);
            for (const [key, location, created] of record.c) out.push({ key, location, created: created === 1 });
          }
          yield* out;
        }
      } finally {
        await release(gen);
      }
    },

    async get(key) {
      const slot = pending.get(key);
      if (slot === undefined) return undefined;
      const record = await readRecord(journal.generation, slot);
      if (record.t !== 'add' || record.e.key !== key) {
        throw new SyncError(SYNC_ERROR_CODES.outboxCorrupt, `${OUTBOX_FILES.journal}: an entry is not where the index says`);
      }
      return record.e;
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
        await leave({ offset: offset as number, length: data.length }, known, (c) => c.key, (c, slot) => settled.confirm(c.key, slot.fullUrl, c.location, c.created));
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
        await leave({ offset: offset as number, length: data.length }, known, (l) => l.entry.key, (l, slot) => {
          settled.deadLetter(l.entry.key, slot.fullUrl);
          deadInRun++;
        });
      });
    },

    deadLetters: () => readDeadLetters(deadLetterPath),

    finish() {
      return serially(async () => {
        if (pending.size > 0) return;
        await idle();
        await journal.generation.fd.truncate(0);
        await journal.generation.fd.sync();
        journal.size = 0;
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
        await idle();
        await journal.generation.fd.close();
        await deadLetterFd?.close();
        settled.close();
        await rm(lockPath, { force: true });
      });
    },
  };
  return outbox;
}
