/**
 * What a consent decision is: PERMIT, DENY or NO_CONSENT with its obligations, its basis, an
 * explanation for every consent and an AuditEvent. Shared by the decision engine
 * (`decide.ts`) and the AuditEvent it writes (`audit-event.ts`).
 *
 * See: reference/fhir-mapping.md §2.4 and §5; https://hl7.org/fhir/R4/consent.html
 */
import type { AuditEvent } from 'fhir/r4';
import type { Code } from '../internal/codes';
import type { ConflictStrategy, DataScope } from './provision';

/** The outcome of a consent decision. */
export type ConsentDecisionCode = 'PERMIT' | 'DENY' | 'NO_CONSENT';

/** Something the receiver of a PERMIT must do. */
export interface Obligation {
  /**
   * `redact`: withhold the data in `scope`; `limit-to`: disclose only data in one of the `limit-to`
   * scopes; `attach-notice`: attach `notice` (42 CFR §2.32) to the disclosure; `document-emergency`:
   * record the emergency disclosure in the patient's record (42 CFR §2.51(c)).
   */
  readonly kind: 'redact' | 'limit-to' | 'attach-notice' | 'document-emergency';
  /** The obligation as a code (v3-ActCode REDACT, NORDSCLCD; PeerKit codes for the others). */
  readonly code: Code;
  /** For `redact` and `limit-to`: every scope must hold (outermost provision first). */
  readonly scope?: readonly DataScope[];
  /** The security label, class and code codes of `scope`, for display ("codes to redact"). */
  readonly codes?: readonly Code[];
  /** For `attach-notice`: the notice text. */
  readonly notice?: string;
  /** Where the obligation comes from: `Consent/<id> provision…` or a regulation. */
  readonly basis: string;
  readonly source?: string;
}

/** What decided. */
export interface DecisionBasis {
  /** `consent`: a consent's provision; `part2`: the Part 2 rule overruled a permit; `break-glass`; `none`. */
  readonly kind: 'consent' | 'part2' | 'break-glass' | 'none';
  readonly consent?: string;
  /** Path of the deciding provision, e.g. `provision.provision[0].provision[1]`. */
  readonly provision?: string;
  readonly strategy: ConflictStrategy;
  readonly source?: string;
}

/** Why each consent did or did not take part, in input order. */
export interface ExplanationEntry {
  /** `Consent/<id>`; `Consent?identifier=<system>|<value>` for a consent without id; else `#<index>`. */
  readonly consent: string;
  /** `decided`: it is the basis; `agreed`: it reached the same decision; `overridden`; `not-applicable`. */
  readonly role: 'decided' | 'agreed' | 'overridden' | 'not-applicable';
  /** The consent's own outcome, when it applied. */
  readonly outcome?: 'permit' | 'permit-limited' | 'deny';
  /** Stable reason code, e.g. `status-inactive`, `expired`, `actor`, `purpose`, `permit`. */
  readonly reason: string;
  readonly provision?: string;
  /** Names fields and codes, never patient data. */
  readonly message: string;
}

/** A consent decision. */
export interface ConsentDecision {
  readonly decision: ConsentDecisionCode;
  /** `true` when the decision is a break-glass emergency override. */
  readonly breakGlass: boolean;
  readonly obligations: readonly Obligation[];
  readonly basis: DecisionBasis;
  readonly explanation: readonly ExplanationEntry[];
  /** One AuditEvent for this decision (who asked, for what, decision, basis); no clinical content. */
  readonly audit: AuditEvent;
}

/** A decision before its AuditEvent, with the references of the consents that decided. */
export type UnauditedDecision = Omit<ConsentDecision, 'audit'> & { readonly deciding: readonly string[] };
