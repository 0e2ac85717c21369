// The import profile's code lists as lookups by system, then code; built once per read.
import type { CredentialType, ReferralTarget } from '@peerkit/model';
import type { CodeSet, ImportProfile, ReferralCodeSet } from '../import-profile';
import { findCoding, isObject, type Json } from './json';

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

/** Values by system, then code (no `system|code` string built per coding looked up). */
type ByCode<T> = Map<string, Map<string, T>>;

function put<T>(map: ByCode<T>, system: string, code: string, value: T): void {
  let codes = map.get(system);
  if (codes === undefined) map.set(system, (codes = new Map()));
  if (!codes.has(code)) codes.set(code, value);
}

/** The value of a coding (a non-empty system and code) in `map`. */
function valueOf<T>(map: ByCode<T>, coding: Json): T | undefined {
  const { system, code } = coding;
  if (typeof system !== 'string' || typeof code !== 'string' || system === '' || code === '') return undefined;
  return map.get(system)?.get(code);
}

function keysOf(sets: readonly CodeSet[]): ByCode<true> {
  const keys: ByCode<true> = new Map();
  for (const set of sets) for (const code of set.codes) put(keys, set.system, code, true);
  return keys;
}

function matcher(keys: ByCode<true>): CodeMatcher {
  const test = (coding: Json): boolean => valueOf(keys, coding) === true;
  return (concepts) => findCoding(concepts, test);
}

function targets(sets: readonly ReferralCodeSet[]): ByCode<ReferralMatch> {
  const map: ByCode<ReferralMatch> = new Map();
  for (const set of sets) for (const code of set.codes) put(map, set.system, code, set.target);
  return map;
}

/** The value of the first coding of `concepts` found in `map`. */
function lookup<T>(map: ByCode<T>, concepts: unknown): T | undefined {
  let found: T | undefined;
  findCoding(concepts, (coding) => (found = valueOf(map, coding)) !== undefined);
  return found;
}

/** Builds the lookups of a profile (once per read: a streamed read shares them across its windows). */
export function createMatchers(profile: ImportProfile): ProfileMatchers {
  const byCode = targets(profile.referralCodes);
  const byCategory = targets(profile.referralCategories);
  const credentials: ByCode<CredentialType> = new Map();
  for (const c of profile.credentialCodes) put(credentials, c.system, c.code, c.credential);
  const mrnTypes = keysOf(profile.mrn.identifierTypes.map((t) => ({ system: t.system, codes: [t.code] })));
  const isMrnType = (coding: Json): boolean => valueOf(mrnTypes, coding) === true;
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
      (isObject(identifier.type) && findCoding(identifier.type, isMrnType) !== undefined),
    isNpiSystem: (system) => typeof system === 'string' && npiSystems.has(system),
  };
}
