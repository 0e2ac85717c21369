/**
 * Whether a permitting consent covers 42 CFR Part 2 data: it describes the SUD information (a Part 2
 * label in its data criteria, or the Part 2 policy in `Consent.policy`/`policyRule`), and it names
 * the recipient or is a single consent for treatment, payment and health care operations.
 *
 * See: 42 CFR §2.31 (consent), §2.33 (TPO, 2024 rule); reference/fhir-mapping.md §2.4
 */
import type { Consent } from 'fhir/r4';
import { ACT_CODES, intersects, PART2_POLICY_URI, toCodes, type Code } from '../internal/codes';
import type { ConsentOutcome } from './evaluate-consent';
import type { DisclosureRequest } from './request';

function declaresPart2(consent: Consent): boolean {
  const policyUri = /ecfr\.gov\/.*part-2|42\s*CFR\s*(part\s*)?2\b/i;
  if ((consent.policy ?? []).some((p) => p.uri !== undefined && (p.uri.startsWith(PART2_POLICY_URI) || policyUri.test(p.uri)))) {
    return true;
  }
  return toCodes(consent.policyRule?.coding).some((c) => c.code === ACT_CODES.part2);
}

/** Whether a consent covers Part 2 data, and how. */
export interface Part2Check {
  readonly covered: boolean;
  readonly how?: 'recipient-named' | 'tpo';
}

/** Whether `outcome`'s permitting provisions cover Part 2 data for `request`. */
export function part2Coverage(outcome: ConsentOutcome, request: DisclosureRequest, labels: readonly Code[], tpo: readonly string[], explicit: boolean): Part2Check {
  const policy = declaresPart2(outcome.consent);
  for (const chain of outcome.permitChains) {
    const describes = policy || chain.some((n) => intersects(n.labels, labels));
    if (explicit && !describes) continue;
    if (chain.some((n) => n.recipientNamed)) return { covered: true, how: 'recipient-named' };
    const isTpo = chain.some((n) => tpo.every((code) => n.purposes.some((p) => p.code === code)));
    const requestTpo = request.purposeOfUse.length > 0 && request.purposeOfUse.every((p) => tpo.includes(p.code));
    if (isTpo && requestTpo) return { covered: true, how: 'tpo' };
  }
  return { covered: false };
}
