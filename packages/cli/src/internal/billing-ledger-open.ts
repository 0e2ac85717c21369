/** Which billing ledger `peerkit bill --ledger` means: a file path or a PostgreSQL URL. */
import type { CliIo } from '../cli-io';
import { openFileBillingLedger, type OpenBillingLedger } from './billing-ledger';
import { isPostgresLedger, openPgBillingLedger } from './billing-ledger-pg';

/**
 * Opens the ledger `--ledger` names: a `postgres://` URL is a PostgreSQL ledger (see
 * `billing-ledger-pg.ts`), anything else an NDJSON file.
 *
 * @param io - for the working directory
 * @param spec - the path or URL as the user typed it
 * @returns the ledger
 */
export async function openBillingLedger(io: CliIo, spec: string): Promise<OpenBillingLedger> {
  return isPostgresLedger(spec) ? openPgBillingLedger(spec) : openFileBillingLedger(io, spec);
}
