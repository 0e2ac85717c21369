/**
 * A decision's obligations in the shape the reference engine returns them: LEAP CDS's
 * `patient-consent-consult` cards carry `obligations` as `{ id, parameters }`, with REDACT
 * (v3-ActCode) and either `codes` ("share all except these") or `exceptAnyOfCodes` ("only these").
 * PeerKit adds the §2.32 notice (NORDSCLCD, with its text) and the break-glass documentation duty
 * in the same shape.
 *
 * See: reference/fhir-mapping.md §5 (LEAP step 6: REDACT with codes / exceptAnyOfCodes);
 * sdhealthconnect/leap-cds lib/consent-provisions.js (determineObligations)
 */
import { SYSTEMS } from '@peerkit/fhir';
import { ACT_CODES, type Code } from '../internal/codes';
import type { Obligation } from './decision';

/** One obligation as LEAP CDS returns it. */
export interface CdsObligation {
  readonly id: Code;
  readonly parameters: {
    /** Redact the data carrying any of these codes (labels, classes, codes). */
    readonly codes?: readonly Code[];
    /** Disclose only the data carrying one of these codes. */
    readonly exceptAnyOfCodes?: readonly Code[];
    /** The notice to attach (42 CFR §2.32). */
    readonly notice?: string;
  };
}

/**
 * Converts obligations to LEAP CDS's shape: `redact` → REDACT `{ codes }`, `limit-to` → REDACT
 * `{ exceptAnyOfCodes }` (the codes of every limit-to scope together), `attach-notice` →
 * NORDSCLCD `{ notice }`, `document-emergency` → its PeerKit code. A scope with no codes (a data
 * reference or a data period only) has no LEAP equivalent and keeps only its PeerKit form.
 *
 * @param obligations - a decision's obligations
 * @returns the obligations as LEAP CDS returns them
 * @example
 * toCdsObligations(decideConsent(consents, request, { now }).obligations);
 * // [{ id: { system: '…/v3-ActCode', code: 'REDACT' }, parameters: { codes: [{ system: '…/v3-ActCode', code: 'ETH' }] } }]
 */
export function toCdsObligations(obligations: readonly Obligation[]): CdsObligation[] {
  const out: CdsObligation[] = [];
  const only: Code[] = [];
  let limited = false;
  for (const o of obligations) {
    const codes = o.codes ?? [];
    if (o.kind === 'redact' && codes.length > 0) out.push({ id: o.code, parameters: { codes } });
    else if (o.kind === 'limit-to' && codes.length > 0) {
      limited = true;
      only.push(...codes);
    } else if (o.kind === 'attach-notice') out.push({ id: o.code, parameters: o.notice === undefined ? {} : { notice: o.notice } });
    else if (o.kind === 'document-emergency') out.push({ id: o.code, parameters: {} });
  }
  if (limited) out.push({ id: { system: SYSTEMS.actCode, code: ACT_CODES.redact }, parameters: { exceptAnyOfCodes: only } });
  return out;
}
