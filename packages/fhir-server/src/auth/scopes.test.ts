import { beforeAll, describe, expect, it } from 'vitest';
import { loadFhirDefinitions } from '../internal/definitions';
import { compartmentElements, compartmentSearchParam, isInPatientCompartment, isOnlyInPatientCompartment } from './compartment';
import { parseScopeGrants, reachOf } from './scopes';

describe('reachOf', () => {
  it.each([
    ['patient/*.rs', 'Encounter', 'r', 'patient'],
    ['patient/*.rs', 'Encounter', 'c', 'none'],
    ['patient/Encounter.cu', 'Encounter', 'c', 'patient'],
    ['patient/Encounter.cu', 'Observation', 'c', 'none'],
    ['patient/*.rs user/Practitioner.rs', 'Practitioner', 'r', 'all'],
    ['patient/*.rs user/*.rs', 'Encounter', 's', 'all'],
    ['system/*.cruds', 'Patient', 'd', 'all'],
    ['patient/*.read', 'Encounter', 's', 'patient'],
    ['patient/*.write', 'Encounter', 'u', 'patient'],
    ['patient/Observation.rs?category=laboratory', 'Observation', 'r', 'none'],
    ['launch openid fhirUser', 'Patient', 'r', 'none'],
    ['patient/*.sr', 'Patient', 'r', 'none'],
  ] as const)('%s on %s.%s reaches %s', (scope, type, permission, reach) => {
    expect(reachOf(parseScopeGrants(scope), type, permission)).toBe(reach);
  });
});

describe('the patient compartment', () => {
  beforeAll(() => loadFhirDefinitions(), 60_000);

  it.each([
    ['the patient itself', { resourceType: 'Patient', id: 'a' }, true],
    ['another patient', { resourceType: 'Patient', id: 'b' }, false],
    ['an encounter of the patient', { resourceType: 'Encounter', subject: { reference: 'Patient/a' } }, true],
    ['an encounter by absolute reference', { resourceType: 'Encounter', subject: { reference: 'http://127.0.0.1:1/fhir/Patient/a' } }, true],
    ['an encounter of another patient', { resourceType: 'Encounter', subject: { reference: 'Patient/b' } }, false],
    ['a consent of the patient', { resourceType: 'Consent', patient: { reference: 'Patient/a' } }, true],
    ['a document the patient authored', { resourceType: 'DocumentReference', author: [{ reference: 'Patient/a' }] }, true],
    ['a group encounter of someone else', { resourceType: 'Encounter', subject: { reference: 'Group/g' } }, false],
    ['a practitioner', { resourceType: 'Practitioner', id: 'a' }, false],
  ])('%s: %s', (_name, resource, expected) => {
    expect(isInPatientCompartment(resource as never, 'a', 'http://127.0.0.1:1/fhir')).toBe(expected);
  });

  it.each([
    ['the patient itself', { resourceType: 'Patient', id: 'a' }, true],
    ['an encounter of the patient, by absolute reference', { resourceType: 'Encounter', subject: { reference: 'http://127.0.0.1:1/fhir/Patient/a' } }, true],
    ["a note about the patient by a practitioner", { resourceType: 'DocumentReference', subject: { reference: 'Patient/a' }, author: [{ reference: 'Practitioner/p' }] }, true],
    ['a note about another patient that the patient authored', { resourceType: 'DocumentReference', subject: { reference: 'Patient/b' }, author: [{ reference: 'Patient/a' }] }, false],
    ['an observation about another patient that the patient performed', { resourceType: 'Observation', subject: { reference: 'Patient/b' }, performer: [{ reference: 'Patient/a' }] }, false],
    ['an encounter of no patient', { resourceType: 'Encounter', subject: { reference: 'Group/g' } }, false],
  ])('what a patient/ scope may write: %s: %s', (_name, resource, expected) => {
    expect(isOnlyInPatientCompartment(resource as never, 'a', 'http://127.0.0.1:1/fhir')).toBe(expected);
  });

  it('names the parameter that narrows a search, and the elements a patch may not touch', () => {
    expect(compartmentSearchParam('Patient')).toBe('_id');
    expect(compartmentSearchParam('Encounter')).toBe('patient');
    expect(compartmentSearchParam('Practitioner')).toBeUndefined();
    expect(compartmentElements('Encounter')).toEqual(['subject']);
    expect(compartmentElements('Consent')).toEqual(['patient']);
  });
});
