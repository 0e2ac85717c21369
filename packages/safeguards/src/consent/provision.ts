/**
 * The vocabulary of a Consent's provision tree shared by the consent engine's files: a provision's
 * effect, how conflicts resolve, and the part of the requested data a provision controls when the
 * request did not say enough to settle it. The tree itself is compiled and evaluated in
 * `compile-provision.ts`.
 *
 * See: docs/consent-and-part2.md (semantics table); https://hl7.org/fhir/R4/consent.html
 */

import type { Code } from '../internal/codes';

/** A provision effect. */
export type Effect = 'permit' | 'deny';

/** Which conflict strategy combines provisions at the same level and consents. */
export type ConflictStrategy = 'deny-overrides' | 'permit-overrides' | 'most-recent';

/**
 * The part of the requested data a provision controls, when the request did not say enough to
 * settle it: every criterion listed must hold (AND); within one criterion any code matches (OR).
 */
export interface DataScope {
  readonly securityLabel?: readonly Code[];
  readonly class?: readonly Code[];
  readonly code?: readonly Code[];
  readonly data?: readonly string[];
  readonly dataPeriod?: { readonly start?: string; readonly end?: string };
}

export type { ReferenceResolver } from './actors';
