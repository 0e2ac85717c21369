import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isBillingLedgerEntry, type BillingLedger, type BillingLedgerEntry, type BillingLedgerState } from '@peerkit/billing';
import { endOfMonth, type GroupSession, type PeerEncounter } from '@peerkit/model';
import type { CliIo } from '../cli-io';
import { CliError } from './cli-error';
import { fileErrorCode, readError, writeError } from './files';

/** A billing ledger a run opened: named for messages, closed when the run is done. */
export interface OpenBillingLedger extends BillingLedger {
  /** The path as the user typed it, or a database's `postgres://host:port/database` (never credentials). */
  readonly file: string;
  /** Lets the ledger go (a PostgreSQL ledger's connection and run lock); a file has nothing to close. */
  close(): Promise<void>;
}

/**
 * The billing ledger as an append-only NDJSON file: one entry (a claim sent, a payer's claim number) per
 * line. A missing file is an empty ledger, created (mode 0600, its directory 0700) by the first append;
 * appends are fsynced before they resolve. A last line without its newline (an append cut short) was
 * never acknowledged and is not read; any other line that is not a ledger entry is a one-line error
 * naming its number (exit 2), never its content.
 *
 * @param io - for the working directory
 * @param file - the path as the user typed it
 * @returns the ledger
 */
export function openFileBillingLedger(io: CliIo, file: string): OpenBillingLedger {
  const path = resolve(io.cwd, file);
  return {
    file,
    async close() {},
    async append(entries: readonly BillingLedgerEntry[]) {
      if (entries.length === 0) return;
      try {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        const handle = await open(path, 'a', 0o600);
        try {
          await handle.write(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
          await handle.sync();
        } finally {
          await handle.close();
        }
      } catch (error) {
        const code = fileErrorCode(error);
        if (code === undefined) throw error;
        throw writeError(file, code);
      }
    },
    async *entries() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        const code = fileErrorCode(error);
        if (code === 'ENOENT') return;
        if (code === undefined) throw error;
        throw readError(file, code, 'a billing ledger');
      }
      const lines = text.split('\n');
      // The piece after the last newline is an append still (or never) written: not an entry yet.
      lines.pop();
      for (const [i, line] of lines.entries()) {
        if (line.trim() === '') continue;
        let entry: unknown;
        try {
          entry = JSON.parse(line);
        } catch {
          entry = undefined;
        }
        if (!isBillingLedgerEntry(entry)) throw new CliError(`${file}: line ${i + 1} is not a billing ledger entry`);
        yield entry;
      }
    },
  };
}

/** The billing ledger a run reads and appends to (`--ledger`), and its state when the run started. */
export interface LedgerInput {
  ledger: OpenBillingLedger;
  state: BillingLedgerState;
  /** The whole months the export's services fall in: a claim on file in them that the run no longer bills was removed. */
  covers: { start: string; end: string };
}

/** The whole months from the first to the last service of the export, or `undefined` for an export without any. */
export function monthsCovered(encounters: readonly (PeerEncounter | GroupSession)[]): { start: string; end: string } | undefined {
  const dates = encounters.map((e) => e.start.slice(0, 10)).sort();
  const first = dates[0];
  const last = dates[dates.length - 1];
  return first === undefined || last === undefined ? undefined : { start: `${first.slice(0, 7)}-01`, end: endOfMonth(last) };
}
