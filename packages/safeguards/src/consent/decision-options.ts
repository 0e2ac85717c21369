/**
 * The options of a consent decision and their defaults, shared by `decideConsent` and
 * `compileConsents`.
 *
 * See: reference/fhir-mapping.md §2.4; 42 CFR §2.31, §2.32, §2.33, §2.51
 */
import { SYSTEMS } from '@peerkit/fhir';
import { ACT_CODES, type Code } from '../internal/codes';
import type { ReferenceResolver } from './actors';
import type { AuditOptions } from './audit-event';
import type { ConflictStrategy } from './provision';

/** Options of `decideConsent` (and of `compileConsents`, which adds actor resources and code systems). */
export interface DecideConsentOptions {
  /** The evaluation clock; also the request date when the request has none. Required (purity). */
  now: string | Date;
  /** How conflicts resolve, between provisions at one level and between consents. Default `deny-overrides`. */
  strategy?: ConflictStrategy;
  /**
   * Security labels that mark 42 CFR Part 2 data. Default: v3-ActCode `42CFRPart2`, `SUD`, `ETH`,
   * `ETHUD`, `OPIOIDUD` (PeerKit policy default: SUD sensitivity is treated as Part 2 unless the
   * host narrows it).
   */
  part2Labels?: readonly Code[];
  /** Purposes a single TPO consent must list (2024 rule). Default v3-ActReason `TREAT`, `HPAYMT`, `HOPERAT`. */
  tpoPurposes?: readonly string[];
  /** Require a Part 2 label or the Part 2 policy on a consent that releases Part 2 data. Default `true`. */
  requireExplicitPart2Scope?: boolean;
  /** v3-ActReason purposes that invoke break-glass. Default `['BTG']`; `[]` disables break-glass. */
  breakGlassPurposes?: readonly string[];
  /** Identifiers for literal references in consents (`Organization/123`), e.g. from the host's FHIR server. */
  resolveReference?: ReferenceResolver;
  /** Notice text attached to Part 2 disclosures. Default {@link PART2_REDISCLOSURE_NOTICE}. */
  redisclosureNotice?: string;
  /** AuditEvent id, source and agent details. */
  audit?: AuditOptions;
}

/**
 * The notice that accompanies a disclosure of Part 2 records made with the patient's consent; the
 * abbreviated statement of 42 CFR §2.32(a)(2) as PeerKit reads the 2024 rule. Configurable through
 * `redisclosureNotice`: confirm against the current eCFR text before relying on it.
 */
export const PART2_REDISCLOSURE_NOTICE = '42 CFR part 2 prohibits unauthorized use or disclosure of these records.';

/** Default {@link DecideConsentOptions.part2Labels}. */
export const DEFAULT_PART2_LABELS: readonly Code[] = [
  { system: SYSTEMS.actCode, code: ACT_CODES.part2 },
  { system: SYSTEMS.actCode, code: ACT_CODES.sud },
  { system: SYSTEMS.actCode, code: ACT_CODES.eth },
  { system: SYSTEMS.actCode, code: ACT_CODES.ethud },
  { system: SYSTEMS.actCode, code: ACT_CODES.opioidud },
];
