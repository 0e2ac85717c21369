/**
 * Billing encounters under payer packs: claim lines with units, modifiers and place of service, and
 * the findings of every check of reference/billing.md §6. Pure: the same input gives the same lines.
 *
 * See: reference/billing.md §1.2 (units), §1.3 (MUE), §1.4 (modifiers), §4 (POS), §6 (checks)
 */
import { covers, type GroupSession, type PeerEncounter } from '@peerkit/model';
import type { BillingContext } from './billing-context';
import type { BillingFinding, BillingRun, ClaimLine, NotBilled } from './claim-line';
import { applyLimits, type AuthorizationWindow } from './internal/caps';
import { citer, finding } from './internal/line-parts';
import { billMonthly } from './internal/monthly-billing';
import { buildIndex, groupBy, type Entry } from './internal/run-index';
import { expandServices, findOverlaps, type ServiceItem } from './internal/service-items';
import { billTimed } from './internal/timed-billing';
import type { PayerPack } from './pack-schema';

function compareLines(a: ClaimLine, b: ClaimLine): number {
  if (a.peerId !== b.peerId) return a.peerId < b.peerId ? -1 : 1;
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.period.start !== b.period.start) return a.period.start < b.period.start ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Bills encounters and group sessions under payer packs. Each service goes to the pack of the
 * member's payer on the date of service; units follow the pack's strategy; every check of
 * reference/billing.md §6 runs; caps and MUE count all of a member's lines, in date order. A line that
 * fails a blocking check is returned `held` with its reasons (a line cut by a cap is split into a
 * billed part and a held remainder): nothing is dropped or trimmed silently. Services of members
 * whose payer has no pack are counted in `notBilled` with a finding.
 *
 * @param encounters - one-on-one encounters and group sessions (group sessions give one line per member present)
 * @param context - packs, the rest of the export and the host's evidence; see {@link BillingContext}
 * @returns lines (billable and held), run findings and what was not billed
 * @example
 * const { encounters, ...records } = collectBillingRecords(clinic.records);
 * const run = billEncounters(encounters, { ...records, packs: PAYER_PACKS });
 * run.lines.filter((l) => l.status === 'held').map((l) => l.findings[0]?.check);
 * See: reference/billing.md §6
 */
export function billEncounters(encounters: readonly (PeerEncounter | GroupSession)[], context: BillingContext): BillingRun {
  const index = buildIndex(context);
  const { items, notDelivered } = expandServices(encounters);
  const overlaps = findOverlaps(items);
  const findings: BillingFinding[] = [];

  const packsById = new Map(context.packs.map((p) => [p.id, p]));
  const resolved = new Map<string, PayerPack | undefined>();
  const packFor = (payerId: string): PayerPack | undefined => {
    if (resolved.has(payerId)) return resolved.get(payerId);
    const mapped = context.payerPacks?.[payerId];
    const pack =
      mapped !== undefined
        ? packsById.get(mapped)
        : (packsById.get(payerId) ?? context.packs.find((p) => p.coveragePayerIds.includes(payerId)));
    if (mapped !== undefined && !pack) {
      findings.push(finding('COVERAGE', 'error', 'payerPacks maps a payer to a pack that is not among the packs', ['payerPacks'], undefined));
    }
    resolved.set(payerId, pack);
    return pack;
  };

  const byPack = new Map<PayerPack, Entry[]>();
  const skipped = new Map<string, NotBilled & { peerIds: Set<string> }>();
  const skip = (reason: NotBilled['reason'], item: ServiceItem, payerId?: string): void => {
    const key = `${reason}|${payerId ?? ''}`;
    let bucket = skipped.get(key);
    if (!bucket) {
      bucket = { reason, peers: 0, services: 0, minutes: 0, peerIds: new Set() };
      if (payerId !== undefined) bucket.payerId = payerId;
      skipped.set(key, bucket);
    }
    bucket.services += 1;
    bucket.minutes += item.minutes;
    bucket.peerIds.add(item.peerId);
  };
  for (const item of items) {
    const peer = index.peers.get(item.peerId);
    if (!peer) {
      skip('unknown-peer', item);
      continue;
    }
    const coverage = peer.coverage.find((c) => covers(item.date, c.start, c.end));
    if (!coverage) {
      skip('no-coverage', item);
      continue;
    }
    const pack = packFor(coverage.payerId);
    if (!pack) {
      skip('no-pack', item, coverage.payerId);
      continue;
    }
    const list = byPack.get(pack);
    const entry: Entry = { item, peer, payerId: coverage.payerId, memberId: coverage.memberId };
    if (list) list.push(entry);
    else byPack.set(pack, [entry]);
  }

  const mueFor = (pack: PayerPack): Map<string, { units: number; source: string | undefined }> => {
    const cite = citer(pack);
    const out = new Map(pack.mue.map((m) => [m.code, { units: m.units, source: cite(m) }]));
    for (const [code, units] of Object.entries(context.evidence?.mue ?? {})) {
      out.set(code, { units, source: 'MUE value supplied by the host (CMS / Medicaid NCCI MUE file) [S13]' });
    }
    return out;
  };

  const billedBy = groupBy(context.billed ?? [], (b) => `${b.packId}|${b.peerId}`);
  let lines: ClaimLine[] = [];
  for (const [pack, entries] of byPack) {
    const serviceState = context.serviceState ?? context.organization?.state;
    if (pack.state !== undefined && serviceState !== undefined && pack.state !== serviceState) {
      findings.push(
        finding('PACK', 'warning', "The pack holds another state's rules than the state where services are delivered", [], undefined),
      );
    }
    const packLines =
      pack.billing.mode === 'timed'
        ? billTimed(index, pack, pack.billing, entries, overlaps)
        : billMonthly(index, pack, pack.billing, entries, overlaps, context.billed ?? []);
    const mue = mueFor(pack);
    const cite = citer(pack);
    const ids = new Set(packLines.map((l) => l.id));
    for (const [peerId, memberLines] of groupBy(packLines, (l) => l.peerId)) {
      const prior = (billedBy.get(`${pack.id}|${peerId}`) ?? []).filter((b) => !ids.has(b.lineId));
      const auths: AuthorizationWindow[] | undefined = index.evidence
        .get(peerId)
        ?.authorizations?.filter((a) => a.kind === 'prior-authorization');
      const withAuths = context.evidence?.authorizations ? (auths ?? []) : undefined;
      packLines.push(...applyLimits(memberLines, pack, mue, withAuths, cite, prior));
    }
    lines = lines.concat(packLines);
  }

  const notBilled: NotBilled[] = [...skipped.values()].map(({ peerIds, ...rest }) => ({ ...rest, peers: peerIds.size }));
  for (const bucket of notBilled) {
    const message =
      bucket.reason === 'no-pack'
        ? 'Services of members whose payer has no pack were not billed (peer coverage payerId)'
        : bucket.reason === 'no-coverage'
          ? 'Services of members with no coverage on the date of service were not billed (peer coverage)'
          : 'Services of peers not in the export were not billed (peerId)';
    findings.push(finding('COVERAGE', 'warning', message, [], undefined));
  }

  lines.sort(compareLines);
  let outsidePeriod = 0;
  const period = context.period;
  if (period?.start !== undefined || period?.end !== undefined) {
    const kept = lines.filter((l) => covers(l.date, period.start, period.end));
    outsidePeriod = lines.length - kept.length;
    lines = kept;
  }
  return { lines, findings, notBilled, notDelivered, outsidePeriod };
}
