/**
 * Billing facts from the host EHR's own FHIR, read by `@peerkit/fhir`'s `readHostFhir`: coverage
 * (Coverage: payer, member id, when in force), diagnoses (Condition: ICD-10-CM codes), service orders
 * (ServiceRequests read as referral records: orders and referrals to peer support) and prior
 * authorizations (ClaimResponse `preAuthRef` and `preAuthPeriod`). The facts come out as the same
 * {@link BillingEvidence} an evidence file holds, so the two agree: the same facts bill the same way.
 *
 * See: https://hl7.org/fhir/R4/coverage.html, condition.html, servicerequest.html, claimresponse.html
 */
import type { HostClaimResponse, HostCondition, HostCoverage, HostPatientFact, HostReadResult } from '@peerkit/fhir';
import { SYSTEMS } from '@peerkit/fhir';
import type { Coverage, Issue, Peer } from '@peerkit/model';
import { billingEvidenceSchema, type BillingEvidence } from './billing-context';
import type { PayerPack } from './pack-schema';

/** ICD-10-CM, the code system of claim diagnoses (837P HI ABK/ABF). */
export const ICD10CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';

/** SNOMED CT 461481000124109 "Referral to peer support", the order the import profile reads as a referral. fhir-mapping.md §2.5. */
const PEER_SUPPORT_REFERRAL = { system: SYSTEMS.snomed, codes: ['461481000124109'] };

/** Codes of the ServiceRequests that order peer support; see {@link HostBillingOptions.orderCodes}. */
export const DEFAULT_ORDER_CODES: readonly { system: string; codes: readonly string[] }[] = [
  PEER_SUPPORT_REFERRAL,
  { system: SYSTEMS.hcpcs, codes: ['H0038', 'G0140', 'G0146'] },
  { system: SYSTEMS.hcpcsHttps, codes: ['H0038', 'G0140', 'G0146'] },
];

/** R4 ServiceRequest intents that are orders (a `proposal` or `plan` is not). */
const ORDER_INTENTS = new Set(['order', 'original-order', 'reflex-order', 'filler-order', 'instance-order']);
/** Referral statuses of an order that no longer stands. */
const VOID_ORDER = new Set(['draft', 'rejected', 'cancelled', 'failed']);
/** Condition clinical statuses in force; verification statuses that rule a diagnosis out. */
const IN_FORCE = new Set(['active', 'recurrence', 'relapse']);
const RULED_OUT = new Set(['refuted', 'entered-in-error']);
/** ClaimResponse outcomes that carry a decision. */
const DECIDED = new Set(['complete', 'partial']);
const AUTH_REFERENCE = /^[A-Za-z0-9-]{1,50}$/;
const HCPCS = /^[A-Z0-9]{5}$/;

/** Options of {@link toBillingFacts}. */
export interface HostBillingOptions {
  /** The clinic export's peers: host facts are matched to them by Patient reference, else identifier. */
  peers: readonly Peer[];
  /** The packs billed under: a Coverage payer is named by the first of its ids a pack (or `payerPacks`) knows. Default none. */
  packs?: readonly PayerPack[];
  /** Host payer id (an identifier value, `system|value`, or the payer Organization's id) → PeerKit coverage payer id. Default none. */
  payerIds?: Readonly<Record<string, string>>;
  /** Coverage payer id → pack id, as in the billing context. Default none. */
  payerPacks?: Readonly<Record<string, string>>;
  /** ServiceRequest codes that order peer support. Default {@link DEFAULT_ORDER_CODES}. */
  orderCodes?: readonly { system: string; codes: readonly string[] }[];
  /** Code systems of claim diagnoses. Default ICD-10-CM only. */
  diagnosisSystems?: readonly string[];
}

/** What {@link toBillingFacts} found, as counts. */
export interface HostBillingSummary {
  /** Peers whose coverage comes from the host's Coverage. */
  peersWithCoverage: number;
  coverages: number;
  diagnoses: number;
  serviceOrders: number;
  priorAuthorizations: number;
  /** Facts about patients who are no peer of the export (not used). */
  otherPatients: number;
  /** Facts read but not used (inactive, refuted, not coded for claims, no dates…); `issues` says why. */
  notUsed: number;
}

/** What {@link toBillingFacts} returns. */
export interface HostBillingFacts {
  /** The export's peers, each with its coverage from the host when the host has a usable Coverage. */
  peers: Peer[];
  /** Diagnoses and authorizations: lists present (maybe empty) because the host was asked. */
  evidence: BillingEvidence;
  summary: HostBillingSummary;
  /** One issue per kind of fact left out (`billing.host-*`), with the count; never a value. */
  issues: Issue[];
}

type HostFact = HostPatientFact & { readonly source: { readonly resourceType: string } };

/** Looks peers up by the host Patient a fact names: `Patient/<id>`, then identifiers. */
function peerLookup(peers: readonly Peer[], host: Pick<HostReadResult, 'records'>): (fact: HostPatientFact) => string | undefined {
  const byKey = new Map<string, string>();
  for (const peer of peers) {
    if (peer.patient.reference !== undefined) byKey.set(`ref:${peer.patient.reference}`, peer.id);
    const id = peer.patient.identifier;
    if (id !== undefined) byKey.set(`id:${id.system ?? ''}|${id.value}`, peer.id);
  }
  // The host's Patients (read as peer records) add their identifiers to their id.
  const identifiersOf = new Map<string, { system?: string | undefined; value: string }[]>();
  for (const record of host.records) {
    if (record.kind !== 'peer') continue;
    const identifier = record.record.patient.identifier;
    if (identifier !== undefined) identifiersOf.set(record.record.id, [identifier]);
  }
  return (fact) => {
    const byRef = byKey.get(`ref:Patient/${fact.patientId}`);
    if (byRef !== undefined) return byRef;
    for (const i of [...fact.patientIdentifiers, ...(identifiersOf.get(fact.patientId) ?? [])]) {
      const found = byKey.get(`id:${i.system ?? ''}|${i.value}`);
      if (found !== undefined) return found;
    }
    return undefined;
  };
}

/** Counts left-out facts by reason, for one issue each. */
class NotUsed {
  private readonly counts = new Map<Issue['code'], { severity: Issue['severity']; message: string; count: number }>();
  total = 0;

  add(code: Issue['code'], severity: Issue['severity'], message: string): void {
    this.total += 1;
    const known = this.counts.get(code);
    if (known) known.count += 1;
    else this.counts.set(code, { severity, message, count: 1 });
  }

  issues(): Issue[] {
    return [...this.counts].map(([code, { severity, message, count }]) => ({ severity, code, path: [], message: `${message} (${count})` }));
  }
}

/** The PeerKit payer id of a Coverage: the first of its payer ids a pack or map knows, else the first. */
function payerIdOf(coverage: HostCoverage, options: HostBillingOptions): string | undefined {
  const candidates: string[] = [];
  for (const payer of coverage.payers) {
    for (const i of payer.identifiers) {
      if (i.system !== undefined) candidates.push(`${i.system}|${i.value}`);
      candidates.push(i.value);
    }
    if (payer.id !== undefined) candidates.push(payer.id);
  }
  const mapped = candidates.find((c) => options.payerIds?.[c] !== undefined);
  if (mapped !== undefined) return options.payerIds?.[mapped];
  const known = (id: string): boolean =>
    options.payerPacks?.[id] !== undefined || (options.packs ?? []).some((p) => p.id === id || p.coveragePayerIds.includes(id));
  return candidates.find(known) ?? candidates.find((c) => !c.includes('|'));
}

function toCoverage(coverage: HostCoverage, options: HostBillingOptions, notUsed: NotUsed): Coverage | undefined {
  if (coverage.status !== 'active') {
    notUsed.add('billing.host-coverage-inactive', 'information', 'Coverages not active (status) were not used');
    return undefined;
  }
  const start = coverage.period?.start;
  if (start === undefined) {
    notUsed.add('billing.host-coverage-no-start', 'warning', 'Coverages without period.start were not used: billing needs the date coverage starts');
    return undefined;
  }
  if (coverage.memberId === undefined) {
    notUsed.add('billing.host-coverage-no-member', 'warning', 'Coverages without a member id (subscriberId, identifier of type MB) were not used');
    return undefined;
  }
  const payerId = payerIdOf(coverage, options);
  if (payerId === undefined) {
    notUsed.add('billing.host-coverage-no-payer', 'warning', 'Coverages whose payor has no identifier or id were not used');
    return undefined;
  }
  const end = coverage.period?.end;
  return { payerId: payerId.slice(0, 100), memberId: coverage.memberId, start, ...(end === undefined ? {} : { end }) };
}

const CATEGORY_RANK: Readonly<Record<string, number>> = { 'encounter-diagnosis': 0, 'problem-list-item': 1 };
const rankOf = (c: HostCondition): number => Math.min(2, ...c.categories.map((k) => CATEGORY_RANK[k] ?? 2));

function toDiagnoses(peerId: string, condition: HostCondition, systems: readonly string[], notUsed: NotUsed): NonNullable<BillingEvidence['diagnoses']> {
  if (condition.verificationStatus !== undefined && RULED_OUT.has(condition.verificationStatus)) {
    notUsed.add('billing.host-condition-refuted', 'information', 'Conditions refuted or entered in error (verificationStatus) were not used');
    return [];
  }
  const inForce = condition.clinicalStatus === undefined || IN_FORCE.has(condition.clinicalStatus);
  if (!inForce && condition.abatement === undefined) {
    notUsed.add('billing.host-condition-ended', 'information', 'Conditions no longer active without an abatement date were not used: when they ended is unknown');
    return [];
  }
  const codes = condition.codes.filter((c) => c.system !== undefined && systems.includes(c.system));
  if (codes.length === 0) {
    notUsed.add('billing.host-condition-not-coded', 'information', 'Conditions without an ICD-10-CM code (code) were not used for claims');
    return [];
  }
  const start = condition.onset ?? condition.recorded;
  return codes.map((c) => ({
    peerId,
    code: c.code.slice(0, 20),
    ...(c.system === undefined || c.system === ICD10CM_SYSTEM ? {} : { system: c.system }),
    ...(start === undefined ? {} : { start }),
    ...(condition.abatement === undefined ? {} : { end: condition.abatement }),
  }));
}

function toPriorAuthorizations(peerId: string, response: HostClaimResponse, notUsed: NotUsed): NonNullable<BillingEvidence['authorizations']> {
  if (response.preAuthRef === undefined && response.use !== 'preauthorization') return [];
  if (response.status !== 'active' || (response.outcome !== undefined && !DECIDED.has(response.outcome))) {
    notUsed.add('billing.host-authorization-undecided', 'information', 'Prior authorization responses not active or not decided (status, outcome) were not used');
    return [];
  }
  const start = response.preAuthPeriod?.start ?? response.created;
  if (start === undefined) {
    notUsed.add('billing.host-authorization-no-date', 'warning', 'Prior authorizations without preAuthPeriod.start or created were not used');
    return [];
  }
  const reference = response.preAuthRef !== undefined && AUTH_REFERENCE.test(response.preAuthRef) ? response.preAuthRef : undefined;
  if (response.preAuthRef !== undefined && reference === undefined) {
    notUsed.add('billing.host-authorization-reference', 'warning', 'Authorization numbers (preAuthRef) that are not 1-50 letters, digits or "-" are left off the claim (REF*G1)');
  }
  const base = {
    peerId,
    kind: 'prior-authorization' as const,
    start,
    ...(response.preAuthPeriod?.end === undefined ? {} : { end: response.preAuthPeriod.end }),
    ...(reference === undefined ? {} : { reference }),
  };
  const items = response.items.filter((i) => i.code !== undefined && HCPCS.test(i.code.code));
  if (items.length === 0) return [base];
  return items.map((i) => ({
    ...base,
    ...(i.code === undefined ? {} : { code: i.code.code }),
    ...(i.units === undefined ? {} : { units: Math.floor(i.units) }),
  }));
}

const codeKey = (system: string, code: string): string => `${system}|${code}`;

/**
 * Turns what `readHostFhir` read from the host's FHIR into billing facts for the clinic export's
 * peers: each peer's coverage (its active Coverages with a start, a member id and a payer), diagnoses
 * (ICD-10-CM codes of Conditions in force or with an abatement date; `encounter-diagnosis` before
 * `problem-list-item`, so the principal comes first), service orders (ServiceRequests ordering peer
 * support, read as referral records: start = `authoredOn`) and prior authorizations (ClaimResponses
 * with a `preAuthRef` or use `preauthorization`, decided: one per service code they answer for).
 * Facts of patients who are no peer of the export are counted, not used. Pure.
 *
 * @param host - `readHostFhir`'s result (its records and context)
 * @param options - the export's peers, packs and payer map; see {@link HostBillingOptions}
 * @returns the peers with their coverage, the evidence, counts and one issue per kind of fact left out
 * @example
 * const host = readHostFhir(bundle, { asOf: '2025-04-01' });
 * const facts = toBillingFacts(host, { peers: records.peers, packs: [pack] });
 * billEncounters(records.encounters, { ...records, peers: facts.peers, packs: [pack], evidence: facts.evidence });
 * See: https://hl7.org/fhir/R4/coverage.html; https://hl7.org/fhir/R4/claimresponse.html
 */
export function toBillingFacts(host: Pick<HostReadResult, 'records' | 'context'>, options: HostBillingOptions): HostBillingFacts {
  const peerOf = peerLookup(options.peers, host);
  const systems = options.diagnosisSystems ?? [ICD10CM_SYSTEM];
  const orderKeys = new Set((options.orderCodes ?? DEFAULT_ORDER_CODES).flatMap((s) => s.codes.map((c) => codeKey(s.system, c))));
  const notUsed = new NotUsed();
  let otherPatients = 0;
  const matched = (fact: HostFact): string | undefined => {
    const peerId = peerOf(fact);
    if (peerId === undefined) otherPatients += 1;
    return peerId;
  };

  const coverage = new Map<string, Coverage[]>();
  const conditions: { peerId: string; condition: HostCondition; order: number }[] = [];
  const authorizations: NonNullable<BillingEvidence['authorizations']> = [];
  let coverages = 0;
  host.context.forEach((item, order) => {
    if (item.kind !== 'coverage' && item.kind !== 'condition' && item.kind !== 'claim-response') return;
    const peerId = matched(item);
    if (peerId === undefined) return;
    if (item.kind === 'coverage') {
      const c = toCoverage(item, options, notUsed);
      if (!c) return;
      coverages += 1;
      const list = coverage.get(peerId) ?? [];
      if (!list.some((k) => k.payerId === c.payerId && k.memberId === c.memberId && k.start === c.start)) list.push(c);
      coverage.set(peerId, list);
    } else if (item.kind === 'condition') {
      conditions.push({ peerId, condition: item, order });
    } else {
      authorizations.push(...toPriorAuthorizations(peerId, item, notUsed));
    }
  });
  const priorAuthorizations = authorizations.length;

  let serviceOrders = 0;
  for (const record of host.records) {
    if (record.kind !== 'referral') continue;
    const request = record.sources[0]?.resource;
    const codings = (request?.code as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? [];
    if (!codings.some((c) => orderKeys.has(codeKey(String(c.system), String(c.code))))) continue;
    const peerId = matched({ patientId: record.record.peerId, patientIdentifiers: [], source: { resourceType: 'ServiceRequest' } });
    if (peerId === undefined) continue;
    if (!ORDER_INTENTS.has(String(request?.intent)) || VOID_ORDER.has(record.record.status)) {
      notUsed.add('billing.host-order-not-standing', 'information', 'ServiceRequests that are not standing orders (intent, status) were not used');
      continue;
    }
    const hcpcs = codings.find((c) => (c.system === SYSTEMS.hcpcs || c.system === SYSTEMS.hcpcsHttps) && HCPCS.test(String(c.code)))?.code;
    authorizations.push({ peerId, kind: 'service-order', start: record.record.created.slice(0, 10), ...(hcpcs === undefined ? {} : { code: hcpcs }) });
    serviceOrders += 1;
  }

  conditions.sort((a, b) => rankOf(a.condition) - rankOf(b.condition) || (a.condition.onset ?? '').localeCompare(b.condition.onset ?? '') || a.order - b.order);
  const diagnoses: NonNullable<BillingEvidence['diagnoses']> = [];
  const seen = new Set<string>();
  for (const { peerId, condition } of conditions) {
    for (const d of toDiagnoses(peerId, condition, systems, notUsed)) {
      const key = JSON.stringify([d.peerId, d.code, d.start, d.end]);
      if (seen.has(key)) continue;
      seen.add(key);
      diagnoses.push(d);
    }
  }

  const peers = options.peers.map((peer) => {
    const own = coverage.get(peer.id);
    return own === undefined ? peer : { ...peer, coverage: [...own].sort((a, b) => a.start.localeCompare(b.start)).slice(0, 20) };
  });
  const evidence = billingEvidenceSchema.parse({ diagnoses, authorizations });
  const issues = notUsed.issues();
  if (otherPatients > 0) {
    issues.push({ severity: 'information', code: 'billing.host-other-patient', path: [], message: `Facts about patients who are no peer of the export were not used (${otherPatients})` });
  }
  return {
    peers,
    evidence,
    summary: { peersWithCoverage: coverage.size, coverages, diagnoses: diagnoses.length, serviceOrders, priorAuthorizations, otherPatients, notUsed: notUsed.total },
    issues,
  };
}

/**
 * Puts evidence from several sources together (the host's FHIR first, then an evidence file): each
 * list is present when any source has it, with each entry once; MUE values of a later source fill in
 * the codes earlier ones do not give.
 *
 * @param sources - evidence, or `undefined` for a source not given
 * @returns the evidence, or `undefined` when no source was given
 * @example
 * mergeBillingEvidence(facts.evidence, fileEvidence);
 */
export function mergeBillingEvidence(...sources: readonly (BillingEvidence | undefined)[]): BillingEvidence | undefined {
  const given = sources.filter((s): s is BillingEvidence => s !== undefined);
  if (given.length === 0) return undefined;
  const out: BillingEvidence = {};
  const lists = ['diagnoses', 'authorizations', 'initiatingVisits', 'otherServices'] as const;
  for (const key of lists) {
    const parts = given.map((g) => g[key]).filter((l) => l !== undefined);
    if (parts.length === 0) continue;
    const seen = new Set<string>();
    const merged = (parts as unknown[][]).flat().filter((entry) => {
      const k = JSON.stringify(entry);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    (out as Record<string, unknown>)[key] = merged;
  }
  const mue = given.map((g) => g.mue).filter((m) => m !== undefined);
  if (mue.length > 0) out.mue = Object.assign({}, ...[...mue].reverse()) as Record<string, number>;
  return out;
}
