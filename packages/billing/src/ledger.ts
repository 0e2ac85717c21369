/**
 * The billing ledger: what was billed, run after run — each claim sent (its CLM01, frequency, payer,
 * member and lines with their units and dates) and the payer's claim numbers an 835 returned. A
 * second run reads it so the same service is not billed twice, caps count what earlier runs billed,
 * and a service that changed or disappeared is corrected with a replacement (7) or void (8) claim.
 *
 * The ledger is a port: {@link BillingLedger}. This package has the in-memory one; the CLI keeps an
 * append-only NDJSON file (`peerkit bill --ledger`); a hub can keep the same entries in PostgreSQL.
 *
 * See: 837P 2300 CLM05-3 (claim frequency: NUBC codes 1, 7, 8) and REF*F8 (payer claim control number)
 */
import type { BilledUnits } from './billing-context';
import type { ProfessionalClaim } from './professional-claim';

/** A claim as the ledger keeps it: the claim sent, with who and what it was for. */
export interface LedgerClaimEntry {
  readonly kind: 'claim';
  /** When the run that sent it ran (ISO date-time). */
  readonly recorded: string;
  readonly payerId: string;
  readonly packId: string;
  readonly peerId: string;
  readonly memberId: string;
  /** SBR09 of its batch. */
  readonly claimFilingIndicator: string;
  /** For a replacement or void: the CLM01 of the claim it corrects. */
  readonly replaces?: string;
  /** The claim as sent (its `frequency` says original, replacement or void). */
  readonly claim: ProfessionalClaim;
  /** Minutes and services behind each line (`<kind>:<id>`), so a later run counts a month's minutes across exports. */
  readonly details?: readonly { readonly lineId: string; readonly minutes: number; readonly services: readonly string[] }[];
}

/** A payer's claim control number for a claim PeerKit sent (835 CLP07), used as REF*F8 when correcting it. */
export interface LedgerPayerNumberEntry {
  readonly kind: 'payer-claim-number';
  readonly recorded: string;
  /** CLM01 the 837P sent (835 CLP01). */
  readonly controlNumber: string;
  readonly payerClaimNumber: string;
}

/** One line of the ledger. */
export type BillingLedgerEntry = LedgerClaimEntry | LedgerPayerNumberEntry;

/** Where ledger entries go and come back from. Implementations: memory (here), an NDJSON file (the CLI). */
export interface BillingLedger {
  /** Appends entries; resolves once they are durable. Entries are never changed or removed. */
  append(entries: readonly BillingLedgerEntry[]): Promise<void>;
  /** Every entry, oldest first as appended. */
  entries(): AsyncIterable<BillingLedgerEntry>;
}

/** What the ledger says now: the claims in force, by claim key, and the numbers used. */
export interface BillingLedgerState {
  /** Claims in force (sent, not replaced or voided since), by claim key, oldest first. */
  readonly claims: ReadonlyMap<string, readonly LedgerClaimEntry[]>;
  /** Claims ever sent per claim key (numbers the next CLM01). */
  readonly sent: ReadonlyMap<string, number>;
  /** The payer's claim control number by CLM01. */
  readonly payerNumbers: ReadonlyMap<string, string>;
}

const FREQUENCIES: readonly string[] = ['1', '7', '8'];

/**
 * `true` when a value is a ledger entry PeerKit can read (the kind and the fields a run needs).
 *
 * @param value - one parsed line of a ledger file
 */
export function isBillingLedgerEntry(value: unknown): value is BillingLedgerEntry {
  if (value === null || typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  if (typeof e.recorded !== 'string') return false;
  if (e.kind === 'payer-claim-number') return typeof e.controlNumber === 'string' && typeof e.payerClaimNumber === 'string';
  if (e.kind !== 'claim') return false;
  const claim = e.claim as Record<string, unknown> | undefined;
  return (
    ['payerId', 'packId', 'peerId', 'memberId', 'claimFilingIndicator'].every((k) => typeof e[k] === 'string') &&
    claim !== null &&
    typeof claim === 'object' &&
    typeof claim.claimKey === 'string' &&
    typeof claim.controlNumber === 'string' &&
    Array.isArray(claim.lines) &&
    (claim.frequency === undefined || FREQUENCIES.includes(String(claim.frequency)))
  );
}

/**
 * Reads the ledger's entries into its state: a replacement takes the place of the claim it replaces,
 * a void removes it.
 *
 * @param entries - the ledger's entries in the order they were appended
 * @returns the claims in force, the count sent per claim key, the payers' claim numbers
 * @example
 * const state = await readBillingLedger(ledger.entries());
 */
export async function readBillingLedger(entries: AsyncIterable<BillingLedgerEntry> | Iterable<BillingLedgerEntry>): Promise<BillingLedgerState> {
  const claims = new Map<string, LedgerClaimEntry[]>();
  const sent = new Map<string, number>();
  const payerNumbers = new Map<string, string>();
  for await (const entry of entries) {
    if (entry.kind === 'payer-claim-number') {
      payerNumbers.set(entry.controlNumber, entry.payerClaimNumber);
      continue;
    }
    const key = entry.claim.claimKey;
    sent.set(key, (sent.get(key) ?? 0) + 1);
    let list = (claims.get(key) ?? []).filter((c) => entry.replaces === undefined || c.claim.controlNumber !== entry.replaces);
    if (entry.replaces !== undefined) {
      // A correction may name a claim filed under another key (a line moved month): drop it wherever it is.
      for (const [other, inForce] of claims) if (other !== key) claims.set(other, inForce.filter((c) => c.claim.controlNumber !== entry.replaces));
    }
    if ((entry.claim.frequency ?? '1') !== '8') list = [...list, entry];
    claims.set(key, list);
  }
  return { claims, sent, payerNumbers };
}

/**
 * The units the claims in force billed, line by line: what `billEncounters` counts toward caps and MUE
 * for services the current export no longer holds (`BillingContext.billed`).
 *
 * @param state - from {@link readBillingLedger}
 * @returns one entry per billed line
 */
export function billedUnitsOf(state: BillingLedgerState): BilledUnits[] {
  const out: BilledUnits[] = [];
  for (const list of state.claims.values()) {
    for (const entry of list) {
      for (const line of entry.claim.lines) {
        const detail = entry.details?.find((d) => d.lineId === line.lineId);
        out.push({
          lineId: line.lineId,
          packId: entry.packId,
          peerId: entry.peerId,
          code: line.code,
          date: line.from,
          to: line.to,
          units: line.units,
          ...(detail === undefined ? {} : { minutes: detail.minutes, services: detail.services }),
        });
      }
    }
  }
  return out;
}

/**
 * A ledger held in memory (tests, a single process, or a cache in front of another store).
 *
 * @param initial - entries it starts with. Default none.
 * @returns the ledger, with its entries readable
 * @example
 * const ledger = createMemoryBillingLedger();
 * await ledger.append(plan.entries);
 */
export function createMemoryBillingLedger(initial: readonly BillingLedgerEntry[] = []): BillingLedger & { readonly list: readonly BillingLedgerEntry[] } {
  const list: BillingLedgerEntry[] = [...initial];
  return {
    list,
    append: async (entries) => {
      list.push(...entries.map((e) => structuredClone(e)));
    },
    entries: async function* () {
      yield* [...list];
    },
  };
}
