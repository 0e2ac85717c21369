/**
 * Remittance (X12 835) as data, matched to PeerKit's claim lines: what each line was paid, how it was
 * adjusted (CARC with its group, RARC remarks) and which lines were denied, with the reasons explained
 * from the code tables. `@peerkit/billing/x12` parses the 835 text into {@link Remittance}.
 *
 * See: ASC X12N 835 005010X221A1 (BPR, TRN, CLP, CAS, SVC, REF*6R, LQ*HE)
 */
import type { Issue } from '@peerkit/model';
import { CARC_CODES, CLAIM_ADJUSTMENT_GROUPS, RARC_CODES } from './adjustment-codes';
import type { BillingRun, ClaimLine } from './claim-line';
import { claimKeyOf } from './claim';
import { claimControlNumber, lineControlNumber } from './professional-claim';

/** One CAS adjustment: group (CO, PR, OA, PI, CR), reason (CARC), amount and units. */
export interface RemittanceAdjustment {
  group: string;
  reason: string;
  amount: number;
  quantity?: number;
}

/** One service line of a remittance (SVC and what follows it). */
export interface RemittanceService {
  /** SVC01-2. */
  code: string;
  /** SVC01-3… */
  modifiers: string[];
  charge: number;
  paid: number;
  /** SVC05 units paid, when given. */
  units?: number;
  /** DTM*472 (or 150), `YYYY-MM-DD`. */
  date?: string;
  /** REF*6R: the line item control number the 837P sent. */
  controlNumber?: string;
  adjustments: RemittanceAdjustment[];
  /** LQ*HE remark codes (RARC). */
  remarks: string[];
}

/** One claim of a remittance (CLP and what follows it). */
export interface RemittanceClaim {
  /** CLP01: the patient control number the 837P sent (CLM01). */
  controlNumber: string;
  /** CLP02: 1/2/3 processed as primary/secondary/tertiary, 4 denied, 19–21 processed and forwarded, 22 reversal, 23 not our claim. */
  status: string;
  charge: number;
  paid: number;
  patientResponsibility: number;
  /** CLP07: the payer's claim number. */
  payerClaimNumber?: string;
  /** Claim-level CAS. */
  adjustments: RemittanceAdjustment[];
  /** MOA remark codes. */
  remarks: string[];
  services: RemittanceService[];
}

/** One 835 transaction: a payment (or notice) from one payer. */
export interface Remittance {
  /** BPR02, the total paid. */
  totalPaid: number;
  /** TRN02, the check or EFT trace number. */
  traceNumber?: string;
  /** BPR16, `YYYY-MM-DD`. */
  paymentDate?: string;
  /** N1*PR name and the payer id (TRN03 or REF*2U). */
  payerName?: string;
  payerId?: string;
  /** N1*PE NPI (XX). */
  payeeNpi?: string;
  claims: RemittanceClaim[];
}

/** An adjustment with what its codes mean. */
export interface ExplainedAdjustment extends RemittanceAdjustment {
  /** The group's meaning. */
  groupMeaning?: string;
  /** The CARC's meaning; absent for a code PeerKit does not list. */
  reasonMeaning?: string;
}

/** A remark code with its meaning. */
export interface ExplainedRemark {
  code: string;
  meaning?: string;
}

/** What happened to one claim line. */
export interface LineRemittance {
  lineId: string;
  claimControlNumber: string;
  /** `paid` in full (but for contractual and patient-share adjustments), `partial`, `denied` (nothing paid) or `reversed`. */
  outcome: 'paid' | 'partial' | 'denied' | 'reversed';
  charged: number;
  paid: number;
  adjustments: ExplainedAdjustment[];
  remarks: ExplainedRemark[];
  payerClaimNumber?: string;
  traceNumber?: string;
}

/** What {@link matchRemittance} returns. */
export interface RemittanceMatch {
  /** Lines the remittances speak of, in remittance order. */
  lines: LineRemittance[];
  /** Billable lines no remittance speaks of yet (line ids). */
  pending: string[];
  /** CLP01 numbers that lead to no claim of these lines. */
  unmatchedClaims: string[];
  /** Services that lead to no line of their claim. */
  unmatchedServices: { claimControlNumber: string; code: string; controlNumber?: string }[];
  issues: Issue[];
}

/** Denied or reduced lines grouped by adjustment group and reason. */
export interface DenialReason {
  group: string;
  reason: string;
  groupMeaning?: string;
  reasonMeaning?: string;
  /** Lines with this adjustment. */
  lines: number;
  /** The amount adjusted for it. */
  amount: number;
}

const money = (n: number): number => Math.round(n * 100) / 100;

function explain(a: RemittanceAdjustment): ExplainedAdjustment {
  const out: ExplainedAdjustment = { ...a };
  const group = CLAIM_ADJUSTMENT_GROUPS[a.group]?.meaning;
  const reason = CARC_CODES[a.reason]?.meaning;
  if (group !== undefined) out.groupMeaning = group;
  if (reason !== undefined) out.reasonMeaning = reason;
  return out;
}

function remark(code: string): ExplainedRemark {
  const meaning = RARC_CODES[code]?.meaning;
  return meaning === undefined ? { code } : { code, meaning };
}

/** Adjustments that leave a line paid in full: contractual fee-schedule reduction and the patient's share. */
const isRoutine = (a: RemittanceAdjustment): boolean => (a.group === 'CO' && a.reason === '45') || (a.group === 'PR' && ['1', '2', '3'].includes(a.reason));

function outcomeOf(claimStatus: string, paid: number, adjustments: readonly RemittanceAdjustment[]): LineRemittance['outcome'] {
  if (claimStatus === '22') return 'reversed';
  if (paid <= 0) return 'denied';
  return adjustments.every(isRoutine) ? 'paid' : 'partial';
}

/**
 * Matches remittances to claim lines: CLP01 to the claim's patient control number, then each SVC to a
 * line by its REF*6R line control number (else by code, modifiers and date). A claim denied without
 * service lines denies each of its lines with the claim's adjustments.
 *
 * @param remittances - from `parseX12Remittance` (or built by the host)
 * @param input - the billing run (or lines) the 837P was written from
 * @param sent - the claims sent, when their numbers are not `claimControlNumber(claimKeyOf(line))` (claims numbered on by the billing ledger): CLM01 and line ids. Default: the run's own numbers.
 * @returns each line's outcome with explained adjustments and remarks, lines not remitted yet, and what did not match
 * @example
 * const match = matchRemittance(remittances, run);
 * match.lines.filter((l) => l.outcome === 'denied').map((l) => l.adjustments[0]?.reasonMeaning);
 * See: ASC X12N 835 005010X221A1
 */
export function matchRemittance(
  remittances: readonly Remittance[],
  input: BillingRun | readonly ClaimLine[],
  sent?: readonly { readonly controlNumber: string; readonly lineIds: readonly string[] }[],
): RemittanceMatch {
  const billable = ('lines' in input ? input.lines : input).filter((l) => l.status === 'billable');
  const byClaim = new Map<string, ClaimLine[]>();
  const byId = new Map(billable.map((l) => [l.id, l]));
  const add = (key: string, line: ClaimLine): void => {
    const list = byClaim.get(key);
    if (list) list.push(line);
    else byClaim.set(key, [line]);
  };
  if (sent === undefined) for (const line of billable) add(claimControlNumber(claimKeyOf(line)), line);
  else for (const claim of sent) for (const id of claim.lineIds) if (byId.has(id)) add(claim.controlNumber, byId.get(id) as ClaimLine);
  const out: RemittanceMatch = { lines: [], pending: [], unmatchedClaims: [], unmatchedServices: [], issues: [] };
  const seen = new Set<string>();
  const record = (
    line: ClaimLine,
    claim: RemittanceClaim,
    r: Remittance,
    amounts: { charged: number; paid: number },
    adjustments: RemittanceAdjustment[],
    remarks: string[],
  ): void => {
    const paid = amounts.paid;
    const entry: LineRemittance = {
      lineId: line.id,
      claimControlNumber: claim.controlNumber,
      outcome: outcomeOf(claim.status, paid, adjustments),
      charged: money(amounts.charged),
      paid: money(paid),
      adjustments: adjustments.map(explain),
      remarks: remarks.map(remark),
    };
    if (claim.payerClaimNumber !== undefined) entry.payerClaimNumber = claim.payerClaimNumber;
    if (r.traceNumber !== undefined) entry.traceNumber = r.traceNumber;
    // A reversal (CLP02 22) after a payment replaces the earlier outcome of the line.
    const at = out.lines.findIndex((l) => l.lineId === line.id);
    if (at >= 0) out.lines.splice(at, 1);
    out.lines.push(entry);
    seen.add(line.id);
  };

  for (const r of remittances) {
    for (const claim of r.claims) {
      const lines = byClaim.get(claim.controlNumber);
      if (!lines) {
        out.unmatchedClaims.push(claim.controlNumber);
        continue;
      }
      if (claim.services.length === 0) {
        const total = lines.reduce((sum, l) => sum + l.units, 0);
        for (const line of lines) {
          const share = total === 0 ? 0 : line.units / total;
          record(line, claim, r, { charged: claim.charge * share, paid: claim.paid * share }, claim.adjustments, claim.remarks);
        }
        continue;
      }
      const open = [...lines];
      for (const svc of claim.services) {
        let index = svc.controlNumber === undefined ? -1 : open.findIndex((l) => lineControlNumber(l.id) === svc.controlNumber);
        if (index < 0) {
          index = open.findIndex(
            (l) => l.code === svc.code && l.modifiers.join(':') === svc.modifiers.join(':') && (svc.date === undefined || svc.date === l.date),
          );
        }
        const line = open[index];
        if (!line) {
          const miss: RemittanceMatch['unmatchedServices'][number] = { claimControlNumber: claim.controlNumber, code: svc.code };
          if (svc.controlNumber !== undefined) miss.controlNumber = svc.controlNumber;
          out.unmatchedServices.push(miss);
          continue;
        }
        open.splice(index, 1);
        record(line, claim, r, { charged: svc.charge, paid: svc.paid }, [...claim.adjustments, ...svc.adjustments], [...claim.remarks, ...svc.remarks]);
      }
    }
  }
  out.pending = billable.filter((l) => !seen.has(l.id)).map((l) => l.id);
  if (out.unmatchedClaims.length > 0) {
    out.issues.push({ severity: 'warning', code: 'billing.remittance-claim', path: [], message: 'Remitted claims whose patient control number (CLP01) matches no claim of these lines' });
  }
  if (out.unmatchedServices.length > 0) {
    out.issues.push({ severity: 'warning', code: 'billing.remittance-service', path: [], message: 'Remitted service lines (SVC) that match no line of their claim' });
  }
  return out;
}

/**
 * Denials and reductions by reason: every adjustment of a denied or partly paid line except the
 * routine ones (CO-45 fee schedule, PR-1/2/3 patient share), grouped by group and reason code, most
 * lines first — so a program sees why peer services were not paid.
 *
 * @param match - from {@link matchRemittance}
 * @returns one row per group and reason
 * @example
 * summarizeDenials(match)[0]; // { group: 'CO', reason: '197', reasonMeaning: 'Precertification, …', lines: 3, amount: 180 }
 */
export function summarizeDenials(match: RemittanceMatch): DenialReason[] {
  const rows = new Map<string, DenialReason>();
  for (const line of match.lines) {
    if (line.outcome !== 'denied' && line.outcome !== 'partial') continue;
    const counted = new Set<string>();
    for (const a of line.adjustments) {
      if (isRoutine(a)) continue;
      const key = `${a.group}-${a.reason}`;
      let row = rows.get(key);
      if (!row) {
        row = { group: a.group, reason: a.reason, lines: 0, amount: 0 };
        if (a.groupMeaning !== undefined) row.groupMeaning = a.groupMeaning;
        if (a.reasonMeaning !== undefined) row.reasonMeaning = a.reasonMeaning;
        rows.set(key, row);
      }
      if (!counted.has(key)) row.lines += 1;
      counted.add(key);
      row.amount = money(row.amount + a.amount);
    }
  }
  return [...rows.values()].sort((a, b) => b.lines - a.lines || b.amount - a.amount || (a.reason < b.reason ? -1 : 1));
}
