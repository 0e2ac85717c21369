import { describe, expect, it } from 'vitest';
import { grantableScopes, parseResourceScope, scopeAllows } from './scopes';

describe('parseResourceScope', () => {
  it.each([
    ['v2 read and search', 'patient/*.rs', { context: 'patient', resourceType: '*', permissions: ['r', 's'], narrowed: false }],
    ['v2 create and update of one type', 'patient/Encounter.cu', { context: 'patient', resourceType: 'Encounter', permissions: ['c', 'u'], narrowed: false }],
    ['v2 everything, user level', 'user/*.cruds', { context: 'user', resourceType: '*', permissions: ['c', 'r', 'u', 'd', 's'], narrowed: false }],
    ['v1 read', 'patient/Observation.read', { context: 'patient', resourceType: 'Observation', permissions: ['r', 's'], narrowed: false }],
    ['v1 write', 'system/*.write', { context: 'system', resourceType: '*', permissions: ['c', 'u', 'd'], narrowed: false }],
    ['v2 narrowed by a query', 'patient/Observation.rs?category=laboratory', { context: 'patient', resourceType: 'Observation', permissions: ['r', 's'], narrowed: true }],
  ])('%s: %s', (_name, scope, expected) => {
    const parsed = parseResourceScope(scope);
    expect(parsed === undefined ? undefined : { ...parsed, permissions: [...parsed.permissions] }).toEqual(expected);
  });

  it.each([
    ['out of order permissions', 'patient/*.sr'],
    ['a repeated permission', 'patient/*.rrs'],
    ['an unknown context', 'admin/*.rs'],
    ['a lower-case type', 'patient/encounter.rs'],
    ['a launch scope', 'launch/patient'],
    ['an identity scope', 'openid'],
    ['v1 with a query', 'patient/*.read?x=1'],
  ])('refuses %s (%s)', (_name, scope) => {
    expect(parseResourceScope(scope)).toBeUndefined();
  });
});

describe('scopeAllows', () => {
  it.each([
    ['patient/*.cruds', 'patient/Encounter.rs', true],
    ['patient/*.rs', 'patient/Encounter.r', true],
    ['patient/*.rs', 'patient/Encounter.cu', false],
    ['patient/Encounter.cu', 'patient/Encounter.c', true],
    ['patient/Encounter.cu', 'patient/Observation.c', false],
    ['user/*.rs', 'patient/*.rs', false],
    ['patient/*.read', 'patient/Encounter.rs', true],
    ['launch', 'launch', true],
    ['launch', 'launch/patient', false],
    ['patient/Observation.rs?category=x', 'patient/Observation.r', false],
  ])('%s allows %s: %s', (granted, requested, expected) => {
    expect(scopeAllows(granted, requested)).toBe(expected);
  });
});

describe('grantableScopes', () => {
  it('keeps the asked scopes an allowed one covers, in order, without duplicates or unknown scopes', () => {
    expect(grantableScopes('launch openid launch openid fhirUser patient/Encounter.cu user/*.rs made-up patient/*.sr', 'launch openid fhirUser patient/*.cruds')).toEqual([
      'launch',
      'openid',
      'fhirUser',
      'patient/Encounter.cu',
    ]);
  });
});
