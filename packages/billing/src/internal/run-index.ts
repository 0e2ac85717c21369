/**
 * What one billing run looks up for every service: the export's peers, specialists, plans and
 * consents, and the host's evidence, by member; and the service with its member's coverage.
 */
import type { Consent, Peer, RecoveryPlan, ServiceConsent, Specialist } from '@peerkit/model';
import type { BillingContext, BillingEvidence } from '../billing-context';
import type { PeerEvidence } from './line-rules';
import type { ServiceItem } from './service-items';

/** A service with the member and the coverage it is billed under. */
export interface Entry {
  item: ServiceItem;
  peer: Peer;
  payerId: string;
  memberId: string;
}

/** Lookups built once per run. */
export interface RunIndex {
  peers: Map<string, Peer>;
  specialists: Map<string, Specialist>;
  plans: Map<string, RecoveryPlan[]>;
  consents: Map<string, Consent[]>;
  serviceConsents: Map<string, ServiceConsent[]>;
  evidence: Map<string, PeerEvidence>;
  part2Programs: Map<string, boolean>;
  /** Evidence of a member the host supplied none for: empty lists for the kinds it supplied. */
  noEvidence: PeerEvidence;
  context: BillingContext;
}

/** Items by key, each list in input order. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Empty lists for the kinds of evidence the host supplied; `undefined` for the others. */
function emptyEvidence(ev: BillingEvidence): PeerEvidence {
  return {
    diagnoses: ev.diagnoses ? [] : undefined,
    authorizations: ev.authorizations ? [] : undefined,
    initiatingVisits: ev.initiatingVisits ? [] : undefined,
    otherServices: ev.otherServices ? [] : undefined,
  };
}

/** Indexes the rest of the export and the host's evidence by member. */
export function buildIndex(context: BillingContext): RunIndex {
  const evidence = new Map<string, PeerEvidence>();
  const ev: BillingEvidence = context.evidence ?? {};
  const slot = (peerId: string): PeerEvidence => {
    let e = evidence.get(peerId);
    if (!e) {
      e = emptyEvidence(ev);
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
    serviceConsents: groupBy(context.serviceConsents ?? [], (c) => c.peerId),
    evidence,
    part2Programs: new Map((context.organization?.programs ?? []).map((p) => [p.id, p.part2])),
    noEvidence: emptyEvidence(ev),
    context,
  };
}
