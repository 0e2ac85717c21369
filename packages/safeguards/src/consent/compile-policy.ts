/**
 * What a Consent's policy elements mean to the engine: the base effect its `policyRule` (R4) or
 * `policy[].uri` (STU3-era policy URIs carried in R4) sets, whether it declares 42 CFR Part 2, and
 * whether it is a privacy consent at all (`scope`, or a consentscope code in `category`).
 *
 * See: R4 Consent (policyRule "the base computable regulation or policy"; provision "constraints to
 * the base Consent.policyRule"); STU3 Consent §6.2.5 (policy URIs opt-in / opt-out); THO v3-ActCode
 * (OPTIN, OPTINR, OPTOUT, OPTOUTE); THO consentpolicycodes.
 */
import { SYSTEMS } from '@peerkit/fhir';
import type { Consent } from 'fhir/r4';
import { ACT_CODES, PART2_POLICY_URI, toCodes, type Code } from '../internal/codes';

/** A base effect a policy sets, with where it comes from. */
export interface PolicyRuleMeaning {
  readonly system: string;
  readonly code: string;
  readonly effect: 'permit' | 'deny';
  readonly source: string;
}

/**
 * The policy codes and URIs the engine reads as a base effect. A permit base applies only within the
 * root provision's criteria; a deny base also applies outside them when the root itself permits
 * (the root is then the exception to the opt-out).
 */
export const POLICY_RULES: readonly PolicyRuleMeaning[] = [
  { system: SYSTEMS.actCode, code: 'OPTIN', effect: 'permit', source: "THO v3-ActCode OPTIN: a grantor's assent to the grantee's terms" },
  { system: SYSTEMS.actCode, code: 'OPTINR', effect: 'permit', source: 'THO v3-ActCode OPTINR: opt-in with restrictions (the restrictions are its deny provisions)' },
  { system: SYSTEMS.actCode, code: 'OPTOUT', effect: 'deny', source: "THO v3-ActCode OPTOUT: a grantor's dissent to the grantee's terms" },
  { system: SYSTEMS.actCode, code: 'OPTOUTE', effect: 'deny', source: 'THO v3-ActCode OPTOUTE: opt-out with exceptions (the exceptions are its permit provisions)' },
  { system: SYSTEMS.consentPolicy, code: 'hipaa-auth', effect: 'permit', source: 'THO consentpolicycodes hipaa-auth: HIPAA authorization, 45 CFR §164.508' },
  { system: SYSTEMS.consentPolicy, code: 'hipaa-research', effect: 'permit', source: 'THO consentpolicycodes hipaa-research: HIPAA research authorization' },
  { system: SYSTEMS.consentPolicy, code: 'hipaa-restrictions', effect: 'deny', source: 'THO consentpolicycodes hipaa-restrictions: HIPAA restrictions, 45 CFR §164.522(a)' },
  { system: SYSTEMS.consentPolicy, code: 'hipaa-self-pay', effect: 'deny', source: 'THO consentpolicycodes hipaa-self-pay: restriction to a health plan, 45 CFR §164.522(a)(1)(vi)' },
  { system: 'urn:ietf:rfc:3986', code: 'http://hl7.org/fhir/ConsentPolicy/opt-in', effect: 'permit', source: 'STU3 Consent §6.2.5 policyRule URI opt-in (carried in R4 Consent.policy.uri)' },
  { system: 'urn:ietf:rfc:3986', code: 'http://hl7.org/fhir/ConsentPolicy/opt-out', effect: 'deny', source: 'STU3 Consent §6.2.5 policyRule URI opt-out (carried in R4 Consent.policy.uri)' },
];

/** What the engine read from a consent's policy elements. */
export interface ConsentPolicy {
  /** The base effect, when a policy sets one (deny wins when policies disagree: fail closed). */
  readonly base: PolicyRuleMeaning | undefined;
  /** Policies set both effects. */
  readonly conflicting: boolean;
  /** Policy codes and URIs the engine does not evaluate (other regulations, local policies). */
  readonly unevaluated: readonly string[];
  /** The consent names 42 CFR Part 2 in `policy` or `policyRule`. */
  readonly part2: boolean;
}

const PART2_URI = /ecfr\.gov\/.*part-2|42\s*CFR\s*(part\s*)?2\b/i;

function ruleFor(code: Code): PolicyRuleMeaning | undefined {
  return POLICY_RULES.find((r) => r.code === code.code && (code.system === undefined || code.system === r.system));
}

/**
 * Reads a consent's `policyRule` and `policy` elements.
 *
 * @param consent - an R4 Consent
 * @returns the base effect (if any), conflicts, unevaluated policies and the Part 2 declaration
 * @example
 * readConsentPolicy(consent).base?.effect; // 'deny' for policyRule v3-ActCode OPTOUT
 */
export function readConsentPolicy(consent: Consent): ConsentPolicy {
  const found: PolicyRuleMeaning[] = [];
  const unevaluated: string[] = [];
  let part2 = false;
  for (const code of toCodes(consent.policyRule?.coding)) {
    if (code.code === ACT_CODES.part2) {
      part2 = true;
      continue;
    }
    const rule = ruleFor(code);
    if (rule) found.push(rule);
    else unevaluated.push('policyRule');
  }
  for (const p of consent.policy ?? []) {
    if (p.uri === undefined) continue;
    if (p.uri.startsWith(PART2_POLICY_URI) || PART2_URI.test(p.uri)) {
      part2 = true;
      continue;
    }
    const rule = ruleFor({ system: 'urn:ietf:rfc:3986', code: p.uri.replace(/\/+$/, '') });
    if (rule) found.push(rule);
    else unevaluated.push('policy.uri');
  }
  const deny = found.find((r) => r.effect === 'deny');
  const conflicting = deny !== undefined && found.some((r) => r.effect === 'permit');
  return { base: deny ?? found[0], conflicting, unevaluated, part2 };
}

/**
 * The consent's scope codes: `Consent.scope`, and consentscope codes found in `category` (some
 * producers put the scope there).
 *
 * @param consent - an R4 Consent
 * @returns the scope codes (normalized systems)
 */
export function consentScopes(consent: Consent): Code[] {
  const scope = toCodes(consent.scope?.coding);
  const fromCategory = (consent.category ?? []).flatMap((c) => toCodes(c.coding)).filter((c) => c.system === SYSTEMS.consentScope);
  return [...scope, ...fromCategory];
}
