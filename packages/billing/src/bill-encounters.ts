/**
 * Billing encounters under payer packs: claim lines with units, modifiers and place of service, and
 * the findings of every check of reference/billing.md §6. Pure: the same input gives the same lines.
 *
 * See: reference/billing.md §1.2 (units), §1.3 (MUE), §1.4 (modifiers), §4 (POS), §6 (checks)
 */
import {
  covers,
  periodKey,
  type Consent,
  type GroupSession,
  type IssuePath,
  type IssueSeverity,
  type Peer,
  type PeerEncounter,
  type RecoveryPlan,
  type Specialist,
} from '@peerkit/model';
import type { BillingContext, BillingEvidence } from './billing-context';
import { BILLING_CHECKS, type BillingCheck } from './checks';
import type { BillingFinding, BillingRun, ClaimLine, NotBilled } from './claim-line';
import { applyLimits, type AuthorizationWindow } from './internal/caps';
import {
  LINE_RULES,
  monthPrerequisites,
  qualifyingDiagnoses,
  type Cite,
  type Emit,
  type PeerEvidence,
  type RuleEnv,
} from './internal/line-rules';
import { expandServices, findOverlaps, type ServiceItem } from './internal/service-items';
import type { PayerPack, TimedService } from './pack-schema';
import { allocateUnits, monthlyUnits, UNIT_STRATEGIES, unitsForMinutes } from './units';

type TimedBilling = Extract<PayerPack['billing'], { mode: 'timed' }>;
type MonthlyBilling = Extract<PayerPack['billing'], { mode: 'monthly' }>;

interface Entry {
  item: ServiceItem;
  peer: Peer;
  payerId: string;
  memberId: string;
}

/** Lookups built once per run. */
interface Index {
  peers: Map<string, Peer>;
  specialists: Map<string, Specialist>;
  plans: Map<string, RecoveryPlan[]>;
  consents: Map<string, Consent[]>;
  evidence: Map<string, PeerEvidence>;
  part2Programs: Map<string, boolean>;
  /** Evidence of a member the host supplied none for: empty lists for the kinds it supplied. */
  noEvidence: PeerEvidence;
  context: BillingContext;
}

function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function buildIndex(context: BillingContext): Index {
  const evidence = new Map<string, PeerEvidence>();
  const ev: BillingEvidence = context.evidence ?? {};
  const slot = (peerId: string): PeerEvidence => {
    let e = evidence.get(peerId);
    if (!e) {
      e = {
        diagnoses: ev.diagnoses ? [] : undefined,
        authorizations: ev.authorizations ? [] : undefined,
        initiatingVisits: ev.initiatingVisits ? [] : undefined,
        otherServices: ev.otherServices ? [] : undefined,
      };
      evidence.set(peerId, e);
    }
    return e;
  };
  for (const d of ev.diagnoses ?? []) (slot(d.peerId).diagnoses as unknown[]).push(d);
  for (const a of ev.authorizations ?? []) (slot(a.peerId).authorizations as unknown[]).push(a);
  for (const v of ev.initiatingVisits ?? []) (slot(v.peerId).initiatingVisits as unknown[]).push(v);
  for (const o of ev.otherServices ?? []) (slot(o.peerId).otherServices as unknown[]).push(o);
  return {
    peers: new Map(context.peers.map((p) => [p.id, p])),
    specialists: new Map(context.specialists.map((s) => [s.id, s])),
    plans: groupBy(context.plans ?? [], (p) => p.peerId),
    consents: groupBy(context.consents ?? [], (c) => c.peerId),
    evidence,
    part2Programs: new Map((context.organization?.programs ?? []).map((p) => [p.id, p.part2])),
    noEvidence: {
      diagnoses: ev.diagnoses ? [] : undefined,
      authorizations: ev.authorizations ? [] : undefined,
      initiatingVisits: ev.initiatingVisits ? [] : undefined,
      otherServices: ev.otherServices ? [] : undefined,
    },
    context,
  };
}


/** Writes the citation of a pack figure: `<citation> [S1]`, with the status when not verified. */
function citer(pack: PayerPack): (cite: Cite | undefined) => string | undefined {
  return (cite) => {
    if (!cite) return undefined;
    const text = pack.sources[cite.source] ?? cite.source;
    return `${text} [${cite.source}]${cite.status === 'verified' ? '' : ` (${cite.status})`}`;
  };
}

function finding(
  check: BillingCheck,
  severity: IssueSeverity,
  message: string,
  path: IssuePath,
  source: string | undefined,
): BillingFinding {
  // A rule without a pack citation (PeerKit bookkeeping) cites the check's own basis.
  return { check, code: BILLING_CHECKS[check].code, severity, path, message, source: source ?? BILLING_CHECKS[check].source };
}

/** The place of service of a service under a pack. */
function placeOfService(pack: PayerPack, item: ServiceItem): string {
  const pos = pack.placeOfService;
  if (item.modality === 'in-person') return pos.bySetting[item.setting].value;
  return item.setting === 'home' ? pos.telehealthHome.value : pos.telehealthOther.value;
}

/** Modifiers of a line, in the pack's slot order, without repeats. */
function modifiersFor(pack: PayerPack, item: ServiceItem, serviceModifiers: readonly string[], group: boolean): string[] {
  const out: string[] = [];
  const add = (code: string | undefined): void => {
    if (code !== undefined && !out.includes(code)) out.push(code);
  };
  for (const slot of pack.modifiers.order.value) {
    if (slot === 'group' && group) add(pack.modifiers.group?.value);
    else if (slot === 'program') add(pack.modifiers.program[item.programType]?.value);
    else if (slot === 'service') serviceModifiers.forEach(add);
    else if (slot === 'telehealth' && item.modality !== 'in-person') add(pack.modifiers.telehealth[item.modality]?.value);
  }
  return out;
}

function pickService(billing: TimedBilling, item: ServiceItem): TimedService | undefined {
  return billing.services.find((s) => s.session === item.session && (s.programs === undefined || s.programs.includes(item.programType)));
}

function isPart2(index: Index, item: ServiceItem): boolean {
  return index.part2Programs.get(item.programId) ?? item.programType !== 'mental-health';
}

function ruleEnv(index: Index, pack: PayerPack, entry: Entry, overlaps: ReadonlySet<ServiceItem>): RuleEnv {
  const { item, peer } = entry;
  return {
    pack,
    item,
    peer,
    specialist: index.specialists.get(item.specialistId),
    plans: index.plans.get(peer.id) ?? [],
    consents: index.consents.get(peer.id) ?? [],
    evidence: index.evidence.get(peer.id) ?? index.noEvidence,
    serviceState: index.context.serviceState ?? index.context.organization?.state ?? pack.state,
    missingEvidence: index.context.missingEvidence ?? 'warn',
    placeOfService: placeOfService(pack, item),
    overlapsEarlier: overlaps.has(item),
  };
}

function runRules(env: RuleEnv, cite: (c: Cite | undefined) => string | undefined): BillingFinding[] {
  const findings: BillingFinding[] = [];
  const emit: Emit = (check, severity, message, path, c) => findings.push(finding(check, severity, message, path, cite(c)));
  for (const rule of LINE_RULES) rule.run(env, emit);
  return findings;
}

const hasError = (findings: readonly BillingFinding[]): boolean => findings.some((f) => f.severity === 'error');

function baseLine(index: Index, pack: PayerPack, entry: Entry, env: RuleEnv): Omit<ClaimLine, 'id' | 'code' | 'display' | 'modifiers' | 'units' | 'findings' | 'status'> {
  const { item, peer } = entry;
  return {
    packId: pack.id,
    payerId: entry.payerId,
    memberId: entry.memberId,
    peerId: peer.id,
    patient: peer.patient,
    minutes: item.minutes,
    placeOfService: env.placeOfService,
    date: item.date,
    period: { start: item.start, end: item.end },
    renderingSpecialistId: item.specialistId,
    session: item.session,
    services: [item.ref],
    programType: item.programType,
    modality: item.modality,
    diagnosisCodes: qualifyingDiagnoses(pack, env.evidence.diagnoses, item.date),
    part2: isPart2(index, item),
    path: item.path,
  };
}

function lineId(pack: PayerPack, item: ServiceItem): string {
  return item.session === 'group' ? `${pack.id}:${item.ref.id}:${item.peerId}` : `${pack.id}:${item.ref.id}`;
}

function billTimed(index: Index, pack: PayerPack, billing: TimedBilling, entries: readonly Entry[], overlaps: ReadonlySet<ServiceItem>): ClaimLine[] {
  const cite = citer(pack);
  const fallback = billing.services[0] as TimedService;
  const lines: ClaimLine[] = [];
  for (const entry of entries) {
    const { item } = entry;
    const env = ruleEnv(index, pack, entry, overlaps);
    const service = pickService(billing, item);
    const findings = runRules(env, cite);
    if (!service) {
      findings.unshift(
        finding(
          'SERVICE',
          'error',
          item.session === 'group'
            ? 'The pack bills no code for group sessions of this program type (programType)'
            : 'The pack bills no code for this program type (programType)',
          [...item.path.slice(0, 2), 'programType'],
          undefined,
        ),
      );
    }
    const chosen = service ?? fallback;
    const line: ClaimLine = {
      id: lineId(pack, item),
      status: hasError(findings) ? 'held' : 'billable',
      code: chosen.code,
      display: chosen.display,
      modifiers: modifiersFor(pack, item, chosen.modifiers, item.session === 'group'),
      units: 0,
      findings,
      ...baseLine(index, pack, entry, env),
    };
    if (service?.rate) line.unitPrice = service.rate.amount;
    lines.push(line);
  }

  // Units: same-day minutes add up (per code and modifiers) when the strategy or the payer says so;
  // held lines never add their minutes to billable ones.
  const strategy = billing.strategy.value;
  const unitMinutes = billing.unitMinutes.value;
  const sum = billing.sumSameDay.value || UNIT_STRATEGIES[strategy].sumsSameDay;
  const billable = lines.filter((l) => l.status === 'billable');
  for (const line of lines) if (line.status === 'held' || !sum) line.units = unitsForMinutes(line.minutes, strategy, { unitMinutes });
  if (sum) {
    const days = groupBy(billable, (l) => `${l.peerId}|${l.date}|${l.code}|${l.modifiers.join('-')}`);
    for (const day of days.values()) {
      day.sort((a, b) => (a.period.start < b.period.start ? -1 : a.period.start > b.period.start ? 1 : a.id < b.id ? -1 : 1));
      const units = allocateUnits(
        day.map((l) => l.minutes),
        strategy,
        { unitMinutes },
      );
      day.forEach((l, i) => {
        l.units = units[i] ?? 0;
      });
    }
  }
  const source = cite(billing.strategy);
  for (const line of lines) {
    if (line.units > 0) continue;
    line.findings.push(
      finding(
        'MIN_MINUTES',
        'error',
        `Units are 0 under the payer's unit rule (${strategy}, ${unitMinutes}-minute units): do not report`,
        line.path,
        source,
      ),
    );
    line.status = 'held';
  }
  return lines;
}

function billMonthly(index: Index, pack: PayerPack, billing: MonthlyBilling, entries: readonly Entry[], overlaps: ReadonlySet<ServiceItem>): ClaimLine[] {
  const cite = citer(pack);
  const lines: ClaimLine[] = [];
  const eligible: { entry: Entry; env: RuleEnv; findings: BillingFinding[] }[] = [];
  for (const entry of entries) {
    const { item } = entry;
    const env = ruleEnv(index, pack, entry, overlaps);
    const findings = runRules(env, cite);
    if (item.session === 'group' && !billing.groupSessions.value) {
      findings.unshift(
        finding('SERVICE', 'error', 'The pack does not count group session minutes', item.path, cite(billing.groupSessions)),
      );
    } else if (billing.programs !== undefined && !billing.programs.includes(item.programType)) {
      findings.unshift(finding('SERVICE', 'error', 'The pack bills no code for this program type (programType)', [...item.path.slice(0, 2), 'programType'], undefined));
    }
    if (hasError(findings)) {
      // Its minutes do not count toward the month; the service is listed as held with its reasons.
      lines.push({
        id: lineId(pack, item),
        status: 'held',
        code: billing.base.code,
        display: billing.base.display,
        modifiers: modifiersFor(pack, item, [], false),
        units: 0,
        findings,
        ...baseLine(index, pack, entry, env),
      });
    } else {
      eligible.push({ entry, env, findings });
    }
  }

  const rule = {
    baseMinutes: billing.base.minutes.value,
    baseMinimumMinutes: billing.base.minimumMinutes.value,
    ...(billing.addOn ? { addOnMinutes: billing.addOn.minutes.value, addOnMinimumMinutes: billing.addOn.minimumMinutes.value } : {}),
  };
  const months = groupBy(eligible, (e) => `${e.entry.peer.id}|${e.entry.payerId}|${e.entry.memberId}|${periodKey(e.entry.item.date, 'month')}`);
  for (const month of months.values()) {
    month.sort((a, b) => a.entry.item.startMs - b.entry.item.startMs || (a.entry.item.ref.id < b.entry.item.ref.id ? -1 : 1));
    const first = month[0];
    const last = month[month.length - 1];
    if (!first || !last) continue;
    const total = month.reduce((s, e) => s + e.entry.item.minutes, 0);
    const units = monthlyUnits(total, rule);
    // The date a block was completed: when the running minutes first reach `threshold`.
    const reached = (threshold: number): (typeof month)[number] => {
      let running = 0;
      for (const e of month) {
        running += e.entry.item.minutes;
        if (running >= threshold) return e;
      }
      return last;
    };
    const warnings = new Map<string, BillingFinding>();
    for (const e of month) for (const f of e.findings) warnings.set(`${f.check}|${f.message}`, { ...f, path: f.path });
    const monthKey = periodKey(first.entry.item.date, 'month');
    const make = (code: MonthlyBilling['base'], at: (typeof month)[number], n: number, suffix: string): ClaimLine => {
      const base = baseLine(index, pack, at.entry, at.env);
      const line: ClaimLine = {
        ...base,
        id: `${pack.id}:${first.entry.peer.id}:${monthKey}:${suffix}`,
        status: 'billable',
        code: code.code,
        display: code.display,
        modifiers: modifiersFor(pack, at.entry.item, [], false),
        units: n,
        minutes: total,
        period: { start: first.entry.item.date, end: last.entry.item.date },
        session: 'month',
        services: month.map((e) => e.entry.item.ref),
        part2: month.some((e) => isPart2(index, e.entry.item)),
        findings: [...warnings.values()].map((f) => ({ ...f })),
      };
      if (code.rate) line.unitPrice = code.rate.amount;
      return line;
    };
    if (units.base === 0) {
      const held = make(billing.base, last, 0, billing.base.code);
      held.findings.push(
        finding(
          'MIN_MINUTES',
          'error',
          `The member's minutes in the calendar month are under the minimum for ${billing.base.code} (${rule.baseMinimumMinutes})`,
          held.path,
          cite(billing.base.minimumMinutes),
        ),
      );
      held.status = 'held';
      lines.push(held);
      continue;
    }
    const monthLines = [make(billing.base, reached(rule.baseMinimumMinutes), 1, billing.base.code)];
    if (billing.addOn && units.addOn > 0) {
      const lastBlock = rule.baseMinutes + (rule.addOnMinimumMinutes ?? 0) + (units.addOn - 1) * (rule.addOnMinutes ?? 0);
      monthLines.push(make(billing.addOn, reached(lastBlock), units.addOn, billing.addOn.code));
    }
    for (const line of monthLines) {
      const found: BillingFinding[] = [];
      monthPrerequisites(pack, { evidence: first.env.evidence, consents: first.env.consents, missingEvidence: first.env.missingEvidence }, line.date, line.path, (check, severity, message, path, c) =>
        found.push(finding(check, severity, message, path, cite(c))),
      );
      line.findings.push(...found);
      if (hasError(line.findings)) line.status = 'held';
      lines.push(line);
    }
  }
  return lines;
}

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
        : billMonthly(index, pack, pack.billing, entries, overlaps);
    const mue = mueFor(pack);
    const cite = citer(pack);
    for (const [peerId, memberLines] of groupBy(packLines, (l) => l.peerId)) {
      const auths: AuthorizationWindow[] | undefined = index.evidence
        .get(peerId)
        ?.authorizations?.filter((a) => a.kind === 'prior-authorization');
      const withAuths = context.evidence?.authorizations ? (auths ?? []) : undefined;
      packLines.push(...applyLimits(memberLines, pack, mue, withAuths, cite));
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
