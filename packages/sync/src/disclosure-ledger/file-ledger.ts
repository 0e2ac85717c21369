/**
 * The disclosure ledger on disk: one AuditEvent per line (NDJSON), append-only. Appends are written
 * and fsynced before they resolve (appends queued meanwhile go out together); a line cut short by a
 * crash was never acknowledged and is dropped when the ledger is next opened. Queries stream the
 * file line by line, so reading a long ledger keeps memory flat.
 *
 * See: 42 CFR §2.25 (the accounting this ledger feeds); @peerkit/safeguards `DisclosureLedger`
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEvent } from 'fhir/r4';
import { matchesLedgerQuery, readDisclosureRecord, type DisclosureLedger, type DisclosureLedgerQuery } from '@peerkit/safeguards';
import { SYNC_ERROR_CODES, SyncError } from '../errors';
import { createGroupCommit, syncDir, type JournalFile } from '../file-outbox/journal';

/** Options of {@link openFileDisclosureLedger}. */
export interface FileDisclosureLedgerOptions {
  /** The ledger file, e.g. `.peerkit/disclosures.ndjson`. Its directory is created (mode 0700); the file is 0600. */
  path: string;
}

/** A ledger kept in one NDJSON file. */
export interface FileDisclosureLedger extends DisclosureLedger {
  /** The ledger file. */
  readonly path: string;
  /** Waits for queued appends, then closes the file. Appending after close throws. */
  close(): Promise<void>;
}

/** Cuts a torn last line (no newline at the end) off; returns the size after. */
async function dropTornTail(fd: FileHandle): Promise<number> {
  const size = (await fd.stat()).size;
  if (size === 0) return 0;
  const last = Buffer.alloc(1);
  await fd.read(last, 0, 1, size - 1);
  if (last[0] === 10) return size;
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await fd.read(chunk, 0, end - start, start);
    const newline = chunk.subarray(0, bytesRead).lastIndexOf(10);
    if (newline >= 0) {
      end = start + newline + 1;
      break;
    }
    end = start;
  }
  await fd.truncate(end);
  await fd.sync();
  return end;
}

/**
 * Reads the ledger's lines as they are on disk up to `size`, one at a time. A last piece without a
 * newline (an append of another process still being written) is not a line yet and is skipped.
 */
async function* readLines(path: string, size: number): AsyncGenerator<{ text: string; number: number }> {
  if (size === 0) return;
  let carry: Buffer = Buffer.alloc(0);
  let number = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: size - 1, highWaterMark: 256 * 1024 })) {
    let data: Buffer = carry.length === 0 ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
    let newline = data.indexOf(10);
    while (newline >= 0) {
      number++;
      const text = data.subarray(0, newline).toString('utf8');
      if (text.trim() !== '') yield { text, number };
      data = data.subarray(newline + 1);
      newline = data.indexOf(10);
    }
    carry = Buffer.from(data);
  }
}

/**
 * Opens (or creates) a disclosure ledger file.
 *
 * @param options - the file
 * @returns the ledger; `append` resolves once the entry is on disk (fsynced)
 * @throws SyncError `sync.state-unusable` when the file cannot be created or opened
 * @example
 * const ledger = await openFileDisclosureLedger({ path: '.peerkit/disclosures.ndjson' });
 * try { await ledger.append(entry); } finally { await ledger.close(); }
 * See: 42 CFR §2.25
 */
export async function openFileDisclosureLedger(options: FileDisclosureLedgerOptions): Promise<FileDisclosureLedger> {
  const { path } = options;
  let fd: FileHandle;
  let created = false;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    try {
      fd = await open(path, 'wx+', 0o600);
      created = true;
      await fd.close();
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    }
    fd = await open(path, 'a+', 0o600);
    if (created) await syncDir(dirname(path)).catch(() => undefined);
  } catch (error) {
    if (error instanceof SyncError) throw error;
    throw new SyncError(SYNC_ERROR_CODES.stateUnusable, `the disclosure ledger file cannot be opened (${(error as { code?: string }).code ?? 'error'})`);
  }
  const journal: JournalFile = { generation: { fd, reads: 0, retired: false }, size: await dropTornTail(fd) };
  const commit = createGroupCommit(journal);
  let closed = false;

  return {
    path,
    append: async (entry: AuditEvent) => {
      if (closed) throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'the disclosure ledger is closed');
      if (readDisclosureRecord(entry) === undefined) {
        throw new SyncError(SYNC_ERROR_CODES.invalidOption, 'append takes a disclosure ledger AuditEvent (subtype disclosure, recorded)');
      }
      await commit.append([Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8')]);
    },
    query: async function* (query: DisclosureLedgerQuery) {
      // Only what was on disk when the query started: later appends wait for the next query.
      await commit.idle();
      const size = (await fd.stat()).size;
      for await (const line of readLines(path, size)) {
        let event: AuditEvent;
        try {
          event = JSON.parse(line.text) as AuditEvent;
        } catch {
          throw new SyncError(SYNC_ERROR_CODES.ledgerCorrupt, `the disclosure ledger line ${line.number} is damaged`);
        }
        if (matchesLedgerQuery(event, query)) yield event;
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await commit.idle();
      await fd.close();
    },
  };
}
