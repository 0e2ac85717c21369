/**
 * DS4P security labels (`meta.security`): the one builder every PeerKit package uses. A label set holds
 * exactly one confidentiality code; 42 CFR Part 2 data is confidentiality `R` with its basis
 * `42CFRPart2` (extension-sec-label-basis), a sensitivity tag (`SUD`, or the older `ETH`), the
 * `42CFRPart2` policy tag and the `NORDSCLCD` refrain.
 *
 * See: reference/fhir-mapping.md §2.4 and §3 (FHIR DS4P IG 1.0.0 `extension-sec-label-basis` example;
 * THO v3-ActCode usage note for 42CFRPart2: "assign the HL7 Confidentiality code R")
 */
import type { Coding } from 'fhir/r4';
import { SYSTEMS } from './systems';

/** A v3 Confidentiality code, lowest to highest: U < L < M < N < R < V (DS4P conceptual structure). */
export type ConfidentialityCode = 'U' | 'L' | 'M' | 'N' | 'R' | 'V';

/** A v3-ActCode sensitivity code PeerKit writes. */
export type SensitivityCode = 'SUD' | 'ETH' | 'MH' | 'HIV';

/** The DS4P label codes PeerKit writes, by code, each with its system, display and source. */
export const SECURITY_LABELS = {
  /** Unrestricted. Source: THO v3-Confidentiality; DS4P. */
  U: { system: SYSTEMS.confidentiality, code: 'U', display: 'unrestricted' },
  /** Low. Source: THO v3-Confidentiality; DS4P. */
  L: { system: SYSTEMS.confidentiality, code: 'L', display: 'low' },
  /** Moderate. Source: THO v3-Confidentiality; DS4P. */
  M: { system: SYSTEMS.confidentiality, code: 'M', display: 'moderate' },
  /** Normal. Source: THO v3-Confidentiality; DS4P. */
  N: { system: SYSTEMS.confidentiality, code: 'N', display: 'normal' },
  /** Restricted: the level of 42 CFR Part 2 data. Source: THO v3-Confidentiality and v3-ActCode 42CFRPart2 usage note; DS4P. */
  R: { system: SYSTEMS.confidentiality, code: 'R', display: 'restricted' },
  /** Very restricted. Source: THO v3-Confidentiality; DS4P. */
  V: { system: SYSTEMS.confidentiality, code: 'V', display: 'very restricted' },
  /** Substance use disorder information sensitivity (DS4P's example tag). Source: THO v3-ActCode; DS4P. */
  SUD: { system: SYSTEMS.actCode, code: 'SUD', display: 'substance use disorder information sensitivity' },
  /** Substance abuse information sensitivity (older generic code). Source: THO v3-ActCode (active); C2S; R4 Contract C-2121. */
  ETH: { system: SYSTEMS.actCode, code: 'ETH', display: 'substance abuse information sensitivity' },
  /** Mental health information sensitivity. Source: THO v3-ActCode. */
  MH: { system: SYSTEMS.actCode, code: 'MH', display: 'mental health information sensitivity' },
  /** HIV/AIDS information sensitivity. Source: THO v3-ActCode. */
  HIV: { system: SYSTEMS.actCode, code: 'HIV', display: 'HIV/AIDS information sensitivity' },
  /** 42 CFR Part 2 (_ActUSPrivacyLaw), as a policy tag and as the basis of the confidentiality code. Source: THO v3-ActCode; DS4P. */
  '42CFRPart2': { system: SYSTEMS.actCode, code: '42CFRPart2', display: '42 CFR Part2' },
  /** No redisclosure without consent directive (RefrainPolicy; `NORDSLCD` is retired). Source: THO v3-ActCode. */
  NORDSCLCD: { system: SYSTEMS.actCode, code: 'NORDSCLCD', display: 'no redisclosure without consent directive' },
} as const satisfies Readonly<Record<string, Coding>>;

/** Options of {@link createSecurityLabels}. */
export interface SecurityLabelOptions {
  /**
   * The data is 42 CFR Part 2 data: confidentiality `R` with basis `42CFRPart2` (whatever
   * `confidentiality` says), then the `42CFRPart2` tag and `NORDSCLCD`. Default `false`.
   */
  part2?: boolean | undefined;
  /** Sensitivity tags, in the order given. Default none. */
  sensitivity?: readonly SensitivityCode[] | undefined;
  /** Confidentiality of data that is not Part 2. Default `R` when there is a sensitivity tag, else `N`. */
  confidentiality?: ConfidentialityCode | undefined;
  /** With `part2`, also add `42CFRPart2` as a tag of its own, besides the basis. Default `true`. */
  policyTag?: boolean | undefined;
}

const label = (code: keyof typeof SECURITY_LABELS): Coding => ({ ...SECURITY_LABELS[code] });

/**
 * Builds a DS4P label set: one confidentiality code, the sensitivity tags, and for Part 2 data the
 * policy tag and the refrain.
 *
 * @param options - see {@link SecurityLabelOptions}
 * @returns `meta.security` codings (new objects on every call)
 * @example
 * createSecurityLabels({ part2: true, sensitivity: ['SUD'] }).map((c) => c.code); // ['R', 'SUD', '42CFRPart2', 'NORDSCLCD']
 * createSecurityLabels({ sensitivity: ['MH'] }).map((c) => c.code); // ['R', 'MH']
 * See: reference/fhir-mapping.md §2.4 (DS4P IG 1.0.0)
 */
export function createSecurityLabels(options: SecurityLabelOptions = {}): Coding[] {
  const sensitivity = options.sensitivity ?? [];
  const part2 = options.part2 ?? false;
  const level = part2 ? 'R' : (options.confidentiality ?? (sensitivity.length > 0 ? 'R' : 'N'));
  // FHIR JSON order: a Coding's extension comes before its system and code.
  const confidentiality: Coding = part2
    ? { extension: [{ url: SYSTEMS.securityLabelBasisExtension, valueCoding: { system: SYSTEMS.actCode, code: '42CFRPart2' } }], ...label(level) }
    : label(level);
  const labels = [confidentiality, ...sensitivity.map(label)];
  if (part2) {
    if (options.policyTag ?? true) labels.push(label('42CFRPart2'));
    labels.push(label('NORDSCLCD'));
  }
  return labels;
}

/**
 * The DS4P labels of a resource derived from a 42 CFR Part 2 program: confidentiality `R` (basis
 * `42CFRPart2`), sensitivity `SUD`, policy `42CFRPart2`, refrain `NORDSCLCD`.
 *
 * @returns `createSecurityLabels({ part2: true, sensitivity: ['SUD'] })`
 * @example
 * const meta = { security: part2Labels() };
 * See: reference/fhir-mapping.md §2.4 (DS4P extension-sec-label-basis example; THO v3-ActCode usage notes)
 */
export function part2Labels(): Coding[] {
  return createSecurityLabels({ part2: true, sensitivity: ['SUD'] });
}
