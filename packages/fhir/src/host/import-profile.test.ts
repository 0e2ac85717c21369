import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SYSTEMS } from '../systems';
import { parseImportProfile, US_CORE_IMPORT_PROFILE } from './import-profile';

describe('US_CORE_IMPORT_PROFILE', () => {
  it.each([
    ['H0038 under the THO http HCPCS URI', 'peerSupportCodes', SYSTEMS.hcpcs, 'H0038'],
    ['G0140 under the https HCPCS URI', 'peerSupportCodes', SYSTEMS.hcpcsHttps, 'G0140'],
    ['G0146 under the http HCPCS URI', 'peerSupportCodes', SYSTEMS.hcpcs, 'G0146'],
    ['NUCC 175T00000X Peer Specialist', 'peerRoleCodes', SYSTEMS.nucc, '175T00000X'],
    ['SNOMED 461481000124109 referral to peer support', 'referralCodes', SYSTEMS.snomed, '461481000124109'],
    ['Gravity SDOH food-insecurity', 'referralCategories', SYSTEMS.sdohTemporary, 'food-insecurity'],
  ] as const)('holds %s, with its source', (_name, list, system, code) => {
    const set = US_CORE_IMPORT_PROFILE[list].find((s) => s.system === system && s.codes.includes(code));
    expect(set?.source).toMatch(/\S/);
  });

  it('finds the MRN by identifier type v2-0203 MR and the NPI by its system', () => {
    expect(US_CORE_IMPORT_PROFILE.mrn.identifierTypes).toEqual([{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }]);
    expect(US_CORE_IMPORT_PROFILE.npiSystems).toEqual(['http://hl7.org/fhir/sid/us-npi']);
  });
});

describe('parseImportProfile', () => {
  it('resolves an empty profile to the US Core defaults', () => {
    const result = parseImportProfile({});
    expect(result.ok && result.value.peerSupportCodes).toEqual(US_CORE_IMPORT_PROFILE.peerSupportCodes);
    expect(result.ok && result.value.defaults).toEqual(US_CORE_IMPORT_PROFILE.defaults);
  });

  it.each([
    ['adds host codes to the US Core ones', { peerSupportCodes: [{ system: 'urn:oid:2.999.1', codes: ['PEER'] }] }, 3],
    ['keeps only the host codes with extends none', { extends: 'none', peerSupportCodes: [{ system: 'urn:oid:2.999.1', codes: ['PEER'] }] }, 1],
  ])('%s', (_name, input, count) => {
    const result = parseImportProfile(input);
    expect(result.ok && result.value.peerSupportCodes.length).toBe(count);
  });

  it('takes partial defaults and fills in the rest', () => {
    const result = parseImportProfile({ defaults: { state: 'VA', caseloadLimit: 12 } });
    expect(result.ok && result.value.defaults).toMatchObject({ state: 'VA', caseloadLimit: 12, programId: 'peer-support', part2: true });
  });

  it.each([
    ['an unknown field', { peerCodes: [] }, 'schema.unknown-field'],
    ['a code set without codes', { peerRoleCodes: [{ system: 'urn:x', codes: [] }] }, 'schema.too-small'],
    ['an unknown referral category', { referralCodes: [{ system: 'urn:x', codes: ['a'], target: { type: 'community-resource', category: 'pets' } }] }, 'schema.invalid-value'],
    ['a state that is not two letters', { defaults: { state: 'Virginia' } }, 'schema.invalid-format'],
    ['an unknown credential', { credentialCodes: [{ system: 'urn:x', code: 'A', credential: 'md' }] }, 'schema.invalid-value'],
  ])('rejects %s with a schema issue naming the field', (_name, input, code) => {
    const result = parseImportProfile(input);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toContain(code);
  });

  it('never throws, whatever the input', () => {
    fc.assert(fc.property(fc.anything(), (input) => void parseImportProfile(input)));
  });
});
