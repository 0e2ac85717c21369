/**
 * A run's claims against the billing ledger: what to send now. A line billed before and unchanged is
 * not sent again; new lines go on new claims (an add-on month line joins the claim of its month by a
 * replacement); a claim on file whose lines changed is replaced (frequency 7), one whose lines all
 * disappeared from the dates this export covers is voided (frequency 8). Corrections name the claim
 * they correct (REF*F8: the payer's claim number when an 835 gave it, else the CLM01 sent).
 *
 * See: 837P 2300 CLM05-3 (NUBC claim frequency 1, 7, 8), REF*F8
 */
import { covers, type Issue } from '@peerkit/model';
import { claimControlNumber, type ClaimMember, type ClaimPayer, type ClaimFrequency, type ProfessionalClaim, type ProfessionalClaims, type ProfessionalServiceLine } from './professional-claim';
import type { ClaimLine } from './claim-line';
import type { BillingLedgerState, LedgerClaimEntry } from './ledger';

/** Options of {@link planLedgerClaims}. */
export interface LedgerPlanOptions {
  /** The dates the current export covers (`YYYY-MM-DD`, inclusive): a line on file in it that the run no longer bills was removed. */
  covers: { start: string; end: string };
  /** When this run runs (ISO date-time): the `recorded` of the new entries. */
  recorded: string;
  /** Demographics by peer id, for claims of members the run has no claim for (a void). */
  members: Readonly<Record<string, ClaimMember>>;
  /** Payers by coverage payer id, as in the claims options. Default: the payer id as name and id. */
  payers?: Readonly<Record<string, ClaimPayer>>;
  /** This run's lines, so the ledger keeps each line's minutes and services (a month's minutes then count across runs). Default none. */
  lines?: readonly ClaimLine[];
}

/** What {@link planLedgerClaims} returns. */
export interface LedgerPlan {
  /** The claims to send: new (1), replacements (7) and voids (8). */
  claims: ProfessionalClaims;
  /** The ledger entries to append once the 837P is written. */
  entries: LedgerClaimEntry[];
  /** Claims by frequency, and lines of this run not sent again because they were billed before, unchanged. */
  counts: { original: number; replacement: number; void: number; unchangedLines: number };
  issues: Issue[];
}

/** Where a claim goes: payer, pack, member. */
interface Party {
  payerId: string;
  packId: string;
  peerId: string;
  memberId: string;
  claimFilingIndicator: string;
}

const money = (n: number): number => Math.round(n * 100) / 100;
/** The id of a month line (`<pack>:<peer>:<YYYY-MM>:<code>`): an add-on goes on the claim of its base code. */
const MONTH_LINE = /:\d{4}-\d{2}:[A-Z0-9]{5}$/;

function sameLine(a: ProfessionalServiceLine, aDx: readonly string[], b: ProfessionalServiceLine, bDx: readonly string[]): boolean {
  return (
    a.code === b.code &&
    a.modifiers.join(':') === b.modifiers.join(':') &&
    a.units === b.units &&
    a.charge === b.charge &&
    a.placeOfService === b.placeOfService &&
    a.from === b.from &&
    a.to === b.to &&
    a.rendering?.npi === b.rendering?.npi &&
    aDx.join(':') === bDx.join(':')
  );
}

/** The diagnosis codes a line points at in its claim. */
const codesOf = (line: ProfessionalServiceLine, claim: ProfessionalClaim): string[] =>
  line.diagnosisPointers.map((p) => claim.diagnoses[p - 1]).filter((c): c is string => c !== undefined);

/** A claim of `lines` (each with its codes), claim-level fields from `base`, diagnoses re-pointed. */
function rebuild(base: ProfessionalClaim, lines: readonly { line: ProfessionalServiceLine; codes: readonly string[] }[]): ProfessionalClaim {
  const diagnoses = [...base.diagnoses];
  for (const { codes } of lines) for (const c of codes) if (!diagnoses.includes(c)) diagnoses.push(c);
  const kept = diagnoses.slice(0, 12);
  const out = lines.map(({ line, codes }) => {
    const pointers = codes.map((c) => kept.indexOf(c) + 1).filter((p, i, all) => p > 0 && all.indexOf(p) === i).slice(0, 4);
    return { ...line, diagnosisPointers: pointers.length > 0 ? pointers : [1] };
  });
  const { frequency: _f, originalReference: _o, ...rest } = base;
  return { ...rest, diagnoses: kept, lines: out, totalCharge: money(out.reduce((sum, l) => sum + l.charge, 0)), placeOfService: out[0]?.placeOfService ?? base.placeOfService };
}

/**
 * Plans what a run sends given the billing ledger: unchanged lines are not sent again, new lines go
 * on new claims (month add-ons on a replacement of their month's claim), changed claims are replaced
 * (7) and claims whose lines all disappeared from the covered dates are voided (8). Claims are numbered
 * on from the ledger (the first claim of a key keeps `claimControlNumber(claimKey)`). Pure: the ledger
 * is only read; append `entries` once the 837P is written.
 *
 * @param claims - `toProfessionalClaims` of this run (its billable lines)
 * @param state - `readBillingLedger` of the ledger
 * @param options - the dates the export covers, the clock, demographics and payers
 * @returns the claims to send, the entries to append, counts and issues
 * @example
 * const plan = planLedgerClaims(toProfessionalClaims(run, options), await readBillingLedger(ledger.entries()), { covers, recorded, members });
 * const files = toX12Professional(plan.claims, x12Options);
 * await ledger.append(plan.entries);
 * See: 837P 2300 CLM05-3, REF*F8
 */
export function planLedgerClaims(claims: ProfessionalClaims, state: BillingLedgerState, options: LedgerPlanOptions): LedgerPlan {
  const sent = new Map(state.sent);
  const nextNumber = (claimKey: string): string => {
    const n = sent.get(claimKey) ?? 0;
    sent.set(claimKey, n + 1);
    return n === 0 ? claimControlNumber(claimKey) : claimControlNumber(`${claimKey}#${n}`);
  };

  // This run's lines, each with its claim, party and diagnosis codes.
  const current = new Map<string, { line: ProfessionalServiceLine; claim: ProfessionalClaim; party: Party }>();
  const currentClaims = new Map<string, { claim: ProfessionalClaim; party: Party }>();
  const payers = new Map<string, ClaimPayer & { claimFilingIndicator: string }>();
  for (const batch of claims.batches) {
    payers.set(batch.payerId, batch.payer);
    for (const s of batch.subscribers) {
      for (const claim of s.claims) {
        const party = { payerId: batch.payerId, packId: batch.packId, peerId: s.peerId, memberId: s.memberId, claimFilingIndicator: batch.payer.claimFilingIndicator };
        currentClaims.set(claim.claimKey, { claim, party });
        for (const line of claim.lines) current.set(line.lineId, { line, claim, party });
      }
    }
  }

  const outgoing: { claim: ProfessionalClaim; party: Party; replaces?: string }[] = [];
  // Each line's minutes and services: this run's, else as the ledger kept them.
  const details = new Map<string, { lineId: string; minutes: number; services: string[] }>();
  for (const list of state.claims.values()) for (const e of list) for (const d of e.details ?? []) details.set(d.lineId, { ...d, services: [...d.services] });
  for (const l of options.lines ?? []) details.set(l.id, { lineId: l.id, minutes: l.minutes, services: l.services.map((s) => `${s.kind}:${s.id}`) });
  const consumed = new Set<string>();
  const counts = { original: 0, replacement: 0, void: 0, unchangedLines: 0 };
  let unknownPayerNumber = 0;
  const correction = (onFile: LedgerClaimEntry, frequency: ClaimFrequency, claim: ProfessionalClaim, party: Party): void => {
    const reference = state.payerNumbers.get(onFile.claim.controlNumber);
    if (reference === undefined) unknownPayerNumber += 1;
    outgoing.push({
      claim: { ...claim, controlNumber: nextNumber(claim.claimKey), frequency, originalReference: reference ?? onFile.claim.controlNumber },
      party,
      replaces: onFile.claim.controlNumber,
    });
    counts[frequency === '7' ? 'replacement' : 'void'] += 1;
  };
  const partyOf = (entry: LedgerClaimEntry): Party => ({
    payerId: entry.payerId,
    packId: entry.packId,
    peerId: entry.peerId,
    memberId: entry.memberId,
    claimFilingIndicator: entry.claimFilingIndicator,
  });

  // Claims on file: unchanged, replaced or voided. A claim key whose claim is replaced takes its new month add-ons along.
  const replacing = new Map<string, { onFile: LedgerClaimEntry; lines: { line: ProfessionalServiceLine; codes: string[] }[]; changed: boolean }>();
  for (const [claimKey, list] of state.claims) {
    for (const onFile of list) {
      let changed = false;
      const kept: { line: ProfessionalServiceLine; codes: string[] }[] = [];
      for (const line of onFile.claim.lines) {
        const now = current.get(line.lineId);
        const codes = codesOf(line, onFile.claim);
        if (now) {
          consumed.add(line.lineId);
          const nowCodes = codesOf(now.line, now.claim);
          if (sameLine(line, codes, now.line, nowCodes)) {
            kept.push({ line, codes });
            counts.unchangedLines += 1;
          } else {
            changed = true;
            kept.push({ line: { ...now.line, controlNumber: line.controlNumber }, codes: nowCodes });
          }
        } else if (covers(line.from, options.covers.start, options.covers.end)) changed = true;
        else kept.push({ line, codes });
      }
      if (!changed) {
        replacing.set(`${claimKey}|${onFile.claim.controlNumber}`, { onFile, lines: kept, changed: false });
        continue;
      }
      if (kept.length === 0) {
        correction(onFile, '8', { ...onFile.claim }, partyOf(onFile));
        continue;
      }
      replacing.set(`${claimKey}|${onFile.claim.controlNumber}`, { onFile, lines: kept, changed: true });
    }
  }

  // New lines: month add-ons join the claim of their month; the others go on a new claim per claim key.
  const fresh = new Map<string, { line: ProfessionalServiceLine; claim: ProfessionalClaim; party: Party }[]>();
  for (const [lineId, entry] of current) {
    if (consumed.has(lineId)) continue;
    const onFile = MONTH_LINE.test(lineId) ? [...replacing.values()].find((r) => r.onFile.claim.claimKey === entry.claim.claimKey) : undefined;
    if (onFile) {
      onFile.lines.push({ line: entry.line, codes: codesOf(entry.line, entry.claim) });
      onFile.changed = true;
      continue;
    }
    fresh.set(entry.claim.claimKey, [...(fresh.get(entry.claim.claimKey) ?? []), entry]);
  }
  for (const { onFile, lines, changed } of replacing.values()) {
    if (!changed) continue;
    const base = currentClaims.get(onFile.claim.claimKey)?.claim ?? onFile.claim;
    correction(onFile, '7', rebuild(base, lines), partyOf(onFile));
  }
  for (const [claimKey, entries] of fresh) {
    const first = entries[0];
    if (!first) continue;
    const claim = rebuild(first.claim, entries.map((e) => ({ line: e.line, codes: codesOf(e.line, e.claim) })));
    outgoing.push({ claim: { ...claim, controlNumber: nextNumber(claimKey) }, party: first.party });
    counts.original += 1;
  }

  // The claims to send, batched by payer and member as toProfessionalClaims does.
  const batches = new Map<string, ProfessionalClaims['batches'][number]>();
  const issues: Issue[] = [];
  const omitted: ProfessionalClaims['omitted'] = [];
  const entries: LedgerClaimEntry[] = [];
  for (const { claim, party, replaces } of outgoing) {
    const member = options.members[party.peerId];
    if (!member) {
      omitted.push({ claimKey: claim.claimKey, lineIds: claim.lines.map((l) => l.lineId), reason: 'member' });
      issues.push({ severity: 'warning', code: 'billing.claim-member', path: [], message: 'Claim left out: no member demographics for the peer (members)' });
      continue;
    }
    let batch = batches.get(party.payerId);
    if (!batch) {
      const payer = payers.get(party.payerId) ?? { ...(options.payers?.[party.payerId] ?? { name: party.payerId, id: party.payerId }), claimFilingIndicator: party.claimFilingIndicator };
      batch = { payerId: party.payerId, packId: party.packId, payer, subscribers: [] };
      batches.set(party.payerId, batch);
    }
    let subscriber = batch.subscribers.find((s) => s.peerId === party.peerId && s.memberId === party.memberId);
    if (!subscriber) batch.subscribers.push((subscriber = { peerId: party.peerId, memberId: party.memberId, member, claims: [] }));
    subscriber.claims.push(claim);
    const kept = claim.lines.flatMap((l) => details.get(l.lineId) ?? []);
    entries.push({ kind: 'claim', recorded: options.recorded, ...party, ...(replaces === undefined ? {} : { replaces }), claim, ...(kept.length > 0 ? { details: kept } : {}) });
  }
  if (unknownPayerNumber > 0) {
    issues.push({
      severity: 'warning',
      code: 'billing.ledger-payer-number',
      path: [],
      message: `Corrections whose payer claim number no 835 gave carry the CLM01 sent as REF*F8; some payers want their own number (${unknownPayerNumber})`,
    });
  }
  const { batches: _b, omitted: _o, issues: _i, ...rest } = claims;
  return { claims: { ...rest, batches: [...batches.values()], omitted: [...claims.omitted, ...omitted], issues: [...claims.issues, ...issues] }, entries, counts, issues };
}
