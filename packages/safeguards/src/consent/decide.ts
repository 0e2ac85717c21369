/**
 * Deciding a disclosure request against a patient's consents: `decideConsent` for one request,
 * `compileConsents` (compile-consents.ts) for many. Both are the same engine: a consent set
 * compiled once (indexed by patient, provision predicates precomputed) and evaluated per request.
 *
 * Semantics, each with its reason, are the table in docs/consent-and-part2.md: a deny provision
 * applies unless the request positively falls outside it, a permit only when the request positively
 * falls inside it; Part 2 data is never permitted without a covering consent (42 CFR §2.31, §2.33);
 * break-glass is permitted, flagged and audited (§2.51); the §2.32 notice travels with any
 * disclosure that may carry Part 2 records.
 *
 * See: reference/fhir-mapping.md §2.4, §5, §6; https://hl7.org/fhir/R4/consent.html
 */
import { compileConsents } from './compile-consents';
import type { ConsentDecision, UnauditedDecision } from './decision';
import type { DecideConsentOptions } from './decision-options';
import type { ConsentResource } from './r5';
import type { DisclosureRequest } from './request';

export { DEFAULT_PART2_LABELS, PART2_REDISCLOSURE_NOTICE } from './decision-options';
export type { DecideConsentOptions } from './decision-options';

/**
 * Decides whether a disclosure request is permitted by a patient's consents. For many requests
 * against the same consents, compile them once with `compileConsents`.
 *
 * @param consents - R4 Consents, R5 Consents or R5 Permissions (any patient: the others are reported as not applicable)
 * @param request - a parsed request, see {@link parseDisclosureRequest}
 * @param options - clock, conflict strategy, Part 2 labels, break-glass purposes, audit details
 * @returns the decision with obligations, basis (the deciding consent and provision path), explanation and one AuditEvent
 * @example
 * const decision = decideConsent(consents, request, { now: '2026-05-01' });
 * if (decision.decision === 'PERMIT') send(applyObligations(data, decision.obligations));
 * See: docs/consent-and-part2.md; 42 CFR §2.31, §2.32, §2.33, §2.51
 */
export function decideConsent(consents: readonly ConsentResource[], request: DisclosureRequest, options: DecideConsentOptions): ConsentDecision {
  // One decision: nothing to remember.
  const { decision, breakGlass, obligations, basis, explanation, audit } = compileConsents(consents, { ...options, decisionCache: 0 }).decide(request);
  return { decision, breakGlass, obligations, basis, explanation, audit };
}

/**
 * {@link decideConsent} without the AuditEvent, for callers that audit several evaluations as one
 * decision. Internal: not exported from the package.
 */
export function decideWithoutAudit(consents: readonly ConsentResource[], request: DisclosureRequest, options: DecideConsentOptions): UnauditedDecision {
  return compileConsents(consents, { ...options, decisionCache: 0 }).decideWithoutAudit(request);
}
