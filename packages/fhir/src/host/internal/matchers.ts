// The import profile's code lists as lookups (`system|code` keys), built once per read.
import type { CredentialType, ReferralTarget } from '@peerkit/model';
import type { CodeSet, ImportProfile, ReferralCodeSet } from '../import-profile';
import { codingKey, codings, isObject, type Json } from './json';

/** The matching coding of `concepts` for a set of `system|code` keys. */
export type CodeMatcher = (concepts: unknown) => Json | undefined;

/** A referral target found by code. */
export type ReferralMatch = Pick<ReferralTarget, 'type' | 'category'>;

/** The profile's lists as lookups. */
export interface ProfileMatchers {
  /** Peer-support codes (Encounter type/serviceType, Group code, HealthcareService type/specialty, CarePlan activity). */
  readonly peerSupport: CodeMatcher;
  /** Peer role codes (PractitionerRole code/specialty, qualification code). */
  readonly peerRole: CodeMatcher;
  readonly recoveryPlanCategory: CodeMatcher;
  /** The referral target of a `ServiceRequest.code`, then of its `category`. */
  referral(code: unknown, category: unknown): ReferralMatch | undefined;
  credential(concept: unknown): CredentialType | undefined;
  /** `true` when an identifier is the MRN (by type or system). */
  isMrn(identifier: Json): boolean;
  isNpiSystem(system: unknown): boolean;
}

function keysOf(sets: readonly CodeSet[]): Set<string> {
  const keys = new Set<string>();
  for (const set of sets) for (const code of set.codes) keys.add(`${set.system}|${code}`);
  return keys;
}

function matcher(keys: ReadonlySet<string>): CodeMatcher {
  return (concepts) => {
    for (const coding of codings(concepts)) {
      const key = codingKey(coding);
      if (key !== undefined && keys.has(key)) return coding;
    }
    return undefined;
  };
}

function targets(sets: readonly ReferralCodeSet[]): Map<string, ReferralMatch> {
  const map = new Map<string, ReferralMatch>();
  for (const set of sets) for (const code of set.codes) if (!map.has(`${set.system}|${code}`)) map.set(`${set.system}|${code}`, set.target);
  return map;
}

function lookup<T>(map: ReadonlyMap<string, T>, concepts: unknown): T | undefined {
  for (const coding of codings(concepts)) {
    const key = codingKey(coding);
    const found = key === undefined ? undefined : map.get(key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Builds the lookups of a profile. */
export function createMatchers(profile: ImportProfile): ProfileMatchers {
  const byCode = targets(profile.referralCodes);
  const byCategory = targets(profile.referralCategories);
  const credentials = new Map(profile.credentialCodes.map((c) => [`${c.system}|${c.code}`, c.credential] as const));
  const mrnTypes = new Set(profile.mrn.identifierTypes.map((t) => `${t.system}|${t.code}`));
  const mrnSystems = new Set(profile.mrn.systems);
  const npiSystems = new Set(profile.npiSystems);
  return {
    peerSupport: matcher(keysOf(profile.peerSupportCodes)),
    peerRole: matcher(keysOf(profile.peerRoleCodes)),
    recoveryPlanCategory: matcher(keysOf(profile.recoveryPlanCategories)),
    referral: (code, category) => lookup(byCode, code) ?? lookup(byCategory, category),
    credential: (concept) => lookup(credentials, concept),
    isMrn: (identifier) =>
      (typeof identifier.system === 'string' && mrnSystems.has(identifier.system)) ||
      codings(isObject(identifier.type) ? identifier.type : undefined).some((c) => mrnTypes.has(codingKey(c) ?? '')),
    isNpiSystem: (system) => typeof system === 'string' && npiSystems.has(system),
  };
}
