/**
 * Does one consent apply to a request, and what does it say: the consent-level checks (privacy
 * scope, requested category, status, signature date) and then its compiled provision tree — the
 * provision that decides the fully covered data, and the subsets the request left open (REDACT for a
 * denied subset, limit-to for the only permitted one). Internal to the consent engine.
 *
 * See: docs/consent-and-part2.md (semantics table); reference/fhir-mapping.md §5
 */
import type { Consent } from 'fhir/r4';
import { intersects } from '../internal/codes';
import { APPLIES, type DecisionState } from './compile-matchers';
import type { CompiledConsent, ConsentOutcome, NotApplicable } from './compile-outcome';
import { decidedBy, evaluateCompiled, scopedEffects, type CompiledProvision, type PreparedRequest, type ScopedEffect } from './compile-provision';
import type { DisclosureRequest } from './request';

/** A consent to evaluate; `unknown`: its patient cannot be compared with the request's (it counts only when it denies). */
export interface Candidate {
  readonly c: CompiledConsent;
  readonly unknown: boolean;
}

const NONE: readonly ScopedEffect[] = Object.freeze([]);

/**
 * How a consent is named in explanations and audits: `Consent/<id>`; in a transaction Bundle, where
 * resources have no id yet, `Consent?identifier=<system>|<value>`; else `#<index>` in the input.
 *
 * @param consent - the consent
 * @param index - its position in the input
 * @returns the name
 */
export function consentRef(consent: Consent, index: number): string {
  if (consent.id !== undefined) return `Consent/${consent.id}`;
  const id = consent.identifier?.find((i) => i.value !== undefined);
  if (id?.value !== undefined) return `Consent?identifier=${id.system === undefined ? '' : `${id.system}|`}${id.value}`;
  return `#${index}`;
}

/**
 * Why a consent never decides, whatever the request: only an active consent can.
 *
 * @param consent - the consent
 * @returns the reason, or `undefined` for an active consent
 */
export function statusInert(consent: Consent): CompiledConsent['inert'] {
  if (consent.status === 'active') return undefined;
  const what = consent.status === 'inactive' ? 'inactive (revoked or ended)' : consent.status === 'entered-in-error' ? 'entered in error' : consent.status;
  return { reason: `status-${consent.status}`, message: `Consent.status is ${what}: only an active consent can decide` };
}

/** A not-applicable result of a consent: it depends only on the consent and the reason, so it is built once. */
function notApplicable(c: CompiledConsent, key: string, reason: string, message: string, provision?: string): NotApplicable {
  let known = c.memo.get(key) as NotApplicable | undefined;
  if (!known) {
    known = provision === undefined ? { c, reason, message } : { c, reason, message, provision };
    c.memo.set(key, known);
  }
  return known;
}

/** A whole-consent outcome (no subsets): it depends only on the deciding provision and the patient match, so it is built once. */
function simpleOutcome(c: CompiledConsent, effect: 'permit' | 'deny', end: CompiledProvision | undefined, path: string, unknown: boolean): ConsentOutcome {
  const slot = effect === 'permit' ? 0 : unknown ? 2 : 1;
  const cache = (end ? end.outcomes : c.baseOutcomes) as (ConsentOutcome | undefined)[];
  let known = cache[slot];
  if (!known) {
    known = { c, effect, limited: false, end, path, redacts: NONE, allows: NONE, patientUnknown: unknown };
    cache[slot] = known;
  }
  return known;
}

/**
 * Evaluates one compiled consent against a prepared request.
 *
 * @param candidate - the consent, and whether its patient could not be compared with the request's
 * @param request - the request (categories)
 * @param req - the prepared request
 * @param s - the decision's state
 * @returns the consent's outcome, or why it does not apply
 */
export function evaluateConsent({ c, unknown }: Candidate, request: DisclosureRequest, req: PreparedRequest, s: DecisionState): ConsentOutcome | NotApplicable {
  if (c.scopeFails) return notApplicable(c, 'scope', 'scope', 'Consent.scope is not patient-privacy: not a privacy consent');
  if (request.category.length > 0 && !intersects(c.categories, request.category)) {
    return notApplicable(c, 'category', 'category', 'Consent.category does not include a requested category');
  }
  if (c.inert) return notApplicable(c, 'inert', c.inert.reason, c.inert.message);
  if (c.signed && c.signed.low > req.at.high) {
    return notApplicable(c, 'signed', 'not-yet-valid', 'Consent.dateTime is after the request date: a consent cannot authorize earlier disclosures');
  }
  const root = c.root as CompiledProvision;
  const opensBefore = s.opens;
  s.prefer = c.strategy === 'permit-overrides' ? 'permit' : 'deny';
  const miss = evaluateCompiled(root, req, s);
  if (miss !== undefined) {
    // A deny base (opt-out) covers what a permitting root does not, while the consent is in force.
    const inForce = miss !== 'before-period' && miss !== 'after-period' && miss !== 'unreadable-period';
    if (c.denyBase && inForce) return simpleOutcome(c, 'deny', undefined, c.denyBase, unknown);
    let known = c.misses[miss];
    if (!known) {
      known = { c, miss, provision: root.path };
      c.misses[miss] = known;
    }
    return known;
  }
  // The root decides only data it fully covers: an open root leaves the decision to its subsets.
  const decided = s.state[root.id] === APPLIES ? decidedBy(root, s) : undefined;
  let redacts = NONE;
  let allows = NONE;
  if (s.opens > opensBefore) {
    const scoped: ScopedEffect[] = [];
    scopedEffects(c.rootList, decided?.effect, [], s, scoped);
    let denied = 0;
    for (const x of scoped) if (x.effect === 'deny') denied += 1;
    if (denied === scoped.length) redacts = denied === 0 ? NONE : scoped;
    else if (denied === 0) allows = scoped;
    else {
      redacts = scoped.filter((x) => x.effect === 'deny');
      allows = scoped.filter((x) => x.effect !== 'deny');
    }
  }
  const permits = decided?.effect === 'permit' || allows.length > 0;
  if (permits && unknown) {
    return notApplicable(c, 'unknown-patient', 'other-patient', 'Consent.patient cannot be matched to the requested patient: it counts only when it denies');
  }
  if (decided?.effect === 'permit') {
    if (redacts === NONE) return simpleOutcome(c, 'permit', decided, decided.path, false);
    return { c, effect: 'permit', limited: false, end: decided, path: decided.path, redacts, allows: NONE, patientUnknown: false };
  }
  const firstAllow = allows[0];
  if (firstAllow) return { c, effect: 'permit', limited: true, end: firstAllow.end, path: firstAllow.end.path, redacts, allows, patientUnknown: false };
  if (decided?.effect === 'deny') return simpleOutcome(c, 'deny', decided, decided.path, unknown);
  return notApplicable(c, 'no-effect', 'no-effect', 'No provision with a type (permit or deny) applies to the request', root.path);
}
