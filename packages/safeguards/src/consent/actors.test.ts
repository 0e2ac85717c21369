import type { Consent, Identifier, Organization } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { ACTOR_RESOURCES } from '../__fixtures__/foreign-consents';
import { NPI_A, NPI_B } from '../__fixtures__/consents';
import { compareIdentities, createActorDirectory, identifyReference, identifyRequestActor, readActorResources, type IdentityRelation } from './actors';

const TAX = 'urn:oid:2.16.840.1.113883.4.4';
const consent: Consent = {
  resourceType: 'Consent',
  status: 'active',
  scope: {},
  category: [],
  contained: [{ resourceType: 'Organization', id: 'to', identifier: [NPI_A] } as Organization],
};
/** A fixture identifier as a request states it. */
const asked = (id: Identifier) => ({ system: id.system as string, value: id.value as string });
const A = asked(NPI_A);
const B = asked(NPI_B);
const withResources = createActorDirectory(ACTOR_RESOURCES);
const bare = createActorDirectory();
const resolver = createActorDirectory(undefined, (ref) => (ref === 'Organization/org-b' ? [NPI_B] : undefined));

type Row = [name: string, provision: Parameters<typeof identifyReference>[0], request: Parameters<typeof identifyRequestActor>[0], directory: ReturnType<typeof createActorDirectory>, relation: IdentityRelation];

const rows: Row[] = [
  ['logical reference, same identifier', { identifier: NPI_A }, { identifier: [A] }, bare, 'same'],
  ['logical reference, other identifier in the same system', { identifier: NPI_A }, { identifier: [B] }, bare, 'distinct'],
  ['logical reference, identifier in another system: cannot compare', { identifier: NPI_A }, { identifier: [{ system: TAX, value: '12-3456789' }] }, bare, 'unknown'],
  ['contained resource resolved to its identifier', { reference: '#to' }, { identifier: [A] }, bare, 'same'],
  ['contained resource, other identifier', { reference: '#to' }, { identifier: [B] }, bare, 'distinct'],
  ['literal reference resolved through the supplied resources', { reference: 'Organization/org-b' }, { identifier: [B] }, withResources, 'same'],
  ['literal reference resolved through the host resolver', { reference: 'Organization/org-b' }, { identifier: [B] }, resolver, 'same'],
  ['literal reference the engine cannot resolve', { reference: 'Organization/org-b' }, { identifier: [B] }, bare, 'unknown'],
  ['literal reference, same reference in the request', { reference: 'Organization/org-b' }, { reference: 'https://ehr.example/fhir/Organization/org-b', identifier: [] }, bare, 'same'],
  ['literal references to different resources', { reference: 'Organization/org-b' }, { reference: 'Organization/org-a', identifier: [] }, bare, 'distinct'],
  ["the request's reference resolved to identifiers", { identifier: NPI_A }, { reference: 'Organization/org-a', identifier: [] }, withResources, 'same'],
  ['an identifier without system matches by value', { identifier: { value: NPI_A.value } }, { identifier: [A] }, bare, 'same'],
  ['an identifier without system proves nothing otherwise', { identifier: { value: '42' } }, { identifier: [A] }, bare, 'unknown'],
  ['a display only names no one', { display: 'Synthetic Clinic' }, { identifier: [A] }, bare, 'unknown'],
];

describe('compareIdentities', () => {
  it.each(rows)('%s', (_name, ref, request, directory, relation) => {
    expect(compareIdentities(identifyReference(ref, consent, directory), identifyRequestActor(request, directory))).toBe(relation);
  });
});

describe('readActorResources', () => {
  const org = ACTOR_RESOURCES.entry?.[0]?.resource;
  it.each<[string, unknown, number]>([
    ['a Bundle', ACTOR_RESOURCES, 3],
    ['an array', [org], 1],
    ['one resource', org, 1],
    ['an empty Bundle', { resourceType: 'Bundle', type: 'collection' }, 0],
  ])('reads %s', (_name, input, count) => {
    const result = readActorResources(input);
    expect(result.ok && result.value.length).toBe(count);
  });

  it.each<[string, unknown, (string | number)[]]>([
    ['not a resource', { hello: 'world' }, []],
    ['entries that are not an array', { resourceType: 'Bundle', entry: {} }, ['entry']],
    ['an entry without a resource', { resourceType: 'Bundle', entry: [{}] }, ['entry', 0, 'resource']],
    ['identifiers that are not a list', [{ resourceType: 'Organization', identifier: { value: '1000000004' } }], [0, 'identifier']],
    ['an identifier value that is not a string', [{ resourceType: 'Organization', identifier: [{ value: 1000000004 }] }], [0, 'identifier', 0]],
    ['an id that is not a string', [{ resourceType: 'Organization', id: 54 }], [0, 'id']],
  ])('names the field for %s, never its value', (_name, input, path) => {
    const result = readActorResources(input);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([['schema.invalid-type', path]]);
    expect(JSON.stringify(result.issues)).not.toContain('1000000004');
  });
});
