/**
 * What the disclosure gate returns: the Bundle that may go, the decision for the disclosure as a
 * whole, a preview of what went and what was withheld and why (types and counts, never values), and
 * the disclosure ledger's entry when asked for. Shared by the gate and the ledger that records it.
 *
 * See: 42 CFR §2.25, §2.32
 */
import type { Issue } from '@peerkit/model';
import type { AuditEvent, Bundle } from 'fhir/r4';
import type { ConsentDecision } from '../consent/decision';

/**
 * Why an entry was withheld: the consents deny it (`consent-deny`), none covers it (`no-consent`),
 * Part 2 data without a covering consent (`part2-not-covered`), a permit that would need redaction
 * inside the entry (`partial-permit`), a SUD counseling note no consent names specifically
 * (`sud-counseling-note`, 42 CFR §2.31(b)), an agreed restriction covers it (`restriction`,
 * 42 CFR §2.26), the §2.32 notice could not be attached (`notice-missing`), or an entry without a
 * resource (`no-resource`).
 */
export type WithheldReason =
  | 'consent-deny'
  | 'no-consent'
  | 'part2-not-covered'
  | 'partial-permit'
  | 'sud-counseling-note'
  | 'restriction'
  | 'notice-missing'
  | 'no-resource';

/** What the gate did, as types and counts: never values. */
export interface DisclosurePreview {
  readonly decision: ConsentDecision['decision'];
  readonly breakGlass: boolean;
  /** Entries sent, by resource type (the notice and the consent copies it adds are not counted). */
  readonly disclosed: Readonly<Record<string, number>>;
  /** Entries withheld, by resource type and reason. */
  readonly withheld: readonly { readonly resourceType: string; readonly reason: WithheldReason; readonly count: number }[];
  /** References in sent entries that pointed at withheld entries and were redacted. */
  readonly redactedReferences: number;
  /** The §2.32 notice was attached. */
  readonly noticeAttached: boolean;
}

/** The result of `gateDisclosure`. */
export interface DisclosureGateResult {
  /** The decision for the disclosure as a whole: PERMIT when at least one entry may go. */
  readonly decision: ConsentDecision;
  /** The Bundle that may be sent; `undefined` when nothing may. */
  readonly bundle: Bundle | undefined;
  readonly preview: DisclosurePreview;
  /**
   * The disclosure ledger's AuditEvent of this decision, when the gate's `ledger` option was given:
   * append it to the ledger (the gate itself does no I/O).
   */
  readonly ledgerEntry?: AuditEvent;
  /** Why nothing went although entries were permitted (`part2.consent-copy-missing`); empty otherwise. */
  readonly issues?: readonly Issue[];
}
