/**
 * Code systems, coding equality and URI normalization shared by the consent engine, the labeler and
 * the disclosure gate.
 *
 * See: reference/fhir-mapping.md §2.4 (legacy `http://hl7.org/fhir/v3/...` URIs) and §5 (LEAP
 * `codes.js` treats URL and OID forms as equal).
 */
import { SYSTEMS } from '@peerkit/fhir';
import type { Coding } from 'fhir/r4';

/** A coding as PeerKit compares it: system (normalized) and code. */
export interface Code {
  readonly system?: string | undefined;
  readonly code: string;
}

/** OIDs of the HL7 code systems PeerKit reads, as `urn:oid:` URIs (THO NamingSystems). */
const OIDS: Readonly<Record<string, string>> = {
  'urn:oid:2.16.840.1.113883.5.4': SYSTEMS.actCode,
  'urn:oid:2.16.840.1.113883.5.8': SYSTEMS.actReason,
  'urn:oid:2.16.840.1.113883.5.25': SYSTEMS.confidentiality,
  'urn:oid:2.16.840.1.113883.5.90': SYSTEMS.participationType,
  'urn:oid:2.16.840.1.113883.6.1': SYSTEMS.loinc,
  'urn:oid:2.16.840.1.113883.6.96': SYSTEMS.snomed,
};

const LEGACY_V3 = /^https?:\/\/hl7\.org\/fhir\/v3\/([A-Za-z]+)\/?$/;
const V3_VALUESET = /^https?:\/\/(?:terminology\.hl7\.org|hl7\.org\/fhir)\/ValueSet\/v3-([A-Za-z]+)$/;
const LEGACY_FHIR_CS = /^https?:\/\/hl7\.org\/fhir\/(consentaction|consentscope|consentcategorycodes|consentpolicycodes|audit-event-type)\/?$/;

/**
 * Normalizes a code system URI: STU3-era `http://hl7.org/fhir/v3/ActCode`, v3 ValueSet URLs used as
 * systems, and OIDs become the `http://terminology.hl7.org/CodeSystem/...` form.
 */
export function normalizeSystem(system: string | undefined): string | undefined {
  if (system === undefined) return undefined;
  // Fast path: the current form, and any system that none of the legacy forms can match.
  if (system.startsWith('http://terminology.hl7.org/CodeSystem/')) return system;
  if (!/hl7\.org\/fhir\/|ValueSet\/v3-|^\s|\s$|^(?:urn:oid:)?\d/.test(system)) return system;
  const trimmed = system.trim();
  const oid = OIDS[trimmed] ?? OIDS[`urn:oid:${trimmed}`];
  if (oid) return oid;
  const v3 = LEGACY_V3.exec(trimmed) ?? V3_VALUESET.exec(trimmed);
  if (v3?.[1]) return `http://terminology.hl7.org/CodeSystem/v3-${v3[1]}`;
  const fhirCs = LEGACY_FHIR_CS.exec(trimmed);
  if (fhirCs?.[1]) return `http://terminology.hl7.org/CodeSystem/${fhirCs[1]}`;
  return trimmed;
}

/** A coding with its system normalized; `undefined` when it has no code. */
export function toCode(coding: Coding | Code | undefined): Code | undefined {
  if (!coding || typeof coding.code !== 'string' || coding.code === '') return undefined;
  const system = normalizeSystem(coding.system);
  return system === undefined ? { code: coding.code } : { system, code: coding.code };
}

/** The codes of a list of codings, normalized, without empty ones. */
export function toCodes(codings: readonly (Coding | Code)[] | undefined): Code[] {
  const out: Code[] = [];
  for (const c of codings ?? []) {
    const code = toCode(c);
    if (code) out.push(code);
  }
  return out;
}

/**
 * `true` when two codes are the same concept: same code and same normalized system. A code without a
 * system matches the same code in any system (requests often send bare codes).
 */
export function sameCode(a: Code, b: Code): boolean {
  if (a.code !== b.code) return false;
  return a.system === undefined || b.system === undefined || a.system === b.system;
}

/** `true` when some code of `a` equals some code of `b`. */
export function intersects(a: readonly Code[], b: readonly Code[]): boolean {
  return a.some((x) => b.some((y) => sameCode(x, y)));
}

/** `true` when `codes` holds the given system and code. */
export function hasCode(codes: readonly Code[], system: string, code: string): boolean {
  return codes.some((c) => sameCode(c, { system, code }));
}

/** Formats a code for explanations: `system|code` shortened to the last path segment of the system. */
export function formatCode(code: Code): string {
  if (code.system === undefined) return code.code;
  const short = code.system.replace(/^.*\/(CodeSystem\/)?/, '');
  return `${short}#${code.code}`;
}

/** v3 Confidentiality codes from lowest to highest (DS4P conceptual structure: U < L < M < N < R < V). */
export const CONFIDENTIALITY_ORDER = ['U', 'L', 'M', 'N', 'R', 'V'] as const;
/** A v3 Confidentiality code. */
export type ConfidentialityCode = (typeof CONFIDENTIALITY_ORDER)[number];

/** v3-ActCode codes PeerKit uses, with their source. */
export const ACT_CODES = {
  /** 42 CFR Part 2 (_ActUSPrivacyLaw). Source: THO v3-ActCode; DS4P. */
  part2: '42CFRPart2',
  /** Substance use disorder information sensitivity. Source: THO; DS4P. */
  sud: 'SUD',
  /** Substance abuse information sensitivity (older generic code). Source: THO; C2S; R4 C-2121. */
  eth: 'ETH',
  /** Alcohol use disorder information sensitivity. Source: THO. */
  ethud: 'ETHUD',
  /** Opioid use disorder information sensitivity. Source: THO. */
  opioidud: 'OPIOIDUD',
  /** Mental health information sensitivity. Source: THO. */
  mh: 'MH',
  /** Behavioral health information sensitivity. Source: THO. */
  bh: 'BH',
  /** HIV/AIDS information sensitivity. Source: THO. */
  hiv: 'HIV',
  /** No redisclosure without consent directive (RefrainPolicy). `NORDSLCD` is retired. Source: THO. */
  nordsclcd: 'NORDSCLCD',
  /** No disclosure without consent directive (RefrainPolicy). Source: THO. */
  nodsclcd: 'NODSCLCD',
  /** Redact (obligation). Source: THO; LEAP. */
  redact: 'REDACT',
  /** Information disclosure consent type. Source: THO; SDOH; C2S. */
  idscl: 'IDSCL',
} as const;

/** Sensitivity codes that mean substance-use information (Part 2 when from a Part 2 program). Source: THO. */
export const SUD_SENSITIVITY: readonly string[] = [ACT_CODES.sud, ACT_CODES.eth, ACT_CODES.ethud, ACT_CODES.opioidud];

/**
 * v3-ActCode RefrainPolicy and ObligationPolicy codes that reveal the kind of data they sit on; DS4P
 * says they shall not be in a high-water mark (Bundle, DocumentReference, message).
 * Source: DS4P `security_labeling_conceptual_structure.md`; THO.
 */
export const PRIVACY_REVEALING_HANDLING: readonly string[] = [
  'NORDSCLCD',
  'NODSCLCD',
  'NOAUTH',
  'NOCOLLECT',
  'NOINTEGRATE',
  'NOLIST',
  'NOMOU',
  'NOORGPOL',
  'NOPAT',
  'NOPERSISTP',
  'NORDSCLCDS',
  'NORDSCLW',
  'NORELINK',
  'NOREUSE',
  'NOVIP',
  'ORCON',
  'MASK',
  'REDACT',
];

/** Purposes that make up treatment, payment and health care operations (v3-ActReason). Source: THO. */
export const TPO_PURPOSES: readonly string[] = ['TREAT', 'HPAYMT', 'HOPERAT'];

/** Source roles of a provision actor (v3-ParticipationType): who discloses. Source: THO; C2S (INF). */
export const SOURCE_ROLES: readonly string[] = ['INF', 'AUT', 'CST'];
/** Recipient roles of a provision actor (v3-ParticipationType): who receives. Source: THO; C2S (IRCP). */
export const RECIPIENT_ROLES: readonly string[] = ['IRCP', 'PRCP'];

/** The regulation text URI PeerKit puts in `Consent.policy.uri` for 42 CFR Part 2. Source: eCFR. */
export const PART2_POLICY_URI = 'https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2';
