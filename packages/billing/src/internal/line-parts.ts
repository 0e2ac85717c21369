/**
 * What every claim line is made of, whatever the pack's billing mode: the citation of a pack figure,
 * findings, place of service, modifiers, the rules' view of a service and the line's common fields.
 *
 * See: reference/billing.md §1.4 (modifiers), §4 (POS), §6 (checks)
 */
import type { IssuePath, IssueSeverity } from '@peerkit/model';
import { BILLING_CHECKS, type BillingCheck } from '../checks';
import type { BillingFinding, ClaimLine } from '../claim-line';
import type { PayerPack } from '../pack-schema';
import { resolvePlaceOfService } from '../place-of-service';
import { LINE_RULES, qualifyingDiagnoses, type Cite, type Emit, type RuleEnv } from './line-rules';
import type { Entry, RunIndex } from './run-index';
import type { ServiceItem } from './service-items';

/** Writes the citation of a pack figure: `<citation> [S1]`, with the status when not verified. */
export function citer(pack: PayerPack): (cite: Cite | undefined) => string | undefined {
  return (cite) => {
    if (!cite) return undefined;
    const text = pack.sources[cite.source] ?? cite.source;
    return `${text} [${cite.source}]${cite.status === 'verified' ? '' : ` (${cite.status})`}`;
  };
}

/** A finding of a check; a rule without a pack citation (PeerKit bookkeeping) cites the check's own basis. */
export function finding(
  check: BillingCheck,
  severity: IssueSeverity,
  message: string,
  path: IssuePath,
  source: string | undefined,
): BillingFinding {
  return { check, code: BILLING_CHECKS[check].code, severity, path, message, source: source ?? BILLING_CHECKS[check].source };
}


/** Modifiers of a line, in the pack's slot order, without repeats. */
export function modifiersFor(pack: PayerPack, item: ServiceItem, serviceModifiers: readonly string[], group: boolean): string[] {
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

/** `true` when the service's program is a 42 CFR Part 2 program (by the organization, else by program type). */
export function isPart2(index: RunIndex, item: ServiceItem): boolean {
  return index.part2Programs.get(item.programId) ?? item.programType !== 'mental-health';
}

/** What the line rules see of one service under a pack. */
export function ruleEnv(index: RunIndex, pack: PayerPack, entry: Entry, overlaps: ReadonlySet<ServiceItem>): RuleEnv {
  const { item, peer } = entry;
  return {
    pack,
    item,
    peer,
    specialist: index.specialists.get(item.specialistId),
    plans: index.plans.get(peer.id) ?? [],
    consents: index.consents.get(peer.id) ?? [],
    serviceConsents: index.serviceConsents.get(peer.id) ?? [],
    evidence: index.evidence.get(peer.id) ?? index.noEvidence,
    serviceState: index.context.serviceState ?? index.context.organization?.state ?? pack.state,
    missingEvidence: index.context.missingEvidence ?? 'warn',
    placeOfService: resolvePlaceOfService(item, pack.placeOfService, index.context.placeOfService),
    overlapsEarlier: overlaps.has(item),
  };
}

/** Runs every line rule over one service. */
export function runRules(env: RuleEnv, cite: (c: Cite | undefined) => string | undefined): BillingFinding[] {
  const findings: BillingFinding[] = [];
  const emit: Emit = (check, severity, message, path, c) => findings.push(finding(check, severity, message, path, cite(c)));
  for (const rule of LINE_RULES) rule.run(env, emit);
  return findings;
}

/** `true` when a finding is an error (the line is held). */
export const hasError = (findings: readonly BillingFinding[]): boolean => findings.some((f) => f.severity === 'error');

/** The fields every line of a service has, whatever its code and units. */
export function baseLine(index: RunIndex, pack: PayerPack, entry: Entry, env: RuleEnv): Omit<ClaimLine, 'id' | 'code' | 'display' | 'modifiers' | 'units' | 'findings' | 'status'> {
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

/** A line's id: the pack and the service (and the member, for a group session). */
export function lineId(pack: PayerPack, item: ServiceItem): string {
  return item.session === 'group' ? `${pack.id}:${item.ref.id}:${item.peerId}` : `${pack.id}:${item.ref.id}`;
}
