/**
 * Whether one consent applies to a disclosure request, and if so what it says: permit, permit
 * limited to some data, or deny, with the provision that decided and the data it redacts or
 * allows. A consent that does not apply gets an explanation entry naming the element and reason.
 *
 * See: reference/fhir-mapping.md §2.4 and §5; https://hl7.org/fhir/R4/consent.html
 */
import { SYSTEMS } from '@peerkit/fhir';
import type { Consent, ConsentProvision } from 'fhir/r4';
import { hasCode, intersects, toCodes } from '../internal/codes';
import { positionIn, toRange, type InstantRange } from '../internal/dates';
import type { ExplanationEntry } from './decision';
import {
  crisp,
  evaluateProvision,
  normalizeReference,
  referenceIdentifiers,
  sameIdentifier,
  scopedEffects,
  type ConflictStrategy,
  type Mismatch,
  type Node,
  type ReferenceResolver,
  type ScopedEffect,
} from './provision';
import type { DisclosureRequest } from './request';

/** What an applicable consent says about a request. */
export interface ConsentOutcome {
  readonly index: number;
  readonly ref: string;
  readonly consent: Consent;
  readonly effect: 'permit' | 'deny';
  readonly limited: boolean;
  /** Chains that permit (default permit chain, or each limit-to chain). */
  readonly permitChains: readonly (readonly Node[])[];
  readonly path: string;
  readonly redacts: readonly ScopedEffect[];
  readonly allows: readonly ScopedEffect[];
  readonly signed: InstantRange | undefined;
}

/**
 * How a consent is named in explanations and audits: `Consent/<id>`; in a transaction Bundle, where
 * resources have no id yet, `Consent?identifier=<system>|<value>`; else `#<index>` in the input.
 */
export function consentRef(consent: Consent, index: number): string {
  if (consent.id !== undefined) return `Consent/${consent.id}`;
  const id = consent.identifier?.find((i) => i.value !== undefined);
  if (id?.value !== undefined) return `Consent?identifier=${id.system === undefined ? '' : `${id.system}|`}${id.value}`;
  return `#${index}`;
}

function patientMatches(consent: Consent, request: DisclosureRequest, resolve?: ReferenceResolver): boolean {
  const ref = consent.patient;
  if (!ref) return false;
  const wanted = request.patient;
  if (wanted.reference !== undefined && ref.reference !== undefined && !ref.reference.startsWith('#')) {
    if (normalizeReference(wanted.reference) === normalizeReference(ref.reference)) return true;
  }
  const ids = referenceIdentifiers(ref, consent, resolve);
  if (wanted.identifier.some((a) => ids.some((b) => sameIdentifier(a, b)))) return true;
  // The host may resolve the requested patient reference to identifiers the consent uses.
  if (wanted.reference !== undefined && resolve) {
    const resolved = resolve(wanted.reference) ?? [];
    if (resolved.some((a) => ids.some((b) => sameIdentifier(a, b)))) return true;
  }
  return false;
}

/** Base effect of a root provision without `type`, from `policyRule` (v3-ActCode OPTIN… / OPTOUT…). */
function policyRuleEffect(consent: Consent): 'permit' | 'deny' | undefined {
  const codes = toCodes(consent.policyRule?.coding);
  if (codes.some((c) => c.code === 'OPTIN' || c.code === 'OPTINR')) return 'permit';
  if (codes.some((c) => c.code === 'OPTOUT' || c.code === 'OPTOUTE')) return 'deny';
  return undefined;
}

const MISMATCH_TEXT: Readonly<Record<Mismatch, string>> = {
  'before-period': 'the request date is before provision.period.start (not yet valid)',
  'after-period': 'the request date is after provision.period.end (expired)',
  actor: 'no provision.actor matches the requesting actor by identifier or reference',
  discloser: 'no provision.actor in a source role (INF, AUT, CST) matches the stated discloser',
  action: 'provision.action does not include the requested action',
  purpose: 'provision.purpose does not cover the requested purposeOfUse',
  data: 'provision data criteria (securityLabel, class, code, data, dataPeriod) do not match the requested data',
};

const MISMATCH_REASON: Readonly<Record<Mismatch, string>> = {
  'before-period': 'not-yet-valid',
  'after-period': 'expired',
  actor: 'actor',
  discloser: 'discloser',
  action: 'action',
  purpose: 'purpose',
  data: 'data',
};

/** One consent evaluated: its outcome, or why it does not apply. */
export type Evaluated =
  | { readonly kind: 'outcome'; readonly outcome: ConsentOutcome }
  | { readonly kind: 'not-applicable'; readonly entry: ExplanationEntry };

function notApplicable(ref: string, reason: string, message: string, provision?: string): Evaluated {
  const entry: ExplanationEntry =
    provision === undefined
      ? { consent: ref, role: 'not-applicable', reason, message }
      : { consent: ref, role: 'not-applicable', reason, provision, message };
  return { kind: 'not-applicable', entry };
}

/** Evaluates one consent (at input position `index`) against a request at `at`. */
export function evaluateConsent(
  consent: Consent,
  index: number,
  request: DisclosureRequest,
  at: InstantRange,
  strategy: ConflictStrategy,
  resolve: ReferenceResolver | undefined,
): Evaluated {
  const ref = consentRef(consent, index);
  if (!patientMatches(consent, request, resolve)) {
    return notApplicable(ref, 'other-patient', 'Consent.patient does not match the requested patient');
  }
  const scope = toCodes(consent.scope?.coding);
  if (scope.length > 0 && !hasCode(scope, SYSTEMS.consentScope, 'patient-privacy')) {
    return notApplicable(ref, 'scope', 'Consent.scope is not patient-privacy: not a privacy consent');
  }
  if (request.category.length > 0 && !intersects((consent.category ?? []).flatMap((c) => toCodes(c.coding)), request.category)) {
    return notApplicable(ref, 'category', 'Consent.category does not include a requested category');
  }
  if (consent.status !== 'active') {
    const what =
      consent.status === 'inactive' ? 'inactive (revoked or ended)' : consent.status === 'entered-in-error' ? 'entered in error' : consent.status;
    return notApplicable(ref, `status-${consent.status}`, `Consent.status is ${what}: only an active consent can decide`);
  }
  const signed = toRange(consent.dateTime);
  if (signed && signed.low > at.high) {
    return notApplicable(ref, 'not-yet-valid', 'Consent.dateTime is after the request date: a consent cannot authorize earlier disclosures');
  }
  const root = consent.provision;
  if (!root) return notApplicable(ref, 'no-provision', 'Consent has no provision: nothing to evaluate');
  if (root.period) {
    const position = positionIn(at, root.period.start, root.period.end);
    if (position === 'before') return notApplicable(ref, 'not-yet-valid', MISMATCH_TEXT['before-period'], 'provision');
    if (position === 'after') return notApplicable(ref, 'expired', MISMATCH_TEXT['after-period'], 'provision');
  }
  const base = root.type ?? policyRuleEffect(consent);
  const rootProvision: ConsentProvision = base === undefined ? root : { ...root, type: base };
  const result = evaluateProvision(rootProvision, 'provision', undefined, { request, at, consent, strategy, resolve });
  if ('mismatch' in result) {
    return notApplicable(ref, MISMATCH_REASON[result.mismatch], `${result.path}: ${MISMATCH_TEXT[result.mismatch]}`, result.path);
  }
  // A virtual parent without effect holds the root, so an open (partial) root is handled like any other.
  const top: Node = { path: '', effect: undefined, partial: undefined, recipientNamed: false, purposes: [], labels: [], children: [result.node] };
  const decided = crisp(top, strategy);
  const scoped: ScopedEffect[] = [];
  scopedEffects(top, decided?.effect, [], [top], strategy, scoped);
  const redacts = scoped.filter((s) => s.effect === 'deny');
  const allows = scoped.filter((s) => s.effect === 'permit');
  const chainOf = (nodes: readonly Node[]): Node[] => nodes.filter((n) => n !== top);
  if (decided?.effect === 'permit') {
    const chain = chainOf(decided.chain);
    return {
      kind: 'outcome',
      outcome: { index, ref, consent, effect: 'permit', limited: false, permitChains: [chain], path: chain[chain.length - 1]?.path ?? 'provision', redacts, allows: [], signed },
    };
  }
  if (allows.length > 0) {
    return {
      kind: 'outcome',
      outcome: {
        index,
        ref,
        consent,
        effect: 'permit',
        limited: true,
        permitChains: allows.map((a) => chainOf(a.chain)),
        path: allows[0]?.path ?? 'provision',
        redacts,
        allows,
        signed,
      },
    };
  }
  if (decided?.effect === 'deny') {
    const chain = chainOf(decided.chain);
    return {
      kind: 'outcome',
      outcome: { index, ref, consent, effect: 'deny', limited: false, permitChains: [], path: chain[chain.length - 1]?.path ?? 'provision', redacts: [], allows: [], signed },
    };
  }
  return notApplicable(ref, 'no-effect', 'No provision with a type (permit or deny) applies to the request', 'provision');
}
