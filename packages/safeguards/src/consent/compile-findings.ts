/**
 * The codes of the findings the consent engine reports about the consents it reads (prefix
 * `consent.`): elements it maps, does not support, or reads in a fail-closed way. Messages name
 * elements, never values.
 *
 * See: docs/consent-and-part2.md (semantics table).
 */
import type { Issue, IssuePath } from '@peerkit/model';

/** Finding codes of the consent engine, with their severity and what they mean. */
export const CONSENT_FINDINGS = {
  'consent.r5-mapped': { severity: 'information', meaning: 'An R5 Consent was read through the R4 engine (decision → root type, provision[] → exceptions, period → root period).' },
  'consent.permission-mapped': { severity: 'information', meaning: 'An R5 Permission was read through the R4 engine (combining → base and conflict strategy, rule[] → provisions).' },
  'consent.r5-base-provision': { severity: 'information', meaning: 'An R5 top-level provision with no selection criteria is read as the base provision carrying the decision (its children are the exceptions).' },
  'consent.r5-status': { severity: 'information', meaning: 'An R5 status without an R4 equivalent (not-done, unknown) is read as not in force.' },
  'consent.subject-not-patient': { severity: 'warning', meaning: 'The consent is about a subject that is not a Patient reference; it never matches a patient request.' },
  'consent.expression-unsupported': { severity: 'warning', meaning: 'A computable expression is not evaluated: a deny with one applies, a permit with one never does.' },
  'consent.policy-reference-unsupported': { severity: 'information', meaning: 'A policy given by reference (R5 policyBasis.reference) is not dereferenced.' },
  'consent.permission-patient': { severity: 'warning', meaning: 'The Permission does not name exactly one Patient in rule.data.resource; it never matches a patient request.' },
  'consent.permission-limit-unsupported': { severity: 'warning', meaning: 'Permission.rule.limit is not enforced: a permit rule with a limit never applies; a deny rule applies as written.' },
  'consent.rule-combinations': { severity: 'warning', meaning: 'A Permission rule lists more data × activity combinations than the engine expands; the rest are dropped (a dropped permit never applies, a dropped deny is kept as an unsupported deny).' },
  'consent.policy-conflict': { severity: 'warning', meaning: 'The policies of a consent set both a permit and a deny base; deny is used (fail closed).' },
  'consent.policy-not-evaluated': { severity: 'information', meaning: 'A policyRule or policy.uri the engine does not know is recorded but not evaluated.' },
  'consent.root-type-and-policy': { severity: 'information', meaning: 'The root provision has a type although R4 says the base comes from policyRule; the root applies to requests within its criteria, a deny base to the rest.' },
  'consent.data-meaning': { severity: 'information', meaning: 'provision.data.meaning related, dependents or authoredby needs the resource graph: a deny applies to any stated data, a permit only to the referenced resource itself.' },
} as const satisfies Readonly<Record<string, { readonly severity: Issue['severity']; readonly meaning: string }>>;

/** A consent engine finding code. */
export type ConsentFindingCode = keyof typeof CONSENT_FINDINGS;

/**
 * Builds a consent engine finding with its registered severity.
 *
 * @param code - a {@link CONSENT_FINDINGS} code
 * @param path - where in the input
 * @param message - names elements, never values
 * @returns the issue
 */
export function consentFinding(code: ConsentFindingCode, path: IssuePath, message: string): Issue {
  return { severity: CONSENT_FINDINGS[code].severity, code, path, message };
}
